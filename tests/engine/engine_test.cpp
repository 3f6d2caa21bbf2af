#include "darkfigure/engine/engine.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <mutex>
#include <numeric>
#include <span>
#include <string>
#include <vector>

#include "darkfigure/core/error.hpp"
#include "darkfigure/scenario/scenario.hpp"

using darkfigure::engine::column_bytes;
using darkfigure::engine::is_truth_valued_output;
using darkfigure::engine::kBlockSize;
using darkfigure::engine::simulate;
using darkfigure::engine::Simulation;
using darkfigure::engine::Storage;
using darkfigure::engine::ThreadPool;
using darkfigure::summary::Histogram;
using darkfigure::summary::Moments;
namespace scenario = darkfigure::scenario;

namespace {

// Several families, a constant and derived values that mix them.
constexpr const char* kMixed = R"toml(
[scenario]
name = "engine-mixed"

[inputs]
reported  = 67_500
per_case  = "uniform(1.0, 2.0)"
rate      = "beta(4, 16)"
size      = "normal(4.7e6, 1e5)"
spread    = "lognormal(0, 0.5)"
shape     = "gamma(2, 3)"
mode      = "triangular(0, 1, 3)"
expert    = "pert(1, 2, 5)"
arrivals  = "poisson(12)"
successes = "binomial(40, 0.3)"

[derived]
victims    = "reported / per_case / rate"
prevalence = "victims / size"
mixture    = "spread * shape + mode - expert"
counts     = "arrivals + successes"
high       = "prevalence > 0.05"

[outputs]
names = ["reported", "per_case", "rate", "size", "spread", "shape", "mode", "expert", "arrivals",
         "successes", "victims", "prevalence", "mixture", "counts", "high"]
)toml";

// Not a multiple of the block size, and more blocks than the largest pool has workers.
constexpr std::uint64_t kDraws = 12 * kBlockSize + 777;

bool same_bits(std::span<const double> a, std::span<const double> b) {
  return a.size() == b.size() &&
         (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0);
}

bool same_bits(const Moments& a, const Moments& b) {
  const double x[] = {a.mean, a.mean_low, a.m2, a.min, a.max};
  const double y[] = {b.mean, b.mean_low, b.m2, b.min, b.max};
  return a.count == b.count && a.non_finite == b.non_finite && a.zeros == b.zeros &&
         a.ones == b.ones && same_bits(x, y);
}

std::span<const double> column(const Simulation& simulation, const std::string& name) {
  const auto found = std::find(simulation.names.begin(), simulation.names.end(), name);
  REQUIRE(found != simulation.names.end());
  return simulation.columns[static_cast<std::size_t>(found - simulation.names.begin())];
}

Simulation run(const scenario::Scenario& model, std::uint64_t draws, std::uint64_t seed,
               unsigned threads, Storage storage = Storage::columns) {
  ThreadPool pool(threads);
  return simulate(model, draws, seed, pool, storage);
}

}  // namespace

TEST_CASE("output columns and moments are bit-identical for any number of threads") {
  const scenario::Scenario model = scenario::parse(kMixed, "test.toml");
  const Simulation reference = run(model, kDraws, 2023, 1);
  REQUIRE(reference.names == model.outputs);
  REQUIRE(reference.columns.size() == model.outputs.size());
  for (std::size_t k = 0; k < model.outputs.size(); ++k) {
    CAPTURE(model.outputs[k]);
    // A truth-valued output is counted, not stored.
    const bool counted = model.outputs[k] == "high";
    CHECK(is_truth_valued_output(model, model.outputs[k]) == counted);
    CHECK(reference.columns[k].size() == (counted ? 0 : kDraws));
    CHECK(reference.moments[k].count + reference.moments[k].non_finite == kDraws);
    CHECK_FALSE(reference.histograms[k].has_value());
  }
  for (const unsigned threads : {2u, 3u, 8u}) {
    const Simulation other = run(model, kDraws, 2023, threads);
    CAPTURE(threads);
    REQUIRE(other.columns.size() == reference.columns.size());
    for (std::size_t k = 0; k < reference.columns.size(); ++k) {
      CAPTURE(reference.names[k]);
      CHECK(same_bits(other.columns[k], reference.columns[k]));
      CHECK(same_bits(other.moments[k], reference.moments[k]));
    }
    CHECK(other.non_finite == reference.non_finite);
  }
}

