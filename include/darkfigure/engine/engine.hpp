#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "darkfigure/engine/thread_pool.hpp"
#include "darkfigure/expression/program.hpp"
#include "darkfigure/sampling/design.hpp"
#include "darkfigure/scenario/scenario.hpp"
#include "darkfigure/summary/histogram.hpp"
#include "darkfigure/summary/moments.hpp"
#include "darkfigure/summary/summary.hpp"

namespace darkfigure::engine {

/// Draws per block. Part of the reproducibility contract: random streams are keyed by block, so
/// changing it changes the draws (but never the dependence on the thread count). Blocks are also
/// the unit in which moments are taken and combined.
inline constexpr std::size_t kBlockSize = summary::kBlock;
static_assert(kBlockSize == sampling::kBlockDraws);

/// What a run keeps of each output's draws besides their moments.
enum class Storage {
  columns,     ///< every draw, for exact quantiles
  histograms,  ///< a summary::Histogram, in memory that does not grow with the draws
  /// every draw of every output, truth values included: for weighted draws, whose summaries
  /// need each value beside its weight
  all_columns,
};

/// A column of draws. Its memory is not cleared when allocated: the workers that fill its blocks
/// are the first to touch it, so the page faults are shared among them.
class Column {
 public:
  Column() = default;
  explicit Column(std::size_t size)
      : data_(std::make_unique_for_overwrite<double[]>(size)), size_(size) {}

  /// The column lengthened to `size` values (at least size()): the first size() keep their
  /// values, the others are uninitialised.
  Column grown(std::size_t size) const {
    Column result(size);
    std::copy(begin(), end(), result.data());
    return result;
  }

  std::size_t size() const noexcept { return size_; }
  bool empty() const noexcept { return size_ == 0; }
  double* data() noexcept { return data_.get(); }
  const double* data() const noexcept { return data_.get(); }
  const double* begin() const noexcept { return data_.get(); }
  const double* end() const noexcept { return data_.get() + size_; }
  double operator[](std::size_t i) const noexcept { return data_[i]; }
  operator std::span<const double>() const noexcept { return {data_.get(), size_}; }

 private:
  std::unique_ptr<double[]> data_;
  std::size_t size_ = 0;
};

/// Where the first non-finite value of an output came from.
struct NonFiniteExample {
  std::uint64_t draw = 0;                              ///< 0-based index of the first such draw
  double value = 0.0;                                  ///< NaN, inf or -inf
  std::vector<std::pair<std::string, double>> inputs;  ///< every input's value in that draw
};

/// The moments of every output after the first `blocks` blocks of a run.
struct Checkpoint {
  std::uint64_t blocks = 0;
  std::vector<summary::Moments> moments;
};

/// Whether a run records a Checkpoint after `blocks` blocks: after 1, 2, ..., 8 blocks, then each
/// about a quarter past the one before (c -> c + floor(c / 4)): about ten per decade, so that 10^9
/// draws leave 55 checkpoints.
bool is_checkpoint(std::uint64_t blocks) noexcept;

/// What a run kept of a scenario's outputs.
struct Simulation {
  std::uint64_t draws = 0;  ///< draws made so far
  Storage storage = Storage::columns;
  std::vector<std::string> names;  ///< scenario.outputs
  /// Per output: the moments of its draws, taken per block and combined in block order.
  std::vector<summary::Moments> moments;
  /// Per output: every draw (Storage::columns), empty for an output whose formula is a truth
  /// value (its moments count its zeros and ones) and under Storage::histograms.
  std::vector<Column> columns;
  /// Per output: the histogram of its draws under Storage::histograms, else empty.
  std::vector<std::optional<summary::Histogram>> histograms;
  std::vector<std::uint64_t> non_finite;  ///< per output: draws that are NaN or infinite
  std::vector<std::optional<NonFiniteExample>> first_non_finite;  ///< per output
  /// Program slots whose every draw is kept besides the outputs' (under any storage), and their
  /// columns: what weighting the draws needs (likelihood parameters, quantities with a prior).
  std::vector<std::size_t> kept_slots;
  std::vector<Column> kept;
  sampling::Design design = sampling::Design::mc;
  /// Latin hypercube and Sobol designs: per output, the moments of each replicate's draws, whose
  /// spread gives the standard errors. Empty for Monte Carlo.
  std::vector<std::vector<summary::Moments>> replicate_moments;
  /// The moments at each checkpoint (is_checkpoint) of the blocks folded in order: how the
  /// estimates converged.
  std::vector<Checkpoint> checkpoints;
};

/// Whether output `name` of the scenario is a truth value (0 or 1 in every draw, or NaN), so
/// that counting its zeros and ones is as good as storing it.
bool is_truth_valued_output(const scenario::Scenario& scenario, std::string_view name);

/// Bytes that `storage` needs to keep `draws` draws of the scenario's outputs (0 for
/// Storage::histograms), plus `kept_slots` columns.
std::uint64_t column_bytes(const scenario::Scenario& scenario, std::uint64_t draws,
                           Storage storage = Storage::columns, std::size_t kept_slots = 0);

/// Called after each finished block with the number of blocks finished so far and the total.
/// It runs on the worker that finished the block, so it must be thread-safe and cheap.
using BlockProgress = std::function<void(std::uint64_t finished, std::uint64_t total)>;

/// Called with every block's columns once its program has run: the block's index, its first draw,
/// the columns (program slots, see scenario::Scenario) and the number of draws in them. It runs on
/// the worker that sampled the block, blocks in any order, so it must be thread-safe.
using BlockSink = std::function<void(std::uint64_t block, std::uint64_t first_draw,
                                     const expression::BlockColumns& columns, std::size_t count)>;

/// Samples `draws` draws of the scenario with `seed` over the pool, with the design of
/// scenario.sampling. Every random number is keyed by (seed, scenario name, block or replicate,
/// input name); blocks write disjoint ranges of the output columns, histogram counts add up
/// exactly and block moments are combined in block order, so the result is bit-identical for any
/// number of threads. Under Monte Carlo each input fills its block from its own sampler; under a
/// Latin hypercube or Sobol design, sampling::DesignSampler gives the uniforms and each input's
/// distributions::InverseCdf turns them into values. Correlated inputs ([correlation]) are then
/// rearranged within each piece of a block that lies in one replicate. `progress`, when set, is
/// told of every finished block, and `sink` is handed every block's columns.
Simulation simulate(const scenario::Scenario& scenario, std::uint64_t draws, std::uint64_t seed,
                    ThreadPool& pool, Storage storage = Storage::columns,
                    const BlockProgress& progress = {},
                    std::span<const std::size_t> kept_slots = {}, const BlockSink& sink = {});

/// Continues `simulation` (made by simulate() of the same scenario and seed, with a whole number
/// of blocks so far, under Monte Carlo) up to `draws` draws: the blocks after the last one are
/// sampled and appended, and their moments folded on in block order, so the result is
/// bit-identical to simulate() with `draws` from the start. (A Latin hypercube or Sobol design
/// cannot be continued: its replicates span the whole run.)
void extend(Simulation& simulation, const scenario::Scenario& scenario, std::uint64_t draws,
            std::uint64_t seed, ThreadPool& pool, const BlockProgress& progress = {},
            const BlockSink& sink = {});

}  // namespace darkfigure::engine
