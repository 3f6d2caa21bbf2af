#pragma once

#include <toml++/toml.h>

#include "darkfigure/scenario/scenario.hpp"
#include "scenario/reader.hpp"

namespace darkfigure::scenario::detail {

/// Reads [sweep]: each key an input of the scenario with an array of distinct finite numbers to
/// fix it at, and optionally grid = "full" or "one-at-a-time". Throws core::InputError at the
/// offending key or value: an unknown or derived name, an input pooled by a [[prior]], a value
/// that is not a number or listed twice, an empty [sweep] or list, an unknown grid, more than
/// kMaxSweepPoints points. A value outside the support of the input's distribution is allowed
/// (a what-if beyond the evidence) with a warning appended to scenario.warnings.
Sweep read_sweep(const Reader& reader, const Entry& section, Scenario& scenario);

}  // namespace darkfigure::scenario::detail
