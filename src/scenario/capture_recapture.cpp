#include "scenario/capture_recapture.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <string>
#include <utility>

#include "darkfigure/core/text.hpp"
#include "darkfigure/expression/ast.hpp"
#include "scenario/names.hpp"

namespace darkfigure::scenario::detail {
namespace {

using estimators::IntervalMethod;

const std::array<std::string, 10> kListKeys = {"lists",  "histories", "model", "criterion",
                                               "method", "interval",  "level", "resamples",
                                               "source", "note"};
const std::array<std::string, 7> kRegisterKeys = {"frequencies", "method", "interval", "level",
                                                  "resamples",   "source", "note"};
const std::array<std::string, 3> kListMethods = {"log-linear", "lincoln-petersen", "chapman"};
const std::array<std::string, 3> kModelWords = {"auto", "independence", "all-two-way"};
const std::array<std::string, 2> kCriteria = {"aic", "bic"};
constexpr std::int64_t kMinResamples = 100;
constexpr std::int64_t kMaxResamples = 1'000'000;

std::string location(const core::SourceLocation& where) {
  return where.file + ":" + std::to_string(where.line) + ":" + std::to_string(where.column);
}

/// A count of people: a finite whole number >= 0. `subject` names it in messages ("history 101").
double read_count(const Reader& reader, const toml::node& node, const std::string& subject) {
  const auto value = number_of(node);
  if (!value) {
    reader.fail(node,
                subject + " must be a number of people (got " + std::string(type_name(node)) + ")",
                "write the count without quotes, e.g. 412");
  }
  if (!std::isfinite(*value)) {
    reader.fail(node, subject + " is " + core::shortest_decimal(*value) + ", but must be finite");
  }
  if (*value < 0.0) {
    reader.fail(node, subject + " is " + core::shortest_decimal(*value) + ", but a count of " +
                          "people cannot be negative");
  }
  if (*value != std::floor(*value)) {
    reader.fail(node,
                subject + " is " + core::shortest_decimal(*value) +
                    ", but a count of people must be a whole number",
                "capture-recapture counts people, not rates or weighted figures");
  }
  return *value;
}

/// A string value of `entry` that must be one of `allowed`.
std::string read_choice(const Reader& reader, const Entry& entry,
                        std::span<const std::string> allowed, std::string_view example) {
  const std::string value = reader.string(entry, example);
  if (std::find(allowed.begin(), allowed.end(), value) == allowed.end()) {
    std::string known;
    for (const std::string& name : allowed)
      known += (known.empty() ? "" : ", ") + core::quoted(name);
    reader.fail(*entry.node, "unknown " + entry.name() + " " + core::quoted(value),
                did_you_mean(value, allowed, "the choices are " + known));
  }
  return value;
}

std::vector<std::string> read_list_names(const Reader& reader, const Entry& entry) {
  const auto* array = entry.node->as_array();
  if (array == nullptr) {
    reader.fail(*entry.node,
                "lists must be an array of names (got " + std::string(type_name(*entry.node)) + ")",
                "e.g. lists = [\"police\", \"crisis\", \"health\"]");
  }
  if (array->size() < 2 || array->size() > estimators::kMaxLists) {
    reader.fail(*entry.node,
                "lists has " + std::to_string(array->size()) + " name" +
                    (array->size() == 1 ? "" : "s") + ", but capture-recapture needs 2 to " +
                    std::to_string(estimators::kMaxLists) + " lists",
                array->size() == 1 ? "one register's counts of how often it saw each person go "
                                     "in frequencies = [f1, f2, ...]"
                                   : "merge lists that serve the same people");
  }
  std::vector<std::string> names;
  for (const toml::node& element : *array) {
    const auto* name = element.as_string();
    if (name == nullptr) {
      reader.fail(element, "lists must hold strings (got " + std::string(type_name(element)) + ")",
                  "write each list's name in quotes");
    }
    if (!expression::is_name(name->get())) {
      reader.fail(element, "list name " + core::quoted(name->get()) + " is not valid",
                  "a list name has letters, digits and '_' and does not start with a digit, so "
                  "that models can name pairs of lists, e.g. \"police:crisis\"");
    }
    if (std::find(names.begin(), names.end(), name->get()) != names.end()) {
      reader.fail(element, "list " + core::quoted(name->get()) + " is named twice",
                  "each list is one source; merge duplicates before counting");
    }
    names.push_back(name->get());
  }
  return names;
}

/// The counts of every capture history, checked against the lists.
std::vector<double> read_histories(const Reader& reader, const Entry& entry,
                                   const std::vector<std::string>& lists) {
  const auto* table = entry.node->as_table();
  if (table == nullptr) {
    reader.fail(
        *entry.node,
        "histories must be a table of counts (got " + std::string(type_name(*entry.node)) + ")",
        "e.g. histories = { \"10\" = 412, \"01\" = 96, \"11\" = 38 }");
  }
  const std::size_t k = lists.size();
  const std::string example = "1" + std::string(k - 1, '0');
  std::vector<double> counts(std::size_t{1} << k, 0.0);
  for (const Entry& history : reader.entries(*table)) {
    const std::string key = history.name();
    if (key.size() != k) {
      std::string names;
      for (const std::string& list : lists)
        names += (names.empty() ? "" : ", ") + list;
      reader.fail(*history.key,
                  "history " + core::quoted(key) + " has " + std::to_string(key.size()) +
                      " character" + (key.size() == 1 ? "" : "s") + ", but there are " +
                      std::to_string(k) + " lists (" + names + ")",
                  "one character per list, in the order of lists: " + core::quoted(example) +
                      " is seen by " + lists.front() + " alone");
    }
    if (key.find_first_not_of("01") != std::string::npos) {
      reader.fail(
          *history.key, "history " + core::quoted(key) + " may hold only 0 and 1",
          "1 where the list saw the person, 0 where it did not, e.g. " + core::quoted(example));
    }
    if (key.find('1') == std::string::npos) {
      reader.fail(*history.key,
                  "history " + core::quoted(key) +
                      " counts the people no list saw, which is what the "
                      "estimate is for",
                  "leave it out");
    }
    counts[std::stoul(key, nullptr, 2)] =
        read_count(reader, *history.node, "history " + core::quoted(key));
  }
  if (std::all_of(counts.begin(), counts.end(), [](double c) { return c == 0.0; })) {
    reader.fail(*entry.node, "histories counts nobody",
                "give the number of people with each pattern of lists, e.g. " +
                    core::quoted(example) + " = 412");
  }
  return counts;
}

/// A model: "auto" (unset), "independence", "all-two-way", or an array of "a:b" interactions.
std::optional<estimators::ListModel> read_model(const Reader& reader, const Entry& entry,
                                                const std::vector<std::string>& lists) {
  const std::string example = lists[0] + ":" + lists[1];
  if (entry.node->is_string()) {
    const std::string word = read_choice(reader, entry, kModelWords, "\"auto\"");
    if (word == "auto") return std::nullopt;
    if (word == "independence") return estimators::independence();
    return estimators::all_two_way(lists.size());
  }
  const auto* array = entry.node->as_array();
  if (array == nullptr) {
    reader.fail(*entry.node,
                "model must be a string or an array of interactions (got " +
                    std::string(type_name(*entry.node)) + ")",
                "e.g. model = \"auto\" or model = [\"" + example + "\"]");
  }
  if (array->empty()) {
    reader.fail(*entry.node, "model lists no interaction",
                "write model = \"independence\" for main effects only");
  }
  estimators::ListModel model;
  for (const toml::node& element : *array) {
    const auto* text = element.as_string();
    if (text == nullptr) {
      reader.fail(element, "model must hold strings (got " + std::string(type_name(element)) + ")",
                  "name each interaction by its two lists, e.g. \"" + example + "\"");
    }
    const std::string& pair = text->get();
    const std::size_t colon = pair.find(':');
    if (colon == std::string::npos || pair.find(':', colon + 1) != std::string::npos) {
      reader.fail(element, "interaction " + core::quoted(pair) + " must name two lists",
                  "write the two lists joined by ':', e.g. \"" + example + "\"");
    }
    std::array<std::size_t, 2> index{};
    for (std::size_t side = 0; side < 2; ++side) {
      const std::string name = side == 0 ? pair.substr(0, colon) : pair.substr(colon + 1);
      const auto found = std::find(lists.begin(), lists.end(), name);
      if (found == lists.end()) {
        reader.fail(element,
                    "interaction " + core::quoted(pair) + ": unknown list " + core::quoted(name),
                    did_you_mean(name, lists, "the lists are those of lists = [...]"));
      }
      index[side] = static_cast<std::size_t>(found - lists.begin());
    }
    if (index[0] == index[1]) {
      reader.fail(element, "interaction " + core::quoted(pair) + " pairs a list with itself",
                  "an interaction joins two different lists");
    }
    const std::pair<std::size_t, std::size_t> term{std::min(index[0], index[1]),
                                                   std::max(index[0], index[1])};
    if (std::find(model.interactions.begin(), model.interactions.end(), term) !=
        model.interactions.end()) {
      reader.fail(element, "interaction " + core::quoted(pair) + " is listed twice",
                  "list each pair of lists once");
    }
    model.interactions.push_back(term);
  }
  std::sort(model.interactions.begin(), model.interactions.end());
  return model;
}

std::vector<double> read_frequencies(const Reader& reader, const Entry& entry) {
  const auto* array = entry.node->as_array();
  if (array == nullptr) {
    reader.fail(
        *entry.node,
        "frequencies must be an array of counts (got " + std::string(type_name(*entry.node)) + ")",
        "the people seen exactly 1, 2, 3, ... times, e.g. frequencies = [1645, 183, 37]");
  }
  if (array->empty()) {
    reader.fail(*entry.node, "frequencies is empty",
                "give the people seen exactly 1, 2, 3, ... times, e.g. [1645, 183, 37]");
  }
  std::vector<double> frequencies;
  for (const toml::node& element : *array) {
    std::string subject(1, 'f');
    subject += std::to_string(frequencies.size() + 1);
    frequencies.push_back(read_count(reader, element, subject));
  }
  if (std::all_of(frequencies.begin(), frequencies.end(), [](double f) { return f == 0.0; })) {
    reader.fail(*entry.node, "frequencies counts nobody",
                "f1 is the number of people seen exactly once, f2 twice, and so on");
  }
  return frequencies;
}

/// Reads interval, level and resamples into `interval`.
void read_interval_settings(const Reader& reader, const std::vector<Entry>& entries,
                            estimators::IntervalSettings& interval) {
  if (const Entry* method = find_entry(entries, "interval")) {
    const std::string name =
        read_choice(reader, *method, estimators::interval_names(), "\"profile\"");
    interval.method = *estimators::find_interval(name);
  }
  if (const Entry* level = find_entry(entries, "level")) {
    const auto value = number_of(*level->node);
    if (!value) {
      reader.fail(*level->node,
                  "level must be a number (got " + std::string(type_name(*level->node)) + ")",
                  "e.g. level = 0.95");
    }
    if (!(*value > 0.0 && *value < 1.0)) {
      reader.fail(*level->node,
                  "level is " + core::shortest_decimal(*value) + ", but must lie in (0, 1)",
                  *value > 1.0 && *value < 100.0 ? "levels are fractions, not percentages: write " +
                                                       core::shortest_decimal(*value / 100.0)
                                                 : "e.g. level = 0.95");
    }
    interval.level = *value;
  }
  if (const Entry* resamples = find_entry(entries, "resamples")) {
    const std::int64_t value = reader.integer(*resamples, "2000");
    if (value < kMinResamples || value > kMaxResamples) {
      reader.fail(*resamples->node,
                  "resamples is " + std::to_string(value) + ", but must be between " +
                      std::to_string(kMinResamples) + " and " + grouped(kMaxResamples),
                  "the percentiles of a 95% interval need some thousands of resamples");
    }
    interval.resamples = static_cast<std::uint32_t>(value);
  }
}

std::string read_text(const Reader& reader, const std::vector<Entry>& entries, std::string_view key,
                      std::string_view example) {
  const Entry* entry = find_entry(entries, key);
  return entry == nullptr ? std::string() : reader.string(*entry, example);
}

CaptureData read_data_set(const Reader& reader, const Entry& entry, std::uint64_t seed,
                          std::vector<std::string>& warnings) {
  const std::string name = entry.name();
  const std::string table_name = "[capture_recapture." + name + "]";
  if (!expression::is_name(name)) {
    reader.fail(*entry.key, "data set name " + core::quoted(name) + " is not valid",
                "estimate(NAME) names it in formulas: letters, digits and '_', not starting with a "
                "digit");
  }
  const auto* table = entry.node->as_table();
  if (table == nullptr) {
    reader.fail(*entry.node,
                table_name + " must be a table (got " + std::string(type_name(*entry.node)) + ")",
                "each data set is a table of its own, headed " + table_name);
  }
  const std::vector<Entry> entries = reader.entries(*table);
  const Entry* frequencies = find_entry(entries, "frequencies");
  const Entry* lists = find_entry(entries, "lists");
  const Entry* histories = find_entry(entries, "histories");
  CaptureData data;
  data.name = name;
  data.where = reader.where(*entry.key);
  data.interval.seed = seed;
  data.interval.name = name;
  data.source = read_text(reader, entries, "source", "\"Ministry of Internal Affairs, 2024\"");
  data.note = read_text(reader, entries, "note", "\"matched on name and date of birth\"");
  const Entry* method = find_entry(entries, "method");
  const Entry* model = find_entry(entries, "model");
  // Where an estimate that does not exist is reported: the choice that can be changed.
  const toml::node* blamed = nullptr;

  if (frequencies != nullptr && (lists != nullptr || histories != nullptr)) {
    reader.fail(*frequencies->key,
                table_name + " has both frequencies (one register) and " +
                    (lists != nullptr ? "lists" : "histories") + " (several lists)",
                "put each kind of data in a data set of its own");
  }
  if (frequencies != nullptr) {
    reader.check_keys(*table, kRegisterKeys, "in " + table_name);
    data.frequencies = read_frequencies(reader, *frequencies);
    data.method = "chao";
    if (method != nullptr) {
      data.method = read_choice(reader, *method, estimators::register_method_names(), "\"chao\"");
    }
    data.register_method = *estimators::find_register_method(data.method);
    blamed = method != nullptr ? method->node : frequencies->node;
  } else {
    if (lists == nullptr || histories == nullptr) {
      reader.fail(*entry.key, table_name + " has no " + (lists == nullptr ? "lists" : "histories"),
                  "several lists: lists = [\"police\", \"crisis\"] and histories = { \"10\" = "
                  "412, \"01\" = 96, \"11\" = 38 }; one register: frequencies = [f1, f2, ...]");
    }
    reader.check_keys(*table, kListKeys, "in " + table_name);
    estimators::ListCounts counts;
    counts.lists = read_list_names(reader, *lists);
    counts.counts = read_histories(reader, *histories, counts.lists);
    data.method = "log-linear";
    if (method != nullptr) data.method = read_choice(reader, *method, kListMethods, "\"chapman\"");
    if (model != nullptr) data.list_settings.model = read_model(reader, *model, counts.lists);
    if (data.method != "log-linear") {
      if (counts.lists.size() != 2) {
        reader.fail(
            *method->node,
            data.method + " takes two lists, but there are " + std::to_string(counts.lists.size()),
            "log-linear models (method = \"log-linear\") take any number of lists");
      }
      if (data.list_settings.model && data.list_settings.model != estimators::independence()) {
        reader.fail(*model->node, data.method + " assumes the two lists are independent",
                    "leave model out, or write model = \"independence\"");
      }
      data.list_settings.model = estimators::independence();
      data.list_settings.chapman = data.method == "chapman";
    }
    if (const Entry* criterion = find_entry(entries, "criterion")) {
      const std::string chosen = read_choice(reader, *criterion, kCriteria, "\"bic\"");
      data.list_settings.criterion =
          chosen == "aic" ? estimators::Criterion::aic : estimators::Criterion::bic;
    }
    blamed = model != nullptr ? model->node : method != nullptr ? method->node : histories->node;
    data.lists = std::move(counts);
  }
  read_interval_settings(reader, entries, data.interval);
  if (const Entry* resamples = find_entry(entries, "resamples");
      resamples != nullptr && data.interval.method != IntervalMethod::bootstrap) {
    const core::SourceLocation where = reader.where(*resamples->key);
    warnings.push_back(location(where) + ": " + table_name +
                       ": resamples is used only with interval = \"bootstrap\"");
  }
  try {
    if (data.lists) {
      data.list_settings.interval = data.interval;
      data.estimate = estimators::estimate_lists(*data.lists, data.list_settings);
    } else {
      data.estimate =
          estimators::estimate_register(data.frequencies, data.register_method, data.interval);
    }
  } catch (const estimators::EstimationError& error) {
    reader.fail(*blamed, name + ": " + error.what(), error.hint());
  }
  for (const std::string& warning : data.estimate.warnings)
    warnings.push_back(location(data.where) + ": " + table_name + ": " + warning);
  return data;
}

}  // namespace

std::vector<CaptureData> read_capture_recapture(const Reader& reader, const Entry& section,
                                                std::uint64_t seed,
                                                std::vector<std::string>& warnings) {
  const toml::table& table = *section.node->as_table();
  if (table.empty()) {
    reader.fail(*section.key, "[capture_recapture] holds no data set",
                "each data set is a table, e.g. [capture_recapture.registers] with lists and "
                "histories");
  }
  std::vector<CaptureData> data;
  for (const Entry& entry : reader.entries(table))
    data.push_back(read_data_set(reader, entry, seed, warnings));
  return data;
}

std::variant<double, distributions::Distribution> sampling_distribution(const CaptureData& data) {
  const estimators::Estimate& estimate = data.estimate;
  if (estimate.method == IntervalMethod::bootstrap) {
    const auto infinite = std::count_if(estimate.resamples.begin(), estimate.resamples.end(),
                                        [](double total) { return std::isinf(total); });
    if (estimate.resamples.empty() || infinite > 0) {
      throw estimators::EstimationError(
          estimate.resamples.empty()
              ? "no bootstrap resample of " + data.name +
                    " has an estimate, so there is no "
                    "total to draw"
              : std::to_string(infinite) + " of the " + std::to_string(estimate.resamples.size()) +
                    " bootstrap totals of " + data.name +
                    " are infinite, so they cannot be drawn as a total",
          "lists that share more people give a finite total; interval = \"lognormal\" draws "
          "from the log-normal on the unseen count instead");
    }
    const std::vector<distributions::Argument> arguments{estimate.resamples};
    return distributions::Distribution::make("discrete", arguments);
  }
  const double unseen = estimate.fit.estimate - estimate.n_observed;
  if (!(unseen > 0.0)) return estimate.n_observed;
  const double sigma = std::sqrt(std::log1p(estimate.fit.se * estimate.fit.se / (unseen * unseen)));
  if (!(sigma > 0.0)) return estimate.fit.estimate;
  const std::vector<distributions::Argument> arguments{std::log(unseen), sigma,
                                                       estimate.n_observed};
  return distributions::Distribution::make("lognormal", arguments);
}

const CaptureData* find_data(std::span<const CaptureData> data, std::string_view name) {
  const auto found =
      std::find_if(data.begin(), data.end(), [&](const CaptureData& d) { return d.name == name; });
  return found == data.end() ? nullptr : &*found;
}

}  // namespace darkfigure::scenario::detail
