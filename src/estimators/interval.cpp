#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

#include <boost/math/distributions/normal.hpp>

#include "darkfigure/core/text.hpp"
#include "darkfigure/estimators/estimate.hpp"

namespace darkfigure::estimators {
namespace {

/// In the order of IntervalMethod.
constexpr std::array<std::string_view, 4> kIntervalNames = {"wald", "lognormal", "profile",
                                                            "bootstrap"};

/// The standard normal quantile at (1 + level) / 2.
double two_sided_z(double level) {
  return boost::math::quantile(boost::math::normal_distribution<>(), (1.0 + level) / 2.0);
}

}  // namespace

std::string_view interval_name(IntervalMethod method) noexcept {
  return kIntervalNames[static_cast<std::size_t>(method)];
}

std::optional<IntervalMethod> find_interval(std::string_view name) noexcept {
  for (std::size_t i = 0; i < kIntervalNames.size(); ++i) {
    if (kIntervalNames[i] == name) return static_cast<IntervalMethod>(i);
  }
  return std::nullopt;
}

std::vector<std::string> interval_names() {
  return {kIntervalNames.begin(), kIntervalNames.end()};
}

void check_interval_settings(const IntervalSettings& settings) {
  if (!(settings.level > 0.0 && settings.level < 1.0)) {
    throw EstimationError("the interval's level is " + core::shortest_decimal(settings.level) +
                              ", but must be in (0, 1)",
                          "give a level such as 0.95");
  }
  if (settings.method == IntervalMethod::bootstrap && settings.resamples < 2) {
    throw EstimationError("the bootstrap has " + std::to_string(settings.resamples) +
                              " resamples, but needs at least 2",
                          "give resamples = " + std::to_string(kDefaultResamples));
  }
}

std::pair<double, double> wald_interval(double n_observed, double estimate, double se,
                                        double level) {
  const double half = two_sided_z(level) * se;
  return {std::max(n_observed, estimate - half), estimate + half};
}

std::pair<double, double> lognormal_interval(double n_observed, double estimate, double se,
                                             double level) {
  const double unseen = estimate - n_observed;
  if (!(unseen > 0.0)) return {n_observed, n_observed};
  if (std::isinf(unseen)) return {estimate, estimate};
  const double c =
      std::exp(two_sided_z(level) * std::sqrt(std::log1p(se * se / (unseen * unseen))));
  return {n_observed + unseen / c, n_observed + unseen * c};
}

std::pair<double, double> percentile_interval(std::vector<double> totals, double level) {
  if (totals.empty()) {
    constexpr double nan = std::numeric_limits<double>::quiet_NaN();
    return {nan, nan};
  }
  std::sort(totals.begin(), totals.end());
  const auto type7 = [&](double p) {
    const double h = p * static_cast<double>(totals.size() - 1);
    // An h within a few epsilon of a whole number is that number: rounding in p (n - 1) must
    // not reach for the next, perhaps infinite, total.
    const double fuzz = 4.0 * std::numeric_limits<double>::epsilon() * std::max(1.0, h);
    const double whole = std::floor(h + fuzz);
    const auto below = static_cast<std::size_t>(whole);
    const std::size_t above = std::min(below + 1, totals.size() - 1);
    const double fraction = std::abs(h - whole) < fuzz ? 0.0 : h - whole;
    if (fraction == 0.0 || totals[below] == totals[above]) return totals[below];
    // An infinite neighbour: R's (1 - h) x[j] + h x[j + 1] gives the infinity, not inf - inf.
    if (std::isinf(totals[below]) || std::isinf(totals[above]))
      return (1.0 - fraction) * totals[below] + fraction * totals[above];
    return totals[below] + fraction * (totals[above] - totals[below]);
  };
  return {type7((1.0 - level) / 2.0), type7((1.0 + level) / 2.0)};
}

}  // namespace darkfigure::estimators
