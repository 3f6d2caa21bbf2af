#include "darkfigure/summary/weighted.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <numbers>
#include <numeric>
#include <random>
#include <span>
#include <stdexcept>
#include <vector>

#include "darkfigure/summary/summary.hpp"
#include "reference.hpp"

using darkfigure::summary::effective_sample_size;
using darkfigure::summary::summarise;
using darkfigure::summary::summarise_weighted;
using darkfigure::summary::Summary;
using darkfigure::summary::testing::kManyLevels;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();
/// The unit roundoff u: a rounded operation is within a relative u of its exact result.
constexpr double kUnit = std::numeric_limits<double>::epsilon() / 2;

bool same_bits(double a, double b) {
  return std::memcmp(&a, &b, sizeof a) == 0;
}

/// Every field but non_finite has the same bits.
void check_same_statistics(const Summary& actual, const Summary& expected) {
  CHECK(actual.count == expected.count);
  CHECK(same_bits(actual.mean, expected.mean));
  CHECK(same_bits(actual.sd, expected.sd));
  CHECK(same_bits(actual.mcse_mean, expected.mcse_mean));
  CHECK(same_bits(actual.min, expected.min));
  CHECK(same_bits(actual.max, expected.max));
  CHECK(same_bits(actual.ess, expected.ess));
  CHECK(actual.levels == expected.levels);
  REQUIRE(actual.quantiles.size() == expected.quantiles.size());
  for (std::size_t i = 0; i < actual.quantiles.size(); ++i) {
    CAPTURE(i, actual.quantiles[i], expected.quantiles[i]);
    CHECK(same_bits(actual.quantiles[i], expected.quantiles[i]));
  }
}

/// The density of N(mean, sd^2) at x.
double normal_density(double x, double mean, double sd) {
  const double z = (x - mean) / sd;
  return std::exp(-z * z / 2) / (sd * std::sqrt(2 * std::numbers::pi));
}

/// Draws from the proposal N(0, 1) and their importance weights for the target N(0.5, 0.8^2).
struct ImportanceSample {
  std::vector<double> values;
  std::vector<double> weights;
};

constexpr double kTargetMean = 0.5;
constexpr double kTargetSd = 0.8;

ImportanceSample importance_sample(std::size_t n, std::uint64_t seed) {
  std::mt19937_64 generator(seed);
  std::normal_distribution<double> proposal(0.0, 1.0);
  ImportanceSample sample;
  sample.values.resize(n);
  sample.weights.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    const double x = proposal(generator);
    sample.values[i] = x;
    sample.weights[i] = normal_density(x, kTargetMean, kTargetSd) / normal_density(x, 0.0, 1.0);
  }
  return sample;
}

// The hand-worked example. Sorted by value, the draws and their normalised weights (sum 8) are
//   x:  0    2    3    5
//   v:  1/8  1/8  1/4  1/2
// mean = 2/8 + 3/4 + 5/2 = 7/2; deviations -7/2, -3/2, -1/2, 3/2;
// sum v d^2 = 49/32 + 9/32 + 1/16 + 9/8 = 3; sum v^2 = (1 + 1 + 4 + 16) / 64 = 11/32;
// sd^2 = 3 / (1 - 11/32) = 32/7; mcse^2 = sum v^2 d^2 = (49/4 + 9/4 + 1 + 36) / 64 = 103/128;
// ess = 1 / sum v^2 = 32/11.
// Positions c = S + v/2: 1/16, 3/16, 6/16, 12/16; rescaled to [0, 1] by (c - 1/16) / (11/16):
//   u:  0    2/11  5/11  1
// p = 0.001: 0 + (0.011 / 2) * 2 = 0.011;  p = 0.1: (1.1 / 2) * 2 = 1.1;
// p = 0.25: 2 + (2.75 - 2) / 3 * 1 = 2.25;  p = 0.5: 3 + (5.5 - 5) / 6 * 2 = 19/6;
// p = 0.9: 3 + (9.9 - 5) / 6 * 2 = 139/30;  p = 0 and 1: the smallest and largest values.
const std::vector<double> kHandValues = {3.0, 0.0, 5.0, 2.0};
const std::vector<double> kHandWeights = {2.0, 1.0, 4.0, 1.0};
const std::vector<double> kHandLevels = {0.0, 0.001, 0.1, 0.25, 0.5, 0.9, 1.0};
const std::vector<double> kHandQuantiles = {0.0, 0.011, 1.1, 2.25, 19.0 / 6.0, 139.0 / 30.0, 5.0};

