#pragma once

#include <string>
#include <vector>

#include "darkfigure/core/error.hpp"
#include "darkfigure/expression/ast.hpp"
#include "darkfigure/scenario/scenario.hpp"
#include "scenario/source_text.hpp"

namespace darkfigure::scenario::detail {

/// A [derived] entry as the file gives it.
struct DerivedEntry {
  std::string name;
  LocatedString formula;
  core::SourceLocation where;  ///< the key
};

/// The first list, distribution call or estimate(...) in `node`, in source order: none has a
/// meaning in a formula that is evaluated draw by draw.
const expression::Node* first_misplaced(const expression::Node& node);

/// A formula that is not a named quantity: a parameter of an [[observe]] likelihood. Its tree's
/// offsets point into `text`.
struct ParameterFormula {
  std::string label;  ///< what messages put before the problem: the observation's name
  LocatedString text;
  expression::Node tree;
};

/// Parses and checks the formulas of `entries` (in file order) against the names of
/// scenario.inputs and of the entries, orders them so that each comes after everything it uses
/// (file order where the dependencies allow), and compiles them into one program. Fills
/// scenario.derived in that order and scenario.program. Throws core::InputError located inside the
/// offending formula: a syntax error, an unknown name (hint: the nearest name), a list, a
/// distribution call, a bad function call, or a cycle ("cycle in [derived]: a -> b -> a").
/// The `parameters`, whose names the caller has checked, are compiled after the derived
/// quantities, parameter k into slot inputs + entries + k.
void resolve_derived(Scenario& scenario, const std::vector<DerivedEntry>& entries,
                     const std::vector<ParameterFormula>& parameters = {});

}  // namespace darkfigure::scenario::detail
