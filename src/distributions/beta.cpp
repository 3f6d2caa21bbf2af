#include <cmath>

#include <boost/math/distributions/beta.hpp>
#include <boost/math/special_functions/gamma.hpp>

#include "distributions/catalogue.hpp"
#include "distributions/math.hpp"
#include "distributions/samplers.hpp"

namespace darkfigure::distributions::detail {
namespace {

boost::math::beta_distribution<double, Policy> boost_beta(const Beta& d) {
  return {d.alpha, d.beta};
}

}  // namespace

Parameters make_beta(const Arguments& arguments) {
  return Beta{arguments.positive(0), arguments.positive(1)};
}

// The method of moments: mean = alpha / nu, sd^2 = mean (1 - mean) / (nu + 1), nu = alpha + beta.
Parameters make_beta_mean_sd(const Arguments& arguments) {
  const double mean = arguments.number(0);
  if (!(mean > 0.0 && mean < 1.0)) arguments.fail(0, "strictly between 0 and 1");
  const double sd = arguments.positive(1);
  const double spread = mean * (1.0 - mean);
  const double bound = std::sqrt(spread);
  const double nu = spread / (sd * sd) - 1.0;
  if (!(sd < bound && nu > 0.0)) {
    arguments.fail(1, "below sqrt(mean*(1-mean)) = " + three_digits(bound));
  }
  if (!std::isfinite(nu)) arguments.fail(1, "large enough that mean*(1-mean)/sd^2 is finite");
  return Beta{mean * nu, (1.0 - mean) * nu};
}

// Beta-PERT (Malcolm et al. 1959, with Vose's shape 4): mean (min + 4 mode + max) / 6.
Parameters make_pert(const Arguments& arguments) {
  arguments.check_interval(0, 2);
  const double min = arguments.number(0);
  const double mode = arguments.between(1, 0, 2);
  const double max = arguments.number(2);
  const double range = max - min;
  return Beta{1.0 + 4.0 * (mode - min) / range, 1.0 + 4.0 * (max - mode) / range, min, range};
}

double Beta::sample(random::Stream& stream) const {
  return min + range * BetaSampler(alpha, beta)(stream);
}

void Beta::fill(random::Stream& stream, std::span<double> out) const {
  const BetaSampler draw(alpha, beta);
  for (double& x : out)
    x = min + range * draw(stream);
}

double Beta::quantile(double p) const {
  return quantile_within(p, min, min + range, [&](double level) {
    return min + range * boost::math::quantile(boost_beta(*this), level);
  });
}

double Beta::cdf(double x) const {
  const double t = (x - min) / range;
  if (t <= 0.0) return 0.0;
  if (t >= 1.0) return 1.0;
  return boost::math::cdf(boost_beta(*this), t);
}

double Beta::log_pdf(double x) const {
  const double t = (x - min) / range;
  if (std::isnan(t)) return t;
  if (t < 0.0 || t > 1.0) return -kInfinity;
  const double log_beta = boost::math::lgamma(alpha, Policy()) +
                          boost::math::lgamma(beta, Policy()) -
                          boost::math::lgamma(alpha + beta, Policy());
  return xlogy(alpha - 1.0, t) + xlog1py(beta - 1.0, -t) - log_beta - std::log(range);
}

double Beta::mean() const {
  return min + range * boost::math::mean(boost_beta(*this));
}

double Beta::variance() const {
  return range * range * boost::math::variance(boost_beta(*this));
}

}  // namespace darkfigure::distributions::detail