// Bound on the error of the hand-worked quantiles. In rank units (u scaled by n - 1 = 3) the
// level h and the positions are at most 3, each within two roundings: 6u. Neighbouring positions
// are at least 3 * 2/11 = 6/11 apart, so the interpolation fraction is off by at most
// 12u / (6/11) from its numerator, 12u / (6/11) relative from its denominator, and u from its
// own rounding: 45u. Times the widest gap between values, 2, that is 90u; the linear
// interpolation itself rounds by at most 2u |q| <= 10u.
constexpr double kHandQuantileTolerance = 100 * kUnit;

}  // namespace

TEST_CASE("weighted summary: equal weights reproduce the unweighted summary") {
  std::mt19937_64 generator(20240612);
  std::normal_distribution<double> normal(3.0, 2.0);
  for (const std::size_t n : {1u, 2u, 3u, 5u, 10u, 37u, 1000u, 4096u}) {
    for (const double weight : {3.7, 1e-300, 1e300}) {
      std::vector<double> values(n);
      for (double& x : values)
        x = normal(generator);
      const std::vector<double> weights(n, weight);
      const Summary expected = summarise(values, kManyLevels);
      const Summary summary = summarise_weighted(values, weights, kManyLevels);
      CAPTURE(n, weight);
      CHECK(summary.count == n);
      CHECK(summary.non_finite == 0);
      CHECK(summary.levels == kManyLevels);
      CHECK(summary.min == expected.min);
      CHECK(summary.max == expected.max);
      CHECK_FALSE(summary.binned);
      // With equal weights the positions are exactly 0, 1, ..., n - 1: type 7 to the last bit.
      REQUIRE(summary.quantiles.size() == kManyLevels.size());
      for (std::size_t i = 0; i < kManyLevels.size(); ++i) {
        CAPTURE(kManyLevels[i], summary.quantiles[i], expected.quantiles[i]);
        CHECK(same_bits(summary.quantiles[i], expected.quantiles[i]));
        CHECK(summary.quantile_error[i] == 0.0);
      }

      // ess = (n w)^2 / (n w^2): the sum, the sum of squares, the square of w, the square of the
      // sum and the quotient round once each, the squared sum's error counting twice: 6u, and
      // 8u leaves room for the second-order terms.
      const double count = static_cast<double>(n);
      CAPTURE(summary.ess);
      CHECK(std::abs(summary.ess - count) <= 8 * kUnit * count);

      // The unweighted mean sums n/4 deviations from the first value per lane (Moments::of) and is
      // within (n/4 + 4) u a + u |mean| of the exact mean, a the mean absolute deviation from the
      // first value; the weighted one rounds each deviation, its product with the weight and
      // its quotient by the total weight, within 5u a + u |mean|.
      double spread = 0.0;
      for (const double x : values)
        spread += std::abs(x - values[0]);
      spread /= count;
      const double mean_tolerance =
          ((count / 4 + 10) * spread + 2 * std::abs(expected.mean)) * kUnit;
      CAPTURE(summary.mean, expected.mean, mean_tolerance);
      CHECK(std::abs(summary.mean - expected.mean) <= mean_tolerance);

      if (n == 1) {
        CHECK(std::isnan(summary.sd));
        CHECK(std::isnan(summary.mcse_mean));
        continue;
      }
      // The unweighted sum of squares adds n/4 + 2 terms per lane, each within 3u: relative
      // (n/4 + 5) u, then the n - 1 division and the square root: (n/8 + 3.5) u for the sd.
      // The weighted sd: each term w d^2 within 6u, the compensated sums within u, the total
      // weight, the cross sum, the product and the quotient: 14u for the variance, 8u for
      // the sd.
      const double sd_tolerance = (count / 8 + 12) * kUnit * expected.sd;
      CAPTURE(summary.sd, expected.sd, sd_tolerance);
      CHECK(std::abs(summary.sd - expected.sd) <= sd_tolerance);

      // With v = 1/n: mcse^2 = sum d^2 / n^2 = sd^2 (n - 1) / n^2. The sd is within 8u of its
      // exact value (above), the mcse within 6.5u (each (w d)^2 within 7u, the sum u, halved by
      // the square root, plus the root, the total weight and the quotient), and the right-hand
      // side adds three roundings: 17.5u.
      const double mcse_from_sd = summary.sd * std::sqrt(count - 1) / count;
      const double mcse_tolerance = 18 * kUnit * mcse_from_sd;
      CAPTURE(summary.mcse_mean, mcse_from_sd, mcse_tolerance);
      CHECK(std::abs(summary.mcse_mean - mcse_from_sd) <= mcse_tolerance);
    }
  }
}

