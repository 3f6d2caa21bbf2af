#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "scenario_testing.hpp"

namespace darkfigure::scenario {
namespace {

using testing::parsing_should_fail;

// Lines 1 to 10; a [correlation] section starts on line 11.
constexpr std::string_view kModel =
    "[inputs]\n"
    "reporting_rate = \"beta(4, 16)\"\n"
    "crisis_uptake = \"beta(2, 8)\"\n"
    "victims = \"lognormal_ci(1e5, 4e5)\"\n"
    "cases = \"poisson(30)\"\n"
    "population = 4.7e6\n"
    "\n"
    "[derived]\n"
    "prevalence = \"victims / population\"\n"
    "\n";

std::string with_model(std::string_view correlation) {
  return std::string(kModel) + std::string(correlation);
}

/// A [correlation] of reporting_rate and crisis_uptake with this matrix (line 13).
std::string with_matrix(std::string_view matrix) {
  return with_model("[correlation]\ninputs = [\"reporting_rate\", \"crisis_uptake\"]\nmatrix = " +
                    std::string(matrix) + "\n");
}

/// A [correlation] of the three random inputs with this matrix (line 13).
std::string with_matrix3(std::string_view matrix) {
  return with_model(
      "[correlation]\ninputs = [\"reporting_rate\", \"crisis_uptake\", \"victims\"]\nmatrix = " +
      std::string(matrix) + "\n");
}

TEST_CASE("a [correlation] table becomes one block with the inputs' slots") {
  const Scenario scenario = parse(with_model("[correlation]\n"
                                             "inputs = [\"victims\", \"reporting_rate\"]\n"
                                             "matrix = [[1.0, -0.4],\n"
                                             "          [-0.4, 1]]\n"
                                             "source = \"expert elicitation, 2024\"\n"
                                             "note = \"fewer reports where there are more "
                                             "victims\"\n"),
                                  "test.toml");
  REQUIRE(scenario.correlations.size() == 1);
  const Correlation& block = scenario.correlations[0];
  CHECK(block.inputs == std::vector<std::string>{"victims", "reporting_rate"});
  CHECK(block.slots == std::vector<std::size_t>{2, 0});
  CHECK(block.induced.size() == 2);
  CHECK(block.induced.spearman() == std::vector<double>{1.0, -0.4, -0.4, 1.0});
  CHECK(block.where.file == "test.toml");
  CHECK(block.where.line == 13);
  CHECK(block.where.column == 1);
  CHECK(block.source == "expert elicitation, 2024");
  CHECK(block.note == "fewer reports where there are more victims");
  CHECK(scenario.warnings.empty());
  // check shows the block with its provenance.
  const std::string text = describe(scenario);
  CHECK(text.find("rank correlations (Spearman) of victims, reporting_rate:\n"
                  "  victims: 1, -0.4\n"
                  "  reporting_rate: -0.4, 1\n"
                  "      source: expert elicitation, 2024\n"
                  "      note: fewer reports where there are more victims\n") != std::string::npos);
}

TEST_CASE("several [[correlation]] blocks, one with a discrete input") {
  const Scenario scenario = parse(with_model("[[correlation]]\n"
                                             "inputs = [\"reporting_rate\", \"crisis_uptake\"]\n"
                                             "matrix = [[1, 0.6], [0.6, 1]]\n"
                                             "\n"
                                             "[[correlation]]\n"
                                             "inputs = [\"cases\", \"victims\"]\n"
                                             "matrix = [[1, 0.3], [0.3, 1]]\n"),
                                  "test.toml");
  REQUIRE(scenario.correlations.size() == 2);
  CHECK(scenario.correlations[0].slots == std::vector<std::size_t>{0, 1});
  CHECK(scenario.correlations[1].inputs == std::vector<std::string>{"cases", "victims"});
  CHECK(scenario.correlations[1].slots == std::vector<std::size_t>{3, 2});
  CHECK(scenario.correlations[1].where.line == 17);
  CHECK(scenario.warnings.empty());
}

TEST_CASE("a scenario without [correlation] has no blocks") {
  CHECK(parse(kModel, "test.toml").correlations.empty());
}

TEST_CASE("a nearly singular matrix is accepted with a warning at the matrix") {
  const Scenario scenario = parse(with_matrix("[[1, 0.99999999], [0.99999999, 1]]"), "test.toml");
  REQUIRE(scenario.correlations.size() == 1);
  REQUIRE(scenario.warnings.size() == 1);
  CHECK_THAT(scenario.warnings[0],
             Catch::StartsWith("test.toml:13:1: the correlation matrix of reporting_rate, "
                               "crisis_uptake is nearly singular (reciprocal condition number "
                               "5e-09): "));
}

TEST_CASE("a [correlation] block without inputs or matrix, or with an unknown key") {
  parsing_should_fail(with_model("[correlation]\nmatrix = [[1, 0.5], [0.5, 1]]\n"), 11, 1,
                      "[correlation] has no inputs", "inputs = [");
  parsing_should_fail(with_model("[correlation]\ninputs = [\"reporting_rate\", \"victims\"]\n"), 11,
                      1, "[correlation] has no matrix", "matrix = [[1.0, 0.6], [0.6, 1.0]]");
  parsing_should_fail(with_model("[[correlation]]\ninputs = [\"reporting_rate\", \"victims\"]\n"
                                 "matrix = [[1, 0.5], [0.5, 1]]\nmatirx = 1\n"),
                      14, 1, "unknown key \"matirx\" in [[correlation]]",
                      "did you mean \"matrix\"?");
  parsing_should_fail(with_model("[correlation]\ninputs = [\"reporting_rate\", \"victims\"]\n"
                                 "matrix = [[1, 0.5], [0.5, 1]]\nnote = 3\n"),
                      14, 8, "note must be a string (got an integer)");
}

TEST_CASE("the inputs of a block are distinct random inputs, at least two, in one block") {
  parsing_should_fail(with_model("[correlation]\ninputs = \"reporting_rate\"\n"), 12, 10,
                      "inputs must be an array of input names (got a string)");
  parsing_should_fail(with_model("[correlation]\ninputs = [\"reporting_rate\", 2]\n"), 12, 29,
                      "inputs must hold strings (got an integer)");
  parsing_should_fail(with_model("[correlation]\ninputs = [\"reporting_rate\", \"victim\"]\n"), 12,
                      29, "[correlation]: unknown input \"victim\"", "did you mean \"victims\"?");
  parsing_should_fail(with_model("[correlation]\ninputs = [\"reporting_rate\", \"prevalence\"]\n"),
                      12, 29,
                      "[correlation]: prevalence is a derived quantity, but must be a random input",
                      "correlate those");
  parsing_should_fail(with_model("[correlation]\ninputs = [\"reporting_rate\", \"population\"]\n"),
                      12, 29,
                      "[correlation]: population is fixed at 4700000, but must be a random input",
                      "leave population out of inputs");
  parsing_should_fail(with_model("[correlation]\ninputs = [\"victims\", \"cases\", \"victims\"]\n"),
                      12, 31, "[correlation]: \"victims\" is listed twice in inputs",
                      "list each input once");
  parsing_should_fail(with_model("[correlation]\ninputs = [\"victims\"]\n"), 12, 10,
                      "[correlation]: inputs lists 1 input, but must list at least 2",
                      "two or more");
  parsing_should_fail(with_model("[[correlation]]\n"
                                 "inputs = [\"reporting_rate\", \"crisis_uptake\"]\n"
                                 "matrix = [[1, 0.6], [0.6, 1]]\n"
                                 "[[correlation]]\n"
                                 "inputs = [\"victims\", \"crisis_uptake\"]\n"
                                 "matrix = [[1, 0.6], [0.6, 1]]\n"),
                      15, 22,
                      "[[correlation]]: \"crisis_uptake\" is already correlated in the "
                      "block on line 12",
                      "merge the two blocks");
}

TEST_CASE("the matrix has one row of numbers per input") {
  parsing_should_fail(with_matrix("0.6"), 13, 10,
                      "[correlation]: matrix must be an array of rows (got a floating-point "
                      "number)");
  parsing_should_fail(with_matrix("[1, 0.6, 0.6, 1]"), 13, 11,
                      "[correlation]: row 1 of matrix must be an array of numbers (got an "
                      "integer)",
                      "each row in its own brackets");
  parsing_should_fail(with_matrix("[[1, 0.6], [0.6, 1], [0, 0]]"), 13, 31,
                      "[correlation]: matrix has 3 rows, but must have 2, one per input "
                      "(reporting_rate, crisis_uptake)");
  parsing_should_fail(with_matrix("[[1, 0.6]]"), 13, 10,
                      "[correlation]: matrix has 1 row, but must have 2");
  parsing_should_fail(with_matrix("[[1, 0.6], [0.6, 1, 0]]"), 13, 21,
                      "[correlation]: row 2 of matrix has 3 entries, but must have 2, one per "
                      "input (reporting_rate, crisis_uptake)");
  parsing_should_fail(with_matrix("[[1, \"0.6\"], [0.6, 1]]"), 13, 15,
                      "[correlation]: row 1 of matrix must hold numbers (got a string)");
}

TEST_CASE("bad entries are reported at the entry, with the inputs they pair") {
  parsing_should_fail(with_matrix("[[1, 1.5], [1.5, 1]]"), 13, 15,
                      "correlation of reporting_rate and crisis_uptake: the entry in row 1, "
                      "column 2 is 1.5, but must lie in [-1, 1]",
                      "between -1 and 1");
  parsing_should_fail(with_matrix("[[1, 60], [60, 1]]"), 13, 15,
                      "the entry in row 1, column 2 is 60, but must lie in [-1, 1]",
                      "fractions, not percentages: write 0.6 for 60");
  parsing_should_fail(with_matrix("[[1, nan], [nan, 1]]"), 13, 15,
                      "the entry in row 1, column 2 is NaN, but must lie in [-1, 1]");
  parsing_should_fail(with_matrix("[[1, 0.6], [0.6, 0.95]]"), 13, 27,
                      "correlation of crisis_uptake with itself: the diagonal entry in row 2 is "
                      "0.95, but must be 1",
                      "with itself is 1");
  parsing_should_fail(with_matrix("[[1, 0.6], [0.5, 1]]"), 13, 22,
                      "correlation of crisis_uptake and reporting_rate: the entry in row 2, "
                      "column 1 is 0.5, but must equal the entry in row 1, column 2, 0.6",
                      "symmetric");
}

TEST_CASE("a matrix that is not positive definite is reported at the matrix") {
  parsing_should_fail(
      with_matrix3("[[1, 0.9, -0.9], [0.9, 1, 0.9], [-0.9, 0.9, 1]]"), 13, 10,
      "correlation matrix of reporting_rate, crisis_uptake, victims: the smallest eigenvalue of "
      "the matrix is -0.8, but must be positive",
      "lower the strongest correlations, or check their signs");
  parsing_should_fail(with_matrix3("[[1, -0.49, -0.49], [-0.49, 1, -0.49], [-0.49, -0.49, 1]]"), 13,
                      10, "the smallest eigenvalue of the normal-score correlations",
                      "2 sin(pi r / 6)");
}

}  // namespace
}  // namespace darkfigure::scenario
