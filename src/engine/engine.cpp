#include "darkfigure/engine/engine.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <variant>

#include "darkfigure/core/error.hpp"
#include "darkfigure/expression/ast.hpp"
#include "darkfigure/sampling/design.hpp"
#include "engine/input_sampler.hpp"
#include "non_finite_tally.hpp"
#include "ordered_fold.hpp"

namespace darkfigure::engine {
namespace {

// Random streams are keyed by a 32-bit block index, so at most 2^32 blocks fit a run.
constexpr std::uint64_t kMaxBlocks = std::uint64_t{1} << 32;

// A worker's block of columns, its histograms and what it saw of non-finite values.
struct WorkerState {
  std::vector<double> workspace;
  std::vector<std::optional<summary::Histogram>> histograms;
  std::optional<detail::NonFiniteTally> tally;  ///< engaged once the worker has run a block
};

bool is_non_finite(double x) noexcept {
  return !std::isfinite(x);
}

}  // namespace

bool is_truth_valued_output(const scenario::Scenario& scenario, std::string_view name) {
  return std::any_of(scenario.derived.begin(), scenario.derived.end(), [&](const auto& derived) {
    return derived.name == name && expression::is_truth_valued(derived.tree);
  });
}

std::uint64_t column_bytes(const scenario::Scenario& scenario, std::uint64_t draws, Storage storage,
                           std::size_t kept_slots) {
  std::uint64_t stored = kept_slots;
  if (storage == Storage::all_columns) stored += scenario.outputs.size();
  if (storage == Storage::columns) {
    stored += static_cast<std::uint64_t>(std::count_if(
        scenario.outputs.begin(), scenario.outputs.end(),
        [&](const std::string& name) { return !is_truth_valued_output(scenario, name); }));
  }
  return stored * draws * sizeof(double);
}

bool is_checkpoint(std::uint64_t blocks) noexcept {
  std::uint64_t checkpoint = 1;
  while (checkpoint < blocks)
    checkpoint += std::max<std::uint64_t>(1, checkpoint / 4);
  return checkpoint == blocks;
}

Simulation simulate(const scenario::Scenario& scenario, std::uint64_t draws, std::uint64_t seed,
                    ThreadPool& pool, Storage storage, const BlockProgress& progress,
                    std::span<const std::size_t> kept_slots, const BlockSink& sink) {
  const std::size_t output_count = scenario.outputs.size();
  Simulation result;
  result.storage = storage;
  result.names = scenario.outputs;
  result.moments.resize(output_count);
  result.columns.resize(output_count);
  result.histograms.resize(output_count);
  result.non_finite.assign(output_count, 0);
  result.first_non_finite.resize(output_count);
  result.kept_slots.assign(kept_slots.begin(), kept_slots.end());
  result.kept.resize(kept_slots.size());
  result.design = scenario.sampling.design;
  if (result.design != sampling::Design::mc) {
    result.replicate_moments.assign(output_count,
                                    std::vector<summary::Moments>(scenario.sampling.replicates));
  }
  extend(result, scenario, draws, seed, pool, progress, sink);
  if (storage == Storage::histograms) {
    // A run of zero draws still gets its (empty) histograms.
    for (std::size_t k = 0; k < output_count; ++k) {
      if (!is_truth_valued_output(scenario, scenario.outputs[k]) &&
          !result.histograms[k].has_value()) {
        result.histograms[k].emplace();
      }
    }
  }
  return result;
}

void extend(Simulation& result, const scenario::Scenario& scenario, std::uint64_t draws,
            std::uint64_t seed, ThreadPool& pool, const BlockProgress& progress,
            const BlockSink& sink) {
  DARKFIGURE_CHECK(result.draws % kBlockSize == 0 && draws >= result.draws);
  const sampling::Design design = scenario.sampling.design;
  const bool designed = design != sampling::Design::mc;
  DARKFIGURE_CHECK(design == result.design && (!designed || result.draws == 0));
  const std::uint64_t first_block = result.draws / kBlockSize;
  const std::uint64_t block_count = draws / kBlockSize + (draws % kBlockSize != 0);
  if (block_count > kMaxBlocks) {
    throw core::InputError("draws is " + std::to_string(draws) + ", but must be at most " +
                               std::to_string(kMaxBlocks * kBlockSize),
                           std::nullopt,
                           "random streams are keyed by a 32-bit block index, which allows 2^32 "
                           "blocks of " +
                               std::to_string(kBlockSize) + " draws");
  }

  const std::size_t slot_count = scenario.program.slot_count();
  const std::size_t input_count = scenario.inputs.size();
  const std::size_t output_count = scenario.outputs.size();
  const Storage storage = result.storage;
  DARKFIGURE_CHECK(input_count <= slot_count && result.names.size() == output_count);

  std::vector<std::size_t> output_slots;
  std::vector<bool> counted_only;
  output_slots.reserve(output_count);
  for (const std::string& name : scenario.outputs) {
    const std::optional<std::size_t> slot = scenario.slot_of(name);
    DARKFIGURE_CHECK(slot.has_value() && *slot < slot_count);
    output_slots.push_back(*slot);
    counted_only.push_back(storage != Storage::all_columns &&
                           is_truth_valued_output(scenario, name));
  }
  const detail::InputSampler inputs(scenario, draws, seed);

  for (std::size_t k = 0; k < output_count; ++k) {
    if (storage != Storage::histograms && !counted_only[k]) {
      result.columns[k] = result.columns[k].grown(draws);
    }
  }
  for (Column& kept : result.kept)
    kept = kept.grown(draws);

  // One block of columns per worker, allocated and prepared by the worker's own thread on first
  // use (so its memory is local to that thread) and reused for every block it runs.
  std::vector<WorkerState> workers(pool.size());
  detail::OrderedFold fold(std::move(result.moments), first_block,
                           std::move(result.replicate_moments), std::move(result.checkpoints));
  std::atomic<std::uint64_t> finished_blocks{0};
  const std::uint64_t new_blocks = block_count - first_block;

  pool.parallel_for(static_cast<std::size_t>(new_blocks), [&](std::size_t task, unsigned worker) {
    const std::uint64_t block = first_block + task;
    const std::uint64_t first_draw = block * kBlockSize;
    const auto count =
        static_cast<std::size_t>(std::min<std::uint64_t>(kBlockSize, draws - first_draw));
    WorkerState& state = workers[worker];
    if (!state.tally.has_value()) {
      state.workspace.resize(slot_count * kBlockSize);
      scenario.program.prepare({state.workspace.data(), kBlockSize}, kBlockSize);
      state.histograms.resize(output_count);
      for (std::size_t k = 0; k < output_count; ++k) {
        if (storage == Storage::histograms && !counted_only[k]) state.histograms[k].emplace();
      }
      state.tally.emplace(output_count);
    }
    const expression::BlockColumns block_columns{state.workspace.data(), kBlockSize};

    const std::vector<detail::Segment> segments = inputs.segments(first_draw, count);
    std::vector<double*> input_columns(input_count);
    for (std::size_t i = 0; i < input_count; ++i)
      input_columns[i] = block_columns.column(i);
    inputs.fill(block, count, segments, input_columns);
    scenario.program.run(block_columns, count);
    if (sink) sink(block, first_draw, block_columns, count);
    for (std::size_t j = 0; j < result.kept_slots.size(); ++j) {
      const double* column = block_columns.column(result.kept_slots[j]);
      std::copy(column, column + count, result.kept[j].data() + first_draw);
    }

    std::vector<summary::Moments> moments(output_count);
    for (std::size_t k = 0; k < output_count; ++k) {
      const std::span<const double> column(block_columns.column(output_slots[k]), count);
      moments[k] = summary::Moments::of(column);
      if (!result.columns[k].empty()) {
        std::copy(column.begin(), column.end(), result.columns[k].data() + first_draw);
      }
      if (state.histograms[k].has_value()) state.histograms[k]->add(column);
      // Only a block holding a non-finite value pays for locating the first one and for
      // recording the inputs that produced it.
      const std::uint64_t bad = moments[k].non_finite;
      if (bad == 0) continue;
      state.tally->count(k, bad);
      const auto offset = static_cast<std::size_t>(
          std::find_if(column.begin(), column.end(), is_non_finite) - column.begin());
      const std::uint64_t draw = first_draw + offset;
      if (!state.tally->is_first(k, draw)) continue;
      NonFiniteExample example;
      example.draw = draw;
      example.value = column[offset];
      example.inputs.reserve(input_count);
      for (std::size_t i = 0; i < input_count; ++i) {
        example.inputs.emplace_back(scenario.inputs[i].name, block_columns.column(i)[offset]);
      }
      state.tally->offer(k, std::move(example));
    }
    std::vector<detail::ReplicateSegment> replicate_segments;
    if (designed) {
      for (const detail::Segment& segment : segments) {
        detail::ReplicateSegment& piece = replicate_segments.emplace_back();
        piece.replicate = segment.replicate;
        if (segments.size() == 1) {
          piece.moments = moments;
          continue;
        }
        for (std::size_t k = 0; k < output_count; ++k) {
          piece.moments.push_back(summary::Moments::of(
              {block_columns.column(output_slots[k]) + segment.offset, segment.count}));
        }
      }
    }
    fold.deposit(block, std::move(moments), std::move(replicate_segments));
    if (progress) progress(finished_blocks.fetch_add(1, std::memory_order_relaxed) + 1, new_blocks);
  });
  DARKFIGURE_CHECK(fold.folded() == block_count);

  // Earlier rounds hold the earlier draws: their first non-finite draw comes first.
  detail::NonFiniteTally total(output_count);
  for (std::size_t k = 0; k < output_count; ++k) {
    total.count(k, result.non_finite[k]);
    if (result.first_non_finite[k].has_value()) total.offer(k, *result.first_non_finite[k]);
  }
  for (WorkerState& state : workers) {
    if (!state.tally.has_value()) continue;
    total.merge(*state.tally);
    for (std::size_t k = 0; k < output_count; ++k) {
      if (!state.histograms[k].has_value()) continue;
      if (result.histograms[k].has_value()) {
        result.histograms[k]->merge(*state.histograms[k]);
      } else {
        result.histograms[k] = std::move(state.histograms[k]);
      }
    }
  }
  result.moments = fold.total();
  result.replicate_moments = std::move(fold.replicates());
  result.checkpoints = std::move(fold.checkpoints());
  result.non_finite = total.counts();
  result.first_non_finite = total.first();
  result.draws = draws;
}

}  // namespace darkfigure::engine