TEST_CASE("weighted summary: equal weights give type-7 quantiles of a large column to the bit") {
  std::mt19937_64 generator(77);
  std::lognormal_distribution<double> skewed(0.0, 1.0);
  std::vector<double> values(200'003);
  for (double& x : values)
    x = skewed(generator);
  const std::vector<double> weights(values.size(), 0.37);
  const Summary expected = summarise(values, kManyLevels);
  const Summary summary = summarise_weighted(values, weights, kManyLevels);
  REQUIRE(summary.quantiles.size() == kManyLevels.size());
  for (std::size_t i = 0; i < kManyLevels.size(); ++i) {
    CAPTURE(kManyLevels[i], summary.quantiles[i], expected.quantiles[i]);
    CHECK(same_bits(summary.quantiles[i], expected.quantiles[i]));
  }
}

TEST_CASE("weighted summary: a hand-worked example of four draws") {
  const Summary summary = summarise_weighted(kHandValues, kHandWeights, kHandLevels);
  CHECK(summary.count == 4);
  CHECK(summary.non_finite == 0);
  CHECK(summary.min == 0.0);
  CHECK(summary.max == 5.0);
  // Every sum is of a few short dyadic rationals, so exact; the mean takes one exact quotient.
  CHECK(summary.mean == 3.5);
  // Only the last quotient and the square root round: the variance within u, its root within
  // u/2 + u/2. The same holds for the mcse (its root and one division) and for the ess (one
  // quotient, at most one more rounding of its numerator).
  const double expected_sd = std::sqrt(32.0 / 7.0);
  const double expected_mcse = std::sqrt(103.0 / 128.0);
  const double expected_ess = 32.0 / 11.0;
  CAPTURE(summary.sd, expected_sd, summary.mcse_mean, expected_mcse, summary.ess, expected_ess);
  CHECK(std::abs(summary.sd - expected_sd) <= 2 * kUnit * expected_sd);
  CHECK(std::abs(summary.mcse_mean - expected_mcse) <= 2 * kUnit * expected_mcse);
  CHECK(std::abs(summary.ess - expected_ess) <= 2 * kUnit * expected_ess);
  CHECK(summary.levels == kHandLevels);
  REQUIRE(summary.quantiles.size() == kHandQuantiles.size());
  for (std::size_t i = 0; i < kHandQuantiles.size(); ++i) {
    CAPTURE(kHandLevels[i], summary.quantiles[i], kHandQuantiles[i]);
    CHECK(std::abs(summary.quantiles[i] - kHandQuantiles[i]) <= kHandQuantileTolerance);
    CHECK(summary.quantile_error[i] == 0.0);
  }
  CHECK(summary.quantiles.front() == 0.0);
  CHECK(summary.quantiles.back() == 5.0);
}

TEST_CASE("weighted summary: unsorted levels come back ascending with their quantiles") {
  const std::vector<double> levels = {0.9, 0.001, 0.5, 0.25};
  const Summary summary = summarise_weighted(kHandValues, kHandWeights, levels);
  CHECK(summary.levels == std::vector<double>{0.001, 0.25, 0.5, 0.9});
  const std::vector<double> expected = {0.011, 2.25, 19.0 / 6.0, 139.0 / 30.0};
  REQUIRE(summary.quantiles.size() == expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    CAPTURE(summary.levels[i], summary.quantiles[i], expected[i]);
    CHECK(std::abs(summary.quantiles[i] - expected[i]) <= kHandQuantileTolerance);
  }
}

TEST_CASE("weighted summary: a single positive weight gives that draw at every level") {
  const std::vector<double> values = {1.0, 2.0, 3.0, kNaN};
  const std::vector<double> weights = {0.0, 5.0, 0.0, 0.0};
  const std::vector<double> levels = {0.5, 0.001, 1.0, 0.0};
  const Summary summary = summarise_weighted(values, weights, levels);
  CHECK(summary.count == 1);
  CHECK(summary.non_finite == 0);
  CHECK(summary.mean == 2.0);
  CHECK(std::isnan(summary.sd));
  CHECK(std::isnan(summary.mcse_mean));
  CHECK(summary.min == 2.0);
  CHECK(summary.max == 2.0);
  CHECK(summary.ess == 1.0);
  CHECK(summary.levels == std::vector<double>{0.0, 0.001, 0.5, 1.0});
  CHECK(summary.quantiles == std::vector<double>{2.0, 2.0, 2.0, 2.0});
}

TEST_CASE("weighted summary: zero-weight draws are left out and non-finite draws counted") {
  const std::vector<double> values = {2.5, -1.0, 4.0, 7.25, 0.5, 4.0};
  const std::vector<double> weights = {0.3, 1.2, 0.7, 2.0, 0.05, 0.1};
  const Summary expected = summarise_weighted(values, weights, kManyLevels);
  REQUIRE(expected.count == 6);

  SECTION("draws of weight 0 change nothing, whatever their value") {
    const std::vector<double> with_zeros = {9.0,  2.5,   -1.0, kNaN, 4.0,
                                            7.25, -kInf, 0.5,  4.0,  1e300};
    const std::vector<double> zero_weights = {0.0, 0.3, 1.2, 0.0, 0.7, 2.0, 0.0, 0.05, 0.1, 0.0};
    const Summary summary = summarise_weighted(with_zeros, zero_weights, kManyLevels);
    CHECK(summary.non_finite == 0);
    check_same_statistics(summary, expected);
  }
  SECTION("non-finite draws of positive weight are counted and excluded") {
    const std::vector<double> with_non_finite = {kNaN, 2.5, -1.0, kInf, 4.0, 7.25, 0.5, -kInf, 4.0};
    const std::vector<double> positive_weights = {1.5, 0.3, 1.2, 0.2, 0.7, 2.0, 0.05, 3.0, 0.1};
    const Summary summary = summarise_weighted(with_non_finite, positive_weights, kManyLevels);
    CHECK(summary.non_finite == 3);
    check_same_statistics(summary, expected);
  }
}

TEST_CASE("weighted summary: without draws of positive weight every statistic is NaN") {
  const std::vector<double> levels = {0.025, 0.975};
  const std::vector<double> values = {1.0, kNaN, kInf, 2.0};
  const std::vector<double> weights = {0.0, 2.0, 1.0, 0.0};
  const Summary summary = summarise_weighted(values, weights, levels);
  CHECK(summary.count == 0);
  CHECK(summary.non_finite == 2);
  CHECK(std::isnan(summary.mean));
  CHECK(std::isnan(summary.sd));
  CHECK(std::isnan(summary.mcse_mean));
  CHECK(std::isnan(summary.min));
  CHECK(std::isnan(summary.max));
  CHECK(summary.ess == 0.0);
  REQUIRE(summary.quantiles.size() == 2);
  CHECK(std::isnan(summary.quantiles[0]));
  CHECK(std::isnan(summary.quantiles[1]));

  const Summary nothing = summarise_weighted({}, {}, levels);
  CHECK(nothing.count == 0);
  CHECK(nothing.non_finite == 0);
  CHECK(std::isnan(nothing.mean));
  CHECK(std::isnan(nothing.quantiles[1]));
}

TEST_CASE("weighted summary: quantiles depend on the draws, not on their order") {
  // Few distinct values, so that many draws tie and are ordered by their weights.
  std::mt19937_64 generator(5150);
  std::uniform_int_distribution<int> few_values(-4, 4);
  std::exponential_distribution<double> spread_weights(1.0);
  std::vector<double> values(10'000);
  std::vector<double> weights(values.size());
  for (std::size_t i = 0; i < values.size(); ++i) {
    values[i] = static_cast<double>(few_values(generator)) / 4;
    weights[i] = spread_weights(generator);
  }
  std::vector<std::size_t> order(values.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::shuffle(order.begin(), order.end(), generator);
  std::vector<double> shuffled_values;
  std::vector<double> shuffled_weights;
  for (const std::size_t i : order) {
    shuffled_values.push_back(values[i]);
    shuffled_weights.push_back(weights[i]);
  }
  const Summary first = summarise_weighted(values, weights, kManyLevels);
  const Summary again = summarise_weighted(values, weights, kManyLevels);
  const Summary reordered = summarise_weighted(shuffled_values, shuffled_weights, kManyLevels);
  check_same_statistics(again, first);
  CHECK(reordered.min == first.min);
  CHECK(reordered.max == first.max);
  REQUIRE(reordered.quantiles.size() == first.quantiles.size());
  for (std::size_t i = 0; i < first.quantiles.size(); ++i) {
    CAPTURE(kManyLevels[i], first.quantiles[i], reordered.quantiles[i]);
    CHECK(same_bits(first.quantiles[i], reordered.quantiles[i]));
  }
}

TEST_CASE("weighted summary: effective sample size") {
  CHECK(effective_sample_size(std::vector<double>{1.0, 1.0, 1.0, 1.0}) == 4.0);
  CHECK(effective_sample_size(std::vector<double>{1.0, 0.0, 0.0}) == 1.0);
  // 36/14 and the sums 6 and 14, or any power-of-two multiple of them, round once: to one double.
  CHECK(effective_sample_size(std::vector<double>{1.0, 2.0, 3.0}) == 36.0 / 14.0);
  CHECK(effective_sample_size(std::vector<double>{0.0, 0.0}) == 0.0);
  CHECK(effective_sample_size(std::vector<double>{}) == 0.0);

  std::mt19937_64 generator(31);
  std::lognormal_distribution<double> skewed(0.0, 2.0);
  std::vector<double> weights(1000);
  for (double& w : weights)
    w = skewed(generator);
  const double ess = effective_sample_size(weights);
  CHECK(ess > 1.0);
  CHECK(ess < 1000.0);
  // Scaling by a power of two is exact, even to the edges of the range of doubles.
  for (const double power : {0x1p-1000, 0x1p-3, 0x1p900}) {
    std::vector<double> scaled = weights;
    for (double& w : scaled)
      w *= power;
    CHECK(same_bits(effective_sample_size(scaled), ess));
  }
  // Any other factor rounds each weight by at most u, which moves (sum w)^2 by 2u and sum w^2 by
  // 2u; with the ess's own rounding on either side (6u each), 16u in all.
  std::vector<double> scaled = weights;
  for (double& w : scaled)
    w *= 3.7;
  const double scaled_ess = effective_sample_size(scaled);
  CAPTURE(ess, scaled_ess);
  CHECK(std::abs(scaled_ess - ess) <= 16 * kUnit * ess);
}

TEST_CASE("weighted summary: bad weights and mismatched lengths throw") {
  const std::vector<double> values = {1.0, 2.0};
  const std::vector<double> levels = {0.5};
  const auto summarise_with = [&](std::vector<double> weights) {
    return summarise_weighted(values, weights, levels);
  };
  CHECK_THROWS_AS(summarise_with({1.0}), std::invalid_argument);
  CHECK_THROWS_AS(summarise_with({1.0, 2.0, 3.0}), std::invalid_argument);
  CHECK_THROWS_AS(summarise_with({1.0, -0.5}), std::invalid_argument);
  CHECK_THROWS_AS(summarise_with({kNaN, 1.0}), std::invalid_argument);
  CHECK_THROWS_AS(summarise_with({1.0, kInf}), std::invalid_argument);
  CHECK_NOTHROW(summarise_with({0.0, 0.0}));
  CHECK_THROWS_AS(effective_sample_size(std::vector<double>{1.0, -1.0}), std::invalid_argument);
  CHECK_THROWS_AS(effective_sample_size(std::vector<double>{kNaN}), std::invalid_argument);
  CHECK_THROWS_AS(effective_sample_size(std::vector<double>{kInf}), std::invalid_argument);
}

TEST_CASE("weighted summary: importance weights recover the target's mean, sd and quantiles") {
  // Draws from N(0, 1) weighted by the density ratio of N(0.5, 0.8^2): the weights are bounded,
  // since the target is narrower than the proposal.
  const ImportanceSample sample = importance_sample(200'000, 8'675'309);
  const std::vector<double> levels = {0.025, 0.5, 0.975};
  const Summary summary = summarise_weighted(sample.values, sample.weights, levels);
  const double ess = summary.ess;
  CAPTURE(ess, summary.mean, summary.mcse_mean, summary.sd);
  CHECK(ess == effective_sample_size(sample.weights));
  CHECK(ess > 0.5 * 200'000);

  // Each estimate within 4 of its standard errors: a normal deviate beyond 4 has probability
  // 6e-5.
  CHECK(std::abs(summary.mean - kTargetMean) <= 4 * summary.mcse_mean);
  // The sd of n normal draws has standard error sd / sqrt(2 n); ESS stands in for n.
  const double sd_error = kTargetSd / std::sqrt(2 * ess);
  CHECK(std::abs(summary.sd - kTargetSd) <= 4 * sd_error);
  // A p-quantile q has standard error sqrt(p (1 - p) / n) / f(q), f the target density.
  constexpr double kZ975 = 1.959963984540054;  // the 0.975 quantile of N(0, 1)
  const std::vector<double> z = {-kZ975, 0.0, kZ975};
  for (std::size_t i = 0; i < levels.size(); ++i) {
    const double p = levels[i];
    const double q = kTargetMean + kTargetSd * z[i];
    const double error = std::sqrt(p * (1 - p) / ess) / normal_density(q, kTargetMean, kTargetSd);
    CAPTURE(p, summary.quantiles[i], q, error);
    CHECK(std::abs(summary.quantiles[i] - q) <= 4 * error);
  }
}

TEST_CASE("weighted summary: the mcse of the mean matches the spread of replicate means") {
  // Replicate runs of the importance sampler: the sd of their weighted means is what mcse_mean
  // estimates. Means of 2000 draws are close to normal, and the sample sd of R normal values
  // has standard error sd / sqrt(2 (R - 1)); the average reported mcse varies far less.
  constexpr std::size_t kReplicates = 200;
  constexpr std::size_t kDraws = 2000;
  std::vector<double> means;
  double mcse_total = 0.0;
  for (std::size_t r = 0; r < kReplicates; ++r) {
    const ImportanceSample sample = importance_sample(kDraws, 1'000 + r);
    const Summary summary = summarise_weighted(sample.values, sample.weights, {});
    means.push_back(summary.mean);
    mcse_total += summary.mcse_mean;
  }
  const double replicates = static_cast<double>(kReplicates);
  const double average_mcse = mcse_total / replicates;
  const double grand_mean = std::accumulate(means.begin(), means.end(), 0.0) / replicates;
  double squares = 0.0;
  for (const double m : means)
    squares += (m - grand_mean) * (m - grand_mean);
  const double spread = std::sqrt(squares / (replicates - 1));
  const double tolerance = 4 * average_mcse / std::sqrt(2 * (replicates - 1));
  CAPTURE(spread, average_mcse, tolerance);
  CHECK(std::abs(spread - average_mcse) <= tolerance);
}

TEST_CASE("weighted summary: values more than the largest double apart keep their mean") {
  // x - x_0 overflows, so the mean is a sum of shares w x / sum w: here quarters of +-a, which
  // are exact, as is their mean a / 2; the compensated sum is within u of it. The deviations
  // are finite but their squares are not, so the sd is infinite, as in summarise().
  const double a = 1e308;
  const std::vector<double> levels = {0.5};
  const std::vector<double> spread = {a, a, a, -a};
  const Summary summary = summarise_weighted(spread, std::vector<double>(4, 1.0), levels);
  CAPTURE(summary.mean, summary.sd);
  CHECK(std::abs(summary.mean - a / 2) <= kUnit * (a / 2));
  CHECK(std::isinf(summary.sd));
  CHECK(std::isinf(summary.mcse_mean));
  CHECK(summary.quantiles == std::vector<double>{a});
  // Shares of -b and b that are exact negatives of each other cancel exactly.
  const std::vector<double> symmetric = {-1.5e308, 1.5e308, 0.0};
  const Summary centred = summarise_weighted(symmetric, std::vector<double>(3, 2.0), levels);
  CHECK(centred.mean == 0.0);
}

TEST_CASE("the weighted standard error from replicates reduces to the unweighted one") {
  using darkfigure::summary::weighted_replicate_mcse;
  const std::vector<double> values = {1.0, 2.0, 3.0, 2.0, 2.5, 4.0, 0.5, 1.0, 1.5};
  const std::vector<std::uint64_t> bounds = {0, 3, 6, 9};
  const std::vector<double> equal(values.size(), 0.25);
  const double mean = std::accumulate(values.begin(), values.end(), 0.0) / 9.0;
  std::vector<darkfigure::summary::Moments> replicates;
  for (std::size_t r = 0; r < 3; ++r) {
    replicates.push_back(darkfigure::summary::Moments::of(
        std::span<const double>(values).subspan(bounds[r], bounds[r + 1] - bounds[r])));
  }
  CHECK(weighted_replicate_mcse(values, equal, bounds, mean) ==
        Approx(darkfigure::summary::replicate_mcse(replicates)).epsilon(1e-13));
  // A draw of weight 0 counts for nothing, whatever its value; a replicate of zero weight drops.
  std::vector<double> weights = equal;
  std::vector<double> with_outlier = values;
  with_outlier.push_back(1e9);
  weights.push_back(0.0);
  const std::vector<std::uint64_t> longer = {0, 3, 6, 9, 10};
  CHECK(weighted_replicate_mcse(with_outlier, weights, longer, mean) ==
        Approx(weighted_replicate_mcse(values, equal, bounds, mean)).epsilon(1e-13));
  CHECK(std::isnan(weighted_replicate_mcse(values, equal, std::vector<std::uint64_t>{0, 9}, mean)));
}
