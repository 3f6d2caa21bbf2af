#pragma once

#include <cstddef>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

namespace darkfigure::sensitivity {

/// A linear summary of how an output depends on its inputs.
struct LinearSummary {
  std::vector<double> coefficients;  ///< per input, in the order given
  /// The share of the output's variance (of its ranks, for partial rank correlations) that the
  /// least-squares fit explains: a linear summary is fair only when it is near 1.
  double r_squared = 0.0;
};

/// Thrown when the inputs' correlation matrix is singular or nearly so: an input is constant, or a
/// linear combination of others (1 - R^2 of it on the inputs before it below 1e-10). `input` is
/// the first input found to be dependent on the ones before it.
class Collinear : public std::domain_error {
 public:
  Collinear(std::size_t input, const std::string& message)
      : std::domain_error(message), input_(input) {}
  std::size_t input() const noexcept { return input_; }

 private:
  std::size_t input_;
};

/// Standardised regression coefficients: the least-squares coefficients of the output on the
/// inputs (with an intercept), each times sd(input) / sd(output). For independent inputs and a
/// linear model y = c + sum a_i x_i, SRC_i = a_i sd(x_i) / sd(y) and R^2 = 1. Computed from the
/// correlation matrix of inputs and output (centred sums of products, solved through its Cholesky
/// factor in input order). Every column has the same length, at least inputs + 2; values must be
/// finite, the output must vary: std::invalid_argument otherwise.
LinearSummary standardised_regression(std::span<const std::span<const double>> inputs,
                                      std::span<const double> output);

/// Partial rank correlation coefficients: the correlation of the ranks of input i and the ranks of
/// the output once the ranks of the other inputs are regressed out of both, -P_iy / sqrt(P_ii P_yy)
/// for P the inverse of the rank correlation matrix. Ties get their mean rank. r_squared is that of
/// the least-squares fit of the output's ranks on the inputs' ranks. When those ranks fit exactly
/// (R^2 = 1, P does not exist), each coefficient is the limit, the sign of the input's regression
/// coefficient (0 if that is 0). Same requirements as standardised_regression.
LinearSummary partial_rank_correlation(std::span<const std::span<const double>> inputs,
                                       std::span<const double> output);

/// Partial correlation coefficients: what partial_rank_correlation computes once it has ranked
/// its columns, here on the values as given (ranks computed once for several outputs, say).
LinearSummary partial_correlation(std::span<const std::span<const double>> inputs,
                                  std::span<const double> output);

/// The ranks 1 to n of `values` (ties get the mean of their ranks), as doubles; NaN, which has no
/// rank, is rejected with std::invalid_argument.
std::vector<double> ranks(std::span<const double> values);

}  // namespace darkfigure::sensitivity
