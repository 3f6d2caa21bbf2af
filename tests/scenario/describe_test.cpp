#include <catch2/catch.hpp>

#include <string>

#include "darkfigure/scenario/scenario.hpp"

namespace darkfigure::scenario {
namespace {

TEST_CASE("describe prints the resolved model in dependency order") {
  const Scenario scenario = parse(R"toml([scenario]
name = "small"
title = "A small model"
source = "made up"
draws = 5000
seed = 7

[inputs]
count = 120
share = { dist = "uniform(0.2, 0.6)", source = "survey, 2020", note = "assumption: flat" }
twice = "2 * 60"
angle = "uniform(-pi, pi)"

[derived]
total = "base + angle"
base = "count / share"
one = "1"

[outputs]
quantiles = [0.5, 0.05, 0.95]
)toml",
                                  "models/small.toml");
  const std::string expected = R"toml(scenario small (models/small.toml)
  title: A small model
  source: made up
  draws: 5000, seed: 7

inputs, in file order:
  count = 120
  share ~ uniform(0.2, 0.6)
      mean 0.4, 95% in [0.21, 0.59]
      source: survey, 2020
      note: assumption: flat
  twice = 120, from 2 * 60
  angle ~ uniform(-pi, pi)
      i.e. uniform(-3.141592653589793, 3.141592653589793)
      mean 0, 95% in [-2.985, 2.985]

derived, in the order they are computed:
  base = count / share
      uses count, share
  total = base + angle
      uses base, angle
  one = 1
      uses no other quantity

outputs: total, base, one
quantiles: 0.05, 0.5, 0.95
)toml";
  CHECK(describe(scenario) == expected);
}

TEST_CASE("describe leaves out what the file does not give") {
  const Scenario scenario = parse("[inputs]\nrate = \"uniform(0, 1000000)\"\n", "bare.toml");
  const std::string expected = R"toml(scenario bare (bare.toml)
  draws: 100000, seed: 1

inputs, in file order:
  rate ~ uniform(0, 1000000)
      mean 500000, 95% in [25000, 975000]

outputs: rate
quantiles: 0.025, 0.5, 0.975
)toml";
  CHECK(describe(scenario) == expected);
}

TEST_CASE("describe shows the sweep after the correlation blocks, with its grid and point count") {
  const std::string model = R"toml([inputs]
reporting_rate = "beta(4, 16)"
crisis_uptake = "beta(2, 8)"

[derived]
victims = "1000 / reporting_rate"

[correlation]
inputs = ["reporting_rate", "crisis_uptake"]
matrix = [[1, 0.5], [0.5, 1]]

[sweep]
crisis_uptake = [0.02, 0.04, 0.065, 0.10]
reporting_rate = [0.1, 0.2]
)toml";
  const std::string correlation = "  crisis_uptake: 0.5, 1\n\n";
  const std::string derived = "\nderived, in the order they are computed:\n";
  const std::string text = describe(parse(model, "sweep.toml"));
  INFO(text);
  CHECK_THAT(text, Catch::Contains(correlation +
                                   "sweep, full grid, 8 points:\n"
                                   "  crisis_uptake = 0.02, 0.04, 0.065, 0.1\n"
                                   "  reporting_rate = 0.1, 0.2\n" +
                                   derived));

  const std::string one_at_a_time =
      describe(parse(model + "grid = \"one-at-a-time\"\n", "sweep.toml"));
  INFO(one_at_a_time);
  CHECK_THAT(one_at_a_time, Catch::Contains(correlation +
                                            "sweep, one input at a time, 6 points:\n"
                                            "  crisis_uptake = 0.02, 0.04, 0.065, 0.1\n"
                                            "  reporting_rate = 0.1, 0.2\n" +
                                            derived));

  const std::string single =
      describe(parse("[inputs]\nrate = 3\n[sweep]\nrate = [4]\n", "one.toml"));
  CHECK_THAT(single,
             Catch::Contains("\nsweep, full grid, 1 point:\n  rate = 4\n\noutputs: rate\n"));
}

TEST_CASE("describe shows every input and derived value of the design's example") {
  const Scenario scenario = load(std::string(DARKFIGURE_TEST_DATA_DIR) + "/good/kazakhstan.toml");
  const std::string text = describe(scenario);
  INFO(text);
  CHECK_THAT(text, Catch::StartsWith("scenario kz-2023-national ("));
  CHECK_THAT(text, Catch::Contains("  title: Kazakhstan 2023: people who experienced"));
  CHECK_THAT(text, Catch::Contains("  draws: 1000000, seed: 2023\n"));
  CHECK_THAT(text, Catch::Contains("  reported_cases = 67500\n"));
  CHECK_THAT(text, Catch::Contains("  cases_per_victim ~ uniform(1.0, 2.0)\n"
                                   "      mean 1.5, 95% in [1.025, 1.975]\n"));
  CHECK_THAT(text, Catch::Contains("  crisis_uptake ~ beta_mean_sd(0.02, 0.01)\n"));
  CHECK_THAT(text, Catch::Contains("  population ~ normal(4.7e6, 1e5)\n"
                                   "      mean 4700000, 95% in [4504004, 4895996]\n"));
  CHECK_THAT(text, Catch::Contains("  exceeds = prevalence > baseline\n"
                                   "      uses prevalence, baseline\n"));
  CHECK_THAT(text, Catch::EndsWith("outputs: victims_police, victims_crisis, victims, "
                                   "prevalence, exceeds\nquantiles: 0.025, 0.5, 0.975\n"));
}

}  // namespace
}  // namespace darkfigure::scenario
