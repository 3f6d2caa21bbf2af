#pragma once

#include <cstddef>
#include <limits>
#include <span>
#include <string_view>

namespace darkfigure::expression {

/// The max_arity of a function that takes any number of arguments from its min_arity up.
inline constexpr std::size_t kAnyArity = std::numeric_limits<std::size_t>::max();

/// A function formulas may call. The one table of builtins feeds the compiler, the evaluator,
/// `darkfigure list functions` and the docs.
struct Builtin {
  std::string_view name;
  std::size_t min_arity;
  std::size_t max_arity;       ///< kAnyArity for min and max
  std::string_view signature;  ///< "clamp(x, low, high)"
  std::string_view doc;        ///< one line
};

/// Every builtin function, if(cond, a, b) included, in the order `darkfigure list functions`
/// prints them.
std::span<const Builtin> builtins() noexcept;

/// The builtin called `name`, or nullptr.
const Builtin* find_builtin(std::string_view name) noexcept;

/// True for the constants formulas know: pi, e and inf.
bool is_constant(std::string_view name) noexcept;

/// True for names a quantity may not take: builtins, the constants pi, e and inf, the keywords
/// and, or, not and if.
bool is_reserved(std::string_view name) noexcept;

}  // namespace darkfigure::expression
