#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <vector>

#include "darkfigure/engine/engine.hpp"
#include "darkfigure/engine/thread_pool.hpp"
#include "darkfigure/report/result.hpp"
#include "darkfigure/scenario/scenario.hpp"

namespace darkfigure::analysis {

/// How to run scenarios; a set value overrides what the scenario file says.
struct RunOptions {
  std::optional<std::uint64_t> draws;
  std::optional<std::uint64_t> seed;
  std::optional<std::vector<double>> quantiles;  ///< checked levels, ascending
  unsigned threads = 0;                          ///< 0: one per hardware thread
  /// Bytes the stored draws of one scenario may take; a run that needs more keeps histograms
  /// instead (summary::Histogram). Unset: half the physical memory.
  std::optional<std::uint64_t> memory_budget;
};

/// Half the machine's physical memory: the default memory budget.
std::uint64_t default_memory_budget();

/// Loads and checks every scenario file before any is run, so a bad file stops the whole
/// invocation before anything is sampled or written. Throws core::InputError.
std::vector<scenario::Scenario> load_all(std::span<const std::filesystem::path> files);

/// Samples a scenario and summarises every output, with exact quantiles of the stored draws when
/// they fit the memory budget and binned ones (with their error bound) when not. The summaries
/// are computed in parallel, in pieces that do not depend on the pool's size.
/// The result's outputs depend only on the scenario and the options, not on the pool's size.
report::ScenarioResult run(const scenario::Scenario& scenario, const RunOptions& options,
                           engine::ThreadPool& pool, const engine::BlockProgress& progress = {});

/// The version, build commit, generator and time of this run.
report::Provenance provenance();

}  // namespace darkfigure::analysis
