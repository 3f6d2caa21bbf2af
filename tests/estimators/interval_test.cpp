#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "darkfigure/estimators/estimate.hpp"

using darkfigure::estimators::find_interval;
using darkfigure::estimators::interval_name;
using darkfigure::estimators::interval_names;
using darkfigure::estimators::IntervalMethod;
using darkfigure::estimators::lognormal_interval;
using darkfigure::estimators::percentile_interval;
using darkfigure::estimators::wald_interval;

namespace {

/// qnorm(0.975) in R, to 17 digits.
constexpr double kZ95 = 1.9599639845400536;
constexpr double kInfinity = std::numeric_limits<double>::infinity();

}  // namespace

TEST_CASE("interval names round-trip in the order of IntervalMethod") {
  const std::vector<std::string> names = interval_names();
  REQUIRE(names == std::vector<std::string>{"wald", "lognormal", "profile", "bootstrap"});
  for (const std::string& name : names)
    CHECK(interval_name(*find_interval(name)) == name);
  CHECK_FALSE(find_interval("percentile").has_value());
}

TEST_CASE("the wald interval is the estimate -/+ z se, its lower end kept at n_observed") {
  SECTION("symmetric away from n_observed") {
    const auto [lower, upper] = wald_interval(1000.0, 2000.0, 100.0, 0.95);
    CHECK(lower == Approx(2000.0 - kZ95 * 100.0).epsilon(1e-14));
    CHECK(upper == Approx(2000.0 + kZ95 * 100.0).epsilon(1e-14));
    CHECK(upper - 2000.0 == Approx(2000.0 - lower).epsilon(1e-14));
  }
  SECTION("clamped at n_observed") {
    const auto [lower, upper] = wald_interval(1000.0, 1050.0, 100.0, 0.95);
    CHECK(lower == 1000.0);
    CHECK(upper == Approx(1050.0 + kZ95 * 100.0).epsilon(1e-14));
  }
  SECTION("the level sets z: 0.90 gives qnorm(0.95)") {
    const auto [lower, upper] = wald_interval(0.0, 10.0, 1.0, 0.90);
    CHECK(upper - 10.0 == Approx(1.6448536269514722).epsilon(1e-14));
    CHECK(10.0 - lower == Approx(1.6448536269514722).epsilon(1e-14));
  }
}

TEST_CASE("the lognormal interval is n + f0 / C to n + f0 C (Chao 1987)") {
  const double n = 500.0;
  const double estimate = 800.0;
  const double se = 120.0;
  const double unseen = estimate - n;
  const double c = std::exp(kZ95 * std::sqrt(std::log(1.0 + se * se / (unseen * unseen))));
  const auto [lower, upper] = lognormal_interval(n, estimate, se, 0.95);
  CHECK(lower == Approx(n + unseen / c).epsilon(1e-13));
  CHECK(upper == Approx(n + unseen * c).epsilon(1e-13));
  // f0 is the geometric mean of the ends' unseen counts: the interval is symmetric on the log
  // scale of the unseen count, and so never reaches below n.
  CHECK((lower - n) * (upper - n) == Approx(unseen * unseen).epsilon(1e-12));
  CHECK(lower > n);

  SECTION("no unseen count gives the point n_observed") {
    const auto [at_lower, at_upper] = lognormal_interval(n, n, 0.0, 0.95);
    CHECK(at_lower == n);
    CHECK(at_upper == n);
  }
}

TEST_CASE("the percentile interval takes R's type 7 quantiles") {
  // Values from R: quantile(1:10, c(0.05, 0.95)), quantile(c(3, 1, 4, 1, 5, 9, 2, 6),
  // c(0.25, 0.75)) and quantile(c(2.5, -1, 7), c(0.025, 0.975)).
  std::vector<double> one_to_ten;
  for (int i = 10; i >= 1; --i)
    one_to_ten.push_back(i);
  auto [lower, upper] = percentile_interval(one_to_ten, 0.90);
  CHECK(lower == Approx(1.45).epsilon(1e-14));
  CHECK(upper == Approx(9.55).epsilon(1e-14));

  std::tie(lower, upper) = percentile_interval({3, 1, 4, 1, 5, 9, 2, 6}, 0.5);
  CHECK(lower == Approx(1.75).epsilon(1e-14));
  CHECK(upper == Approx(5.25).epsilon(1e-14));

  std::tie(lower, upper) = percentile_interval({2.5, -1.0, 7.0}, 0.95);
  CHECK(lower == Approx(-0.825).epsilon(1e-14));
  CHECK(upper == Approx(6.775).epsilon(1e-14));

  SECTION("infinite totals: a quantile on or next to one is infinite, never NaN") {
    // R: quantile(c(1:9, Inf), c(0.05, 0.95)) is 1.45, Inf; quantile(c(1, 2, Inf, Inf),
    // c(0.25, 0.75)) is 1.75, Inf; quantile(c(1:20, Inf), c(0.05, 0.95)) is 2, 20.
    std::vector<double> totals = {1, 2, 3, 4, 5, 6, 7, 8, 9, kInfinity};
    std::tie(lower, upper) = percentile_interval(totals, 0.90);
    CHECK(lower == Approx(1.45).epsilon(1e-14));
    CHECK(upper == kInfinity);
    std::tie(lower, upper) = percentile_interval({kInfinity, 1, kInfinity, 2}, 0.5);
    CHECK(lower == Approx(1.75).epsilon(1e-14));
    CHECK(upper == kInfinity);
    totals.clear();
    for (int i = 1; i <= 20; ++i)
      totals.push_back(i);
    totals.push_back(kInfinity);
    // h = 0.95 * 20 = 19 exactly: the quantile is x[20] itself, not x[20] + 0 * inf.
    std::tie(lower, upper) = percentile_interval(totals, 0.90);
    CHECK(lower == Approx(2).epsilon(1e-14));
    CHECK(upper == 20);
    totals[19] = kInfinity;
    std::tie(lower, upper) = percentile_interval(totals, 0.90);
    CHECK(upper == kInfinity);
    std::tie(lower, upper) = percentile_interval({kInfinity, kInfinity}, 0.95);
    CHECK(lower == kInfinity);
    CHECK(upper == kInfinity);
  }

  SECTION("one value is both ends; none gives NaN") {
    std::tie(lower, upper) = percentile_interval({4.0}, 0.95);
    CHECK(lower == 4.0);
    CHECK(upper == 4.0);
    std::tie(lower, upper) = percentile_interval({}, 0.95);
    CHECK(std::isnan(lower));
    CHECK(std::isnan(upper));
  }
}

TEST_CASE("a percentile level that rounds past a whole position keeps the total there") {
  // 942 finite totals, then infinite ones: the 47.05% point of 2001 totals is position 941
  // exactly, which 0.4705 * 2000 = 941.0000000000001 in doubles must not push onto infinity.
  std::vector<double> totals(2001, kInfinity);
  for (std::size_t i = 0; i < 942; ++i)
    totals[i] = 1000.0 + static_cast<double>(i);
  const auto [lower, upper] = percentile_interval(totals, 0.059);
  CHECK(lower == 1941.0);
  CHECK(upper == kInfinity);
}
