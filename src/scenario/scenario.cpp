#include "darkfigure/scenario/scenario.hpp"

#include "darkfigure/random/stream.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <filesystem>
#include <map>
#include <span>
#include <utility>

#include "darkfigure/core/text.hpp"
#include "scenario/capture_recapture.hpp"
#include "scenario/conditioning.hpp"
#include "scenario/correlation.hpp"
#include "scenario/derived.hpp"
#include "scenario/input.hpp"
#include "scenario/names.hpp"
#include "scenario/reader.hpp"
#include "scenario/sensitivity.hpp"
#include "scenario/source_text.hpp"
#include "scenario/sweep.hpp"

namespace darkfigure::scenario {
namespace {

using detail::Entry;
using detail::grouped;
using detail::kMaxDraws;
using detail::LocatedString;
using detail::number_of;
using detail::Reader;
using detail::SourceText;
using detail::type_name;

const std::array<std::string, 12> kTables = {
    "scenario",  "inputs",   "derived",     "outputs", "observe",     "prior",
    "inference", "sampling", "correlation", "sweep",   "sensitivity", "capture_recapture"};
/// Sections written as arrays of tables, [[observe]] and [[prior]]: one table per entry.
const std::array<std::string, 2> kArraysOfTables = {"observe", "prior"};
const std::array<std::string, 5> kSettingKeys = {"name", "title", "source", "draws", "seed"};
const std::array<std::string, 4> kInputTableKeys = {"dist", "value", "source", "note"};
const std::array<std::string, 3> kOutputKeys = {"names", "quantiles", "percent"};
const std::array<std::string, 2> kSamplingKeys = {"design", "replicates"};

/// The first problem with a list of quantile levels: its index, the message and a hint.
struct LevelProblem {
  std::size_t index;
  std::string message;
  std::string hint;
};

std::optional<LevelProblem> find_level_problem(std::span<const double> levels) {
  for (std::size_t i = 0; i < levels.size(); ++i) {
    const double level = levels[i];
    const std::string text = core::shortest_decimal(level);
    if (!std::isfinite(level)) {
      return LevelProblem{i, "quantile level " + text + " is not a finite number",
                          "levels are probabilities between 0 and 1, e.g. 0.025"};
    }
    if (level <= 0.0 || level >= 1.0) {
      std::string hint = "levels are probabilities strictly between 0 and 1, e.g. 0.025 or 0.975";
      if (level > 1.0 && level < 100.0) {
        hint = "levels are fractions, not percentages: write " +
               core::shortest_decimal(level / 100.0) + " for " + text + "%";
      }
      return LevelProblem{i, "quantile level " + text + " is outside (0, 1)", std::move(hint)};
    }
    if (std::find(levels.begin(), levels.begin() + static_cast<std::ptrdiff_t>(i), level) !=
        levels.begin() + static_cast<std::ptrdiff_t>(i)) {
      return LevelProblem{i, "quantile level " + text + " is listed twice", "list each level once"};
    }
  }
  return std::nullopt;
}

/// Names of quantities defined so far, to keep them unique across [inputs] and [derived].
class NameRegistry {
 public:
  explicit NameRegistry(const Reader& reader) : reader_(reader) {}

