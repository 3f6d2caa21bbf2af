#include "darkfigure/estimators/lists.hpp"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <exception>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <sstream>
#include <string>
#include <thread>
#include <tuple>
#include <utility>
#include <vector>

#include <boost/math/distributions/chi_squared.hpp>
#include <boost/math/policies/error_handling.hpp>
#include <boost/math/tools/minima.hpp>
#include <boost/math/tools/roots.hpp>

#include "estimators/log_falling.hpp"
#include "estimators/loglinear.hpp"
#include "estimators/resampling.hpp"

namespace darkfigure::estimators {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInfinity = std::numeric_limits<double>::infinity();

/// Every model is fitted when there are at most this many lists (2^10 = 1024 models for 5);
/// beyond, the 2^15 to 2^28 models call for a stepwise search.
constexpr std::size_t kMaxListsForAllModels = 5;

/// How many left-out models are warned about one by one; beyond, one warning lists them all.
constexpr std::size_t kSeparateWarnings = 3;

/// The hint for a model whose estimate does not exist.
constexpr const char* kDivergenceHint =
    "use fewer interactions (drop the interaction of the lists that share few people), or leave "
    "the model unset to choose one from the data";

/// The capture history h of k lists as k characters, the first list first: "101".
std::string history_name(std::size_t h, std::size_t k) {
  std::string name(k, '0');
  for (std::size_t i = 0; i < k; ++i) {
    if ((h >> (k - 1 - i)) & 1U) name[i] = '1';
  }
  return name;
}

void check_data(const ListCounts& data) {
  const std::size_t k = data.lists.size();
  if (k < 2 || k > kMaxLists) {
    std::ostringstream message;
    message << "there " << (k == 1 ? "is " : "are ") << k << (k == 1 ? " list" : " lists")
            << ", but must be 2 to " << kMaxLists;
    throw EstimationError(message.str(), k < 2 ? "capture-recapture needs a second list that "
                                                 "sees some of the same people"
                                               : "merge some lists");
  }
  for (std::size_t i = 0; i < k; ++i) {
    if (data.lists[i].empty()) {
      throw EstimationError("list " + std::to_string(i + 1) + " has no name",
                            "give every list a name");
    }
    for (std::size_t j = 0; j < i; ++j) {
      if (data.lists[i] == data.lists[j]) {
        throw EstimationError("lists " + std::to_string(j + 1) + " and " + std::to_string(i + 1) +
                                  " are both called \"" + data.lists[i] + "\"",
                              "give every list its own name");
      }
    }
  }
  const std::size_t cells = std::size_t{1} << k;
  if (data.counts.size() != cells) {
    std::ostringstream message;
    message << "there are " << data.counts.size() << " counts, but " << k << " lists need 2^" << k
            << " = " << cells;
    throw EstimationError(message.str(), "give one count per capture history, \"" +
                                             history_name(0, k) + "\" to \"" +
                                             history_name(cells - 1, k) + "\"");
  }
  for (std::size_t h = 1; h < cells; ++h) {
    const double count = data.counts[h];
    std::ostringstream message;
    message << "history " << history_name(h, k) << ": count " << count;
    if (!std::isfinite(count)) {
      message << " is not a number of people";
    } else if (count < 0.0) {
      message << " is negative";
    } else if (count != std::floor(count)) {
      message << " is not a whole number";
    } else {
      continue;
    }
    throw EstimationError(message.str(), "give each history the number of people seen with it");
  }
  if (!(data.observed() > 0.0)) {
    throw EstimationError("every count is 0: the lists saw nobody",
                          "give each history the number of people seen with it");
  }
  // A list that saw nobody leaves its main effect, and every interaction with it, undetermined.
  for (std::size_t list = 0; list < k; ++list) {
    const std::size_t bit = std::size_t{1} << (k - 1 - list);
    double seen = 0.0;
    for (std::size_t h = 1; h < cells; ++h) {
      if ((h & bit) != 0) seen += data.counts[h];
    }
    if (seen == 0.0) {
      throw EstimationError("list " + data.lists[list] + " saw nobody",
                            "leave it out of lists: a list without people says nothing about "
                            "those the others missed");
    }
  }
}

void check_model(const ListModel& model, std::span<const std::string> lists) {
  const std::size_t k = lists.size();
  std::set<std::pair<std::size_t, std::size_t>> seen;
  for (const auto& [i, j] : model.interactions) {
    std::ostringstream message;
    message << "interaction (" << i << ", " << j << ")";
    if (i >= k || j >= k) {
      message << " names a list beyond the " << k << " lists (indices 0 to " << k - 1 << ")";
    } else if (i >= j) {
      message << " must name two different lists, the first with the lower index";
    } else if (!seen.insert({i, j}).second) {
      message << " (" << lists[i] << ":" << lists[j] << ") appears twice";
    } else {
      continue;
    }
    throw EstimationError(message.str(), "list each interaction once as (i, j) with i < j");
  }
}

void check_settings(const ListSettings& settings, std::span<const std::string> lists) {
  check_interval_settings(settings.interval);
  if (settings.model) check_model(*settings.model, lists);
  if (!settings.chapman) return;
  if (lists.size() != 2) {
    throw EstimationError(
        "chapman's estimator needs 2 lists, but there are " + std::to_string(lists.size()),
        "use the log-linear models, which take any number of lists");
  }
  if (settings.model && !settings.model->interactions.empty()) {
    throw EstimationError(
        "chapman's estimator is that of the independence model, but the model is " +
            model_name(*settings.model, lists),
        "leave the model unset or use the independence model");
  }
}

/// A data set ready for fitting.
struct Table {
  std::size_t lists = 0;
  Eigen::MatrixXd design;  ///< full_design(lists): every history, the unseen cell first
  Eigen::VectorXd seen;    ///< the counts of histories 1 to 2^K - 1
  double observed = 0.0;
};

Table make_table(std::size_t lists, std::span<const double> counts, const Eigen::MatrixXd& design) {
  Table table;
  table.lists = lists;
  table.design = design;
  table.seen = Eigen::Map<const Eigen::VectorXd>(counts.data() + 1,
                                                 static_cast<Eigen::Index>(counts.size() - 1));
  table.observed = table.seen.sum();
  return table;
}

/// A model's fit with what the bootstrap and the profile likelihood need besides its row in the
/// table of alternatives.
struct Fitted {
  ModelFit row;
  ListModel model;
  /// The fitted count of every history, the unseen count first (empty without an estimate).
  Eigen::VectorXd cells;
  /// The log-linear coefficients, for warm starts (empty without an estimate or for two lists).
  Eigen::VectorXd coefficients;
  /// Without an estimate because the estimate is infinite: two lists that share nobody, or an
  /// unseen count that grows without bound.
  bool unbounded = false;

