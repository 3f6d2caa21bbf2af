#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "darkfigure/estimators/estimate.hpp"

namespace darkfigure::estimators {

/// The most lists a data set may have.
inline constexpr std::size_t kMaxLists = 8;

/// People seen by K lists (2 <= K <= kMaxLists), by capture history. A history is a string of K
/// characters, one per list in order, '1' where that list saw the person: as a number in base 2
/// it indexes `counts`, so "100" is counts[4] and the first list is the highest bit.
struct ListCounts {
  std::vector<std::string> lists;
  /// 2^K counts, whole numbers >= 0; counts[0], the people no list saw, is ignored.
  std::vector<double> counts;

  /// People seen by at least one list.
  double observed() const;
};

/// A log-linear model of K lists: a main effect for each list and the listed two-way
/// interactions, each a pair (i, j) of list indices with i < j, sorted.
struct ListModel {
  std::vector<std::pair<std::size_t, std::size_t>> interactions;

  friend bool operator==(const ListModel&, const ListModel&) = default;
};

/// The independence model: main effects only (two lists: Lincoln-Petersen).
ListModel independence();
/// Every two-way interaction of k lists.
ListModel all_two_way(std::size_t k);
/// "independence", or the interactions as "police:crisis + crisis:health", in model order.
std::string model_name(const ListModel& model, std::span<const std::string> lists);

/// How models are compared when the model is chosen from the data.
enum class Criterion { aic, bic };
std::string_view criterion_name(Criterion criterion) noexcept;

/// Which estimator and model a list data set uses.
struct ListSettings {
  /// The model; unset: chosen by `criterion` among every model with main effects and any set of
  /// two-way interactions (all of them up to 5 lists; beyond, a stepwise search).
  std::optional<ListModel> model;
  Criterion criterion = Criterion::bic;
  /// Two lists and the independence model only: Chapman's bias-corrected form of
  /// Lincoln-Petersen, (n1 + 1)(n2 + 1) / (m + 1) - 1, with Seber's variance. Its profile
  /// interval is that of the two-list independence likelihood: the same as without Chapman, to
  /// the last digit.
  bool chapman = false;
  IntervalSettings interval;
};

/// The log-linear estimate of the total (Fienberg 1972; Cormack 1989): the model fitted to the
/// 2^K - 1 observed cells as a Poisson GLM with log link (iteratively reweighted least squares),
/// the unseen count exp(intercept); the standard error is the multinomial one, sqrt(f0 + f0^2
/// var(intercept)) (Rivest and Levesque 2001), as Rcapture reports it. AIC and BIC are those of
/// the Poisson likelihood, sum y log(mu) - mu - log(y!), BIC with log(n_observed): Rcapture's
/// (closedpMS) values. Two lists have the closed forms of Lincoln-Petersen, n1 n2 / m with
/// variance n1 n2 (n1 - m)(n2 - m) / m^3 (Seber 1982). A model whose estimate does not exist
/// (the fit diverges: the unseen count grows past 1e8 times n_observed, or the fit does not
/// settle, or its information matrix is singular) is reported as such and excluded, with a
/// warning. The profile interval is Cormack's (1992) multinomial profile likelihood of the total,
/// as Rcapture's closedpCI computes it but with exact log-factorials (two lists: its closed form,
/// the product of two binomials); its upper end is infinite when the likelihood does not fall far
/// enough as the total grows, and an end that cannot be found is NaN, with a warning saying why.
/// The bootstrap draws multinomial tables of round(N) people from the chosen fit and estimates
/// each as the data were, repeating the model choice; a resample whose estimate is unbounded
/// counts as infinite (and makes the upper end infinite when about (1 - level) / 2 or more of them
/// are), one without an estimate otherwise is left out and counted; finite ends are kept at
/// n_observed at least. `se` stays the analytic one.
/// Throws EstimationError when no model can be estimated: a named model that diverges, two lists
/// that share nobody (Lincoln-Petersen is infinite; the hint suggests Chapman), fewer than two
/// lists, counts that are negative, fractional or all zero.
///
///     // Seber (1982) p.107: n1 = 948, n2 = 421, m = 167.
///     estimate_lists({{"first", "second"}, {0, 254, 781, 167}}, {})
///     // fit.estimate 2389.9, fit.se 130.4, fit.aic 28.831, profile 2156.0 to 2670.3
Estimate estimate_lists(const ListCounts& data, const ListSettings& settings);

}  // namespace darkfigure::estimators
