#include "darkfigure/analysis/sensitivity.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <chrono>
#include <cmath>
#include <span>
#include <string>
#include <utility>
#include <variant>

#include "analysis/conditioning.hpp"
#include "darkfigure/analysis/analysis.hpp"
#include "darkfigure/core/error.hpp"
#include "darkfigure/core/text.hpp"
#include "darkfigure/engine/pick_freeze.hpp"
#include "darkfigure/inference/resample.hpp"
#include "darkfigure/random/stream.hpp"
#include "darkfigure/report/number_format.hpp"
#include "darkfigure/sensitivity/regression.hpp"
#include "darkfigure/sensitivity/sobol_indices.hpp"
#include "darkfigure/summary/moments.hpp"

namespace darkfigure::analysis {
namespace {

using core::InputError;

/// The fewest draws a study accepts: fewer leave nothing to estimate a spread from.
constexpr std::uint64_t kMinDraws = 10;

std::string method_label(SensitivityMethod method) {
  return std::string(report::sensitivity_method_label(method_name(method)));
}

std::vector<std::string> input_names(const scenario::Scenario& scenario) {
  std::vector<std::string> names;
  for (const scenario::Input& input : scenario.inputs)
    names.push_back(input.name);
  return names;
}

const scenario::Derived* find_derived(const scenario::Scenario& scenario, std::string_view name) {
  for (const scenario::Derived& derived : scenario.derived) {
    if (derived.name == name) return &derived;
  }
  return nullptr;
}

/// The outputs to study: the one asked for, or every output that is a numeric derived quantity.
std::vector<std::string> studied_outputs(const scenario::Scenario& scenario,
                                         const SensitivityOptions& options) {
  const std::string what = scenario.name + ": " + method_label(options.method);
  if (options.output) {
    const std::string& name = *options.output;
    const scenario::Derived* derived = find_derived(scenario, name);
    if (derived == nullptr) {
      for (const scenario::Input& input : scenario.inputs) {
        if (input.name != name) continue;
        throw InputError(what + ": --output " + name + " is an input, not a derived quantity",
                         input.where,
                         "an input's uncertainty is its own: name a quantity of [derived]");
      }
      std::vector<std::string> candidates;
      for (const scenario::Derived& candidate : scenario.derived)
        candidates.push_back(candidate.name);
      const auto nearest = core::nearest_spelling(name, candidates);
      throw InputError(what + ": --output " + name + " is not a quantity of the scenario",
                       std::nullopt,
                       nearest ? "did you mean " + *nearest + "?"
                               : "name a quantity of [derived]; darkfigure check lists them");
    }
    if (engine::is_truth_valued_output(scenario, name)) {
      throw InputError(what + ": --output " + name + " is a truth value (0 or 1), not a number",
                       derived->where,
                       "study the quantity it compares, e.g. the left-hand side of the "
                       "comparison, as its own [derived] entry");
    }
    return {name};
  }
  std::vector<std::string> outputs;
  for (const std::string& name : scenario.outputs) {
    if (find_derived(scenario, name) != nullptr && !engine::is_truth_valued_output(scenario, name))
      outputs.push_back(name);
  }
  if (outputs.empty()) {
    throw InputError(what + ": the scenario has no numeric derived output to study", std::nullopt,
                     "name one with --output; truth values (0 or 1) and inputs are left out");
  }
  return outputs;
}

/// Whether each quantity of the scenario (by program slot) depends on a random input.
std::vector<bool> random_dependence(const scenario::Scenario& scenario) {
  std::vector<bool> random(scenario.program.slot_count(), false);
  for (std::size_t i = 0; i < scenario.inputs.size(); ++i)
    random[i] = std::holds_alternative<distributions::Distribution>(scenario.inputs[i].value);
  // Derived quantities come in dependency order: each one's uses are settled before it.
  for (const scenario::Derived& derived : scenario.derived) {
    const std::size_t slot = *scenario.slot_of(derived.name);
    for (const std::string& use : derived.depends_on)
      random[slot] = random[slot] || random[*scenario.slot_of(use)];
  }
  return random;
}

/// The outputs that vary at this point, and a note on those left out because the [sweep] fixed
/// every random input they depend on. A named output that does not vary is an error.
std::vector<std::string> varying_outputs(const scenario::Scenario& point,
                                         const std::vector<std::string>& outputs,
                                         const SensitivityOptions& options,
                                         std::vector<std::string>& notes) {
  const std::vector<bool> random = random_dependence(point);
  std::vector<std::string> varying;
  for (const std::string& output : outputs) {
    if (random[*point.slot_of(output)]) {
      varying.push_back(output);
      continue;
    }
    const std::string why =
        point.point.empty() ? "" : ", once the [sweep] fixes " + report::display_point(point.point);
    if (options.output) {
      throw InputError(
          point.name + ": " + method_label(options.method) + ": " + output +
              " depends on no random input" + why + ", so there is no uncertainty to apportion",
          find_derived(point, output)->where, "study a quantity that depends on a distribution");
    }
    notes.push_back(output + " is left out: it depends on no random input" + why);
  }
  if (varying.empty()) {
    throw InputError(
        point.name + ": " + method_label(options.method) + ": no output depends on a random input" +
            (point.point.empty() ? ""
                                 : " at the [sweep] point " + report::display_point(point.point)),
        std::nullopt, "give the inputs the outputs use a distribution");
  }
  return varying;
}

/// The inputs to study (indices in point.inputs): the ones asked for, or every random input at
/// this point. `sweep` is the scenario's, to point at it when a named input is swept.
std::vector<std::size_t> studied_inputs(const scenario::Scenario& point,
                                        const SensitivityOptions& options,
                                        const std::optional<scenario::Sweep>& sweep) {
  const std::string what = point.name + ": " + method_label(options.method);
  std::vector<std::size_t> studied;
  if (!options.inputs) {
    for (std::size_t i = 0; i < point.inputs.size(); ++i) {
      if (std::holds_alternative<distributions::Distribution>(point.inputs[i].value))
        studied.push_back(i);
    }
    if (studied.empty()) {
      throw InputError(what + ": every input is fixed, so there is no uncertainty to apportion",
                       std::nullopt, "give at least one input a distribution");
    }
    return studied;
  }
  const std::vector<std::string> names = input_names(point);
  for (const std::string& name : *options.inputs) {
    const auto at = std::find(names.begin(), names.end(), name);
    if (at == names.end()) {
      if (find_derived(point, name) != nullptr) {
        throw InputError(what + ": --inputs names " + name + ", a derived quantity", std::nullopt,
                         "list inputs of [inputs]: a derived quantity follows from them");
      }
      const auto nearest = core::nearest_spelling(name, names);
      throw InputError(what + ": --inputs names " + name + ", which is not an input", std::nullopt,
                       nearest ? "did you mean " + *nearest + "?"
                               : "list inputs of [inputs]; darkfigure check lists them");
    }
    const auto index = static_cast<std::size_t>(at - names.begin());
    const scenario::Input& input = point.inputs[index];
    if (sweep) {
      for (const scenario::SweptInput& swept : sweep->inputs) {
        if (swept.name != name) continue;
        throw InputError(what + ": " + name +
                             " is fixed at every point of the [sweep], so it "
                             "has no spread to study",
                         swept.where,
                         "leave " + name + " out of --inputs, or out of [sweep] to study it");
      }
    }
    if (const double* fixed = std::get_if<double>(&input.value)) {
      throw InputError(what + ": " + name + " is fixed at " + core::shortest_decimal(*fixed) +
                           ", so it has no spread to study",
                       input.where,
                       "a study apportions the uncertainty of random inputs: give " + name +
                           " a distribution, or leave it out of --inputs");
    }
    if (std::find(studied.begin(), studied.end(), index) != studied.end()) {
      throw InputError(what + ": --inputs names " + name + " twice");
    }
    studied.push_back(index);
  }
  return studied;
}

/// Throws unless every value of the output is finite and the output varies.
void check_values(const scenario::Scenario& scenario, const std::string& output,
                  std::uint64_t non_finite, std::uint64_t count, double variance,
                  const std::string& what) {
  const scenario::Derived* derived = find_derived(scenario, output);
  const std::optional<core::SourceLocation> where =
      derived ? std::optional(derived->where) : std::nullopt;
  if (non_finite > 0) {
    throw InputError(what + ": " + output + " is NaN or infinite in " +
                         report::display_count(non_finite) + " of " + report::display_count(count) +
                         " evaluations, and a study needs every "
                         "value finite",
                     where,
                     "darkfigure run reports the inputs of the first such draw: guard the "
                     "formula (e.g. max(x, 1e-9) in a denominator) or narrow the input's range");
  }
  if (!(variance > 0.0)) {
    throw InputError(what + ": " + output +
                         " does not vary over the draws, so there is no "
                         "uncertainty to apportion",
                     where, "does it depend on any random input?");
  }
}

report::SensitivityResult result_for(const scenario::Scenario& point, const std::string& output,
                                     SensitivityMethod method, std::uint64_t draws,
                                     std::uint64_t seed, const engine::ThreadPool& pool) {
  report::SensitivityResult result;
  result.scenario = point.name;
  result.file = point.file;
  result.sweep = point.point;
  result.output = output;
  result.method = std::string(method_name(method));
  result.draws = draws;
  result.seed = seed;
  result.design = std::string(sampling::design_name(point.sampling.design));
  result.threads = pool.size();
  result.warnings = point.warnings;
  return result;
}

report::InputSensitivity input_entry(const scenario::Input& input) {
  report::InputSensitivity entry;
  entry.name = input.name;
  entry.text = input.text;
  return entry;
}

std::uint64_t memory_budget(const SensitivityOptions& options) {
  return options.memory_budget.value_or(default_memory_budget());
}

void check_memory(std::uint64_t bytes, const SensitivityOptions& options, const std::string& what,
                  const std::string& hint) {
  const std::uint64_t budget = memory_budget(options);
  if (bytes <= budget) return;
  throw InputError(what + " needs " + report::display_bytes(bytes) +
                       " for its stored values, over the memory budget of " +
                       report::display_bytes(budget),
                   std::nullopt, hint);
}

std::vector<report::SensitivityResult> sobol_study(const scenario::Scenario& point,
                                                   const std::vector<std::string>& outputs,
                                                   const std::vector<std::size_t>& inputs,
                                                   const SensitivityOptions& options,
                                                   engine::ThreadPool& pool,
                                                   const engine::BlockProgress& progress) {
  const std::string what = point.name + ": " + method_label(SensitivityMethod::sobol);
  const std::string hint_other =
      "use --method src or prcc (regression on the draws) or tornado, which allow it";
  if (point.conditioned()) {
    const core::SourceLocation& where =
        point.observations.empty() ? point.priors.front().where : point.observations.front().where;
    throw InputError(what +
                         " apportion the variance of independent inputs drawn from their "
                         "stated distributions, but the scenario is conditioned on data, which "
                         "makes its inputs dependent",
                     where, hint_other);
  }
  if (!point.correlations.empty()) {
    throw InputError(what + " need independent inputs, but [correlation] correlates " +
                         point.correlations.front().inputs.front() + " with " +
                         point.correlations.front().inputs[1],
                     point.correlations.front().where, hint_other);
  }
  const std::uint64_t base = options.draws.value_or(point.draws);
  const std::uint64_t seed = options.seed.value_or(point.seed);
  // The model's values, and what each bootstrap at work keeps besides: centred copies of f(A)
  // and f(B), the differences in tiles of four inputs, and the resample's draws and weights.
  const std::uint64_t values_bytes = base * (2 + inputs.size()) * outputs.size() * sizeof(double);
  const std::uint64_t bootstrap_bytes =
      std::min<std::uint64_t>(outputs.size(), pool.size()) * base *
      ((4 + 4 * ((inputs.size() + 3) / 4)) * sizeof(double) + sizeof(std::uint32_t));
  check_memory(values_bytes + bootstrap_bytes, options, what,
               "lower --draws, or study one output (--output) or fewer inputs (--inputs)");
  std::vector<std::size_t> slots;
  for (const std::string& output : outputs)
    slots.push_back(*point.slot_of(output));
  const engine::PickFreeze values =
      engine::pick_freeze(point, base, seed, pool, inputs, slots, progress);

  std::vector<report::SensitivityResult> results;
  for (std::size_t k = 0; k < outputs.size(); ++k) {
    summary::Moments moments = summary::Moments::of(values.values[k][0]);
    moments.append(summary::Moments::of(values.values[k][1]));
    check_values(point, outputs[k], values.non_finite[k], values.evaluations(), moments.variance(),
                 what);
    results.push_back(result_for(point, outputs[k], SensitivityMethod::sobol, base, seed, pool));
    results.back().evaluations = values.evaluations();
  }
  // The bootstraps of the outputs are independent: one task each.
  pool.parallel_for(outputs.size(), [&](std::size_t k, unsigned) {
    sensitivity::PickFreeze columns{values.values[k][0], values.values[k][1], {}};
    for (std::size_t v = 0; v < inputs.size(); ++v)
      columns.ab.emplace_back(values.values[k][2 + v]);
    sensitivity::Bootstrap bootstrap;
    bootstrap.resamples = options.bootstrap;
    bootstrap.level = options.level;
    bootstrap.key = {seed, random::stream_id(point.name), 0,
                     random::stream_id("[bootstrap] " + outputs[k])};
    const sensitivity::SobolIndices indices = sensitivity::sobol_indices(columns, bootstrap);
    report::SensitivityResult& result = results[k];
    result.bootstrap = options.bootstrap;
    result.level = options.level;
    result.variance = indices.variance;
    std::vector<std::string> names;
    for (std::size_t v = 0; v < inputs.size(); ++v) {
      report::InputSensitivity entry = input_entry(point.inputs[inputs[v]]);
      const sensitivity::SobolIndex& index = indices.inputs[v];
      entry.first = index.first;
      entry.total = index.total;
      entry.first_ci = {index.first_ci.lower, index.first_ci.upper};
      entry.total_ci = {index.total_ci.lower, index.total_ci.upper};
      result.inputs.push_back(std::move(entry));
      names.push_back(point.inputs[inputs[v]].name);
    }
    for (std::string& warning : sensitivity::sobol_warnings(indices, names))
      result.warnings.push_back(std::move(warning));
    std::stable_sort(result.inputs.begin(), result.inputs.end(),
                     [](const auto& a, const auto& b) { return a.total > b.total; });
  });
  if (point.sampling.design == sampling::Design::sobol && (base & (base - 1)) != 0) {
    for (report::SensitivityResult& result : results) {
      result.warnings.push_back("the base sample of " + report::display_count(base) +
                                " draws is not a power of two, which a Sobol design balances "
                                "best: use --draws " +
                                std::to_string(std::bit_floor(base)) + " or " +
                                std::to_string(std::bit_ceil(base)));
    }
  }
  return results;
}

/// The draws a regression works on: the studied inputs' columns and each output's, equally
/// weighted (a conditioned scenario's draws resampled by their weights).
struct RegressionDraws {
  std::vector<std::vector<double>> inputs;
  std::vector<std::vector<double>> outputs;
  std::vector<std::uint64_t> non_finite;  ///< per output
  std::optional<double> ess;              ///< a conditioned scenario's effective sample size
};

RegressionDraws regression_draws(const scenario::Scenario& point,
                                 const std::vector<std::string>& outputs,
                                 const std::vector<std::size_t>& inputs, std::uint64_t draws,
                                 std::uint64_t seed, const SensitivityOptions& options,
                                 engine::ThreadPool& pool, const engine::BlockProgress& progress,
                                 const std::string& what) {
  scenario::Scenario study = point;
  study.outputs = outputs;
  std::vector<std::size_t> kept = detail::conditioning_slots(study);
  const std::size_t first_input = kept.size();
  kept.insert(kept.end(), inputs.begin(), inputs.end());
  const engine::Storage storage =
      study.conditioned() ? engine::Storage::all_columns : engine::Storage::columns;
  check_memory(engine::column_bytes(study, draws, storage, kept.size() + inputs.size() + 1) +
                   (study.conditioned() ? 8 * draws * sizeof(double) : 0),
               options, what, "lower --draws, or study one output (--output)");
  const engine::Simulation simulation =
      engine::simulate(study, draws, seed, pool, storage, progress, kept);

  RegressionDraws result;
  result.non_finite = simulation.non_finite;
  std::vector<std::uint64_t> rows;
  if (study.conditioned()) {
    const detail::Weights weights = detail::weigh(study, simulation, pool);
    result.ess = weights.conditioning.ess;
    random::Stream stream(random::StreamKey{seed, random::stream_id(study.name), 0,
                                            random::stream_id("[sensitivity resample]")});
    rows =
        inference::resample(weights.weights, draws, inference::ResampleMethod::systematic, stream);
  }
  const auto gather = [&](const engine::Column& column) {
    if (rows.empty()) return std::vector<double>(column.begin(), column.end());
    std::vector<double> values;
    values.reserve(rows.size());
    for (const std::uint64_t row : rows)
      values.push_back(column[static_cast<std::size_t>(row)]);
    return values;
  };
  for (std::size_t v = 0; v < inputs.size(); ++v)
    result.inputs.push_back(gather(simulation.kept[first_input + v]));
  for (std::size_t k = 0; k < outputs.size(); ++k) {
    result.outputs.push_back(gather(simulation.columns[k]));
    if (!rows.empty()) {
      result.non_finite[k] = static_cast<std::uint64_t>(
          std::count_if(result.outputs[k].begin(), result.outputs[k].end(),
                        [](double x) { return !std::isfinite(x); }));
    }
  }
  return result;
}

std::vector<report::SensitivityResult> regression_study(const scenario::Scenario& point,
                                                        const std::vector<std::string>& outputs,
                                                        const std::vector<std::size_t>& inputs,
                                                        const SensitivityOptions& options,
                                                        engine::ThreadPool& pool,
                                                        const engine::BlockProgress& progress) {
  const bool ranks = options.method == SensitivityMethod::prcc;
  const std::string what = point.name + ": " + method_label(options.method);
  const std::uint64_t draws = options.draws.value_or(point.draws);
  const std::uint64_t seed = options.seed.value_or(point.seed);
  if (draws < inputs.size() + kMinDraws) {
    throw InputError(what + " of " + std::to_string(inputs.size()) + " inputs need at least " +
                         std::to_string(inputs.size() + kMinDraws) + " draws, but draws is " +
                         std::to_string(draws),
                     std::nullopt, "raise --draws");
  }
  const RegressionDraws values =
      regression_draws(point, outputs, inputs, draws, seed, options, pool, progress, what);
  for (std::size_t k = 0; k < outputs.size(); ++k) {
    check_values(point, outputs[k], values.non_finite[k], values.outputs[k].size(),
                 summary::Moments::of(values.outputs[k]).variance(), what);
  }
  // Partial rank correlations work on ranks: each column is ranked once, in parallel, and shared
  // by the fits of every output.
  std::vector<std::vector<double>> ranked(ranks ? inputs.size() + outputs.size() : 0);
  pool.parallel_for(ranked.size(), [&](std::size_t c, unsigned) {
    ranked[c] = sensitivity::ranks(c < inputs.size() ? values.inputs[c]
                                                     : values.outputs[c - inputs.size()]);
  });
  const auto& input_columns = ranks ? ranked : values.inputs;
  const std::vector<std::span<const double>> columns(input_columns.begin(),
                                                     input_columns.begin() + inputs.size());
  // The fits of the outputs are independent: one task each. A collinear input is reported for the
  // first output in order that finds it, whatever task ends first.
  std::vector<sensitivity::LinearSummary> fits(outputs.size());
  std::vector<std::optional<std::size_t>> collinear(outputs.size());
  pool.parallel_for(outputs.size(), [&](std::size_t k, unsigned) {
    try {
      fits[k] = ranks ? sensitivity::partial_correlation(columns, ranked[inputs.size() + k])
                      : sensitivity::standardised_regression(columns, values.outputs[k]);
    } catch (const sensitivity::Collinear& error) {
      collinear[k] = error.input();
    }
  });
  for (const std::optional<std::size_t>& found : collinear) {
    if (!found) continue;
    const scenario::Input& input = point.inputs[inputs[*found]];
    const bool constant = !(summary::Moments::of(values.inputs[*found]).variance() > 0.0);
    std::string hint = "leave it out of --inputs";
    if (values.ess) {
      hint = "the posterior rests on an effective sample size of " +
             report::display_number(*values.ess, 3) +
             ", so the resampled draws repeat a few draws: raise --draws";
    } else if (!constant && !point.correlations.empty()) {
      hint += ", or weaken the [correlation] that ties it to the others";
    }
    throw InputError(what + ": " + input.name + " is " +
                         (constant ? "constant over the draws"
                                   : "a linear function of the other inputs over the draws") +
                         ", so its coefficient is not defined",
                     input.where, hint);
  }
  std::vector<report::SensitivityResult> results;
  for (std::size_t k = 0; k < outputs.size(); ++k) {
    report::SensitivityResult result =
        result_for(point, outputs[k], options.method, draws, seed, pool);
    result.evaluations = draws;
    result.r_squared = fits[k].r_squared;
    for (std::size_t v = 0; v < inputs.size(); ++v) {
      report::InputSensitivity entry = input_entry(point.inputs[inputs[v]]);
      entry.coefficient = fits[k].coefficients[v];
      result.inputs.push_back(std::move(entry));
    }
    std::stable_sort(result.inputs.begin(), result.inputs.end(), [](const auto& a, const auto& b) {
      return std::abs(a.coefficient) > std::abs(b.coefficient);
    });
    if (values.ess) {
      result.warnings.push_back(
          "the coefficients describe the posterior: " + report::display_count(draws) +
          " draws resampled by their weights, worth an effective sample "
          "size of " +
          report::display_number(*values.ess, 3));
      const double wanted = point.inference.min_ess.value_or(kLowEss);
      if (*values.ess < wanted) {
        result.warnings.push_back(
            "an effective sample size of " + report::display_number(*values.ess, 3) + " is below " +
            report::display_count(static_cast<std::uint64_t>(wanted)) +
            (point.inference.min_ess ? " ([inference] min_ess)" : "") +
            ": the coefficients are rough; raise --draws, since a study samples --draws and does "
            "not add draws for min_ess");
      }
    }
    results.push_back(std::move(result));
  }
  return results;
}

std::vector<report::SensitivityResult> tornado_study(const scenario::Scenario& point,
                                                     const std::vector<std::string>& outputs,
                                                     const std::vector<std::size_t>& inputs,
                                                     const SensitivityOptions& options,
                                                     engine::ThreadPool& pool,
                                                     const engine::BlockProgress& progress) {
  const std::string what = point.name + ": " + method_label(SensitivityMethod::tornado);
  scenario::Scenario study = point;
  study.outputs = outputs;
  RunOptions run_options;
  run_options.draws = options.draws;
  run_options.seed = options.seed;
  run_options.quantiles = std::vector<double>{options.quantile};
  run_options.memory_budget = options.memory_budget;

  // The baseline, then each input at its 10th and 90th percentile: the points of a
  // one-at-a-time sweep.
  scenario::Sweep held;
  held.grid = scenario::SweepGrid::one_at_a_time;
  for (const std::size_t i : inputs) {
    const auto& distribution = std::get<distributions::Distribution>(study.inputs[i].value);
    scenario::SweptInput& swept = held.inputs.emplace_back();
    swept.name = study.inputs[i].name;
    swept.input = i;
    swept.values = {distribution.quantile(kTornadoLow), distribution.quantile(kTornadoHigh)};
    swept.where = study.inputs[i].where;
  }
  const report::ScenarioResult baseline = run(study, run_options, pool, progress);
  study.sweep = std::move(held);
  const std::vector<report::ScenarioResult> runs = run_points(study, run_options, pool);

  std::uint64_t evaluations = baseline.settings.draws;
  for (const report::ScenarioResult& held_run : runs)
    evaluations += held_run.settings.draws;
  std::vector<report::SensitivityResult> results;
  for (std::size_t k = 0; k < outputs.size(); ++k) {
    const summary::Summary& summary = baseline.outputs[k].summary;
    check_values(point, outputs[k], summary.non_finite, summary.count + summary.non_finite,
                 summary.sd * summary.sd, what);
    report::SensitivityResult result =
        result_for(point, outputs[k], SensitivityMethod::tornado,
                   options.draws.value_or(point.draws), baseline.settings.seed, pool);
    result.evaluations = evaluations;
    result.quantile = options.quantile;
    result.baseline = summary.quantiles[0];
    result.warnings = baseline.warnings;
    const auto add_warning = [&](const std::string& warning) {
      if (std::find(result.warnings.begin(), result.warnings.end(), warning) ==
          result.warnings.end())
        result.warnings.push_back(warning);
    };
    for (std::size_t v = 0; v < inputs.size(); ++v) {
      const report::ScenarioResult& low = runs[2 * v];
      const report::ScenarioResult& high = runs[2 * v + 1];
      const scenario::Input& input = point.inputs[inputs[v]];
      report::InputSensitivity entry = input_entry(input);
      // The held input is the last of the run's point (after any [sweep] of the scenario's own).
      entry.low_input = low.sweep.back().second;
      entry.high_input = high.sweep.back().second;
      entry.low = low.outputs[k].summary.quantiles[0];
      entry.high = high.outputs[k].summary.quantiles[0];
      entry.swing = std::abs(entry.high - entry.low);
      if (entry.low_input == entry.high_input) {
        add_warning(input.name + ": its 10th and 90th percentiles are both " +
                    core::shortest_decimal(entry.low_input) +
                    ", so the tornado shows no swing for it whatever its effect; Sobol indices "
                    "(--method sobol) measure it");
      }
      // What the held runs warn of (a low effective sample size, say) is said with the run.
      for (const report::ScenarioResult* held_run : {&low, &high}) {
        const std::string run_name = "with " + input.name + " held at " +
                                     core::shortest_decimal(held_run->sweep.back().second);
        for (const std::string& warning : held_run->warnings) {
          if (std::find(baseline.warnings.begin(), baseline.warnings.end(), warning) ==
              baseline.warnings.end())
            add_warning(run_name + ": " + warning);
        }
      }
      result.inputs.push_back(std::move(entry));
    }
    std::stable_sort(result.inputs.begin(), result.inputs.end(),
                     [](const auto& a, const auto& b) { return a.swing > b.swing; });
    results.push_back(std::move(result));
  }
  return results;
}

}  // namespace

std::vector<report::SensitivityResult> sensitivity(const scenario::Scenario& file_scenario,
                                                   const SensitivityOptions& options,
                                                   engine::ThreadPool& pool,
                                                   const engine::BlockProgress& progress) {
  DARKFIGURE_CHECK(options.quantile > 0.0 && options.quantile < 1.0 && options.level > 0.0 &&
                   options.level < 1.0 && options.bootstrap >= 1);
  scenario::Scenario scenario = file_scenario;
  if (options.design) scenario.sampling.design = *options.design;
  if (options.replicates) scenario.sampling.replicates = *options.replicates;
  const std::vector<std::string> outputs = studied_outputs(scenario, options);
  const std::uint64_t draws = options.draws.value_or(scenario.draws);
  if (draws < kMinDraws) {
    throw InputError(scenario.name + ": " + method_label(options.method) + " need at least " +
                         std::to_string(kMinDraws) + " draws, but draws is " +
                         std::to_string(draws),
                     std::nullopt, "raise --draws");
  }

  std::vector<report::SensitivityResult> results;
  for (const scenario::Scenario& point : scenario::sweep_points(scenario)) {
    const auto start = std::chrono::steady_clock::now();
    const std::vector<std::size_t> inputs = studied_inputs(point, options, scenario.sweep);
    std::vector<std::string> notes;
    const std::vector<std::string> varying = varying_outputs(point, outputs, options, notes);
    std::vector<report::SensitivityResult> found;
    switch (options.method) {
      case SensitivityMethod::sobol:
        found = sobol_study(point, varying, inputs, options, pool, progress);
        break;
      case SensitivityMethod::src:
      case SensitivityMethod::prcc:
        found = regression_study(point, varying, inputs, options, pool, progress);
        break;
      case SensitivityMethod::tornado:
        found = tornado_study(point, varying, inputs, options, pool, progress);
        break;
    }
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    for (report::SensitivityResult& result : found) {
      result.seconds = seconds;
      result.warnings.insert(result.warnings.end(), notes.begin(), notes.end());
      results.push_back(std::move(result));
    }
  }
  return results;
}

std::vector<SensitivityOptions> scenario_studies(const scenario::Scenario& scenario,
                                                 const RunOptions& run) {
  std::vector<SensitivityOptions> studies;
  if (!scenario.sensitivity) return studies;
  const scenario::SensitivityStudy& table = *scenario.sensitivity;
  SensitivityOptions common;
  common.draws = table.draws ? table.draws : run.draws;
  common.seed = run.seed;
  common.design = run.design;
  common.replicates = run.replicates;
  common.memory_budget = run.memory_budget;
  if (table.bootstrap) common.bootstrap = *table.bootstrap;
  if (table.quantile) common.quantile = *table.quantile;
  if (!table.inputs.empty()) common.inputs = table.inputs;
  for (const SensitivityMethod method : table.methods) {
    SensitivityOptions study = common;
    study.method = method;
    if (table.outputs.empty()) {
      studies.push_back(study);
      continue;
    }
    for (const std::string& output : table.outputs) {
      study.output = output;
      studies.push_back(study);
    }
  }
  return studies;
}

}  // namespace darkfigure::analysis
