#include <catch2/catch.hpp>

#include <optional>
#include <string>
#include <vector>

#include "scenario_testing.hpp"

namespace darkfigure::scenario {
namespace {

using testing::parsing_should_fail;
using Methods = std::vector<SensitivityMethod>;
using Names = std::vector<std::string>;

// Lines 1 to 11; the sections a test appends start on line 12.
constexpr std::string_view kModel =
    "[inputs]\n"
    "reporting_rate = \"beta(4, 16)\"\n"
    "crisis_uptake = \"beta_mean_sd(0.02, 0.01)\"\n"
    "reported_cases = 67_500\n"
    "crisis_victims = 4_400\n"
    "\n"
    "[derived]\n"
    "victims = \"(reported_cases / reporting_rate + crisis_victims / crisis_uptake) / 2\"\n"
    "routes_ratio = \"(crisis_victims / crisis_uptake) / (reported_cases / reporting_rate)\"\n"
    "above = \"victims > 3e5\"\n"
    "\n";

std::string with_model(std::string_view sections) {
  return std::string(kModel) + std::string(sections);
}

/// The model with this [sensitivity] table (its header on line 12, its first key on line 13).
std::string with_study(std::string_view keys) {
  return with_model("[sensitivity]\n" + std::string(keys));
}

/// The study of the model with this [sensitivity] table; fails the test if there is none.
SensitivityStudy study_of(std::string_view keys) {
  const Scenario scenario = parse(with_study(keys), "test.toml");
  REQUIRE(scenario.sensitivity.has_value());
  return *scenario.sensitivity;
}

TEST_CASE("[sensitivity] reads every key, and records where its methods are") {
  const SensitivityStudy study = study_of(
      "methods   = [\"sobol\", \"tornado\"]\n"
      "outputs   = [\"victims\"]\n"
      "inputs    = [\"crisis_uptake\", \"reporting_rate\"]\n"
      "draws     = 65_536\n"
      "bootstrap = 1_000\n"
      "quantile  = 0.5\n");
  CHECK(study.methods == Methods{SensitivityMethod::sobol, SensitivityMethod::tornado});
  CHECK(study.outputs == Names{"victims"});
  CHECK(study.inputs == Names{"crisis_uptake", "reporting_rate"});
  CHECK(study.draws == std::optional<std::uint64_t>(65'536));
  CHECK(study.bootstrap == std::optional<std::uint32_t>(1'000));
  CHECK(study.quantile == std::optional<double>(0.5));
  CHECK(study.where.file == "test.toml");
  CHECK(study.where.line == 13);
  CHECK(study.where.column == 13);
  CHECK(study.where.line_text == "methods   = [\"sobol\", \"tornado\"]");
}

TEST_CASE("[sensitivity] needs only its methods, kept in file order") {
  const SensitivityStudy study =
      study_of("methods = [\"tornado\", \"prcc\", \"src\", \"sobol\"]\n");
  CHECK(study.methods == Methods{SensitivityMethod::tornado, SensitivityMethod::prcc,
                                 SensitivityMethod::src, SensitivityMethod::sobol});
  CHECK(study.outputs.empty());
  CHECK(study.inputs.empty());
  CHECK_FALSE(study.draws.has_value());
  CHECK_FALSE(study.bootstrap.has_value());
  CHECK_FALSE(study.quantile.has_value());
  CHECK(study.where.line == 13);
  CHECK(study.where.column == 11);
}

TEST_CASE("a scenario without [sensitivity] asks for no study") {
  CHECK_FALSE(parse(kModel, "test.toml").sensitivity.has_value());
}

TEST_CASE("[sensitivity] may come before the tables it refers to") {
  const Scenario scenario = parse(
      "[sensitivity]\n"
      "methods = [\"src\"]\n"
      "outputs = [\"total\"]\n"
      "inputs = [\"share\"]\n"
      "\n"
      "[inputs]\n"
      "share = \"beta(2, 3)\"\n"
      "count = \"poisson(40)\"\n"
      "\n"
      "[derived]\n"
      "total = \"count / share\"\n"
      "\n"
      "[outputs]\n"
      "names = [\"total\", \"share\"]\n",
      "test.toml");
  REQUIRE(scenario.sensitivity.has_value());
  CHECK(scenario.sensitivity->outputs == Names{"total"});
  CHECK(scenario.sensitivity->inputs == Names{"share"});
  CHECK(scenario.sensitivity->where.line == 2);
}

TEST_CASE("[sensitivity] counts are integers written as TOML writes them") {
  CHECK(study_of("methods = [\"src\"]\ndraws = 1_000\n").draws ==
        std::optional<std::uint64_t>(1'000));
  CHECK(study_of("methods = [\"src\"]\ndraws = 10\n").draws == std::optional<std::uint64_t>(10));
  CHECK(study_of("methods = [\"src\"]\ndraws = 1_000_000_000_000\n").draws ==
        std::optional<std::uint64_t>(1'000'000'000'000));
  CHECK(study_of("methods = [\"sobol\"]\nbootstrap = 100\n").bootstrap ==
        std::optional<std::uint32_t>(100));
  CHECK(study_of("methods = [\"sobol\"]\nbootstrap = 100_000\n").bootstrap ==
        std::optional<std::uint32_t>(100'000));
  parsing_should_fail(with_study("methods = [\"src\"]\ndraws = 1e6\n"), 14, 9,
                      "draws must be an integer (got a floating-point number)",
                      "write draws = 1_000_000");
  parsing_should_fail(with_study("methods = [\"src\"]\ndraws = \"many\"\n"), 14, 9,
                      "draws must be an integer (got a string)", "e.g. draws = 65_536");
  parsing_should_fail(with_study("methods = [\"src\"]\ndraws = 9\n"), 14, 9,
                      "[sensitivity]: draws is 9, but must be at least 10",
                      "leave draws out to take the scenario's 100_000");
  parsing_should_fail(with_study("methods = [\"src\"]\ndraws = -5_000\n"), 14, 9,
                      "[sensitivity]: draws is -5_000, but must be at least 10");
  parsing_should_fail(with_study("methods = [\"src\"]\ndraws = 1_000_000_000_001\n"), 14, 9,
                      "[sensitivity]: draws is 1_000_000_000_001, but must be at most "
                      "1_000_000_000_000");
  parsing_should_fail(with_study("methods = [\"sobol\"]\nbootstrap = 99\n"), 14, 13,
                      "[sensitivity]: bootstrap is 99, but must be between 100 and 100_000",
                      "leave bootstrap out for the default");
  parsing_should_fail(with_study("methods = [\"sobol\"]\nbootstrap = 100_001\n"), 14, 13,
                      "[sensitivity]: bootstrap is 100_001, but must be between 100 and 100_000");
  parsing_should_fail(with_study("methods = [\"sobol\"]\nbootstrap = 1e3\n"), 14, 13,
                      "bootstrap must be an integer (got a floating-point number)",
                      "write bootstrap = 1_000");
}

TEST_CASE("[sensitivity] quantile lies strictly between 0 and 1") {
  CHECK(study_of("methods = [\"tornado\"]\nquantile = 0.001\n").quantile ==
        std::optional<double>(0.001));
  CHECK(study_of("methods = [\"tornado\"]\nquantile = 0.975\n").quantile ==
        std::optional<double>(0.975));
  parsing_should_fail(with_study("methods = [\"tornado\"]\nquantile = 0\n"), 14, 12,
                      "[sensitivity]: quantile is 0, but must lie strictly between 0 and 1",
                      "0.5 for the output's median");
  parsing_should_fail(with_study("methods = [\"tornado\"]\nquantile = 1.0\n"), 14, 12,
                      "[sensitivity]: quantile is 1, but must lie strictly between 0 and 1");
  parsing_should_fail(with_study("methods = [\"tornado\"]\nquantile = 90\n"), 14, 12,
                      "[sensitivity]: quantile is 90, but must lie strictly between 0 and 1",
                      "not a percentage: write 0.9 for 90%");
  parsing_should_fail(with_study("methods = [\"tornado\"]\nquantile = nan\n"), 14, 12,
                      "[sensitivity]: quantile is NaN, but must lie strictly between 0 and 1");
  parsing_should_fail(with_study("methods = [\"tornado\"]\nquantile = [0.9]\n"), 14, 12,
                      "[sensitivity]: quantile must be a number (got an array)",
                      "e.g. quantile = 0.9");
}

TEST_CASE("[sensitivity] settings of a method need that method") {
  parsing_should_fail(with_study("methods = [\"src\", \"tornado\"]\nbootstrap = 2_000\n"), 14, 1,
                      "[sensitivity]: bootstrap sets the resamples of Sobol intervals, but "
                      "methods does not list sobol",
                      "add \"sobol\" to methods, or leave bootstrap out");
  parsing_should_fail(with_study("quantile = 0.9\nmethods = [\"prcc\"]\n"), 13, 1,
                      "[sensitivity]: quantile sets the quantile a tornado compares, but methods "
                      "does not list tornado",
                      "add \"tornado\" to methods, or leave quantile out");
}

TEST_CASE("[sensitivity] methods errors point at the key, the value or the element") {
  parsing_should_fail(with_study("method = [\"sobol\"]\n"), 13, 1,
                      "unknown key \"method\" in [sensitivity]", "did you mean \"methods\"?");
  parsing_should_fail(with_study("outputs = [\"victims\"]\n"), 12, 1,
                      "[sensitivity] has no methods",
                      "the methods are \"sobol\", \"src\", \"prcc\" and \"tornado\"");
  parsing_should_fail(with_study(""), 12, 1, "[sensitivity] has no methods",
                      "methods = [\"sobol\", \"tornado\"]");
  parsing_should_fail(with_study("methods = []\n"), 13, 11,
                      "[sensitivity]: methods lists no method", "list one or more methods");
  parsing_should_fail(with_study("methods = \"tornado\"\n"), 13, 11,
                      "[sensitivity]: methods must be an array of method names (got a string)",
                      "write a list: methods = [\"tornado\"]");
  parsing_should_fail(with_study("methods = 3\n"), 13, 11,
                      "[sensitivity]: methods must be an array of method names (got an integer)",
                      "e.g. methods = [\"sobol\", \"tornado\"]");
  parsing_should_fail(with_study("methods = [\"src\", true]\n"), 13, 19,
                      "[sensitivity]: methods must hold strings (got a boolean)",
                      "write each method's name in quotes");
  parsing_should_fail(with_study("methods = [\"src\", \"tornada\"]\n"), 13, 19,
                      "[sensitivity]: unknown method \"tornada\"", "did you mean \"tornado\"?");
  parsing_should_fail(with_study("methods = [\"morris\"]\n"), 13, 12,
                      "[sensitivity]: unknown method \"morris\"",
                      "the methods are \"sobol\", \"src\", \"prcc\" and \"tornado\"");
  parsing_should_fail(with_study("methods = [\"prcc\", \"src\", \"prcc\"]\n"), 13, 27,
                      "[sensitivity]: \"prcc\" is listed twice in methods",
                      "list each method once");
}

TEST_CASE("sobol is refused where inputs are not independent draws, the other methods allowed") {
  const std::string observe =
      "[[observe]]\n"
      "name = \"registered cases\"\n"
      "value = 67_500\n"
      "likelihood = \"poisson(victims * reporting_rate)\"\n"
      "\n";
  const std::string prior =
      "[[prior]]\n"
      "on = \"reporting_rate\"\n"
      "dist = \"beta(3, 12)\"\n"
      "\n";
  const std::string correlation =
      "[correlation]\n"
      "inputs = [\"reporting_rate\", \"crisis_uptake\"]\n"
      "matrix = [[1.0, 0.6], [0.6, 1.0]]\n"
      "\n";
  const std::string others = "use \"src\", \"prcc\" or \"tornado\"";
  parsing_should_fail(with_model(observe + "[sensitivity]\nmethods = [\"src\", \"sobol\"]\n"), 18,
                      19,
                      "[sensitivity]: sobol indices assume independent inputs drawn from their "
                      "stated distributions, but [[observe]] \"registered cases\" conditions the "
                      "scenario on data",
                      others + ", which allow a conditioned scenario");
  parsing_should_fail(with_model(prior + "[sensitivity]\nmethods = [\"sobol\"]\n"), 17, 12,
                      "but the [[prior]] on reporting_rate conditions the scenario on outside "
                      "knowledge",
                      others + ", which allow a conditioned scenario");
  parsing_should_fail(with_model(correlation + "[sensitivity]\nmethods = [\"sobol\"]\n"), 17, 12,
                      "but [correlation] correlates reporting_rate with crisis_uptake",
                      others + ", which allow correlated inputs");
  for (const std::string& section : {observe, prior, correlation}) {
    const Scenario scenario =
        parse(with_model(section + "[sensitivity]\nmethods = [\"src\", \"prcc\", \"tornado\"]\n"),
              "test.toml");
    REQUIRE(scenario.sensitivity.has_value());
    CHECK(scenario.sensitivity->methods.size() == 3);
  }
}

TEST_CASE("[sensitivity] outputs are numeric outputs of the scenario, each listed once") {
  const std::string both = "methods = [\"src\"]\noutputs = [\"routes_ratio\", \"victims\"]\n";
  CHECK(study_of(both).outputs == Names{"routes_ratio", "victims"});
  parsing_should_fail(with_study("methods = [\"src\"]\noutputs = \"victims\"\n"), 14, 11,
                      "[sensitivity]: outputs must be an array of output names (got a string)",
                      "write a list: outputs = [\"victims\"]");
  parsing_should_fail(with_study("methods = [\"src\"]\noutputs = []\n"), 14, 11,
                      "[sensitivity]: outputs lists no output",
                      "leave outputs out to study every numeric output");
  parsing_should_fail(with_study("methods = [\"src\"]\noutputs = [1]\n"), 14, 12,
                      "[sensitivity]: outputs must hold strings (got an integer)",
                      "write each output's name in quotes");
  parsing_should_fail(with_study("methods = [\"src\"]\noutputs = [\"victim\"]\n"), 14, 12,
                      "[sensitivity]: unknown output \"victim\"", "did you mean \"victims\"?");
  parsing_should_fail(with_study("methods = [\"src\"]\noutputs = [\"harm\"]\n"), 14, 12,
                      "[sensitivity]: unknown output \"harm\"",
                      "the numeric outputs are \"victims\" and \"routes_ratio\"");
  parsing_should_fail(with_study("methods = [\"src\"]\noutputs = [\"victims\", \"victims\"]\n"), 14,
                      23, "[sensitivity]: \"victims\" is listed twice in outputs",
                      "list each output once");
  parsing_should_fail(with_study("methods = [\"src\"]\noutputs = [\"reporting_rate\"]\n"), 14, 12,
                      "[sensitivity]: reporting_rate is an input, not a derived quantity",
                      "name a quantity of [derived]");
  parsing_should_fail(with_study("methods = [\"src\"]\noutputs = [\"victims\", \"above\"]\n"), 14,
                      23, "[sensitivity]: above is a truth value (0 or 1), not a number",
                      "study the quantity it compares");
  parsing_should_fail(
      with_model("[outputs]\nnames = [\"victims\"]\n\n[sensitivity]\nmethods = [\"src\"]\n"
                 "outputs = [\"routes_ratio\"]\n"),
      17, 12, "[sensitivity]: routes_ratio is not one of the scenario's outputs",
      "add routes_ratio to [outputs] names; the numeric outputs are \"victims\"");
}

TEST_CASE("[sensitivity] inputs are random inputs the sweep leaves free, each listed once") {
  CHECK(study_of("methods = [\"prcc\"]\ninputs = [\"crisis_uptake\"]\n").inputs ==
        Names{"crisis_uptake"});
  parsing_should_fail(with_study("methods = [\"prcc\"]\ninputs = \"crisis_uptake\"\n"), 14, 10,
                      "[sensitivity]: inputs must be an array of input names (got a string)",
                      "write a list: inputs = [\"crisis_uptake\"]");
  parsing_should_fail(with_study("methods = [\"prcc\"]\ninputs = []\n"), 14, 10,
                      "[sensitivity]: inputs lists no input",
                      "leave inputs out to study every random input");
  parsing_should_fail(with_study("methods = [\"prcc\"]\ninputs = [\"crisis_uptak\"]\n"), 14, 11,
                      "[sensitivity]: unknown input \"crisis_uptak\"",
                      "did you mean \"crisis_uptake\"?");
  parsing_should_fail(with_study("methods = [\"prcc\"]\ninputs = [\"unrelated\"]\n"), 14, 11,
                      "[sensitivity]: unknown input \"unrelated\"",
                      "a study apportions the uncertainty of [inputs]");
  parsing_should_fail(with_study("methods = [\"prcc\"]\ninputs = [\"victims\"]\n"), 14, 11,
                      "[sensitivity]: victims is a derived quantity, but must be an input",
                      "study the inputs it uses");
  parsing_should_fail(with_study("methods = [\"prcc\"]\ninputs = [\"reported_cases\"]\n"), 14, 11,
                      "[sensitivity]: reported_cases is fixed at 67500, so it has no spread to "
                      "study",
                      "give reported_cases a distribution, or leave it out of inputs");
  parsing_should_fail(
      with_study("methods = [\"prcc\"]\ninputs = [\"reporting_rate\", \"reporting_rate\"]\n"), 14,
      29, "[sensitivity]: \"reporting_rate\" is listed twice in inputs", "list each input once");
  parsing_should_fail(
      with_model("[sweep]\nreporting_rate = [0.1, 0.2]\n\n[sensitivity]\nmethods = [\"tornado\"]\n"
                 "inputs = [\"crisis_uptake\", \"reporting_rate\"]\n"),
      17, 28,
      "[sensitivity]: reporting_rate is fixed at each point of the [sweep] (line 13), so it has "
      "no spread to study",
      "leave reporting_rate out of inputs, or out of [sweep] to study it");
}

TEST_CASE("[sensitivity] refuses defaults that leave nothing to study") {
  parsing_should_fail(
      "[inputs]\nshare = \"beta(2, 3)\"\n\n[sensitivity]\nmethods = [\"tornado\"]\n", 4, 1,
      "[sensitivity]: the scenario has no numeric derived output to study",
      "inputs and truth values (0 or 1) are left out");
  parsing_should_fail(
      "[inputs]\ncount = 40\n\n[derived]\ntwice = \"2 * count\"\n\n[sensitivity]\n"
      "methods = [\"src\"]\n",
      7, 1, "[sensitivity]: no input has a distribution, so there is no uncertainty to apportion",
      "give at least one input a distribution");
  parsing_should_fail(
      "[inputs]\nshare = \"beta(2, 3)\"\ncount = 40\n\n[derived]\ntotal = \"count / share\"\n\n"
      "[sweep]\nshare = [0.2, 0.4]\n\n[sensitivity]\nmethods = [\"src\"]\n",
      11, 1,
      "[sensitivity]: no input has a distribution that the [sweep] leaves free, so there is no "
      "uncertainty to apportion");
}

TEST_CASE("[sensitivity] is a known table, written as a table") {
  parsing_should_fail(with_model("[sensitivty]\nmethods = [\"src\"]\n"), 12, 2,
                      "unknown table [sensitivty]", "did you mean [sensitivity]?");
  parsing_should_fail(with_model("[[sensitivity]]\nmethods = [\"src\"]\n"), 12, 1,
                      "[sensitivity] must be a table (got an array)",
                      "write a line [sensitivity] followed by its keys");
  parsing_should_fail(with_model("[morris]\nr = 10\n"), 12, 2, "unknown table [morris]",
                      "[outputs], [sensitivity], [[observe]]");
}

TEST_CASE("describe shows the study after the outputs, defaults spelled out") {
  const std::string model =
      "[scenario]\n"
      "name = \"study\"\n"
      "draws = 5000\n"
      "\n"
      "[inputs]\n"
      "share = \"uniform(0.2, 0.6)\"\n"
      "count = \"poisson(40)\"\n"
      "scale = 3\n"
      "\n"
      "[derived]\n"
      "total = \"scale * count / share\"\n"
      "big = \"total > 300\"\n"
      "half = \"total / 2\"\n"
      "\n";
  const std::string head =
      "\n"
      "outputs: total, big, half\n"
      "quantiles: 0.025, 0.5, 0.975\n"
      "\n";
  const std::string defaults =
      describe(parse(model + "[sensitivity]\nmethods = [\"src\"]\n", "study.toml"));
  CHECK_THAT(defaults, Catch::EndsWith(head + "sensitivity, for darkfigure report: src\n"
                                              "  outputs: every numeric output (total, half)\n"
                                              "  inputs: every random input (share, count)\n"
                                              "  draws: 5000, the scenario's\n"));
  const std::string full = describe(parse(model + "[sensitivity]\n"
                                                  "methods = [\"sobol\", \"tornado\"]\n"
                                                  "outputs = [\"half\"]\n"
                                                  "inputs = [\"count\"]\n"
                                                  "draws = 65_536\n"
                                                  "bootstrap = 2_000\n"
                                                  "quantile = 0.9\n",
                                          "study.toml"));
  CHECK_THAT(full, Catch::EndsWith(head + "sensitivity, for darkfigure report: sobol, tornado\n"
                                          "  outputs: half\n"
                                          "  inputs: count\n"
                                          "  draws: 65536\n"
                                          "  bootstrap: 2000 resamples\n"
                                          "  quantile: 0.9\n"));
  const std::string swept = describe(parse(
      model + "[sweep]\ncount = [30, 50]\n\n[sensitivity]\nmethods = [\"tornado\"]\n", "s.toml"));
  CHECK_THAT(swept, Catch::Contains("  inputs: every random input (share)\n"));
  CHECK(describe(parse(model, "study.toml")).find("sensitivity") == std::string::npos);
}

TEST_CASE("the Kazakhstan 2023 scenario asks for Sobol indices and a tornado of the victims") {
  const std::string file = std::string(DARKFIGURE_SOURCE_DIR) + "/scenarios/kazakhstan-2023.toml";
  const Scenario scenario = load(file);
  REQUIRE(scenario.sensitivity.has_value());
  const SensitivityStudy& study = *scenario.sensitivity;
  CHECK(study.methods == Methods{SensitivityMethod::sobol, SensitivityMethod::tornado});
  CHECK(study.outputs == Names{"victims"});
  CHECK(study.inputs.empty());
  CHECK(study.draws == std::optional<std::uint64_t>(65'536));
  CHECK_FALSE(study.bootstrap.has_value());
  CHECK_FALSE(study.quantile.has_value());
  CHECK(study.where.file == file);
  CHECK(study.where.line_text == "methods = [\"sobol\", \"tornado\"]");
  CHECK(scenario.draws == 1'000'000);
  CHECK_THAT(describe(scenario),
             Catch::Contains("sensitivity, for darkfigure report: sobol, tornado\n"
                             "  outputs: victims\n"
                             "  inputs: every random input (cases_per_victim, reporting_rate, "
                             "crisis_uptake, women_15_49, male_share, baseline_past_year)\n"
                             "  draws: 65536\n"));
}

}  // namespace
}  // namespace darkfigure::scenario