  /// Checks that `key` is a valid, unreserved name not yet defined, and records it.
  void add(const toml::key& key, std::string_view table) {
    const std::string name(key.str());
    if (!expression::is_name(name)) {
      std::string suggestion;
      for (const char c : name) {
        const bool keep =
            (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
        suggestion += keep ? c : '_';
      }
      if (suggestion.empty() || (suggestion.front() >= '0' && suggestion.front() <= '9')) {
        suggestion.insert(0, "x_");
      }
      reader_.fail(
          key, "\"" + name + "\" is not a valid name",
          "a name has letters, digits and '_' and does not start with a digit, e.g. " + suggestion);
    }
    if (const auto because = detail::reserved_because(name); !because.empty()) {
      reader_.fail(key,
                   "\"" + name + "\" is " + std::string(because) + " and cannot name a quantity",
                   "choose another name, e.g. " + name + "_value");
    }
    const Definition definition{&key, std::string(table)};
    const auto [found, inserted] = defined_.emplace(name, definition);
    if (inserted) return;
    // The later of the two definitions in the file is the one in error.
    const bool this_is_later = reader_.offset(key) > reader_.offset(*found->second.key);
    const Definition& first = this_is_later ? found->second : definition;
    const Definition& second = this_is_later ? definition : found->second;
    reader_.fail(
        *second.key, "\"" + name + "\" is defined in both " + first.table + " and " + second.table,
        "the first definition is on line " + std::to_string(reader_.where(*first.key).line));
  }

 private:
  struct Definition {
    const toml::key* key;
    std::string table;
  };
  const Reader& reader_;
  std::map<std::string, Definition> defined_;
};

[[noreturn]] void fail_syntax(const SourceText& source, const toml::parse_error& error) {
  const auto& begin = error.source().begin;
  const std::size_t offset = source.offset_of(begin.line, begin.column);
  const std::string_view full(error.description());
  std::string_view description = full;
  // toml++ says "Error while parsing <construct>: <problem>"; the caret shows the construct.
  if (constexpr std::string_view kPrefix = "Error while parsing ";
      description.starts_with(kPrefix)) {
    if (const std::size_t colon = description.find(": "); colon != std::string_view::npos) {
      description.remove_prefix(colon + 2);
    }
  }
  const std::string_view text = source.text();
  const char at = offset < text.size() ? text[offset] : '\n';
  const bool in_string = full.starts_with("Error while parsing string");
  if (in_string && description.find("control characters") != std::string_view::npos &&
      (at == '\n' || at == '\r')) {
    source.fail(offset, "unterminated string: the line ends before the closing quote",
                "close the string on its line; a string over several lines starts with \"\"\"");
  }
  if (in_string && description.find("end-of-file") != std::string_view::npos) {
    source.fail(offset, "unterminated string: the file ends before the closing quote",
                "close the string");
  }
  std::string hint;
  if (description.find("cannot redefine") != std::string_view::npos) {
    hint = "each key and each table may be defined only once";
  }
  source.fail(offset, "invalid TOML: " + std::string(description), std::move(hint));
}

void check_top_level(const Reader& reader, const toml::table& document) {
  for (const Entry& entry : reader.entries(document)) {
    const std::string name = entry.name();
    const bool known = std::find(kTables.begin(), kTables.end(), name) != kTables.end();
    const bool array_of_tables =
        std::find(kArraysOfTables.begin(), kArraysOfTables.end(), name) != kArraysOfTables.end();
    if (array_of_tables) {
      const auto* array = entry.node->as_array();
      if (array != nullptr && array->is_array_of_tables()) continue;
      reader.fail(*entry.key,
                  "[" + name + "] must be written [[" + name + "]] (got " +
                      std::string(type_name(*entry.node)) + ")",
                  "each " + name + " is its own table headed [[" + name + "]]");
    }
    if (known && entry.node->is_table()) continue;
    // One block of correlated inputs is a table, several an array of tables.
    if (name == "correlation") {
      const auto* array = entry.node->as_array();
      if (array != nullptr && array->is_array_of_tables()) continue;
    }
    if (known) {
      reader.fail(
          *entry.node,
          "[" + name + "] must be a table (got " + std::string(type_name(*entry.node)) + ")",
          "write a line [" + name + "] followed by its keys");
    }
    const std::string tables =
        "the tables are [scenario], [inputs], [derived], [outputs], [sensitivity], [[observe]], "
        "[[prior]], [inference], [sampling], [correlation], [sweep] and [capture_recapture]";
    if (entry.node->is_table()) {
      reader.fail(*entry.key, "unknown table [" + name + "]",
                  detail::did_you_mean(name, kTables, tables, "[", "]"));
    }
    if (const auto* array = entry.node->as_array(); array && array->is_array_of_tables()) {
      reader.fail(*entry.key, "unknown table [[" + name + "]]",
                  detail::did_you_mean(name, kTables, tables, "[", "]"));
    }
    std::string hint = detail::did_you_mean(name, kTables, tables, "[", "]");
    if (std::find(kSettingKeys.begin(), kSettingKeys.end(), name) != kSettingKeys.end()) {
      hint = name + " belongs under [scenario]";
    }
    reader.fail(*entry.key, "unknown key \"" + name + "\" outside of any table", std::move(hint));
  }
}

void read_settings(const Reader& reader, const toml::table& table, Scenario& scenario) {
  reader.check_keys(table, kSettingKeys, "in [scenario]");
  for (const Entry& entry : reader.entries(table)) {
    const std::string key = entry.name();
    if (key == "name") {
      scenario.name = reader.string(entry, "\"kz-2023-national\"");
      if (!detail::is_scenario_name(scenario.name)) {
        reader.fail(*entry.node, "scenario name \"" + scenario.name + "\" is not valid",
                    "a scenario name has letters, digits, '_' and '-' and starts with a letter, "
                    "e.g. \"kz-2023\"");
      }
    } else if (key == "title") {
      scenario.title = reader.string(entry, "\"Kazakhstan 2023\"");
    } else if (key == "source") {
      scenario.source = reader.string(entry, "\"Committee on Legal Statistics, 2024\"");
    } else if (key == "draws") {
      const std::int64_t draws = reader.integer(entry, "100_000");
      if (draws < 1) {
        reader.fail(*entry.node, "draws is " + std::to_string(draws) + ", but must be at least 1");
      }
      if (draws > kMaxDraws) {
        reader.fail(*entry.node,
                    "draws is " + grouped(draws) + ", but must be at most " + grouped(kMaxDraws));
      }
      scenario.draws = static_cast<std::uint64_t>(draws);
    } else {
      const std::int64_t seed = reader.integer(entry, "2023");
      if (seed < 0) {
        reader.fail(*entry.node, "seed is " + std::to_string(seed) + ", but must be at least 0");
      }
      scenario.seed = static_cast<std::uint64_t>(seed);
    }
  }
}

/// Reads [sampling]: the design and its number of replicates.
SamplingSettings read_sampling(const Reader& reader, const toml::table& table) {
  reader.check_keys(table, kSamplingKeys, "in [sampling]");
  SamplingSettings settings;
  for (const Entry& entry : reader.entries(table)) {
    if (entry.name() == "design") {
      const std::string name = reader.string(entry, "\"lhs\"");
      const auto design = sampling::find_design(name);
      if (!design) {
        reader.fail(*entry.node, "unknown design \"" + name + "\"",
                    detail::did_you_mean(name, sampling::design_names(),
                                         "the designs are \"mc\", \"lhs\" and \"sobol\""));
      }
      settings.design = *design;
    } else {
      const std::int64_t replicates = reader.integer(entry, "10");
      if (replicates < 2 || replicates > sampling::kMaxReplicates) {
        reader.fail(
            *entry.node,
            "replicates is " + std::to_string(replicates) + ", but must be between 2 and " +
                grouped(sampling::kMaxReplicates),
            "the spread of the replicates' means gives the standard errors; the default is 8");
      }
      settings.replicates = static_cast<std::uint32_t>(replicates);
    }
  }
  return settings;
}

/// Sets the value and text of `input` from a number or a string node.
void read_input_value(const Reader& reader, const toml::node& node, Input& input,
                      bool strings_allowed, std::span<const CaptureData> data) {
  if (const auto* integer = node.as_integer()) {
    input.value = static_cast<double>(integer->get());
    input.text = std::to_string(integer->get());
  } else if (const auto* number = node.as_floating_point()) {
    if (!std::isfinite(number->get())) {
      reader.fail(node, input.name + ": the value is " + core::shortest_decimal(number->get()) +
                            ", but must be finite");
    }
    input.value = number->get();
    input.text = core::shortest_decimal(number->get());
  } else if (node.is_string() && strings_allowed) {
    const LocatedString text = reader.located(node);
    input.value = detail::resolve_input(input.name, text, data, input.estimate);
    input.text = text.value();
  } else if (strings_allowed) {
    reader.fail(node,
                input.name +
                    " must be a number, a string with a distribution call, or a table (got " +
                    std::string(type_name(node)) + ")",
                "e.g. " + input.name + " = \"beta(4, 16)\"");
  } else {
    reader.fail(node,
                input.name + ": value must be a number (got " + std::string(type_name(node)) + ")",
                "a distribution call or a constant expression goes in dist = \"...\"");
  }
}

/// An input given as a table: { dist = "...", source = "...", note = "..." } or
/// { value = <number>, source = "...", note = "..." }.
void read_input_table(const Reader& reader, const Entry& entry, const toml::table& table,
                      Input& input, std::span<const CaptureData> data) {
  reader.check_keys(table, kInputTableKeys, "in the table of " + input.name);
  const Entry* value = nullptr;
  for (const Entry& field : reader.entries(table)) {
    const std::string key = field.name();
    if (key == "source") {
      input.source = reader.string(field, "\"Ranking.kz, 2024\"");
    } else if (key == "note") {
      input.note = reader.string(field, "\"assumption: ...\"");
    } else if (value != nullptr) {
      reader.fail(*field.key, input.name + ": give either dist or value, not both");
    } else {
      if (key == "dist" && !field.node->is_string()) {
        reader.fail(*field.node,
                    input.name + ": dist must be a string (got " +
                        std::string(type_name(*field.node)) + ")",
                    "e.g. dist = \"beta(4, 16)\"");
      }
      read_input_value(reader, *field.node, input, key == "dist", data);
      value = &field;
    }
  }
  if (value == nullptr) {
    reader.fail(*entry.key, input.name + ": the table has neither dist nor value",
                "e.g. " + input.name + " = { dist = \"beta(4, 16)\", source = \"...\" }");
  }
}

void read_inputs(const Reader& reader, const Entry& section, NameRegistry& names,
                 Scenario& scenario) {
  const toml::table& table = *section.node->as_table();
  if (table.empty()) {
    reader.fail(*section.key, "[inputs] is empty",
                "a scenario needs at least one input, e.g. reporting_rate = \"beta(4, 16)\"");
  }
  for (const Entry& entry : reader.entries(table)) {
    names.add(*entry.key, "[inputs]");
    Input input;
    input.name = entry.name();
    input.where = reader.where(*entry.key);
    if (const auto* fields = entry.node->as_table()) {
      read_input_table(reader, entry, *fields, input, scenario.capture_recapture);
    } else {
      read_input_value(reader, *entry.node, input, true, scenario.capture_recapture);
    }
    // Streams are keyed by a 32-bit hash of the input's name: two names with the same hash would
    // draw the very same numbers. Rare (about one pair in four billion), but never silent.
    const std::uint32_t id = random::stream_id(input.name);
    for (const Input& earlier : scenario.inputs) {
      if (random::stream_id(earlier.name) == id) {
        reader.fail(*entry.key,
                    "inputs \"" + earlier.name + "\" and \"" + input.name +
                        "\" would share one random stream (their names hash alike)",
                    "rename one of them");
      }
    }
    scenario.inputs.push_back(std::move(input));
  }
}

std::vector<detail::DerivedEntry> read_derived(const Reader& reader, const toml::table& table,
                                               NameRegistry& names) {
  std::vector<detail::DerivedEntry> entries;
  for (const Entry& entry : reader.entries(table)) {
    names.add(*entry.key, "[derived]");
    const std::string name = entry.name();
    if (!entry.node->is_string()) {
      reader.fail(
          *entry.node,
          name + ": a derived value must be a formula in a string (got " +
              std::string(type_name(*entry.node)) + ")",
          "a fixed number belongs in [inputs]; a formula is written like " + name + " = \"a / b\"");
    }
    entries.push_back({name, reader.located(*entry.node), reader.where(*entry.key)});
  }
  return entries;
}

/// Reads `key` of [outputs]: names, each one of `known`, listed once.
std::vector<std::string> read_output_names(const Reader& reader, const Entry& entry,
                                           const std::vector<std::string>& known,
                                           const std::string& key) {
  const auto* array = entry.node->as_array();
  if (array == nullptr) {
    reader.fail(*entry.node,
                key + " must be an array of quantity names (got " +
                    std::string(type_name(*entry.node)) + ")",
                "e.g. " + key + " = [\"victims\", \"prevalence\"]");
  }
  if (array->empty()) {
    reader.fail(*entry.node, key + " is empty",
                key == "names"
                    ? "list at least one quantity, or leave names out to summarise every derived "
                      "value"
                    : "list at least one output, or leave percent out to show as percentages the "
                      "outputs whose draws all lie between 0 and 1");
  }
  std::vector<std::string> names;
  for (const toml::node& element : *array) {
    const auto* name = element.as_string();
    if (name == nullptr) {
      reader.fail(element, key + " must hold strings (got " + std::string(type_name(element)) + ")",
                  "write each name in quotes");
    }
    const std::string& text = name->get();
    if (std::find(known.begin(), known.end(), text) == known.end()) {
      reader.fail(
          element,
          "unknown " + std::string(key == "names" ? "quantity" : "output") + " \"" + text +
              "\" in [outputs] " + key,
          detail::did_you_mean(text, known,
                               key == "names" ? "outputs name quantities of [inputs] or [derived]"
                                              : "percent names quantities of [outputs] names"));
    }
    if (std::find(names.begin(), names.end(), text) != names.end()) {
      reader.fail(element, "\"" + text + "\" is listed twice in [outputs] " + key,
                  "list each quantity once");
    }
    names.push_back(text);
  }
  return names;
}

std::vector<double> read_quantiles(const Reader& reader, const Entry& entry) {
  const auto* array = entry.node->as_array();
  if (array == nullptr) {
    std::string hint = "e.g. quantiles = [0.025, 0.5, 0.975]";
    if (const auto number = number_of(*entry.node)) {
      hint = "write a list: quantiles = [" + core::shortest_decimal(*number) + "]";
    }
    reader.fail(
        *entry.node,
        "quantiles must be an array of numbers (got " + std::string(type_name(*entry.node)) + ")",
        std::move(hint));
  }
  if (array->empty()) {
    reader.fail(*entry.node, "quantiles is empty",
                "list at least one level, e.g. quantiles = [0.025, 0.5, 0.975]");
  }
  std::vector<double> levels;
  for (const toml::node& element : *array) {
    const auto level = number_of(element);
    if (!level) {
      reader.fail(element,
                  "quantiles must hold numbers (got " + std::string(type_name(element)) + ")",
                  "e.g. quantiles = [0.025, 0.5, 0.975]");
    }
    levels.push_back(*level);
  }
  if (const auto problem = find_level_problem(levels)) {
    reader.fail(*array->get(problem->index), problem->message, problem->hint);
  }
  std::sort(levels.begin(), levels.end());
  return levels;
}

/// Reads [outputs], or sets the default: every derived value in file order, else every input that
/// is a distribution, else every input.
void read_outputs(const Reader& reader, const toml::table* table,
                  const std::vector<detail::DerivedEntry>& derived, Scenario& scenario) {
  std::vector<std::string> known;
  for (const Input& input : scenario.inputs)
    known.push_back(input.name);
  for (const auto& entry : derived)
    known.push_back(entry.name);

  bool names_given = false;
  // `percent` names outputs, known only once the names are: it is read last, from `entries`.
  std::vector<Entry> entries;
  const Entry* percent = nullptr;
  if (table != nullptr) {
    reader.check_keys(*table, kOutputKeys, "in [outputs]");
    entries = reader.entries(*table);
    for (const Entry& entry : entries) {
      if (entry.name() == "names") {
        scenario.outputs = read_output_names(reader, entry, known, "names");
        names_given = true;
      } else if (entry.name() == "percent") {
        percent = &entry;
      } else {
        scenario.quantiles = read_quantiles(reader, entry);
      }
    }
  }
  if (!names_given) {
    for (const auto& entry : derived)
      scenario.outputs.push_back(entry.name);
  }
  if (scenario.outputs.empty()) {
    for (const Input& input : scenario.inputs) {
      if (std::holds_alternative<distributions::Distribution>(input.value)) {
        scenario.outputs.push_back(input.name);
      }
    }
  }
  if (scenario.outputs.empty()) {
    for (const Input& input : scenario.inputs)
      scenario.outputs.push_back(input.name);
  }
  if (percent == nullptr) return;
  scenario.percent = read_output_names(reader, *percent, scenario.outputs, "percent");
  const auto* array = percent->node->as_array();
  for (std::size_t i = 0; i < scenario.percent->size(); ++i) {
    const std::string& name = (*scenario.percent)[i];
    const auto truth = std::find_if(
        scenario.derived.begin(), scenario.derived.end(),
        [&](const Derived& d) { return d.name == name && expression::is_truth_valued(d.tree); });
    if (truth != scenario.derived.end()) {
      reader.fail(*array->get(i), name + " is a truth value, which prints as a probability",
                  "leave it out of percent: reports show it as P = 12.3%");
    }
  }
}

}  // namespace

std::optional<std::size_t> Scenario::slot_of(std::string_view quantity) const {
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    if (inputs[i].name == quantity) return i;
  }
  for (std::size_t j = 0; j < derived.size(); ++j) {
    if (derived[j].name == quantity) return inputs.size() + j;
  }
  return std::nullopt;
}

Scenario parse(std::string_view text, const std::string& file_name) {
  const SourceText source(text, file_name);
  detail::check_encoding(source);
  toml::table document;
  try {
    document = toml::parse(text, std::string_view(file_name));
  } catch (const toml::parse_error& error) {
    fail_syntax(source, error);
  }
  const std::string hint_inputs =
      "a scenario needs an [inputs] table with at least one input, e.g.\n"
      "    [inputs]\n"
      "    reporting_rate = \"beta(4, 16)\"";
  if (document.empty()) source.fail(0, "empty scenario: no [inputs] table", hint_inputs);

  const Reader reader(source);
  check_top_level(reader, document);
  const auto sections = reader.entries(document);
  const auto section = [&](std::string_view name) { return detail::find_entry(sections, name); };

  Scenario scenario;
  scenario.file = file_name;
  scenario.name = std::filesystem::path(file_name).stem().string();
  if (scenario.name.empty()) scenario.name = "scenario";
  if (const Entry* settings = section("scenario")) {
    read_settings(reader, *settings->node->as_table(), scenario);
  }
  if (const Entry* data = section("capture_recapture")) {
    scenario.capture_recapture =
        detail::read_capture_recapture(reader, *data, scenario.seed, scenario.warnings);
  }
  const Entry* inputs = section("inputs");
  if (inputs == nullptr && scenario.capture_recapture.empty()) {
    source.fail(0, "no [inputs] table", hint_inputs);
  }
  NameRegistry names(reader);
  if (inputs != nullptr) read_inputs(reader, *inputs, names, scenario);
  if (const Entry* sampling = section("sampling")) {
    scenario.sampling = read_sampling(reader, *sampling->node->as_table());
  }
  std::vector<detail::DerivedEntry> derived;
  if (const Entry* formulas = section("derived")) {
    derived = read_derived(reader, *formulas->node->as_table(), names);
  }
  std::vector<std::string> known;
  for (const Input& input : scenario.inputs)
    known.push_back(input.name);
  for (const auto& entry : derived)
    known.push_back(entry.name);
  std::vector<detail::ParameterFormula> parameters;
  if (const Entry* observe = section("observe")) {
    scenario.observations = detail::read_observations(
        reader, *observe->node, known, scenario.inputs.size() + derived.size(), parameters);
  }
  detail::resolve_derived(scenario, derived, parameters);
  if (const Entry* correlation = section("correlation")) {
    scenario.correlations = detail::read_correlations(reader, *correlation->node, scenario);
  }
  if (const Entry* priors = section("prior")) {
    scenario.priors = detail::read_priors(reader, *priors->node, scenario);
  }
  if (const Entry* inference = section("inference")) {
    scenario.inference = detail::read_inference(reader, *inference->node->as_table());
  }
  if (const Entry* sweep = section("sweep")) {
    scenario.sweep = detail::read_sweep(reader, *sweep, scenario);
  }
  const Entry* outputs = section("outputs");
  read_outputs(reader, outputs == nullptr ? nullptr : outputs->node->as_table(), derived, scenario);
  if (const Entry* sensitivity = section("sensitivity")) {
    scenario.sensitivity = detail::read_sensitivity(reader, source, *sensitivity, scenario);
  }
  return scenario;
}

std::vector<double> checked_quantile_levels(std::vector<double> levels) {
  if (levels.empty()) {
    throw core::InputError("no quantile levels given", std::nullopt,
                           "give at least one level, e.g. 0.025,0.5,0.975");
  }
  if (const auto problem = find_level_problem(levels)) {
    throw core::InputError(problem->message, std::nullopt, problem->hint);
  }
  std::sort(levels.begin(), levels.end());
  return levels;
}

}  // namespace darkfigure::scenario
