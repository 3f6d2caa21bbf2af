#include "darkfigure/analysis/analysis.hpp"

#include <unistd.h>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <iterator>
#include <string_view>

#include "darkfigure/engine/engine.hpp"
#include "darkfigure/summary/summary.hpp"
#include "darkfigure/version.hpp"

namespace darkfigure::analysis {
namespace {

/// Every output's draws are stored for exact quantiles: refuse a run that cannot fit in physical
/// memory with a clear message, instead of failing an allocation (or being killed) midway.
void check_memory(std::uint64_t draws, std::size_t outputs) {
  const double needed = double(draws) * double(outputs) * sizeof(double);
  const double physical = double(::sysconf(_SC_PHYS_PAGES)) * double(::sysconf(_SC_PAGE_SIZE));
  if (physical > 0 && needed > 0.8 * physical) {
    char text[160];
    std::snprintf(text, sizeof text,
                  "%llu draws of %zu outputs need %.1f GiB to store, but this machine has %.1f GiB",
                  static_cast<unsigned long long>(draws), outputs, needed / 0x1p30,
                  physical / 0x1p30);
    throw core::InputError(text, std::nullopt, "run fewer draws or summarise fewer outputs");
  }
}

/// An output reads as a probability when its formula is a truth value, or when its draws take
/// both values 0 and 1 and nothing else (if(...) and sums of indicators); a constant 0 or 1 stays
/// a number.
bool is_indicator(const scenario::Scenario& scenario, const std::string& name,
                  std::span<const double> values) {
  for (const auto& derived : scenario.derived) {
    if (derived.name == name && expression::is_truth_valued(derived.tree)) return true;
  }
  bool zero = false;
  bool one = false;
  for (const double v : values) {
    if (v == 0.0) {
      zero = true;
    } else if (v == 1.0) {
      one = true;
    } else if (std::isfinite(v)) {
      return false;
    }
  }
  return zero && one;
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

  check_memory(result.settings.draws, scenario.outputs.size());
  engine::Simulation simulation =
      engine::simulate(scenario, result.settings.draws, result.settings.seed, pool, progress);
  const std::vector<double>& levels = options.quantiles ? *options.quantiles : scenario.quantiles;

  result.outputs.resize(simulation.names.size());
  pool.parallel_for(simulation.names.size(), [&](std::size_t k, unsigned) {
    auto& output = result.outputs[k];
    auto& column = simulation.columns[k];
    output.name = simulation.names[k];
    output.first_non_finite = simulation.first_non_finite[k];
    output.indicator = is_indicator(scenario, output.name, column);
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
