#include <catch2/catch.hpp>

#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "scenario_testing.hpp"

namespace darkfigure::scenario {
namespace {

using testing::parsing_should_fail;
using Point = std::vector<std::pair<std::string, double>>;

// Lines 1 to 10; the sections a test appends start on line 11.
constexpr std::string_view kModel =
    "[inputs]\n"
    "reporting_rate = \"beta(4, 16)\"\n"
    "crisis_uptake = \"beta(2, 8)\"\n"
    "victims = \"lognormal_ci(1e5, 4e5)\"\n"
    "cases = \"poisson(3)\"\n"
    "population = 4.7e6\n"
    "\n"
    "[derived]\n"
    "prevalence = \"victims / population\"\n"
    "\n";

std::string with_model(std::string_view sections) {
  return std::string(kModel) + std::string(sections);
}

/// The model with draws and seed set and this [sweep] (its first key on line 15).
Scenario swept(std::string_view sweep) {
  return parse(with_model("[scenario]\ndraws = 5000\nseed = 42\n\n[sweep]\n" + std::string(sweep)),
               "test.toml");
}

/// The value an input is fixed at; fails the test if it still has a distribution.
double fixed_value(const Scenario& scenario, std::size_t input) {
  const auto* value = std::get_if<double>(&scenario.inputs[input].value);
  REQUIRE(value != nullptr);
  return *value;
}

bool is_random(const Scenario& scenario, std::size_t input) {
  return std::holds_alternative<distributions::Distribution>(scenario.inputs[input].value);
}

TEST_CASE("[sweep] lists each input with its values in file order, on the full grid by default") {
  const Scenario scenario = swept(
      "crisis_uptake = [0.02, 0.04, 0.065, 0.10]\n"
      "reporting_rate = [0.1, 2e-1]\n");
  REQUIRE(scenario.sweep.has_value());
  CHECK(scenario.sweep->grid == SweepGrid::full);
  REQUIRE(scenario.sweep->inputs.size() == 2);
  const SweptInput& uptake = scenario.sweep->inputs[0];
  CHECK(uptake.name == "crisis_uptake");
  CHECK(uptake.input == 1);
  CHECK(uptake.values == std::vector<double>{0.02, 0.04, 0.065, 0.1});
  CHECK(uptake.where.file == "test.toml");
  CHECK(uptake.where.line == 16);
  CHECK(uptake.where.column == 1);
  const SweptInput& rate = scenario.sweep->inputs[1];
  CHECK(rate.name == "reporting_rate");
  CHECK(rate.input == 0);
  CHECK(rate.values == std::vector<double>{0.1, 0.2});
  CHECK(rate.where.line == 17);
  CHECK(scenario.point.empty());
  CHECK(scenario.warnings.empty());
  // The scenario itself keeps its distributions: only the points fix the inputs.
  CHECK(is_random(scenario, 0));
  CHECK(is_random(scenario, 1));
}

TEST_CASE("a scenario without [sweep] is its own single point") {
  const Scenario scenario = parse(kModel, "test.toml");
  CHECK_FALSE(scenario.sweep.has_value());
  const std::vector<Scenario> points = sweep_points(scenario);
  REQUIRE(points.size() == 1);
  CHECK(points[0].point.empty());
  CHECK(is_random(points[0], 0));
  CHECK(points[0].inputs[0].text == "beta(4, 16)");
}

TEST_CASE("the full grid takes every combination, the last input varying fastest") {
  const Scenario scenario = swept(
      "crisis_uptake = [0.02, 0.04]\n"
      "reporting_rate = [0.3, 0.1, 0.2]\n");
  const std::vector<Scenario> points = sweep_points(scenario);
  const std::vector<Point> expected = {
      {{"crisis_uptake", 0.02}, {"reporting_rate", 0.3}},
      {{"crisis_uptake", 0.02}, {"reporting_rate", 0.1}},
      {{"crisis_uptake", 0.02}, {"reporting_rate", 0.2}},
      {{"crisis_uptake", 0.04}, {"reporting_rate", 0.3}},
      {{"crisis_uptake", 0.04}, {"reporting_rate", 0.1}},
      {{"crisis_uptake", 0.04}, {"reporting_rate", 0.2}},
  };
  REQUIRE(points.size() == expected.size());
  for (std::size_t i = 0; i < points.size(); ++i) {
    INFO("point " << i);
    const Scenario& point = points[i];
    CHECK(point.point == expected[i]);
    CHECK(fixed_value(point, 1) == expected[i][0].second);
    CHECK(fixed_value(point, 0) == expected[i][1].second);
    CHECK(point.inputs[1].text == core::shortest_decimal(expected[i][0].second));
    CHECK(point.inputs[0].text == core::shortest_decimal(expected[i][1].second));
    CHECK_FALSE(point.sweep.has_value());
    CHECK(point.draws == 5000);
    CHECK(point.seed == 42);
    // Inputs outside the sweep keep their distributions.
    CHECK(is_random(point, 2));
    CHECK(point.inputs[2].text == "lognormal_ci(1e5, 4e5)");
    CHECK(fixed_value(point, 4) == 4.7e6);
  }
  CHECK(points[3].inputs[1].text == "0.04");
  CHECK(points[4].inputs[0].text == "0.1");
}

TEST_CASE("one input at a time sweeps each input alone, the others as the scenario has them") {
  const Scenario scenario = swept(
      "crisis_uptake = [0.02, 0.04]\n"
      "reporting_rate = [0.3, 0.1, 0.2]\n"
      "grid = \"one-at-a-time\"\n");
  REQUIRE(scenario.sweep.has_value());
  CHECK(scenario.sweep->grid == SweepGrid::one_at_a_time);
  const std::vector<Scenario> points = sweep_points(scenario);
  const std::vector<Point> expected = {
      {{"crisis_uptake", 0.02}}, {{"crisis_uptake", 0.04}}, {{"reporting_rate", 0.3}},
      {{"reporting_rate", 0.1}}, {{"reporting_rate", 0.2}},
  };
  REQUIRE(points.size() == expected.size());
  for (std::size_t i = 0; i < points.size(); ++i) {
    INFO("point " << i);
    const Scenario& point = points[i];
    CHECK(point.point == expected[i]);
    const std::size_t fixed = expected[i][0].first == "crisis_uptake" ? 1 : 0;
    const std::size_t other = 1 - fixed;
    CHECK(fixed_value(point, fixed) == expected[i][0].second);
    CHECK(point.inputs[fixed].text == core::shortest_decimal(expected[i][0].second));
    CHECK(is_random(point, other));
    CHECK(point.inputs[other].text == scenario.inputs[other].text);
    CHECK_FALSE(point.sweep.has_value());
    CHECK(point.draws == 5000);
    CHECK(point.seed == 42);
  }
}

TEST_CASE("a swept input leaves its [correlation] block, which keeps the others' correlations") {
  const std::string block =
      "[correlation]\n"
      "inputs = [\"reporting_rate\", \"crisis_uptake\", \"victims\"]\n"
      "matrix = [[1.0, 0.5, -0.2],\n"
      "          [0.5, 1.0, 0.3],\n"
      "          [-0.2, 0.3, 1.0]]\n"
      "source = \"expert elicitation\"\n"
      "\n";
  const Scenario scenario =
      parse(with_model(block + "[sweep]\ncrisis_uptake = [0.02, 0.04]\n"), "test.toml");
  REQUIRE(scenario.correlations.size() == 1);
  CHECK(scenario.correlations[0].inputs.size() == 3);
  const std::vector<Scenario> points = sweep_points(scenario);
  REQUIRE(points.size() == 2);
  for (const Scenario& point : points) {
    REQUIRE(point.correlations.size() == 1);
    const Correlation& kept = point.correlations[0];
    CHECK(kept.inputs == std::vector<std::string>{"reporting_rate", "victims"});
    CHECK(kept.slots == std::vector<std::size_t>{0, 2});
    CHECK(kept.induced.size() == 2);
    CHECK(kept.induced.spearman() == std::vector<double>{1.0, -0.2, -0.2, 1.0});
    CHECK(kept.source == "expert elicitation");
  }
}

TEST_CASE("a block of two loses its correlation when one of its inputs is swept") {
  const Scenario scenario = parse(with_model("[[correlation]]\n"
                                             "inputs = [\"reporting_rate\", \"crisis_uptake\"]\n"
                                             "matrix = [[1, 0.6], [0.6, 1]]\n"
                                             "\n"
                                             "[[correlation]]\n"
                                             "inputs = [\"cases\", \"victims\"]\n"
                                             "matrix = [[1, 0.3], [0.3, 1]]\n"
                                             "\n"
                                             "[sweep]\n"
                                             "reporting_rate = [0.1, 0.2]\n"),
                                  "test.toml");
  CHECK(scenario.correlations.size() == 2);
  const std::vector<Scenario> points = sweep_points(scenario);
  REQUIRE(points.size() == 2);
  for (const Scenario& point : points) {
    REQUIRE(point.correlations.size() == 1);
    CHECK(point.correlations[0].inputs == std::vector<std::string>{"cases", "victims"});
    CHECK(point.correlations[0].induced.spearman() == std::vector<double>{1.0, 0.3, 0.3, 1.0});
  }
}

TEST_CASE("a fixed input can be swept") {
  const Scenario scenario = swept("population = [4e6, 5_000_000]\n");
  CHECK(scenario.warnings.empty());
  const std::vector<Scenario> points = sweep_points(scenario);
  REQUIRE(points.size() == 2);
  CHECK(points[0].point == Point{{"population", 4e6}});
  CHECK(fixed_value(points[0], 4) == 4e6);
  CHECK(points[0].inputs[4].text == core::shortest_decimal(4e6));
  CHECK(points[1].point == Point{{"population", 5e6}});
  CHECK(fixed_value(points[1], 4) == 5e6);
  CHECK(points[1].inputs[4].text == core::shortest_decimal(5e6));
}

TEST_CASE("an input called grid is swept when its value is an array") {
  const Scenario scenario = parse(
      "[inputs]\n"
      "grid = \"uniform(0, 1)\"\n"
      "other = 2\n"
      "\n"
      "[sweep]\n"
      "grid = [0.25, 0.75]\n",
      "test.toml");
  REQUIRE(scenario.sweep.has_value());
  CHECK(scenario.sweep->grid == SweepGrid::full);
  REQUIRE(scenario.sweep->inputs.size() == 1);
  CHECK(scenario.sweep->inputs[0].name == "grid");
  CHECK(scenario.sweep->inputs[0].input == 0);
  CHECK(scenario.sweep->inputs[0].values == std::vector<double>{0.25, 0.75});
  const std::vector<Scenario> points = sweep_points(scenario);
  REQUIRE(points.size() == 2);
  CHECK(points[1].point == Point{{"grid", 0.75}});
}

TEST_CASE("a value outside the input's support is allowed with a warning at its input's name") {
  const Scenario scenario = swept(
      "reporting_rate = [0.2, 1.5]\n"
      "cases = [2, 2.5, 4]\n");
  REQUIRE(scenario.warnings.size() == 2);
  CHECK_THAT(scenario.warnings[0],
             Catch::StartsWith("test.toml:16:1: [sweep]: reporting_rate = 1.5 lies outside the "
                               "support of beta(4, 16)"));
  CHECK_THAT(scenario.warnings[1],
             Catch::StartsWith("test.toml:17:1: [sweep]: cases = 2.5 lies outside the support "
                               "of poisson(3)"));
  CHECK(sweep_points(scenario).size() == 6);
}

TEST_CASE("each point carries the warnings of its own swept values only") {
  const Scenario scenario = swept("reporting_rate = [0.2, 1.5]\n");
  REQUIRE(scenario.warnings.size() == 1);
  const std::vector<Scenario> points = sweep_points(scenario);
  REQUIRE(points.size() == 2);
  CHECK(points[0].warnings.empty());
  REQUIRE(points[1].warnings.size() == 1);
  CHECK(points[1].warnings[0] == scenario.warnings[0]);
}

TEST_CASE("values inside the support give no warning") {
  CHECK(swept("reporting_rate = [0.01, 0.5, 0.99]\n"
              "cases = [0, 3, 40]\n"
              "victims = [1, 1e9]\n"
              "population = [-1, 0]\n")
            .warnings.empty());
}

TEST_CASE("[sweep] errors point at the offending key or value and say how to fix it") {
  parsing_should_fail(with_model("[sweep]\nreportng_rate = [0.1]\n"), 12, 1,
                      "[sweep]: unknown input \"reportng_rate\"",
                      "did you mean \"reporting_rate\"?");
  parsing_should_fail(with_model("[sweep]\nprevalence = [0.1]\n"), 12, 1,
                      "[sweep]: prevalence is a derived quantity, but must be an input",
                      "sweep the inputs it uses");
  parsing_should_fail(with_model("[sweep]\nreporting_rate = []\n"), 12, 18,
                      "[sweep]: reporting_rate lists no value",
                      "list the values to fix the input at");
  parsing_should_fail(with_model("[sweep]\nreporting_rate = [0.1, 0.2, 0.1]\n"), 12, 29,
                      "[sweep]: reporting_rate lists 0.1 twice", "list it once");
  parsing_should_fail(with_model("[sweep]\nreporting_rate = [0.1]\ngrid = \"diagnoal\"\n"), 13, 8,
                      "unknown grid \"diagnoal\"", "\"one-at-a-time\"");
  parsing_should_fail(with_model("[sweep]\ngrid = \"full\"\n"), 11, 1, "[sweep] names no input",
                      "crisis_uptake = [");
  parsing_should_fail(with_model("[sweep]\nreporting_rate = [0.1]\ngrid = 3\n"), 13, 8,
                      "grid must be a string (got an integer)", "grid = \"one-at-a-time\"");
}

/// "[0, 1, ..., count - 1]"
std::string count_up(std::size_t count) {
  std::string values;
  for (std::size_t i = 0; i < count; ++i)
    values += (i == 0 ? "" : ", ") + std::to_string(i);
  return "[" + values + "]";
}

TEST_CASE("a sweep makes at most 10,000 points") {
  CHECK(sweep_points(swept("victims = " + count_up(10'000) + "\n")).size() == 10'000);
  const std::string full =
      "[sweep]\nvictims = " + count_up(101) + "\npopulation = " + count_up(100) + "\n";
  parsing_should_fail(with_model(full), 11, 1,
                      "[sweep] makes 10_100 points, but may make at most 10_000",
                      "or use grid = \"one-at-a-time\", which makes 201 points");
  const auto error = parsing_should_fail(
      with_model("[sweep]\nvictims = " + count_up(10'001) + "\ngrid = \"one-at-a-time\"\n"), 11, 1,
      "[sweep] makes 10_001 points, but may make at most 10_000", "sweep fewer values");
  CHECK(error.hint().find("one-at-a-time") == std::string::npos);
  // Seven inputs of 1000 values make 10^21 points, more than a 64-bit count holds.
  std::string huge = "[inputs]\n";
  std::string sweep = "[sweep]\n";
  for (int i = 1; i <= 7; ++i) {
    const std::string name = "x" + std::to_string(i);
    huge += name;
    huge += " = 1\n";
    sweep += name;
    sweep += " = " + count_up(1000) + "\n";
  }
  std::optional<core::InputError> caught;
  try {
    parse(huge + sweep, "test.toml");
  } catch (const core::InputError& thrown) {
    caught = thrown;
  }
  REQUIRE(caught.has_value());
  CHECK_THAT(caught->message(),
             Catch::Equals("[sweep] makes at least 1_000_000_000_000_000_000 points, but may make "
                           "at most 10_000"));
}

}  // namespace
}  // namespace darkfigure::scenario
