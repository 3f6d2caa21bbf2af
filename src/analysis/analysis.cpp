#include "darkfigure/analysis/analysis.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <ctime>

#include "darkfigure/engine/engine.hpp"
#include "darkfigure/summary/summary.hpp"
#include "darkfigure/version.hpp"

namespace darkfigure::analysis {
namespace {

bool is_indicator(std::span<const double> values, std::uint64_t finite) {
  if (finite == 0) return false;
  return std::all_of(values.begin(), values.end(),
                     [](double v) { return v == 0.0 || v == 1.0 || !std::isfinite(v); });
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

  engine::Simulation simulation =
      engine::simulate(scenario, result.settings.draws, result.settings.seed, pool, progress);
  const std::vector<double>& levels = options.quantiles ? *options.quantiles : scenario.quantiles;

  result.outputs.resize(simulation.names.size());
  pool.parallel_for(simulation.names.size(), [&](std::size_t k, unsigned) {
    auto& output = result.outputs[k];
    auto& column = simulation.columns[k];
    output.name = simulation.names[k];
    output.first_non_finite = simulation.first_non_finite[k];
    output.indicator = is_indicator(column, column.size() - simulation.non_finite[k]);
    output.summary = summary::summarise(column, levels);
    // The column is no longer needed: free it now rather than hold every output to the end.
    std::vector<double>().swap(column);
  });
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
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
