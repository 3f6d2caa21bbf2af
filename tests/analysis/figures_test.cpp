// What a run keeps for its figures: display histograms, running estimates with their standard
// errors, quantile standard errors and which outputs read as shares.

#include "analysis/figures.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstring>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include "analysis_testing.hpp"
#include "darkfigure/analysis/analysis.hpp"
#include "darkfigure/summary/histogram.hpp"
#include "darkfigure/summary/moments.hpp"
#include "darkfigure/summary/summary.hpp"
#include "darkfigure/summary/weighted.hpp"

namespace detail = darkfigure::analysis::detail;
namespace report = darkfigure::report;
using darkfigure::analysis::testing::output;
using darkfigure::analysis::testing::run;

namespace {

double total_share(const report::DisplayHistogram& histogram) {
  return std::accumulate(histogram.shares.begin(), histogram.shares.end(), 0.0) + histogram.below +
         histogram.above;
}

bool same_bits(double a, double b) {
  return std::memcmp(&a, &b, sizeof a) == 0;
}

constexpr const char* kModel = R"toml(
[scenario]
draws = 50_000
seed = 11
[inputs]
rate = "beta(4, 16)"
cases = "lognormal(10, 0.5)"
[derived]
victims = "cases / rate"
high = "victims > 300000"
[outputs]
names = ["rate", "victims", "high"]
)toml";

}  // namespace

TEST_CASE("a display histogram counts each value in its bin and the rest below or above") {
  const std::vector<double> values = {-1.0, 0.0, 0.05, 0.5, 0.99, 1.0, 2.0, std::nan("")};
  const auto histogram = detail::display_histogram(values, {}, 0.0, 1.0);
  REQUIRE(histogram.has_value());
  REQUIRE(histogram->shares.size() == report::kDisplayBins);
  CHECK(histogram->low == 0.0);
  CHECK(histogram->width == Approx(1.0 / report::kDisplayBins).epsilon(1e-15));
  // Seven finite values: one below, one above, the top of the range in the last bin.
  CHECK(histogram->below == Approx(1.0 / 7.0));
  CHECK(histogram->above == Approx(1.0 / 7.0));
  CHECK(histogram->shares[0] == Approx(1.0 / 7.0));
  CHECK(histogram->shares[3] == Approx(1.0 / 7.0));
  CHECK(histogram->shares[30] == Approx(1.0 / 7.0));
  CHECK(histogram->shares[report::kDisplayBins - 1] == Approx(2.0 / 7.0));
  CHECK(total_share(*histogram) == Approx(1.0).epsilon(1e-15));

  // Weights count instead of ones; weight 0 leaves a value out.
  const std::vector<double> weighted_values = {0.1, 0.6, 0.9};
  const std::vector<double> weights = {3.0, 1.0, 0.0};
  const auto weighted = detail::display_histogram(weighted_values, weights, 0.0, 1.0);
  REQUIRE(weighted.has_value());
  CHECK(weighted->shares[6] == Approx(0.75));
  CHECK(weighted->shares[36] == Approx(0.25));
  CHECK(weighted->shares[54] == 0.0);

  CHECK_FALSE(detail::display_histogram(values, {}, 1.0, 1.0).has_value());
  CHECK_FALSE(detail::display_histogram(values, {}, 0.0, std::nan("")).has_value());
}

TEST_CASE("the top of a display histogram's range is in its last bin, whatever the rounding") {
  // (high - low) / width can come out a hair above the number of bins: a value at high must still
  // count in the last bin, not above the range.
  std::mt19937_64 generator(17);
  std::uniform_real_distribution<double> uniform(-5.0, 5.0);
  for (int trial = 0; trial < 2000; ++trial) {
    double low = uniform(generator);
    double high = uniform(generator);
    if (low > high) std::swap(low, high);
    const std::vector<double> values = {low, high};
    const auto histogram = detail::display_histogram(values, {}, low, high);
    if (!histogram) continue;
    CAPTURE(low, high);
    CHECK(histogram->above == 0.0);
    CHECK(histogram->below == 0.0);
    CHECK(histogram->shares.back() == 0.5);
  }
}

