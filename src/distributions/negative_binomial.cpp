#include <cmath>

#include <boost/math/distributions/negative_binomial.hpp>
#include <boost/math/distributions/poisson.hpp>

#include "distributions/catalogue.hpp"
#include "distributions/math.hpp"
#include "distributions/samplers.hpp"

namespace darkfigure::distributions::detail {
namespace {

/// Where size / mu exceeds this, the success probability p = size / (size + mu) is within 1e-10
/// of 1 and Boost.Math, which works with 1 - p, would lose its digits (or, beyond 2^53, see a
/// point mass at 0). The distribution is then Poisson(mu) to within a relative 1e-10 of its
/// variance, and the cdf, quantile and mass function use that.
constexpr double kPoissonAbove = 1e10;

bool is_poisson(const NegativeBinomial& d) {
  return d.size > kPoissonAbove * d.mu;
}

boost::math::negative_binomial_distribution<double, Policy> boost_negative_binomial(
    const NegativeBinomial& d) {
  return {d.size, d.size / (d.size + d.mu)};
}

boost::math::poisson_distribution<double, Policy> boost_poisson(const NegativeBinomial& d) {
  return boost::math::poisson_distribution<double, Policy>(d.mu);
}

/// Calls `f` with the Boost.Math distribution that stands for `d`.
template <class F>
double with_boost(const NegativeBinomial& d, F f) {
  return is_poisson(d) ? f(boost_poisson(d)) : f(boost_negative_binomial(d));
}

/// A draw of the gamma-Poisson mixture: Poisson(lambda), lambda ~ scale * Gamma(size).
double mixture_draw(const GammaSampler& gamma, double scale, random::Stream& stream) {
  const double lambda = scale * gamma.draw(stream);
  // A gamma draw with a tiny shape can underflow to 0, and Poisson(0) is 0.
  return lambda > 0.0 ? PoissonSampler(lambda)(stream) : 0.0;
}

}  // namespace

Parameters make_negbinomial(const Arguments& arguments) {
  return NegativeBinomial{arguments.positive(0), arguments.positive(1)};
}

double NegativeBinomial::sample(random::Stream& stream) const {
  return mixture_draw(GammaSampler(size), mu / size, stream);
}

void NegativeBinomial::fill(random::Stream& stream, std::span<double> out) const {
  const GammaSampler gamma(size);
  for (double& x : out)
    x = mixture_draw(gamma, mu / size, stream);
}

double NegativeBinomial::quantile(double p) const {
  return quantile_within(p, 0.0, kInfinity, [&](double level) {
    const double estimate =
        with_boost(*this, [&](const auto& d) { return boost::math::quantile(d, level); });
    return smallest_count_reaching(level, estimate, kInfinity, [&](double k) { return cdf(k); });
  });
}

double NegativeBinomial::cdf(double x) const {
  if (!(x >= 0.0)) return std::isnan(x) ? x : 0.0;
  if (x == kInfinity) return 1.0;
  return with_boost(*this, [&](const auto& d) { return boost::math::cdf(d, std::floor(x)); });
}

double NegativeBinomial::log_pdf(double x) const {
  if (std::isnan(x)) return x;
  if (!is_count(x)) return -kInfinity;
  const double mass = with_boost(*this, [&](const auto& d) { return boost::math::pdf(d, x); });
  return log_mass(mass, [&] {
    if (is_poisson(*this)) return poisson_log_mass(x, mu);
    return boost::math::lgamma(x + size, Policy()) - boost::math::lgamma(size, Policy()) -
           boost::math::lgamma(x + 1.0, Policy()) + size * std::log(size / (size + mu)) +
           x * std::log(mu / (size + mu));
  });
}

// Exact from the parameters, where Boost.Math would go through p and round.
double NegativeBinomial::mean() const {
  return mu;
}

double NegativeBinomial::variance() const {
  return mu + mu * mu / size;
}

}  // namespace darkfigure::distributions::detail
