// A whole run of the reference model (scenarios/examples/kz-multiplier.toml): sampling,
// formulas and summaries, at 1 and 2 threads. Reports draws per second.

#include <benchmark/benchmark.h>

#include <filesystem>
#include <vector>

#include "darkfigure/analysis/analysis.hpp"

namespace {

void BM_ReferenceModelRun(benchmark::State& state) {
  const std::vector<std::filesystem::path> files = {std::filesystem::path(DARKFIGURE_SOURCE_DIR) /
                                                    "scenarios/examples/kz-multiplier.toml"};
  const auto scenarios = darkfigure::analysis::load_all(files);
  darkfigure::engine::ThreadPool pool(static_cast<unsigned>(state.range(0)));
  darkfigure::analysis::RunOptions options;
  options.draws = static_cast<std::uint64_t>(state.range(1));
  for (auto _ : state) {
    auto result = darkfigure::analysis::run(scenarios.front(), options, pool);
    benchmark::DoNotOptimize(result);
  }
  state.SetItemsProcessed(state.iterations() * state.range(1));
}

BENCHMARK(BM_ReferenceModelRun)
    ->ArgNames({"threads", "draws"})
    ->Args({1, 1'000'000})
    ->Args({2, 1'000'000})
    ->Args({1, 10'000'000})
    ->Args({2, 10'000'000})
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

}  // namespace
