#pragma once

#include <catch2/catch.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "darkfigure/core/error.hpp"
#include "darkfigure/core/text.hpp"
#include "darkfigure/scenario/scenario.hpp"

namespace darkfigure::scenario::testing {

/// Parses `text` as "test.toml" and checks that it fails with an InputError at exactly
/// `line`:`column`, carrying that line's text, a message containing `message` and a hint
/// containing `hint`. Returns the error for further checks.
inline core::InputError parsing_should_fail(std::string_view text, std::uint32_t line,
                                            std::uint32_t column, std::string_view message,
                                            std::string_view hint = {}) {
  std::optional<core::InputError> caught;
  try {
    parse(text, "test.toml");
  } catch (const core::InputError& error) {
    caught = error;
  }
  INFO("scenario:\n" << text);
  REQUIRE(caught.has_value());
  INFO("error:\n" << core::format_error(*caught));
  REQUIRE(caught->where().has_value());
  CHECK(caught->where()->file == "test.toml");
  CHECK(caught->where()->line == line);
  CHECK(caught->where()->column == column);
  CHECK(caught->where()->line_text == core::line_of(text, line));
  CHECK_THAT(caught->message(), Catch::Contains(std::string(message)));
  CHECK_THAT(caught->hint(), Catch::Contains(std::string(hint)));
  return *caught;
}

}  // namespace darkfigure::scenario::testing
