#include "darkfigure/sampling/correlation.hpp"

#include <Eigen/Cholesky>
#include <Eigen/Core>
#include <Eigen/Eigenvalues>
#include <boost/math/distributions/normal.hpp>

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <numbers>
#include <stdexcept>
#include <utility>

#include "darkfigure/core/error.hpp"
#include "darkfigure/core/text.hpp"

namespace darkfigure::sampling {
namespace {

using Matrix = Eigen::MatrixXd;

/// Symmetry tolerance: a matrix typed by hand is exactly symmetric, one computed elsewhere and
/// pasted in may differ in the last digits.
constexpr double kSymmetryTolerance = 1e-12;
/// A matrix counts as positive definite when its smallest eigenvalue exceeds this fraction of its
/// largest: below it, rounding alone decides the sign of the smallest eigenvalue.
constexpr double kPositiveDefinite = 1e-12;
/// The sample correction of a block is skipped when a pivot of the Cholesky factor of the score
/// columns' correlation falls below this: the columns are then (nearly) collinear, as happens with
/// fewer rows than inputs, and E^-1 would amplify rounding instead of removing sampling noise.
constexpr double kMinPivot = 1e-6;

/// No promotion to long double: the scores are computed once per block length, where double
/// precision inside the quantile is ample.
using ScorePolicy = boost::math::policies::policy<boost::math::policies::promote_double<false>>;

/// "3e-08", "0.12": two significant digits, enough to say how far from the bound a value is.
std::string two_digits(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.2g", value);
  return text;
}

std::string entry_name(std::size_t row, std::size_t column) {
  return "the entry in row " + std::to_string(row + 1) + ", column " + std::to_string(column + 1);
}

/// The Pearson correlation of a bivariate normal whose Spearman correlation is `spearman`: the
/// inverse of rho_s = (6 / pi) asin(r / 2) (Pearson 1907; Kruskal 1958, eq. 5.6). Exact at -1, 0
/// and 1, where sin(pi / 6) rounds below 1/2.
double normal_score_correlation(double spearman) {
  if (spearman == 1.0 || spearman == -1.0) return spearman;
  return 2.0 * std::sin(std::numbers::pi * spearman / 6.0);
}

Matrix matrix_of(std::span<const double> values, std::size_t k) {
  const auto size = static_cast<Eigen::Index>(k);
  Matrix matrix(size, size);
  for (Eigen::Index i = 0; i < size; ++i) {
    for (Eigen::Index j = 0; j < size; ++j)
      matrix(i, j) = values[static_cast<std::size_t>(i) * k + static_cast<std::size_t>(j)];
  }
  return matrix;
}

/// The smallest and the largest eigenvalue of a symmetric matrix.
std::pair<double, double> eigenvalue_range(const Matrix& matrix) {
  const Eigen::SelfAdjointEigenSolver<Matrix> solver(matrix, Eigen::EigenvaluesOnly);
  const auto& eigenvalues = solver.eigenvalues();  // ascending
  return {eigenvalues(0), eigenvalues(eigenvalues.size() - 1)};
}

bool positive_definite(const std::pair<double, double>& range) {
  return range.first > kPositiveDefinite * range.second;
}

/// A key whose unsigned order is the IEEE 754 total order of the doubles (-NaN < -inf < ... < -0
/// < +0 < ... < inf < NaN), so that sorting never meets the unordered comparisons of a NaN and
/// gives back the very bits it was given.
std::uint64_t order_key(double value) noexcept {
  const auto bits = std::bit_cast<std::uint64_t>(value);
  return (bits >> 63) != 0 ? ~bits : bits | (std::uint64_t{1} << 63);
}

double from_order_key(std::uint64_t key) noexcept {
  return std::bit_cast<double>((key >> 63) != 0 ? key & ~(std::uint64_t{1} << 63) : ~key);
}

/// A uniform integer in [0, bound), bound > 0, without bias: Lemire's multiply-and-reject
/// (Lemire 2019, "Fast random integer generation in an interval", ACM TOMACS 29(1), alg. 5).
std::uint64_t below(random::Stream& stream, std::uint64_t bound) {
  __extension__ typedef unsigned __int128 Wide;
  auto product = static_cast<Wide>(stream()) * bound;
  if (static_cast<std::uint64_t>(product) < bound) {
    const std::uint64_t threshold = (0 - bound) % bound;
    while (static_cast<std::uint64_t>(product) < threshold)
      product = static_cast<Wide>(stream()) * bound;
  }
  return static_cast<std::uint64_t>(product >> 64);
}

/// A key whose unsigned order is that of `value` rounded to float: 32 bits, so that a ranking key
/// and its row fit one 64-bit word. Values within a relative 6e-8 of each other tie, and ties go
/// by row; for the ranks that place scores and values that is immaterial.
std::uint32_t coarse_order_key(double value) noexcept {
  const auto bits = std::bit_cast<std::uint32_t>(static_cast<float>(value));
  return (bits >> 31) != 0 ? ~bits : bits | (std::uint32_t{1} << 31);
}

/// The word that sorts a row by its coarse key, then by row.
std::uint64_t ranking_word(double value, std::size_t row) noexcept {
  return (std::uint64_t{coarse_order_key(value)} << 32) | row;
}

std::size_t row_of(std::uint64_t word) noexcept {
  return word & 0xffff'ffffU;
}

/// Sorts `words` by their bits from `first_bit` up (the bits below keep their order), by least
/// significant digit radix sort on 11-bit digits, skipping a digit that every word shares;
/// `buffer` is scratch. On 4096 words it takes about half the time of std::sort, which loses most
/// of its time to mispredicted branches.
void radix_sort(std::vector<std::uint64_t>& words, std::vector<std::uint64_t>& buffer,
                int first_bit) {
  constexpr int kDigitBits = 11;
  constexpr std::size_t kRadix = std::size_t{1} << kDigitBits;
  constexpr int kMaxPasses = (64 + kDigitBits - 1) / kDigitBits;
  const int passes = (64 - first_bit + kDigitBits - 1) / kDigitBits;
  std::array<std::array<std::uint32_t, kRadix>, kMaxPasses> counts{};
  for (const std::uint64_t word : words) {
    for (int pass = 0; pass < passes; ++pass)
      ++counts[pass][(word >> (first_bit + kDigitBits * pass)) & (kRadix - 1)];
  }
  buffer.resize(words.size());
  for (int pass = 0; pass < passes; ++pass) {
    const int shift = first_bit + kDigitBits * pass;
    auto& count = counts[pass];
    if (count[(words.front() >> shift) & (kRadix - 1)] == words.size()) continue;
    std::uint32_t start = 0;
    for (auto& bucket : count)
      start += std::exchange(bucket, start);
    for (const std::uint64_t word : words)
      buffer[count[(word >> shift) & (kRadix - 1)]++] = word;
    words.swap(buffer);
  }
}

/// Scratch memory of one thread: a RankCorrelation is shared by the threads of a run, and reusing
/// these buffers block after block keeps rearrange() free of allocations once they have grown.
struct Workspace {
  /// The block length whose van der Waerden scores `scores` holds, ascending.
  std::size_t score_count = 0;
  std::vector<double> scores;
  double score_square_sum = 0.0;
  std::vector<double> normal;         ///< R: k score columns of n rows, column after column
  std::vector<double> target;         ///< one column of R* = R M^T
  std::vector<std::uint64_t> ranked;  ///< ranking words of one column, sorted
  std::vector<std::uint64_t> sorted;  ///< order keys of one column's values, sorted
  std::vector<std::uint64_t> buffer;
  Matrix correlation;
  Eigen::LLT<Matrix> factor;
  Matrix mixing;  ///< M^T = (P E^-1)^T
};

/// Van der Waerden scores Phi^-1(i / (n + 1)), i = 1..n: the expected normal order statistics up to
/// O(1/n), and exactly antisymmetric, so every permutation of them has mean 0.
void compute_scores(Workspace& work, std::size_t n) {
  work.scores.resize(n);
  const boost::math::normal_distribution<double, ScorePolicy> standard;
  const double denominator = static_cast<double>(n) + 1.0;
  for (std::size_t i = 0; i < n / 2; ++i) {
    const double score = boost::math::quantile(standard, static_cast<double>(i + 1) / denominator);
    work.scores[i] = score;
    work.scores[n - 1 - i] = -score;
  }
  if (n % 2 == 1) work.scores[n / 2] = 0.0;
  work.score_square_sum = 0.0;
  for (const double score : work.scores)
    work.score_square_sum += score * score;
  work.score_count = n;
}

}  // namespace

std::optional<MatrixProblem> RankCorrelation::check(std::span<const double> spearman,
                                                    std::size_t k) {
  if (k < 2) {
    return MatrixProblem{"the matrix is " + std::to_string(k) + " x " + std::to_string(k) +
                             ", but must be at least 2 x 2",
                         "a rank correlation is between two or more inputs",
                         {},
                         {}};
  }
  if (spearman.size() != k * k) {
    return MatrixProblem{"the matrix has " + std::to_string(spearman.size()) +
                             " entries, but must have " + std::to_string(k) + " x " +
                             std::to_string(k) + " = " + std::to_string(k * k),
                         "give one row per input, each with one entry per input",
                         {},
                         {}};
  }
  for (std::size_t row = 0; row < k; ++row) {
    for (std::size_t column = 0; column < k; ++column) {
      const double value = spearman[row * k + column];
      if (!std::isfinite(value) || value < -1.0 || value > 1.0) {
        std::string hint = "a Spearman rank correlation lies between -1 and 1";
        if (std::abs(value) >= 2.0 && std::abs(value) <= 100.0) {
          hint = "correlations are fractions, not percentages: write " +
                 core::shortest_decimal(value / 100.0) + " for " + core::shortest_decimal(value);
        }
        return MatrixProblem{entry_name(row, column) + " is " + core::shortest_decimal(value) +
                                 ", but must lie in [-1, 1]",
                             std::move(hint), row, column};
      }
      if (row == column && value != 1.0) {
        return MatrixProblem{"the diagonal entry in row " + std::to_string(row + 1) + " is " +
                                 core::shortest_decimal(value) + ", but must be 1",
                             "an input's rank correlation with itself is 1", row, column};
      }
      // The entry above the diagonal was read first; the one below is where the two disagree.
      const double mirror = spearman[column * k + row];
      if (row > column && std::abs(value - mirror) > kSymmetryTolerance) {
        return MatrixProblem{entry_name(row, column) + " is " + core::shortest_decimal(value) +
                                 ", but must equal " + entry_name(column, row) + ", " +
                                 core::shortest_decimal(mirror),
                             "the matrix is symmetric: the correlation of a with b is that of b "
                             "with a, so write it the same in both places",
                             row, column};
      }
    }
  }
  const Matrix requested = matrix_of(spearman, k);
  const auto range = eigenvalue_range(requested);
  if (!positive_definite(range)) {
    return MatrixProblem{
        "the smallest eigenvalue of the matrix is " + two_digits(range.first) +
            ", but must be positive: the correlations contradict each other",
        "correlations constrain one another: correlations of 0.9 between a and b and between b "
        "and c force a and c above 0.62, and a correlation of 1 makes two inputs one; lower the "
        "strongest correlations, or check their signs",
        {},
        {}};
  }
  const Matrix converted = requested.unaryExpr(&normal_score_correlation);
  const auto converted_range = eigenvalue_range(converted);
  if (!positive_definite(converted_range)) {
    return MatrixProblem{
        "the smallest eigenvalue of the normal-score correlations 2 sin(pi r / 6) of the matrix "
        "is " +
            two_digits(converted_range.first) + ", but must be positive",
        "the normal scores that carry a Spearman correlation r have the slightly larger Pearson "
        "correlation 2 sin(pi r / 6), and this nearly singular matrix does not survive that; "
        "lower the strongest correlations a little",
        {},
        {}};
  }
  return std::nullopt;
}

RankCorrelation RankCorrelation::make(std::vector<double> spearman, std::size_t k) {
  if (const auto problem = check(spearman, k)) throw std::invalid_argument(problem->message);
  RankCorrelation result;
  result.k_ = k;
  const Matrix requested = matrix_of(spearman, k);
  const auto range = eigenvalue_range(requested);
  result.reciprocal_condition_ = range.first / range.second;
  const Eigen::LLT<Matrix> factor(requested.unaryExpr(&normal_score_correlation));
  DARKFIGURE_CHECK(factor.info() == Eigen::Success);
  const Matrix lower = factor.matrixL();
  result.target_factor_.assign(k * k, 0.0);
  for (std::size_t i = 0; i < k; ++i) {
    for (std::size_t j = 0; j <= i; ++j)
      result.target_factor_[i * k + j] =
          lower(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j));
  }
  result.spearman_ = std::move(spearman);
  return result;
}

