#include "scenario/sensitivity.hpp"

#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "darkfigure/core/text.hpp"
#include "darkfigure/expression/ast.hpp"
#include "darkfigure/scenario/scenario.hpp"
#include "scenario/names.hpp"

namespace darkfigure::scenario {
namespace {

constexpr std::array<std::string_view, 4> kMethodNames = {"sobol", "src", "prcc", "tornado"};

}  // namespace

std::string_view method_name(SensitivityMethod method) noexcept {
  return kMethodNames[static_cast<std::size_t>(method)];
}

std::optional<SensitivityMethod> find_method(std::string_view name) noexcept {
  for (std::size_t i = 0; i < kMethodNames.size(); ++i) {
    if (kMethodNames[i] == name) return static_cast<SensitivityMethod>(i);
  }
  return std::nullopt;
}

std::vector<std::string> method_names() {
  return {kMethodNames.begin(), kMethodNames.end()};
}

}  // namespace darkfigure::scenario

namespace darkfigure::scenario::detail {
namespace {

const std::array<std::string, 6> kKeys = {"methods", "outputs",   "inputs",
                                          "draws",   "bootstrap", "quantile"};
const std::string kMethodsExample = "methods = [\"sobol\", \"tornado\"]";
const std::string kPrefix = "[sensitivity]: ";

/// "\"sobol\", \"src\" and \"prcc\"".
std::string quoted_list(const std::vector<std::string>& words) {
  std::string text;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (i > 0) text += i + 1 == words.size() ? " and " : ", ";
    text += "\"" + words[i] + "\"";
  }
  return text;
}

/// The elements of the array under `entry`, each a string: an error unless the value is a
/// non-empty array of strings. `noun` names one element ("method"); `example` writes the key.
std::vector<const toml::node*> string_elements(const Reader& reader, const Entry& entry,
                                               const std::string& noun, const std::string& example,
                                               const std::string& empty_hint) {
  const std::string key = entry.name();
  const auto* array = entry.node->as_array();
  if (array == nullptr) {
    std::string hint = "e.g. " + example;
    if (const auto* text = entry.node->as_string()) {
      hint = "write a list: " + key + " = [\"" + text->get() + "\"]";
    }
    reader.fail(*entry.node,
                kPrefix + key + " must be an array of " + noun + " names (got " +
                    std::string(type_name(*entry.node)) + ")",
                std::move(hint));
  }
  if (array->empty()) reader.fail(*entry.node, kPrefix + key + " lists no " + noun, empty_hint);
  std::vector<const toml::node*> elements;
  for (const toml::node& element : *array) {
    if (!element.is_string()) {
      reader.fail(
          element,
          kPrefix + key + " must hold strings (got " + std::string(type_name(element)) + ")",
          "write each " + noun + "'s name in quotes, e.g. " + example);
    }
    elements.push_back(&element);
  }
  return elements;
}

/// Fails at `element` if `name` is among `earlier`.
void check_listed_once(const Reader& reader, const toml::node& element, const std::string& name,
                       const std::vector<std::string>& earlier, const std::string& key,
                       const std::string& noun) {
  if (std::find(earlier.begin(), earlier.end(), name) == earlier.end()) return;
  reader.fail(element, kPrefix + "\"" + name + "\" is listed twice in " + key,
              "list each " + noun + " once");
}

/// Fails at the "sobol" of methods when the scenario's inputs are not independent draws from
/// their stated distributions, which Sobol indices assume.
void check_sobol_allowed(const Reader& reader, const toml::node& element,
                         const Scenario& scenario) {
  const std::string assumption =
      kPrefix +
      "sobol indices assume independent inputs drawn from their stated distributions, but ";
  const std::string others = "use \"src\", \"prcc\" or \"tornado\", which allow ";
  if (!scenario.observations.empty()) {
    reader.fail(element,
                assumption + "[[observe]] \"" + scenario.observations.front().name +
                    "\" conditions the scenario on data, which makes its inputs dependent",
                others + "a conditioned scenario");
  }
  if (!scenario.priors.empty()) {
    reader.fail(element,
                assumption + "the [[prior]] on " + scenario.priors.front().on +
                    " conditions the scenario on outside knowledge, which makes its inputs "
                    "dependent",
                others + "a conditioned scenario");
  }
  if (!scenario.correlations.empty()) {
    const Correlation& correlation = scenario.correlations.front();
    reader.fail(element,
                assumption + "[correlation] correlates " + correlation.inputs[0] + " with " +
                    correlation.inputs[1],
                others + "correlated inputs");
  }
}

std::vector<SensitivityMethod> read_methods(const Reader& reader, const Entry& entry,
                                            const Scenario& scenario) {
  const std::vector<std::string> names = method_names();
  const std::string known = "the methods are " + quoted_list(names);
  std::vector<SensitivityMethod> methods;
  std::vector<std::string> listed;
  for (const toml::node* element :
       string_elements(reader, entry, "method", kMethodsExample,
                       "list one or more methods, e.g. " + kMethodsExample + "; " + known)) {
    const std::string name = element->as_string()->get();
    const std::optional<SensitivityMethod> method = find_method(name);
    if (!method) {
      reader.fail(*element, kPrefix + "unknown method \"" + name + "\"",
                  did_you_mean(name, names, known));
    }
    check_listed_once(reader, *element, name, listed, "methods", "method");
    if (*method == SensitivityMethod::sobol) check_sobol_allowed(reader, *element, scenario);
    methods.push_back(*method);
    listed.push_back(name);
  }
  return methods;
}

const Derived* find_derived(const Scenario& scenario, const std::string& name) {
  for (const Derived& derived : scenario.derived) {
    if (derived.name == name) return &derived;
  }
  return nullptr;
}

/// The outputs a study can apportion, in the order of [outputs]: derived quantities that are not
/// truth values.
std::vector<std::string> numeric_outputs(const Scenario& scenario) {
  std::vector<std::string> names;
  for (const std::string& name : scenario.outputs) {
    const Derived* derived = find_derived(scenario, name);
    if (derived != nullptr && !expression::is_truth_valued(derived->tree)) names.push_back(name);
  }
  return names;
}

std::vector<std::string> read_outputs(const Reader& reader, const Entry& entry,
                                      const Scenario& scenario) {
  const std::vector<std::string> numeric = numeric_outputs(scenario);
  const std::string example =
      "outputs = [\"" + (numeric.empty() ? scenario.outputs : numeric).front() + "\"]";
  const std::string studied = numeric.empty() ? "name a quantity of [derived] in [outputs] names"
                                              : "the numeric outputs are " + quoted_list(numeric);
  std::vector<std::string> outputs;
  for (const toml::node* element : string_elements(
           reader, entry, "output", example,
           "leave outputs out to study every numeric output, or name some, e.g. " + example)) {
    const std::string name = element->as_string()->get();
    const std::optional<std::size_t> slot = scenario.slot_of(name);
    if (!slot) {
      reader.fail(*element, kPrefix + "unknown output \"" + name + "\"",
                  did_you_mean(name, scenario.outputs, studied));
    }
    if (*slot < scenario.inputs.size()) {
      reader.fail(*element, kPrefix + name + " is an input, not a derived quantity",
                  "an input's uncertainty is its own: name a quantity of [derived]");
    }
    if (std::find(scenario.outputs.begin(), scenario.outputs.end(), name) ==
        scenario.outputs.end()) {
      reader.fail(*element, kPrefix + name + " is not one of the scenario's outputs",
                  "add " + name + " to [outputs] names; " + studied);
    }
    if (std::find(numeric.begin(), numeric.end(), name) == numeric.end()) {
      reader.fail(*element, kPrefix + name + " is a truth value (0 or 1), not a number",
                  "study the quantity it compares, as an output of its own");
    }
    check_listed_once(reader, *element, name, outputs, "outputs", "output");
    outputs.push_back(name);
  }
  return outputs;
}

/// The [sweep] entry that fixes `name` at each of its points, or nullptr.
const SweptInput* swept(const Scenario& scenario, const std::string& name) {
  if (!scenario.sweep) return nullptr;
  for (const SweptInput& input : scenario.sweep->inputs) {
    if (input.name == name) return &input;
  }
  return nullptr;
}

std::vector<std::string> read_inputs(const Reader& reader, const Entry& entry,
                                     const Scenario& scenario) {
  std::vector<std::string> names;
  for (const Input& input : scenario.inputs)
    names.push_back(input.name);
  const std::string example = "inputs = [\"" + names.front() + "\"]";
  std::vector<std::string> inputs;
  for (const toml::node* element : string_elements(
           reader, entry, "input", example,
           "leave inputs out to study every random input, or name some, e.g. " + example)) {
    const std::string name = element->as_string()->get();
    const std::optional<std::size_t> slot = scenario.slot_of(name);
    if (!slot) {
      reader.fail(*element, kPrefix + "unknown input \"" + name + "\"",
                  did_you_mean(name, names, "a study apportions the uncertainty of [inputs]"));
    }
    if (*slot >= scenario.inputs.size()) {
      reader.fail(*element, kPrefix + name + " is a derived quantity, but must be an input",
                  "a derived quantity follows from its formula: study the inputs it uses");
    }
    const Input& input = scenario.inputs[*slot];
    if (const auto* fixed = std::get_if<double>(&input.value)) {
      reader.fail(*element,
                  kPrefix + name + " is fixed at " + core::shortest_decimal(*fixed) +
                      ", so it has no spread to study",
                  "a study apportions the uncertainty of random inputs: give " + name +
                      " a distribution, or leave it out of inputs");
    }
    if (const SweptInput* sweep = swept(scenario, name)) {
      reader.fail(*element,
                  kPrefix + name + " is fixed at each point of the [sweep] (line " +
                      std::to_string(sweep->where.line) + "), so it has no spread to study",
                  "leave " + name + " out of inputs, or out of [sweep] to study it");
    }
    check_listed_once(reader, *element, name, inputs, "inputs", "input");
    inputs.push_back(name);
  }
  return inputs;
}

std::uint64_t read_draws(const Reader& reader, const Entry& entry, const Scenario& scenario) {
  const std::int64_t draws = reader.integer(entry, "65_536");
  if (draws < kMinStudyDraws) {
    reader.fail(*entry.node,
                kPrefix + "draws is " + grouped(draws) + ", but must be at least " +
                    std::to_string(kMinStudyDraws),
                "a study estimates spreads from its draws; leave draws out to take the "
                "scenario's " +
                    grouped(static_cast<std::int64_t>(scenario.draws)));
  }
  if (draws > kMaxDraws) {
    reader.fail(*entry.node, kPrefix + "draws is " + grouped(draws) + ", but must be at most " +
                                 grouped(kMaxDraws));
  }
  return static_cast<std::uint64_t>(draws);
}

std::uint32_t read_bootstrap(const Reader& reader, const Entry& entry) {
  const std::int64_t resamples = reader.integer(entry, "1_000");
  if (resamples < kMinBootstrap || resamples > kMaxBootstrap) {
    reader.fail(*entry.node,
                kPrefix + "bootstrap is " + grouped(resamples) + ", but must be between " +
                    grouped(kMinBootstrap) + " and " + grouped(kMaxBootstrap),
                "bootstrap resamples of the base draws give the Sobol indices' intervals; "
                "leave bootstrap out for the default");
  }
  return static_cast<std::uint32_t>(resamples);
}

double read_quantile(const Reader& reader, const Entry& entry) {
  const std::optional<double> level = number_of(*entry.node);
  if (!level) {
    reader.fail(
        *entry.node,
        kPrefix + "quantile must be a number (got " + std::string(type_name(*entry.node)) + ")",
        "e.g. quantile = 0.9: the tornado compares the output's 90th percentile");
  }
  if (!(*level > 0.0 && *level < 1.0)) {
    const std::string text = core::shortest_decimal(*level);
    std::string hint = "a quantile is a probability, e.g. 0.5 for the output's median";
    if (*level > 1.0 && *level < 100.0) {
      hint = "a quantile is a fraction, not a percentage: write " +
             core::shortest_decimal(*level / 100.0) + " for " + text + "%";
    }
    reader.fail(*entry.node,
                kPrefix + "quantile is " + text + ", but must lie strictly between 0 and 1",
                std::move(hint));
  }
  return *level;
}

/// Fails at `key` when the setting it names belongs to a method the study does not list.
void check_method_listed(const Reader& reader, const Entry& entry,
                         const std::vector<SensitivityMethod>& methods, SensitivityMethod method,
                         const std::string& purpose) {
  if (std::find(methods.begin(), methods.end(), method) != methods.end()) return;
  const std::string name(method_name(method));
  reader.fail(*entry.key,
              kPrefix + entry.name() + " sets " + purpose + ", but methods does not list " + name,
              "add \"" + name + "\" to methods, or leave " + entry.name() + " out");
}

}  // namespace