  bool has_estimate() const { return row.problem.empty(); }
};

/// The Poisson log-likelihood of counts fitted exactly (a saturated model).
double saturated_log_likelihood(std::span<const double> counts) {
  double sum = 0.0;
  for (const double y : counts) {
    if (y > 0.0) sum += y * std::log(y);
    sum -= y + std::lgamma(y + 1.0);
  }
  return sum;
}

/// The people of two lists: n1 and n2 seen by each, m by both.
struct TwoLists {
  double n1 = 0.0;
  double n2 = 0.0;
  double m = 0.0;

  explicit TwoLists(const Table& table)
      : n1(table.seen[1] + table.seen[2]),  // histories 10 and 11
        n2(table.seen[0] + table.seen[2]),  // histories 01 and 11
        m(table.seen[2]) {}

  /// Chapman's (1951) estimate (n1 + 1)(n2 + 1) / (m + 1) - 1 and Seber's (1970) variance
  /// (n1 + 1)(n2 + 1)(n1 - m)(n2 - m) / ((m + 1)^2 (m + 2)): finite whatever m.
  std::pair<double, double> chapman() const {
    return {(n1 + 1.0) * (n2 + 1.0) / (m + 1.0) - 1.0,
            (n1 + 1.0) * (n2 + 1.0) * (n1 - m) * (n2 - m) / ((m + 1.0) * (m + 1.0) * (m + 2.0))};
  }
};

/// Two lists, independence: the log-linear fit is saturated (3 cells, 3 parameters), so it has
/// the closed form of Lincoln-Petersen, N = n1 n2 / m, with the multinomial variance
/// n1 n2 (n1 - m)(n2 - m) / m^3 (Seber 1982, eq. 3.2). Chapman (1951) replaces the estimate and
/// the variance by TwoLists::chapman's.
Fitted fit_two_lists(const Table& table, bool chapman) {
  const TwoLists people(table);
  const double n1 = people.n1;
  const double n2 = people.n2;
  const double both = people.m;
  const double only_first = n1 - both;
  const double only_second = n2 - both;
  Fitted fit;
  fit.row.model = chapman ? "chapman" : "independence";
  fit.model = independence();
  if (!chapman && both == 0.0) {
    fit.row.problem =
        "the estimate does not exist: the lists share nobody, so the "
        "Lincoln-Petersen estimate is infinite";
    fit.unbounded = true;
    return fit;
  }
  double total = 0.0;
  double variance = 0.0;
  if (chapman) {
    std::tie(total, variance) = people.chapman();
  } else {
    total = n1 * n2 / both;
    variance = n1 * n2 * only_first * only_second / (both * both * both);
  }
  fit.row.estimate = total;
  fit.row.se = std::sqrt(variance);
  fit.row.deviance = 0.0;
  fit.row.df = 0;
  const double log_likelihood = saturated_log_likelihood({table.seen.data(), 3});
  fit.row.aic = -2.0 * log_likelihood + 2.0 * 3.0;
  fit.row.bic = -2.0 * log_likelihood + std::log(table.observed) * 3.0;
  // The expected counts of independence at this total: N p1 p2, N p1 (1 - p2), ...
  const double mean_both = n1 * n2 / total;
  fit.cells.resize(4);
  fit.cells << total - n1 - n2 + mean_both, n2 - mean_both, n1 - mean_both, mean_both;
  return fit;
}

/// The design rows of the seen histories and the model's columns.
Eigen::MatrixXd seen_design(const Table& table, const std::vector<Eigen::Index>& columns) {
  const Eigen::Index rows = table.design.rows();
  return table.design(Eigen::seq(1, rows - 1), columns);
}

/// The log-linear fit of `model` to the seen histories (three lists or more).
Fitted fit_log_linear(const Table& table, const ListModel& model,
                      std::span<const std::string> lists, const Eigen::VectorXd* start) {
  const std::vector<Eigen::Index> columns = detail::model_columns(model, table.lists);
  const Eigen::MatrixXd design = seen_design(table, columns);
  const detail::PoissonFit poisson = detail::fit_poisson(design, table.seen, true, start);
  Fitted fit;
  fit.model = model;
  fit.row.model = model_name(model, lists);
  switch (poisson.status) {
    case detail::FitStatus::fitted:
      break;
    case detail::FitStatus::unbounded:
      fit.row.problem = "the estimate does not exist: the unseen count grows without bound";
      fit.unbounded = true;
      return fit;
    case detail::FitStatus::no_convergence:
      fit.row.problem = "the estimate does not exist: the fit does not settle";
      return fit;
    case detail::FitStatus::singular:
      fit.row.problem =
          "the information matrix is singular: the data do not determine the model's terms";
      return fit;
  }
  const double unseen = std::exp(poisson.coefficients[0]);
  const auto parameters = static_cast<double>(columns.size());
  fit.row.estimate = table.observed + unseen;
  // Rivest and Levesque (2001); Rcapture's getN: the variance of exp(intercept) by the delta
  // method, plus the multinomial f0 that turns the Poisson variance into the conditional one.
  fit.row.se = std::sqrt(unseen + unseen * unseen * std::max(0.0, poisson.intercept_variance));
  fit.row.deviance = poisson.deviance;
  fit.row.df = static_cast<int>(table.seen.size()) - static_cast<int>(columns.size());
  fit.row.aic = -2.0 * poisson.log_likelihood + 2.0 * parameters;
  fit.row.bic = -2.0 * poisson.log_likelihood + std::log(table.observed) * parameters;
  fit.cells.resize(table.design.rows());
  fit.cells[0] = unseen;
  fit.cells.tail(table.seen.size()) = poisson.fitted;
  fit.coefficients = poisson.coefficients;
  return fit;
}

Fitted fit_model(const Table& table, const ListModel& model, bool chapman,
                 std::span<const std::string> lists, const Eigen::VectorXd* start = nullptr) {
  if (table.lists == 2) return fit_two_lists(table, chapman);
  return fit_log_linear(table, model, lists, start);
}

double criterion_of(const ModelFit& row, Criterion criterion) {
  const double value = criterion == Criterion::aic ? row.aic : row.bic;
  return std::isnan(value) ? kInfinity : value;
}

/// Models with an estimate by the criterion, best first (ties in the order given); the rest last.
void rank(std::vector<Fitted>& fits, Criterion criterion) {
  std::stable_sort(fits.begin(), fits.end(), [&](const Fitted& a, const Fitted& b) {
    if (a.has_estimate() != b.has_estimate()) return a.has_estimate();
    return criterion_of(a.row, criterion) < criterion_of(b.row, criterion);
  });
}

/// Every pair (i, j), i < j, of k lists, in model order.
std::vector<std::pair<std::size_t, std::size_t>> all_pairs(std::size_t k) {
  return all_two_way(k).interactions;
}

/// The model with the interactions whose bits are set in `mask`.
ListModel model_of_mask(std::uint32_t mask,
                        const std::vector<std::pair<std::size_t, std::size_t>>& pairs) {
  ListModel model;
  for (std::size_t p = 0; p < pairs.size(); ++p) {
    if ((mask >> p) & 1U) model.interactions.push_back(pairs[p]);
  }
  return model;
}

/// The models a data set's choice fits, and their coefficients on the data for warm starts.
class ModelChoice {
 public:
  ModelChoice(std::size_t lists, Criterion criterion)
      : lists_(lists), criterion_(criterion), pairs_(all_pairs(lists)) {}

