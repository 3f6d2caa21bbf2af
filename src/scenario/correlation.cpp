#include "scenario/correlation.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <variant>

#include "darkfigure/core/text.hpp"
#include "scenario/names.hpp"

namespace darkfigure::scenario::detail {
namespace {

const std::array<std::string, 4> kKeys = {"inputs", "matrix", "source", "note"};
const std::string kInputsExample = "inputs = [\"reporting_rate\", \"crisis_uptake\"]";
const std::string kMatrixExample = "matrix = [[1.0, 0.6], [0.6, 1.0]]";

/// "a, b, c".
std::string joined(const std::vector<std::string>& names) {
  std::string text;
  for (const std::string& name : names)
    text += (text.empty() ? "" : ", ") + name;
  return text;
}

/// "1 row", "3 rows".
std::string count_of(std::size_t count, const std::string& one, const std::string& several) {
  return std::to_string(count) + " " + (count == 1 ? one : several);
}

/// The tables of the section: one for [correlation], one per block for [[correlation]].
std::vector<const toml::table*> blocks_of(const Reader& reader, const toml::node& node) {
  if (const auto* table = node.as_table()) return {table};
  const auto* array = node.as_array();
  if (array == nullptr || !array->is_array_of_tables()) {
    reader.fail(node,
                "[correlation] must be a table or an array of tables (got " +
                    std::string(type_name(node)) + ")",
                "write a block headed [correlation], or several headed [[correlation]], each with "
                "its inputs and matrix");
  }
  std::vector<const toml::table*> tables;
  for (const toml::node& element : *array)
    tables.push_back(element.as_table());
  return tables;
}

/// Where each input of an earlier block was listed: the line of that block's `inputs`.
using Claimed = std::map<std::string, std::uint32_t>;

/// The names of `inputs`, each a random input of the scenario, listed once, in no earlier block;
/// their slots go to `slots`.
std::vector<std::string> read_names(const Reader& reader, const Entry& entry,
                                    const std::string& section, const Scenario& scenario,
                                    const Claimed& claimed, std::vector<std::size_t>& slots) {
  const auto* array = entry.node->as_array();
  if (array == nullptr) {
    reader.fail(
        *entry.node,
        "inputs must be an array of input names (got " + std::string(type_name(*entry.node)) + ")",
        "e.g. " + kInputsExample);
  }
  std::vector<std::string> random_inputs;
  for (const Input& input : scenario.inputs) {
    if (std::holds_alternative<distributions::Distribution>(input.value)) {
      random_inputs.push_back(input.name);
    }
  }
  std::vector<std::string> names;
  for (const toml::node& element : *array) {
    const auto* text = element.as_string();
    if (text == nullptr) {
      reader.fail(element, "inputs must hold strings (got " + std::string(type_name(element)) + ")",
                  "write each input's name in quotes, e.g. " + kInputsExample);
    }
    const std::string& name = text->get();
    const std::optional<std::size_t> slot = scenario.slot_of(name);
    if (!slot || *slot >= scenario.inputs.size()) {
      if (slot) {
        reader.fail(element,
                    section + ": " + name + " is a derived quantity, but must be a random input",
                    "a derived quantity follows from the inputs it is computed from: correlate "
                    "those");
      }
      reader.fail(element, section + ": unknown input \"" + name + "\"",
                  did_you_mean(name, random_inputs,
                               "only random inputs of [inputs] can be correlated, not [derived] "
                               "quantities"));
    }
    if (const auto* fixed = std::get_if<double>(&scenario.inputs[*slot].value)) {
      reader.fail(element,
                  section + ": " + name + " is fixed at " + core::shortest_decimal(*fixed) +
                      ", but must be a random input (a distribution)",
                  "a fixed number has no ranks to pair; leave " + name + " out of inputs");
    }
    if (std::find(names.begin(), names.end(), name) != names.end()) {
      reader.fail(element, section + ": \"" + name + "\" is listed twice in inputs",
                  "list each input once: the matrix has one row and one column per input");
    }
    if (const auto earlier = claimed.find(name); earlier != claimed.end()) {
      reader.fail(element,
                  section + ": \"" + name + "\" is already correlated in the block on line " +
                      std::to_string(earlier->second),
                  "an input belongs to one block only: merge the two blocks into one matrix over "
                  "all their inputs");
    }
    names.push_back(name);
    slots.push_back(*slot);
  }
  if (names.size() < 2) {
    reader.fail(*entry.node,
                section + ": inputs lists " + count_of(names.size(), "input", "inputs") +
                    ", but must list at least 2",
                "a correlation is between two or more random inputs, e.g. " + kInputsExample);
  }
  return names;
}

/// The matrix, row by row, after checking that it is k x k numbers; `entries` gets each entry's
/// node, to point at it.
std::vector<double> read_matrix(const Reader& reader, const Entry& entry,
                                const std::string& section, const std::vector<std::string>& names,
                                std::vector<const toml::node*>& entries) {
  const std::size_t k = names.size();
  const std::string one_per_input = "one per input (" + joined(names) + ")";
  const auto* rows = entry.node->as_array();
  if (rows == nullptr) {
    reader.fail(*entry.node,
                section + ": matrix must be an array of rows (got " +
                    std::string(type_name(*entry.node)) + ")",
                "write one row per input, e.g. " + kMatrixExample);
  }
  std::vector<double> values;
  for (std::size_t r = 0; r < rows->size(); ++r) {
    const toml::node& row_node = *rows->get(r);
    if (r == k) {
      reader.fail(row_node,
                  section + ": matrix has " + count_of(rows->size(), "row", "rows") +
                      ", but must have " + std::to_string(k) + ", " + one_per_input,
                  "the rows and columns follow the order of inputs");
    }
    const std::string row_name = "row " + std::to_string(r + 1) + " of matrix";
    const auto* row = row_node.as_array();
    if (row == nullptr) {
      reader.fail(row_node,
                  section + ": " + row_name + " must be an array of numbers (got " +
                      std::string(type_name(row_node)) + ")",
                  "write each row in its own brackets, e.g. " + kMatrixExample);
    }
    if (row->size() != k) {
      reader.fail(row_node,
                  section + ": " + row_name + " has " + count_of(row->size(), "entry", "entries") +
                      ", but must have " + std::to_string(k) + ", " + one_per_input,
                  "entry j of row i is the Spearman correlation of input i with input j");
    }
    for (const toml::node& element : *row) {
      const std::optional<double> value = number_of(element);
      if (!value) {
        reader.fail(element,
                    section + ": " + row_name + " must hold numbers (got " +
                        std::string(type_name(element)) + ")",
                    "e.g. " + kMatrixExample);
      }
      values.push_back(*value);
      entries.push_back(&element);
    }
  }
  if (rows->size() < k) {
    reader.fail(*entry.node,
                section + ": matrix has " + count_of(rows->size(), "row", "rows") +
                    ", but must have " + std::to_string(k) + ", " + one_per_input,
                "e.g. for two inputs " + kMatrixExample);
  }
  return values;
}

/// "3e-08": one significant digit says how close to singular.
std::string one_digit(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1g", value);
  return text;
}

}  // namespace

std::vector<Correlation> read_correlations(const Reader& reader, const toml::node& node,
                                           Scenario& scenario) {
  const bool several = node.is_array();
  const std::string section = several ? "[[correlation]]" : "[correlation]";
  std::vector<Correlation> correlations;
  Claimed claimed;
  for (const toml::table* table : blocks_of(reader, node)) {
    reader.check_keys(*table, kKeys, "in " + section);
    const std::vector<Entry> fields = reader.entries(*table);
    const Entry* inputs = find_entry(fields, "inputs");
    if (inputs == nullptr) {
      reader.fail(*table, section + " has no inputs",
                  "name the random inputs to correlate, e.g. " + kInputsExample);
    }
    std::vector<std::size_t> slots;
    std::vector<std::string> names = read_names(reader, *inputs, section, scenario, claimed, slots);
    const Entry* matrix = find_entry(fields, "matrix");
    if (matrix == nullptr) {
      reader.fail(*table, section + " has no matrix",
                  "give the Spearman rank correlations, one row per input, e.g. " + kMatrixExample);
    }
    std::string source;
    if (const Entry* entry = find_entry(fields, "source")) {
      source = reader.string(*entry, "\"expert elicitation, 2024\"");
    }
    std::string note;
    if (const Entry* entry = find_entry(fields, "note")) {
      note = reader.string(*entry, "\"assumption: ...\"");
    }
    std::vector<const toml::node*> entries;
    std::vector<double> values = read_matrix(reader, *matrix, section, names, entries);
    const std::size_t k = names.size();
    if (const auto problem = sampling::RankCorrelation::check(values, k)) {
      std::string subject = "correlation matrix of " + joined(names);
      const toml::node* at = matrix->node;
      if (problem->row && problem->column) {
        const std::size_t row = *problem->row;
        const std::size_t column = *problem->column;
        subject = row == column ? "correlation of " + names[row] + " with itself"
                                : "correlation of " + names[row] + " and " + names[column];
        at = entries[row * k + column];
      }
      reader.fail(*at, subject + ": " + problem->message, problem->hint);
    }
    const core::SourceLocation where = reader.where(*matrix->key);
    auto induced = sampling::RankCorrelation::make(std::move(values), k);
    if (induced.reciprocal_condition() < sampling::kNearlySingular) {
      scenario.warnings.push_back(
          where.file + ":" + std::to_string(where.line) + ":" + std::to_string(where.column) +
          ": the correlation matrix of " + joined(names) +
          " is nearly singular (reciprocal condition number " +
          one_digit(induced.reciprocal_condition()) +
          "): some inputs are almost determined by the others, so a small change to one "
          "correlation changes the pairing of all of them; check the strongest correlations");
    }
    const std::uint32_t line = reader.where(*inputs->key).line;
    for (const std::string& name : names)
      claimed.emplace(name, line);
    correlations.push_back(Correlation{.inputs = std::move(names),
                                       .slots = std::move(slots),
                                       .induced = std::move(induced),
                                       .source = std::move(source),
                                       .note = std::move(note),
                                       .where = where});
  }
  return correlations;
}

}  // namespace darkfigure::scenario::detail
