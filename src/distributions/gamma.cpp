#include <cmath>

#include <boost/math/distributions/gamma.hpp>
#include <boost/math/special_functions/gamma.hpp>

#include "distributions/catalogue.hpp"
#include "distributions/math.hpp"
#include "distributions/samplers.hpp"

namespace darkfigure::distributions::detail {
namespace {

boost::math::gamma_distribution<double, Policy> boost_gamma(const Gamma& d) {
  return {d.shape, d.scale};
}

}  // namespace

Parameters make_gamma(const Arguments& arguments) {
  return Gamma{arguments.positive(0), arguments.positive(1)};
}

double Gamma::sample(random::Stream& stream) const {
  return scale * GammaSampler(shape).draw(stream);
}

void Gamma::fill(random::Stream& stream, std::span<double> out) const {
  const GammaSampler gamma(shape);
  for (double& x : out)
    x = scale * gamma.draw(stream);
}

double Gamma::quantile(double p) const {
  return quantile_within(p, 0.0, kInfinity, [&](double level) {
    return boost::math::quantile(boost_gamma(*this), level);
  });
}

double Gamma::cdf(double x) const {
  if (x <= 0.0) return 0.0;
  if (x == kInfinity) return 1.0;
  return boost::math::cdf(boost_gamma(*this), x);
}

double Gamma::log_pdf(double x) const {
  if (std::isnan(x)) return x;
  if (x < 0.0 || x == kInfinity) return -kInfinity;
  const double t = x / scale;
  return xlogy(shape - 1.0, t) - t - boost::math::lgamma(shape, Policy()) - std::log(scale);
}

double Gamma::mean() const {
  return boost::math::mean(boost_gamma(*this));
}

double Gamma::variance() const {
  return boost::math::variance(boost_gamma(*this));
}

}  // namespace darkfigure::distributions::detail
