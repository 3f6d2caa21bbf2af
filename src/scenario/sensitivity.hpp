#pragma once

#include <toml++/toml.h>

#include <cstdint>

#include "darkfigure/scenario/scenario.hpp"
#include "scenario/reader.hpp"
#include "scenario/source_text.hpp"

namespace darkfigure::scenario::detail {

/// The most draws a scenario file may ask for, in [scenario] or [sensitivity].
inline constexpr std::int64_t kMaxDraws = 1'000'000'000'000;

/// The fewest draws a [sensitivity] study may ask for: fewer leave no spread to estimate.
inline constexpr std::int64_t kMinStudyDraws = 10;

/// Bootstrap resamples a [sensitivity] study may ask for its Sobol intervals.
inline constexpr std::int64_t kMinBootstrap = 100;
inline constexpr std::int64_t kMaxBootstrap = 100'000;

/// Reads [sensitivity] of a scenario whose inputs, derived quantities, outputs, [[observe]],
/// [[prior]], [correlation] and [sweep] are read; `source` is the text `reader` reads, to locate
/// the study at its methods. Throws core::InputError at the offending key or array element: an
/// unknown key; methods missing, empty, not an array of strings, unknown or listed twice; sobol
/// in a conditioned scenario or one with a [correlation] block; outputs that are unknown, not
/// among the scenario's outputs, inputs, truth values or listed twice; inputs that are unknown,
/// derived, fixed (in [inputs] or by [sweep]) or listed twice; an empty outputs or inputs list,
/// or defaults that leave nothing to study; draws below kMinStudyDraws or above kMaxDraws;
/// bootstrap outside [kMinBootstrap, kMaxBootstrap], or without sobol; quantile outside (0, 1),
/// or without tornado.
SensitivityStudy read_sensitivity(const Reader& reader, const SourceText& source,
                                  const Entry& section, const Scenario& scenario);

}  // namespace darkfigure::scenario::detail