  /// Every model fitted on the way, ranked (the chosen one first when any has an estimate).
  /// `starts` maps a model's mask to coefficients to start from.
  std::vector<Fitted> run(const Table& table, std::span<const std::string> names,
                          const std::map<std::uint32_t, Eigen::VectorXd>& starts) const {
    std::map<std::uint32_t, Fitted> fitted;
    const auto fit = [&](std::uint32_t mask) -> const Fitted& {
      auto found = fitted.find(mask);
      if (found != fitted.end()) return found->second;
      const auto start = starts.find(mask);
      return fitted
          .emplace(mask, fit_model(table, model_of_mask(mask, pairs_), false, names,
                                   start == starts.end() ? nullptr : &start->second))
          .first->second;
    };
    if (lists_ == 2) {
      fit(0);
    } else if (lists_ <= kMaxListsForAllModels) {
      for (std::uint32_t mask = 0; mask < (std::uint32_t{1} << pairs_.size()); ++mask)
        fit(mask);
    } else {
      // Stepwise from independence: take the one added or dropped interaction that lowers the
      // criterion most, until none does.
      std::uint32_t current = 0;
      double current_value = criterion_of(fit(0).row, criterion_);
      for (;;) {
        std::uint32_t best = current;
        double best_value = current_value;
        for (std::size_t p = 0; p < pairs_.size(); ++p) {
          const std::uint32_t neighbour = current ^ (std::uint32_t{1} << p);
          const Fitted& candidate = fit(neighbour);
          const double value = criterion_of(candidate.row, criterion_);
          if (candidate.has_estimate() && value < best_value) {
            best = neighbour;
            best_value = value;
          }
        }
        if (best == current) break;
        current = best;
        current_value = best_value;
      }
    }
    std::vector<Fitted> fits;
    fits.reserve(fitted.size());
    for (auto& entry : fitted)
      fits.push_back(std::move(entry.second));
    rank(fits, criterion_);
    return fits;
  }

