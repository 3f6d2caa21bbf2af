#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace darkfigure::estimators {

/// How the interval around an estimate of the total is computed.
enum class IntervalMethod {
  wald,       ///< estimate -/+ z se
  lognormal,  ///< log-normal on the unseen count (Chao 1987): n + f0 / C to n + f0 * C
  profile,    ///< profile likelihood of the total
  bootstrap,  ///< percentiles of a parametric bootstrap that repeats the model choice
};

/// "wald", "lognormal", "profile", "bootstrap".
std::string_view interval_name(IntervalMethod method) noexcept;
/// The method called `name`, or nullopt.
std::optional<IntervalMethod> find_interval(std::string_view name) noexcept;
/// Every method's name, in the order of IntervalMethod.
std::vector<std::string> interval_names();

/// The default number of parametric bootstrap resamples.
inline constexpr std::uint32_t kDefaultResamples = 2000;

/// What the interval needs besides the data.
struct IntervalSettings {
  IntervalMethod method = IntervalMethod::profile;
  double level = 0.95;  ///< in (0, 1)
  /// Parametric bootstrap resamples, drawn when method is bootstrap.
  std::uint32_t resamples = kDefaultResamples;
  std::uint64_t seed = 1;         ///< the bootstrap's random stream: (seed, stream_id(name))
  std::string name = "estimate";  ///< the data set's name, keying the bootstrap's stream
};

/// One fitted model of a data set, as the table of alternatives lists it. Quantities a model does
/// not define (deviance of a lower bound, say) are NaN; df is -1 then.
struct ModelFit {
  std::string model;  ///< "independence", "police:crisis + crisis:health", "chao", ...
  double estimate = std::numeric_limits<double>::quiet_NaN();  ///< of the total, seen and unseen
  double se = std::numeric_limits<double>::quiet_NaN();
  double deviance = std::numeric_limits<double>::quiet_NaN();
  int df = -1;
  double aic = std::numeric_limits<double>::quiet_NaN();
  double bic = std::numeric_limits<double>::quiet_NaN();
  /// Empty when the model was fitted; else why it has no estimate ("the estimate does not exist:
  /// the unseen count grows without bound"), and the numbers above are NaN.
  std::string problem;
};

/// An estimate of a hidden population's total from the people some source saw.
struct Estimate {
  double n_observed = 0.0;  ///< people seen at least once
  ModelFit fit;             ///< the chosen model
  IntervalMethod method = IntervalMethod::profile;
  double level = 0.95;
  double lower = std::numeric_limits<double>::quiet_NaN();  ///< may be n_observed
  double upper = std::numeric_limits<double>::quiet_NaN();  ///< may be infinity
  /// Every model considered, the chosen one first, then by the criterion (best first); models
  /// without an estimate last. Holds just the chosen fit when the model was named.
  std::vector<ModelFit> alternatives;
  /// The bootstrap totals, in resample order, each at least n_observed (empty when none were
  /// drawn); +infinity where the resample's estimate is unbounded (two lists that share nobody, an
  /// unseen count that grows without bound), so that such resamples raise the upper end instead of
  /// being lost.
  std::vector<double> resamples;
  /// Resamples whose estimate is undefined (nobody seen, no model fitted: a singular fit, one
  /// that does not settle): left out of `resamples` and counted here.
  std::uint32_t failed_resamples = 0;
  /// What is allowed but doubtful: "f2 = 0: Chao's bias-corrected form is used", "model X left
  /// out: ...", "the interval's upper end is infinite: ...".
  std::vector<std::string> warnings;
};

/// Data an estimator cannot use, or an estimate that does not exist: the message says what is
/// wrong with the data, the hint what to do ("use method = \"chapman\"").
class EstimationError : public std::runtime_error {
 public:
  explicit EstimationError(const std::string& message, std::string hint = {})
      : std::runtime_error(message), hint_(std::move(hint)) {}
  const std::string& hint() const noexcept { return hint_; }

 private:
  std::string hint_;
};

/// Throws EstimationError for a level outside (0, 1), or a bootstrap of fewer than 2 resamples.
void check_interval_settings(const IntervalSettings& settings);

/// estimate -/+ z se, z the standard normal quantile at (1 + level) / 2, the lower end kept at
/// n_observed at least.
std::pair<double, double> wald_interval(double n_observed, double estimate, double se,
                                        double level);

/// Chao (1987): with f0 = estimate - n_observed and C = exp(z sqrt(log(1 + se^2 / f0^2))), the
/// interval n_observed + f0 / C to n_observed + f0 * C. It never goes below n_observed. f0 = 0
/// gives the point n_observed.
std::pair<double, double> lognormal_interval(double n_observed, double estimate, double se,
                                             double level);

/// The (1 - level) / 2 and (1 + level) / 2 quantiles of `totals` (type 7, as R's default).
/// Totals may be +infinity (an unbounded estimate): a quantile that falls on one, or between a
/// finite total and one, is +infinity, as in R, so the upper end is infinite once more than a
/// share (1 - level) / 2 of the totals is. No totals give NaN; totals must not be NaN.
std::pair<double, double> percentile_interval(std::vector<double> totals, double level);

}  // namespace darkfigure::estimators