TEST_CASE("histogram runs match column runs and are bit-identical for any number of threads") {
  const scenario::Scenario model = scenario::parse(kMixed, "test.toml");
  const Simulation stored = run(model, kDraws, 2023, 2);
  const Simulation reference = run(model, kDraws, 2023, 1, Storage::histograms);
  for (std::size_t k = 0; k < model.outputs.size(); ++k) {
    CAPTURE(model.outputs[k]);
    CHECK(reference.columns[k].empty());
    CHECK(same_bits(reference.moments[k], stored.moments[k]));
    if (model.outputs[k] == "high") {
      CHECK_FALSE(reference.histograms[k].has_value());
      continue;
    }
    REQUIRE(reference.histograms[k].has_value());
    // The histogram of the stored column, counted in one go, is the one the blocks built.
    Histogram whole;
    whole.add(stored.columns[k]);
    CHECK(*reference.histograms[k] == whole);
  }
  for (const unsigned threads : {2u, 3u, 8u}) {
    const Simulation other = run(model, kDraws, 2023, threads, Storage::histograms);
    CAPTURE(threads);
    for (std::size_t k = 0; k < model.outputs.size(); ++k) {
      CAPTURE(model.outputs[k]);
      CHECK(same_bits(other.moments[k], reference.moments[k]));
      REQUIRE(other.histograms[k].has_value() == reference.histograms[k].has_value());
      if (other.histograms[k]) CHECK(*other.histograms[k] == *reference.histograms[k]);
    }
  }
}

TEST_CASE("stored draws take eight bytes per draw of every output that is not a truth value") {
  const scenario::Scenario model = scenario::parse(kMixed, "test.toml");
  CHECK(column_bytes(model, 1000) == 14 * 1000 * sizeof(double));
  CHECK(column_bytes(model, 0) == 0);
}

TEST_CASE("the same seed repeats the draws and another seed changes them") {
  const scenario::Scenario model = scenario::parse(kMixed, "test.toml");
  ThreadPool pool(2);
  const Simulation first = simulate(model, kDraws, 7, pool);
  const Simulation again = simulate(model, kDraws, 7, pool);
  const Simulation other = simulate(model, kDraws, 8, pool);
  for (std::size_t k = 0; k < first.columns.size(); ++k) {
    CAPTURE(first.names[k]);
    CHECK(same_bits(first.columns[k], again.columns[k]));
    CHECK(same_bits(first.moments[k], again.moments[k]));
    if (first.names[k] != "reported") CHECK_FALSE(same_bits(first.moments[k], other.moments[k]));
  }
}

TEST_CASE("an input's draws depend on its name, not on the other inputs") {
  const scenario::Scenario small = scenario::parse(R"toml(
[scenario]
name = "keyed"
[inputs]
a = "normal(0, 1)"
b = "uniform(0, 1)"
[outputs]
names = ["a", "b"]
)toml",
                                                   "test.toml");
  const scenario::Scenario larger = scenario::parse(R"toml(
[scenario]
name = "keyed"
[inputs]
z = "gamma(2, 1)"
b = "uniform(0, 1)"
extra = "beta(2, 2)"
a = "normal(0, 1)"
[outputs]
names = ["a", "b", "z"]
)toml",
                                                    "test.toml");
  const Simulation before = run(small, kDraws, 11, 2);
  const Simulation after = run(larger, kDraws, 11, 3);
  CHECK(same_bits(column(before, "a"), column(after, "a")));
  CHECK(same_bits(column(before, "b"), column(after, "b")));
  CHECK_FALSE(same_bits(column(after, "a"), column(after, "z")));

  // The scenario's name is part of the key too: a renamed scenario draws afresh.
  scenario::Scenario renamed = small;
  renamed.name = "keyed-renamed";
  const Simulation elsewhere = run(renamed, kDraws, 11, 2);
  CHECK_FALSE(same_bits(column(before, "a"), column(elsewhere, "a")));
}