TEST_CASE("a display histogram from binned counts agrees with the one from the values") {
  std::mt19937_64 generator(5);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  std::vector<double> values(100'000);
  for (double& x : values)
    x = uniform(generator);
  darkfigure::summary::Histogram counts;
  counts.add(values);
  const auto exact = detail::display_histogram(values, {}, 0.1, 0.9);
  const auto binned = detail::display_histogram(counts, 0.1, 0.9);
  REQUIRE((exact && binned));
  // A binned value can land one display bin off only when it lies within 2^-12 of its value
  // from an edge: about 1.5% of a display bin's values at most.
  for (std::size_t b = 0; b < report::kDisplayBins; ++b)
    CHECK(std::abs(exact->shares[b] - binned->shares[b]) < 0.02 * exact->shares[b]);
  CHECK(binned->below == Approx(exact->below).epsilon(1e-3));
  CHECK(total_share(*binned) == Approx(1.0).epsilon(1e-15));
}

TEST_CASE("a weighted trace with equal weights is the running mean and its delta-method error") {
  std::mt19937_64 generator(9);
  std::normal_distribution<double> normal(5.0, 2.0);
  const std::size_t n = 20 * 4096 + 100;
  std::vector<double> values(n);
  for (double& x : values)
    x = normal(generator);
  const std::vector<double> weights(n, 2.0);
  const auto trace = detail::weighted_trace(values, weights, {});
  REQUIRE(trace.size() >= 10);
  CHECK(trace.back().draws == n);
  for (std::size_t p = 0; p < trace.size(); ++p) {
    const std::size_t m = trace[p].draws;
    CAPTURE(m);
    if (p + 1 < trace.size()) CHECK(m % 4096 == 0);
    const auto moments =
        darkfigure::summary::Moments::of(std::span<const double>(values.data(), m));
    CHECK(trace[p].mean == Approx(moments.mean).epsilon(1e-12));
    // sqrt(sum w^2 (x - mean)^2) / sum w = sqrt(sum (x - mean)^2) / m with equal weights.
    CHECK(trace[p].mcse == Approx(std::sqrt(moments.m2) / static_cast<double>(m)).epsilon(1e-9));
  }
  // Weight 0 and NaN values are left out.
  std::vector<double> holes = values;
  std::vector<double> some = weights;
  holes[3] = std::nan("");
  some[4] = 0.0;
  const auto skipped = detail::weighted_trace(holes, some, {});
  std::vector<double> kept = values;
  kept.erase(kept.begin() + 3, kept.begin() + 5);
  CHECK(skipped.back().mean == Approx(darkfigure::summary::Moments::of(kept).mean).epsilon(1e-12));
}

TEST_CASE("traces over replicates end with the pooled estimate and its replicate error") {
  std::vector<darkfigure::summary::Moments> replicates;
  for (int r = 0; r < 4; ++r)
    replicates.push_back(darkfigure::summary::Moments::of(std::vector<double>{1.0 * r, 2.0 * r}));
  const auto trace = detail::replicate_trace(replicates);
  REQUIRE(trace.size() == 3);
  CHECK(trace.front().draws == 4);
  CHECK(trace.back().draws == 8);
  CHECK(trace.back().mean == Approx(2.25));
  CHECK(trace.back().mcse == darkfigure::summary::replicate_mcse(replicates));

  const std::vector<double> values = {1.0, 2.0, 3.0, 4.0, 5.0, 6.0};
  const std::vector<double> weights = {1.0, 1.0, 1.0, 1.0, 1.0, 1.0};
  const std::vector<std::uint64_t> bounds = {0, 2, 4, 6};
  const auto weighted = detail::weighted_trace(values, weights, bounds);
  REQUIRE(weighted.size() == 2);
  CHECK(weighted[0].draws == 4);
  CHECK(weighted[0].mean == Approx(2.5));
  CHECK(weighted[1].mean == Approx(3.5));
  CHECK(weighted[1].mcse ==
        Approx(darkfigure::summary::weighted_replicate_mcse(values, weights, bounds, 3.5)));
}

TEST_CASE("a run keeps a trace, a display histogram and quantile errors for each output") {
  const auto result = run(kModel, 2);
  const auto& victims = output(result, "victims");
  REQUIRE_FALSE(victims.trace.empty());
  CHECK(victims.trace.back().draws == 50'000);
  CHECK(same_bits(victims.trace.back().mean, victims.summary.mean));
  CHECK(victims.trace.back().mcse == Approx(victims.summary.mcse_mean).epsilon(1e-12));
  for (std::size_t p = 1; p < victims.trace.size(); ++p)
    CHECK(victims.trace[p].draws > victims.trace[p - 1].draws);
  REQUIRE(victims.histogram.has_value());
  // The range runs from the 0.1% to the 99.9% quantile of the draws.
  CHECK(victims.histogram->below == Approx(0.001).margin(2.0 / 50'000));
  CHECK(victims.histogram->above == Approx(0.001).margin(2.0 / 50'000));
  CHECK(total_share(*victims.histogram) == Approx(1.0).epsilon(1e-12));
  REQUIRE(victims.summary.quantile_mcse.size() == victims.summary.levels.size());
  for (const double mcse : victims.summary.quantile_mcse)
    CHECK(mcse > 0.0);
  CHECK_FALSE(victims.share);

  const auto& rate = output(result, "rate");
  CHECK(rate.share);
  const auto& high = output(result, "high");
  CHECK(high.indicator);
  CHECK_FALSE(high.share);
  CHECK_FALSE(high.histogram.has_value());

  // Bit-identical for any number of threads.
  const auto other = run(kModel, 3);
  const auto& again = output(other, "victims");
  REQUIRE(again.trace.size() == victims.trace.size());
  for (std::size_t p = 0; p < victims.trace.size(); ++p) {
    CHECK(same_bits(again.trace[p].mean, victims.trace[p].mean));
    CHECK(same_bits(again.trace[p].mcse, victims.trace[p].mcse));
  }
  CHECK(again.histogram->shares == victims.histogram->shares);
  CHECK(again.summary.quantile_mcse == victims.summary.quantile_mcse);
}

TEST_CASE("binned, designed and conditioned runs keep their figures too") {
  darkfigure::analysis::RunOptions small_memory;
  small_memory.memory_budget = 1024;
  const auto binned = run(kModel, 2, small_memory);
  REQUIRE(binned.settings.binned);
  const auto exact = run(kModel, 2);
  const auto& a = output(binned, "victims");
  const auto& b = output(exact, "victims");
  REQUIRE((a.histogram && b.histogram));
  CHECK(a.histogram->low == Approx(b.histogram->low).epsilon(3e-4));
  CHECK(a.summary.quantile_mcse.size() == b.summary.quantile_mcse.size());

  const auto designed = run(std::string(kModel) + "[sampling]\ndesign = \"lhs\"\nreplicates = 5\n");
  const auto& d = output(designed, "victims");
  REQUIRE(d.trace.size() == 4);
  CHECK(d.trace.back().draws == 50'000);
  CHECK(same_bits(d.trace.back().mcse, d.summary.mcse_mean));

  const auto conditioned = run(R"toml(
[scenario]
draws = 40_000
seed = 3
[inputs]
p = "beta(2, 3)"
[[observe]]
name = "successes"
value = 30
likelihood = "binomial(100, p)"
[outputs]
names = ["p"]
)toml");
  const auto& p = output(conditioned, "p");
  REQUIRE(p.trace.size() >= 2);
  CHECK(p.trace.back().draws == 40'000);
  CHECK(p.trace.back().mean == Approx(p.summary.mean).epsilon(1e-12));
  CHECK(p.trace.back().mcse == Approx(p.summary.mcse_mean).epsilon(1e-9));
  REQUIRE(p.histogram.has_value());
  CHECK(total_share(*p.histogram) == Approx(1.0).epsilon(1e-12));
  CHECK(p.share);
  REQUIRE(p.summary.quantile_mcse.size() == 3);
  CHECK(p.summary.quantile_mcse[1] > 0.0);
}

TEST_CASE("an output reads as a share at every point of a sweep or at none") {
  const auto scenario = darkfigure::scenario::parse(R"toml(
[scenario]
draws = 5_000
[inputs]
scale = 1
x = "uniform(0, 1)"
[derived]
y = "x * scale"
[outputs]
names = ["y"]
[sweep]
scale = [0.5, 2.0]
)toml",
                                                    "sweep.toml");
  darkfigure::engine::ThreadPool pool(2);
  const auto points = darkfigure::analysis::run_points(scenario, {}, pool);
  REQUIRE(points.size() == 2);
  CHECK(points[0].outputs[0].summary.max <= 1.0);
  CHECK_FALSE(points[0].outputs[0].share);
  CHECK_FALSE(points[1].outputs[0].share);
}
