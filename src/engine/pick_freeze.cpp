#include "darkfigure/engine/pick_freeze.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <variant>

#include "darkfigure/core/error.hpp"
#include "engine/input_sampler.hpp"

namespace darkfigure::engine {

PickFreeze pick_freeze(const scenario::Scenario& scenario, std::uint64_t base_draws,
                       std::uint64_t seed, ThreadPool& pool, std::span<const std::size_t> varied,
                       std::span<const std::size_t> outputs, const BlockProgress& progress) {
  const std::size_t input_count = scenario.inputs.size();
  const std::size_t slot_count = scenario.program.slot_count();
  for (const std::size_t i : varied) {
    DARKFIGURE_CHECK(i < input_count &&
                     std::holds_alternative<distributions::Distribution>(scenario.inputs[i].value));
  }
  for (const std::size_t slot : outputs)
    DARKFIGURE_CHECK(slot < slot_count);
  const std::size_t samples = 2 + varied.size();
  const detail::InputSampler inputs(scenario, base_draws, seed, 2);

  PickFreeze result;
  result.base_draws = base_draws;
  result.varied.assign(varied.begin(), varied.end());
  result.values.resize(outputs.size());
  for (auto& columns : result.values) {
    for (std::size_t s = 0; s < samples; ++s)
      columns.emplace_back(static_cast<std::size_t>(base_draws));
  }

  struct Worker {
    std::vector<double> workspace;  ///< the program's columns; inputs hold A between runs
    std::vector<double> b;          ///< copy B of every input
    std::vector<double> saved;      ///< input i's column of A while A_B^i is evaluated
    std::vector<double*> targets;   ///< where InputSampler puts copy A, then copy B, of each input
    std::vector<std::uint64_t> non_finite;
  };
  std::vector<Worker> workers(pool.size());
  const std::uint64_t block_count = base_draws / kBlockSize + (base_draws % kBlockSize != 0);
  std::atomic<std::uint64_t> finished{0};
  pool.parallel_for(static_cast<std::size_t>(block_count), [&](std::size_t task, unsigned index) {
    Worker& worker = workers[index];
    if (worker.workspace.empty()) {
      worker.workspace.resize(slot_count * kBlockSize);
      worker.b.resize(input_count * kBlockSize);
      worker.saved.resize(kBlockSize);
      worker.targets.resize(2 * input_count);
      worker.non_finite.assign(outputs.size(), 0);
      scenario.program.prepare({worker.workspace.data(), kBlockSize}, kBlockSize);
    }
    const expression::BlockColumns columns{worker.workspace.data(), kBlockSize};
    const std::uint64_t block = task;
    const std::uint64_t first_draw = block * kBlockSize;
    const auto count =
        static_cast<std::size_t>(std::min<std::uint64_t>(kBlockSize, base_draws - first_draw));

    std::vector<double*>& targets = worker.targets;
    for (std::size_t i = 0; i < input_count; ++i) {
      targets[i] = columns.column(i);
      targets[input_count + i] = worker.b.data() + i * kBlockSize;
    }
    inputs.fill(block, count, inputs.segments(first_draw, count), targets);

    const auto evaluate = [&](std::size_t sample) {
      scenario.program.run(columns, count);
      for (std::size_t k = 0; k < outputs.size(); ++k) {
        const double* values = columns.column(outputs[k]);
        std::copy(values, values + count, result.values[k][sample].data() + first_draw);
        worker.non_finite[k] += static_cast<std::uint64_t>(
            std::count_if(values, values + count, [](double x) { return !std::isfinite(x); }));
      }
    };
    // A, then A_B^i (A with input i from B, put back afterwards), then B.
    evaluate(0);
    for (std::size_t v = 0; v < varied.size(); ++v) {
      double* column = columns.column(varied[v]);
      std::copy_n(column, count, worker.saved.data());
      std::copy_n(targets[input_count + varied[v]], count, column);
      evaluate(2 + v);
      std::copy_n(worker.saved.data(), count, column);
    }
    for (std::size_t i = 0; i < input_count; ++i)
      std::copy_n(targets[input_count + i], count, columns.column(i));
    evaluate(1);
    if (progress) progress(finished.fetch_add(1, std::memory_order_relaxed) + 1, block_count);
  });

  result.non_finite.assign(outputs.size(), 0);
  for (const Worker& worker : workers) {
    for (std::size_t k = 0; k < worker.non_finite.size(); ++k)
      result.non_finite[k] += worker.non_finite[k];
  }
  return result;
}

}  // namespace darkfigure::engine
