#include "scenario/sweep.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <variant>

#include "darkfigure/core/text.hpp"
#include "scenario/names.hpp"

namespace darkfigure::scenario::detail {
namespace {

const std::string kExample = "crisis_uptake = [0.02, 0.04, 0.065, 0.10]";

std::string location(const core::SourceLocation& where) {
  return where.file + ":" + std::to_string(where.line) + ":" + std::to_string(where.column);
}

SweepGrid read_grid(const Reader& reader, const Entry& entry) {
  const std::string text = reader.string(entry, "\"one-at-a-time\"");
  if (text == "full") return SweepGrid::full;
  if (text == "one-at-a-time") return SweepGrid::one_at_a_time;
  const std::vector<std::string> grids = {"full", "one-at-a-time"};
  reader.fail(*entry.node, "[sweep]: unknown grid \"" + text + "\"",
              did_you_mean(text, grids,
                           "grid is \"full\" (every combination of the values) or "
                           "\"one-at-a-time\" (each input alone)"));
}

/// The input an entry of [sweep] names, after checking that it may be swept.
std::size_t swept_input(const Reader& reader, const Entry& entry, const Scenario& scenario) {
  const std::string name = entry.name();
  const std::optional<std::size_t> slot = scenario.slot_of(name);
  if (!slot || *slot >= scenario.inputs.size()) {
    if (slot) {
      reader.fail(*entry.key, "[sweep]: " + name + " is a derived quantity, but must be an input",
                  "a derived quantity follows from its formula: sweep the inputs it uses");
    }
    std::vector<std::string> names;
    for (const Input& candidate : scenario.inputs)
      names.push_back(candidate.name);
    reader.fail(*entry.key, "[sweep]: unknown input \"" + name + "\"",
                did_you_mean(name, names, "[sweep] fixes inputs of [inputs] at listed values"));
  }
  for (const Prior& prior : scenario.priors) {
    if (prior.on != name) continue;
    reader.fail(*entry.key,
                "[sweep]: " + name + " is pooled by the [[prior]] on line " +
                    std::to_string(prior.where.line) + ", so it cannot be fixed",
                "a fixed input has no distribution for Bayesian melding to pool; sweep another "
                "input or drop the [[prior]]");
  }
  return *slot;
}

std::vector<double> read_values(const Reader& reader, const Entry& entry) {
  const std::string name = entry.name();
  const auto* array = entry.node->as_array();
  if (array == nullptr) {
    reader.fail(*entry.node,
                "[sweep]: " + name + " must be an array of values (got " +
                    std::string(type_name(*entry.node)) + ")",
                "list the values to fix the input at, e.g. " + kExample);
  }
  if (array->empty()) {
    reader.fail(*entry.node, "[sweep]: " + name + " lists no value",
                "list the values to fix the input at, e.g. " + kExample);
  }
  std::vector<double> values;
  for (const toml::node& element : *array) {
    const std::optional<double> value = number_of(element);
    if (!value) {
      reader.fail(
          element,
          "[sweep]: " + name + " must hold numbers (got " + std::string(type_name(element)) + ")",
          "e.g. " + kExample);
    }
    if (!std::isfinite(*value)) {
      reader.fail(element, "[sweep]: " + name + " lists " + core::shortest_decimal(*value) +
                               ", but each value must be a finite number");
    }
    if (std::find(values.begin(), values.end(), *value) != values.end()) {
      reader.fail(element,
                  "[sweep]: " + name + " lists " + core::shortest_decimal(*value) + " twice",
                  "each value is a point of the sweep: list it once");
    }
    values.push_back(*value);
  }
  return values;
}

/// "beta(4, 16) gives 1.5 no probability": the warning for a value outside the input's support.
void warn_outside_support(SweptInput& swept, const Input& input, Scenario& scenario) {
  swept.warnings.assign(swept.values.size(), "");
  const auto* distribution = std::get_if<distributions::Distribution>(&input.value);
  if (distribution == nullptr) return;
  for (std::size_t v = 0; v < swept.values.size(); ++v) {
    if (distribution->log_pdf(swept.values[v]) != -INFINITY) continue;
    swept.warnings[v] = location(swept.where) + ": [sweep]: " + swept.name + " = " +
                        core::shortest_decimal(swept.values[v]) + " lies outside the support of " +
                        input.text +
                        ", which gives it no probability: that point is a what-if beyond the "
                        "stated evidence";
    scenario.warnings.push_back(swept.warnings[v]);
  }
}

/// Where point_count() stops counting: a full grid of many inputs would overflow any integer.
constexpr std::int64_t kCountCap = 1'000'000'000'000'000'000;

/// The number of points `sweep` makes on `grid`, at most kCountCap.
std::int64_t point_count(const Sweep& sweep, SweepGrid grid) {
  std::int64_t count = grid == SweepGrid::full ? 1 : 0;
  for (const SweptInput& input : sweep.inputs) {
    const auto size = static_cast<std::int64_t>(input.values.size());
    if (grid == SweepGrid::full) {
      count = count > kCountCap / size ? kCountCap : count * size;
    } else {
      count = std::min(count + size, kCountCap);
    }
  }
  return count;
}

}  // namespace

Sweep read_sweep(const Reader& reader, const Entry& section, Scenario& scenario) {
  Sweep sweep;
  for (const Entry& entry : reader.entries(*section.node->as_table())) {
    // An input may be called grid: an array is its values, anything else the grid setting.
    if (entry.name() == "grid" && (!entry.node->is_array() || !scenario.slot_of("grid"))) {
      sweep.grid = read_grid(reader, entry);
      continue;
    }
    const std::size_t input = swept_input(reader, entry, scenario);
    SweptInput& swept = sweep.inputs.emplace_back();
    swept.name = entry.name();
    swept.input = input;
    swept.values = read_values(reader, entry);
    swept.where = reader.where(*entry.key);
    warn_outside_support(swept, scenario.inputs[input], scenario);
  }
  if (sweep.inputs.empty()) {
    reader.fail(*section.node, "[sweep] names no input",
                "list each input to sweep with its values, e.g. " + kExample);
  }
  const std::int64_t count = point_count(sweep, sweep.grid);
  if (count > static_cast<std::int64_t>(kMaxSweepPoints)) {
    const std::int64_t one_at_a_time = point_count(sweep, SweepGrid::one_at_a_time);
    std::string hint = "sweep fewer values";
    if (sweep.grid == SweepGrid::full &&
        one_at_a_time <= static_cast<std::int64_t>(kMaxSweepPoints)) {
      hint +=
          ", or use grid = \"one-at-a-time\", which makes " + grouped(one_at_a_time) + " points";
    }
    reader.fail(*section.node,
                "[sweep] makes " + std::string(count == kCountCap ? "at least " : "") +
                    grouped(count) + " points, but may make at most " + grouped(kMaxSweepPoints),
                std::move(hint));
  }
  return sweep;
}

}  // namespace darkfigure::scenario::detail

