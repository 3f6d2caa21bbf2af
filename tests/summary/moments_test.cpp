#include "darkfigure/summary/moments.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <span>
#include <string>
#include <vector>

#include "darkfigure/summary/summary.hpp"

using darkfigure::summary::block_moments;
using darkfigure::summary::kBlock;
using darkfigure::summary::Moments;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kEpsilon = std::numeric_limits<double>::epsilon();
constexpr double kUnit = kEpsilon / 2;  // unit roundoff u of double
const double kUnitLong = static_cast<double>(std::numeric_limits<long double>::epsilon() / 2);

bool same_bits(const Moments& a, const Moments& b) {
  return std::memcmp(&a, &b, sizeof a) == 0;
}

// Pairwise summation in long double: off by at most (log2 n + 8) u_ld of the sum of magnitudes
// (Higham, "Accuracy and Stability of Numerical Algorithms", 2nd ed., section 4.2).
long double pairwise_sum(std::span<const long double> terms) {
  if (terms.size() <= 8) {
    long double sum = 0.0L;
    for (const long double t : terms)
      sum += t;
    return sum;
  }
  const std::size_t half = terms.size() / 2;
  return pairwise_sum(terms.first(half)) + pairwise_sum(terms.subspan(half));
}

// Mean and sum of squared deviations of a column of finite values in long double, with 11 more
// bits than double: the mean as its first value plus the mean deviation from it, then two passes.
struct Reference {
  long double mean;
  long double m2;
};

Reference reference_moments(std::span<const double> column) {
  const long double origin = column[0];
  const auto n = static_cast<long double>(column.size());
  std::vector<long double> terms(column.size());
  for (std::size_t i = 0; i < column.size(); ++i)
    terms[i] = column[i] - origin;
  const long double mean = origin + pairwise_sum(terms) / n;
  for (std::size_t i = 0; i < column.size(); ++i) {
    const long double d = column[i] - mean;
    terms[i] = d * d;
  }
  return {mean, pairwise_sum(terms)};
}

std::vector<std::size_t> equal_pieces(std::size_t n, std::size_t size) {
  std::vector<std::size_t> pieces(n / size, size);
  if (n % size != 0) pieces.push_back(n % size);
  return pieces;
}

std::vector<std::size_t> uneven_pieces(std::size_t n, std::uint64_t seed) {
  std::mt19937_64 generator(seed);
  std::uniform_int_distribution<std::size_t> size(1, 5000);
  std::vector<std::size_t> pieces;
  for (std::size_t covered = 0; covered < n;) {
    pieces.push_back(std::min(size(generator), n - covered));
    covered += pieces.back();
  }
  return pieces;
}

Moments append_pieces(std::span<const double> column, const std::vector<std::size_t>& pieces) {
  Moments all;
  std::size_t first = 0;
  for (const std::size_t size : pieces) {
    all.append(Moments::of(column.subspan(first, size)));
    first += size;
  }
  return all;
}

// Bounds on the error of the moments of N values appended from P pieces of at most L values each,
// by the standard analysis of floating-point sums (Higham, chapters 3 and 4: a sum of k terms is
// off by at most k u of the sum of their magnitudes). R is the range of the column, M its largest
// magnitude, S its exact sum of squared deviations.
//  - A piece's mean is its first value plus the mean of the deviations from it (each at most R),
//    summed in 4 lanes of L / 4: off by at most (L / 4 + 4) u R.
//  - Appending a piece moves the mean by delta n_b / n with |delta| <= R, rounded in four places:
//    4 u R n_b / n, plus 2 u^2 M for the renormalised low part. The update is a convex
//    combination of the two means, so their errors do not grow. In all
//      E = u R (L / 4 + 4 + 4 H) + 2 P u^2 M,   H = the sum over appends of n_b / n,
//    and H grows like the logarithm of the number of pieces (ln P for P equal pieces).
//  - m2 adds P piece sums and P - 1 nonnegative update terms in sequence: 2 P u S. A piece's
//    corrected two-pass sum is off by (L / 4 + 6) u of (R + 2 e)^2 per value, e <= u M + E being
//    the error of the rounded mean it subtracts. An update term delta^2 n_a n_b / n inherits
//    delta's error d = 2 (E + u R): (2 R d + d^2) n_b, plus 4 u of the term for its roundings.
//    In all u S (L / 4 + 2 P + 12) + N (L / 4 + 6) u (R + 2 e)^2 + N (2 R d + d^2).
//  - The long double reference is off by (log2 N + 8) u_ld of R + 2 M and of S (u_ld = u / 2^11).
struct Tolerance {
  double mean;
  double m2;
};