TEST_CASE("a constant input is broadcast and derived values follow their formulas") {
  const scenario::Scenario model = scenario::parse(R"toml(
[scenario]
name = "formulas"
[inputs]
c = 67_500
a = "uniform(-1, 1)"
b = "normal(3, 2)"
[derived]
d = "a * c + b / 4 - max(a, b)"
f = "if(a < 0, b, c)"
[outputs]
names = ["c", "a", "b", "d", "f"]
)toml",
                                                   "test.toml");
  const std::uint64_t draws = 3 * kBlockSize + 5;
  const Simulation simulation = run(model, draws, 5, 3);
  const auto& c = column(simulation, "c");
  const auto& a = column(simulation, "a");
  const auto& b = column(simulation, "b");
  const auto& d = column(simulation, "d");
  const auto& f = column(simulation, "f");
  std::uint64_t constant_ok = 0;
  std::uint64_t d_ok = 0;
  std::uint64_t f_ok = 0;
  for (std::size_t i = 0; i < draws; ++i) {
    constant_ok += c[i] == 67'500.0;
    d_ok += d[i] == a[i] * 67'500.0 + b[i] / 4.0 - std::max(a[i], b[i]);
    f_ok += f[i] == (a[i] < 0.0 ? b[i] : 67'500.0);
  }
  CHECK(constant_ok == draws);
  CHECK(d_ok == draws);
  CHECK(f_ok == draws);
  CHECK(simulation.non_finite == std::vector<std::uint64_t>(5, 0));
  for (const auto& example : simulation.first_non_finite)
    CHECK_FALSE(example.has_value());
}

TEST_CASE("non-finite draws are counted per output with the first offending draw") {
  const scenario::Scenario model = scenario::parse(R"toml(
[scenario]
name = "logs"
[inputs]
k = 2
x = "uniform(-1, 1)"
[derived]
y = "log(x)"
[outputs]
names = ["x", "y"]
)toml",
                                                   "test.toml");
  for (const unsigned threads : {1u, 3u}) {
    const Simulation simulation = run(model, kDraws, 99, threads);
    const auto& x = column(simulation, "x");
    const auto& y = column(simulation, "y");
    const auto negatives = static_cast<std::uint64_t>(
        std::count_if(x.begin(), x.end(), [](double v) { return v <= 0; }));
    const auto first = static_cast<std::uint64_t>(
        std::find_if(x.begin(), x.end(), [](double v) { return v <= 0; }) - x.begin());

    // log(x) is NaN exactly where x <= 0, which has probability 1/2.
    const double n = static_cast<double>(kDraws);
    const double tolerance = 4 * std::sqrt(n * 0.25);
    CAPTURE(threads, simulation.non_finite[1], negatives, n / 2, tolerance);
    CHECK(simulation.non_finite[0] == 0);
    CHECK_FALSE(simulation.first_non_finite[0].has_value());
    CHECK(simulation.non_finite[1] == negatives);
    CHECK(std::abs(static_cast<double>(simulation.non_finite[1]) - n / 2) < tolerance);

    REQUIRE(simulation.first_non_finite[1].has_value());
    const auto& example = *simulation.first_non_finite[1];
    CHECK(example.draw == first);
    CHECK(std::isnan(example.value));
    CHECK(std::isnan(y[first]));
    REQUIRE(example.inputs.size() == 2);
    CHECK(example.inputs[0].first == "k");
    CHECK(example.inputs[0].second == 2.0);
    CHECK(example.inputs[1].first == "x");
    CHECK(example.inputs[1].second == x[first]);
  }
}

