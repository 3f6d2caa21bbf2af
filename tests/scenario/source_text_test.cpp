#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "scenario/source_text.hpp"

namespace darkfigure::scenario::detail {
namespace {

using Offsets = std::vector<std::size_t>;

TEST_CASE("byte offsets of a plain string start after its quote") {
  const std::string text = "x = \"a+b\"\n";
  CHECK(string_byte_offsets(text, 4, "a+b") == Offsets{5, 6, 7, 8});
  const std::string literal = "x = 'a\\b'\n";
  CHECK(string_byte_offsets(literal, 4, "a\\b") == Offsets{5, 6, 7, 8});
}

TEST_CASE("bytes produced by an escape map to its backslash") {
  // \u00e9 is two bytes in UTF-8; both map to the escape.
  const std::string text = R"(x = "a\tb\u00e9c")";
  CHECK(string_byte_offsets(text, 4,
                            "a\tb\xc3\xa9"
                            "c") == Offsets{5, 6, 8, 9, 9, 15, 16});
  const std::string quote = R"(x = "\"q\\")";
  CHECK(string_byte_offsets(quote, 4, "\"q\\") == Offsets{5, 7, 8, 10});
}

TEST_CASE("multi-line strings drop the first newline, CRs before LFs and line-ending backslashes") {
  const std::string text = "x = \"\"\"\nab\n  c\"\"\"";
  CHECK(string_byte_offsets(text, 4, "ab\n  c") == Offsets{8, 9, 10, 11, 12, 13, 14});
  const std::string crlf = "x = '''\r\nab\r\nc'''";
  CHECK(string_byte_offsets(crlf, 4, "ab\nc") == Offsets{9, 10, 12, 13, 14});
  const std::string joined = "x = \"\"\"a \\\n   b\"\"\"";
  CHECK(string_byte_offsets(joined, 4, "a b") == Offsets{7, 8, 14, 15});
}

TEST_CASE("a string that does not decode to the value gives no offsets") {
  CHECK(string_byte_offsets("x = \"abc\"", 4, "abd").empty());
  CHECK(string_byte_offsets("x = \"abc\"", 0, "abc").empty());
  CHECK(string_byte_offsets("x = \"ab", 4, "abc").empty());
  CHECK(string_byte_offsets("x = \"a\\x41\"", 4, "aA").empty());
}

TEST_CASE("toml++ positions in characters become byte offsets and byte columns") {
  const std::string text = "[inputs]\n\"\xc3\xa9\" = 'x'\nlast";
  const SourceText source(text, "f.toml");
  // The value 'x' is at character column 7 of line 2, byte column 8.
  const std::size_t offset = source.offset_of(2, 7);
  CHECK(offset == 16);
  const auto where = source.at_offset(offset);
  CHECK(where.file == "f.toml");
  CHECK(where.line == 2);
  CHECK(where.column == 8);
  CHECK(where.line_text == "\"\xc3\xa9\" = 'x'");
  // Columns past the end of a line stop at its newline; lines past the end at the end.
  CHECK(source.offset_of(1, 100) == 8);
  CHECK(source.offset_of(9, 1) == text.size());
  CHECK(source.at_offset(text.size()).line == 3);
  CHECK(source.at_offset(text.size()).column == 5);
}

TEST_CASE("a located string points at the opening quote when its bytes cannot be mapped") {
  const std::string text = "x = \"abc\"\n";
  const SourceText source(text, "f.toml");
  const LocatedString mapped(source, "abc", 4);
  CHECK(mapped.at(2).column == 8);
  CHECK(mapped.at(3).column == 9);
  const LocatedString unmapped(source, "something else", 4);
  CHECK(unmapped.at(5).column == 5);
}

TEST_CASE("a byte order mark is not part of the first line's columns") {
  const std::string text = "\xEF\xBB\xBFx = 1\ny = 2\n";
  const SourceText source(text, "f.toml");
  const auto first = source.at_offset(source.offset_of(1, 5));
  CHECK(first.line == 1);
  CHECK(first.column == 5);
  CHECK(first.line_text == "x = 1");
  CHECK(source.at_offset(0).column == 1);
  const auto second = source.at_offset(source.offset_of(2, 1));
  CHECK(second.line == 2);
  CHECK(second.column == 1);
  CHECK(second.line_text == "y = 2");
}

}  // namespace
}  // namespace darkfigure::scenario::detail
