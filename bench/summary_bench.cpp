// Values per second of the summaries' hot paths: the moments of a 4096-draw block, a block added
// to a histogram, and the scan of a stored column for its exact order statistics at the levels
// 0.025, 0.5 and 0.975.
//
//     build/release/bench/bench_summary

#include <cstdint>
#include <random>
#include <vector>

#include <benchmark/benchmark.h>

#include "darkfigure/summary/histogram.hpp"
#include "darkfigure/summary/moments.hpp"
#include "darkfigure/summary/selection.hpp"
#include "darkfigure/summary/summary.hpp"

namespace {

using darkfigure::summary::Moments;

// Lognormal draws: skewed and spread over several binades, like a multiplier estimate.
std::vector<double> column(std::size_t size) {
  std::mt19937_64 generator(2023);
  std::lognormal_distribution<double> draw(12.0, 0.6);
  std::vector<double> values(size);
  for (double& x : values)
    x = draw(generator);
  return values;
}

void BM_BlockMoments(benchmark::State& state) {
  const std::vector<double> block = column(darkfigure::summary::kBlock);
  for (auto _ : state)
    benchmark::DoNotOptimize(Moments::of(block));
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(block.size()));
}
BENCHMARK(BM_BlockMoments)->Name("moments/block");

void BM_HistogramAdd(benchmark::State& state) {
  const std::vector<double> block = column(darkfigure::summary::kBlock);
  darkfigure::summary::Histogram histogram;
  for (auto _ : state)
    histogram.add(block);
  benchmark::DoNotOptimize(histogram.count());
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(block.size()));
}
BENCHMARK(BM_HistogramAdd)->Name("histogram/add_block");

void BM_SelectionScan(benchmark::State& state) {
  const std::vector<double> values = column(static_cast<std::size_t>(state.range(0)));
  const Moments moments = darkfigure::summary::block_moments(values);
  const std::vector<double> levels = {0.025, 0.5, 0.975};
  for (auto _ : state) {
    darkfigure::summary::RankSelection selection(
        values, moments, darkfigure::summary::quantile_ranks(moments.count, levels));
    std::vector<darkfigure::summary::RankSelection::Partial> partials = {selection.scan(values)};
    benchmark::DoNotOptimize(selection.finish(partials));
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_SelectionScan)
    ->Name("selection/column")
    ->Arg(1'000'000)
    ->Arg(10'000'000)
    ->Unit(benchmark::kMillisecond);

}  // namespace
