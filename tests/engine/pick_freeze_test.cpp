// The Saltelli design on the column engine: A is the run's own draws, B an independent copy of
// the inputs, A_B^i is A with input i from B, under every design and for any pool size.

#include "darkfigure/engine/pick_freeze.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <vector>

#include "darkfigure/engine/engine.hpp"
#include "darkfigure/engine/thread_pool.hpp"
#include "darkfigure/sampling/design.hpp"
#include "darkfigure/scenario/scenario.hpp"

using darkfigure::engine::Column;
using darkfigure::engine::kBlockSize;
using darkfigure::engine::pick_freeze;
using darkfigure::engine::PickFreeze;
using darkfigure::engine::simulate;
using darkfigure::engine::Simulation;
using darkfigure::engine::ThreadPool;
using darkfigure::sampling::Design;
namespace scenario = darkfigure::scenario;

namespace {

// Outputs that depend on one input (only_a), on two of three (sum) and on all three (mix); k is
// fixed, so it cannot be varied.
constexpr const char* kModel = R"toml(
[scenario]
name = "pick-freeze"
seed = 17
[inputs]
a = "normal(1, 2)"
b = "uniform(0, 1)"
c = "beta(2, 5)"
k = 3
[derived]
only_a = "a * a"
sum = "a + b * k"
mix = "a * b + c"
[outputs]
names = ["only_a", "sum", "mix"]
)toml";

// The inputs a, b, c (indices in scenario.inputs) and the order of the samples in the result.
constexpr std::size_t kA = 0;
constexpr std::size_t kB = 1;
constexpr std::size_t kC = 2;
constexpr std::size_t kSampleA = 0;
constexpr std::size_t kSampleB = 1;
const std::vector<std::size_t> kVaried = {kA, kB, kC};

/// Mean and sd of each output of kModel, for a ~ normal(1, 2), b ~ uniform(0, 1),
/// c ~ beta(2, 5): E a^2 = 5, var a^2 = E a^4 - 25 = (1 + 6 * 4 + 3 * 16) - 25 = 48;
/// a + 3 b: 2.5 and 4 + 9 / 12; a b + c: 1/2 + 2/7 and 5/3 - 1/4 + 10 / (49 * 8).
struct Moment {
  const char* name;
  double mean;
  double sd;
};
const Moment kTruth[] = {
    {"only_a", 5.0, std::sqrt(48.0)},
    {"sum", 2.5, std::sqrt(4.75)},
    {"mix", 0.5 + 2.0 / 7.0, std::sqrt(5.0 / 3.0 - 0.25 + 10.0 / 392.0)},
};

// Not a multiple of the block size, and more blocks than the largest pool has workers.
constexpr std::uint64_t kDraws = 3 * kBlockSize + 77;

bool same_bits(std::span<const double> a, std::span<const double> b) {
  return a.size() == b.size() &&
         (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0);
}

std::size_t equal_values(std::span<const double> a, std::span<const double> b) {
  std::size_t count = 0;
  for (std::size_t j = 0; j < a.size(); ++j)
    count += a[j] == b[j];
  return count;
}

double mean(std::span<const double> values) {
  double sum = 0.0;
  for (const double x : values)
    sum += x;
  return sum / static_cast<double>(values.size());
}

double correlation(std::span<const double> x, std::span<const double> y) {
  const double mx = mean(x);
  const double my = mean(y);
  double sxy = 0.0;
  double sxx = 0.0;
  double syy = 0.0;
  for (std::size_t j = 0; j < x.size(); ++j) {
    sxy += (x[j] - mx) * (y[j] - my);
    sxx += (x[j] - mx) * (x[j] - mx);
    syy += (y[j] - my) * (y[j] - my);
  }
  return sxy / std::sqrt(sxx * syy);
}

std::vector<std::size_t> slots(const scenario::Scenario& model) {
  std::vector<std::size_t> result;
  for (const std::string& name : model.outputs)
    result.push_back(*model.slot_of(name));
  return result;
}

PickFreeze evaluate(const scenario::Scenario& model, std::uint64_t draws, unsigned threads,
                    const std::vector<std::size_t>& varied = kVaried) {
  ThreadPool pool(threads);
  return pick_freeze(model, draws, model.seed, pool, varied, slots(model));
}