// Iman and Conover (1982), section 3, with van der Waerden scores. R holds the score columns;
// T = E E^T is their sample correlation and C = P P^T the target, so R* = R (P E^-1)^T has sample
// correlation exactly C. Each column is then rearranged to the ranks of its column of R*.
//
// Column 0 of R is not a fresh permutation but the scores in the rank order of column 0's own
// values. The score columns are then as random as in the paper (the other columns are independent
// uniform permutations, so the multiset of rows of R has the same law), and since P E^-1 is lower
// triangular with M_00 = 1, column 0 of R* has the ranks of column 0: the first input keeps every
// draw in place, and with it whatever structure the design gave it jointly with the inputs
// outside the block.
void RankCorrelation::rearrange(std::span<const std::span<double>> columns,
                                random::Stream& stream) const {
  DARKFIGURE_CHECK(columns.size() == k_);
  const std::size_t n = columns[0].size();
  for (const auto& column : columns)
    DARKFIGURE_CHECK(column.size() == n);
  if (n < 2) return;
  DARKFIGURE_CHECK(n <= std::numeric_limits<std::uint32_t>::max());

  thread_local Workspace work;
  if (work.score_count != n) compute_scores(work, n);
  const auto k = static_cast<Eigen::Index>(k_);
  work.normal.resize(n * k_);
  work.target.resize(n);
  work.ranked.resize(n);
  work.sorted.resize(n);

  // R_0: the scores in the rank order of the first input's values.
  for (std::size_t i = 0; i < n; ++i)
    work.ranked[i] = ranking_word(columns[0][i], i);
  radix_sort(work.ranked, work.buffer, 32);
  for (std::size_t r = 0; r < n; ++r)
    work.normal[row_of(work.ranked[r])] = work.scores[r];
  // R_j, j >= 1: Fisher-Yates shuffles of the scores.
  for (std::size_t j = 1; j < k_; ++j) {
    double* const column = work.normal.data() + j * n;
    std::copy(work.scores.begin(), work.scores.end(), column);
    for (std::size_t i = n - 1; i > 0; --i)
      std::swap(column[i], column[below(stream, i + 1)]);
  }

  // T: every column has mean 0 and the same sum of squares.
  work.correlation.resize(k, k);
  for (Eigen::Index j = 0; j < k; ++j) {
    work.correlation(j, j) = 1.0;
    const double* const a = work.normal.data() + static_cast<std::size_t>(j) * n;
    for (Eigen::Index l = 0; l < j; ++l) {
      const double* const b = work.normal.data() + static_cast<std::size_t>(l) * n;
      double product = 0.0;
      for (std::size_t i = 0; i < n; ++i)
        product += a[i] * b[i];
      work.correlation(j, l) = work.correlation(l, j) = product / work.score_square_sum;
    }
  }
  work.mixing.resize(k, k);
  for (Eigen::Index i = 0; i < k; ++i) {
    for (Eigen::Index j = 0; j < k; ++j)
      work.mixing(j, i) =
          target_factor_[static_cast<std::size_t>(i) * k_ + static_cast<std::size_t>(j)];
  }
  work.factor.compute(work.correlation);
  if (work.factor.info() == Eigen::Success &&
      work.factor.matrixLLT().diagonal().minCoeff() >= kMinPivot) {
    work.factor.matrixU().solveInPlace(work.mixing);
  }

  for (std::size_t j = 1; j < k_; ++j) {
    std::fill(work.target.begin(), work.target.end(), 0.0);
    for (std::size_t l = 0; l <= j; ++l) {
      const double weight = work.mixing(static_cast<Eigen::Index>(l), static_cast<Eigen::Index>(j));
      const double* const source = work.normal.data() + l * n;
      for (std::size_t i = 0; i < n; ++i)
        work.target[i] += weight * source[i];
    }
    for (std::size_t i = 0; i < n; ++i)
      work.ranked[i] = ranking_word(work.target[i], i);
    radix_sort(work.ranked, work.buffer, 32);
    const std::span<double> column = columns[j];
    for (std::size_t i = 0; i < n; ++i)
      work.sorted[i] = order_key(column[i]);
    radix_sort(work.sorted, work.buffer, 0);
    for (std::size_t r = 0; r < n; ++r)
      column[row_of(work.ranked[r])] = from_order_key(work.sorted[r]);
  }
}

}  // namespace darkfigure::sampling