  /// The mask of `model` (its interactions must be pairs of these lists).
  std::uint32_t mask_of(const ListModel& model) const {
    std::uint32_t mask = 0;
    for (const auto& pair : model.interactions) {
      const auto at = std::find(pairs_.begin(), pairs_.end(), pair);
      mask |= std::uint32_t{1} << (at - pairs_.begin());
    }
    return mask;
  }

 private:
  std::size_t lists_;
  Criterion criterion_;
  std::vector<std::pair<std::size_t, std::size_t>> pairs_;
};

/// "model X left out: ..." for each model without an estimate, or one warning for many.
void warn_left_out(const std::vector<Fitted>& fits, std::vector<std::string>& warnings) {
  std::vector<const Fitted*> left_out;
  for (const Fitted& fit : fits) {
    if (!fit.has_estimate()) left_out.push_back(&fit);
  }
  if (left_out.size() <= kSeparateWarnings) {
    for (const Fitted* fit : left_out)
      warnings.push_back("model " + fit->row.model + " left out: " + fit->row.problem);
    return;
  }
  std::ostringstream message;
  message << left_out.size() << " models left out, their estimates do not exist: ";
  for (std::size_t i = 0; i < left_out.size(); ++i)
    message << (i == 0 ? "" : "; ") << left_out[i]->row.model;
  warnings.push_back(message.str());
}

/// The multinomial profile log-likelihood of the total N (Cormack 1992; Rcapture's closedpCI):
/// the unseen cell holds N - n, the model is fitted to all 2^K cells (a Poisson fit with an
/// intercept keeps the total, so it is the multinomial fit at N), and
///   l(N) = log N! - log (N - n)! + sum over all cells y log(mu / sum mu),
/// dropping the terms that do not depend on N. N may be fractional (log Gamma).
class ProfileLikelihood {
 public:
  ProfileLikelihood(const Table& table, const ListModel& model)
      : design_(table.design(Eigen::all, detail::model_columns(model, table.lists))),
        counts_(table.design.rows()),
        observed_(table.observed) {
    counts_.tail(table.seen.size()) = table.seen;
  }

