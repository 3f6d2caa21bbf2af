#include <cmath>

#include <boost/math/distributions/binomial.hpp>
#include <boost/math/special_functions/gamma.hpp>
#include <boost/random/binomial_distribution.hpp>

#include "distributions/catalogue.hpp"
#include "distributions/math.hpp"

namespace darkfigure::distributions::detail {
namespace {

/// The largest n: BTRD's acceptance test loses about n * 1e-16 in log space to cancellation
/// ((n + 1) log(nm / nk)), which stays below 1e-4 up to here.
constexpr double kLargestTrials = 1e12;

boost::math::binomial_distribution<double, Policy> boost_binomial(const Binomial& d) {
  return {static_cast<double>(d.n), d.p};
}

}  // namespace

Parameters make_binomial(const Arguments& arguments) {
  const double n = arguments.number(0);
  if (!(n >= 0.0 && n == std::floor(n))) arguments.fail(0, "a whole number >= 0");
  if (n > kLargestTrials) arguments.fail(0, "at most " + exact(kLargestTrials));
  const double p = arguments.number(1);
  if (!(p >= 0.0 && p <= 1.0)) arguments.fail(1, "between 0 and 1");
  return Binomial{static_cast<std::int64_t>(n), p};
}

// Boost.Random: inversion for a mean below 11, otherwise BTRD (Hoermann 1993, "The generation of
// binomial random variates").
double Binomial::sample(random::Stream& stream) const {
  return static_cast<double>(
      boost::random::binomial_distribution<std::int64_t, double>(n, p)(stream));
}

void Binomial::fill(random::Stream& stream, std::span<double> out) const {
  const boost::random::binomial_distribution<std::int64_t, double> binomial(n, p);
  for (double& x : out)
    x = static_cast<double>(binomial(stream));
}

double Binomial::quantile(double level) const {
  const auto trials = static_cast<double>(n);
  return quantile_within(level, 0.0, trials, [&](double q) {
    if (p == 0.0 || p == 1.0) return p * trials;
    return smallest_count_reaching(q, boost::math::quantile(boost_binomial(*this), q), trials,
                                   [&](double k) { return cdf(k); });
  });
}

double Binomial::cdf(double x) const {
  if (!(x >= 0.0)) return std::isnan(x) ? x : 0.0;
  if (x >= static_cast<double>(n)) return 1.0;
  return boost::math::cdf(boost_binomial(*this), std::floor(x));
}

double Binomial::log_pdf(double x) const {
  if (std::isnan(x)) return x;
  const auto trials = static_cast<double>(n);
  if (!is_count(x) || x > trials) return -kInfinity;
  return log_mass(boost::math::pdf(boost_binomial(*this), x), [&] {
    const double log_choose = boost::math::lgamma(trials + 1.0, Policy()) -
                              boost::math::lgamma(x + 1.0, Policy()) -
                              boost::math::lgamma(trials - x + 1.0, Policy());
    return log_choose + xlogy(x, p) + xlog1py(trials - x, -p);
  });
}

double Binomial::mean() const {
  return boost::math::mean(boost_binomial(*this));
}

double Binomial::variance() const {
  return boost::math::variance(boost_binomial(*this));
}

}  // namespace darkfigure::distributions::detail
