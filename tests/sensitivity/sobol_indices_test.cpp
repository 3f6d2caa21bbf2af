#include "darkfigure/sensitivity/sobol_indices.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <functional>
#include <numbers>
#include <stdexcept>
#include <string>
#include <vector>

#include "test_functions.hpp"

using darkfigure::random::Stream;
using darkfigure::random::StreamKey;
using darkfigure::sensitivity::Bootstrap;
using darkfigure::sensitivity::Interval;
using darkfigure::sensitivity::PickFreeze;
using darkfigure::sensitivity::sobol_indices;
using darkfigure::sensitivity::sobol_warnings;
using darkfigure::sensitivity::SobolIndex;
using darkfigure::sensitivity::SobolIndices;

using namespace darkfigure::sensitivity::testing;

namespace {

constexpr double kPi = std::numbers::pi;

/// A model of independent inputs, each a function of one uniform in (0, 1).
using Model = std::function<double(const std::vector<double>& uniforms)>;

/// The model's values at a Saltelli design: A from the stream with block 0, B from block 1, and
/// A_B^i, and views of them as PickFreeze.
struct Design {
  std::vector<double> a;
  std::vector<double> b;
  std::vector<std::vector<double>> ab;

  PickFreeze values() const {
    PickFreeze view{a, b, {}};
    for (const auto& column : ab)
      view.ab.emplace_back(column);
    return view;
  }
};

Design evaluate(const Model& model, std::size_t input_count, std::size_t draw_count,
                std::uint64_t seed) {
  Stream a_stream(StreamKey{seed, 1, 0, 0});
  Stream b_stream(StreamKey{seed, 1, 1, 0});
  Design design;
  design.ab.assign(input_count, std::vector<double>(draw_count));
  std::vector<double> a_row(input_count);
  std::vector<double> b_row(input_count);
  for (std::size_t j = 0; j < draw_count; ++j) {
    for (std::size_t i = 0; i < input_count; ++i) {
      a_row[i] = a_stream.uniform();
      b_row[i] = b_stream.uniform();
    }
    design.a.push_back(model(a_row));
    design.b.push_back(model(b_row));
    for (std::size_t i = 0; i < input_count; ++i) {
      std::vector<double> mixed = a_row;
      mixed[i] = b_row[i];
      design.ab[i][j] = model(mixed);
    }
  }
  return design;
}

/// The Ishigami function (Ishigami and Homma 1990) with a = 7, b = 0.1 and x_i ~ U(-pi, pi).

double ishigami(const std::vector<double>& u) {
  const double x1 = kPi * (2.0 * u[0] - 1.0);
  const double x2 = kPi * (2.0 * u[1] - 1.0);
  const double x3 = kPi * (2.0 * u[2] - 1.0);
  return std::sin(x1) + kIshigamiA * std::sin(x2) * std::sin(x2) +
         kIshigamiB * std::pow(x3, 4) * std::sin(x1);
}

/// The Sobol G-function, prod_i (|4 u_i - 2| + a_i) / (1 + a_i).
double g_function(const std::vector<double>& u) {
  double product = 1.0;
  for (std::size_t i = 0; i < kG.size(); ++i)
    product *= (std::abs(4.0 * u[i] - 2.0) + kG[i]) / (1.0 + kG[i]);
  return product;
}

/// Checks one estimate against its true value: within 0.03, and within twice the half-width of
/// its 95% bootstrap interval (about 4 standard errors).
void check_index(double estimate, const Interval& interval, double truth, const char* kind,
                 std::size_t input) {
  const double error = std::abs(estimate - truth);
  const double tolerance = interval.upper - interval.lower;
  INFO(kind << input + 1 << ": computed " << estimate << ", expected " << truth << ", interval ["
            << interval.lower << ", " << interval.upper << "], tolerance " << tolerance);
  CHECK(error < 0.03);
  CHECK(error < tolerance);
}

void check_against(const SobolIndices& indices, const ExactIndices& truth) {
  REQUIRE(indices.inputs.size() == truth.first.size());
  for (std::size_t i = 0; i < truth.first.size(); ++i) {
    const SobolIndex& index = indices.inputs[i];
    check_index(index.first, index.first_ci, truth.first[i], "S", i);
    check_index(index.total, index.total_ci, truth.total[i], "ST", i);
  }
}

bool holds(const Interval& interval, double value) {
  return interval.lower <= value && value <= interval.upper;
}

bool same(const Interval& left, const Interval& right) {
  return left.lower == right.lower && left.upper == right.upper;
}

Bootstrap bootstrap_with(std::uint32_t resamples, std::uint64_t seed) {
  Bootstrap bootstrap;
  bootstrap.resamples = resamples;
  bootstrap.key = StreamKey{seed, 7, 0, 11};
  return bootstrap;
}

constexpr std::size_t kBase = std::size_t{1} << 15;

}  // namespace

