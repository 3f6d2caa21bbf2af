#include "scenario/conditioning.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <iterator>
#include <string_view>
#include <utility>

#include "darkfigure/core/text.hpp"
#include "darkfigure/expression/builtins.hpp"
#include "scenario/input.hpp"
#include "scenario/names.hpp"

namespace darkfigure::scenario::detail {
namespace {

using expression::FormulaError;
using expression::Node;
using expression::NodeKind;

const std::array<std::string, 5> kObserveKeys = {"name", "value", "likelihood", "source", "note"};
const std::array<std::string, 5> kPriorKeys = {"on", "dist", "pooling", "source", "note"};
const std::array<std::string, 4> kInferenceKeys = {"resample", "resample_method", "min_ess",
                                                   "max_draws"};

/// The tables of an array of tables ([[observe]], [[prior]]), or an error that shows how to
/// write one.
std::vector<const toml::table*> tables_of(const Reader& reader, const toml::node& node,
                                          const std::string& name, const std::string& example) {
  const auto* array = node.as_array();
  if (array == nullptr || !array->is_array_of_tables()) {
    reader.fail(
        node,
        "[[" + name + "]] must be an array of tables (got " + std::string(type_name(node)) + ")",
        "write each one as its own table headed [[" + name + "]], e.g.\n    [[" + name +
            "]]\n    " + example);
  }
  std::vector<const toml::table*> tables;
  for (const toml::node& element : *array)
    tables.push_back(element.as_table());
  return tables;
}

std::vector<std::string> likelihood_names() {
  std::vector<std::string> names;
  for (const auto& family : inference::likelihood_families())
    names.emplace_back(family.name);
  return names;
}

/// The observed values: a number or a non-empty array of numbers, each one the family can observe.
std::vector<double> read_values(const Reader& reader, const Entry& entry, const std::string& name,
                                const inference::LikelihoodFamily& family) {
  std::vector<const toml::node*> nodes;
  if (const auto* array = entry.node->as_array()) {
    if (array->empty()) {
      reader.fail(*entry.node, name + ": value is an empty array",
                  "give the observed number, or several: value = [12, 15, 9]");
    }
    for (const toml::node& element : *array)
      nodes.push_back(&element);
  } else {
    nodes.push_back(entry.node);
  }
  std::vector<double> values;
  for (const toml::node* node : nodes) {
    const std::optional<double> value = number_of(*node);
    if (!value) {
      reader.fail(*node,
                  name + ": value must be a number or an array of numbers (got " +
                      std::string(type_name(*node)) + ")",
                  "e.g. value = 67_500");
    }
    if (const std::string problem = inference::value_problem(family, *value); !problem.empty()) {
      reader.fail(*node,
                  name + ": the observed value is " + core::shortest_decimal(*value) +
                      ", but under " + std::string(family.name) + " it " + problem,
                  std::string(family.signature) + ": " + std::string(family.doc));
    }
    values.push_back(*value);
  }
  return values;
}

/// Parses the likelihood call and checks its family, its arity and the names its parameters use.
Node read_likelihood(const LocatedString& text, const std::string& name,
                     const std::vector<std::string>& known,
                     const inference::LikelihoodFamily*& family) {
  Node tree;
  try {
    tree = expression::parse(text.value());
  } catch (const FormulaError& error) {
    text.fail(error.offset(), name + ": " + error.what(), error.hint());
  }
  if (tree.kind != NodeKind::Call || expression::is_reserved(tree.text)) {
    text.fail(tree.offset, name + ": a likelihood must be a call such as poisson(mean)",
              "`darkfigure list likelihoods` shows every family");
  }
  family = inference::find_likelihood(tree.text);
  if (family == nullptr) {
    text.fail(tree.offset, name + ": unknown likelihood \"" + tree.text + "\"",
              did_you_mean(tree.text, likelihood_names(),
                           "`darkfigure list likelihoods` shows every family"));
  }
  const std::size_t given = tree.children.size();
  if (given != family->arity) {
    const std::size_t offset =
        given > family->arity ? tree.children[family->arity].offset : tree.offset;
    text.fail(offset,
              name + ": " + std::string(family->name) + " takes " + std::to_string(family->arity) +
                  " parameters, but " + std::to_string(given) + (given == 1 ? " is" : " are") +
                  " given",
              "write " + std::string(family->signature));
  }
  for (const Node& parameter : tree.children) {
    if (const Node* bad = first_misplaced(parameter)) {
      text.fail(bad->offset,
                name + ": a likelihood parameter is a formula over the draw's quantities",
                bad->kind == NodeKind::List
                    ? "lists are not allowed here"
                    : "an uncertain quantity belongs in [inputs]; use its name here");
    }
    for (const Node* used : expression::names_in(parameter)) {
      if (std::find(known.begin(), known.end(), used->text) == known.end()) {
        text.fail(used->offset, name + ": unknown name \"" + used->text + "\"",
                  did_you_mean(used->text, known,
                               "a likelihood uses quantities of [inputs] or [derived]"));
      }
    }
  }
  return tree;
}

/// Whether the quantity in `slot` can carry a melding prior, or why not.
std::string prior_problem(const Scenario& scenario, std::size_t slot) {
  if (slot < scenario.inputs.size()) {
    const Input& input = scenario.inputs[slot];
    const auto* dist = std::get_if<distributions::Distribution>(&input.value);
    if (dist == nullptr) return "is fixed at " + input.text + ": it has no prior to pool";
    if (dist->is_discrete()) return "is discrete (" + input.text + "): melding pools densities";
    return {};
  }
  const Derived& derived = scenario.derived[slot - scenario.inputs.size()];
  if (expression::is_truth_valued(derived.tree)) {
    return "is a truth value (0 or 1): melding pools densities of a continuous quantity";
  }
  return {};
}

}  // namespace

std::vector<Observation> read_observations(const Reader& reader, const toml::node& node,
                                           const std::vector<std::string>& known,
                                           std::size_t first_slot,
                                           std::vector<ParameterFormula>& parameters) {
  std::vector<Observation> observations;
  for (const toml::table* table :
       tables_of(reader, node, "observe",
                 "name = \"registered cases\"\n    value = 67_500\n    likelihood = "
                 "\"poisson(victims * reporting_rate)\"")) {
    reader.check_keys(*table, kObserveKeys, "in [[observe]]");
    const std::vector<Entry> entries = reader.entries(*table);
    Observation observation;
    const Entry* likelihood = find_entry(entries, "likelihood");
    if (likelihood == nullptr) {
      reader.fail(*table, "[[observe]] has no likelihood",
                  "e.g. likelihood = \"poisson(victims * reporting_rate)\"; `darkfigure list "
                  "likelihoods` shows every family");
    }
    observation.likelihood = reader.string(*likelihood, "\"poisson(victims * reporting_rate)\"");
    observation.name = observation.likelihood;
    if (const Entry* name = find_entry(entries, "name")) {
      observation.name = reader.string(*name, "\"registered cases 2023\"");
      if (observation.name.empty()) {
        reader.fail(*name->node, "the name of an [[observe]] is empty",
                    "name it after the source, e.g. name = \"registered cases 2023\"");
      }
      for (const Observation& earlier : observations) {
        if (earlier.name == observation.name) {
          reader.fail(*name->node, "two [[observe]] tables are named \"" + observation.name + "\"",
                      "give each observation its own name");
        }
      }
    }
    const LocatedString text = reader.located(*likelihood->node);
    observation.where = text.at(0);
    const Node tree = read_likelihood(text, observation.name, known, observation.family);
    const Entry* value = find_entry(entries, "value");
    if (value == nullptr) {
      reader.fail(*table, observation.name + ": [[observe]] has no value",
                  "give the observed number, e.g. value = 67_500, or several: value = [12, 15]");
    }
    observation.values = read_values(reader, *value, observation.name, *observation.family);
    if (const Entry* source = find_entry(entries, "source")) {
      observation.source = reader.string(*source, "\"Committee on Legal Statistics, 2024\"");
    }
    if (const Entry* note = find_entry(entries, "note")) {
      observation.note = reader.string(*note, "\"cases, not people\"");
    }
    for (const Node& parameter : tree.children) {
      observation.parameter_slots.push_back(first_slot + parameters.size());
      parameters.push_back({observation.name, text, parameter});
    }
    observations.push_back(std::move(observation));
  }
  return observations;
}

std::vector<Prior> read_priors(const Reader& reader, const toml::node& node,
                               const Scenario& scenario) {
  std::vector<std::string> known;
  for (const Input& input : scenario.inputs)
    known.push_back(input.name);
  for (const Derived& derived : scenario.derived)
    known.push_back(derived.name);

  std::vector<Prior> priors;
  for (const toml::table* table :
       tables_of(reader, node, "prior", "on = \"prevalence\"\n    dist = \"beta(27, 73)\"")) {
    reader.check_keys(*table, kPriorKeys, "in [[prior]]");
    const std::vector<Entry> entries = reader.entries(*table);
    const Entry* on = find_entry(entries, "on");
    if (on == nullptr) {
      reader.fail(*table, "[[prior]] has no \"on\"",
                  "name the quantity it is about, e.g. on = \"prevalence\"");
    }
    const std::string name = reader.string(*on, "\"prevalence\"");
    const std::optional<std::size_t> slot = scenario.slot_of(name);
    if (!slot) {
      reader.fail(*on->node, "[[prior]]: unknown quantity \"" + name + "\"",
                  did_you_mean(name, known, "a prior is on a quantity of [inputs] or [derived]"));
    }
    if (const std::string problem = prior_problem(scenario, *slot); !problem.empty()) {
      reader.fail(*on->node, "[[prior]]: " + name + " " + problem,
                  "put the prior on a continuous quantity computed from the inputs");
    }
    for (const Prior& earlier : priors) {
      if (earlier.on == name) {
        reader.fail(*on->node, "[[prior]]: " + name + " has two priors",
                    "state what is known about it in one distribution");
      }
    }
    const Entry* dist = find_entry(entries, "dist");
    if (dist == nullptr) {
      reader.fail(*table, "[[prior]] on " + name + " has no dist", "e.g. dist = \"beta(27, 73)\"");
    }
    if (!dist->node->is_string()) {
      reader.fail(*dist->node,
                  "[[prior]] on " + name + ": dist must be a string (got " +
                      std::string(type_name(*dist->node)) + ")",
                  "e.g. dist = \"beta(27, 73)\"");
    }
    const LocatedString text = reader.located(*dist->node);
    std::string estimated;
    auto value = resolve_input("prior on " + name, text, scenario.capture_recapture, estimated);
    const auto* distribution = std::get_if<distributions::Distribution>(&value);
    if (distribution == nullptr || distribution->is_discrete()) {
      reader.fail(*dist->node, "[[prior]] on " + name + ": dist must be a continuous distribution",
                  "e.g. dist = \"beta(27, 73)\" or \"normal(0.27, 0.02)\"");
    }
    double pooling = 0.5;
    if (const Entry* weight = find_entry(entries, "pooling")) {
      const std::optional<double> number = number_of(*weight->node);
      if (!number) {
        reader.fail(*weight->node,
                    "[[prior]] on " + name + ": pooling must be a number (got " +
                        std::string(type_name(*weight->node)) + ")",
                    "e.g. pooling = 0.5");
      }
      if (!(*number >= 0.0 && *number <= 1.0)) {
        reader.fail(*weight->node,
                    "[[prior]] on " + name + ": pooling is " + core::shortest_decimal(*number) +
                        ", but must lie in [0, 1]",
                    "pooling is the weight of the model's own induced prior: 1 ignores the "
                    "stated prior, 0 replaces the induced one");
      }
      pooling = *number;
    }
    std::string source;
    std::string note;
    if (const Entry* field = find_entry(entries, "source")) {
      source = reader.string(*field, "\"Sardinha et al., Lancet 2022\"");
    }
    if (const Entry* field = find_entry(entries, "note")) {
      note = reader.string(*field, "\"assumption: ...\"");
    }
    priors.push_back(Prior{.on = name,
                           .slot = *slot,
                           .dist = *distribution,
                           .text = text.value(),
                           .pooling = pooling,
                           .source = std::move(source),
                           .note = std::move(note),
                           .where = reader.where(*on->key)});
  }
  return priors;
}

InferenceSettings read_inference(const Reader& reader, const toml::table& table) {
  reader.check_keys(table, kInferenceKeys, "in [inference]");
  InferenceSettings settings;
  for (const Entry& entry : reader.entries(table)) {
    const std::string key = entry.name();
    if (key == "resample" || key == "max_draws") {
      const std::int64_t count = reader.integer(entry, "100_000");
      if (count < 1) {
        reader.fail(*entry.node, key + " is " + std::to_string(count) + ", but must be at least 1");
      }
      (key == "resample" ? settings.resample : settings.max_draws) =
          static_cast<std::uint64_t>(count);
    } else if (key == "resample_method") {
      const std::string method = reader.string(entry, "\"systematic\"");
      const auto found = inference::find_resample_method(method);
      if (!found) {
        const std::array<std::string, 2> methods = {
            std::string(inference::resample_method_name(inference::ResampleMethod::systematic)),
            std::string(inference::resample_method_name(inference::ResampleMethod::residual))};
        reader.fail(*entry.node, "unknown resample_method \"" + method + "\"",
                    did_you_mean(method, methods, "the methods are systematic and residual"));
      }
      settings.resample_method = *found;
    } else {
      const std::optional<double> number = number_of(*entry.node);
      if (!number || !std::isfinite(*number) || *number < 1.0) {
        reader.fail(
            *entry.node,
            number ? "min_ess is " + core::shortest_decimal(*number) +
                         ", but must be a finite number of at least 1"
                   : "min_ess must be a number (got " + std::string(type_name(*entry.node)) + ")",
            "e.g. min_ess = 10_000: add draws until the effective sample size reaches it");
      }
      settings.min_ess = *number;
    }
  }
  return settings;
}

}  // namespace darkfigure::scenario::detail
