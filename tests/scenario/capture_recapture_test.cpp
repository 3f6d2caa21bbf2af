#include <catch2/catch.hpp>

#include <cmath>
#include <string>
#include <variant>

#include "darkfigure/estimators/estimate.hpp"
#include "darkfigure/estimators/lists.hpp"
#include "darkfigure/estimators/single_register.hpp"
#include "scenario_testing.hpp"

namespace darkfigure::scenario {
namespace {

using estimators::IntervalMethod;
using testing::parsing_should_fail;

// The data sets of the contract, lines 1 to 13; a test appends its sections from line 14.
constexpr std::string_view kData =
    "[capture_recapture.registers]\n"
    "lists = [\"police\", \"crisis\", \"health\"]\n"
    "histories = { \"100\" = 412, \"010\" = 96, \"001\" = 230, \"110\" = 38, \"101\" = 51, "
    "\"011\" = 12, \"111\" = 9 }\n"
    "model = \"auto\"\n"
    "criterion = \"bic\"\n"
    "interval = \"profile\"\n"
    "source = \"three services, matched\"\n"
    "\n"
    "[capture_recapture.police_repeats]\n"
    "frequencies = [1645, 183, 37, 13, 1, 1]\n"
    "method = \"chao\"\n"
    "interval = \"bootstrap\"\n"
    "\n";

std::string with_data(std::string_view sections) {
  return std::string(kData) + std::string(sections);
}

const distributions::Distribution& distribution_of(const Scenario& scenario, std::size_t input) {
  const auto* distribution =
      std::get_if<distributions::Distribution>(&scenario.inputs[input].value);
  REQUIRE(distribution != nullptr);
  return *distribution;
}

TEST_CASE("capture-recapture data sets are read as the contract writes them") {
  const Scenario scenario = parse(kData, "test.toml");
  REQUIRE(scenario.capture_recapture.size() == 2);
  CHECK(scenario.inputs.empty());
  CHECK(scenario.outputs.empty());

  const CaptureData& registers = scenario.capture_recapture[0];
  CHECK(registers.name == "registers");
  CHECK(registers.where.line == 1);
  REQUIRE(registers.lists.has_value());
  CHECK(registers.lists->lists == std::vector<std::string>{"police", "crisis", "health"});
  // A history read in base 2 indexes the counts: "100" is 4, the first list the highest bit.
  CHECK(registers.lists->counts ==
        std::vector<double>{0.0, 230.0, 96.0, 12.0, 412.0, 51.0, 38.0, 9.0});
  CHECK(registers.method == "log-linear");
  CHECK_FALSE(registers.list_settings.model.has_value());
  CHECK(registers.list_settings.criterion == estimators::Criterion::bic);
  CHECK(registers.interval.method == IntervalMethod::profile);
  CHECK(registers.source == "three services, matched");
  // The estimate is the estimator's on the same data, with the scenario's seed.
  estimators::ListSettings settings;
  settings.interval.seed = scenario.seed;
  settings.interval.name = "registers";
  const estimators::Estimate direct = estimators::estimate_lists(*registers.lists, settings);
  CHECK(registers.estimate.n_observed == 848.0);
  CHECK(registers.estimate.fit.model == direct.fit.model);
  CHECK(registers.estimate.fit.estimate == direct.fit.estimate);
  CHECK(registers.estimate.lower == direct.lower);
  CHECK(registers.estimate.upper == direct.upper);

  const CaptureData& repeats = scenario.capture_recapture[1];
  CHECK_FALSE(repeats.lists.has_value());
  CHECK(repeats.frequencies == std::vector<double>{1645, 183, 37, 13, 1, 1});
  CHECK(repeats.register_method == estimators::RegisterMethod::chao);
  CHECK(repeats.interval.method == IntervalMethod::bootstrap);
  CHECK(repeats.estimate.resamples.size() == estimators::kDefaultResamples);
  // Chao's lower bound: 1880 + 1645^2 / (2 * 183).
  CHECK(repeats.estimate.fit.estimate == Approx(1880.0 + 1645.0 * 1645.0 / 366.0).epsilon(1e-12));
}

TEST_CASE("estimate(NAME) draws the total from the log-normal on the unseen count") {
  const Scenario scenario =
      parse(with_data("[inputs]\nreachable = \"estimate(registers)\"\n"), "test.toml");
  REQUIRE(scenario.inputs.size() == 1);
  CHECK(scenario.inputs[0].estimate == "registers");
  CHECK(scenario.inputs[0].text == "estimate(registers)");
  const estimators::Estimate& estimate = scenario.capture_recapture[0].estimate;
  const distributions::Distribution& total = distribution_of(scenario, 0);
  // Its median is the estimate and its central 95% the log-normal interval of Chao (1987).
  CHECK(total.quantile(0.5) == Approx(estimate.fit.estimate).epsilon(1e-12));
  const auto [lower, upper] = estimators::lognormal_interval(
      estimate.n_observed, estimate.fit.estimate, estimate.fit.se, 0.95);
  CHECK(total.quantile(0.025) == Approx(lower).epsilon(1e-9));
  CHECK(total.quantile(0.975) == Approx(upper).epsilon(1e-9));
  // Nobody fewer than those seen.
  CHECK(total.quantile(0.0) == estimate.n_observed);
  // Its variance is f0^2 (exp(sigma^2) - 1) exp(sigma^2) with exp(sigma^2) = 1 + se^2 / f0^2:
  // se^2 (1 + se^2 / f0^2), above the estimator's se^2 by the log-normal's skew.
  const double f0 = estimate.fit.estimate - estimate.n_observed;
  const double ratio = estimate.fit.se * estimate.fit.se / (f0 * f0);
  CHECK(total.variance() == Approx(f0 * f0 * ratio * (1.0 + ratio)).epsilon(1e-9));
}

TEST_CASE("estimate(NAME) of a bootstrap interval draws the bootstrap totals") {
  const Scenario scenario = parse(
      with_data(
          "[inputs]\nlower_bound = { dist = \"estimate(police_repeats)\", source = \"x\" }\n"),
      "test.toml");
  const estimators::Estimate& estimate = scenario.capture_recapture[1].estimate;
  const distributions::Distribution& total = distribution_of(scenario, 0);
  CHECK(total.family() == "discrete");
  CHECK(scenario.inputs[0].source == "x");
  // The totals as drawn, each kept at the 1,880 people seen at least.
  std::vector<double> sorted = estimate.resamples;
  for (double& x : sorted)
    x = std::max(x, estimate.n_observed);
  std::sort(sorted.begin(), sorted.end());
  CHECK(total.quantile(0.0) == sorted.front());
  CHECK(total.quantile(0.0) >= estimate.n_observed);
  CHECK(total.quantile(1.0) == sorted.back());
  double mean = 0.0;
  for (const double x : sorted)
    mean += x / static_cast<double>(sorted.size());
  CHECK(total.mean() == Approx(mean).epsilon(1e-12));
}

TEST_CASE("estimate(NAME) refuses bootstrap totals that are infinite") {
  // Two lists that share 2 of 80 people: in some resamples nobody is on both, and
  // Lincoln-Petersen is infinite there.
  parsing_should_fail(
      "[capture_recapture.sparse]\n"
      "lists = [\"police\", \"crisis\"]\n"
      "histories = { \"10\" = 40, \"01\" = 40, \"11\" = 2 }\n"
      "interval = \"bootstrap\"\n"
      "\n"
      "[inputs]\n"
      "total = \"estimate(sparse)\"\n",
      7, 10, "bootstrap totals of sparse are infinite", "interval = \"lognormal\"");
}

TEST_CASE("a model left out for want of an estimate is a warning at its data set") {
  const Scenario scenario = parse(
      "[capture_recapture.injury_deaths]\n"
      "lists = [\"death\", \"ntof\", \"wcc\", \"mosh\"]\n"
      "histories = { \"1111\" = 72, \"1110\" = 5, \"1101\" = 29, \"1100\" = 53, \"1011\" = 24, "
      "\"1010\" = 3, \"1001\" = 12, \"1000\" = 14, \"0100\" = 1, \"0001\" = 2 }\n",
      "test.toml");
  REQUIRE_FALSE(scenario.warnings.empty());
  CHECK_THAT(scenario.warnings[0], Catch::StartsWith("test.toml:1:20: [capture_recapture."
                                                     "injury_deaths]: "));
  CHECK_THAT(scenario.warnings[0], Catch::Contains("do not exist"));
  CHECK(scenario.capture_recapture[0].estimate.fit.problem.empty());
}

TEST_CASE("resamples without a bootstrap interval is a warning") {
  const Scenario scenario = parse(
      "[capture_recapture.registers]\n"
      "lists = [\"police\", \"crisis\"]\n"
      "histories = { \"10\" = 412, \"01\" = 96, \"11\" = 9 }\n"
      "resamples = 500\n",
      "test.toml");
  REQUIRE(scenario.warnings.size() == 1);
  CHECK(scenario.warnings[0] ==
        "test.toml:4:1: [capture_recapture.registers]: resamples is used "
        "only with interval = \"bootstrap\"");
}

TEST_CASE("two lists give Lincoln-Petersen, and Chapman when asked") {
  const std::string data =
      "[capture_recapture.seber]\n"
      "lists = [\"first\", \"second\"]\n"
      "histories = { \"11\" = 167, \"10\" = 781, \"01\" = 254 }\n";
  const Scenario petersen = parse(data, "test.toml");
  // n1 n2 / m = 948 * 421 / 167 (Seber 1982, p. 107).
  CHECK(petersen.capture_recapture[0].estimate.fit.estimate ==
        Approx(948.0 * 421.0 / 167.0).epsilon(1e-10));
  const Scenario chapman = parse(data + "method = \"chapman\"\n", "test.toml");
  CHECK(chapman.capture_recapture[0].list_settings.chapman);
  CHECK(chapman.capture_recapture[0].estimate.fit.estimate ==
        Approx(949.0 * 422.0 / 168.0 - 1.0).epsilon(1e-10));
}

TEST_CASE("capture-recapture mistakes are reported at their key") {
  parsing_should_fail(
      "[capture_recapture.registers]\n"
      "lists = [\"police\", \"crisis\"]\n"
      "histories = { \"10\" = 412, \"01\" = 96 }\n",
      3, 13, "registers: the lists police and crisis share nobody", "chapman");
  parsing_should_fail(
      "[capture_recapture.registers]\n"
      "lists = [\"police\", \"crisis\"]\n"
      "histories = { \"10\" = 412, \"01\" = 96, \"11\" = 4 }\n"
      "model = [\"police:police\"]\n",
      4, 10, "interaction \"police:police\" pairs a list with itself");
  parsing_should_fail(
      "[capture_recapture.registers]\n"
      "lists = [\"police\", \"crisis\", \"health\"]\n"
      "histories = { \"100\" = 412, \"010\" = 96, \"111\" = 4 }\n"
      "model = [\"police:crisis\", \"crisis:police\"]\n",
      4, 27, "interaction \"crisis:police\" is listed twice");
  parsing_should_fail(
      "[capture_recapture.registers]\n"
      "lists = [\"police\", 3]\n"
      "histories = { \"10\" = 412 }\n",
      2, 20, "lists must hold strings (got an integer)");
  parsing_should_fail(
      "[capture_recapture.registers]\n"
      "lists = [\"police\", \"crisis unit\"]\n"
      "histories = { \"10\" = 412 }\n",
      2, 20, "list name \"crisis unit\" is not valid");
  parsing_should_fail(
      "[capture_recapture.registers]\n"
      "frequencies = []\n",
      2, 15, "frequencies is empty");
  parsing_should_fail(
      "[capture_recapture.registers]\n"
      "lists = [\"police\", \"crisis\"]\n"
      "histories = { \"10\" = \"412\", \"01\" = 96, \"11\" = 4 }\n",
      3, 22, "history \"10\" must be a number of people (got a string)");
  parsing_should_fail(with_data("[inputs]\nx = \"normal(estimate(registers), 2)\"\n"), 15, 22,
                      "x: distribution arguments must be constants");
}

TEST_CASE("a file of data sets alone parses, and one without either fails") {
  CHECK_NOTHROW(parse(kData, "test.toml"));
  parsing_should_fail("[scenario]\nname = \"x\"\n", 1, 1, "no [inputs] table");
}

TEST_CASE("describe shows the data sets and what estimate(NAME) draws") {
  const Scenario scenario =
      parse(with_data("[inputs]\nreachable = \"estimate(registers)\"\n"), "test.toml");
  const std::string text = describe(scenario);
  CHECK_THAT(text, Catch::Contains("capture-recapture data sets:\n"
                                   "  registers: 3 lists (police, crisis, health), log-linear, "
                                   "848 people seen\n"));
  CHECK_THAT(text, Catch::Contains("chosen by bic among 8\n"));
  CHECK_THAT(text, Catch::Contains("  police_repeats: 6 frequencies, chao, 1880 people seen\n"));
  CHECK_THAT(text, Catch::Contains("  reachable ~ estimate(registers)\n"
                                   "      the total of registers, drawn from the log-normal on "
                                   "its unseen count, lognormal("));
}

}  // namespace
}  // namespace darkfigure::scenario