Tolerance append_tolerance(const std::vector<std::size_t>& pieces, double range, double magnitude,
                           long double exact_m2) {
  const std::size_t longest = *std::max_element(pieces.begin(), pieces.end());
  std::size_t so_far = pieces[0];
  double harmonic = 0.0;
  for (std::size_t k = 1; k < pieces.size(); ++k) {
    so_far += pieces[k];
    harmonic += static_cast<double>(pieces[k]) / static_cast<double>(so_far);
  }
  const double quarter = static_cast<double>(longest) / 4.0;
  const auto p = static_cast<double>(pieces.size());
  const auto n = static_cast<double>(so_far);
  const auto s = static_cast<double>(exact_m2);
  const double mean_error =
      kUnit * range * (quarter + 4.0 + 4.0 * harmonic) + 2.0 * p * kUnit * kUnit * magnitude;
  const double e = kUnit * magnitude + mean_error;
  const double d = 2.0 * (mean_error + kUnit * range);
  const double m2_error = kUnit * s * (quarter + 2.0 * p + 12.0) +
                          n * (quarter + 6.0) * kUnit * (range + 2.0 * e) * (range + 2.0 * e) +
                          n * (2.0 * range * d + d * d);
  const double reference = kUnitLong * (std::log2(n) + 8.0);
  return {mean_error + reference * (range + 2.0 * magnitude), m2_error + reference * s};
}

// Compares moments appended from pieces of the finite values `column` with the long double
// reference.
void check_against_reference(std::span<const double> column, const Moments& moments,
                             const std::vector<std::size_t>& pieces) {
  const auto [min, max] = std::minmax_element(column.begin(), column.end());
  const double magnitude = std::max(std::abs(*min), std::abs(*max));
  const Reference exact = reference_moments(column);
  const Tolerance tolerance = append_tolerance(pieces, *max - *min, magnitude, exact.m2);
  const auto zeros = static_cast<std::uint64_t>(std::count(column.begin(), column.end(), 0.0));
  const auto ones = static_cast<std::uint64_t>(std::count(column.begin(), column.end(), 1.0));

  const long double mean = static_cast<long double>(moments.mean) + moments.mean_low;
  const auto mean_error = static_cast<double>(std::abs(mean - exact.mean));
  const auto m2_error = static_cast<double>(std::abs(moments.m2 - exact.m2));
  CAPTURE(pieces.size(), moments.mean, moments.mean_low, static_cast<double>(exact.mean));
  CAPTURE(mean_error, tolerance.mean);
  CAPTURE(moments.m2, static_cast<double>(exact.m2), m2_error, tolerance.m2);
  CHECK(moments.count == column.size());
  CHECK(moments.zeros == zeros);
  CHECK(moments.ones == ones);
  CHECK(moments.min == *min);
  CHECK(moments.max == *max);
  CHECK(mean_error <= tolerance.mean);
  CHECK(m2_error <= tolerance.m2);
}

struct Column {
  std::string name;
  std::vector<double> values;
};

