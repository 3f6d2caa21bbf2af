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
  /// Effective sample size to reach by adding blocks of draws (overrides [inference] min_ess).
  std::optional<double> min_ess;
  /// Cap on the draws while reaching min_ess (overrides [inference] max_draws).
  std::optional<std::uint64_t> max_draws;
  /// The sampling design and its replicates (override [sampling]).
  std::optional<sampling::Design> design;
  std::optional<std::uint32_t> replicates;
  /// Where to write every draw's random inputs, outputs and (conditioned runs) normalised weight
  /// as CSV (report::DrawsCsv).
  std::optional<std::filesystem::path> save_draws;
};

/// Below this effective sample size a conditioned run warns even when no min_ess was asked for:
/// a 95% interval would rest on about 25 effective draws in each tail.
inline constexpr double kLowEss = 1000.0;

/// Half the machine's physical memory: the default memory budget.
std::uint64_t default_memory_budget();

/// Loads and checks every scenario file before any is run, so a bad file stops the whole
/// invocation before anything is sampled or written. Throws core::InputError.
std::vector<scenario::Scenario> load_all(std::span<const std::filesystem::path> files);

/// Samples a scenario and summarises every output, with exact quantiles of the stored draws when
/// they fit the memory budget and binned ones (with their error bound) when not. The summaries
/// are computed in parallel, in pieces that do not depend on the pool's size.
///
/// A conditioned scenario ([[observe]], [[prior]]) keeps every draw and weighs it
/// (detail::weigh); its summaries are weighted, or taken from equally weighted draws resampled
/// with their own random stream when [inference] resample asks for them. With min_ess, whole
/// blocks are added (the same sequence of draws a larger run would make) until the effective
/// sample size reaches it or max_draws is hit. Throws core::InputError when the draws would not
/// fit the memory budget or no draw keeps a positive weight.
/// Under a Latin hypercube or Sobol design, each mcse_mean comes from the spread of the
/// replicates (summary::replicate_mcse, summary::weighted_replicate_mcse); a conditioned run
/// that needs more draws for min_ess samples the design anew at the larger size. With
/// options.save_draws, every draw is written as the run goes (weighted runs: once weighed); the
/// file appears only when the run succeeds.
/// The result's outputs depend only on the scenario and the options, not on the pool's size.
/// The scenario must have no [sweep]: run_points() runs each of its points.
report::ScenarioResult run(const scenario::Scenario& scenario, const RunOptions& options,
                           engine::ThreadPool& pool, const engine::BlockProgress& progress = {});

/// Runs each point of the scenario's [sweep] (scenario::sweep_points) as run() does, or the
/// scenario itself when it has none; the results are in the order of the points. Points run side
/// by side, one thread each, when there are at least as many as threads, the scenario is not
/// conditioned and one point's stored draws per thread fit the memory budget together; else one
/// after another, each over the whole pool. Each point is given the whole budget either way, so
/// its figures are bit-identical for any pool size (settings.threads says what it ran on).
/// Throws core::InputError for options.save_draws with more than one point, and rethrows the
/// error of the first failing point in order.
std::vector<report::ScenarioResult> run_points(const scenario::Scenario& scenario,
                                               const RunOptions& options, engine::ThreadPool& pool,
                                               const engine::BlockProgress& progress = {});

/// The version, build commit, generator and time of this run.
report::Provenance provenance();

}  // namespace darkfigure::analysis
