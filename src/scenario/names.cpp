#include "scenario/names.hpp"

#include <algorithm>

#include "darkfigure/core/text.hpp"
#include "darkfigure/expression/builtins.hpp"

namespace darkfigure::scenario::detail {
namespace {

bool is_letter(char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool is_digit(char c) noexcept {
  return c >= '0' && c <= '9';
}

}  // namespace

bool is_scenario_name(std::string_view name) noexcept {
  if (name.empty() || !is_letter(name.front())) return false;
  return std::all_of(name.begin(), name.end(),
                     [](char c) { return is_letter(c) || is_digit(c) || c == '_' || c == '-'; });
}

std::string did_you_mean(std::string_view word, std::span<const std::string> candidates,
                         std::string_view otherwise, std::string_view open,
                         std::string_view close) {
  if (const auto nearest = core::nearest_spelling(word, candidates)) {
    return "did you mean " + std::string(open) + *nearest + std::string(close) + "?";
  }
  return std::string(otherwise);
}

std::string_view reserved_because(std::string_view name) noexcept {
  if (!expression::is_reserved(name)) return {};
  if (expression::is_constant(name)) return "a constant";
  if (expression::find_builtin(name) != nullptr) return "a builtin function";
  return "a keyword";
}

}  // namespace darkfigure::scenario::detail
