#include <cmath>

#include <boost/math/distributions/exponential.hpp>
#include <boost/random/exponential_distribution.hpp>

#include "distributions/catalogue.hpp"
#include "distributions/math.hpp"

namespace darkfigure::distributions::detail {
namespace {

boost::math::exponential_distribution<double, Policy> boost_exponential(const Exponential& d) {
  return boost::math::exponential_distribution<double, Policy>(d.rate);
}

}  // namespace

Parameters make_exponential(const Arguments& arguments) {
  return Exponential{arguments.positive(0)};
}

// Boost.Random's ziggurat, which, unlike -log(U) / rate, needs no logarithm for most draws and
// keeps no state between calls.
double Exponential::sample(random::Stream& stream) const {
  return boost::random::exponential_distribution<double>(rate)(stream);
}

void Exponential::fill(random::Stream& stream, std::span<double> out) const {
  for (double& x : out)
    x = sample(stream);
}

double Exponential::quantile(double p) const {
  return quantile_within(p, 0.0, kInfinity, [&](double level) {
    return boost::math::quantile(boost_exponential(*this), level);
  });
}

double Exponential::cdf(double x) const {
  if (x <= 0.0) return 0.0;
  if (x == kInfinity) return 1.0;
  return boost::math::cdf(boost_exponential(*this), x);
}

double Exponential::log_pdf(double x) const {
  if (std::isnan(x)) return x;
  return x < 0.0 ? -kInfinity : std::log(rate) - rate * x;
}

double Exponential::mean() const {
  return boost::math::mean(boost_exponential(*this));
}

double Exponential::variance() const {
  return boost::math::variance(boost_exponential(*this));
}

}  // namespace darkfigure::distributions::detail
