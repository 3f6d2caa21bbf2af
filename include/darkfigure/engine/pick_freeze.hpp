#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "darkfigure/engine/engine.hpp"
#include "darkfigure/engine/thread_pool.hpp"
#include "darkfigure/scenario/scenario.hpp"

namespace darkfigure::engine {

/// The model's values at the draws of a Saltelli design (Saltelli et al. 2010): two independent
/// samples A and B of the random inputs, each `base_draws` draws, and for each varied input i the
/// sample A_B^i, A with input i's column taken from B.
struct PickFreeze {
  std::uint64_t base_draws = 0;
  std::vector<std::size_t> varied;  ///< indices in scenario.inputs, as asked for
  /// Per output (in the order asked for) and sample: f(A), f(B), then f(A_B^i) for each varied
  /// input; base_draws values each.
  std::vector<std::vector<Column>> values;
  /// Per output: values over all its samples that are NaN or infinite.
  std::vector<std::uint64_t> non_finite;

  /// Model evaluations in all: base_draws times (2 + varied inputs).
  std::uint64_t evaluations() const noexcept { return base_draws * (2 + varied.size()); }
};

/// Evaluates the scenario's program at the draws of a Saltelli design, block by block of base
/// draws: A is exactly the first `base_draws` draws that simulate() makes with `seed` (under any
/// design), and B has streams of its own (Monte Carlo) or the next dimensions of the design, so
/// that A and B together form one Latin hypercube or Sobol design. Each block of base draws runs
/// the program 2 + varied.size() times, on columns that differ only in the varied input. The
/// values depend only on the scenario, `base_draws` and `seed`, not on the pool's size.
/// The scenario must have no [correlation] (Sobol indices need independent inputs), and each
/// varied input must be a distribution; `outputs` are program slots.
PickFreeze pick_freeze(const scenario::Scenario& scenario, std::uint64_t base_draws,
                       std::uint64_t seed, ThreadPool& pool, std::span<const std::size_t> varied,
                       std::span<const std::size_t> outputs, const BlockProgress& progress = {});

}  // namespace darkfigure::engine