  /// l(total), or NaN when the fit fails.
  double operator()(double total) {
    counts_[0] = std::max(0.0, total - observed_);
    const detail::PoissonFit fit =
        detail::fit_poisson(design_, counts_, false, start_.size() == 0 ? nullptr : &start_);
    if (fit.status != detail::FitStatus::fitted) return kNaN;
    start_ = fit.coefficients;
    // The unseen cell's probability as 1 - the seen ones': its count N - n may be 1e9 times its
    // log, and the seen means carry fewer rounding errors than exp(intercept) does.
    const double seen = fit.fitted.tail(fit.fitted.size() - 1).sum();
    const double sum = fit.fitted[0] + seen;
    double value = detail::log_falling(total, observed_);
    if (counts_[0] > 0.0) value += counts_[0] * std::log1p(-seen / sum);
    for (Eigen::Index h = 1; h < counts_.size(); ++h) {
      if (counts_[h] > 0.0) value += counts_[h] * std::log(fit.fitted[h] / sum);
    }
    return value;
  }

 private:
  Eigen::MatrixXd design_;
  Eigen::VectorXd counts_;
  double observed_;
  Eigen::VectorXd start_;
};

/// The profile log-likelihood of the total N for two lists in closed form. With m, n1 and n2
/// fixed, the independence model's multinomial fit at N has p1 = n1 / N and p2 = n2 / N, the
/// cells' probabilities p1 p2, p1 (1 - p2), (1 - p1) p2 and (1 - p1)(1 - p2), and
///   l(N) = log N! - log (N - n)! + n1 log p1 + (N - n1) log(1 - p1) + n2 log p2
///          + (N - n2) log(1 - p2),
/// the cells' y log p gathered by list. Chapman's estimator has the same likelihood.
class TwoListProfile {
 public:
  explicit TwoListProfile(const Table& table) : people_(table), observed_(table.observed) {}

  double operator()(double total) const {
    const auto list = [&](double seen) {
      const double unseen = total - seen;
      return seen * std::log(seen / total) +
             (unseen > 0.0 ? unseen * std::log1p(-seen / total) : 0.0);
    };
    return detail::log_falling(total, observed_) + list(people_.n1) + list(people_.n2);
  }

