#pragma once

#include <string>
#include <vector>

#include "darkfigure/core/error.hpp"
#include "darkfigure/scenario/scenario.hpp"
#include "scenario/source_text.hpp"

namespace darkfigure::scenario::detail {

/// A [derived] entry as the file gives it.
struct DerivedEntry {
  std::string name;
  LocatedString formula;
  core::SourceLocation where;  ///< the key
};

/// Parses and checks the formulas of `entries` (in file order) against the names of
/// scenario.inputs and of the entries, orders them so that each comes after everything it uses
/// (file order where the dependencies allow), and compiles them into one program. Fills
/// scenario.derived in that order and scenario.program. Throws core::InputError located inside the
/// offending formula: a syntax error, an unknown name (hint: the nearest name), a list, a
/// distribution call, a bad function call, or a cycle ("cycle in [derived]: a -> b -> a").
void resolve_derived(Scenario& scenario, const std::vector<DerivedEntry>& entries);

}  // namespace darkfigure::scenario::detail
