#include "darkfigure/summary/selection.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <limits>
#include <random>
#include <span>
#include <string>
#include <vector>

#include "darkfigure/summary/moments.hpp"
#include "darkfigure/summary/summary.hpp"
#include "reference.hpp"

using darkfigure::summary::block_moments;
using darkfigure::summary::Moments;
using darkfigure::summary::OrderStatistic;
using darkfigure::summary::quantile_ranks;
using darkfigure::summary::RankSelection;
using darkfigure::summary::summarise;
using darkfigure::summary::Summary;
using darkfigure::summary::zero_one_order_statistics;
using darkfigure::summary::testing::kManyLevels;
using darkfigure::summary::testing::sorted_finite;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();
// The selection's systematic sample: the value at position i n / kSampleSize for each i below
// kSampleSize, taken when the column holds more than 2 kSampleSize values.
constexpr std::size_t kSampleSize = std::size_t{1} << 16;

bool same_bits(std::span<const double> a, std::span<const double> b) {
  return a.size() == b.size() &&
         (a.empty() || std::memcmp(a.data(), b.data(), a.size_bytes()) == 0);
}

std::vector<double> sorted_order_statistics(std::span<const double> values,
                                            const std::vector<std::uint64_t>& ranks) {
  const std::vector<double> sorted = sorted_finite(values);
  std::vector<double> result;
  for (const std::uint64_t rank : ranks)
    result.push_back(sorted[rank]);
  return result;
}

// Selects with the column scanned in `chunks` consecutive chunks of near-equal size (some empty
// when the column is shorter than the number of chunks).
std::vector<double> select_in_chunks(std::span<const double> values, const Moments& moments,
                                     const std::vector<std::uint64_t>& ranks, std::size_t chunks) {
  const RankSelection selection(values, moments, ranks);
  std::vector<RankSelection::Partial> partials;
  for (std::size_t c = 0; c < chunks; ++c) {
    const std::size_t first = c * values.size() / chunks;
    const std::size_t last = (c + 1) * values.size() / chunks;
    partials.push_back(selection.scan(values.subspan(first, last - first)));
  }
  return selection.finish(partials);
}

// Selects the order statistics of quantile_ranks(count, kManyLevels) in 1, 3 and 17 chunks and
// checks each against a sorted copy, bit for bit across chunkings, leaving the column as it was.
void check_selection(const std::string& name, std::span<const double> values) {
  const std::vector<double> copy(values.begin(), values.end());
  const Moments moments = block_moments(values);
  const std::vector<std::uint64_t> ranks = quantile_ranks(moments.count, kManyLevels);
  const std::vector<double> expected = sorted_order_statistics(values, ranks);
  std::vector<double> first_chunking;
  for (const std::size_t chunks : {1u, 3u, 17u}) {
    const std::vector<double> selected = select_in_chunks(values, moments, ranks, chunks);
    CAPTURE(name, values.size(), chunks);
    REQUIRE(selected.size() == ranks.size());
    for (std::size_t i = 0; i < ranks.size(); ++i) {
      CAPTURE(ranks[i], selected[i], expected[i]);
      CHECK(selected[i] == expected[i]);
    }
    if (first_chunking.empty()) first_chunking = selected;
    CHECK(same_bits(selected, first_chunking));
  }
  CHECK(same_bits(values, copy));
}

std::vector<double> test_column(const std::string& kind, std::size_t n,
                                std::mt19937_64& generator) {
  std::normal_distribution<double> normal(10.0, 3.0);
  std::lognormal_distribution<double> lognormal(0.0, 2.0);
  std::uniform_int_distribution<int> integer(0, 5);
  std::vector<double> values(n);
  for (std::size_t i = 0; i < n; ++i) {
    if (kind == "lognormal") {
      values[i] = lognormal(generator);
    } else if (kind == "integers 0..5") {
      values[i] = integer(generator);
    } else if (kind == "all equal") {
      values[i] = -0.3;
    } else if (kind == "mostly NaN" && i % 500 != 3) {
      values[i] = kNaN;
    } else if (kind == "normal with NaN and infinities" && i % 97 == 1) {
      const double non_finite[] = {kNaN, kInf, -kInf};
      values[i] = non_finite[(i / 97) % 3];
    } else {
      values[i] = normal(generator);
    }
  }
  if (kind == "normal sorted descending") std::sort(values.rbegin(), values.rend());
  return values;
}

// A column of n > 2 kSampleSize values whose sample positions hold values far from all the
// others (`sample_value` plus a uniform offset), and whose other positions hold uniform values in
// [0, 1) with some NaN: the sample misrepresents the column, so brackets built from it miss.
std::vector<double> adversarial_column(std::size_t n, double sample_value,
                                       std::mt19937_64& generator) {
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  std::vector<double> values(n);
  for (std::size_t i = 0; i < n; ++i)
    values[i] = i % 1009 == 5 ? kNaN : uniform(generator);
  for (std::size_t i = 0; i < kSampleSize; ++i)
    values[i * n / kSampleSize] = sample_value + uniform(generator);
  return values;
}

}  // namespace

