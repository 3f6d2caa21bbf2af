#pragma once

// Checks and operator tables shared by the compiler (ProgramBuilder) and evaluate_constant(), so
// that both reject the same formulas with the same messages and give operators the same meaning.

#include <string_view>

#include "darkfigure/expression/ast.hpp"
#include "darkfigure/expression/builtins.hpp"
#include "operations.hpp"

namespace darkfigure::expression::detail {

/// The builtin a Call node names, after checking its argument count. Throws FormulaError for an
/// unknown function (hint: the nearest builtin) or a wrong argument count (hint: the signature).
const Builtin& checked_builtin(const Node& call);

/// Throws the error for a list outside a distribution call.
[[noreturn]] void reject_list(const Node& list);

/// The opcode of a builtin function; min and max are binary and chained over their arguments.
Op builtin_op(const Builtin& builtin) noexcept;

/// The opcode of a Unary node ("-" or "not").
Op unary_op(std::string_view text) noexcept;

/// The opcode of a Binary node (+ - * / ^ < <= > >= == != and or).
Op binary_op(std::string_view text) noexcept;

}  // namespace darkfigure::expression::detail
