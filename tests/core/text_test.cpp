#include "darkfigure/core/text.hpp"

#include <catch2/catch.hpp>
#include <limits>
#include <string>
#include <vector>

using namespace darkfigure::core;

TEST_CASE("edit distance counts insertions, deletions and substitutions") {
  CHECK(edit_distance("", "") == 0);
  CHECK(edit_distance("abc", "") == 3);
  CHECK(edit_distance("kitten", "sitting") == 3);
  CHECK(edit_distance("reporting_rat", "reporting_rate") == 1);
}

TEST_CASE("nearest spelling suggests a close candidate and nothing for a far one") {
  const std::vector<std::string> names = {"draws", "seed", "name", "title", "source"};
  CHECK(nearest_spelling("draw", names) == "draws");
  CHECK(nearest_spelling("sed", names) == "seed");
  CHECK_FALSE(nearest_spelling("population", names).has_value());
  CHECK_FALSE(nearest_spelling("x", std::vector<std::string>{}).has_value());
}

TEST_CASE("shortest decimal reads back exactly") {
  CHECK(shortest_decimal(0.025) == "0.025");
  CHECK(shortest_decimal(0.5) == "0.5");
  CHECK(shortest_decimal(67500) == "67500");
  CHECK(shortest_decimal(1e-7) == "1e-07");
  const double third = 1.0 / 3.0;
  CHECK(std::stod(shortest_decimal(third)) == third);
  CHECK(shortest_decimal(std::numeric_limits<double>::quiet_NaN()) == "NaN");
  CHECK(shortest_decimal(-std::numeric_limits<double>::quiet_NaN()) == "NaN");
  CHECK(shortest_decimal(-std::numeric_limits<double>::infinity()) == "-inf");
}

TEST_CASE("line_of and line_column_of agree on line boundaries") {
  const std::string text = "a = 1\r\nbb = 2\n\nlast";
  CHECK(line_of(text, 1) == "a = 1");
  CHECK(line_of(text, 2) == "bb = 2");
  CHECK(line_of(text, 3).empty());
  CHECK(line_of(text, 4) == "last");
  CHECK(line_of(text, 5).empty());
  const auto at = line_column_of(text, text.find("2"));
  CHECK(at.line == 2);
  CHECK(at.column == 6);
  CHECK(line_column_of(text, 0).line == 1);
  CHECK(line_column_of(text, 0).column == 1);
}