scenario::Scenario model_under(Design design) {
  scenario::Scenario model = scenario::parse(kModel, "pick_freeze.toml");
  model.sampling.design = design;
  return model;
}

}  // namespace

TEST_CASE("pick-freeze: f(A) is the first draws of a run with the same seed, under each design") {
  for (const Design design : {Design::mc, Design::lhs, Design::sobol}) {
    CAPTURE(darkfigure::sampling::design_name(design));
    const scenario::Scenario model = model_under(design);
    const PickFreeze values = evaluate(model, kDraws, 2);
    ThreadPool pool(2);
    const Simulation run = simulate(model, kDraws, model.seed, pool);
    REQUIRE(values.values.size() == model.outputs.size());
    for (std::size_t k = 0; k < model.outputs.size(); ++k) {
      CAPTURE(model.outputs[k]);
      REQUIRE(values.values[k].size() == 2 + kVaried.size());
      for (const Column& column : values.values[k])
        CHECK(column.size() == kDraws);
      CHECK(same_bits(values.values[k][kSampleA], run.columns[k]));
    }
    if (design == Design::mc) {
      // Monte Carlo streams are keyed by block: a longer run starts with the same draws.
      const Simulation longer = simulate(model, 2 * kDraws, model.seed, pool);
      for (std::size_t k = 0; k < model.outputs.size(); ++k) {
        CHECK(same_bits(values.values[k][kSampleA],
                        std::span<const double>(longer.columns[k]).first(kDraws)));
      }
    }
  }
}

TEST_CASE("pick-freeze: f(B) is an independent sample of the same distribution as f(A)") {
  for (const Design design : {Design::mc, Design::lhs, Design::sobol}) {
    CAPTURE(darkfigure::sampling::design_name(design));
    const PickFreeze values = evaluate(model_under(design), kDraws, 2);
    const double n = static_cast<double>(kDraws);
    for (std::size_t k = 0; k < std::size(kTruth); ++k) {
      const Moment& truth = kTruth[k];
      CAPTURE(truth.name);
      const Column& a = values.values[k][kSampleA];
      const Column& b = values.values[k][kSampleB];
      CHECK(equal_values(a, b) == 0);
      // The i.i.d. standard error; a Latin hypercube or Sobol design can only do better.
      const double se = truth.sd / std::sqrt(n);
      INFO("mean of f(A) " << mean(a) << ", of f(B) " << mean(b) << ", truth " << truth.mean
                           << ", se " << se);
      CHECK(std::abs(mean(a) - truth.mean) < 4.0 * se);
      CHECK(std::abs(mean(b) - truth.mean) < 4.0 * se);
      // Independent samples: the correlation of paired values has sd 1 / sqrt(n).
      const double r = correlation(a, b);
      INFO("correlation of f(A) and f(B) " << r);
      CHECK(std::abs(r) < 4.0 / std::sqrt(n));
    }
  }
}

TEST_CASE("pick-freeze: f(A_B^i) is f(A) where the output ignores i, f(B) where only i counts") {
  for (const Design design : {Design::mc, Design::lhs, Design::sobol}) {
    CAPTURE(darkfigure::sampling::design_name(design));
    const PickFreeze values = evaluate(model_under(design), kDraws, 3);
    const auto ab = [&](std::size_t k, std::size_t input) -> const Column& {
      return values.values[k][2 + input];
    };
    const std::vector<Column>& only_a = values.values[0];
    CHECK(same_bits(ab(0, kA), only_a[kSampleB]));
    CHECK(same_bits(ab(0, kB), only_a[kSampleA]));
    CHECK(same_bits(ab(0, kC), only_a[kSampleA]));

    const std::vector<Column>& sum = values.values[1];
    CHECK(same_bits(ab(1, kC), sum[kSampleA]));
    for (const std::size_t input : {kA, kB}) {
      CAPTURE(input);
      // Taking a used input from B changes every value, and puts it back for the next sample.
      CHECK(equal_values(ab(1, input), sum[kSampleA]) == 0);
      CHECK(equal_values(ab(1, input), sum[kSampleB]) == 0);
    }
    const std::vector<Column>& mix = values.values[2];
    for (const std::size_t input : {kA, kB, kC}) {
      CAPTURE(input);
      CHECK(equal_values(ab(2, input), mix[kSampleA]) == 0);
      CHECK(equal_values(ab(2, input), mix[kSampleB]) == 0);
    }
  }
}

