#include "darkfigure/summary/histogram.hpp"

#include <algorithm>
#include <bit>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <iterator>
#include <limits>
#include <random>
#include <span>
#include <string>
#include <vector>

#include "darkfigure/summary/moments.hpp"
#include "darkfigure/summary/summary.hpp"
#include "reference.hpp"

using darkfigure::summary::binned_order_statistics;
using darkfigure::summary::block_moments;
using darkfigure::summary::Histogram;
using darkfigure::summary::Moments;
using darkfigure::summary::OrderStatistic;
using darkfigure::summary::quantile_ranks;
using darkfigure::summary::summarise;
using darkfigure::summary::Summary;
using darkfigure::summary::testing::sorted_finite;
using darkfigure::summary::testing::sorted_quantile;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kEpsilon = std::numeric_limits<double>::epsilon();
constexpr double kMax = std::numeric_limits<double>::max();
constexpr double kSmallestNormal = std::numeric_limits<double>::min();
constexpr double kSmallestSubnormal = std::numeric_limits<double>::denorm_min();
// A bin drops the 40 low mantissa bits: relative width 2^-12 for normal values, and absolute
// width below 2^40 subnormal steps, 2^-1034, where the exponent field is 0.
constexpr int kDroppedBits = 52 - Histogram::kMantissaBits;
constexpr double kRelativeWidth = 0x1.0p-12;
constexpr double kSubnormalWidth = 0x1.0p-1034;

Histogram::Location bin_of(double x) {
  Histogram histogram;
  histogram.add(std::span<const double>(&x, 1));
  REQUIRE(histogram.count() == 1);
  return histogram.locate(0);
}

std::uint64_t bits(double x) {
  return std::bit_cast<std::uint64_t>(x);
}

bool same_location(const Histogram::Location& a, const Histogram::Location& b) {
  return bits(a.low) == bits(b.low) && bits(a.high) == bits(b.high) &&
         a.before_in_bin == b.before_in_bin && a.in_bin == b.in_bin;
}

// The bin of x is exactly the doubles that share its sign, exponent and top 12 mantissa bits:
// its end nearer to 0 has the 40 low bits clear, its far end has them set.
void check_bin(double x) {
  const Histogram::Location bin = bin_of(x);
  const std::uint64_t low_bits = (std::uint64_t{1} << kDroppedBits) - 1;
  const double near = std::signbit(x) ? bin.high : bin.low;
  const double far = std::signbit(x) ? bin.low : bin.high;
  CAPTURE(x, bin.low, bin.high);
  CHECK(bin.low <= x);
  CHECK(x <= bin.high);
  CHECK(bin.before_in_bin == 0);
  CHECK(bin.in_bin == 1);
  CHECK(bits(near) >> kDroppedBits == bits(x) >> kDroppedBits);
  CHECK(bits(far) >> kDroppedBits == bits(x) >> kDroppedBits);
  CHECK((bits(near) & low_bits) == 0);
  CHECK((bits(far) & low_bits) == low_bits);
  if (std::isnormal(x)) {
    CHECK(bin.high - bin.low <= kRelativeWidth * std::abs(x));
  } else {
    CHECK(bin.high - bin.low < kSubnormalWidth);
  }
}

struct Column {
  std::string name;
  std::vector<double> values;
};

// Columns of n values: normal, lognormal with random signs, a mixture of positive normal and
// negative lognormal values, and integers -3..3 (ties, with +0 but not -0).
std::vector<Column> test_columns(std::size_t n, std::uint64_t seed) {
  std::mt19937_64 generator(seed);
  std::normal_distribution<double> normal(0.0, 1.0);
  std::normal_distribution<double> shifted(5.0, 1.0);
  std::lognormal_distribution<double> lognormal(0.0, 3.0);
  std::lognormal_distribution<double> narrow_lognormal(1.0, 2.0);
  std::bernoulli_distribution coin(0.5);
  std::uniform_int_distribution<int> integer(-3, 3);
  std::vector<Column> columns = {{"normal", {}},
                                 {"signed lognormal", {}},
                                 {"normal and negative lognormal", {}},
                                 {"integers -3..3", {}}};
  for (std::size_t i = 0; i < n; ++i) {
    columns[0].values.push_back(normal(generator));
    columns[1].values.push_back((coin(generator) ? -1.0 : 1.0) * lognormal(generator));
    columns[2].values.push_back(coin(generator) ? shifted(generator)
                                                : -narrow_lognormal(generator));
    columns[3].values.push_back(static_cast<double>(integer(generator)));
  }
  return columns;
}

}  // namespace