TEST_CASE("the first non-finite draw is the lowest over all blocks and workers") {
  // Rare offending draws (about 1 in 4000) are scattered over the blocks, so several workers each
  // find their own first one and the merge must keep the lowest.
  const scenario::Scenario model = scenario::parse(R"toml(
[scenario]
name = "rare"
[inputs]
x = "uniform(0, 1)"
[derived]
y = "if(x > 0.99975, log(-x), x)"
[outputs]
names = ["y", "x"]
)toml",
                                                   "test.toml");
  const std::uint64_t draws = 40 * kBlockSize + 1;
  const Simulation serial = run(model, draws, 3, 1);
  const auto& x = column(serial, "x");
  const auto offending = [](double v) { return v > 0.99975; };
  const auto expected_count =
      static_cast<std::uint64_t>(std::count_if(x.begin(), x.end(), offending));
  const auto expected_first =
      static_cast<std::uint64_t>(std::find_if(x.begin(), x.end(), offending) - x.begin());
  REQUIRE(expected_count > 1);
  for (const unsigned threads : {1u, 2u, 8u}) {
    const Simulation simulation = run(model, draws, 3, threads);
    CAPTURE(threads, expected_first, expected_count);
    CHECK(simulation.non_finite[0] == expected_count);
    REQUIRE(simulation.first_non_finite[0].has_value());
    CHECK(simulation.first_non_finite[0]->draw == expected_first);
    CHECK(simulation.first_non_finite[0]->inputs.at(0).second == x[expected_first]);
  }
}

TEST_CASE("draw counts at and around block boundaries") {
  const scenario::Scenario model = scenario::parse(R"toml(
[scenario]
name = "sizes"
[inputs]
x = "normal(0, 1)"
[outputs]
names = ["x"]
)toml",
                                                   "test.toml");
  const Simulation longest = run(model, 2 * kBlockSize + 1, 1, 2);
  for (const std::uint64_t draws :
       {std::uint64_t{0}, std::uint64_t{1}, std::uint64_t{kBlockSize - 1},
        std::uint64_t{kBlockSize}, std::uint64_t{kBlockSize + 1},
        std::uint64_t{2 * kBlockSize + 1}}) {
    const Simulation simulation = run(model, draws, 1, 2);
    CAPTURE(draws);
    REQUIRE(simulation.columns.at(0).size() == draws);
    // A shorter run is a prefix of a longer one: block b holds the same draws either way.
    CHECK(std::equal(simulation.columns[0].begin(), simulation.columns[0].end(),
                     longest.columns[0].begin()));
  }
}

TEST_CASE("more draws than 2^32 blocks are rejected before anything is allocated") {
  const scenario::Scenario model = scenario::parse(R"toml(
[scenario]
name = "huge"
[inputs]
x = "normal(0, 1)"
)toml",
                                                   "test.toml");
  ThreadPool pool(1);
  const std::uint64_t limit = (std::uint64_t{1} << 32) * kBlockSize;
  CHECK_THROWS_AS(simulate(model, limit + 1, 1, pool), darkfigure::core::InputError);
  CHECK_THROWS_WITH(simulate(model, limit + 1, 1, pool),
                    Catch::Matchers::Contains("draws is " + std::to_string(limit + 1)));
}

TEST_CASE("progress hears of every block once, ending at the total") {
  const scenario::Scenario model = scenario::parse(kMixed, "test.toml");
  const std::uint64_t draws = 10 * kBlockSize + 1;
  ThreadPool pool(3);
  std::mutex mutex;
  std::vector<std::uint64_t> seen;
  const Simulation simulation = simulate(model, draws, 9, pool, Storage::columns,
                                         [&](std::uint64_t finished, std::uint64_t total) {
                                           const std::lock_guard lock(mutex);
                                           CHECK(total == 11);
                                           seen.push_back(finished);
                                         });
  std::sort(seen.begin(), seen.end());
  std::vector<std::uint64_t> expected(11);
  std::iota(expected.begin(), expected.end(), std::uint64_t{1});
  CHECK(seen == expected);
  CHECK(simulation.columns.front().size() == draws);
}

