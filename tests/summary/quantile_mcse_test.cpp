// Monte Carlo standard errors of quantiles: the levels that bracket a quantile by one standard
// error, against the asymptotic standard error of a sample quantile and against the spread of
// independent estimates.

#include <algorithm>
#include <boost/math/distributions/normal.hpp>
#include <catch2/catch.hpp>
#include <cmath>
#include <random>
#include <vector>

#include "darkfigure/summary/summary.hpp"
#include "darkfigure/summary/weighted.hpp"

using darkfigure::summary::quantile_at;
using darkfigure::summary::quantile_mcse_levels;
using darkfigure::summary::summarise;
using darkfigure::summary::summarise_weighted;
using darkfigure::summary::Summary;
using darkfigure::summary::take_quantile_mcse;
using darkfigure::summary::with_mcse_levels;

namespace {

std::vector<double> normal_draws(std::size_t n, unsigned seed) {
  std::mt19937_64 generator(seed);
  std::normal_distribution<double> normal;
  std::vector<double> values(n);
  for (double& x : values)
    x = normal(generator);
  return values;
}

/// The standard error of the sample p-quantile of n standard normal draws as n grows:
/// sqrt(p (1 - p) / n) / phi(z_p).
double asymptotic_se(double p, double n) {
  const boost::math::normal_distribution<double> normal;
  return std::sqrt(p * (1.0 - p) / n) / boost::math::pdf(normal, boost::math::quantile(normal, p));
}

Summary with_mcse(const std::vector<double>& values, const std::vector<double>& levels) {
  const double ess = static_cast<double>(values.size());
  Summary summary = summarise(values, with_mcse_levels(levels, ess));
  take_quantile_mcse(summary, levels, ess);
  return summary;
}

}  // namespace

TEST_CASE("the bracketing levels are one binomial standard error either side of the level") {
  for (const double ess : {1e3, 1e5, 1e7}) {
    for (const double p : {0.025, 0.1, 0.5, 0.9, 0.975}) {
      CAPTURE(ess, p);
      const auto [below, above] = quantile_mcse_levels(p, ess);
      CHECK(below < p);
      CHECK(above > p);
      // Beta(S p + 1, S (1 - p) + 1) has standard deviation about sqrt(p (1 - p) / S), and
      // its 15.87% and 84.13% quantiles lie one standard deviation apart either side.
      const double sd = std::sqrt(p * (1.0 - p) / ess);
      CHECK((above - below) / 2.0 == Approx(sd).epsilon(4.0 / std::sqrt(ess * p * (1 - p))));
    }
  }
  const auto [below, above] = quantile_mcse_levels(0.5, 400.0);
  CHECK(below + above == Approx(1.0).epsilon(1e-12));
}

TEST_CASE("quantile standard errors of a million normal draws match the asymptotic ones") {
  const std::size_t n = 1'000'000;
  const std::vector<double> values = normal_draws(n, 20261126);
  const std::vector<double> levels = {0.025, 0.5, 0.975};
  const Summary summary = with_mcse(values, levels);
  REQUIRE(summary.levels == levels);
  REQUIRE(summary.quantile_mcse.size() == 3);
  for (std::size_t i = 0; i < levels.size(); ++i) {
    const double p = levels[i];
    CAPTURE(p, summary.quantile_mcse[i]);
    // The estimate is half the distance between order statistics k = 2 sqrt(n p (1 - p)) ranks
    // apart, whose relative standard deviation is about 1 / sqrt(k).
    const double k = 2.0 * std::sqrt(static_cast<double>(n) * p * (1.0 - p));
    const double expected = asymptotic_se(p, static_cast<double>(n));
    CHECK(std::abs(summary.quantile_mcse[i] / expected - 1.0) < 4.0 / std::sqrt(k));
  }
}

TEST_CASE("the quantile standard error matches the spread of independent medians") {
  // 1000 samples of 2000 normal draws: the standard deviation of their medians estimates the
  // median's standard error with relative error 1 / sqrt(2 x 999); the mean of the estimated
  // errors has a relative error of about 1 / sqrt(k x 1000), k = 2 sqrt(2000 / 4) = 45.
  constexpr int kSamples = 1000;
  std::vector<double> medians;
  double mean_mcse = 0.0;
  for (int s = 0; s < kSamples; ++s) {
    const Summary summary = with_mcse(normal_draws(2000, 7000u + static_cast<unsigned>(s)), {0.5});
    medians.push_back(summary.quantiles[0]);
    mean_mcse += summary.quantile_mcse[0] / kSamples;
  }
  double mean = 0.0;
  for (const double m : medians)
    mean += m / kSamples;
  double squares = 0.0;
  for (const double m : medians)
    squares += (m - mean) * (m - mean);
  const double spread = std::sqrt(squares / (kSamples - 1));
  const double tolerance =
      4.0 * std::hypot(1.0 / std::sqrt(2.0 * (kSamples - 1)), 1.0 / std::sqrt(45.0 * kSamples));
  CAPTURE(spread, mean_mcse);
  CHECK(std::abs(mean_mcse / spread - 1.0) < tolerance);
}

TEST_CASE("take_quantile_mcse keeps the requested levels and their quantiles") {
  const std::vector<double> values = normal_draws(10'000, 3);
  const std::vector<double> levels = {0.1, 0.5};
  const auto extended = with_mcse_levels(levels, 10'000.0);
  CHECK(std::is_sorted(extended.begin(), extended.end()));
  CHECK(extended.size() == 6);
  Summary summary = summarise(values, extended);
  const double median = quantile_at(summary, 0.5);
  take_quantile_mcse(summary, levels, 10'000.0);
  CHECK(summary.levels == levels);
  CHECK(summary.quantiles.size() == 2);
  CHECK(summary.quantile_error.size() == 2);
  CHECK(summary.quantiles[1] == median);
  CHECK(summary.quantile_mcse[0] > 0.0);

  // Without an effective sample size there is no standard error.
  Summary none = summarise(values, levels);
  take_quantile_mcse(none, levels, 0.0);
  CHECK(std::isnan(none.quantile_mcse[0]));
}

TEST_CASE("equal weights give the quantile standard errors of unweighted draws") {
  const std::vector<double> values = normal_draws(20'000, 11);
  const std::vector<double> weights(values.size(), 0.25);
  const std::vector<double> levels = {0.05, 0.5, 0.95};
  const double ess = darkfigure::summary::effective_sample_size(weights);
  CHECK(ess == Approx(20'000.0).epsilon(1e-12));
  Summary weighted = summarise_weighted(values, weights, with_mcse_levels(levels, ess));
  take_quantile_mcse(weighted, levels, ess);
  const Summary plain = with_mcse(values, levels);
  for (std::size_t i = 0; i < levels.size(); ++i)
    CHECK(weighted.quantile_mcse[i] == Approx(plain.quantile_mcse[i]).epsilon(1e-9));
}
