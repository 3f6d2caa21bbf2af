#include "darkfigure/summary/summary.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <vector>

#include "reference.hpp"

using darkfigure::summary::summarise;
using darkfigure::summary::Summary;
using darkfigure::summary::testing::kManyLevels;
using darkfigure::summary::testing::sorted_quantile;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kEpsilon = std::numeric_limits<double>::epsilon();

// Type-7 quantiles from a fully sorted copy: the obvious implementation the selection must match.
std::vector<double> sorted_quantiles(std::vector<double> values,
                                     const std::vector<double>& levels) {
  std::sort(values.begin(), values.end());
  std::vector<double> result;
  for (const double level : levels)
    result.push_back(sorted_quantile(values, level));
  return result;
}

bool same_bits(double a, double b) {
  return std::memcmp(&a, &b, sizeof a) == 0;
}

}  // namespace

TEST_CASE("quantiles equal those of a full sort, with and without ties") {
  std::mt19937_64 generator(20240611);
  std::normal_distribution<double> continuous(3.0, 2.0);
  std::uniform_int_distribution<int> few_values(-3, 3);
  for (const std::size_t n : {1u, 2u, 3u, 4u, 5u, 10u, 37u, 100u, 1000u, 4097u, 20011u}) {
    for (const bool ties : {false, true}) {
      std::vector<double> values(n);
      for (double& x : values) {
        x = ties ? static_cast<double>(few_values(generator)) : continuous(generator);
      }
      const std::vector<double> expected = sorted_quantiles(values, kManyLevels);
      const auto [min, max] = std::minmax_element(values.begin(), values.end());
      const double expected_min = *min;
      const double expected_max = *max;

      const Summary summary = summarise(values, kManyLevels);
      CAPTURE(n, ties);
      REQUIRE(summary.quantiles.size() == kManyLevels.size());
      CHECK(summary.levels == kManyLevels);
      CHECK(summary.count == n);
      CHECK(summary.min == expected_min);
      CHECK(summary.max == expected_max);
      for (std::size_t i = 0; i < kManyLevels.size(); ++i) {
        CAPTURE(kManyLevels[i], summary.quantiles[i], expected[i]);
        CHECK(same_bits(summary.quantiles[i], expected[i]));
      }
    }
  }
}

TEST_CASE("quantiles of two draws interpolate linearly between them") {
  std::vector<double> values = {5.0, 1.0};
  const std::vector<double> levels = {0.0, 0.25, 0.5, 1.0};
  const Summary summary = summarise(values, levels);
  CHECK(summary.quantiles == std::vector<double>{1.0, 2.0, 3.0, 5.0});
}

TEST_CASE("levels are reported ascending with their quantiles") {
  std::vector<double> values = {4.0, 0.0, 2.0, 1.0, 3.0};
  const std::vector<double> levels = {0.75, 0.25, 0.5};
  const Summary summary = summarise(values, levels);
  CHECK(summary.levels == std::vector<double>{0.25, 0.5, 0.75});
  CHECK(summary.quantiles == std::vector<double>{1.0, 2.0, 3.0});
}

TEST_CASE("mean and sd of 1..n match their closed forms") {
  // 1..101 in shuffled order: mean (n + 1) / 2 = 51, sample variance n (n + 1) / 12 = 858.5; every
  // intermediate is an integer, so the results are exact.
  std::vector<double> values(101);
  for (std::size_t i = 0; i < values.size(); ++i)
    values[i] = static_cast<double>(i + 1);
  std::shuffle(values.begin(), values.end(), std::mt19937_64(7));
  const std::vector<double> levels = {0.5};
  const Summary summary = summarise(values, levels);
  CHECK(summary.count == 101);
  CHECK(summary.non_finite == 0);
  CHECK(summary.mean == 51.0);
  CHECK(summary.sd == std::sqrt(858.5));
  CHECK(summary.mcse_mean == std::sqrt(858.5) / std::sqrt(101.0));
  CHECK(summary.min == 1.0);
  CHECK(summary.max == 101.0);
  CHECK(summary.quantiles == std::vector<double>{51.0});
}

