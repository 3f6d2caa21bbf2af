#include "darkfigure/core/error.hpp"

#include <catch2/catch.hpp>

using darkfigure::core::format_error;
using darkfigure::core::InputError;
using darkfigure::core::SourceLocation;

TEST_CASE("an input error prints file:line:col, the line, a caret under the column and a hint") {
  const InputError error("reporting_rate: beta alpha is -1, but must be positive",
                         SourceLocation{"kz.toml", 12, 23, R"x(reporting_rate = "beta(-1, 16)")x"},
                         "alpha and beta are counts of pseudo-observations");
  CHECK(format_error(error) ==
        "kz.toml:12:23: error: reporting_rate: beta alpha is -1, but must be positive\n"
        " 12 | reporting_rate = \"beta(-1, 16)\"\n"
        "    |                       ^\n"
        "hint: alpha and beta are counts of pseudo-observations\n");
}

TEST_CASE("a caret under a tab-indented line keeps the tabs") {
  const InputError error("bad", SourceLocation{"f.toml", 3, 3, "\tx = 1"});
  CHECK(format_error(error) == "f.toml:3:3: error: bad\n 3 | \tx = 1\n   | \t ^\n");
}

TEST_CASE("an error without a location prints only the message") {
  CHECK(format_error(InputError("quantile level 1.5 is outside (0, 1)")) ==
        "error: quantile level 1.5 is outside (0, 1)\n");
  CHECK(format_error(InputError("cannot read", SourceLocation{"missing.toml", 0, 0, ""})) ==
        "missing.toml: error: cannot read\n");
}
