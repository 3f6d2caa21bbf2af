#include "darkfigure/analysis/analysis.hpp"

#include <unistd.h>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <ctime>
#include <exception>
#include <optional>
#include <span>
#include <vector>

#include <cmath>
#include <string>

#include "analysis/conditioning.hpp"
#include "analysis/figures.hpp"
#include "darkfigure/core/error.hpp"
#include "darkfigure/core/text.hpp"
#include "darkfigure/engine/engine.hpp"
#include "darkfigure/inference/resample.hpp"
#include "darkfigure/random/stream.hpp"
#include "darkfigure/report/draws_csv.hpp"
#include "darkfigure/report/number_format.hpp"
#include "darkfigure/summary/selection.hpp"
#include "darkfigure/summary/summary.hpp"
#include "darkfigure/summary/weighted.hpp"
#include "darkfigure/version.hpp"

namespace darkfigure::analysis {
namespace {

// Values per task when the stored columns are scanned for their order statistics.
constexpr std::size_t kScanChunk = std::size_t{1} << 20;

/// The levels whose quantiles a run computes: the requested ones, those that bound a display
/// histogram, and beside each those that give its standard error at effective sample size `ess`
/// (none when it is 0).
std::vector<double> extended_levels(std::span<const double> levels, double ess) {
  std::vector<double> wanted(levels.begin(), levels.end());
  wanted.push_back(detail::kDisplayLow);
  wanted.push_back(detail::kDisplayHigh);
  std::sort(wanted.begin(), wanted.end());
  wanted.erase(std::unique(wanted.begin(), wanted.end()), wanted.end());
  return ess > 0.0 ? summary::with_mcse_levels(wanted, ess) : wanted;
}

/// Each output's summary, with the standard errors of its quantiles, and its display histogram.
struct Summaries {
  std::vector<summary::Summary> summaries;
  std::vector<std::optional<report::DisplayHistogram>> histograms;
};

/// Summarises every output of a simulation, the stored columns with exact order statistics found
/// by a scan split into chunks over the pool.
Summaries summarise_all(engine::Simulation& simulation, std::span<const double> levels,
                        engine::ThreadPool& pool) {
  const std::size_t output_count = simulation.names.size();
  std::vector<std::vector<std::uint64_t>> ranks(output_count);
  std::vector<std::vector<summary::OrderStatistic>> order_statistics(output_count);
  std::vector<std::optional<summary::RankSelection>> selections(output_count);
  // Each output on its own worker: a stored column's selection sorts a sample to plan its scan.
  std::vector<std::vector<double>> extended(output_count);
  pool.parallel_for(output_count, [&](std::size_t k, unsigned) {
    const summary::Moments& moments = simulation.moments[k];
    extended[k] = extended_levels(levels, static_cast<double>(moments.count));
    ranks[k] = summary::quantile_ranks(moments.count, extended[k]);
    if (moments.zero_one()) {
      order_statistics[k] = summary::zero_one_order_statistics(moments, ranks[k]);
    } else if (simulation.histograms[k].has_value()) {
      order_statistics[k] =
          summary::binned_order_statistics(*simulation.histograms[k], moments, ranks[k]);
    } else {
      DARKFIGURE_CHECK(simulation.columns[k].size() == moments.count + moments.non_finite);
      selections[k].emplace(simulation.columns[k], moments, ranks[k]);
    }
  });

  // The scan tasks of output k are first_task[k] to first_task[k + 1] - 1, one per chunk.
  std::vector<std::size_t> first_task(output_count + 1, 0);
  for (std::size_t k = 0; k < output_count; ++k) {
    const std::size_t size = selections[k] ? simulation.columns[k].size() : 0;
    first_task[k + 1] = first_task[k] + (size + kScanChunk - 1) / kScanChunk;
  }
  std::vector<summary::RankSelection::Partial> partials(first_task[output_count]);
  std::vector<std::size_t> task_output(partials.size());
  for (std::size_t k = 0; k < output_count; ++k)
    std::fill(task_output.begin() + static_cast<std::ptrdiff_t>(first_task[k]),
              task_output.begin() + static_cast<std::ptrdiff_t>(first_task[k + 1]), k);
  pool.parallel_for(partials.size(), [&](std::size_t t, unsigned) {
    const std::size_t k = task_output[t];
    const std::span<const double> column = simulation.columns[k];
    const std::size_t first = (t - first_task[k]) * kScanChunk;
    partials[t] =
        selections[k]->scan(column.subspan(first, std::min(kScanChunk, column.size() - first)));
  });

  Summaries result;
  result.summaries.resize(output_count);
  result.histograms.resize(output_count);
  pool.parallel_for(output_count, [&](std::size_t k, unsigned) {
    const summary::Moments& moments = simulation.moments[k];
    if (selections[k].has_value()) {
      const std::span<summary::RankSelection::Partial> own(partials.data() + first_task[k],
                                                           first_task[k + 1] - first_task[k]);
      for (const double x : selections[k]->finish(own))
        order_statistics[k].push_back({x, x, x});
    }
    summary::Summary& summary = result.summaries[k];
    summary = summary::summarise(moments, extended[k], ranks[k], order_statistics[k]);
    summary.binned = simulation.histograms[k].has_value();
    if (!moments.zero_one()) {
      const double low = summary::quantile_at(summary, detail::kDisplayLow);
      const double high = summary::quantile_at(summary, detail::kDisplayHigh);
      result.histograms[k] = summary.binned
                                 ? detail::display_histogram(*simulation.histograms[k], low, high)
                                 : detail::display_histogram(simulation.columns[k], {}, low, high);
    }
    summary::take_quantile_mcse(summary, levels, static_cast<double>(moments.count));
    // The column is no longer needed: free it now rather than hold every output to the end.
    simulation.columns[k] = engine::Column();
  });
  return result;
}

/// The columns of a draws export: the random inputs in file order, then the outputs that are not
/// among them.
struct DrawsExport {
  std::vector<std::string> names;
  std::vector<std::size_t> slots;
};

DrawsExport draws_export(const scenario::Scenario& scenario) {
  DrawsExport result;
  for (std::size_t i = 0; i < scenario.inputs.size(); ++i) {
    if (!std::holds_alternative<distributions::Distribution>(scenario.inputs[i].value)) continue;
    result.names.push_back(scenario.inputs[i].name);
    result.slots.push_back(i);
  }
  for (const std::string& output : scenario.outputs) {
    if (std::find(result.names.begin(), result.names.end(), output) != result.names.end()) continue;
    result.names.push_back(output);
    result.slots.push_back(*scenario.slot_of(output));
  }
  return result;
}

/// A block sink that writes the exported columns of every block to `csv`.
engine::BlockSink draws_sink(report::DrawsCsv& csv, const DrawsExport& exported) {
  return [&csv, &exported](std::uint64_t block, std::uint64_t first_draw,
                           const expression::BlockColumns& columns, std::size_t count) {
    std::vector<std::span<const double>> spans;
    spans.reserve(exported.slots.size());
    for (const std::size_t slot : exported.slots)
      spans.emplace_back(columns.column(slot), count);
    csv.write_block(block, first_draw, spans);
  };
}

/// Each output's mcse_mean from the spread of the design's replicates, when it has them.
void use_replicate_errors(const engine::Simulation& simulation,
                          std::vector<summary::Summary>& summaries) {
  if (simulation.replicate_moments.empty()) return;
  for (std::size_t k = 0; k < summaries.size(); ++k)
    summaries[k].mcse_mean = summary::replicate_mcse(simulation.replicate_moments[k]);
}

/// An input as reports list it. An estimate(NAME) input takes its data set's source when it has
/// none of its own, and its note says what the estimate is and how the total is drawn.
report::InputRecord input_record(const scenario::Scenario& scenario, const scenario::Input& input) {
  report::InputRecord record{input.name, input.text, input.source, input.note};
  const auto data = std::find_if(
      scenario.capture_recapture.begin(), scenario.capture_recapture.end(),
      [&](const scenario::CaptureData& candidate) { return candidate.name == input.estimate; });
  if (input.estimate.empty() || data == scenario.capture_recapture.end()) return record;
  const estimators::Estimate& estimate = data->estimate;
  const auto people = report::display_people;
  const std::string description =
      "capture-recapture estimate " + people(estimate.fit.estimate) + " (" +
      core::shortest_decimal(100.0 * estimate.level) + "% " +
      std::string(estimators::interval_name(estimate.method)) + " interval " +
      people(estimate.lower) + "-" + people(estimate.upper) + ") of " + data->name + ", " +
      people(estimate.n_observed) + " people seen, model " + estimate.fit.model + "; drawn from " +
      (estimate.method == estimators::IntervalMethod::bootstrap ? "its bootstrap totals"
       : estimate.fit.estimate > estimate.n_observed ? "the log-normal on its unseen count"
                                                     : "nobody unseen: the number seen");
  if (record.source.empty()) record.source = data->source;
  record.note = record.note.empty() ? description : record.note + "; " + description;
  return record;
}

/// The effective sample size to reach: the command line's, else the scenario's, if any.
std::optional<double> min_ess_of(const scenario::Scenario& scenario, const RunOptions& options) {
  return options.min_ess ? options.min_ess : scenario.inference.min_ess;
}

/// The most draws min_ess may take: the command line's cap, else the scenario's, else 100 times
/// the draws; never fewer than the draws.
std::uint64_t draw_cap(const scenario::Scenario& scenario, const RunOptions& options,
                       std::uint64_t draws) {
  return std::max(draws,
                  options.max_draws.value_or(scenario.inference.max_draws.value_or(100 * draws)));
}

/// Fills the outputs of `result` from the simulation and its summaries, in scenario order.
void fill_outputs(const scenario::Scenario& scenario, const engine::Simulation& simulation,
                  Summaries& summaries, std::vector<std::vector<report::TracePoint>>& traces,
                  report::ScenarioResult& result) {
  result.outputs.resize(simulation.names.size());
  for (std::size_t k = 0; k < simulation.names.size(); ++k) {
    auto& output = result.outputs[k];
    const summary::Moments& moments = simulation.moments[k];
    output.name = simulation.names[k];
    output.first_non_finite = simulation.first_non_finite[k];
    // A truth value reads as a probability; so does an output whose draws take both values 0
    // and 1 and nothing else (if(...) and sums of indicators); a constant 0 or 1 stays a number.
    output.indicator = engine::is_truth_valued_output(scenario, output.name) ||
                       (moments.zero_one() && moments.zeros > 0 && moments.ones > 0);
    output.summary = std::move(summaries.summaries[k]);
    if (scenario.percent) {
      output.share = !output.indicator &&
                     std::find(scenario.percent->begin(), scenario.percent->end(), output.name) !=
                         scenario.percent->end();
    } else {
      output.share = !output.indicator && output.summary.count > 0 && output.summary.min >= 0.0 &&
                     output.summary.max <= 1.0;
    }
    if (!output.indicator) output.histogram = std::move(summaries.histograms[k]);
    output.trace = std::move(traces[k]);
  }
}

/// `draws` rounded up to whole blocks.
std::uint64_t whole_blocks(std::uint64_t draws) {
  return (draws + engine::kBlockSize - 1) / engine::kBlockSize * engine::kBlockSize;
}

/// The name of the stream that resampling draws from: no input can be called this, so it is
/// independent of every input's stream.
constexpr const char* kResampleStream = "[inference] resample";

/// Equally weighted draws taken from the weighted ones, summarised like an unconditioned run.
/// The resampled mean carries the importance sampling error and the resampling noise, at most
/// sd^2 / N for systematic and residual resampling (Douc, Cappe and Moulines 2005).
std::vector<summary::Summary> resampled_summaries(const engine::Simulation& simulation,
                                                  const std::vector<double>& weights,
                                                  const std::vector<summary::Summary>& weighted,
                                                  std::span<const double> levels,
                                                  const scenario::Scenario& scenario,
                                                  std::uint64_t seed, engine::ThreadPool& pool,
                                                  report::Resampling& resampling) {
  const std::uint64_t count = *scenario.inference.resample;
  random::Stream stream(random::StreamKey{seed, random::stream_id(scenario.name), 0,
                                          random::stream_id(kResampleStream)});
  const std::vector<std::uint64_t> indices =
      inference::resample(weights, count, scenario.inference.resample_method, stream);
  resampling.method = inference::resample_method_name(scenario.inference.resample_method);
  resampling.draws = count;
  resampling.unique = indices.empty() ? 0 : 1;
  for (std::size_t i = 1; i < indices.size(); ++i)
    resampling.unique += indices[i] != indices[i - 1];

  std::vector<summary::Summary> summaries(simulation.names.size());
  pool.parallel_for(summaries.size(), [&](std::size_t k, unsigned) {
    std::vector<double> values(indices.size());
    for (std::size_t i = 0; i < indices.size(); ++i)
      values[i] = simulation.columns[k][indices[i]];
    const auto draws = static_cast<double>(count);
    summaries[k] = summary::summarise(values, extended_levels(levels, draws));
    summary::take_quantile_mcse(summaries[k], levels, draws);
    const double noise = summaries[k].sd * summaries[k].sd / draws;
    summaries[k].mcse_mean = std::sqrt(weighted[k].mcse_mean * weighted[k].mcse_mean + noise);
    summaries[k].ess = weighted[k].ess;
    // The resampled quantiles carry the error of the weighted ones and the resampling noise, the
    // error of a quantile of `count` draws, independent of it.
    for (std::size_t i = 0; i < levels.size(); ++i) {
      summaries[k].quantile_mcse[i] =
          std::hypot(weighted[k].quantile_mcse[i], summaries[k].quantile_mcse[i]);
    }
  });
  return summaries;
}

/// The sentences a conditioned run must carry with its figures. `cap_reached` says whether a run
/// that stopped short of min_ess stopped at max_draws (else at the memory budget).
std::vector<std::string> conditioning_warnings(const report::Conditioning& conditioning,
                                               std::uint64_t draws, bool cap_reached) {
  std::vector<std::string> warnings;
  const std::string ess = report::display_count(static_cast<std::uint64_t>(conditioning.ess));
  if (conditioning.min_ess && conditioning.ess < *conditioning.min_ess) {
    const std::string target =
        report::display_count(static_cast<std::uint64_t>(std::ceil(*conditioning.min_ess)));
    const std::string why = cap_reached ? "the max_draws cap" : "the memory budget";
    const std::string what = cap_reached ? "raise max_draws (or --max-draws)"
                                         : "raise --memory (more draws would not fit)";
    warnings.push_back("the effective sample size is " + ess + " after " +
                       report::display_count(draws) + " draws (" + why + "), below min_ess " +
                       target + ": " + what +
                       ", or look at the observations' tail probabilities: a source far from "
                       "what the priors allow leaves few draws with weight");
  } else if (!conditioning.min_ess && conditioning.ess < analysis::kLowEss) {
    warnings.push_back("the effective sample size is only " + ess + " of " +
                       report::display_count(draws) +
                       " draws, so the intervals rest on few draws: set [inference] min_ess "
                       "(or --min-ess 10000) to add draws until it is reached");
  }
  for (const auto& observation : conditioning.observations) {
    if (observation.tail_probability < 0.05) {
      warnings.push_back("observation \"" + observation.name + "\" lies in the " +
                         report::display_percent(observation.tail_probability, 2) +
                         " two-sided tail of its prior predictive distribution: this source "
                         "and the model's priors disagree; check that they measure the same "
                         "thing (definition, population, period) before trusting the pooled "
                         "answer");
    }
    if (observation.invalid_draws > 0) {
      warnings.push_back("observation \"" + observation.name +
                         "\": the likelihood's parameters "
                         "were invalid in " +
                         report::display_count(observation.invalid_draws) +
                         " draws, which got weight 0; check " + observation.likelihood);
    }
  }
  for (const auto& prior : conditioning.priors) {
    if (prior.non_finite > 0) {
      warnings.push_back("prior on " + prior.on + ": " + report::display_count(prior.non_finite) +
                         " draws of it were NaN or infinite, or fell on a pole of its stated "
                         "or induced density, and got weight 0");
    }
  }
  return warnings;
}

/// Writes the draws of a weighed simulation with their normalised weights, block by block over
/// the pool. Each exported column is an output's stored column or a kept one.
void write_weighted_draws(const std::filesystem::path& path, const scenario::Scenario& scenario,
                          const DrawsExport& exported, const engine::Simulation& simulation,
                          const std::vector<double>& weights, engine::ThreadPool& pool) {
  std::vector<const engine::Column*> sources;
  for (const std::size_t slot : exported.slots) {
    const engine::Column* source = nullptr;
    for (std::size_t k = 0; k < scenario.outputs.size() && source == nullptr; ++k) {
      if (scenario.slot_of(scenario.outputs[k]) == slot) source = &simulation.columns[k];
    }
    for (std::size_t j = 0; j < simulation.kept_slots.size() && source == nullptr; ++j) {
      if (simulation.kept_slots[j] == slot) source = &simulation.kept[j];
    }
    DARKFIGURE_CHECK(source != nullptr);
    sources.push_back(source);
  }
  double total = 0.0;
  for (const double weight : weights)
    total += weight;
  std::vector<std::string> names = exported.names;
  names.emplace_back("weight");
  report::DrawsCsv csv(path, names);
  const std::uint64_t draws = simulation.draws;
  const std::uint64_t blocks = (draws + engine::kBlockSize - 1) / engine::kBlockSize;
  pool.parallel_for(static_cast<std::size_t>(blocks), [&](std::size_t block, unsigned) {
    const std::uint64_t first = block * engine::kBlockSize;
    const auto count =
        static_cast<std::size_t>(std::min<std::uint64_t>(engine::kBlockSize, draws - first));
    std::vector<double> normalised(count);
    for (std::size_t i = 0; i < count; ++i)
      normalised[i] = weights[first + i] / total;
    std::vector<std::span<const double>> spans;
    for (const engine::Column* source : sources)
      spans.emplace_back(source->data() + first, count);
    spans.emplace_back(normalised);
    csv.write_block(block, first, spans);
  });
  csv.commit();
}

/// Samples and weighs a conditioned scenario, then summarises the weighted draws.
void run_conditioned(const scenario::Scenario& scenario, const RunOptions& options,
                     engine::ThreadPool& pool, const engine::BlockProgress& progress,
                     std::span<const double> levels, report::ScenarioResult& result) {
  std::vector<std::size_t> slots = detail::conditioning_slots(scenario);
  // A draws export needs the random inputs besides the outputs, which are stored anyway.
  const DrawsExport exported = draws_export(scenario);
  if (options.save_draws) {
    for (const std::size_t slot : exported.slots) {
      const bool output =
          std::any_of(scenario.outputs.begin(), scenario.outputs.end(),
                      [&](const auto& name) { return scenario.slot_of(name) == slot; });
      if (!output && std::find(slots.begin(), slots.end(), slot) == slots.end())
        slots.push_back(slot);
    }
  }
  const bool designed = scenario.sampling.design != sampling::Design::mc;
  const std::optional<double> min_ess = min_ess_of(scenario, options);
  std::uint64_t draws = result.settings.draws;
  if (min_ess) draws = whole_blocks(draws);
  const std::uint64_t cap = draw_cap(scenario, options, draws);
  const std::uint64_t budget = result.settings.memory_budget;
  // The stored columns, and the columns that weighing works in: log-weights, weights, a
  // likelihood and a predictive column, the previous round's weights and, per prior, its
  // densities and the kernel density's sorted copy; summaries copy a column per worker.
  const std::size_t working = 6 + 4 * scenario.priors.size() + 2 * pool.size();
  const auto bytes = [&](std::uint64_t n) {
    return engine::column_bytes(scenario, n, engine::Storage::all_columns, slots.size() + working);
  };
  if (bytes(draws) > budget) {
    throw core::InputError(scenario.name + ": a conditioned run keeps every draw, and " +
                               report::display_count(draws) + " draws need " +
                               report::display_bytes(bytes(draws)) +
                               ", over the memory budget of " + report::display_bytes(budget),
                           std::nullopt, "raise --memory, or lower draws");
  }

  engine::Simulation simulation = engine::simulate(scenario, draws, result.settings.seed, pool,
                                                   engine::Storage::all_columns, progress, slots);
  detail::Weights weights = detail::weigh(scenario, simulation, pool);
  std::uint64_t rounds = 1;
  while (min_ess && weights.conditioning.ess < *min_ess && draws < cap) {
    // The effective sample size grows about in proportion to the draws; aim a little past the
    // target, at least doubling, so that few rounds are needed.
    const double factor =
        weights.conditioning.ess > 0.0 ? 1.2 * *min_ess / weights.conditioning.ess : 16.0;
    const auto wanted = static_cast<std::uint64_t>(
        std::ceil(static_cast<double>(draws) * std::clamp(factor, 2.0, 16.0)));
    const std::uint64_t next =
        std::min(cap, whole_blocks(std::max(wanted, draws + engine::kBlockSize)));
    // Extending copies the stored columns into longer ones: both live for a moment.
    const std::uint64_t stored =
        engine::column_bytes(scenario, draws, engine::Storage::all_columns, slots.size());
    if (bytes(next) + stored > budget) break;
    if (designed) {
      // A design's replicates span the run: more draws mean a new design of the larger size.
      simulation = engine::Simulation();
      simulation = engine::simulate(scenario, next, result.settings.seed, pool,
                                    engine::Storage::all_columns, progress, slots);
    } else {
      engine::extend(simulation, scenario, next, result.settings.seed, pool, progress);
    }
    draws = next;
    ++rounds;
    weights = detail::weigh(scenario, simulation, pool);
  }
  result.settings.draws = draws;

  report::Conditioning& conditioning = weights.conditioning;
  conditioning.min_ess = min_ess;
  conditioning.max_draws = cap;
  conditioning.rounds = rounds;
  const std::size_t output_count = simulation.names.size();
  Summaries summaries;
  summaries.summaries.resize(output_count);
  summaries.histograms.resize(output_count);
  std::vector<std::vector<report::TracePoint>> traces(output_count);
  std::vector<std::uint64_t> bounds;
  if (designed) {
    const sampling::Replicates replicates(draws, scenario.sampling.replicates);
    for (std::uint32_t r = 0; r <= replicates.count(); ++r)
      bounds.push_back(replicates.first(r));
  }
  pool.parallel_for(output_count, [&](std::size_t k, unsigned) {
    const engine::Column& column = simulation.columns[k];
    // The effective sample size of the draws this output's summary counts.
    double sum = 0.0;
    double squares = 0.0;
    for (std::size_t i = 0; i < column.size(); ++i) {
      const double w = weights.weights[i];
      if (w > 0.0 && std::isfinite(column[i])) {
        sum += w;
        squares += w * w;
      }
    }
    const double ess = squares > 0.0 ? sum * sum / squares : 0.0;
    summary::Summary& summary = summaries.summaries[k];
    summary = summary::summarise_weighted(column, weights.weights, extended_levels(levels, ess));
    if (designed) {
      summary.mcse_mean =
          summary::weighted_replicate_mcse(column, weights.weights, bounds, summary.mean);
    }
    summaries.histograms[k] = detail::display_histogram(
        column, weights.weights, summary::quantile_at(summary, detail::kDisplayLow),
        summary::quantile_at(summary, detail::kDisplayHigh));
    summary::take_quantile_mcse(summary, levels, ess);
    traces[k] = detail::weighted_trace(column, weights.weights, bounds);
  });
  if (scenario.inference.resample) {
    conditioning.resampling.emplace();
    summaries.summaries =
        resampled_summaries(simulation, weights.weights, summaries.summaries, levels, scenario,
                            result.settings.seed, pool, *conditioning.resampling);
  }
  const std::vector<std::string> warnings =
      conditioning_warnings(conditioning, draws, draws >= cap);
  result.warnings.insert(result.warnings.end(), warnings.begin(), warnings.end());
  if (options.save_draws) {
    write_weighted_draws(*options.save_draws, scenario, exported, simulation, weights.weights,
                         pool);
  }

  fill_outputs(scenario, simulation, summaries, traces, result);
  result.conditioning = std::move(conditioning);
}

/// An output reads as a share at every point of a sweep or at none, so that its rows compare.
void same_display_across_points(std::vector<report::ScenarioResult>& points) {
  for (std::size_t k = 0; k < points.front().outputs.size(); ++k) {
    const bool share = std::all_of(points.begin(), points.end(),
                                   [k](const auto& point) { return point.outputs[k].share; });
    for (auto& point : points)
      point.outputs[k].share = share;
  }
}

}  // namespace

std::vector<scenario::Scenario> load_all(std::span<const std::filesystem::path> files) {
  std::vector<scenario::Scenario> scenarios;
  scenarios.reserve(files.size());
  for (const auto& file : files)
    scenarios.push_back(scenario::load(file));
  return scenarios;
}

report::ScenarioResult run(const scenario::Scenario& file_scenario, const RunOptions& options,
                           engine::ThreadPool& pool, const engine::BlockProgress& progress) {
  DARKFIGURE_CHECK(!file_scenario.sweep.has_value());
  const auto start = std::chrono::steady_clock::now();
  std::optional<scenario::Scenario> overridden;
  if (options.design || options.replicates) {
    overridden = file_scenario;
    if (options.design) overridden->sampling.design = *options.design;
    if (options.replicates) overridden->sampling.replicates = *options.replicates;
  }
  const scenario::Scenario& scenario = overridden ? *overridden : file_scenario;
  report::ScenarioResult result;
  result.name = scenario.name;
  result.title = scenario.title;
  result.file = scenario.file;
  result.sha256 = scenario.sha256;
  result.source = scenario.source;
  result.sweep = scenario.point;
  result.settings.draws = options.draws.value_or(scenario.draws);
  result.settings.seed = options.seed.value_or(scenario.seed);
  result.settings.threads = pool.size();
  result.settings.design = sampling::design_name(scenario.sampling.design);
  if (scenario.sampling.design != sampling::Design::mc) {
    result.settings.replicates = scenario.sampling.replicates;
  }
  result.warnings = scenario.warnings;
  for (const auto& input : scenario.inputs)
    result.inputs.push_back(input_record(scenario, input));
  for (const auto& correlation : scenario.correlations) {
    result.correlations.push_back(
        {correlation.inputs, correlation.induced.spearman(), correlation.source, correlation.note});
  }

  const std::uint64_t budget = options.memory_budget.value_or(default_memory_budget());
  result.settings.memory_budget = budget;
  const std::vector<double>& levels = options.quantiles ? *options.quantiles : scenario.quantiles;
  if (scenario.conditioned()) {
    run_conditioned(scenario, options, pool, progress, levels, result);
    result.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return result;
  }
  // Unweighted draws: the effective sample size is the number of draws.
  if (const auto min_ess = min_ess_of(scenario, options)) {
    const auto needed = static_cast<std::uint64_t>(std::ceil(*min_ess));
    const std::uint64_t cap = draw_cap(scenario, options, result.settings.draws);
    result.settings.draws = std::max(result.settings.draws, std::min(needed, cap));
    if (result.settings.draws < needed) {
      result.warnings.push_back("min_ess " + report::display_count(needed) +
                                " is above the max_draws cap of " +
                                report::display_count(result.settings.draws) +
                                " draws: raise max_draws (or --max-draws)");
    }
  }
  const engine::Storage storage = engine::column_bytes(scenario, result.settings.draws) <= budget
                                      ? engine::Storage::columns
                                      : engine::Storage::histograms;
  result.settings.binned = storage == engine::Storage::histograms;
  std::optional<report::DrawsCsv> csv;
  const DrawsExport exported = draws_export(scenario);
  engine::BlockSink sink;
  if (options.save_draws) {
    csv.emplace(*options.save_draws, exported.names);
    sink = draws_sink(*csv, exported);
  }
  engine::Simulation simulation = engine::simulate(
      scenario, result.settings.draws, result.settings.seed, pool, storage, progress, {}, sink);

  Summaries summaries = summarise_all(simulation, levels, pool);
  use_replicate_errors(simulation, summaries.summaries);
  std::vector<std::vector<report::TracePoint>> traces(simulation.names.size());
  for (std::size_t k = 0; k < traces.size(); ++k) {
    traces[k] = simulation.replicate_moments.empty()
                    ? detail::checkpoint_trace(simulation.checkpoints, k, simulation.draws,
                                               simulation.moments[k])
                    : detail::replicate_trace(simulation.replicate_moments[k]);
  }
  fill_outputs(scenario, simulation, summaries, traces, result);
  if (csv) csv->commit();
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

std::vector<report::ScenarioResult> run_points(const scenario::Scenario& scenario,
                                               const RunOptions& options, engine::ThreadPool& pool,
                                               const engine::BlockProgress& progress) {
  const std::vector<scenario::Scenario> points = scenario::sweep_points(scenario);
  if (options.save_draws && points.size() > 1) {
    throw core::InputError("--save-draws writes the draws of one run, but the [sweep] of " +
                               scenario.name + " has " + std::to_string(points.size()) + " points",
                           std::nullopt,
                           "run one point on its own: copy the scenario with the swept inputs "
                           "fixed and no [sweep]");
  }
  std::vector<report::ScenarioResult> results(points.size());
  // Points run side by side, a thread each, when there are enough of them to keep every thread
  // busy and the stored draws of one point per thread fit the memory budget together. Each point
  // keeps the whole budget either way, so its storage (exact or binned quantiles) and its figures
  // do not depend on the pool's size. Weighted runs (and min_ess) grow as they go: one at a time.
  const std::uint64_t budget = options.memory_budget.value_or(default_memory_budget());
  const scenario::Scenario& first = points.front();
  const bool side_by_side =
      points.size() >= pool.size() && pool.size() > 1 && !first.conditioned() &&
      !min_ess_of(first, options) &&
      engine::column_bytes(first, options.draws.value_or(first.draws)) <= budget / pool.size();
  if (!side_by_side) {
    for (std::size_t p = 0; p < points.size(); ++p) {
      engine::BlockProgress within;
      if (progress) {
        within = [&, p](std::uint64_t finished, std::uint64_t total) {
          progress(p * total + finished, points.size() * total);
        };
      }
      results[p] = run(points[p], options, pool, within);
    }
    same_display_across_points(results);
    return results;
  }
  std::atomic<std::size_t> finished{0};
  // The error of the first failing point in order is the one reported, whatever ends first.
  std::vector<std::exception_ptr> errors(points.size());
  pool.parallel_for(points.size(), [&](std::size_t p, unsigned) {
    try {
      engine::ThreadPool single(1);
      results[p] = run(points[p], options, single);
    } catch (...) {
      errors[p] = std::current_exception();
    }
    if (progress) progress(finished.fetch_add(1) + 1, points.size());
  });
  for (const std::exception_ptr& error : errors) {
    if (error) std::rethrow_exception(error);
  }
  same_display_across_points(results);
  return results;
}

std::uint64_t default_memory_budget() {
  const long pages = ::sysconf(_SC_PHYS_PAGES);
  const long page_size = ::sysconf(_SC_PAGE_SIZE);
  if (pages <= 0 || page_size <= 0) return std::uint64_t{1} << 32;
  return static_cast<std::uint64_t>(pages) * static_cast<std::uint64_t>(page_size) / 2;
}

report::Provenance provenance() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char created[32];
  std::strftime(created, sizeof created, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return {kVersion, kGitCommit,
          "philox4x32-10; stream key (seed, scenario name, block of 4096 draws, input name)",
          created,
          "darkfigure samplers " + std::to_string(distributions::kSamplersVersion) +
              ": each family's own sampler under Monte Carlo, inverse cdfs under Latin hypercube "
              "and Sobol designs"};
}

}  // namespace darkfigure::analysis