TEST_CASE("alternating -1 and +1 have mean 0 and sd sqrt(n / (n - 1))") {
  std::vector<double> values(1000);
  for (std::size_t i = 0; i < values.size(); ++i)
    values[i] = i % 2 == 0 ? -1.0 : 1.0;
  const Summary summary = summarise(values, std::vector<double>{});
  const double expected_sd = std::sqrt(1000.0 / 999.0);
  const double tolerance = 4 * kEpsilon * expected_sd;  // rounding of the last operations only
  CAPTURE(summary.sd, expected_sd, tolerance);
  CHECK(summary.mean == 0.0);
  CHECK(std::abs(summary.sd - expected_sd) <= tolerance);
  CHECK(summary.quantiles.empty());
}

TEST_CASE("a constant column has sd 0 and every quantile equal to the constant") {
  std::vector<double> values(333, 0.1);
  const Summary summary = summarise(values, kManyLevels);
  CHECK(summary.sd == 0.0);
  CHECK(summary.mcse_mean == 0.0);
  CHECK(summary.min == 0.1);
  CHECK(summary.max == 0.1);
  for (const double q : summary.quantiles)
    CHECK(q == 0.1);
}

TEST_CASE("a 0/1 column's mean is the share of ones") {
  std::mt19937_64 generator(99);
  std::bernoulli_distribution coin(0.3);
  std::vector<double> values(100'000);
  std::uint64_t ones = 0;
  for (double& x : values) {
    x = coin(generator) ? 1.0 : 0.0;
    ones += x == 1.0;
  }
  const double n = static_cast<double>(values.size());
  const double share = static_cast<double>(ones) / n;
  // Sample variance of k ones among n: k (n - k) / (n (n - 1)).
  const double expected_sd =
      std::sqrt(static_cast<double>(ones) * (n - static_cast<double>(ones)) / (n * (n - 1.0)));
  const double sd_tolerance = 16 * kEpsilon * expected_sd;
  const Summary summary = summarise(values, std::vector<double>{0.5});
  CAPTURE(ones, summary.mean, share, summary.sd, expected_sd, sd_tolerance);
  CHECK(summary.mean == share);
  CHECK(std::abs(summary.sd - expected_sd) <= sd_tolerance);
  CHECK(summary.min == 0.0);
  CHECK(summary.max == 1.0);
}

TEST_CASE("non-finite draws are counted and excluded from every statistic") {
  std::vector<double> finite = {3.0, -2.0, 8.0, 0.0, 5.0, 5.0, -7.0};
  std::vector<double> mixed = {kNaN, 3.0, -2.0, kInf, 8.0, 0.0, -kInf, 5.0, kNaN, 5.0, -7.0};
  const Summary expected = summarise(finite, kManyLevels);
  const Summary summary = summarise(mixed, kManyLevels);
  CHECK(summary.count == 7);
  CHECK(summary.non_finite == 4);
  CHECK(summary.mean == expected.mean);
  CHECK(summary.sd == expected.sd);
  CHECK(summary.mcse_mean == expected.mcse_mean);
  CHECK(summary.min == -7.0);
  CHECK(summary.max == 8.0);
  CHECK(summary.quantiles == expected.quantiles);
}

TEST_CASE("without finite draws every statistic is NaN") {
  std::vector<double> values = {kNaN, kInf, -kInf};
  const std::vector<double> levels = {0.025, 0.975};
  const Summary summary = summarise(values, levels);
  CHECK(summary.count == 0);
  CHECK(summary.non_finite == 3);
  CHECK(std::isnan(summary.mean));
  CHECK(std::isnan(summary.sd));
  CHECK(std::isnan(summary.mcse_mean));
  CHECK(std::isnan(summary.min));
  CHECK(std::isnan(summary.max));
  REQUIRE(summary.quantiles.size() == 2);
  CHECK(std::isnan(summary.quantiles[0]));
  CHECK(std::isnan(summary.quantiles[1]));

  std::vector<double> empty;
  const Summary nothing = summarise(empty, levels);
  CHECK(nothing.count == 0);
  CHECK(nothing.non_finite == 0);
  CHECK(std::isnan(nothing.mean));
  CHECK(std::isnan(nothing.quantiles[0]));
}

TEST_CASE("one finite draw has a mean and quantiles but no sd") {
  std::vector<double> values = {kNaN, 2.5};
  const Summary summary = summarise(values, kManyLevels);
  CHECK(summary.count == 1);
  CHECK(summary.non_finite == 1);
  CHECK(summary.mean == 2.5);
  CHECK(std::isnan(summary.sd));
  CHECK(std::isnan(summary.mcse_mean));
  CHECK(summary.min == 2.5);
  CHECK(summary.max == 2.5);
  for (const double q : summary.quantiles)
    CHECK(q == 2.5);
}

TEST_CASE("the summary is deterministic and its order statistics ignore the input order") {
  std::mt19937_64 generator(4242);
  std::lognormal_distribution<double> skewed(0.0, 1.5);
  std::vector<double> values(50'000);
  for (double& x : values)
    x = skewed(generator);
  std::vector<double> copy = values;
  std::vector<double> shuffled = values;
  std::shuffle(shuffled.begin(), shuffled.end(), generator);

  const Summary first = summarise(values, kManyLevels);
  const Summary second = summarise(copy, kManyLevels);
  const Summary reordered = summarise(shuffled, kManyLevels);
  CHECK(same_bits(first.mean, second.mean));
  CHECK(same_bits(first.sd, second.sd));
  CHECK(same_bits(first.mcse_mean, second.mcse_mean));
  CHECK(values == copy);
  for (std::size_t i = 0; i < kManyLevels.size(); ++i) {
    CHECK(same_bits(first.quantiles[i], second.quantiles[i]));
    CHECK(same_bits(first.quantiles[i], reordered.quantiles[i]));
  }
  CHECK(first.min == reordered.min);
  CHECK(first.max == reordered.max);
}

TEST_CASE("the mean of a million values near 1e9 keeps their small noise") {
  // x = 1e9 + k 2^-20 with integer k is exact in double (the spacing of doubles near 1e9 is 2^-23),
  // so the exact mean and variance follow from integer sums of k. A plain running sum reaches 1e15,
  // where doubles are 0.125 apart, and loses the noise; the compensated sum must be within one
  // spacing of the exact mean (its own final rounding) plus one for the division.
  constexpr double kStep = 0x1.0p-20;
  constexpr std::size_t kCount = 1'000'000;
  std::mt19937_64 generator(1'000'000'007);
  std::uniform_int_distribution<std::int64_t> noise(-1000, 1000);
  std::vector<double> values(kCount);
  std::int64_t sum_k = 0;
  std::int64_t sum_k2 = 0;  // at most 1e6 * 1000^2
  for (double& x : values) {
    const std::int64_t k = noise(generator);
    sum_k += k;
    sum_k2 += k * k;
    x = 1e9 + static_cast<double>(k) * kStep;
  }
  const long double n = kCount;
  const long double exact_mean = 1e9L + static_cast<long double>(sum_k) * kStep / n;
  const long double k_variance =
      (static_cast<long double>(sum_k2) - static_cast<long double>(sum_k) * sum_k / n) / (n - 1);
  const long double exact_sd = std::sqrt(k_variance) * kStep;

  const Summary summary = summarise(values, std::vector<double>{0.5});
  const double mean_error = static_cast<double>(std::abs(summary.mean - exact_mean));
  const double mean_tolerance = 2 * 0x1.0p-23;
  // x - mean is exact (Sterbenz) and the corrected two-pass formula removes the mean's error,
  // so only the rounding of squares and sums remains: a few units in the last place.
  const double sd_error = static_cast<double>(std::abs(summary.sd - exact_sd));
  const double sd_tolerance = 64 * kEpsilon * static_cast<double>(exact_sd);
  CAPTURE(summary.mean, static_cast<double>(exact_mean), mean_error, mean_tolerance);
  CAPTURE(summary.sd, static_cast<double>(exact_sd), sd_error, sd_tolerance);
  CHECK(mean_error <= mean_tolerance);
  CHECK(sd_error <= sd_tolerance);
}

TEST_CASE("values more than the largest double apart keep their mean, and an infinite sd") {
  // Deviations from any one of these values overflow, but their mean is an ordinary double.
  const std::vector<double> levels = {0.5};
  const std::vector<double> spread = {1e308, 1e308, 1e308, -1e308};
  const Summary s = summarise(spread, levels);
  CAPTURE(s.mean, s.sd);
  CHECK(s.mean == Approx(5e307).epsilon(1e-15));
  CHECK(std::isinf(s.sd));
  CHECK(std::isinf(s.mcse_mean));
  const Summary symmetric = summarise(std::vector<double>{-1.5e308, 1.5e308, 0.0}, levels);
  CHECK(symmetric.mean == 0.0);
  // Blocks far apart: the overflow is between block means, not within a block.
  std::vector<double> blocks(2 * darkfigure::summary::kBlock, 1.7e308);
  std::fill(blocks.begin(), blocks.begin() + darkfigure::summary::kBlock, -1.7e308);
  const Summary apart = summarise(blocks, levels);
  CHECK(apart.mean == 0.0);
  CHECK(std::isinf(apart.sd));
}

TEST_CASE("the standard error from replicates is the spread of their means over sqrt(R)") {
  using darkfigure::summary::Moments;
  using darkfigure::summary::replicate_mcse;
  // Equal sizes: sd(m_1, ..., m_R) / sqrt(R) exactly.
  const std::vector<std::vector<double>> values = {
      {1.0, 2.0, 3.0}, {2.0, 2.5, 4.0}, {0.5, 1.0, 1.5}, {3.0, 3.0, 3.0}};
  std::vector<Moments> replicates;
  std::vector<double> means;
  for (const auto& replicate : values) {
    replicates.push_back(Moments::of(replicate));
    means.push_back(replicates.back().mean);
  }
  const Moments spread = Moments::of(means);
  CHECK(replicate_mcse(replicates) == Approx(std::sqrt(spread.variance() / 4.0)).epsilon(1e-14));
  // Replicates with no finite draw do not count; fewer than two that do give NaN.
  replicates.push_back(Moments::of(std::vector<double>{std::nan("")}));
  CHECK(replicate_mcse(replicates) == Approx(std::sqrt(spread.variance() / 4.0)).epsilon(1e-14));
  CHECK(std::isnan(replicate_mcse(std::vector<Moments>{replicates.front()})));
  // Unequal sizes weigh each replicate's deviation by its share of the draws: a replicate of
  // twice the draws moves the pooled mean twice as much.
  const std::vector<Moments> unequal = {Moments::of(std::vector<double>{0.0, 0.0}),
                                        Moments::of(std::vector<double>{1.0})};
  // N = 3, mu = 1/3: z = 2 * 2 * (0 - 1/3) / 3 and 2 * 1 * (1 - 1/3) / 3, se^2 = sum z^2 / 2.
  const double z1 = 2.0 * 2.0 * (-1.0 / 3.0) / 3.0;
  const double z2 = 2.0 * 1.0 * (2.0 / 3.0) / 3.0;
  CHECK(replicate_mcse(unequal) == Approx(std::sqrt((z1 * z1 + z2 * z2) / 2.0)).epsilon(1e-14));
}

TEST_CASE("the standard error from replicates matches the spread of independent replicates") {
  // 400 runs of 10 replicates of 50 normal(0, 1) values: the estimate squared averages to the
  // variance of the pooled mean, 1 / 500, within its standard error (an estimate with 9 degrees of
  // freedom has relative variance 2 / 9; 400 of them, 2 / 9 / 400).
  std::mt19937_64 generator(2023);
  std::normal_distribution<double> normal;
  double sum = 0.0;
  for (int run = 0; run < 400; ++run) {
    std::vector<darkfigure::summary::Moments> replicates;
    for (int r = 0; r < 10; ++r) {
      std::vector<double> draws(50);
      for (double& x : draws)
        x = normal(generator);
      replicates.push_back(darkfigure::summary::Moments::of(draws));
    }
    const double se = darkfigure::summary::replicate_mcse(replicates);
    sum += se * se;
  }
  const double ratio = sum / 400.0 / (1.0 / 500.0);
  CHECK(std::abs(ratio - 1.0) < 4.0 * std::sqrt(2.0 / 9.0 / 400.0));
}
