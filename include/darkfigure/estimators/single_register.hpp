#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "darkfigure/estimators/estimate.hpp"

namespace darkfigure::estimators {

/// Estimators from one register that counts how often it saw each person.
enum class RegisterMethod {
  chao,       ///< Chao's (1987, 1989) lower bound n + f1^2 / (2 f2)
  zelterman,  ///< Zelterman (1988): n / (1 - exp(-2 f2 / f1))
  ztp,        ///< zero-truncated Poisson, fitted by maximum likelihood
};

/// "chao", "zelterman", "ztp".
std::string_view register_method_name(RegisterMethod method) noexcept;
/// The method called `name`, or nullopt.
std::optional<RegisterMethod> find_register_method(std::string_view name) noexcept;
/// Every method's name, in the order of RegisterMethod.
std::vector<std::string> register_method_names();

/// The estimate of the total from `frequencies`, f1, f2, ...: the people seen exactly 1, 2, ...
/// times (whole numbers >= 0). The alternatives are the other two methods. Throws EstimationError
/// for counts that are negative, fractional or all zero, where the method's estimate is infinite
/// (zelterman when someone was seen once but nobody exactly twice, ztp when nobody was seen twice
/// or more), for a level outside (0, 1), for a bootstrap of fewer than 2 resamples, and for a
/// bootstrap whose tables would hold more than 10^12 people.
///
/// Zelterman's profile interval is the binomial likelihood interval of lambda from f1 and f2,
/// mapped to the total with the n people seen held fixed. It ignores the sampling variation of n,
/// so it is narrower than Zelterman's Wald and log-normal intervals; a warning says so.
///
/// The bootstrap's resamples whose estimate is infinite (zelterman's with nobody seen twice, the
/// ztp's with everyone seen once) enter `resamples` as +infinity, so the upper end is infinite
/// when about (1 - level) / 2 or more of them are; resamples in which nobody was seen are left
/// out and counted in failed_resamples. With fewer than 2 resamples left, both ends are NaN.
Estimate estimate_register(std::span<const double> frequencies, RegisterMethod method,
                           const IntervalSettings& settings);

}  // namespace darkfigure::estimators
