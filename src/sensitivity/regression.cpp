#include "darkfigure/sensitivity/regression.hpp"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <functional>
#include <numeric>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace darkfigure::sensitivity {
namespace {

/// An input whose variance left over after regressing it on the inputs before it is below this
/// share of its variance (1 - R^2_i < 1e-10, R^2_i of input i on inputs 0 to i - 1) counts as a
/// linear combination of them. Correlations carry rounding errors near 1e-16, far below it, and
/// an input explained but for a 1e-5 share of its standard deviation is useless to a regression.
constexpr double kLeftoverVariance = 1e-10;

/// Checks the columns against the contract of standardised_regression; `where` names the caller.
void check_columns(std::span<const std::span<const double>> inputs, std::span<const double> output,
                   const char* where) {
  const std::size_t n = output.size();
  std::ostringstream message;
  message << where << ": ";
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    if (inputs[i].size() == n) continue;
    message << "input " << i << " has " << inputs[i].size() << " values, but must have " << n
            << " as the output does";
    throw std::invalid_argument(message.str());
  }
  if (n < inputs.size() + 2) {
    message << "there are " << n << " values per column, but must be at least " << inputs.size() + 2
            << " for " << inputs.size() << " inputs";
    throw std::invalid_argument(message.str());
  }
  const auto check_finite = [&](std::span<const double> column, const std::string& name) {
    const auto bad =
        std::find_if(column.begin(), column.end(), [](double v) { return !std::isfinite(v); });
    if (bad == column.end()) return;
    message << name << " value " << (bad - column.begin()) << " is " << *bad
            << ", but must be finite";
    throw std::invalid_argument(message.str());
  };
  for (std::size_t i = 0; i < inputs.size(); ++i)
    check_finite(inputs[i], "input " + std::to_string(i));
  check_finite(output, "the output's");
  if (std::adjacent_find(output.begin(), output.end(), std::not_equal_to<>()) == output.end()) {
    message << "the output is " << output.front() << " at every draw, but must vary";
    throw std::invalid_argument(message.str());
  }
}

/// `column` centred at its mean and scaled to unit length, so that dot products of two such
/// columns are their correlation. The mean takes two passes (the second removes most of the
/// rounding error of the first); the scaling first divides by the largest deviation so that no
/// square overflows. The column must vary.
Eigen::VectorXd standardised(std::span<const double> column) {
  const Eigen::Map<const Eigen::VectorXd> x(column.data(),
                                            static_cast<Eigen::Index>(column.size()));
  const double rough_mean = x.mean();
  const double mean = rough_mean + (x.array() - rough_mean).mean();
  Eigen::VectorXd centred = x.array() - mean;
  centred /= centred.cwiseAbs().maxCoeff();
  centred /= centred.norm();
  return centred;
}

/// A least-squares fit of standardised columns, with C the correlation matrix of the inputs and
/// the output.
struct Fit {
  Eigen::VectorXd coefficients;      ///< C_xx^-1 C_xy
  Eigen::VectorXd inverse_diagonal;  ///< the diagonal of C_xx^-1
  double r_squared = 0.0;            ///< C_yx C_xx^-1 C_xy
};

/// The fit of `output` on `inputs` through the Cholesky factor L of C (the output last), taken in
/// input order without pivoting: the squared pivot L_ii^2 is 1 - R^2_i of input i on the inputs
/// before it, which finds the first collinear input, and row y of L is L_xx^-1 C_xy, whose squared
/// length is R^2. `where` names the caller in messages, `in_ranks` says that the columns are ranks.
Fit fit(std::span<const std::span<const double>> inputs, std::span<const double> output,
        const char* where, bool in_ranks) {
  const auto k = static_cast<Eigen::Index>(inputs.size());
  const auto n = static_cast<Eigen::Index>(output.size());
  Eigen::MatrixXd columns(n, k + 1);
  for (Eigen::Index i = 0; i < k; ++i) {
    const std::span<const double> input = inputs[static_cast<std::size_t>(i)];
    if (std::adjacent_find(input.begin(), input.end(), std::not_equal_to<>()) == input.end()) {
      std::ostringstream message;
      message << where << ": input " << i << " is constant, so no coefficient can be fitted for it";
      throw Collinear(static_cast<std::size_t>(i), message.str());
    }
    columns.col(i) = standardised(input);
  }
  columns.col(k) = standardised(output);
  const Eigen::MatrixXd correlation = columns.transpose() * columns;

  // C has a unit diagonal by construction, so the pivots subtract from 1.
  Eigen::MatrixXd factor = Eigen::MatrixXd::Zero(k + 1, k + 1);
  for (Eigen::Index j = 0; j <= k; ++j) {
    const double pivot = 1.0 - factor.row(j).head(j).squaredNorm();
    if (j < k && !(pivot >= kLeftoverVariance)) {
      std::ostringstream message;
      message << where << ": input " << j << " is" << (in_ranks ? ", in ranks," : "")
              << " a linear combination of "
              << (j == 1 ? "input 0" : "inputs 0 to " + std::to_string(j - 1))
              << ": its 1 - R^2 on them is " << pivot << ", but must be at least "
              << kLeftoverVariance;
      throw Collinear(static_cast<std::size_t>(j), message.str());
    }
    if (j == k) break;
    factor(j, j) = std::sqrt(pivot);
    for (Eigen::Index i = j + 1; i <= k; ++i) {
      factor(i, j) =
          (correlation(i, j) - factor.row(i).head(j).dot(factor.row(j).head(j))) / factor(j, j);
    }
  }

  const auto lower = factor.topLeftCorner(k, k).triangularView<Eigen::Lower>();
  const Eigen::VectorXd projection = factor.row(k).head(k).transpose();
  Fit result;
  result.coefficients = lower.transpose().solve(projection);
  const Eigen::MatrixXd inverse_factor = lower.solve(Eigen::MatrixXd::Identity(k, k));
  result.inverse_diagonal = inverse_factor.colwise().squaredNorm().transpose();
  result.r_squared = std::min(1.0, projection.squaredNorm());
  return result;
}

}  // namespace