namespace darkfigure::scenario {
namespace {

/// `base` (the scenario without its sweep) with each (swept input, value) of `point`, as indices
/// into `sweep`, fixed and out of its correlation block.
Scenario fixed_at(const Scenario& base, const Sweep& sweep,
                  const std::vector<std::pair<std::size_t, std::size_t>>& point) {
  Scenario result = base;
  for (const auto& [swept_index, value_index] : point) {
    const SweptInput& swept = sweep.inputs[swept_index];
    const double value = swept.values[value_index];
    Input& fixed = result.inputs[swept.input];
    fixed.value = value;
    fixed.text = core::shortest_decimal(value);
    result.point.emplace_back(fixed.name, value);
    if (value_index < swept.warnings.size() && !swept.warnings[value_index].empty())
      result.warnings.push_back(swept.warnings[value_index]);
  }
  std::vector<Correlation> kept;
  for (Correlation& correlation : result.correlations) {
    std::vector<std::size_t> stay;
    for (std::size_t j = 0; j < correlation.slots.size(); ++j) {
      const bool swept = std::any_of(point.begin(), point.end(), [&](const auto& entry) {
        return sweep.inputs[entry.first].input == correlation.slots[j];
      });
      if (!swept) stay.push_back(j);
    }
    if (stay.size() < 2) continue;
    if (stay.size() < correlation.slots.size()) {
      const std::size_t k = correlation.slots.size();
      std::vector<double> matrix;
      for (const std::size_t row : stay) {
        for (const std::size_t column : stay)
          matrix.push_back(correlation.induced.spearman()[row * k + column]);
      }
      Correlation smaller = correlation;
      smaller.inputs.clear();
      smaller.slots.clear();
      for (const std::size_t j : stay) {
        smaller.inputs.push_back(correlation.inputs[j]);
        smaller.slots.push_back(correlation.slots[j]);
      }
      smaller.induced = sampling::RankCorrelation::make(std::move(matrix), stay.size());
      kept.push_back(std::move(smaller));
    } else {
      kept.push_back(std::move(correlation));
    }
  }
  result.correlations = std::move(kept);
  return result;
}

}  // namespace

std::vector<Scenario> sweep_points(const Scenario& scenario) {
  if (!scenario.sweep.has_value()) return {scenario};
  const Sweep& sweep = *scenario.sweep;
  const std::vector<SweptInput>& inputs = sweep.inputs;
  // Copied once, not per point: a sweep of many values is large.
  Scenario base = scenario;
  base.sweep.reset();
  // The warnings about swept values belong to the points that have them.
  std::erase_if(base.warnings, [&](const std::string& warning) {
    return std::any_of(inputs.begin(), inputs.end(), [&](const SweptInput& swept) {
      return std::find(swept.warnings.begin(), swept.warnings.end(), warning) !=
             swept.warnings.end();
    });
  });
  std::vector<Scenario> points;
  if (scenario.sweep->grid == SweepGrid::one_at_a_time) {
    for (std::size_t j = 0; j < inputs.size(); ++j) {
      for (std::size_t v = 0; v < inputs[j].values.size(); ++v)
        points.push_back(fixed_at(base, sweep, {{j, v}}));
    }
    return points;
  }
  // Counts through the grid like an odometer, the last input turning fastest.
  std::vector<std::size_t> index(inputs.size(), 0);
  while (true) {
    std::vector<std::pair<std::size_t, std::size_t>> point;
    for (std::size_t j = 0; j < inputs.size(); ++j)
      point.emplace_back(j, index[j]);
    points.push_back(fixed_at(base, sweep, point));
    std::size_t j = inputs.size();
    while (j > 0 && ++index[j - 1] == inputs[j - 1].values.size())
      index[--j] = 0;
    if (j == 0) return points;
  }
}

}  // namespace darkfigure::scenario
