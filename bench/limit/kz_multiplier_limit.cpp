// The reference model (scenarios/examples/kz-multiplier.toml) written out by hand: the project's
// own samplers and summaries, with no scenario file, no formula evaluator and no engine. Its
// random streams are keyed as the engine keys them, so it makes the same draws and prints the
// same figures (mean, sd and quantiles, as JSON like the peers' in bench/peers/); the difference
// in time is what the engine itself costs.
//
//     bench_limit_kz_multiplier [DRAWS] [THREADS]     (defaults 10000000 and 1)

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "darkfigure/random/stream.hpp"
#include "darkfigure/summary/moments.hpp"
#include "darkfigure/summary/selection.hpp"
#include "darkfigure/summary/summary.hpp"
#include "distributions/samplers.hpp"

namespace {

using darkfigure::random::Stream;
using darkfigure::random::stream_id;
using darkfigure::random::StreamKey;
using darkfigure::summary::Moments;
using darkfigure::summary::OrderStatistic;
using darkfigure::summary::RankSelection;
namespace samplers = darkfigure::distributions::detail;

constexpr std::size_t kBlock = 4096;
constexpr std::uint64_t kSeed = 2023;
constexpr std::size_t kChunk = std::size_t{1} << 20;
constexpr const char* kOutputs[] = {"victims_police", "victims_crisis", "victims", "prevalence",
                                    "exceeds"};
constexpr std::size_t kStored = 4;  // exceeds is a truth value: counted, not stored
constexpr std::size_t kOutputCount = std::size(kOutputs);
const std::vector<double> kLevels = {0.025, 0.5, 0.975};
constexpr const char* kLevelKeys[] = {"0.025", "0.5", "0.975"};

// Runs body(task) for tasks 0..count-1 on `threads` threads, handing tasks out one at a time.
template <class Body>
void parallel_for(std::size_t count, unsigned threads, const Body& body) {
  std::atomic<std::size_t> next{0};
  const auto work = [&] {
    for (std::size_t task = next++; task < count; task = next++)
      body(task);
  };
  std::vector<std::jthread> helpers;
  for (unsigned t = 1; t < threads; ++t)
    helpers.emplace_back(work);
  work();
}

}  // namespace

int main(int argc, char** argv) {
  const auto draws = argc > 1 ? static_cast<std::uint64_t>(std::atof(argv[1])) : 10'000'000;
  const unsigned threads = argc > 2 ? static_cast<unsigned>(std::atoi(argv[2])) : 1;
  const std::uint64_t block_count = (draws + kBlock - 1) / kBlock;

  const std::uint32_t scenario = stream_id("kz-multiplier");
  const std::uint32_t cases_id = stream_id("cases_per_victim");
  const std::uint32_t reporting_id = stream_id("reporting_rate");
  const std::uint32_t uptake_id = stream_id("crisis_uptake");
  const std::uint32_t population_id = stream_id("population");
  const std::uint32_t baseline_id = stream_id("baseline");
  const samplers::BetaSampler reporting(4, 16);
  const samplers::BetaSampler uptake(13, 187);
  const samplers::BetaSampler baseline(27, 73);

  std::vector<std::unique_ptr<double[]>> columns;
  for (std::size_t k = 0; k < kStored; ++k)
    columns.push_back(std::make_unique_for_overwrite<double[]>(draws));
  std::vector<std::vector<Moments>> block_moments(block_count);

  parallel_for(block_count, threads, [&](std::size_t block) {
    const std::uint64_t first = block * kBlock;
    const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(kBlock, draws - first));
    const auto key = [&](std::uint32_t input) {
      return StreamKey{kSeed, scenario, static_cast<std::uint32_t>(block), input};
    };
    double cases[kBlock], rate[kBlock], share[kBlock], population[kBlock], base[kBlock];
    Stream cases_stream(key(cases_id));
    for (std::size_t i = 0; i < n; ++i)
      cases[i] = 1.0 + (2.0 - 1.0) * cases_stream.uniform();
    Stream reporting_stream(key(reporting_id));
    for (std::size_t i = 0; i < n; ++i)
      rate[i] = reporting(reporting_stream);
    Stream uptake_stream(key(uptake_id));
    for (std::size_t i = 0; i < n; ++i)
      share[i] = uptake(uptake_stream);
    Stream population_stream(key(population_id));
    for (std::size_t i = 0; i < n; ++i)
      population[i] = 4.7e6 + 1e5 * samplers::standard_normal(population_stream);
    Stream baseline_stream(key(baseline_id));
    for (std::size_t i = 0; i < n; ++i)
      base[i] = baseline(baseline_stream);

    double exceeds[kBlock];
    double* police = columns[0].get() + first;
    double* crisis = columns[1].get() + first;
    double* victims = columns[2].get() + first;
    double* prevalence = columns[3].get() + first;
    for (std::size_t i = 0; i < n; ++i) {
      police[i] = 67500.0 / cases[i] / rate[i];
      crisis[i] = 4400.0 / share[i];
      victims[i] = (police[i] + crisis[i]) / 2.0;
      prevalence[i] = victims[i] / population[i];
      exceeds[i] = prevalence[i] > base[i];
    }
    std::vector<Moments>& moments = block_moments[block];
    for (const double* column : {police, crisis, victims, prevalence})
      moments.push_back(Moments::of({column, n}));
    moments.push_back(Moments::of({exceeds, n}));
  });

  std::vector<Moments> totals(kOutputCount);
  for (const auto& moments : block_moments) {
    for (std::size_t k = 0; k < kOutputCount; ++k)
      totals[k].append(moments[k]);
  }

  std::vector<std::vector<std::uint64_t>> ranks(kOutputCount);
  std::vector<std::optional<RankSelection>> selections(kStored);
  for (std::size_t k = 0; k < kOutputCount; ++k)
    ranks[k] = darkfigure::summary::quantile_ranks(totals[k].count, kLevels);
  for (std::size_t k = 0; k < kStored; ++k)
    selections[k].emplace(std::span<const double>(columns[k].get(), draws), totals[k], ranks[k]);
  const std::size_t chunks = (draws + kChunk - 1) / kChunk;
  std::vector<RankSelection::Partial> partials(kStored * chunks);
  parallel_for(partials.size(), threads, [&](std::size_t task) {
    const std::size_t k = task / chunks;
    const std::size_t first = task % chunks * kChunk;
    partials[task] =
        selections[k]->scan({columns[k].get() + first, std::min(kChunk, draws - first)});
  });

  nlohmann::ordered_json outputs;
  for (std::size_t k = 0; k < kOutputCount; ++k) {
    std::vector<OrderStatistic> order;
    if (k < kStored) {
      const std::span<RankSelection::Partial> own(partials.data() + k * chunks, chunks);
      for (const double x : selections[k]->finish(own))
        order.push_back({x, x, x});
    } else {
      order = darkfigure::summary::zero_one_order_statistics(totals[k], ranks[k]);
    }
    const auto s = darkfigure::summary::summarise(totals[k], kLevels, ranks[k], order);
    nlohmann::ordered_json quantiles;
    for (std::size_t i = 0; i < s.levels.size(); ++i)
      quantiles[kLevelKeys[i]] = s.quantiles[i];
    outputs[kOutputs[k]] = {{"mean", s.mean}, {"sd", s.sd}, {"quantiles", std::move(quantiles)}};
  }
  const nlohmann::ordered_json document = {
      {"tool", "limit program"}, {"draws", draws}, {"outputs", std::move(outputs)}};
  std::printf("%s\n", document.dump(2).c_str());
}