TEST_CASE("selected order statistics equal those of a sorted copy for any chunking") {
  std::mt19937_64 generator(8675309);
  for (const std::size_t n : {1u, 2u, 10u, 1000u, 200'000u}) {
    for (const char* kind :
         {"normal", "lognormal", "integers 0..5", "all equal", "normal with NaN and infinities",
          "normal sorted descending", "mostly NaN"}) {
      check_selection(kind, test_column(kind, n, generator));
    }
  }
}

TEST_CASE("selected order statistics of a million values equal those of a sorted copy") {
  std::mt19937_64 generator(1618033);
  for (const char* kind :
       {"lognormal", "integers 0..5", "all equal", "normal with NaN and infinities"}) {
    check_selection(kind, test_column(kind, 1'000'000, generator));
  }
}

TEST_CASE("order statistics outside the brackets of a misleading sample are still exact") {
  std::mt19937_64 generator(404);
  constexpr std::size_t kCount = 300'001;
  for (const double sample_value : {1e6, -1e6}) {
    const std::vector<double> values = adversarial_column(kCount, sample_value, generator);
    // The whole sample lies on one side of the median, so the median's bracket, drawn from the
    // middle of the sample, cannot hold it.
    std::vector<double> sample;
    for (std::size_t i = 0; i < kSampleSize; ++i)
      sample.push_back(values[i * kCount / kSampleSize]);
    const auto [sample_min, sample_max] = std::minmax_element(sample.begin(), sample.end());
    const Moments moments = block_moments(values);
    const double median = sorted_order_statistics(values, {moments.count / 2})[0];
    CAPTURE(sample_value, median, *sample_min, *sample_max);
    REQUIRE((median < *sample_min || median > *sample_max));
    check_selection("misleading sample", values);
  }
}

TEST_CASE("a column without finite values has no order statistics to select") {
  const std::vector<double> values = {kNaN, kInf, -kInf};
  const Moments moments = block_moments(values);
  REQUIRE(moments.count == 0);
  const RankSelection selection(values, moments, {});
  std::vector<RankSelection::Partial> partials = {selection.scan(values)};
  CHECK(selection.finish(partials).empty());
}

TEST_CASE("quantiles of a 0/1 column from its counts equal those of a sorted copy") {
  std::mt19937_64 generator(2024);
  std::bernoulli_distribution coin(0.3);
  std::vector<double> bernoulli(10'001);
  for (std::size_t i = 0; i < bernoulli.size(); ++i)
    bernoulli[i] = i % 101 == 7 ? kNaN : (coin(generator) ? 1.0 : 0.0);
  const std::vector<std::vector<double>> columns = {bernoulli,
                                                    std::vector<double>(50, 0.0),
                                                    std::vector<double>(50, 1.0),
                                                    {1.0},
                                                    {0.0},
                                                    {1.0, 0.0},
                                                    {1.0, -0.0, kNaN, 1.0, kInf},
                                                    {0.0, 0.0, 1.0}};
  for (const std::vector<double>& values : columns) {
    const Moments moments = block_moments(values);
    REQUIRE(moments.zero_one());
    const std::vector<std::uint64_t> ranks = quantile_ranks(moments.count, kManyLevels);
    const std::vector<OrderStatistic> order_statistics = zero_one_order_statistics(moments, ranks);
    const Summary summary = summarise(moments, kManyLevels, ranks, order_statistics);
    const Summary stored = summarise(values, kManyLevels);
    const std::vector<double> sorted = sorted_finite(values);
    const std::size_t n = sorted.size();
    REQUIRE(summary.quantiles.size() == kManyLevels.size());
    for (std::size_t i = 0; i < kManyLevels.size(); ++i) {
      const double h = static_cast<double>(n - 1) * kManyLevels[i];
      const auto rank = static_cast<std::size_t>(std::floor(h));
      const double fraction = h - std::floor(h);
      const double expected = fraction == 0.0 || rank + 1 == n
                                  ? sorted[rank]
                                  : std::lerp(sorted[rank], sorted[rank + 1], fraction);
      CAPTURE(n, moments.ones, kManyLevels[i], summary.quantiles[i], expected);
      CHECK(summary.quantiles[i] == expected);
      CHECK(summary.quantile_error[i] == 0.0);
      CHECK(summary.quantiles[i] == stored.quantiles[i]);
    }
  }
}

TEST_CASE("ties at a bracket's ends are counted, not kept") {
  // Three distinct values: every bracket's ends fall on them, so nothing lies strictly inside.
  std::mt19937_64 generator(7);
  std::discrete_distribution<int> draw({0.2, 0.5, 0.3});
  std::vector<double> values(300'000);
  for (double& x : values)
    x = 10.0 * draw(generator);
  const Moments moments = block_moments(values);
  const std::vector<std::uint64_t> ranks = quantile_ranks(moments.count, kManyLevels);
  const RankSelection selection(values, moments, ranks);
  std::vector<RankSelection::Partial> partials = {selection.scan(values)};
  for (const auto& inside : partials[0].inside)
    CHECK(inside.empty());
  const std::vector<double> sorted = sorted_finite(values);
  const std::vector<double> selected = selection.finish(partials);
  for (std::size_t i = 0; i < ranks.size(); ++i) {
    CAPTURE(ranks[i]);
    CHECK(selected[i] == sorted[ranks[i]]);
  }
}