std::vector<Column> test_columns(std::size_t n) {
  std::mt19937_64 generator(20240612);
  std::normal_distribution<double> normal(3.0, 2.0);
  std::lognormal_distribution<double> lognormal(0.0, 1.5);
  std::bernoulli_distribution negative(0.3);
  std::uniform_int_distribution<int> small_integer(-2, 2);
  std::uniform_int_distribution<std::int64_t> noise(-1000, 1000);
  std::vector<Column> columns = {{"normal", std::vector<double>(n)},
                                 {"signed lognormal", std::vector<double>(n)},
                                 {"integers -2..2", std::vector<double>(n)},
                                 {"1e9 plus noise", std::vector<double>(n)}};
  for (std::size_t i = 0; i < n; ++i) {
    columns[0].values[i] = normal(generator);
    columns[1].values[i] = (negative(generator) ? -1.0 : 1.0) * lognormal(generator);
    columns[2].values[i] = static_cast<double>(small_integer(generator));
    columns[3].values[i] = 1e9 + static_cast<double>(noise(generator)) * 0x1.0p-20;
  }
  return columns;
}

}  // namespace

TEST_CASE("the moments of small columns equal their hand-computed values") {
  SECTION("no values") {
    const Moments m = Moments::of({});
    CHECK(same_bits(m, Moments{}));
    CHECK(std::isnan(m.variance()));
  }
  SECTION("one value") {
    const std::vector<double> values = {7.5};
    const Moments m = Moments::of(values);
    CHECK(m.count == 1);
    CHECK(m.non_finite == 0);
    CHECK(m.mean == 7.5);
    CHECK(m.mean_low == 0.0);
    CHECK(m.m2 == 0.0);
    CHECK(m.min == 7.5);
    CHECK(m.max == 7.5);
    CHECK(m.zeros == 0);
    CHECK(m.ones == 0);
    CHECK(std::isnan(m.variance()));
  }
  SECTION("-2, 0, 1, 1, 5: mean 1, squared deviations 9 + 1 + 0 + 0 + 16") {
    const std::vector<double> values = {-2.0, 0.0, 1.0, 1.0, 5.0};
    const Moments m = Moments::of(values);
    CHECK(m.count == 5);
    CHECK(m.mean == 1.0);
    CHECK(m.mean_low == 0.0);
    CHECK(m.m2 == 26.0);
    CHECK(m.variance() == 6.5);
    CHECK(m.min == -2.0);
    CHECK(m.max == 5.0);
    CHECK(m.zeros == 1);
    CHECK(m.ones == 2);
    CHECK_FALSE(m.zero_one());
  }
  SECTION("1..9 in four lanes and a tail: mean 5, squared deviations 60") {
    const std::vector<double> values = {9.0, 2.0, 7.0, 4.0, 5.0, 6.0, 3.0, 8.0, 1.0};
    const Moments m = Moments::of(values);
    CHECK(m.count == 9);
    CHECK(m.mean == 5.0);
    CHECK(m.mean_low == 0.0);
    CHECK(m.m2 == 60.0);
    CHECK(m.variance() == 7.5);
    CHECK(m.min == 1.0);
    CHECK(m.max == 9.0);
    CHECK(m.zeros == 0);
    CHECK(m.ones == 1);
  }
  SECTION("zeros of both signs and ones: mean 0.5, squared deviations 6 / 4") {
    const std::vector<double> values = {0.0, 1.0, 1.0, -0.0, 0.0, 1.0};
    const Moments m = Moments::of(values);
    CHECK(m.count == 6);
    CHECK(m.mean == 0.5);
    CHECK(m.m2 == 1.5);
    CHECK(m.min == 0.0);
    CHECK(m.max == 1.0);
    CHECK(m.zeros == 3);
    CHECK(m.ones == 3);
    CHECK(m.zero_one());
  }
  SECTION("NaN and infinities among 3, -2, 8: mean 3, squared deviations 0 + 25 + 25") {
    const std::vector<double> values = {kNaN, 3.0, kInf, -2.0, -kInf, 8.0, kNaN};
    const Moments m = Moments::of(values);
    CHECK(m.count == 3);
    CHECK(m.non_finite == 4);
    CHECK(m.mean == 3.0);
    CHECK(m.mean_low == 0.0);
    CHECK(m.m2 == 50.0);
    CHECK(m.variance() == 25.0);
    CHECK(m.min == -2.0);
    CHECK(m.max == 8.0);
    CHECK(m.zeros == 0);
    CHECK(m.ones == 0);
  }
}