 private:
  TwoLists people_;
  double observed_;
};

/// A profile likelihood that could not be evaluated at `total`.
struct NotEvaluated {
  double total;
};

/// The profile-likelihood interval of the total: where 2 (l(N_max) - l(N)) <= the chi-square(1)
/// quantile at `level`, the search started from `estimate` and `se`. The lower end is n_observed
/// when l stays above the cut down to it; the upper end is infinite when l does not fall to the
/// cut before kUnboundedShare times n_observed. An end that cannot be found (the likelihood not
/// evaluated, the root search failing) is NaN, with a warning saying why.
template <typename Likelihood>
std::pair<double, double> profile_interval(Likelihood& likelihood, double n, double estimate,
                                           double se, double level,
                                           std::vector<std::string>& warnings) {
  constexpr int kBits = 40;
  constexpr std::uintmax_t kMaxIterations = 200;
  std::uintmax_t iterations = kMaxIterations;
  // The multinomial maximum lies near the Poisson estimate. Where the likelihood still rises at
  // the end of the search (Chapman's estimate for lists that share nobody), the search widens; a
  // likelihood that rises up to kUnboundedShare times n_observed has its supremum at infinity,
  // and its value there stands for the limit.
  const auto top = [&](double end) {
    iterations = kMaxIterations;
    return boost::math::tools::brent_find_minima(
        [&](double total) {
          const double value = likelihood(total);
          return std::isnan(value) ? kInfinity : -value;
        },
        n, end, kBits / 2, iterations);
  };
  double search_end = estimate + 3.0 * se + 1.0;
  auto [at_maximum, negative_maximum] = top(search_end);
  while (at_maximum > search_end - 1e-3 * (search_end - n) &&
         search_end - n <= detail::kUnboundedShare * n) {
    search_end = n + 4.0 * (search_end - n);
    std::tie(at_maximum, negative_maximum) = top(search_end);
  }
  const double maximum = -negative_maximum;
  if (!std::isfinite(maximum)) {
    warnings.push_back(
        "the profile likelihood could not be evaluated near the estimate: the interval is left "
        "out");
    return {kNaN, kNaN};
  }
  const double cut =
      maximum - 0.5 * boost::math::quantile(boost::math::chi_squared_distribution<>(1.0), level);
  const auto above_cut = [&](double total) {
    const double value = likelihood(total);
    if (std::isnan(value)) throw NotEvaluated{total};
    return value - cut;
  };
  // The root of l - cut between `inside` (above the cut) and `outside` (below it).
  const auto root = [&](double inside, double outside, double at_inside, double at_outside) {
    iterations = kMaxIterations;
    const auto [a, b] = boost::math::tools::toms748_solve(
        above_cut, inside, outside, at_inside, at_outside,
        boost::math::tools::eps_tolerance<double>(kBits), iterations);
    if (iterations >= kMaxIterations) {
      throw boost::math::evaluation_error("the root search did not converge");
    }
    return 0.5 * (a + b);
  };
  // An end that cannot be found is NaN, and the warning says why.
  const auto end_or_nan = [&](const char* which, const auto& find) {
    std::ostringstream problem;
    problem << "the interval's " << which << " end is left out (NaN): ";
    try {
      return find();
    } catch (const NotEvaluated& failure) {
      problem << "the profile likelihood could not be evaluated at N = " << failure.total;
    } catch (const boost::math::evaluation_error& error) {
      problem << "the profile likelihood's root was not found: " << error.what();
    } catch (const std::domain_error& error) {
      problem << "the profile likelihood's root was not found: " << error.what();
    }
    warnings.push_back(problem.str());
    return kNaN;
  };

  const double lower = end_or_nan("lower", [&] {
    const double at_observed = above_cut(n);
    return at_observed >= 0.0 ? n : root(n, at_maximum, at_observed, maximum - cut);
  });

  const double upper = end_or_nan("upper", [&] {
    // Widen the bracket of the upper end geometrically in the unseen count.
    double inside = at_maximum;
    double at_inside = maximum - cut;
    double step = std::max({se, 1.0, at_maximum - n});
    double outside = at_maximum + step;
    double at_outside = above_cut(outside);
    while (at_outside >= 0.0 || at_maximum - n > detail::kUnboundedShare * n) {
      if (outside - n > detail::kUnboundedShare * n) {
        warnings.push_back(
            "the interval's upper end is infinite: the profile likelihood does not fall to its "
            "cut as the total grows");
        return kInfinity;
      }
      inside = outside;
      at_inside = at_outside;
      step *= 2.0;
      outside = at_maximum + step;
      at_outside = above_cut(outside);
    }
    return root(inside, outside, at_inside, at_outside);
  });
  return {lower, upper};
}

/// How the data's model was settled, for the bootstrap to repeat it.
struct Choice {
  std::optional<ListModel> named;  ///< the model the settings name, if any
  bool chapman = false;
  /// The coefficients of each model on the data, by mask, to start the resamples' fits from.
  std::map<std::uint32_t, Eigen::VectorXd> starts;
};

/// The total a resample's estimate gives: infinity when it is unbounded (two lists that share
/// nobody; with the model chosen, every model's unseen count growing without bound), NaN when
/// it is undefined otherwise (a singular fit, a fit that does not settle).
double resample_total(const Table& table, const Choice& choice, const ModelChoice& models,
                      std::span<const std::string> lists) {
  const auto total_of = [](const Fitted& fit) {
    if (fit.has_estimate()) return fit.row.estimate;
    return fit.unbounded ? kInfinity : kNaN;
  };
  if (choice.named || choice.chapman) {
    const ListModel model = choice.named.value_or(independence());
    const auto start = choice.starts.find(models.mask_of(model));
    return total_of(fit_model(table, model, choice.chapman, lists,
                              start == choice.starts.end() ? nullptr : &start->second));
  }
  const std::vector<Fitted> fits = models.run(table, lists, choice.starts);
  if (fits.front().has_estimate()) return fits.front().row.estimate;
  // No model has an estimate: if any says the unseen count is unbounded, the total is.
  const bool any_unbounded =
      std::any_of(fits.begin(), fits.end(), [](const Fitted& fit) { return fit.unbounded; });
  return any_unbounded ? kInfinity : kNaN;
}

/// The parametric bootstrap: `resamples` multinomial tables of round(N) people with the chosen
/// fit's cell probabilities, each estimated as the data were (the model choice repeated). The
/// tables are drawn in order from one stream and estimated on every hardware thread, each total
/// kept at its resample's place, so the result does not depend on the number of threads. A
/// resample whose estimate is unbounded enters as infinity: dropping it would pull the upper end
/// down. One without an estimate for another reason, or that sees nobody, is left out and
/// counted. Every total is kept at n_observed at least.
void bootstrap(const Table& table, const Fitted& fit, const Choice& choice,
               const ModelChoice& models, std::span<const std::string> lists,
               const IntervalSettings& settings, Estimate& result) {
  const Eigen::VectorXd probabilities = fit.cells / fit.cells.sum();
  const double total = std::round(fit.row.estimate);
  random::Stream stream = detail::bootstrap_stream(settings.seed, settings.name);
  const auto cells = static_cast<std::size_t>(probabilities.size());
  std::vector<std::vector<double>> draws(settings.resamples, std::vector<double>(cells));
  for (std::vector<double>& draw : draws) {
    detail::multinomial(stream, total, {probabilities.data(), cells}, draw);
    draw[0] = 0.0;
  }
  std::vector<double> totals(draws.size(), kNaN);
  const std::size_t workers =
      std::clamp<std::size_t>(std::thread::hardware_concurrency(), 1, draws.size());
  // What a worker throws is carried out of it and thrown again once all have finished.
  std::vector<std::exception_ptr> failures(workers);
  const auto estimate_every = [&](std::size_t first) {
    try {
      for (std::size_t r = first; r < draws.size(); r += workers) {
        const Table resample = make_table(table.lists, draws[r], table.design);
        if (resample.observed > 0.0) totals[r] = resample_total(resample, choice, models, lists);
      }
    } catch (...) {
      failures[first] = std::current_exception();
    }
  };
  {
    std::vector<std::jthread> threads;
    for (std::size_t w = 1; w < workers; ++w)
      threads.emplace_back(estimate_every, w);
    estimate_every(0);
  }
  for (const std::exception_ptr& failure : failures) {
    if (failure) std::rethrow_exception(failure);
  }
  result.resamples.reserve(totals.size());
  std::uint32_t unbounded = 0;
  for (const double estimate : totals) {
    if (std::isnan(estimate)) {
      ++result.failed_resamples;
    } else {
      // A resample can see fewer people than the data, but the total is never below them.
      result.resamples.push_back(std::max(estimate, table.observed));
      if (std::isinf(estimate)) ++unbounded;
    }
  }
  const std::string of_resamples =
      " of " + std::to_string(settings.resamples) + " bootstrap resamples ";
  if (result.failed_resamples > 0) {
    result.warnings.push_back(std::to_string(result.failed_resamples) + of_resamples +
                              "had no model with an estimate (they saw nobody, or no fit "
                              "settled): the interval leaves them out");
  }
  if (result.resamples.size() < 2) {
    result.lower = kNaN;
    result.upper = kNaN;
    result.warnings.push_back(
        "fewer than 2 bootstrap resamples have an estimate, too few for an "
        "interval: its ends are unknown");
    return;
  }
  std::tie(result.lower, result.upper) = percentile_interval(result.resamples, settings.level);
  if (unbounded > 0) {
    const std::string infinite = std::to_string(unbounded) + of_resamples +
                                 "have an infinite estimate (their lists share nobody, or the "
                                 "unseen count grows without bound)";
    result.warnings.push_back(std::isinf(result.upper)
                                  ? "the interval's upper end is infinite: " + infinite
                                  : infinite + ": they count as above every finite one");
  }
}

}  // namespace

