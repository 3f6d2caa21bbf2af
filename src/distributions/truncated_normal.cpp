#include <algorithm>
#include <cmath>

#include <boost/math/constants/constants.hpp>
#include <boost/math/special_functions/erf.hpp>

#include "distributions/catalogue.hpp"
#include "distributions/math.hpp"
#include "distributions/samplers.hpp"

namespace darkfigure::distributions::detail {
namespace {

constexpr double kSqrtTwo = boost::math::constants::root_two<double>();

/// The smallest probability of [low, high] under the untruncated normal that is accepted: below
/// it the density and the quantiles would be computed from underflowing tail probabilities.
constexpr double kSmallestMass = 1e-300;

/// Phi(z) = P(Z <= z).
double standard_cdf(double z) {
  return 0.5 * boost::math::erfc(-z / kSqrtTwo, Policy());
}
/// Q(z) = P(Z > z), accurate far above the mean where 1 - Phi(z) would cancel.
double standard_survival(double z) {
  return 0.5 * boost::math::erfc(z / kSqrtTwo, Policy());
}

/// The standard normal density; 0 at +-inf.
double phi(double z) {
  return std::exp(-0.5 * z * z - kLogSqrtTwoPi);
}
/// z * phi(z), 0 at +-inf.
double z_phi(double z) {
  return std::isinf(z) ? 0.0 : z * phi(z);
}

/// The standardized p-quantile of the truncated normal, p in (0, 1).
double standard_quantile(const TruncatedNormal& d, double p) {
  if (d.upper_tail) {
    // Q(z) runs from Q(a) down to Q(b); Q^-1(q) = sqrt(2) erfc^-1(2 q).
    return kSqrtTwo * boost::math::erfc_inv(2.0 * (d.tail_a - p * d.mass), PerDrawPolicy());
  }
  // Phi(z) runs from Phi(a) up to Phi(b); Phi^-1(q) = -sqrt(2) erfc^-1(2 q).
  return -kSqrtTwo * boost::math::erfc_inv(2.0 * (d.tail_a + p * d.mass), PerDrawPolicy());
}

}  // namespace

Parameters make_truncnormal(const Arguments& arguments) {
  TruncatedNormal d{};
  d.mu = arguments.number(0);
  d.sigma = arguments.positive(1);
  d.low = arguments.bound(2);
  d.high = arguments.bound(3);
  if (!(d.high > d.low)) arguments.fail(3, "greater than low = " + exact(d.low));
  d.a = (d.low - d.mu) / d.sigma;
  d.b = (d.high - d.mu) / d.sigma;
  d.upper_tail = d.a > 0.0;
  d.tail_a = d.upper_tail ? standard_survival(d.a) : standard_cdf(d.a);
  d.mass = d.upper_tail ? d.tail_a - standard_survival(d.b) : standard_cdf(d.b) - d.tail_a;
  if (!(d.mass >= kSmallestMass)) {
    // Blame the bound nearer the mean: moving it towards the mean is what adds probability.
    arguments.fail(d.upper_tail ? 2 : 3,
                   "such that [low, high] = [" + exact(d.low) + ", " + exact(d.high) +
                       "] holds at least 1e-300 of the probability of normal(" + exact(d.mu) +
                       ", " + exact(d.sigma) + "), not " + three_digits(d.mass));
  }
  d.by_rejection = d.mass > 0.25;
  return d;
}

// Rejection from the whole normal while it keeps more than a quarter of the draws (at most four
// normals a draw on average), otherwise inversion on the kept interval.
double TruncatedNormal::sample(random::Stream& stream) const {
  double z = 0.0;
  if (by_rejection) {
    do {
      z = standard_normal(stream);
    } while (!(z >= a && z <= b));
  } else {
    z = standard_quantile(*this, stream.uniform());
  }
  // Rounding may carry mu + sigma * z just past a bound.
  return std::clamp(mu + sigma * z, low, high);
}

void TruncatedNormal::fill(random::Stream& stream, std::span<double> out) const {
  for (double& x : out)
    x = sample(stream);
}

double TruncatedNormal::quantile(double p) const {
  return quantile_within(p, low, high, [&](double level) {
    return std::clamp(mu + sigma * standard_quantile(*this, level), low, high);
  });
}

double TruncatedNormal::cdf(double x) const {
  if (std::isnan(x)) return x;
  if (x <= low) return 0.0;
  if (x >= high) return 1.0;
  const double z = (x - mu) / sigma;
  const double below = upper_tail ? tail_a - standard_survival(z) : standard_cdf(z) - tail_a;
  return std::clamp(below / mass, 0.0, 1.0);
}

double TruncatedNormal::log_pdf(double x) const {
  if (std::isnan(x)) return x;
  if (x < low || x > high) return -kInfinity;
  const double z = (x - mu) / sigma;
  return -0.5 * z * z - kLogSqrtTwoPi - std::log(sigma) - std::log(mass);
}

// Johnson, Kotz & Balakrishnan (1994), Continuous Univariate Distributions 1, section 10.1.
double TruncatedNormal::mean() const {
  return mu + sigma * (phi(a) - phi(b)) / mass;
}

double TruncatedNormal::variance() const {
  const double shift = (phi(a) - phi(b)) / mass;
  return sigma * sigma * (1.0 + (z_phi(a) - z_phi(b)) / mass - shift * shift);
}

}  // namespace darkfigure::distributions::detail
