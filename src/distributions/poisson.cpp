#include <cmath>

#include <boost/math/distributions/poisson.hpp>

#include "distributions/catalogue.hpp"
#include "distributions/math.hpp"
#include "distributions/samplers.hpp"

namespace darkfigure::distributions::detail {
namespace {

boost::math::poisson_distribution<double, Policy> boost_poisson(const Poisson& d) {
  return boost::math::poisson_distribution<double, Policy>(d.lambda);
}

/// Boost.Math's discrete quantile search slows down without bound as lambda grows past 1e15,
/// where counts near the mean are no longer all distinct doubles anyway.
constexpr double kLargestMean = 1e15;

}  // namespace

Parameters make_poisson(const Arguments& arguments) {
  const double lambda = arguments.positive(0);
  if (lambda > kLargestMean) arguments.fail(0, "at most " + exact(kLargestMean));
  return Poisson{lambda};
}

double Poisson::sample(random::Stream& stream) const {
  return PoissonSampler(lambda)(stream);
}

void Poisson::fill(random::Stream& stream, std::span<double> out) const {
  const PoissonSampler poisson(lambda);
  for (double& x : out)
    x = poisson(stream);
}

double Poisson::quantile(double p) const {
  return quantile_within(p, 0.0, kInfinity, [&](double level) {
    return smallest_count_reaching(level, boost::math::quantile(boost_poisson(*this), level),
                                   kInfinity, [&](double k) { return cdf(k); });
  });
}

double Poisson::cdf(double x) const {
  if (!(x >= 0.0)) return std::isnan(x) ? x : 0.0;
  if (x == kInfinity) return 1.0;
  return boost::math::cdf(boost_poisson(*this), std::floor(x));
}

double Poisson::log_pdf(double x) const {
  if (std::isnan(x)) return x;
  if (!is_count(x)) return -kInfinity;
  return log_mass(boost::math::pdf(boost_poisson(*this), x),
                  [&] { return poisson_log_mass(x, lambda); });
}

double Poisson::mean() const {
  return boost::math::mean(boost_poisson(*this));
}

double Poisson::variance() const {
  return boost::math::variance(boost_poisson(*this));
}

}  // namespace darkfigure::distributions::detail
