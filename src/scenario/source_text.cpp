#include "scenario/source_text.hpp"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <optional>
#include <utility>

#include "darkfigure/core/text.hpp"

namespace darkfigure::scenario::detail {
namespace {

constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";

bool is_continuation(char byte) noexcept {
  return (static_cast<unsigned char>(byte) & 0xC0U) == 0x80U;
}

/// The offset of the first byte that does not start a well-formed UTF-8 sequence, per the table
/// of well-formed byte sequences in the Unicode Standard (chapter 3, table 3-7).
std::optional<std::size_t> first_invalid_utf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto lead = static_cast<unsigned char>(text[i]);
    if (lead < 0x80U) {
      ++i;
      continue;
    }
    std::size_t length = 0;
    unsigned char low = 0x80U;
    unsigned char high = 0xBFU;
    if (lead >= 0xC2U && lead <= 0xDFU) {
      length = 2;
    } else if (lead == 0xE0U) {
      length = 3;
      low = 0xA0U;
    } else if ((lead >= 0xE1U && lead <= 0xECU) || lead == 0xEEU || lead == 0xEFU) {
      length = 3;
    } else if (lead == 0xEDU) {
      length = 3;
      high = 0x9FU;
    } else if (lead == 0xF0U) {
      length = 4;
      low = 0x90U;
    } else if (lead >= 0xF1U && lead <= 0xF3U) {
      length = 4;
    } else if (lead == 0xF4U) {
      length = 4;
      high = 0x8FU;
    } else {
      return i;
    }
    if (i + length > text.size()) return i;
    const auto second = static_cast<unsigned char>(text[i + 1]);
    if (second < low || second > high) return i;
    for (std::size_t k = 2; k < length; ++k) {
      if (!is_continuation(text[i + k])) return i;
    }
    i += length;
  }
  return std::nullopt;
}

/// Appends the UTF-8 encoding of `code_point`; false for surrogates and values above U+10FFFF.
bool append_utf8(std::string& out, std::uint32_t code_point) {
  if (code_point >= 0xD800U && code_point <= 0xDFFFU) return false;
  if (code_point < 0x80U) {
    out += static_cast<char>(code_point);
  } else if (code_point < 0x800U) {
    out += static_cast<char>(0xC0U | (code_point >> 6));
    out += static_cast<char>(0x80U | (code_point & 0x3FU));
  } else if (code_point < 0x10000U) {
    out += static_cast<char>(0xE0U | (code_point >> 12));
    out += static_cast<char>(0x80U | ((code_point >> 6) & 0x3FU));
    out += static_cast<char>(0x80U | (code_point & 0x3FU));
  } else if (code_point <= 0x10FFFFU) {
    out += static_cast<char>(0xF0U | (code_point >> 18));
    out += static_cast<char>(0x80U | ((code_point >> 12) & 0x3FU));
    out += static_cast<char>(0x80U | ((code_point >> 6) & 0x3FU));
    out += static_cast<char>(0x80U | (code_point & 0x3FU));
  } else {
    return false;
  }
  return true;
}

/// The character a one-letter TOML escape stands for, or nullopt.
std::optional<char> simple_escape(char letter) {
  switch (letter) {
    case 'b':
      return '\b';
    case 't':
      return '\t';
    case 'n':
      return '\n';
    case 'f':
      return '\f';
    case 'r':
      return '\r';
    case '"':
      return '"';
    case '\\':
      return '\\';
    default:
      return std::nullopt;
  }
}

}  // namespace

SourceText::SourceText(std::string_view text, std::string file)
    : text_(text), file_(std::move(file)) {
  // toml++ skips a byte order mark without counting it; so do the columns here, and the first
  // line's text leaves it out.
  line_starts_.push_back(text_.starts_with(kByteOrderMark) ? kByteOrderMark.size() : 0);
  for (std::size_t i = 0; i < text_.size(); ++i) {
    if (text_[i] == '\n') line_starts_.push_back(i + 1);
  }
}

core::SourceLocation SourceText::at_offset(std::size_t offset) const {
  offset = std::clamp(offset, line_starts_.front(), text_.size());
  const auto next_line = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
  const auto line = static_cast<std::uint32_t>(next_line - line_starts_.begin());
  const auto column = static_cast<std::uint32_t>(offset - line_starts_[line - 1] + 1);
  std::string_view line_text = core::line_of(text_, line);
  if (line == 1) line_text.remove_prefix(std::min(line_starts_.front(), line_text.size()));
  return {file_, line, column, std::string(line_text)};
}

std::size_t SourceText::offset_of(std::uint32_t line, std::uint32_t column) const {
  if (line == 0) line = 1;
  if (line > line_starts_.size()) return text_.size();
  std::size_t offset = line_starts_[line - 1];
  const std::size_t end =
      line < line_starts_.size() ? line_starts_[line] - 1 : text_.size();  // at the '\n'
  for (std::uint32_t current = 1; current < column && offset < end; ++current) {
    ++offset;
    while (offset < end && is_continuation(text_[offset]))
      ++offset;
  }
  return offset;
}

