// Draws per second of Distribution::fill() on the engine's 4096-draw block, and of quantile() and
// InverseCdf on a block of uniforms (what the Latin hypercube and Sobol designs pay), one benchmark
// per family: the reference model's inputs first, then every other family.
//
//     build/release/bench/bench_distributions --benchmark_min_time=0.5

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "darkfigure/distributions/distribution.hpp"
#include "darkfigure/distributions/inverse_cdf.hpp"

namespace {

using darkfigure::distributions::Argument;
using darkfigure::distributions::Distribution;
using darkfigure::distributions::InverseCdf;

constexpr std::size_t kBlockSize = 4096;

struct Case {
  const char* family;
  std::vector<Argument> arguments;
};

const std::vector<Case>& cases() {
  static const std::vector<Case> cases = {
      // The reference model (scenarios/kazakhstan-2023.toml).
      {"uniform", {1.0, 2.0}},
      {"beta", {4.0, 16.0}},
      {"beta", {13.0, 187.0}},
      {"normal", {4.7e6, 1e5}},
      {"beta", {27.0, 73.0}},
      // Every other family.
      {"lognormal", {0.0, 0.5}},
      {"beta", {0.05, 0.05}},
      {"beta_mean_sd", {0.02, 0.01}},
      {"gamma", {2.0, 1.5}},
      {"gamma", {0.1, 2.0}},
      {"triangular", {0.0, 1.0, 3.0}},
      {"pert", {0.0, 1.0, 3.0}},
      {"poisson", {0.5}},
      {"poisson", {30.0}},
      {"poisson", {1e4}},
      {"binomial", {1000.0, 0.3}},
      {"binomial", {50.0, 0.02}},
      {"truncnormal", {0.0, 1.0, -1.0, 2.0}},
      {"truncnormal", {0.0, 1.0, 5.0, 1e308}},
      {"lognormal_ci", {1.0, 10.0}},
      {"negbinomial", {10.0, 0.5}},
      {"negbinomial", {10.0, 1e4}},
      {"exponential", {1.0}},
      {"discrete", {std::vector<double>{1, 2, 3, 4, 5, 6, 7, 8}}},
      {"discrete", {std::vector<double>{3.0, -1.0, 2.5, 10.0}, std::vector<double>{1, 5, 3, 1}}},
  };
  return cases;
}

// A fresh stream per block, as the engine keys them.
void fill_block(benchmark::State& state, const Distribution& distribution) {
  std::vector<double> block(kBlockSize);
  std::uint32_t index = 0;
  for (auto _ : state) {
    darkfigure::random::Stream stream(darkfigure::random::StreamKey{2023, 1, index++, 2});
    distribution.fill(stream, block);
    benchmark::DoNotOptimize(block.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(kBlockSize));
}

// The uniforms every quantile and inverse benchmark turns into values.
std::vector<double> uniform_block() {
  std::vector<double> uniforms(kBlockSize);
  darkfigure::random::Stream stream(darkfigure::random::StreamKey{2023, 1, 0, 3});
  for (double& u : uniforms)
    u = stream.uniform();
  return uniforms;
}

// Quantiles of a block of uniforms, as the designs that are not plain Monte Carlo turn them into
// values.
void quantile_block(benchmark::State& state, const Distribution& distribution) {
  const std::vector<double> uniforms = uniform_block();
  std::vector<double> block(kBlockSize);
  for (auto _ : state) {
    for (std::size_t i = 0; i < kBlockSize; ++i)
      block[i] = distribution.quantile(uniforms[i]);
    benchmark::DoNotOptimize(block.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(kBlockSize));
}

// The same through InverseCdf, its tables built beforehand (once per input and run).
void inverse_block(benchmark::State& state, const InverseCdf& inverse) {
  const std::vector<double> uniforms = uniform_block();
  std::vector<double> block(kBlockSize);
  for (auto _ : state) {
    for (std::size_t i = 0; i < kBlockSize; ++i)
      block[i] = inverse(uniforms[i]);
    benchmark::DoNotOptimize(block.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(kBlockSize));
}

const bool kRegistered = [] {
  for (const Case& c : cases()) {
    const Distribution distribution = Distribution::make(c.family, c.arguments);
    benchmark::RegisterBenchmark(
        ("fill/" + distribution.describe()).c_str(),
        [distribution](benchmark::State& state) { fill_block(state, distribution); });
    benchmark::RegisterBenchmark(
        ("quantile/" + distribution.describe()).c_str(),
        [distribution](benchmark::State& state) { quantile_block(state, distribution); });
    benchmark::RegisterBenchmark(("inverse/" + distribution.describe()).c_str(),
                                 [inverse = InverseCdf(distribution)](benchmark::State& state) {
                                   inverse_block(state, inverse);
                                 });
  }
  return true;
}();

}  // namespace