LinearSummary standardised_regression(std::span<const std::span<const double>> inputs,
                                      std::span<const double> output) {
  constexpr const char* kWhere = "standardised_regression";
  check_columns(inputs, output, kWhere);
  const Fit result = fit(inputs, output, kWhere, false);
  LinearSummary summary;
  summary.coefficients.assign(result.coefficients.begin(), result.coefficients.end());
  summary.r_squared = result.r_squared;
  return summary;
}

namespace {

/// The partial correlations of a fit of `output` on `inputs` (ranks when `in_ranks`, which words
/// the Collinear message), `where` naming the caller in messages.
LinearSummary partial(std::span<const std::span<const double>> inputs,
                      std::span<const double> output, const char* where, bool in_ranks) {
  const Fit result = fit(inputs, output, where, in_ranks);

  // With C the rank correlation matrix, the inputs' block A = C_xx, beta = A^-1 C_xy and
  // s = 1 - R^2, block inversion gives P = C^-1 with P_yy = 1 / s, P_iy = -beta_i / s and
  // P_ii = (A^-1)_ii + beta_i^2 / s, so -P_iy / sqrt(P_ii P_yy) = beta_i / sqrt(s (A^-1)_ii +
  // beta_i^2). This form stays finite when the output's ranks are a linear function of the
  // inputs' (s = 0, C singular): each coefficient is then the sign of beta_i, or 0 where beta_i
  // is 0 too and the partial correlation is undefined.
  const double leftover = 1.0 - result.r_squared;
  LinearSummary summary;
  summary.r_squared = result.r_squared;
  for (Eigen::Index i = 0; i < result.coefficients.size(); ++i) {
    const double beta = result.coefficients(i);
    const double scale = std::sqrt(leftover * result.inverse_diagonal(i) + beta * beta);
    summary.coefficients.push_back(scale > 0.0 ? beta / scale : 0.0);
  }
  return summary;
}

}  // namespace

LinearSummary partial_rank_correlation(std::span<const std::span<const double>> inputs,
                                       std::span<const double> output) {
  check_columns(inputs, output, "partial_rank_correlation");
  std::vector<std::vector<double>> input_ranks;
  input_ranks.reserve(inputs.size());
  for (const std::span<const double> input : inputs)
    input_ranks.push_back(ranks(input));
  const std::vector<std::span<const double>> rank_columns(input_ranks.begin(), input_ranks.end());
  return partial(rank_columns, ranks(output), "partial_rank_correlation", true);
}

LinearSummary partial_correlation(std::span<const std::span<const double>> inputs,
                                  std::span<const double> output) {
  check_columns(inputs, output, "partial_correlation");
  return partial(inputs, output, "partial_correlation", false);
}

std::vector<double> ranks(std::span<const double> values) {
  for (std::size_t j = 0; j < values.size(); ++j) {
    if (!std::isnan(values[j])) continue;
    std::ostringstream message;
    message << "ranks: value " << j << " is NaN, but must be comparable";
    throw std::invalid_argument(message.str());
  }
  // Sorting (value, index) pairs in place is several times faster than sorting indices that
  // compare through the values; ties get one mean rank, so their order does not matter.
  std::vector<std::pair<double, std::size_t>> sorted(values.size());
  for (std::size_t j = 0; j < values.size(); ++j)
    sorted[j] = {values[j], j};
  std::sort(sorted.begin(), sorted.end());
  std::vector<double> result(values.size());
  std::size_t first = 0;
  while (first < sorted.size()) {
    std::size_t last = first;
    while (last + 1 < sorted.size() && sorted[last + 1].first == sorted[first].first)
      ++last;
    // The tied values hold ranks first + 1 to last + 1; each gets their mean.
    const double mid_rank = static_cast<double>(first + last) / 2.0 + 1.0;
    for (std::size_t p = first; p <= last; ++p)
      result[sorted[p].second] = mid_rank;
    first = last + 1;
  }
  return result;
}

}  // namespace darkfigure::sensitivity
