#pragma once

#include <Eigen/Dense>
#include <cstddef>
#include <vector>

#include "darkfigure/estimators/lists.hpp"

namespace darkfigure::estimators::detail {

/// The design of every log-linear model of `lists` lists (K), one row per capture history h = 0 to
/// 2^K - 1 (row 0 is the unseen cell). Columns: the intercept; the K main effects, column 1 + k
/// being 1 where list k saw the cell (list 0 is the highest bit of h); the K (K - 1) / 2 two-way
/// interactions in the order (0, 1), (0, 2), ..., (K - 2, K - 1), each the product of its two
/// main effects.
Eigen::MatrixXd full_design(std::size_t lists);

/// The columns of full_design(lists) that `model` uses: the intercept, the main effects and the
/// model's interactions, in that order (the intercept is column 0 of the model's design).
std::vector<Eigen::Index> model_columns(const ListModel& model, std::size_t lists);

/// How a Poisson fit ended.
enum class FitStatus {
  fitted,
  unbounded,       ///< the unseen count exp(intercept) grows without bound
  no_convergence,  ///< the iterations ran out before the deviance settled
  /// X'WX is singular: the Newton step is not finite, or (with `extrapolate`) the intercept has
  /// a share above 1e-8 in the eigenvectors of X'WX whose eigenvalues are below 1e-13 times the
  /// largest, so its variance is not determined
  singular,
};

/// A Poisson log-linear fit by iteratively reweighted least squares.
struct PoissonFit {
  FitStatus status = FitStatus::fitted;
  Eigen::VectorXd coefficients;
  Eigen::VectorXd fitted;       ///< the fitted mean of each row
  double deviance = 0.0;        ///< 2 sum y log(y / mu) - (y - mu), 0 log 0 = 0
  double log_likelihood = 0.0;  ///< sum y log(mu) - mu - log(y!)
  /// [(X'WX)^-1]_00 at the fit (with `extrapolate` only; 0 when the unseen count went to 0)
  double intercept_variance = 0.0;
};

/// The maximum-likelihood fit of counts `y` with log means X beta, X = `design` (its column 0 the
/// intercept), from log(y + 0.5) or from the coefficients `start` when given. With `extrapolate`
/// the intercept is the log of an unseen count that the rows do not contain: the fit then also
/// waits for the intercept to settle and stops as `unbounded` once exp(intercept) exceeds
/// kUnboundedShare times the sum of y. Cells whose fitted mean goes to 0 (a zero count that the
/// model can fit exactly) are allowed: only the deviance and the intercept must settle. The
/// deviance has settled when it changes by less than 1e-11 of itself or than its rounding error
/// (16 eps sum y), or when no coefficient moves by more than 1e-10 of 1 + its size: a cell of
/// 1e9 people makes the deviance's rounding noise exceed any relative tolerance. A fit from
/// `start` that fails is repeated from log(y + 0.5).
PoissonFit fit_poisson(const Eigen::MatrixXd& design, const Eigen::VectorXd& y, bool extrapolate,
                       const Eigen::VectorXd* start = nullptr);

/// An unseen count above this multiple of the people seen counts as growing without bound: a fit
/// whose estimate exists stays far below it, while a diverging intercept reaches it within a few
/// dozen iterations (each adds about 1 to it).
inline constexpr double kUnboundedShare = 1e8;

}  // namespace darkfigure::estimators::detail