TEST_CASE("each finite value lands in the 12-bit bin that holds it") {
  for (const double x : {1.0,
                         -1.0,
                         1.5,
                         3.141592653589793,
                         -2.718281828459045,
                         1e-300,
                         -1e-300,
                         1e300,
                         -1e300,
                         kSmallestNormal,
                         -kSmallestNormal,
                         kMax,
                         -kMax,
                         std::nextafter(1.0, 2.0),
                         std::nextafter(1.0, 0.0),
                         0x1.fffp0,
                         0x1.fffffffffffffp0,
                         0x1.ffe0000000001p0,
                         0.0,
                         -0.0,
                         kSmallestSubnormal,
                         -kSmallestSubnormal,
                         1e-310,
                         -1e-310,
                         kSmallestNormal / 3.0,
                         std::nextafter(kSmallestNormal, 0.0)}) {
    check_bin(x);
  }
  // Random magnitudes over every binade, normal and subnormal, of either sign.
  std::mt19937_64 generator(777);
  std::uniform_real_distribution<double> mantissa(1.0, 2.0);
  std::uniform_int_distribution<int> exponent(-1074, 1023);
  std::bernoulli_distribution negative(0.5);
  for (int i = 0; i < 2000; ++i) {
    check_bin((negative(generator) ? -1.0 : 1.0) *
              std::ldexp(mantissa(generator), exponent(generator)));
  }
}

TEST_CASE("zeros of either sign have bins of their own on their side of 0") {
  const Histogram::Location positive = bin_of(0.0);
  CHECK(bits(positive.low) == bits(0.0));
  CHECK(positive.high > 0.0);
  const Histogram::Location negative = bin_of(-0.0);
  CHECK(bits(negative.high) == bits(-0.0));
  CHECK(negative.low < 0.0);

  Histogram both;
  const std::vector<double> zeros = {0.0, -0.0, 0.0};
  both.add(zeros);
  REQUIRE(both.count() == 3);
  CHECK(same_location(both.locate(0), {negative.low, negative.high, 0, 1}));
  CHECK(same_location(both.locate(1), {positive.low, positive.high, 0, 2}));
  CHECK(same_location(both.locate(2), {positive.low, positive.high, 1, 2}));
}

TEST_CASE("NaN and infinities are not counted") {
  Histogram histogram;
  const std::vector<double> non_finite = {kNaN, kInf, -kInf, -kNaN};
  histogram.add(non_finite);
  CHECK(histogram.count() == 0);
  const std::vector<double> mixed = {kInf, 2.0, kNaN, -kInf, kMax, -kMax};
  histogram.add(mixed);
  REQUIRE(histogram.count() == 3);
  CHECK(same_location(histogram.locate(0), bin_of(-kMax)));
  CHECK(same_location(histogram.locate(1), bin_of(2.0)));
  CHECK(same_location(histogram.locate(2), bin_of(kMax)));
}

