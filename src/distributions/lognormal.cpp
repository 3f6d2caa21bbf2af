#include <cmath>

#include <boost/math/distributions/lognormal.hpp>

#include "distributions/catalogue.hpp"
#include "distributions/math.hpp"
#include "distributions/samplers.hpp"

namespace darkfigure::distributions::detail {
namespace {

/// The standard normal's 95th percentile, Phi^-1(0.95).
constexpr double kZ95 = 1.6448536269514722;

boost::math::lognormal_distribution<double, Policy> boost_lognormal(const Lognormal& d) {
  return {d.mu, d.sigma};
}

}  // namespace

Parameters make_lognormal(const Arguments& arguments) {
  return Lognormal{arguments.number(0), arguments.positive(1),
                   arguments.size() == 3 ? arguments.number(2) : 0.0};
}

// log(p5) and log(p95) lie kZ95 sigmas either side of mu.
Parameters make_lognormal_ci(const Arguments& arguments) {
  const double p5 = arguments.positive(0);
  const double p95 = arguments.number(1);
  const double log_p5 = std::log(p5);
  const double log_p95 = std::log(p95);
  // Distinct doubles can share a logarithm; sigma must still come out positive.
  if (!(log_p95 > log_p5)) arguments.fail(1, "greater than p5 = " + exact(p5));
  return Lognormal{0.5 * (log_p5 + log_p95), (log_p95 - log_p5) / (2.0 * kZ95)};
}

double Lognormal::sample(random::Stream& stream) const {
  return shift + std::exp(mu + sigma * standard_normal(stream));
}

void Lognormal::fill(random::Stream& stream, std::span<double> out) const {
  for (double& x : out)
    x = sample(stream);
}

double Lognormal::quantile(double p) const {
  return quantile_within(p, shift, kInfinity, [&](double level) {
    return shift + boost::math::quantile(boost_lognormal(*this), level);
  });
}

double Lognormal::cdf(double x) const {
  x -= shift;
  if (x <= 0.0) return 0.0;
  if (x == kInfinity) return 1.0;
  return boost::math::cdf(boost_lognormal(*this), x);
}

double Lognormal::log_pdf(double x) const {
  if (std::isnan(x)) return x;
  x -= shift;
  if (x <= 0.0) return -kInfinity;
  const double log_x = std::log(x);
  const double z = (log_x - mu) / sigma;
  return -0.5 * z * z - std::log(sigma) - log_x - kLogSqrtTwoPi;
}

double Lognormal::mean() const {
  return shift + boost::math::mean(boost_lognormal(*this));
}

double Lognormal::variance() const {
  return boost::math::variance(boost_lognormal(*this));
}

}  // namespace darkfigure::distributions::detail
