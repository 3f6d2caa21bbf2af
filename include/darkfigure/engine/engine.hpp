#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "darkfigure/engine/thread_pool.hpp"
#include "darkfigure/scenario/scenario.hpp"

namespace darkfigure::engine {

/// Draws per block. Part of the reproducibility contract: random streams are keyed by block, so
/// changing it changes the draws (but never the dependence on the thread count).
inline constexpr std::size_t kBlockSize = 4096;

/// Where the first non-finite value of an output came from.
struct NonFiniteExample {
  std::uint64_t draw = 0;                              ///< 0-based index of the first such draw
  double value = 0.0;                                  ///< NaN, inf or -inf
  std::vector<std::pair<std::string, double>> inputs;  ///< every input's value in that draw
};

/// The stored draws of a scenario's outputs.
struct Simulation {
  std::vector<std::string> names;            ///< scenario.outputs
  std::vector<std::vector<double>> columns;  ///< columns[k][draw] for output k
  std::vector<std::uint64_t> non_finite;     ///< per output: draws that are NaN or infinite
  std::vector<std::optional<NonFiniteExample>> first_non_finite;  ///< per output
};

/// Called after each finished block with the number of blocks finished so far and the total.
/// It runs on the worker that finished the block, so it must be thread-safe and cheap.
using BlockProgress = std::function<void(std::uint64_t finished, std::uint64_t total)>;

/// Samples `draws` draws of the scenario with `seed` over the pool. Every random number is keyed by
/// (seed, scenario name, block, input name); blocks write disjoint ranges of the output columns,
/// so the result is bit-identical for any number of threads. `progress`, when set, is told of
/// every finished block.
Simulation simulate(const scenario::Scenario& scenario, std::uint64_t draws, std::uint64_t seed,
                    ThreadPool& pool, const BlockProgress& progress = {});

}  // namespace darkfigure::engine