TEST_CASE("sobol_indices: Ishigami indices match their closed form at N = 2^15") {
  const Design design = evaluate(ishigami, 3, kBase, 20240601);
  const SobolIndices indices = sobol_indices(design.values(), bootstrap_with(1000, 1));
  check_against(indices, ishigami_indices());
  const double pi4 = std::pow(kPi, 4);
  const double variance = kIshigamiA * kIshigamiA / 8.0 + kIshigamiB * pi4 / 5.0 +
                          kIshigamiB * kIshigamiB * pi4 * pi4 / 18.0 + 0.5;
  CHECK(indices.variance == Approx(variance).epsilon(0.03));
}

TEST_CASE("sobol_indices: G-function indices match their closed form at N = 2^15") {
  const Design design = evaluate(g_function, kG.size(), kBase, 20240602);
  check_against(sobol_indices(design.values(), bootstrap_with(1000, 2)), g_function_indices());
}

TEST_CASE("sobol_indices: 95% bootstrap intervals cover the Ishigami indices about 95% of runs") {
  // 200 independent runs at N = 2^10: each interval's coverage count is binomial, with standard
  // deviation sqrt(0.95 0.05 / 200) = 0.015 if the intervals are exact; 0.85 is 6.5 of them below.
  const ExactIndices truth = ishigami_indices();
  constexpr int kRuns = 200;
  std::vector<int> first_covered(3, 0);
  std::vector<int> total_covered(3, 0);
  for (int run = 0; run < kRuns; ++run) {
    const Design design = evaluate(ishigami, 3, 1024, 1000 + static_cast<std::uint64_t>(run));
    const SobolIndices indices =
        sobol_indices(design.values(), bootstrap_with(200, static_cast<std::uint64_t>(run)));
    for (std::size_t i = 0; i < 3; ++i) {
      first_covered[i] += holds(indices.inputs[i].first_ci, truth.first[i]);
      total_covered[i] += holds(indices.inputs[i].total_ci, truth.total[i]);
    }
  }
  for (std::size_t i = 0; i < 3; ++i) {
    INFO("input " << i + 1 << ": first-order covered " << first_covered[i] << " of " << kRuns
                  << ", total " << total_covered[i]);
    CHECK(first_covered[i] >= 0.85 * kRuns);
    CHECK(total_covered[i] >= 0.85 * kRuns);
  }
}

TEST_CASE("sobol_indices: the bootstrap is deterministic and its intervals hold the estimates") {
  const Design design = evaluate(g_function, kG.size(), 4096, 5);
  const SobolIndices once = sobol_indices(design.values(), bootstrap_with(300, 9));
  const SobolIndices again = sobol_indices(design.values(), bootstrap_with(300, 9));
  const SobolIndices other_seed = sobol_indices(design.values(), bootstrap_with(300, 10));
  CHECK(once.variance == again.variance);
  for (std::size_t i = 0; i < kG.size(); ++i) {
    const SobolIndex& index = once.inputs[i];
    CHECK(index.first == again.inputs[i].first);
    CHECK(index.total == again.inputs[i].total);
    CHECK(same(index.first_ci, again.inputs[i].first_ci));
    CHECK(same(index.total_ci, again.inputs[i].total_ci));
    CHECK(index.first == other_seed.inputs[i].first);
    CHECK_FALSE(same(index.total_ci, other_seed.inputs[i].total_ci));
    CHECK(holds(index.first_ci, index.first));
    CHECK(holds(index.total_ci, index.total));
  }
}

