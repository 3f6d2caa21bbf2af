#include "estimators/loglinear.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>

namespace darkfigure::estimators::detail {
namespace {

/// Newton's method on a concave likelihood from a start near the data converges in 5 to 10
/// iterations; a hundred leave room for slow fits without hiding a divergence.
constexpr int kMaxIterations = 100;
/// The deviance has settled when it changes by less than this share of |deviance| + 0.1 (R's
/// glm.fit criterion, made stricter than its 1e-8 because the profile likelihood takes
/// differences of fitted likelihoods).
constexpr double kDevianceTolerance = 1e-11;
/// The deviance of counts summing to S is not known better than this many times S times the
/// machine epsilon: an unseen cell of 1e9 people leaves rounding noise of about 1e-6 in it, far
/// above the relative tolerance, so the tolerance is never below this floor.
constexpr double kDevianceRounding = 16.0;
/// The coefficients have settled when no iteration moves any of them by more than this share of
/// 1 + its size: Newton's convergence is quadratic by then, whatever rounding does to the deviance.
constexpr double kCoefficientTolerance = 1e-10;
/// The intercept has settled when an iteration moves it by less than this: the convergence is
/// quadratic by then, so the unseen count is exact to rounding.
constexpr double kInterceptTolerance = 1e-9;
/// An unseen count below this share of the people seen has gone to 0 (a cell of the model that
/// the data leave empty pulls it down by a factor of about e per iteration): its limit is 0.
constexpr double kVanishingShare = 1e-12;
/// A step that raises the deviance is halved at most this often.
constexpr int kMaxHalvings = 30;
/// X'WX is nearly singular when the smallest pivot of its LDLT factor, or eigenvalue, is below
/// this share of the largest: a solve through it would be mostly rounding.
constexpr double kSingularRatio = 1e-13;
/// The intercept is not determined when more than this share of its unit vector lies in the
/// nearly singular eigenvectors of X'WX: rounding alone leaves far less there.
constexpr double kUndeterminedShare = 1e-8;

/// 2 sum y log(y / mu) - (y - mu), with 0 log 0 = 0.
double poisson_deviance(const Eigen::VectorXd& y, const Eigen::VectorXd& mu) {
  double sum = 0.0;
  for (Eigen::Index i = 0; i < y.size(); ++i) {
    if (y[i] > 0.0) sum += y[i] * std::log(y[i] / mu[i]);
    sum -= y[i] - mu[i];
  }
  return 2.0 * sum;
}

/// sum y log(mu) - mu - log(y!), with 0 log 0 = 0.
double poisson_log_likelihood(const Eigen::VectorXd& y, const Eigen::VectorXd& mu) {
  double sum = 0.0;
  for (Eigen::Index i = 0; i < y.size(); ++i) {
    if (y[i] > 0.0) sum += y[i] * std::log(mu[i]);
    sum -= mu[i] + std::lgamma(y[i] + 1.0);
  }
  return sum;
}

}  // namespace

Eigen::MatrixXd full_design(std::size_t lists) {
  const auto k = static_cast<Eigen::Index>(lists);
  const Eigen::Index rows = Eigen::Index{1} << k;
  const Eigen::Index columns = 1 + k + k * (k - 1) / 2;
  Eigen::MatrixXd design = Eigen::MatrixXd::Zero(rows, columns);
  for (Eigen::Index h = 0; h < rows; ++h) {
    design(h, 0) = 1.0;
    for (Eigen::Index i = 0; i < k; ++i)
      design(h, 1 + i) = static_cast<double>((h >> (k - 1 - i)) & 1);
    Eigen::Index column = 1 + k;
    for (Eigen::Index i = 0; i < k; ++i) {
      for (Eigen::Index j = i + 1; j < k; ++j)
        design(h, column++) = design(h, 1 + i) * design(h, 1 + j);
    }
  }
  return design;
}

std::vector<Eigen::Index> model_columns(const ListModel& model, std::size_t lists) {
  const auto k = static_cast<Eigen::Index>(lists);
  std::vector<Eigen::Index> columns;
  for (Eigen::Index c = 0; c <= k; ++c)
    columns.push_back(c);
  for (const auto& [i, j] : model.interactions) {
    // Pairs (a, b) with a < i come first, k - 1 - a of them for each a.
    const auto a = static_cast<Eigen::Index>(i);
    const auto b = static_cast<Eigen::Index>(j);
    columns.push_back(1 + k + a * (2 * k - a - 1) / 2 + (b - a - 1));
  }
  return columns;
}

namespace {

/// [(X'WX)^-1]_00 at the fitted means `mu`, or nullopt when the intercept is not determined.
/// A term whose cells' means all go to 0 (zero counts the model fits exactly: a term, or a
/// combination of terms, at minus infinity) leaves X'WX nearly singular in its own direction
/// only; the intercept's variance is then the limit's, taken on the other eigenvectors, as long
/// as the intercept has no part in the vanishing ones.
std::optional<double> intercept_variance(const Eigen::MatrixXd& design, const Eigen::VectorXd& mu) {
  const Eigen::MatrixXd information =
      design.transpose() * (design.array().colwise() * mu.array()).matrix();
  const Eigen::LDLT<Eigen::MatrixXd> factor(information);
  const Eigen::VectorXd pivots = factor.vectorD().cwiseAbs();
  if (factor.info() == Eigen::Success && pivots.allFinite() &&
      pivots.minCoeff() >= kSingularRatio * pivots.maxCoeff()) {
    Eigen::VectorXd unit = Eigen::VectorXd::Zero(information.rows());
    unit[0] = 1.0;
    const double variance = factor.solve(unit)[0];
    if (std::isfinite(variance)) return variance;
    return std::nullopt;
  }
  const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eigen(information);
  if (eigen.info() != Eigen::Success) return std::nullopt;
  const Eigen::VectorXd& values = eigen.eigenvalues();  // increasing
  const double largest = values[values.size() - 1];
  double variance = 0.0;
  double vanishing_share = 0.0;
  for (Eigen::Index i = 0; i < values.size(); ++i) {
    const double part = eigen.eigenvectors()(0, i) * eigen.eigenvectors()(0, i);
    if (values[i] > kSingularRatio * largest) {
      variance += part / values[i];
    } else {
      vanishing_share += part;
    }
  }
  if (!(vanishing_share <= kUndeterminedShare) || !std::isfinite(variance)) return std::nullopt;
  return variance;
}

PoissonFit fit_from(const Eigen::MatrixXd& design, const Eigen::VectorXd& y, bool extrapolate,
                    const Eigen::VectorXd* start) {
  const Eigen::Index p = design.cols();
  const double total = y.sum();
  const double rounding = kDevianceRounding * std::numeric_limits<double>::epsilon() * total;
  const auto deviance_tolerance = [&](double value) {
    return std::max(kDevianceTolerance * (std::abs(value) + 0.1), rounding);
  };
  PoissonFit fit;
  Eigen::VectorXd eta;
  Eigen::VectorXd beta;
  if (start != nullptr) {
    beta = *start;
    eta = design * beta;
  } else {
    eta = (y.array() + 0.5).log().matrix();
  }
  Eigen::VectorXd mu = eta.array().exp().matrix();
  double deviance = poisson_deviance(y, mu);
  Eigen::MatrixXd weighted(design.rows(), p);
  Eigen::MatrixXd information(p, p);
  Eigen::LDLT<Eigen::MatrixXd> factor(p);
  // The factor's info() is not checked: cells whose means go to 0 leave pivots near 0 that
  // rounding can make slightly negative, and the solution is still the Newton step of the cells
  // that matter. A singular system shows as a solution that is not finite.
  const auto factor_at = [&](const Eigen::VectorXd& means) {
    weighted = design.array().colwise() * means.array();
    information.noalias() = design.transpose() * weighted;
    factor.compute(information);
  };

  bool settled = false;
  for (int iteration = 0; iteration < kMaxIterations && !settled; ++iteration) {
    const Eigen::VectorXd working = eta + (y - mu).cwiseQuotient(mu);
    factor_at(mu);
    Eigen::VectorXd next = factor.solve(weighted.transpose() * working);
    if (!next.allFinite()) {
      fit.status = FitStatus::singular;
      break;
    }
    Eigen::VectorXd next_mu = (design * next).array().exp().matrix();
    double next_deviance = poisson_deviance(y, next_mu);
    // Newton's step on the concave likelihood can overshoot far from the maximum: halve it until
    // the deviance does not rise (R's glm.fit halves only on an infinite deviance).
    for (int halving = 0; beta.size() == p && halving < kMaxHalvings &&
                          !(next_deviance <= deviance + deviance_tolerance(deviance));
         ++halving) {
      next = 0.5 * (next + beta);
      next_mu = (design * next).array().exp().matrix();
      next_deviance = poisson_deviance(y, next_mu);
    }
    const double intercept_step = beta.size() == p ? std::abs(next[0] - beta[0]) : HUGE_VAL;
    const bool coefficients_settled =
        beta.size() == p &&
        ((next - beta).array().abs() <= kCoefficientTolerance * (1.0 + next.array().abs())).all();
    const bool deviance_settled =
        std::abs(next_deviance - deviance) <= deviance_tolerance(next_deviance) ||
        coefficients_settled;
    beta = std::move(next);
    mu = std::move(next_mu);
    eta = design * beta;
    deviance = next_deviance;
    if (extrapolate) {
      const double unseen = std::exp(beta[0]);
      if (!(unseen <= kUnboundedShare * total)) {
        fit.status = FitStatus::unbounded;
        break;
      }
      settled = deviance_settled &&
                (intercept_step <= kInterceptTolerance || unseen < kVanishingShare * total);
    } else {
      settled = deviance_settled;
    }
  }
  if (fit.status == FitStatus::fitted && !settled) fit.status = FitStatus::no_convergence;
  fit.coefficients = beta;
  fit.fitted = mu;
  fit.deviance = deviance;
  fit.log_likelihood = poisson_log_likelihood(y, mu);
  if (extrapolate && fit.status == FitStatus::fitted) {
    // An unseen count that went to 0 has f0^2 var(intercept) -> 0 as well.
    if (std::exp(beta[0]) < kVanishingShare * total) return fit;
    const std::optional<double> variance = intercept_variance(design, mu);
    if (variance) {
      fit.intercept_variance = *variance;
    } else {
      fit.status = FitStatus::singular;
    }
  }
  return fit;
}

}  // namespace

PoissonFit fit_poisson(const Eigen::MatrixXd& design, const Eigen::VectorXd& y, bool extrapolate,
                       const Eigen::VectorXd* start) {
  if (start != nullptr) {
    // A start whose mean of some cell is near 0 while that cell now has a count makes the first
    // Newton step enormous: such a fit starts again from the data.
    PoissonFit fit = fit_from(design, y, extrapolate, start);
    if (fit.status == FitStatus::fitted) return fit;
  }
  return fit_from(design, y, extrapolate, nullptr);
}

}  // namespace darkfigure::estimators::detail
