#pragma once

#include <span>
#include <string>
#include <variant>

#include "darkfigure/distributions/distribution.hpp"
#include "darkfigure/scenario/scenario.hpp"
#include "scenario/source_text.hpp"

namespace darkfigure::scenario::detail {

/// The value of the input `name` written as a string: a distribution call with constant arguments
/// ("beta(4, 16)", "discrete([1, 2], [0.4, 0.6])") or a constant expression ("2 * 67_500").
/// Throws core::InputError, prefixed with the input's name and located inside the string, for a
/// formula that does not parse, an unknown family, a wrong number of arguments, a name or a
/// distribution inside the arguments, parameters the family rejects, or a non-finite constant.
/// The value may also be estimate(NAME), the total of the data set NAME of `data` drawn from
/// its estimator's sampling distribution (sampling_distribution()); `estimate` is then set to
/// NAME.
std::variant<double, distributions::Distribution> resolve_input(const std::string& name,
                                                                const LocatedString& text,
                                                                std::span<const CaptureData> data,
                                                                std::string& estimate);

}  // namespace darkfigure::scenario::detail