void SourceText::fail(std::size_t offset, std::string message, std::string hint) const {
  throw core::InputError(std::move(message), at_offset(offset), std::move(hint));
}

void check_encoding(const SourceText& source) {
  const std::string_view text = source.text();
  if (const std::size_t nul = text.find('\0'); nul != std::string_view::npos) {
    auto where = source.at_offset(nul);
    // The line of a binary file is mostly control bytes; show them as dots (one byte each, so
    // the caret stays under the NUL) and only as far as a little past the NUL.
    constexpr std::size_t kShownPastColumn = 40;
    if (where.line_text.size() > where.column + kShownPastColumn) {
      where.line_text.resize(where.column + kShownPastColumn);
    }
    for (char& byte : where.line_text) {
      const auto value = static_cast<unsigned char>(byte);
      if ((value < 0x20U && byte != '\t') || value == 0x7FU) byte = '.';
    }
    throw core::InputError("not a text file (contains a NUL byte)", std::move(where),
                           "a scenario is a TOML text file");
  }
  if (const auto bad = first_invalid_utf8(text)) {
    char byte[8];
    std::snprintf(byte, sizeof byte, "0x%02X", static_cast<unsigned char>(text[*bad]));
    source.fail(*bad, std::string("invalid UTF-8: byte ") + byte + " does not start a character",
                "save the file with UTF-8 encoding");
  }
}

std::vector<std::size_t> string_byte_offsets(std::string_view text, std::size_t quote_offset,
                                             std::string_view value) {
  if (quote_offset >= text.size()) return {};
  const char quote = text[quote_offset];
  if (quote != '"' && quote != '\'') return {};
  const bool literal = quote == '\'';
  const bool multi_line = text.substr(quote_offset, 3) == std::string(3, quote);
  std::size_t i = quote_offset + (multi_line ? 3 : 1);
  if (multi_line) {
    // TOML trims a newline that immediately follows the opening delimiter.
    if (text.substr(i, 2) == "\r\n") {
      i += 2;
    } else if (i < text.size() && text[i] == '\n') {
      ++i;
    }
  }
  std::vector<std::size_t> offsets;
  offsets.reserve(value.size() + 1);
  std::string decoded;
  while (decoded.size() < value.size()) {
    if (i >= text.size()) return {};
    const char c = text[i];
    if (c == '\\' && !literal) {
      if (i + 1 >= text.size()) return {};
      const char letter = text[i + 1];
      if (const auto escaped = simple_escape(letter)) {
        decoded += *escaped;
        offsets.push_back(i);
        i += 2;
        continue;
      }
      if (letter == 'u' || letter == 'U') {
        const std::size_t digits = letter == 'u' ? 4 : 8;
        if (i + 2 + digits > text.size()) return {};
        std::uint32_t code_point = 0;
        const char* first = text.data() + i + 2;
        const auto [end, error] = std::from_chars(first, first + digits, code_point, 16);
        if (error != std::errc{} || end != first + digits) return {};
        const std::size_t before = decoded.size();
        if (!append_utf8(decoded, code_point)) return {};
        offsets.insert(offsets.end(), decoded.size() - before, i);
        i += 2 + digits;
        continue;
      }
      if (multi_line) {
        // A line-ending backslash removes the newline and all whitespace that follows it.
        std::size_t j = i + 1;
        while (j < text.size() && (text[j] == ' ' || text[j] == '\t'))
          ++j;
        if (j < text.size() && (text[j] == '\n' || text[j] == '\r')) {
          while (j < text.size() &&
                 (text[j] == ' ' || text[j] == '\t' || text[j] == '\n' || text[j] == '\r')) {
            ++j;
          }
          i = j;
          continue;
        }
      }
      return {};
    }
    if (multi_line && c == '\r' && i + 1 < text.size() && text[i + 1] == '\n' &&
        value[decoded.size()] == '\n') {
      ++i;  // a CRLF line break reads as "\n"
      continue;
    }
    decoded += c;
    offsets.push_back(i);
    ++i;
  }
  if (decoded != value) return {};
  offsets.push_back(i);
  return offsets;
}

LocatedString::LocatedString(const SourceText& source, std::string value, std::size_t quote_offset)
    : source_(&source),
      value_(std::move(value)),
      quote_offset_(quote_offset),
      offsets_(string_byte_offsets(source.text(), quote_offset, value_)) {}

core::SourceLocation LocatedString::at(std::size_t index) const {
  if (offsets_.empty()) return source_->at_offset(quote_offset_);
  return source_->at_offset(offsets_[std::min(index, offsets_.size() - 1)]);
}

void LocatedString::fail(std::size_t index, std::string message, std::string hint) const {
  throw core::InputError(std::move(message), at(index), std::move(hint));
}

}  // namespace darkfigure::scenario::detail