TEST_CASE("extending a run gives the run of all its draws, bit for bit") {
  const scenario::Scenario s = scenario::parse(kMixed, "mixed.toml");
  const std::vector<std::size_t> kept = {*s.slot_of("rate"), *s.slot_of("victims")};
  ThreadPool one(1);
  ThreadPool three(3);
  const Simulation whole = simulate(s, kDraws, 5, one, Storage::all_columns, {}, kept);
  Simulation grown = simulate(s, 4 * kBlockSize, 5, three, Storage::all_columns, {}, kept);
  darkfigure::engine::extend(grown, s, 9 * kBlockSize, 5, one);
  darkfigure::engine::extend(grown, s, kDraws, 5, three);
  CHECK(grown.draws == kDraws);
  REQUIRE(grown.moments.size() == whole.moments.size());
  for (std::size_t k = 0; k < whole.moments.size(); ++k) {
    INFO("output " << whole.names[k]);
    CHECK(std::memcmp(&grown.moments[k], &whole.moments[k], sizeof(Moments)) == 0);
    REQUIRE(grown.columns[k].size() == kDraws);
    CHECK(std::equal(grown.columns[k].begin(), grown.columns[k].end(), whole.columns[k].begin()));
    CHECK(grown.non_finite[k] == whole.non_finite[k]);
  }
  REQUIRE(grown.kept.size() == 2);
  for (std::size_t j = 0; j < 2; ++j) {
    CHECK(std::equal(grown.kept[j].begin(), grown.kept[j].end(), whole.kept[j].begin()));
  }
  // Storage::all_columns keeps truth values too, which Storage::columns only counts.
  CHECK(whole.columns.back().size() == kDraws);
  CHECK(column_bytes(s, 10, Storage::all_columns, 2) == (s.outputs.size() + 2) * 10 * 8);
}

namespace {

/// kMixed under a design, with two blocks of correlated inputs.
scenario::Scenario designed(darkfigure::sampling::Design design, std::uint32_t replicates) {
  std::string text = kMixed;
  text += R"toml(
[[correlation]]
inputs = ["rate", "size", "shape"]
matrix = [[1.0, -0.5, 0.3], [-0.5, 1.0, 0.2], [0.3, 0.2, 1.0]]

[[correlation]]
inputs = ["arrivals", "expert"]
matrix = [[1.0, 0.7], [0.7, 1.0]]
)toml";
  scenario::Scenario s = scenario::parse(text, "designed.toml");
  s.sampling.design = design;
  s.sampling.replicates = replicates;
  return s;
}

}  // namespace

TEST_CASE(
    "Latin hypercube and Sobol runs with correlations are bit-identical for any thread count") {
  using darkfigure::sampling::Design;
  for (const Design design : {Design::mc, Design::lhs, Design::sobol}) {
    CAPTURE(darkfigure::sampling::design_name(design));
    // 7 replicates of 7,132 or 7,133 draws: most blocks hold pieces of two replicates.
    const scenario::Scenario s = designed(design, 7);
    const Simulation reference = run(s, kDraws, 2023, 1);
    CHECK(reference.design == design);
    CHECK(reference.replicate_moments.size() == (design == Design::mc ? 0 : s.outputs.size()));
    for (const unsigned threads : {2u, 3u}) {
      const Simulation other = run(s, kDraws, 2023, threads);
      REQUIRE(other.replicate_moments.size() == reference.replicate_moments.size());
      for (std::size_t k = 0; k < reference.columns.size(); ++k) {
        CAPTURE(reference.names[k], threads);
        CHECK(same_bits(other.columns[k], reference.columns[k]));
        CHECK(same_bits(other.moments[k], reference.moments[k]));
        if (reference.replicate_moments.empty()) continue;
        for (std::size_t r = 0; r < reference.replicate_moments[k].size(); ++r)
          CHECK(same_bits(other.replicate_moments[k][r], reference.replicate_moments[k][r]));
      }
    }
  }
}

TEST_CASE("replicate moments add up to the run's moments") {
  using darkfigure::sampling::Design;
  for (const Design design : {Design::lhs, Design::sobol}) {
    const scenario::Scenario s = designed(design, 10);
    const Simulation simulation = run(s, kDraws, 9, 2);
    const darkfigure::sampling::Replicates replicates(kDraws, 10);
    for (std::size_t k = 0; k < s.outputs.size(); ++k) {
      CAPTURE(s.outputs[k]);
      REQUIRE(simulation.replicate_moments[k].size() == 10);
      Moments pooled;
      for (std::uint32_t r = 0; r < 10; ++r) {
        const Moments& moments = simulation.replicate_moments[k][r];
        CHECK(moments.count + moments.non_finite == replicates.size(r));
        if (!simulation.columns[k].empty()) {
          const std::span<const double> own = std::span<const double>(simulation.columns[k])
                                                  .subspan(replicates.first(r), replicates.size(r));
          CHECK(moments.mean == Approx(Moments::of(own).mean).epsilon(1e-12));
        }
        pooled.append(moments);
      }
      CHECK(pooled.count == simulation.moments[k].count);
      CHECK(pooled.mean == Approx(simulation.moments[k].mean).epsilon(1e-12));
      CHECK(pooled.m2 == Approx(simulation.moments[k].m2).epsilon(1e-9));
    }
  }
}

