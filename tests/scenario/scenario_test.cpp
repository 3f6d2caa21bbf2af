#include <catch2/catch.hpp>

#include <cmath>
#include <numbers>
#include <string>
#include <vector>

#include "darkfigure/scenario/scenario.hpp"

namespace darkfigure::scenario {
namespace {

std::string good(const std::string& name) {
  return std::string(DARKFIGURE_TEST_DATA_DIR) + "/good/" + name;
}

const distributions::Distribution& distribution_of(const Input& input) {
  REQUIRE(std::holds_alternative<distributions::Distribution>(input.value));
  return std::get<distributions::Distribution>(input.value);
}

double fixed_value_of(const Input& input) {
  REQUIRE(std::holds_alternative<double>(input.value));
  return std::get<double>(input.value);
}

std::vector<std::string> derived_names(const Scenario& scenario) {
  std::vector<std::string> names;
  for (const auto& derived : scenario.derived)
    names.push_back(derived.name);
  return names;
}

/// Runs the scenario's program over one draw with the given input values; returns every slot.
std::vector<double> run_once(const Scenario& scenario, const std::vector<double>& inputs) {
  REQUIRE(inputs.size() == scenario.inputs.size());
  const std::size_t stride = 4;
  std::vector<double> storage(scenario.program.slot_count() * stride, 0.0);
  const expression::BlockColumns columns{storage.data(), stride};
  scenario.program.prepare(columns, 1);
  for (std::size_t i = 0; i < inputs.size(); ++i)
    columns.column(i)[0] = inputs[i];
  scenario.program.run(columns, 1);
  std::vector<double> slots;
  for (std::size_t slot = 0; slot < scenario.inputs.size() + scenario.derived.size(); ++slot) {
    slots.push_back(columns.column(slot)[0]);
  }
  return slots;
}

TEST_CASE("the example of the design parses into its settings, inputs, derived and outputs") {
  const Scenario scenario = load(good("kazakhstan.toml"));
  CHECK(scenario.file == good("kazakhstan.toml"));
  CHECK(scenario.name == "kz-2023-national");
  CHECK(scenario.title == "Kazakhstan 2023: people who experienced domestic violence");
  CHECK(scenario.source ==
        "TCA 2025-06-12, citing Ranking.kz and the Committee on Legal Statistics");
  CHECK(scenario.draws == 1'000'000);
  CHECK(scenario.seed == 2023);

  REQUIRE(scenario.inputs.size() == 7);
  CHECK(scenario.inputs[0].name == "reported_cases");
  CHECK(fixed_value_of(scenario.inputs[0]) == 67'500.0);
  CHECK(scenario.inputs[0].text == "67500");
  CHECK(scenario.inputs[0].where.line == 10);
  CHECK(scenario.inputs[0].where.column == 1);
  CHECK(scenario.inputs[0].where.line_text == "reported_cases   = 67_500");
  CHECK(fixed_value_of(scenario.inputs[1]) == 4'400.0);
  CHECK(scenario.inputs[2].name == "cases_per_victim");
  CHECK(distribution_of(scenario.inputs[2]).family() == "uniform");
  CHECK(scenario.inputs[2].text == "uniform(1.0, 2.0)");
  CHECK(distribution_of(scenario.inputs[3]).family() == "beta");
  CHECK(distribution_of(scenario.inputs[4]).family() == "beta_mean_sd");
  CHECK(distribution_of(scenario.inputs[5]).family() == "normal");
  CHECK(distribution_of(scenario.inputs[5]).mean() == 4.7e6);
  CHECK(scenario.inputs[6].name == "baseline");

  CHECK(derived_names(scenario) == std::vector<std::string>{"victims_police", "victims_crisis",
                                                            "victims", "prevalence", "exceeds"});
  CHECK(scenario.derived[0].depends_on ==
        std::vector<std::string>{"reported_cases", "cases_per_victim", "reporting_rate"});
  CHECK(scenario.derived[0].formula == "reported_cases / cases_per_victim / reporting_rate");
  CHECK(scenario.derived[2].depends_on ==
        std::vector<std::string>{"victims_police", "victims_crisis"});
  CHECK(scenario.derived[4].where.line == 23);

  CHECK(scenario.outputs == std::vector<std::string>{"victims_police", "victims_crisis", "victims",
                                                     "prevalence", "exceeds"});
  CHECK(scenario.quantiles == std::vector<double>{0.025, 0.5, 0.975});

  CHECK(scenario.slot_of("reported_cases") == 0U);
  CHECK(scenario.slot_of("baseline") == 6U);
  CHECK(scenario.slot_of("victims_police") == 7U);
  CHECK(scenario.slot_of("exceeds") == 11U);
  CHECK_FALSE(scenario.slot_of("nothing").has_value());

  // reported 60, crisis 4, 2 cases per victim, reporting rate 0.25, crisis uptake 0.1,
  // population 1000, baseline 0.1: 120 and 40 victims, 80 on average, prevalence 0.08.
  const auto slots = run_once(scenario, {60, 4, 2, 0.25, 0.1, 1000, 0.1});
  CHECK(slots[7] == Approx(120.0));
  CHECK(slots[8] == Approx(40.0));
  CHECK(slots[9] == Approx(80.0));
  CHECK(slots[10] == Approx(0.08));
  CHECK(slots[11] == 0.0);
}

TEST_CASE("settings that are left out take their defaults") {
  const Scenario scenario = parse("[inputs]\nrate = \"beta(1, 1)\"\n", "dir/national-2023.toml");
  CHECK(scenario.file == "dir/national-2023.toml");
  CHECK(scenario.name == "national-2023");
  CHECK(scenario.title.empty());
  CHECK(scenario.source.empty());
  CHECK(scenario.draws == 100'000);
  CHECK(scenario.seed == 1);
  CHECK(scenario.quantiles == std::vector<double>{0.025, 0.5, 0.975});
  CHECK(scenario.derived.empty());
  // Without derived values, the outputs are the inputs that are distributions.
  CHECK(scenario.outputs == std::vector<std::string>{"rate"});
  CHECK(scenario.program.slot_count() >= 1);
}

TEST_CASE("the outputs default to every derived value in file order") {
  const Scenario with_derived = load(good("provenance.toml"));
  CHECK(with_derived.outputs ==
        std::vector<std::string>{"victims", "victims_police", "per_household"});

  const Scenario distributions_only =
      parse("[inputs]\nfixed = 3\nrate = \"beta(1, 1)\"\nshare = \"uniform(0, 1)\"\n", "a.toml");
  CHECK(distributions_only.outputs == std::vector<std::string>{"rate", "share"});

  const Scenario fixed_only = parse("[inputs]\nb = 3\na = 4\n", "a.toml");
  CHECK(fixed_only.outputs == std::vector<std::string>{"b", "a"});
}

TEST_CASE("derived values are computed in dependency order, in file order where it allows") {
  const Scenario scenario = parse(R"toml([inputs]
a = 1
[derived]
d = "c + b"
b = "a * 2"
g = "a + 1"
c = "b + 1"
)toml",
                                  "order.toml");
  CHECK(derived_names(scenario) == std::vector<std::string>{"b", "g", "c", "d"});
  CHECK(scenario.derived[3].depends_on == std::vector<std::string>{"c", "b"});
  CHECK(scenario.outputs == std::vector<std::string>{"d", "b", "g", "c"});
  CHECK(scenario.slot_of("a") == 0U);
  CHECK(scenario.slot_of("b") == 1U);
  CHECK(scenario.slot_of("g") == 2U);
  CHECK(scenario.slot_of("c") == 3U);
  CHECK(scenario.slot_of("d") == 4U);
  CHECK(run_once(scenario, {5.0}) == std::vector<double>{5, 10, 6, 11, 21});
}

TEST_CASE("derived tables may come before the inputs they use") {
  const Scenario scenario = parse(R"toml([derived]
twice = "x * 2"
[inputs]
x = 4
)toml",
                                  "a.toml");
  CHECK(derived_names(scenario) == std::vector<std::string>{"twice"});
  CHECK(run_once(scenario, {4.0})[1] == 8.0);
}

TEST_CASE("inputs carry their provenance in the table forms") {
  const Scenario scenario = load(good("provenance.toml"));
  REQUIRE(scenario.inputs.size() == 6);
  const Input& reported = scenario.inputs[0];
  CHECK(reported.name == "reported_cases");
  CHECK(fixed_value_of(reported) == 67'500.0);
  CHECK(reported.source == "Committee on Legal Statistics, 2023");
  CHECK(reported.note.empty());

  const Input& rate = scenario.inputs[1];
  CHECK(distribution_of(rate).family() == "beta");
  CHECK(rate.text == "beta(4, 16)");
  CHECK(rate.source == "survey, 2018");
  CHECK(rate.note == "assumption: unchanged since");

  const Input& uptake = scenario.inputs[5];
  CHECK(uptake.name == "crisis_uptake");
  CHECK(distribution_of(uptake).family() == "beta_mean_sd");
  CHECK(uptake.source == "crisis centres, 2023");
  CHECK(uptake.where.line == 10);
  CHECK(uptake.where.column == 9);
}

TEST_CASE("constant expressions are evaluated, in plain inputs and in distribution arguments") {
  const Scenario scenario = load(good("provenance.toml"));
  const Input& households = scenario.inputs[3];
  CHECK(fixed_value_of(households) == 67'500.0);
  CHECK(households.text == "2 * 33_750");

  const auto& angle = distribution_of(scenario.inputs[2]);
  CHECK(angle.family() == "uniform");
  CHECK(angle.quantile(0.0) == -std::numbers::pi);
  CHECK(angle.quantile(1.0) == std::numbers::pi);

  const Scenario more = parse(
      "[inputs]\nroot = \"sqrt(16) + 2^3\"\nfloat = 2.5\nscaled = \"normal(2 * 10, 1 / 4)\"\n",
      "a.toml");
  CHECK(fixed_value_of(more.inputs[0]) == 12.0);
  CHECK(fixed_value_of(more.inputs[1]) == 2.5);
  CHECK(more.inputs[1].text == "2.5");
  CHECK(distribution_of(more.inputs[2]).mean() == 20.0);
  CHECK(distribution_of(more.inputs[2]).variance() == Approx(1.0 / 16.0));
}

TEST_CASE("a discrete input takes lists of values and probabilities") {
  const Scenario scenario = load(good("provenance.toml"));
  const auto& cases = distribution_of(scenario.inputs[4]);
  CHECK(cases.family() == "discrete");
  CHECK(cases.is_discrete());
  CHECK(cases.mean() == Approx(0.2 * 1 + 0.3 * 2 + 0.5 * 3));
  CHECK(cases.quantile(0.1) == 1.0);
  CHECK(cases.quantile(0.45) == 2.0);
  CHECK(cases.quantile(0.9) == 3.0);
}

TEST_CASE("quantile levels are stored in ascending order") {
  const Scenario scenario = parse(
      "[inputs]\nx = \"beta(2, 2)\"\n[outputs]\nquantiles = [0.975, 0.5, 0.025, 0.1]\n", "a.toml");
  CHECK(scenario.quantiles == std::vector<double>{0.025, 0.1, 0.5, 0.975});
}

TEST_CASE("output names may list inputs and derived values in any order") {
  const Scenario scenario = parse(R"toml([inputs]
a = "uniform(0, 1)"
[derived]
b = "a * 2"
[outputs]
names = ["b", "a"]
)toml",
                                  "a.toml");
  CHECK(scenario.outputs == std::vector<std::string>{"b", "a"});
}

TEST_CASE("checked_quantile_levels sorts good levels and names the first bad one") {
  CHECK(checked_quantile_levels({0.9, 0.1, 0.5}) == std::vector<double>{0.1, 0.5, 0.9});

  const auto message_of = [](std::vector<double> levels) {
    try {
      checked_quantile_levels(std::move(levels));
    } catch (const core::InputError& error) {
      CHECK_FALSE(error.where().has_value());
      return error.message();
    }
    return std::string("no error");
  };
  CHECK(message_of({0.5, 1.5}) == "quantile level 1.5 is outside (0, 1)");
  CHECK(message_of({0.0}) == "quantile level 0 is outside (0, 1)");
  CHECK(message_of({1.0}) == "quantile level 1 is outside (0, 1)");
  CHECK(message_of({-0.1}) == "quantile level -0.1 is outside (0, 1)");
  CHECK(message_of({0.5, 0.25, 0.5}) == "quantile level 0.5 is listed twice");
  CHECK(message_of({std::nan("")}) == "quantile level NaN is not a finite number");
  CHECK(message_of({}) == "no quantile levels given");
}

TEST_CASE("[[observe]], [[prior]] and [inference] are read with their defaults") {
  const Scenario s = parse(R"toml(
[inputs]
rate = "beta(4, 16)"
size = "normal(1000, 50)"
[derived]
expected = "rate * size"
[[observe]]
value = [12, 15]
likelihood = "negbinomial(expected, 2 * 5)"
source = "register"
[[observe]]
name = "share"
value = 0.2
likelihood = "beta(100 * rate, 100 * (1 - rate))"
[[prior]]
on = "expected"
dist = "gamma(20, 10)"
note = "outside knowledge"
[[prior]]
on = "rate"
dist = "beta(2, 8)"
pooling = 0.25
[inference]
resample = 1_000
resample_method = "residual"
min_ess = 500
max_draws = 1_000_000
)toml",
                           "conditioned.toml");
  REQUIRE(s.conditioned());
  REQUIRE(s.observations.size() == 2);
  const Observation& counts = s.observations[0];
  CHECK(counts.name == "negbinomial(expected, 2 * 5)");
  CHECK(counts.values == std::vector<double>{12, 15});
  CHECK(counts.family->name == "negbinomial");
  CHECK(counts.source == "register");
  CHECK(counts.where.line == 9);
  // Parameters take the slots after the named quantities, in order.
  CHECK(counts.parameter_slots == std::vector<std::size_t>{3, 4});
  CHECK(s.observations[1].parameter_slots == std::vector<std::size_t>{5, 6});
  CHECK(s.observations[1].values == std::vector<double>{0.2});
  REQUIRE(s.priors.size() == 2);
  CHECK(s.priors[0].on == "expected");
  CHECK(s.priors[0].slot == 2);
  CHECK(s.priors[0].pooling == 0.5);
  CHECK(s.priors[0].text == "gamma(20, 10)");
  CHECK(s.priors[0].note == "outside knowledge");
  CHECK(s.priors[1].slot == 0);
  CHECK(s.priors[1].pooling == 0.25);
  CHECK(s.inference.resample == 1000u);
  CHECK(s.inference.resample_method == inference::ResampleMethod::residual);
  CHECK(s.inference.min_ess == 500.0);
  CHECK(s.inference.max_draws == 1'000'000u);
  // The outputs stay the derived quantities; the parameters are not quantities.
  CHECK(s.outputs == std::vector<std::string>{"expected"});
  CHECK(!parse("[inputs]\nx = 1\n", "plain.toml").conditioned());
}

}  // namespace

TEST_CASE("[sampling] is read with its defaults") {
  const Scenario plain = parse("[inputs]\nx = \"uniform(0, 1)\"\n", "plain.toml");
  CHECK(plain.sampling.design == darkfigure::sampling::Design::mc);
  CHECK(plain.sampling.replicates == darkfigure::sampling::kDefaultReplicates);
  const Scenario lhs =
      parse("[inputs]\nx = \"uniform(0, 1)\"\n[sampling]\ndesign = \"lhs\"\n", "lhs.toml");
  CHECK(lhs.sampling.design == darkfigure::sampling::Design::lhs);
  CHECK(lhs.sampling.replicates == darkfigure::sampling::kDefaultReplicates);
  const Scenario sobol =
      parse("[inputs]\nx = \"uniform(0, 1)\"\n[sampling]\ndesign = \"sobol\"\nreplicates = 16\n",
            "sobol.toml");
  CHECK(sobol.sampling.design == darkfigure::sampling::Design::sobol);
  CHECK(sobol.sampling.replicates == 16);
}

}  // namespace darkfigure::scenario