TEST_CASE("moments appended piece by piece match the whole column within the rounding bound") {
  constexpr std::size_t kCount = 100'003;
  for (const Column& column : test_columns(kCount)) {
    const std::vector<std::vector<std::size_t>> patterns = {
        equal_pieces(kCount, 1), equal_pieces(kCount, 7), equal_pieces(kCount, 4096),
        uneven_pieces(kCount, 17), equal_pieces(kCount, kCount)};
    for (const std::vector<std::size_t>& pieces : patterns) {
      CAPTURE(column.name, pieces.front());
      check_against_reference(column.values, append_pieces(column.values, pieces), pieces);
    }
  }
}

TEST_CASE("non-finite values are skipped and counted") {
  std::mt19937_64 generator(31);
  std::normal_distribution<double> normal(-1.0, 4.0);
  const double non_finite[] = {kNaN, kInf, -kInf, -kNaN};
  for (const std::size_t n : {20u, 3000u}) {
    // Every tenth value is NaN, +inf, -inf or -NaN in turn.
    std::vector<double> mixed;
    std::vector<double> finite;
    for (std::size_t i = 0; i < n; ++i) {
      if (i % 10 == 3) {
        mixed.push_back(non_finite[(i / 10) % 4]);
      } else {
        finite.push_back(normal(generator));
        mixed.push_back(finite.back());
      }
    }
    CAPTURE(n);
    const Moments m = Moments::of(mixed);
    CHECK(m.non_finite == n / 10);
    // The finite values are summarised 512 at a time, and the slices appended.
    check_against_reference(finite, m, equal_pieces(finite.size(), 512));
    if (finite.size() <= 512) {
      Moments without = m;
      without.non_finite = 0;
      CHECK(same_bits(without, Moments::of(finite)));
    }
  }
}

TEST_CASE("a block of only non-finite values has count 0 and adds only to non_finite") {
  const std::vector<double> non_finite = {kNaN, kInf, -kInf};
  const Moments nothing = Moments::of(non_finite);
  Moments expected_nothing;
  expected_nothing.non_finite = 3;
  CHECK(same_bits(nothing, expected_nothing));

  const std::vector<double> values = {0.25, -3.0, 1.0, 0.0, 7.0, 1e-3};
  const Moments some = Moments::of(values);

  Moments after = some;
  after.append(nothing);
  CHECK(after.non_finite == 3);
  after.non_finite = 0;
  CHECK(same_bits(after, some));

  Moments before = nothing;
  before.append(some);
  CHECK(before.non_finite == 3);
  before.non_finite = 0;
  CHECK(same_bits(before, some));

  Moments empty;
  empty.append(Moments{});
  CHECK(same_bits(empty, Moments{}));
}

TEST_CASE("the same pieces appended in the same order give the same bits") {
  std::mt19937_64 generator(5150);
  std::lognormal_distribution<double> lognormal(2.0, 1.0);
  std::vector<double> values(50'000);
  for (double& x : values)
    x = lognormal(generator);
  const std::vector<std::size_t> pieces = uneven_pieces(values.size(), 99);
  const Moments first = append_pieces(values, pieces);
  const Moments second = append_pieces(std::vector<double>(values), pieces);
  CHECK(same_bits(first, second));
  // block_moments is the same appending, kBlock values at a time.
  CHECK(
      same_bits(block_moments(values), append_pieces(values, equal_pieces(values.size(), kBlock))));
}