TEST_CASE("a design with more replicates than draws is refused") {
  const scenario::Scenario s = designed(darkfigure::sampling::Design::lhs, 10);
  ThreadPool pool(1);
  CHECK_THROWS_AS(simulate(s, 9, 1, pool), darkfigure::core::InputError);
}

TEST_CASE("the block sink sees every block once, with the columns of the run") {
  const scenario::Scenario s = designed(darkfigure::sampling::Design::sobol, 4);
  ThreadPool pool(3);
  const std::size_t slot = *s.slot_of("victims");
  std::vector<double> seen(kDraws, -1.0);
  std::mutex mutex;
  std::vector<std::uint64_t> blocks;
  const Simulation simulation =
      simulate(s, kDraws, 3, pool, Storage::columns, {}, {},
               [&](std::uint64_t block, std::uint64_t first_draw,
                   const darkfigure::expression::BlockColumns& columns, std::size_t count) {
                 std::copy_n(columns.column(slot), count,
                             seen.begin() + static_cast<std::ptrdiff_t>(first_draw));
                 const std::lock_guard lock(mutex);
                 blocks.push_back(block);
               });
  std::sort(blocks.begin(), blocks.end());
  std::vector<std::uint64_t> expected(13);
  std::iota(expected.begin(), expected.end(), 0);
  CHECK(blocks == expected);
  CHECK(same_bits(seen, column(simulation, "victims")));
}

TEST_CASE("checkpoints come after 1 to 8 blocks, then each about a quarter past the last") {
  std::vector<std::uint64_t> found;
  for (std::uint64_t blocks = 1; blocks <= 100; ++blocks) {
    if (darkfigure::engine::is_checkpoint(blocks)) found.push_back(blocks);
  }
  CHECK(found == std::vector<std::uint64_t>{1,  2,  3,  4,  5,  6,  7,  8,  10, 12,
                                            15, 18, 22, 27, 33, 41, 51, 63, 78, 97});
  CHECK_FALSE(darkfigure::engine::is_checkpoint(0));
  std::uint64_t count = 0;
  for (std::uint64_t blocks = 1; blocks <= 244'141; ++blocks)  // 10^9 draws
    count += darkfigure::engine::is_checkpoint(blocks);
  CHECK(count == 55);
}

TEST_CASE("checkpoint moments are those of the first blocks, for any threads and extensions") {
  const scenario::Scenario model = scenario::parse(kMixed, "test.toml");
  const Simulation reference = run(model, kDraws, 2023, 1);
  REQUIRE_FALSE(reference.checkpoints.empty());
  for (const auto& checkpoint : reference.checkpoints) {
    CAPTURE(checkpoint.blocks);
    CHECK(darkfigure::engine::is_checkpoint(checkpoint.blocks));
    const Simulation prefix = run(model, checkpoint.blocks * kBlockSize, 2023, 1);
    for (std::size_t k = 0; k < model.outputs.size(); ++k)
      CHECK(same_bits(checkpoint.moments[k], prefix.moments[k]));
  }
  ThreadPool three(3);
  Simulation grown = simulate(model, 5 * kBlockSize, 2023, three);
  darkfigure::engine::extend(grown, model, kDraws, 2023, three);
  REQUIRE(grown.checkpoints.size() == reference.checkpoints.size());
  for (std::size_t c = 0; c < grown.checkpoints.size(); ++c) {
    CHECK(grown.checkpoints[c].blocks == reference.checkpoints[c].blocks);
    for (std::size_t k = 0; k < model.outputs.size(); ++k)
      CHECK(same_bits(grown.checkpoints[c].moments[k], reference.checkpoints[c].moments[k]));
  }
}
