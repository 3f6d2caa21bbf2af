#include <cmath>

#include <boost/math/distributions/triangular.hpp>

#include "distributions/catalogue.hpp"
#include "distributions/math.hpp"

namespace darkfigure::distributions::detail {
namespace {

boost::math::triangular_distribution<double, Policy> boost_triangular(const Triangular& d) {
  return {d.min, d.mode, d.max};
}

/// The inverse of the cdf, for sampling and quantiles alike: the two sides of the mode are
/// parabolas in x.
double invert(const Triangular& d, double p) {
  const double width = d.max - d.min;
  const double left = d.mode - d.min;
  if (p * width < left) return d.min + std::sqrt(p * width * left);
  return d.max - std::sqrt((1.0 - p) * width * (d.max - d.mode));
}

}  // namespace

Parameters make_triangular(const Arguments& arguments) {
  arguments.check_interval(0, 2);
  return Triangular{arguments.number(0), arguments.between(1, 0, 2), arguments.number(2)};
}

double Triangular::sample(random::Stream& stream) const {
  return invert(*this, stream.uniform());
}

void Triangular::fill(random::Stream& stream, std::span<double> out) const {
  for (double& x : out)
    x = sample(stream);
}

double Triangular::quantile(double p) const {
  return quantile_within(p, min, max, [&](double level) { return invert(*this, level); });
}

double Triangular::cdf(double x) const {
  if (x <= min) return 0.0;
  if (x >= max) return 1.0;
  return boost::math::cdf(boost_triangular(*this), x);
}

double Triangular::log_pdf(double x) const {
  if (std::isnan(x)) return x;
  if (x < min || x > max) return -kInfinity;
  return std::log(boost::math::pdf(boost_triangular(*this), x));
}

double Triangular::mean() const {
  return boost::math::mean(boost_triangular(*this));
}

double Triangular::variance() const {
  return boost::math::variance(boost_triangular(*this));
}

}  // namespace darkfigure::distributions::detail