TEST_CASE("sobol_indices: a wider level gives a wider interval around the same estimates") {
  const Design design = evaluate(ishigami, 3, 4096, 6);
  Bootstrap narrow = bootstrap_with(500, 3);
  narrow.level = 0.5;
  const SobolIndices at_50 = sobol_indices(design.values(), narrow);
  const SobolIndices at_95 = sobol_indices(design.values(), bootstrap_with(500, 3));
  for (std::size_t i = 0; i < 3; ++i) {
    CHECK(at_50.inputs[i].first == at_95.inputs[i].first);
    CHECK(at_95.inputs[i].first_ci.lower <= at_50.inputs[i].first_ci.lower);
    CHECK(at_95.inputs[i].first_ci.upper >= at_50.inputs[i].first_ci.upper);
    CHECK(at_95.inputs[i].total_ci.lower <= at_50.inputs[i].total_ci.lower);
    CHECK(at_95.inputs[i].total_ci.upper >= at_50.inputs[i].total_ci.upper);
  }
}

TEST_CASE("sobol_indices: a large constant added to the output leaves the indices unchanged") {
  // Without centring, the first-order estimator would gain shift * mean_j (f(A_B^i_j) - f(A_j)),
  // of order 1e8 / sqrt(N) here, and lose every digit of the index.
  Design design = evaluate(ishigami, 3, 4096, 7);
  const SobolIndices plain = sobol_indices(design.values(), bootstrap_with(100, 4));
  constexpr double kShift = 1e8;
  for (double& v : design.a)
    v += kShift;
  for (double& v : design.b)
    v += kShift;
  for (auto& column : design.ab) {
    for (double& v : column)
      v += kShift;
  }
  const SobolIndices shifted = sobol_indices(design.values(), bootstrap_with(100, 4));
  CHECK(shifted.variance == Approx(plain.variance).epsilon(1e-6));
  for (std::size_t i = 0; i < 3; ++i) {
    CHECK(shifted.inputs[i].first == Approx(plain.inputs[i].first).margin(1e-6));
    CHECK(shifted.inputs[i].total == Approx(plain.inputs[i].total).margin(1e-6));
    CHECK(shifted.inputs[i].first_ci.lower == Approx(plain.inputs[i].first_ci.lower).margin(1e-6));
    CHECK(shifted.inputs[i].total_ci.upper == Approx(plain.inputs[i].total_ci.upper).margin(1e-6));
  }
}

TEST_CASE("sobol_indices: columns of other lengths and bad bootstrap settings are rejected") {
  const std::vector<double> four = {1.0, 2.0, 3.0, 4.0};
  const std::vector<double> three = {1.0, 2.0, 3.0};
  const std::vector<double> one = {1.0};
  CHECK_THROWS_AS(sobol_indices(PickFreeze{four, three, {four}}, Bootstrap{}),
                  std::invalid_argument);
  CHECK_THROWS_WITH(sobol_indices(PickFreeze{four, four, {four, three}}, Bootstrap{}),
                    "sobol_indices: f(A_B^1) has 3 values, but must have 4 as f(A) does");
  CHECK_THROWS_WITH(sobol_indices(PickFreeze{one, one, {one}}, Bootstrap{}),
                    "sobol_indices: the base sample size is 1, but must be at least 2");
  Bootstrap bootstrap;
  bootstrap.resamples = 0;
  CHECK_THROWS_AS(sobol_indices(PickFreeze{four, four, {four}}, bootstrap), std::invalid_argument);
  bootstrap.resamples = 10;
  bootstrap.level = 1.0;
  CHECK_THROWS_WITH(sobol_indices(PickFreeze{four, four, {four}}, bootstrap),
                    "sobol_indices: the bootstrap level is 1, but must be in (0, 1)");
}

TEST_CASE("sobol_indices: non-finite values and an output that does not vary are rejected") {
  const std::vector<double> four = {1.0, 2.0, 3.0, 4.0};
  std::vector<double> broken = four;
  broken[2] = std::nan("");
  CHECK_THROWS_WITH(sobol_indices(PickFreeze{four, four, {four, broken}}, Bootstrap{}),
                    "sobol_indices: f(A_B^1) value 2 is nan, but must be finite");
  const std::vector<double> flat(4, 2.5);
  CHECK_THROWS_WITH(sobol_indices(PickFreeze{flat, flat, {four}}, Bootstrap{}),
                    "sobol_indices: the output is 2.5 at every draw of A and B, but must vary");
  CHECK_NOTHROW(sobol_indices(PickFreeze{flat, four, {four}}, Bootstrap{}));
}

