#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "darkfigure/core/error.hpp"

namespace darkfigure::scenario::detail {

/// The text of a scenario file with its name. Turns byte offsets and toml++ positions into
/// core::SourceLocation values (columns in bytes, the line's text filled in). The text must outlive
/// the object.
class SourceText {
 public:
  SourceText(std::string_view text, std::string file);

  std::string_view text() const noexcept { return text_; }
  const std::string& file() const noexcept { return file_; }

  /// The location of byte `offset` (clamped to the end of the text).
  core::SourceLocation at_offset(std::size_t offset) const;

  /// The byte offset of a toml++ position: 1-based line, and 1-based column counted in code
  /// points (toml++ counts characters, error messages count bytes). Clamped to the line's end.
  std::size_t offset_of(std::uint32_t line, std::uint32_t column) const;

  /// Throws an InputError at byte `offset`.
  [[noreturn]] void fail(std::size_t offset, std::string message, std::string hint = {}) const;

 private:
  std::string_view text_;
  std::string file_;
  std::vector<std::size_t> line_starts_;
};

/// Throws an InputError at the first NUL byte ("not a text file") or, failing that, at the first
/// byte that does not start a well-formed UTF-8 sequence (Unicode 15, table 3-7: no overlong
/// forms, no surrogates, nothing above U+10FFFF). toml++ reports such errors one character early.
void check_encoding(const SourceText& source);

/// For a TOML string whose opening delimiter (", ', """ or ''') is at byte `quote_offset` of
/// `text` and whose decoded value is `value`: the byte offset in `text` of each byte of `value`,
/// plus one entry for the end of the value (size value.size() + 1). Bytes produced by an escape
/// sequence map to its backslash. Empty when the raw text does not decode to `value`, so that a
/// caller never points at a wrong place.
std::vector<std::size_t> string_byte_offsets(std::string_view text, std::size_t quote_offset,
                                             std::string_view value);

/// A string value of the scenario file that knows where each of its bytes came from, so that an
/// error at an offset inside a formula points at the right column of the file.
class LocatedString {
 public:
  /// `quote_offset` is the byte offset of the string's opening delimiter in `source`.
  LocatedString(const SourceText& source, std::string value, std::size_t quote_offset);

  const std::string& value() const noexcept { return value_; }

  /// The file location of byte `index` of the value (index <= size). When the mapping is unknown,
  /// the location of the string's opening delimiter.
  core::SourceLocation at(std::size_t index) const;

  /// Throws an InputError at byte `index` of the value.
  [[noreturn]] void fail(std::size_t index, std::string message, std::string hint = {}) const;

 private:
  const SourceText* source_;
  std::string value_;
  std::size_t quote_offset_;
  std::vector<std::size_t> offsets_;
};

}  // namespace darkfigure::scenario::detail