TEST_CASE("locate agrees with a sorted copy at every rank") {
  for (const Column& column : test_columns(10'000, 2718)) {
    Histogram histogram;
    histogram.add(column.values);
    const std::vector<double> sorted = sorted_finite(column.values);
    REQUIRE(histogram.count() == sorted.size());
    for (std::size_t rank = 0; rank < sorted.size(); ++rank) {
      const Histogram::Location bin = histogram.locate(rank);
      const auto first = std::lower_bound(sorted.begin(), sorted.end(), bin.low);
      const auto last = std::upper_bound(sorted.begin(), sorted.end(), bin.high);
      const auto in_bin = static_cast<std::uint64_t>(last - first);
      const auto before_bin = static_cast<std::uint64_t>(first - sorted.begin());
      CAPTURE(column.name, rank, sorted[rank], bin.low, bin.high, bin.before_in_bin, bin.in_bin);
      CHECK(bin.low <= sorted[rank]);
      CHECK(sorted[rank] <= bin.high);
      CHECK(bin.in_bin == in_bin);
      CHECK(bin.before_in_bin == rank - before_bin);
    }
  }
}

TEST_CASE("histograms of the halves merged in either order equal the histogram of the whole") {
  std::vector<Column> columns = test_columns(10'000, 1414);
  // Positive values first and negative ones second, so each half has pages the other lacks.
  Column separated = columns[2];
  separated.name = "positive half then negative half";
  std::sort(separated.values.begin(), separated.values.end(),
            [](double a, double b) { return a > b; });
  columns.push_back(separated);
  for (const Column& column : columns) {
    const std::span<const double> values = column.values;
    const std::span<const double> first = values.first(values.size() / 2);
    const std::span<const double> second = values.subspan(values.size() / 2);
    Histogram whole;
    whole.add(values);
    Histogram first_then_second;
    first_then_second.add(first);
    Histogram second_part;
    second_part.add(second);
    first_then_second.merge(second_part);
    Histogram second_then_first;
    second_then_first.add(second);
    Histogram first_part;
    first_part.add(first);
    second_then_first.merge(first_part);
    Histogram from_empty;
    from_empty.merge(whole);

    CAPTURE(column.name);
    REQUIRE(first_then_second.count() == whole.count());
    REQUIRE(second_then_first.count() == whole.count());
    REQUIRE(from_empty.count() == whole.count());
    std::uint64_t differences = 0;
    for (std::uint64_t rank = 0; rank < whole.count(); ++rank) {
      const Histogram::Location expected = whole.locate(rank);
      differences += !same_location(first_then_second.locate(rank), expected);
      differences += !same_location(second_then_first.locate(rank), expected);
      differences += !same_location(from_empty.locate(rank), expected);
    }
    CHECK(differences == 0);
  }
}

TEST_CASE("binned quantiles lie within their error of the exact quantiles") {
  const std::vector<double> levels = {0.0,  0.001, 0.025, 0.1,   0.25,   0.5, 0.6,
                                      0.75, 0.9,   0.975, 0.999, 0.3333, 1.0};
  std::vector<Column> columns = test_columns(20'000, 4242);
  columns.push_back({"constant", std::vector<double>(1000, 0.1)});
  columns.push_back({"one value", {2.5}});
  columns.push_back({"two values", {5.0, 1.0}});
  columns.push_back({"three values", {-1.0, 1e-3, 7.0}});
  Column with_non_finite = columns[0];
  with_non_finite.name = "normal with NaN and infinities";
  for (std::size_t i = 0; i < with_non_finite.values.size(); i += 97)
    with_non_finite.values[i] = i % 2 == 0 ? kNaN : (i % 3 == 0 ? kInf : -kInf);
  columns.push_back(with_non_finite);

  for (const Column& column : columns) {
    const Moments moments = block_moments(column.values);
    Histogram histogram;
    histogram.add(column.values);
    const std::vector<std::uint64_t> ranks = quantile_ranks(moments.count, levels);
    const std::vector<OrderStatistic> order_statistics =
        binned_order_statistics(histogram, moments, ranks);
    const Summary summary = summarise(moments, levels, ranks, order_statistics);
    const std::vector<double> sorted = sorted_finite(column.values);
    REQUIRE(summary.count == sorted.size());
    REQUIRE(summary.quantiles.size() == levels.size());
    REQUIRE(summary.quantile_error.size() == levels.size());
    const std::size_t n = sorted.size();
    for (std::size_t i = 0; i < levels.size(); ++i) {
      const double level = summary.levels[i];
      const double quantile = summary.quantiles[i];
      const double error = summary.quantile_error[i];
      const double exact = sorted_quantile(sorted, level);
      const auto rank = static_cast<std::size_t>(std::floor(static_cast<double>(n - 1) * level));
      const double neighbours =
          std::max(std::abs(sorted[rank]), std::abs(sorted[std::min(rank + 1, n - 1)]));
      // The quantile, its interpolated bounds, its error and quantile +- error each take one or
      // two roundings (std::lerp rounds at most twice), each at most eps of the largest magnitude
      // involved, absolute in the subnormal bin next to 0: 4 eps of it plus 4 subnormal steps.
      const double slack =
          4 * kEpsilon * std::max({std::abs(quantile), error, neighbours}) + 4 * kSmallestSubnormal;
      CAPTURE(column.name, level, quantile, error, exact, slack);
      CHECK(quantile - error - slack <= exact);
      CHECK(exact <= quantile + error + slack);
      // Narrow: at most the width of the bins of the two order statistics it interpolates.
      CHECK(error <= kRelativeWidth * neighbours + kSubnormalWidth + slack);
    }
    // Ranks 0 and n - 1 are the minimum and maximum, exactly.
    CHECK(summary.quantiles.front() == sorted.front());
    CHECK(summary.quantile_error.front() == 0.0);
    CHECK(summary.quantiles.back() == sorted.back());
    CHECK(summary.quantile_error.back() == 0.0);
  }
}

TEST_CASE("binned quantiles of a constant column are the constant with no error") {
  const std::vector<double> values(4097, -37.25);
  const std::vector<double> levels = {0.0, 0.001, 0.5, 0.7, 0.999, 1.0};
  const Moments moments = block_moments(values);
  Histogram histogram;
  histogram.add(values);
  const std::vector<std::uint64_t> ranks = quantile_ranks(moments.count, levels);
  const Summary summary =
      summarise(moments, levels, ranks, binned_order_statistics(histogram, moments, ranks));
  for (std::size_t i = 0; i < levels.size(); ++i) {
    CAPTURE(levels[i]);
    CHECK(summary.quantiles[i] == -37.25);
    CHECK(summary.quantile_error[i] == 0.0);
  }
}

TEST_CASE("histograms are equal when every bin holds the same count") {
  const std::vector<double> values = {3.0, -1.0, 1e-300, 2.5e12, 3.0, 0.0};
  const std::vector<double> reversed(values.rbegin(), values.rend());
  Histogram a;
  a.add(values);
  Histogram b;
  b.add(reversed);
  CHECK(a == b);
  const std::vector<double> nudged = {3.0 * (1.0 + 0x1p-10)};
  Histogram c;
  c.add(values);
  c.add(nudged);
  Histogram d;
  d.add(values);
  d.add(std::vector<double>{3.0});
  CHECK_FALSE(a == c);
  CHECK_FALSE(c == d);  // the same count, one value in a neighbouring bin
  CHECK(Histogram() == Histogram());
}

TEST_CASE("bins list every counted bin in ascending order with the values they hold") {
  darkfigure::summary::Histogram histogram;
  const std::vector<double> values = {-3.5, -3.5, -0.001, 0.0, 2.0, 2.0, 2.0, 1e300, std::nan("")};
  histogram.add(values);
  const auto bins = histogram.bins();
  REQUIRE(bins.size() == 5);
  std::uint64_t total = 0;
  for (std::size_t i = 0; i < bins.size(); ++i) {
    CHECK(bins[i].low <= bins[i].high);
    if (i > 0) CHECK(bins[i - 1].high < bins[i].low);
    total += bins[i].count;
  }
  CHECK(total == histogram.count());
  CHECK(bins[0].count == 2);
  CHECK((bins[0].low <= -3.5 && -3.5 <= bins[0].high));
  CHECK(bins[3].count == 3);
  CHECK((bins[3].low <= 2.0 && 2.0 <= bins[3].high));
  CHECK((bins[4].low <= 1e300 && 1e300 <= bins[4].high));
}
