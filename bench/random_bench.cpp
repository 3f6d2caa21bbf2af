// Random words per second: one Philox4x32-10 refill of the stream (eight calls, 16 words) with
// the vector code and with Random123's scalar code, and a stream handing out words one at a time.
//
//     build/release/bench/bench_random

#include <array>
#include <cstdint>

#include <benchmark/benchmark.h>

#include "darkfigure/random/philox_batch.hpp"
#include "darkfigure/random/stream.hpp"

namespace {

using darkfigure::random::kPhiloxBatch;
using Words = std::array<std::uint64_t, 2 * kPhiloxBatch>;

template <void (*Batch)(const std::array<std::uint32_t, 4>&, const std::array<std::uint32_t, 2>&,
                        Words&) noexcept>
void BM_PhiloxBatch(benchmark::State& state) {
  std::array<std::uint32_t, 4> counter = {0, 1, 2, 3};
  const std::array<std::uint32_t, 2> key = {2023, 0};
  Words words{};
  for (auto _ : state) {
    Batch(counter, key, words);
    benchmark::DoNotOptimize(words);
    counter[0] += kPhiloxBatch;
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(words.size()));
}
BENCHMARK(BM_PhiloxBatch<darkfigure::random::philox_batch>)->Name("philox_batch/dispatched");
BENCHMARK(BM_PhiloxBatch<darkfigure::random::philox_batch_scalar>)->Name("philox_batch/scalar");

void BM_StreamWords(benchmark::State& state) {
  darkfigure::random::Stream stream({2023, 1, 2, 3});
  for (auto _ : state)
    benchmark::DoNotOptimize(stream());
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_StreamWords)->Name("stream/words");

}  // namespace
