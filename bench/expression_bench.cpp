// Draws per second of Program::run over 4096-draw blocks (engine::kBlockSize) for the reference
// model's derived formulas, a heavier formula with builtins, and a hand-fused loop over the
// reference model for scale (the most a compiled program of column instructions could hope for).

#include <benchmark/benchmark.h>

#include <array>
#include <cstddef>
#include <optional>
#include <random>
#include <string_view>
#include <utility>
#include <vector>

#include "darkfigure/expression/ast.hpp"
#include "darkfigure/expression/program.hpp"

namespace {

using darkfigure::expression::BlockColumns;
using darkfigure::expression::parse;
using darkfigure::expression::Program;
using darkfigure::expression::ProgramBuilder;

constexpr std::size_t kBlock = 4096;

// Inputs in slots 0..4, derived quantities in slots 5..9, the heavier formula in slot 10.
constexpr std::array<std::string_view, 11> kNames = {
    "cases_per_victim", "reporting_rate", "crisis_uptake",  "population",
    "baseline",         "victims_police", "victims_crisis", "victims",
    "prevalence",       "exceeds",        "index"};

constexpr std::pair<std::size_t, std::string_view> kReferenceModel[] = {
    {5, "67500 / cases_per_victim / reporting_rate"},
    {6, "4400 / crisis_uptake"},
    {7, "(victims_police + victims_crisis) / 2"},
    {8, "victims / population"},
    {9, "prevalence > baseline"},
};

constexpr std::string_view kHeavyFormula =
    "clamp(if(exceeds, sqrt(victims) * log(population), max(victims_police, victims_crisis, 1)) "
    "/ (1 + exp(-prevalence * 100)) + round(abs(victims_police - victims_crisis) / 1e3), 0, 1e9)";

Program compile(bool with_heavy_formula) {
  ProgramBuilder builder(
      [](std::string_view name) -> std::optional<std::size_t> {
        for (std::size_t slot = 0; slot < kNames.size(); ++slot) {
          if (kNames[slot] == name) return slot;
        }
        return std::nullopt;
      },
      kNames.size());
  for (const auto& [slot, formula] : kReferenceModel)
    builder.add(parse(formula), slot);
  if (with_heavy_formula) builder.add(parse(kHeavyFormula), 10);
  return std::move(builder).finish();
}

/// A block with plausible inputs: the distributions of the Kazakhstan scenario, roughly.
std::vector<double> make_block(std::size_t slot_count) {
  std::vector<double> data(slot_count * kBlock);
  std::mt19937_64 engine(2023);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  std::normal_distribution<double> population(4.7e6, 1e5);
  for (std::size_t i = 0; i < kBlock; ++i) {
    data[0 * kBlock + i] = 1.0 + unit(engine);
    data[1 * kBlock + i] = 0.05 + 0.3 * unit(engine);
    data[2 * kBlock + i] = 0.005 + 0.03 * unit(engine);
    data[3 * kBlock + i] = population(engine);
    data[4 * kBlock + i] = 0.2 + 0.15 * unit(engine);
  }
  return data;
}

void run_program(benchmark::State& state, bool with_heavy_formula) {
  const Program program = compile(with_heavy_formula);
  std::vector<double> data = make_block(program.slot_count());
  const BlockColumns columns{data.data(), kBlock};
  program.prepare(columns, kBlock);
  for (auto _ : state) {
    program.run(columns, kBlock);
    benchmark::DoNotOptimize(data.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * kBlock));
}

void BM_ReferenceModel(benchmark::State& state) {
  run_program(state, false);
}
BENCHMARK(BM_ReferenceModel);

void BM_ReferenceModelWithHeavyFormula(benchmark::State& state) {
  run_program(state, true);
}
BENCHMARK(BM_ReferenceModelWithHeavyFormula);

/// The reference model as one loop over the draws, written by hand.
void BM_ReferenceModelHandFused(benchmark::State& state) {
  std::vector<double> data = make_block(kNames.size());
  const auto column = [&](std::size_t slot) { return data.data() + slot * kBlock; };
  const double* __restrict cases_per_victim = column(0);
  const double* __restrict reporting_rate = column(1);
  const double* __restrict crisis_uptake = column(2);
  const double* __restrict population = column(3);
  const double* __restrict baseline = column(4);
  double* __restrict victims_police = column(5);
  double* __restrict victims_crisis = column(6);
  double* __restrict victims = column(7);
  double* __restrict prevalence = column(8);
  double* __restrict exceeds = column(9);
  for (auto _ : state) {
    for (std::size_t i = 0; i < kBlock; ++i) {
      victims_police[i] = 67500.0 / cases_per_victim[i] / reporting_rate[i];
      victims_crisis[i] = 4400.0 / crisis_uptake[i];
      victims[i] = (victims_police[i] + victims_crisis[i]) / 2.0;
      prevalence[i] = victims[i] / population[i];
      exceeds[i] = prevalence[i] > baseline[i] ? 1.0 : 0.0;
    }
    benchmark::DoNotOptimize(data.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * kBlock));
}
BENCHMARK(BM_ReferenceModelHandFused);

/// Compiling the reference model and the heavier formula, from text to Program.
void BM_Compile(benchmark::State& state) {
  for (auto _ : state) {
    Program program = compile(true);
    benchmark::DoNotOptimize(&program);
  }
}
BENCHMARK(BM_Compile);

}  // namespace