TEST_CASE("sobol_warnings: each kind of noisy index gets its sentence") {
  SobolIndices indices;
  indices.inputs = {
      SobolIndex{-0.12, 0.3, Interval{-0.2, -0.05}, Interval{0.2, 0.4}},
      SobolIndex{0.4, 1.2, Interval{0.3, 0.5}, Interval{1.05, 1.31}},
      SobolIndex{0.5, 0.3, Interval{0.45, 0.55}, Interval{0.25, 0.35}},
      SobolIndex{-0.01, 0.2, Interval{-0.05, 0.04}, Interval{0.15, 0.25}},
      SobolIndex{0.3, 0.35, Interval{0.05, 0.6}, Interval{0.2, 0.45}},
  };
  const std::vector<std::string> names = {"x1", "x2", "x3", "x4", "x5"};
  const std::vector<std::string> expected = {
      "x1: the first-order index is -0.12 with its bootstrap interval [-0.2, -0.05] wholly below "
      "0: the indices are too noisy to rank the inputs; raise the base sample (--draws)",
      "x2: the total index is 1.2 with its bootstrap interval [1.05, 1.31] wholly above 1: the "
      "indices are too noisy to rank the inputs; raise the base sample (--draws)",
      "x3: the first-order index is 0.5 with its bootstrap interval [0.45, 0.55] wholly above "
      "that of the total index, 0.3 [0.25, 0.35]: the indices are too noisy to rank the inputs; "
      "raise the base sample (--draws)",
      "x5: the first-order index is 0.3 with its bootstrap interval [0.05, 0.6], wider than 0.1: "
      "the indices are too noisy to rank the inputs; raise the base sample (--draws)",
  };
  CHECK(sobol_warnings(indices, names) == expected);
  CHECK_THROWS_AS(sobol_warnings(indices, std::vector<std::string>{"x1"}), std::invalid_argument);
}

TEST_CASE("sobol_warnings: fires on estimates that cannot be indices, silent on clean ones") {
  // Values built so that every first-order index and total index lies outside what a model can
  // give: with a and b independent noise, f(A_B^0) = a - b gives S_0 about -1; f(A_B^1) = a + 3 e
  // gives ST_1 about 4.5; f(A_B^2) = a + 0.3 (b - a) gives S_2 about 0.3 above ST_2 about 0.09.
  constexpr std::size_t kCount = 4096;
  Stream stream(StreamKey{3, 4, 5, 6});
  std::vector<double> a(kCount);
  std::vector<double> b(kCount);
  std::vector<std::vector<double>> ab(3, std::vector<double>(kCount));
  for (std::size_t j = 0; j < kCount; ++j) {
    a[j] = stream.uniform() - 0.5;
    b[j] = stream.uniform() - 0.5;
    ab[0][j] = a[j] - b[j];
    ab[1][j] = a[j] + 3.0 * (stream.uniform() - 0.5);
    ab[2][j] = a[j] + 0.3 * (b[j] - a[j]);
  }
  const SobolIndices noisy =
      sobol_indices(PickFreeze{a, b, {ab[0], ab[1], ab[2]}}, bootstrap_with(200, 5));
  const std::vector<std::string> names = {"p", "q", "r"};
  const std::vector<std::string> warnings = sobol_warnings(noisy, names);
  REQUIRE(warnings.size() == 3);
  CHECK_THAT(warnings[0], Catch::StartsWith("p: the first-order index is -"));
  CHECK_THAT(warnings[0], Catch::Contains("wholly below 0"));
  CHECK_THAT(warnings[1], Catch::StartsWith("q: the total index is 4."));
  CHECK_THAT(warnings[1], Catch::Contains("wholly above 1"));
  CHECK_THAT(warnings[2], Catch::StartsWith("r: the first-order index is 0."));
  CHECK_THAT(warnings[2], Catch::Contains("wholly above that of the total index, 0.0"));

  const Design clean = evaluate(ishigami, 3, kBase, 8);
  const std::vector<std::string> ishigami_names = {"x1", "x2", "x3"};
  CHECK(sobol_warnings(sobol_indices(clean.values(), bootstrap_with(200, 6)), ishigami_names)
            .empty());
}