TEST_CASE("pick-freeze: varied inputs come in the order asked for, and a subset costs less") {
  const scenario::Scenario model = model_under(Design::mc);
  const PickFreeze values = evaluate(model, kDraws, 2, {kC, kA});
  CHECK(values.varied == std::vector<std::size_t>{kC, kA});
  CHECK(values.base_draws == kDraws);
  CHECK(values.evaluations() == kDraws * 4);
  const std::vector<Column>& only_a = values.values[0];
  REQUIRE(only_a.size() == 4);
  CHECK(same_bits(only_a[2], only_a[kSampleA]));
  CHECK(same_bits(only_a[3], only_a[kSampleB]));
  // A and B do not depend on which inputs are varied.
  const PickFreeze all = evaluate(model, kDraws, 2);
  CHECK(all.evaluations() == kDraws * 5);
  for (std::size_t k = 0; k < model.outputs.size(); ++k) {
    CHECK(same_bits(values.values[k][kSampleA], all.values[k][kSampleA]));
    CHECK(same_bits(values.values[k][kSampleB], all.values[k][kSampleB]));
  }
}

TEST_CASE("pick-freeze: values are bit-identical for pools of 1, 2 and 3 threads") {
  for (const Design design : {Design::mc, Design::lhs, Design::sobol}) {
    CAPTURE(darkfigure::sampling::design_name(design));
    const scenario::Scenario model = model_under(design);
    const PickFreeze reference = evaluate(model, kDraws, 1);
    for (const unsigned threads : {2u, 3u}) {
      CAPTURE(threads);
      const PickFreeze other = evaluate(model, kDraws, threads);
      REQUIRE(other.values.size() == reference.values.size());
      for (std::size_t k = 0; k < reference.values.size(); ++k) {
        REQUIRE(other.values[k].size() == reference.values[k].size());
        for (std::size_t s = 0; s < reference.values[k].size(); ++s) {
          CAPTURE(k, s);
          CHECK(same_bits(other.values[k][s], reference.values[k][s]));
        }
      }
      CHECK(other.non_finite == reference.non_finite);
    }
  }
}

TEST_CASE("pick-freeze: non-finite values are counted per output over every sample") {
  const scenario::Scenario model = scenario::parse(R"toml(
[scenario]
name = "pick-freeze-nan"
seed = 5
[inputs]
x = "uniform(-1, 1)"
w = "uniform(0, 1)"
[derived]
lx = "log(x)"
sw = "sqrt(w)"
[outputs]
names = ["lx", "sw"]
)toml",
                                                   "nan.toml");
  const PickFreeze values = evaluate(model, kDraws, 2, {0, 1});
  ThreadPool pool(2);
  const Simulation run = simulate(model, kDraws, model.seed, pool);
  const auto non_finite = [](const Column& column) {
    return static_cast<std::uint64_t>(
        std::count_if(column.begin(), column.end(), [](double v) { return !std::isfinite(v); }));
  };
  const std::uint64_t in_a = non_finite(values.values[0][kSampleA]);
  const std::uint64_t in_b = non_finite(values.values[0][kSampleB]);
  CHECK(in_a == run.non_finite[0]);
  // A_B^x has B's x, A_B^w keeps A's: log(x) fails twice where A does and twice where B does.
  CHECK(values.non_finite[0] == 2 * in_a + 2 * in_b);
  CHECK(values.non_finite[1] == 0);
  // x <= 0 with probability 1/2 in each of 2n independent draws.
  const double expected = static_cast<double>(kDraws);
  const double sd = std::sqrt(2.0 * static_cast<double>(kDraws) * 0.25);
  INFO("non-finite in A and B: " << in_a + in_b << ", expected " << expected << ", sd " << sd);
  CHECK(std::abs(static_cast<double>(in_a + in_b) - expected) < 4.0 * sd);
  CHECK(values.evaluations() == kDraws * 4);
}
