#include <cmath>

#include <boost/math/distributions/uniform.hpp>

#include "distributions/catalogue.hpp"
#include "distributions/math.hpp"

namespace darkfigure::distributions::detail {
namespace {

boost::math::uniform_distribution<double, Policy> boost_uniform(const Uniform& d) {
  return {d.min, d.max};
}

}  // namespace

Parameters make_uniform(const Arguments& arguments) {
  arguments.check_interval(0, 1);
  return Uniform{arguments.number(0), arguments.number(1)};
}

// Inversion: min + (max - min) * U.
double Uniform::sample(random::Stream& stream) const {
  return min + (max - min) * stream.uniform();
}

void Uniform::fill(random::Stream& stream, std::span<double> out) const {
  for (double& x : out)
    x = sample(stream);
}

double Uniform::quantile(double p) const {
  return quantile_within(p, min, max, [&](double level) { return min + (max - min) * level; });
}

double Uniform::cdf(double x) const {
  if (x <= min) return 0.0;
  if (x >= max) return 1.0;
  return (x - min) / (max - min);
}

double Uniform::log_pdf(double x) const {
  if (std::isnan(x)) return x;
  return x >= min && x <= max ? -std::log(max - min) : -kInfinity;
}

double Uniform::mean() const {
  return boost::math::mean(boost_uniform(*this));
}

double Uniform::variance() const {
  return boost::math::variance(boost_uniform(*this));
}

}  // namespace darkfigure::distributions::detail
