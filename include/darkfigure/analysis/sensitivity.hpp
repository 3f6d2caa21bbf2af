#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "darkfigure/analysis/analysis.hpp"
#include "darkfigure/engine/engine.hpp"
#include "darkfigure/engine/thread_pool.hpp"
#include "darkfigure/report/sensitivity_result.hpp"
#include "darkfigure/sampling/design.hpp"
#include "darkfigure/scenario/scenario.hpp"

namespace darkfigure::analysis {

using scenario::find_method;
using scenario::method_name;
using scenario::SensitivityMethod;

/// The percentiles of an input that a tornado holds it at.
inline constexpr double kTornadoLow = 0.1;
inline constexpr double kTornadoHigh = 0.9;

/// How to run a sensitivity study; a set value overrides what the scenario file says.
struct SensitivityOptions {
  SensitivityMethod method = SensitivityMethod::sobol;
  /// The output to study; unset: every output of the scenario that is not a truth value.
  std::optional<std::string> output;
  /// The inputs to study; unset: every random input.
  std::optional<std::vector<std::string>> inputs;
  /// The base sample of a Sobol study, the draws regressed by src and prcc, the draws of each run
  /// of a tornado; unset: the scenario's draws.
  std::optional<std::uint64_t> draws;
  std::optional<std::uint64_t> seed;
  std::optional<sampling::Design> design;
  std::optional<std::uint32_t> replicates;
  double quantile = 0.5;           ///< tornado: the output's quantile of interest, in (0, 1)
  std::uint32_t bootstrap = 1000;  ///< sobol: bootstrap resamples of the intervals
  double level = 0.95;             ///< sobol: level of the intervals
  std::optional<std::uint64_t> memory_budget;  ///< bytes; unset: half the physical memory
};

/// Studies how the scenario's output(s) depend on its inputs, one result per sweep point
/// (scenario::sweep_points) and output, in that order.
///
/// - sobol: engine::pick_freeze at a base sample N gives f(A), f(B) and f(A_B^i) for each studied
///   input, N (k + 2) model evaluations; sensitivity::sobol_indices turns them into indices with
///   bootstrap intervals, and sensitivity::sobol_warnings says when they are too noisy to rank.
/// - src, prcc: a run of N draws keeping the inputs; sensitivity::standardised_regression or
///   partial_rank_correlation of the output on the studied inputs, with R^2. A conditioned
///   scenario is first resampled to N equally weighted draws (systematic), so the coefficients
///   describe the posterior.
/// - tornado: a run with every input as stated (the baseline), then two runs per studied input
///   with it fixed at its 10th and 90th percentile (common random numbers: the same seed), each
///   giving the output's `quantile`; conditioned scenarios are conditioned in every run.
///
/// Throws core::InputError, naming the file and the thing at fault, for: an unknown or derived
/// input or output, a fixed input (it has no spread to study), a truth-valued (0/1) or constant
/// output, an output with NaN or infinite values, Sobol indices of a conditioned scenario or of
/// correlated inputs (they assume independent inputs drawn from their stated distributions),
/// collinear inputs for src and prcc, and draws that do not fit the memory budget.
std::vector<report::SensitivityResult> sensitivity(const scenario::Scenario& scenario,
                                                   const SensitivityOptions& options,
                                                   engine::ThreadPool& pool,
                                                   const engine::BlockProgress& progress = {});

/// The studies of a scenario's [sensitivity] table, one per method and (listed) output, in that
/// order: the table's draws, bootstrap and quantile, else the run's draws; the run's seed,
/// design, replicates and memory budget. None without the table.
std::vector<SensitivityOptions> scenario_studies(const scenario::Scenario& scenario,
                                                 const RunOptions& run);

}  // namespace darkfigure::analysis