SensitivityStudy read_sensitivity(const Reader& reader, const SourceText& source,
                                  const Entry& section, const Scenario& scenario) {
  const toml::table& table = *section.node->as_table();
  reader.check_keys(table, kKeys, "in [sensitivity]");
  const std::vector<Entry> entries = reader.entries(table);
  const Entry* methods = find_entry(entries, "methods");
  if (methods == nullptr) {
    reader.fail(*section.node, "[sensitivity] has no methods",
                "list the studies to run, e.g. " + kMethodsExample + "; the methods are " +
                    quoted_list(method_names()));
  }
  SensitivityStudy study;
  study.methods = read_methods(reader, *methods, scenario);
  study.where = source.at_offset(reader.offset(*methods->node));
  for (const Entry& entry : entries) {
    const std::string key = entry.name();
    if (key == "outputs") {
      study.outputs = read_outputs(reader, entry, scenario);
    } else if (key == "inputs") {
      study.inputs = read_inputs(reader, entry, scenario);
    } else if (key == "draws") {
      study.draws = read_draws(reader, entry, scenario);
    } else if (key == "bootstrap") {
      check_method_listed(reader, entry, study.methods, SensitivityMethod::sobol,
                          "the resamples of Sobol intervals");
      study.bootstrap = read_bootstrap(reader, entry);
    } else if (key == "quantile") {
      check_method_listed(reader, entry, study.methods, SensitivityMethod::tornado,
                          "the quantile a tornado compares");
      study.quantile = read_quantile(reader, entry);
    }
  }
  if (study.outputs.empty() && numeric_outputs(scenario).empty()) {
    reader.fail(*section.node, "[sensitivity]: the scenario has no numeric derived output to study",
                "a study apportions the uncertainty of [derived] quantities listed in [outputs] "
                "names; inputs and truth values (0 or 1) are left out");
  }
  if (study.inputs.empty() &&
      std::none_of(scenario.inputs.begin(), scenario.inputs.end(), [&](const Input& input) {
        return std::holds_alternative<distributions::Distribution>(input.value) &&
               swept(scenario, input.name) == nullptr;
      })) {
    reader.fail(*section.node,
                "[sensitivity]: no input has a distribution" +
                    std::string(scenario.sweep ? " that the [sweep] leaves free" : "") +
                    ", so there is no uncertainty to apportion",
                "give at least one input a distribution");
  }
  return study;
}

}  // namespace darkfigure::scenario::detail
