#pragma once

#include <span>
#include <string>
#include <string_view>

namespace darkfigure::scenario::detail {

/// True for a valid scenario name: a letter, then letters, digits, '_' and '-'.
bool is_scenario_name(std::string_view name) noexcept;

/// `did you mean "x"?` for the candidate nearest to `word` (core::nearest_spelling), with `open`
/// and `close` around it; `otherwise` when none is close.
std::string did_you_mean(std::string_view word, std::span<const std::string> candidates,
                         std::string_view otherwise = {}, std::string_view open = "\"",
                         std::string_view close = "\"");

/// Why `name` is reserved ("a builtin function", "a constant", "a keyword"); empty if it is not.
std::string_view reserved_because(std::string_view name) noexcept;

}  // namespace darkfigure::scenario::detail
