#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "darkfigure/random/stream.hpp"

namespace darkfigure::sampling {

/// What is wrong with a requested rank correlation matrix: the message, and the 0-based row and
/// column of the offending entry (both unset when the matrix as a whole is at fault).
struct MatrixProblem {
  std::string message;
  std::string hint;
  std::optional<std::size_t> row;
  std::optional<std::size_t> column;
};

/// Rank correlations among k inputs, induced by the Iman-Conover method (Iman and Conover 1982,
/// "A distribution-free approach to inducing rank correlation among input variables",
/// Communications in Statistics B 11(3)): the draws of each input keep their values, so every
/// marginal stays exactly as sampled, and are only rearranged so that their ranks follow
/// correlated normal scores. Immutable, safe to share between threads.
///
///     const auto induced = RankCorrelation::make({1.0, 0.6, 0.6, 1.0}, 2);
///     induced.rearrange(columns, stream);  // columns[0], columns[1]: n draws each
class RankCorrelation {
 public:
  /// The first problem with a k x k matrix of Spearman rank correlations given row by row: not
  /// square, an entry outside [-1, 1] or not finite, a diagonal entry other than 1, not
  /// symmetric, not positive definite. Nullopt when it can be induced.
  static std::optional<MatrixProblem> check(std::span<const double> spearman, std::size_t k);

  /// Builds the rearrangement for a matrix that check() accepts (else throws
  /// std::invalid_argument).
  static RankCorrelation make(std::vector<double> spearman, std::size_t k);

  std::size_t size() const noexcept { return k_; }
  /// The requested Spearman matrix, row by row.
  const std::vector<double>& spearman() const noexcept { return spearman_; }
  /// The reciprocal condition number of the requested matrix (smallest over largest eigenvalue):
  /// near 0, the matrix is nearly singular.
  double reciprocal_condition() const noexcept { return reciprocal_condition_; }

  /// Rearranges the values within each of the k columns (all of one length n) so that their rank
  /// correlations approach the requested ones, drawing the score permutations from `stream`.
  /// Column 0 keeps every value in its row; the others are permuted around it. Deterministic given
  /// the columns and the stream; never fails: n <= 1 leaves the columns as they are, and n <= k
  /// (too few rows to correct the scores' sample correlation) still permutes them.
  void rearrange(std::span<const std::span<double>> columns, random::Stream& stream) const;

 private:
  RankCorrelation() = default;

  std::size_t k_ = 0;
  std::vector<double> spearman_;
  std::vector<double> target_factor_;  ///< lower Cholesky factor of the normal-score correlations
  double reciprocal_condition_ = 1.0;
};

/// Below this reciprocal condition number a correlation matrix is reported as nearly singular.
inline constexpr double kNearlySingular = 1e-6;

}  // namespace darkfigure::sampling