double ListCounts::observed() const {
  double sum = 0.0;
  for (std::size_t h = 1; h < counts.size(); ++h)
    sum += counts[h];
  return sum;
}

ListModel independence() {
  return {};
}

ListModel all_two_way(std::size_t k) {
  ListModel model;
  for (std::size_t i = 0; i < k; ++i) {
    for (std::size_t j = i + 1; j < k; ++j)
      model.interactions.emplace_back(i, j);
  }
  return model;
}

std::string model_name(const ListModel& model, std::span<const std::string> lists) {
  if (model.interactions.empty()) return "independence";
  std::string name;
  for (const auto& [i, j] : model.interactions) {
    if (!name.empty()) name += " + ";
    name += (i < lists.size() ? lists[i] : std::to_string(i)) + ":" +
            (j < lists.size() ? lists[j] : std::to_string(j));
  }
  return name;
}

std::string_view criterion_name(Criterion criterion) noexcept {
  switch (criterion) {
    case Criterion::aic:
      return "aic";
    case Criterion::bic:
      return "bic";
  }
  return {};
}

Estimate estimate_lists(const ListCounts& data, const ListSettings& settings) {
  check_data(data);
  const std::span<const std::string> lists = data.lists;
  check_settings(settings, lists);
  const std::size_t k = lists.size();
  if (k == 2 && settings.model && !settings.model->interactions.empty()) {
    throw EstimationError(
        "the model " + model_name(*settings.model, lists) +
            " is saturated: with two lists the interaction takes the place of the unseen count, "
            "so the total has no estimate",
        "use the independence model (Lincoln-Petersen), or add a third list");
  }
  const Table table = make_table(k, data.counts, detail::full_design(k));
  const ModelChoice models(k, settings.criterion);

  Estimate result;
  result.n_observed = table.observed;
  result.method = settings.interval.method;
  result.level = settings.interval.level;

  Choice choice;
  choice.named = settings.model;
  choice.chapman = settings.chapman;
  std::vector<Fitted> fits;
  if (settings.model || settings.chapman || k == 2) {
    fits.push_back(
        fit_model(table, settings.model.value_or(independence()), settings.chapman, lists));
    if (!fits.front().has_estimate()) {
      if (k == 2) {
        throw EstimationError("the lists " + lists[0] + " and " + lists[1] +
                                  " share nobody: the Lincoln-Petersen estimate is infinite",
                              "use method = \"chapman\", whose estimate is finite, or add a "
                              "third list");
      }
      throw EstimationError("model " + fits.front().row.model + ": " + fits.front().row.problem,
                            kDivergenceHint);
    }
    // Two lists have one model: leaving it unset is choosing it.
    if (!settings.chapman && !settings.model) choice.named = independence();
  } else {
    fits = models.run(table, lists, {});
    warn_left_out(fits, result.warnings);
    if (!fits.front().has_estimate()) {
      throw EstimationError("no model has an estimate: " + fits.front().row.problem,
                            "merge lists that share few people, or collect more data");
    }
  }
  for (const Fitted& fit : fits) {
    if (fit.coefficients.size() > 0)
      choice.starts.emplace(models.mask_of(fit.model), fit.coefficients);
  }
  const Fitted& chosen = fits.front();
  result.fit = chosen.row;
  for (const Fitted& fit : fits)
    result.alternatives.push_back(fit.row);

  const ModelFit& row = chosen.row;
  switch (settings.interval.method) {
    case IntervalMethod::wald:
      std::tie(result.lower, result.upper) =
          wald_interval(table.observed, row.estimate, row.se, settings.interval.level);
      break;
    case IntervalMethod::lognormal:
      std::tie(result.lower, result.upper) =
          lognormal_interval(table.observed, row.estimate, row.se, settings.interval.level);
      break;
    case IntervalMethod::profile:
      if (k == 2) {
        // Lincoln-Petersen's and Chapman's likelihood is the same, and so is its search.
        TwoListProfile likelihood(table);
        const auto [start, variance] = TwoLists(table).chapman();
        std::tie(result.lower, result.upper) =
            profile_interval(likelihood, table.observed, start, std::sqrt(variance),
                             settings.interval.level, result.warnings);
      } else {
        ProfileLikelihood likelihood(table, chosen.model);
        std::tie(result.lower, result.upper) =
            profile_interval(likelihood, table.observed, row.estimate, row.se,
                             settings.interval.level, result.warnings);
      }
      break;
    case IntervalMethod::bootstrap:
      bootstrap(table, chosen, choice, models, lists, settings.interval, result);
      break;
  }
  return result;
}

}  // namespace darkfigure::estimators
