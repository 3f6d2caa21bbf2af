#include "darkfigure/analysis/analysis.hpp"

#include <unistd.h>
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <ctime>
#include <optional>
#include <span>
#include <vector>

#include "darkfigure/engine/engine.hpp"
#include "darkfigure/summary/selection.hpp"
#include "darkfigure/summary/summary.hpp"
#include "darkfigure/version.hpp"

namespace darkfigure::analysis {
namespace {

// Values per task when the stored columns are scanned for their order statistics.
constexpr std::size_t kScanChunk = std::size_t{1} << 20;

/// Summarises every output of a simulation, the stored columns with exact order statistics found
/// by a scan split into chunks over the pool.
std::vector<summary::Summary> summarise_all(engine::Simulation& simulation,
                                            std::span<const double> levels,
                                            engine::ThreadPool& pool) {
  const std::size_t output_count = simulation.names.size();
  std::vector<std::vector<std::uint64_t>> ranks(output_count);
  std::vector<std::vector<summary::OrderStatistic>> order_statistics(output_count);
  std::vector<std::optional<summary::RankSelection>> selections(output_count);
  // Each output on its own worker: a stored column's selection sorts a sample to plan its scan.
  pool.parallel_for(output_count, [&](std::size_t k, unsigned) {
    const summary::Moments& moments = simulation.moments[k];
    ranks[k] = summary::quantile_ranks(moments.count, levels);
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

  std::vector<summary::Summary> summaries(output_count);
  pool.parallel_for(output_count, [&](std::size_t k, unsigned) {
    if (selections[k].has_value()) {
      const std::span<summary::RankSelection::Partial> own(partials.data() + first_task[k],
                                                           first_task[k + 1] - first_task[k]);
      for (const double x : selections[k]->finish(own))
        order_statistics[k].push_back({x, x, x});
      // The column is no longer needed: free it now rather than hold every output to the end.
      simulation.columns[k] = engine::Column();
    }
    summaries[k] = summary::summarise(simulation.moments[k], levels, ranks[k], order_statistics[k]);
    summaries[k].binned = simulation.histograms[k].has_value();
  });
  return summaries;
}

report::InputRecord input_record(const scenario::Input& input) {
  return {input.name, input.text, input.source, input.note};
}

}  // namespace

std::vector<scenario::Scenario> load_all(std::span<const std::filesystem::path> files) {
  std::vector<scenario::Scenario> scenarios;
  scenarios.reserve(files.size());
  for (const auto& file : files)
    scenarios.push_back(scenario::load(file));
  return scenarios;
}

report::ScenarioResult run(const scenario::Scenario& scenario, const RunOptions& options,
                           engine::ThreadPool& pool, const engine::BlockProgress& progress) {
  const auto start = std::chrono::steady_clock::now();
  report::ScenarioResult result;
  result.name = scenario.name;
  result.title = scenario.title;
  result.file = scenario.file;
  result.source = scenario.source;
  result.settings.draws = options.draws.value_or(scenario.draws);
  result.settings.seed = options.seed.value_or(scenario.seed);
  result.settings.threads = pool.size();
  for (const auto& input : scenario.inputs)
    result.inputs.push_back(input_record(input));

  const std::uint64_t budget = options.memory_budget.value_or(default_memory_budget());
  const engine::Storage storage = engine::column_bytes(scenario, result.settings.draws) <= budget
                                      ? engine::Storage::columns
                                      : engine::Storage::histograms;
  result.settings.memory_budget = budget;
  result.settings.binned = storage == engine::Storage::histograms;
  engine::Simulation simulation = engine::simulate(scenario, result.settings.draws,
                                                   result.settings.seed, pool, storage, progress);
  const std::vector<double>& levels = options.quantiles ? *options.quantiles : scenario.quantiles;

  std::vector<summary::Summary> summaries = summarise_all(simulation, levels, pool);
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
    output.summary = std::move(summaries[k]);
  }
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
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
          created};
}

}  // namespace darkfigure::analysis
