#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace darkfigure::core {

/// `text` in double quotes, as messages show names: quoted("beta") is "\"beta\"".
std::string quoted(std::string_view text);

/// Levenshtein distance between two strings (bytes).
std::size_t edit_distance(std::string_view a, std::string_view b);

/// The candidate closest to `word` by edit distance, if one is close enough to be a likely typo
/// (distance at most max(1, size/3)); ties go to the first candidate.
std::optional<std::string> nearest_spelling(std::string_view word,
                                            std::span<const std::string> candidates);

/// The shortest decimal text that reads back as exactly `value` ("0.025", "1e+07"); "NaN",
/// "inf" and "-inf" for the values that are not finite.
std::string shortest_decimal(double value);

/// Line `line` (1-based) of `text` without its newline; empty when out of range.
std::string_view line_of(std::string_view text, std::uint32_t line);

/// The 1-based line and column of byte `offset` in `text`.
struct LineColumn {
  std::uint32_t line;
  std::uint32_t column;
};
LineColumn line_column_of(std::string_view text, std::size_t offset);

}  // namespace darkfigure::core
