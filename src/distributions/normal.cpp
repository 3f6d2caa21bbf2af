#include <cmath>

#include <boost/math/distributions/normal.hpp>

#include "distributions/catalogue.hpp"
#include "distributions/math.hpp"
#include "distributions/samplers.hpp"

namespace darkfigure::distributions::detail {
namespace {

boost::math::normal_distribution<double, Policy> boost_normal(const Normal& d) {
  return {d.mu, d.sigma};
}

}  // namespace

Parameters make_normal(const Arguments& arguments) {
  return Normal{arguments.number(0), arguments.positive(1)};
}

double Normal::sample(random::Stream& stream) const {
  return mu + sigma * standard_normal(stream);
}

void Normal::fill(random::Stream& stream, std::span<double> out) const {
  for (double& x : out)
    x = sample(stream);
}

double Normal::quantile(double p) const {
  return quantile_within(p, -kInfinity, kInfinity, [&](double level) {
    return boost::math::quantile(boost_normal(*this), level);
  });
}

double Normal::cdf(double x) const {
  if (std::isinf(x)) return x > 0.0 ? 1.0 : 0.0;
  return boost::math::cdf(boost_normal(*this), x);
}

double Normal::log_pdf(double x) const {
  const double z = (x - mu) / sigma;
  return -0.5 * z * z - std::log(sigma) - kLogSqrtTwoPi;
}

double Normal::mean() const {
  return boost::math::mean(boost_normal(*this));
}

double Normal::variance() const {
  return boost::math::variance(boost_normal(*this));
}

}  // namespace darkfigure::distributions::detail
