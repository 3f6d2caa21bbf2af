// Sensitivity studies of scenarios against closed forms: Sobol indices of the Ishigami and
// G-functions, standardised regression coefficients of a linear model with a quadratic term,
// partial rank correlations of a monotone model, a tornado of a linear model; then sweeps, errors
// and determinism. Tolerances are multiples of standard errors derived beside each test.

#include "darkfigure/analysis/sensitivity.hpp"

#include <algorithm>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/uniform.hpp>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <numbers>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "../sensitivity/test_functions.hpp"
#include "analysis_testing.hpp"
#include "darkfigure/analysis/analysis.hpp"
#include "darkfigure/core/error.hpp"
#include "darkfigure/engine/engine.hpp"
#include "darkfigure/engine/thread_pool.hpp"
#include "darkfigure/scenario/scenario.hpp"

namespace analysis = darkfigure::analysis;
namespace core = darkfigure::core;
namespace engine = darkfigure::engine;
namespace report = darkfigure::report;
namespace scenario = darkfigure::scenario;
using analysis::SensitivityMethod;
using analysis::SensitivityOptions;
using Catch::Matchers::Contains;
using darkfigure::sampling::Design;

using namespace darkfigure::sensitivity::testing;

namespace {

constexpr double kPi = std::numbers::pi;

std::vector<report::SensitivityResult> study(const std::string& text,
                                             const SensitivityOptions& options,
                                             unsigned threads = 2) {
  engine::ThreadPool pool(threads);
  return analysis::sensitivity(scenario::parse(text, "test.toml"), options, pool);
}

/// The single result of a study of one output at one point.
report::SensitivityResult only_result(const std::string& text, const SensitivityOptions& options,
                                      unsigned threads = 2) {
  std::vector<report::SensitivityResult> results = study(text, options, threads);
  REQUIRE(results.size() == 1);
  return std::move(results.front());
}

/// What the study says of input `name`; fails the test when it says nothing.
const report::InputSensitivity& input(const report::SensitivityResult& result,
                                      const std::string& name) {
  for (const report::InputSensitivity& entry : result.inputs) {
    if (entry.name == name) return entry;
  }
  FAIL("no input " << name << " in the study of " << result.output);
  return result.inputs.front();
}

std::vector<std::string> names(const report::SensitivityResult& result) {
  std::vector<std::string> found;
  for (const report::InputSensitivity& entry : result.inputs)
    found.push_back(entry.name);
  return found;
}

/// The error a study throws, or nullopt.
std::optional<core::InputError> error_of(const std::string& text,
                                         const SensitivityOptions& options) {
  try {
    study(text, options);
  } catch (const core::InputError& error) {
    return error;
  }
  return std::nullopt;
}

/// "x1", "x2", ...: built in place, since GCC 12 warns falsely (-Wrestrict) on a literal plus a
/// temporary string.
std::string numbered(std::string prefix, std::size_t number) {
  prefix += std::to_string(number);
  return prefix;
}

// --- Sobol indices ------------------------------------------------------------------------------

constexpr const char* kIshigami = R"toml(
[scenario]
name = "ishigami"
draws = 32_768
seed = 2024
[inputs]
x1 = "uniform(-pi, pi)"
x2 = "uniform(-pi, pi)"
x3 = "uniform(-pi, pi)"
[derived]
y = "sin(x1) + 7 * sin(x2)^2 + 0.1 * x3^4 * sin(x1)"
)toml";

/// E y^k of the G-function: the product of E g_i^k, each g_i = (2 u + a_i) / (1 + a_i) for
/// u = |2 x_i - 1| ~ uniform(0, 1), so E (2 u + a)^k = ((2 + a)^(k+1) - a^(k+1)) / (2 (k + 1)).
double g_raw_moment(int k) {
  double product = 1.0;
  for (const double a : kG) {
    product *=
        (std::pow(2.0 + a, k + 1) - std::pow(a, k + 1)) / (2.0 * (k + 1)) / std::pow(1.0 + a, k);
  }
  return product;
}

constexpr const char* kGFunction = R"toml(
[scenario]
name = "g-function"
draws = 32_768
seed = 2024
[inputs]
x1 = "uniform(0, 1)"
x2 = "uniform(0, 1)"
x3 = "uniform(0, 1)"
x4 = "uniform(0, 1)"
x5 = "uniform(0, 1)"
x6 = "uniform(0, 1)"
[derived]
g1 = "(abs(4 * x1 - 2) + 0) / (1 + 0)"
g2 = "(abs(4 * x2 - 2) + 1) / (1 + 1)"
g3 = "(abs(4 * x3 - 2) + 4.5) / (1 + 4.5)"
g4 = "(abs(4 * x4 - 2) + 9) / (1 + 9)"
g5 = "(abs(4 * x5 - 2) + 99) / (1 + 99)"
g6 = "(abs(4 * x6 - 2) + 99) / (1 + 99)"
y = "g1 * g2 * g3 * g4 * g5 * g6"
[outputs]
names = ["y"]
)toml";

/// The acceptance criterion of the Sobol study at N = 2^15.
constexpr double kSobolTolerance = 0.03;

/// Checks every index against the exact one: within kSobolTolerance, and within twice the
/// half-width of its 95% bootstrap interval. A percentile interval at 95% spans about
/// +-1.96 standard errors, so twice its half-width is about 3.9 standard errors: an estimate that
/// errs by more is not noise of the size the study reports.
void check_indices(const report::SensitivityResult& result, const ExactIndices& exact) {
  REQUIRE(result.inputs.size() == exact.first.size());
  for (std::size_t i = 0; i < exact.first.size(); ++i) {
    const std::string name = numbered("x", i + 1);
    const report::InputSensitivity& entry = input(result, name);
    const std::pair<double, double> first_ci = entry.first_ci;
    const std::pair<double, double> total_ci = entry.total_ci;
    const double first_half = (first_ci.second - first_ci.first) / 2.0;
    const double total_half = (total_ci.second - total_ci.first) / 2.0;
    INFO(result.design << " " << name << ": S " << entry.first << " [" << first_ci.first << ", "
                       << first_ci.second << "] against " << exact.first[i] << "; ST "
                       << entry.total << " [" << total_ci.first << ", " << total_ci.second
                       << "] against " << exact.total[i]);
    const double first_error = std::abs(entry.first - exact.first[i]);
    const double total_error = std::abs(entry.total - exact.total[i]);
    CHECK(first_error < kSobolTolerance);
    CHECK(first_error < 2.0 * first_half);
    CHECK(total_error < kSobolTolerance);
    CHECK(total_error < 2.0 * total_half);
  }
  for (std::size_t i = 1; i < result.inputs.size(); ++i)
    CHECK(result.inputs[i - 1].total >= result.inputs[i].total);
}

}  // namespace

TEST_CASE("sensitivity: Ishigami Sobol indices within 0.03 and 4 se at N = 2^15") {
  const ExactIndices exact = ishigami_indices();
  for (const Design design : {Design::mc, Design::sobol}) {
    SensitivityOptions options;
    options.design = design;
    // 400 resamples place the 2.5% and 97.5% points of the bootstrap well enough for a
    // tolerance, at two fifths of the default's time.
    options.bootstrap = 400;
    const report::SensitivityResult result = only_result(kIshigami, options);
    CHECK(result.method == "sobol");
    CHECK(result.output == "y");
    CHECK(result.draws == 32'768);
    CHECK(result.evaluations == 32'768 * 5);
    CHECK(result.bootstrap == 400);
    check_indices(result, exact);
    // The total effects order x1, x2, x3.
    CHECK(names(result) == std::vector<std::string>{"x1", "x2", "x3"});
  }
}

TEST_CASE("sensitivity: G-function Sobol indices within 0.03 and 4 se at N = 2^15") {
  const ExactIndices exact = g_function_indices();
  for (const Design design : {Design::mc, Design::sobol}) {
    SensitivityOptions options;
    options.design = design;
    options.bootstrap = 400;
    const report::SensitivityResult result = only_result(kGFunction, options);
    CHECK(result.design == (design == Design::mc ? "mc" : "sobol"));
    CHECK(result.evaluations == 32'768 * 8);
    // The variance over the 2N values of A and B has sd sqrt((kurtosis - 1) / 2N) V.
    const double v = g_raw_moment(2) - 1.0;
    const double m4 = g_raw_moment(4) - 4.0 * g_raw_moment(3) + 6.0 * g_raw_moment(2) - 3.0;
    const double se = std::sqrt((m4 / (v * v) - 1.0) / (2.0 * 32'768.0)) * v;
    INFO("variance " << result.variance << " against " << v << ", se " << se);
    CHECK(std::abs(result.variance - v) < 4.0 * se);
    check_indices(result, exact);
    for (const std::string& warning : result.warnings)
      CHECK_THAT(warning, !Contains("power of two"));
  }
}

TEST_CASE("sensitivity: a Sobol design's base sample off a power of two gets a warning") {
  SensitivityOptions options;
  options.design = Design::sobol;
  options.draws = 3000;
  options.bootstrap = 50;
  const report::SensitivityResult result = only_result(kIshigami, options);
  REQUIRE_FALSE(result.warnings.empty());
  CHECK_THAT(result.warnings.back(), Contains("use --draws 2048 or 4096"));
}

// --- Standardised regression coefficients -------------------------------------------------------

namespace {

/// y = 2 x1 - 3 x2 + 0.5 x3 + x4^2: a linear part and a quadratic term e = x4^2 that no linear
/// fit can explain (cov(x4, x4^2) = 0).
constexpr const char* kLinearQuadratic = R"toml(
[scenario]
name = "linear-quadratic"
draws = 200_000
seed = 31
[inputs]
x1 = "normal(0, 1)"
x2 = "uniform(0, 1)"
x3 = "normal(0, 2)"
x4 = "uniform(-1, 1)"
[derived]
y = "2 * x1 - 3 * x2 + 0.5 * x3 + x4^2"
)toml";

double sample_sd(std::span<const double> values) {
  double mean = 0.0;
  for (const double x : values)
    mean += x;
  mean /= static_cast<double>(values.size());
  double squares = 0.0;
  for (const double x : values)
    squares += (x - mean) * (x - mean);
  return std::sqrt(squares / static_cast<double>(values.size() - 1));
}

}  // namespace

TEST_CASE("sensitivity: SRC of a linear model plus a square match a_i sd_i / sd(y) within 4 se") {
  SensitivityOptions options;
  options.method = SensitivityMethod::src;
  const report::SensitivityResult result = only_result(kLinearQuadratic, options);
  CHECK(result.method == "src");
  CHECK(result.draws == 200'000);
  CHECK(result.evaluations == 200'000);
  // |SRC| = 0.83, 0.36, 0.41 and 0.
  CHECK(names(result) == std::vector<std::string>{"x1", "x3", "x2", "x4"});

  const std::vector<double> slope = {2.0, -3.0, 0.5, 0.0};
  const std::vector<double> sd = {1.0, std::sqrt(1.0 / 12.0), 2.0, std::sqrt(1.0 / 3.0)};
  const double linear = 4.0 + 9.0 / 12.0 + 0.25 * 4.0;
  const double quadratic = 4.0 / 45.0;  // var(x4^2) = 1/5 - 1/9
  const double variance = linear + quadratic;

  // The same draws as the study (the engine keys them by input name): the coefficients a
  // perfect fit of the linear part would give on them, a_i s_i / s_y.
  const scenario::Scenario model = scenario::parse(kLinearQuadratic, "test.toml");
  engine::ThreadPool pool(2);
  const std::vector<std::size_t> inputs = {0, 1, 2, 3};
  const engine::Simulation draws =
      engine::simulate(model, 200'000, model.seed, pool, engine::Storage::columns, {}, inputs);
  const double sd_y = sample_sd(draws.columns[0]);

  // Estimate minus a_i s_i / s_y is the fit's error from the quadratic term alone, of sd
  // sqrt((1 - R^2) / (n - k - 1)) for an input independent of that term. For x4 the term is a
  // function of the input, and the sandwich variance E[x4^2 e^2] / (n var(x4)^2) (e = x4^2 - 1/3)
  // exceeds the textbook one var(e) / (n var(x4)) by the factor (44/945) / ((1/3)(4/45)) = 11/7.
  // The error against the population value also carries the sampling error of s_i / s_y (about
  // 1e-3 for x1, mostly from the sample covariances of the inputs): 0.01 leaves room for both.
  const double n = 200'000.0;
  const double fit_se = std::sqrt((1.0 - result.r_squared) / (n - 4.0 - 1.0));
  for (std::size_t i = 0; i < slope.size(); ++i) {
    const std::string name = numbered("x", i + 1);
    const double coefficient = input(result, name).coefficient;
    const double truth = slope[i] * sd[i] / std::sqrt(variance);
    const double on_draws = slope[i] * sample_sd(draws.kept[i]) / sd_y;
    const double se = i == 3 ? std::sqrt(11.0 / 7.0) * fit_se : fit_se;
    INFO(name << ": SRC " << coefficient << ", truth " << truth << " (error " << coefficient - truth
              << "), on these draws " << on_draws << ", se " << se);
    CHECK(std::abs(coefficient - truth) < 0.01);
    CHECK(std::abs(coefficient - on_draws) < 4.0 * se);
  }

  // R^2 = 1 - var(e) / var(y), and 1 - R^2 estimated as V_e / V_y from sample variances. By the
  // delta method, with L the linear part's variance: d(V_e / V_y) = dV_e L / V_y^2 - V_e (dL +
  // 2 dC) / V_y^2, dC the sample covariance of the linear part and e; the three are uncorrelated,
  // with n var(dV_e) = (kurt_e - 1) V_e^2, kurt_e = 15/7 for e = x4^2, x4 ~ uniform(-1, 1);
  // n var(dL) = (kurt_L - 1) L^2, kurt_L = 3 - 1.2 (9/12)^2 / L^2 (the uniform part of the sum);
  // n var(dC) = L V_e.
  const double kurt_e = 15.0 / 7.0;
  const double kurt_l = 3.0 - 1.2 * (9.0 / 12.0) * (9.0 / 12.0) / (linear * linear);
  const double v4 = variance * variance * variance * variance;
  const double r2_se = std::sqrt(
      ((kurt_e - 1.0) * quadratic * quadratic * linear * linear +
       quadratic * quadratic * ((kurt_l - 1.0) * linear * linear + 4.0 * linear * quadratic)) /
      v4 / n);
  const double r2 = 1.0 - quadratic / variance;
  INFO("R^2 " << result.r_squared << ", truth " << r2 << ", se " << r2_se);
  CHECK(std::abs(result.r_squared - r2) < 4.0 * r2_se);
  CHECK(result.warnings.empty());
}

// --- Partial rank correlation coefficients ------------------------------------------------------

namespace {

/// A monotone model, and its logarithm as a second output; noise is an input the formulas do
/// not use.
constexpr const char* kMonotone = R"toml(
[scenario]
name = "monotone"
draws = 20_000
seed = 8
[inputs]
x1 = "uniform(0, 3)"
x2 = "uniform(0, 1)"
noise = "normal(0, 1)"
[derived]
y = "exp(x1) - x2"
log_y = "log(y)"
[outputs]
names = ["y", "log_y"]
)toml";

}  // namespace

TEST_CASE("sensitivity: PRCC ranks a monotone model's inputs and ignores a monotone transform") {
  SensitivityOptions options;
  options.method = SensitivityMethod::prcc;
  const std::vector<report::SensitivityResult> results = study(kMonotone, options);
  REQUIRE(results.size() == 2);
  const report::SensitivityResult& y = results[0];
  const report::SensitivityResult& log_y = results[1];
  CHECK(y.output == "y");
  CHECK(log_y.output == "log_y");
  CHECK(y.method == "prcc");

  // exp(x1) spans 1 to 20 and x2 only 1: x1 leads, x2 pulls the output down, noise is last.
  CHECK(names(y) == std::vector<std::string>{"x1", "x2", "noise"});
  CHECK(input(y, "x1").coefficient > 0.0);
  CHECK(input(y, "x2").coefficient < 0.0);
  // Without any effect, the partial correlation of ranks has sd about 1 / sqrt(n).
  const double noise = input(y, "noise").coefficient;
  INFO("PRCC of noise " << noise << ", x1 " << input(y, "x1").coefficient << ", x2 "
                        << input(y, "x2").coefficient);
  CHECK(std::abs(noise) < 4.0 / std::sqrt(20'000.0));

  // log is increasing, so log_y has the ranks of y: the same coefficients, bit for bit.
  CHECK(names(log_y) == names(y));
  for (std::size_t i = 0; i < y.inputs.size(); ++i)
    CHECK(log_y.inputs[i].coefficient == y.inputs[i].coefficient);
  CHECK(log_y.r_squared == y.r_squared);
}

// --- Tornado ------------------------------------------------------------------------------------

namespace {

/// y = x1 + 2 x2. An odd number of draws, so that the median is one draw (type 7 at p = 1/2).
constexpr const char* kLinear = R"toml(
[scenario]
name = "tornado"
draws = 100_001
seed = 12
[inputs]
x1 = "uniform(0, 10)"
x2 = "normal(0, 1)"
[derived]
y = "x1 + 2 * x2"
)toml";

}  // namespace

TEST_CASE("sensitivity: a tornado holds inputs at their deciles and reports the median exactly") {
  SensitivityOptions options;
  options.method = SensitivityMethod::tornado;
  const report::SensitivityResult result = only_result(kLinear, options);
  constexpr std::uint64_t kDraws = 100'001;
  CHECK(result.method == "tornado");
  CHECK(result.quantile == 0.5);
  CHECK(result.draws == kDraws);
  CHECK(result.evaluations == 5 * kDraws);

  // The swing of x1 is 8 and that of x2 is 2 (1.2816 + 1.2816) = 5.13.
  REQUIRE(names(result) == std::vector<std::string>{"x1", "x2"});
  const report::InputSensitivity& x1 = result.inputs[0];
  const report::InputSensitivity& x2 = result.inputs[1];
  CHECK(x1.swing > x2.swing);
  CHECK(x1.swing == std::abs(x1.high - x1.low));
  CHECK(x2.swing == std::abs(x2.high - x2.low));

  const boost::math::uniform_distribution<> uniform(0.0, 10.0);
  const boost::math::normal_distribution<> normal(0.0, 1.0);
  CHECK(x1.low_input == boost::math::quantile(uniform, 0.1));
  CHECK(x1.high_input == boost::math::quantile(uniform, 0.9));
  CHECK(x1.low_input == 1.0);
  CHECK(x1.high_input == 9.0);
  CHECK(x2.low_input == boost::math::quantile(normal, 0.1));
  CHECK(x2.high_input == boost::math::quantile(normal, 0.9));

  // Held at 1, y = 1 + 2 x2 draw by draw on the same x2 draws (common random numbers), and
  // adding 1 to twice a value keeps the order: the median is 1 + 2 median(x2), bit for bit.
  const scenario::Scenario model = scenario::parse(kLinear, "test.toml");
  engine::ThreadPool pool(2);
  const std::vector<std::size_t> x2_slot = {1};
  const engine::Simulation draws =
      engine::simulate(model, kDraws, model.seed, pool, engine::Storage::columns, {}, x2_slot);
  std::vector<double> x2_draws(draws.kept[0].begin(), draws.kept[0].end());
  std::nth_element(x2_draws.begin(), x2_draws.begin() + kDraws / 2, x2_draws.end());
  const double x2_median = x2_draws[kDraws / 2];
  CHECK(x1.low == 1.0 + 2.0 * x2_median);
  CHECK(x1.high == 9.0 + 2.0 * x2_median);

  // Against the population: 1 + 2 x2 ~ normal(1, 2), whose sample median has se
  // sqrt(pi / 2) sigma / sqrt(n) = 1.2533 * 2 / sqrt(n); with x2 held at q, x1 + 2 q has median
  // 5 + 2 q and the sample median of uniform(0, 10) has se 1 / (2 f sqrt(n)) = 5 / sqrt(n).
  const double n = static_cast<double>(kDraws);
  const double normal_se = std::sqrt(kPi / 2.0) * 2.0 / std::sqrt(n);
  const double uniform_se = 5.0 / std::sqrt(n);
  INFO("x1 held: low " << x1.low << ", high " << x1.high << ", se " << normal_se);
  CHECK(std::abs(x1.low - 1.0) < 4.0 * normal_se);
  CHECK(std::abs(x1.high - 9.0) < 4.0 * normal_se);
  INFO("x2 held: low " << x2.low << " against " << 5.0 + 2.0 * x2.low_input << ", high " << x2.high
                       << " against " << 5.0 + 2.0 * x2.high_input << ", se " << uniform_se);
  CHECK(std::abs(x2.low - (5.0 + 2.0 * x2.low_input)) < 4.0 * uniform_se);
  CHECK(std::abs(x2.high - (5.0 + 2.0 * x2.high_input)) < 4.0 * uniform_se);

  // The baseline is what a run of the scenario reports as its median.
  analysis::RunOptions run_options;
  run_options.quantiles = std::vector<double>{0.5};
  const report::ScenarioResult run = analysis::run(model, run_options, pool);
  CHECK(result.baseline == analysis::testing::output(run, "y").summary.quantiles[0]);
}

TEST_CASE("sensitivity: a tornado of another quantile reports that quantile of each run") {
  SensitivityOptions options;
  options.method = SensitivityMethod::tornado;
  options.quantile = 0.9;
  options.draws = 20'001;
  options.seed = 3;
  const report::SensitivityResult result = only_result(kLinear, options);
  CHECK(result.quantile == 0.9);
  CHECK(result.seed == 3);
  analysis::RunOptions run_options;
  run_options.quantiles = std::vector<double>{0.9};
  run_options.draws = 20'001;
  run_options.seed = 3;
  engine::ThreadPool pool(2);
  const report::ScenarioResult run =
      analysis::run(scenario::parse(kLinear, "test.toml"), run_options, pool);
  CHECK(result.baseline == analysis::testing::output(run, "y").summary.quantiles[0]);
  // y is increasing in both inputs.
  for (const report::InputSensitivity& entry : result.inputs) {
    CAPTURE(entry.name);
    CHECK(entry.low < result.baseline);
    CHECK(entry.high > result.baseline);
  }
}

// --- Sweeps -------------------------------------------------------------------------------------

TEST_CASE("sensitivity: a sweep gives a result per point and output, without the swept input") {
  const std::string text = R"toml(
[scenario]
name = "swept"
draws = 5_000
seed = 4
[inputs]
x1 = "uniform(0, 1)"
x2 = "normal(0, 1)"
scale = "uniform(1, 2)"
[derived]
y = "scale * x1 + x2"
z = "x1 - x2"
[sweep]
scale = [1, 3]
)toml";
  for (const SensitivityMethod method : {SensitivityMethod::src, SensitivityMethod::tornado}) {
    CAPTURE(analysis::method_name(method));
    SensitivityOptions options;
    options.method = method;
    const std::vector<report::SensitivityResult> results = study(text, options);
    REQUIRE(results.size() == 4);
    const std::vector<std::pair<std::string, double>> at_1 = {{"scale", 1.0}};
    const std::vector<std::pair<std::string, double>> at_3 = {{"scale", 3.0}};
    CHECK(results[0].sweep == at_1);
    CHECK(results[1].sweep == at_1);
    CHECK(results[2].sweep == at_3);
    CHECK(results[3].sweep == at_3);
    for (std::size_t r = 0; r < results.size(); ++r) {
      CAPTURE(r);
      CHECK(results[r].output == (r % 2 == 0 ? "y" : "z"));
      std::vector<std::string> studied = names(results[r]);
      std::sort(studied.begin(), studied.end());
      CHECK(studied == std::vector<std::string>{"x1", "x2"});
    }
    // Scaling x1 by 3 makes it matter more to y, and leaves z alone.
    if (method == SensitivityMethod::src) {
      CHECK(std::abs(input(results[2], "x1").coefficient) >
            std::abs(input(results[0], "x1").coefficient));
      CHECK(input(results[3], "x1").coefficient == input(results[1], "x1").coefficient);
    } else {
      CHECK(input(results[2], "x1").swing > input(results[0], "x1").swing);
    }
  }
}

// --- Conditioned scenarios ----------------------------------------------------------------------

namespace {

/// y = a + b, with a measured as 0.5 to within 0.1: a's posterior sd is about 0.1, b keeps sd 1.
std::string measured(bool observed) {
  std::string text = R"toml(
[scenario]
name = "measured"
draws = 40_000
seed = 21
[inputs]
a = "normal(0, 1)"
b = "normal(0, 1)"
[derived]
y = "a + b"
[outputs]
names = ["y"]
)toml";
  if (observed) {
    text += R"toml(
[[observe]]
name = "measurement"
value = 0.5
likelihood = "normal(a, 0.1)"
)toml";
  }
  return text;
}

}  // namespace

TEST_CASE("sensitivity: src and prcc of a conditioned scenario describe the posterior") {
  for (const SensitivityMethod method : {SensitivityMethod::src, SensitivityMethod::prcc}) {
    CAPTURE(analysis::method_name(method));
    SensitivityOptions options;
    options.method = method;
    const report::SensitivityResult prior = only_result(measured(false), options);
    const report::SensitivityResult posterior = only_result(measured(true), options);
    for (const std::string& warning : prior.warnings)
      CHECK_THAT(warning, !Contains("posterior"));
    REQUIRE_FALSE(posterior.warnings.empty());
    CHECK_THAT(posterior.warnings.back(), Contains("describe the posterior"));
    // Before the data a and b matter equally (SRC 0.71 each); the measurement pins a down to
    // sd 0.1, so b explains nearly all of y's spread afterwards (SRC of a about 0.1).
    const double a_prior = std::abs(input(prior, "a").coefficient);
    const double a_posterior = std::abs(input(posterior, "a").coefficient);
    INFO("|coefficient| of a: " << a_prior << " before the data, " << a_posterior << " after");
    CHECK(a_posterior < a_prior);
    CHECK(names(posterior) == std::vector<std::string>{"b", "a"});
  }
}

TEST_CASE("sensitivity: a tornado of a conditioned scenario conditions every run") {
  SensitivityOptions options;
  options.method = SensitivityMethod::tornado;
  const report::SensitivityResult result = only_result(measured(true), options);
  analysis::RunOptions run_options;
  run_options.quantiles = std::vector<double>{0.5};
  engine::ThreadPool pool(2);
  const report::ScenarioResult run =
      analysis::run(scenario::parse(measured(true), "test.toml"), run_options, pool);
  CHECK(result.baseline == analysis::testing::output(run, "y").summary.quantiles[0]);
  REQUIRE(run.conditioning.has_value());

  // With b held at q, y = a + q for a | data ~ normal(0.5 / 1.01, 1 / sqrt(101)), whose median
  // 0.495 + q lies 0.495 from what an unconditioned run would give. The weights depend on a
  // alone, whose draws every run shares, so each held run has the baseline's effective sample
  // size; a weighted median's se is sqrt(pi / 2) sd / sqrt(ESS).
  const double posterior_mean = 0.5 / 1.01;
  const double se = std::sqrt(kPi / 2.0) / std::sqrt(101.0) / std::sqrt(run.conditioning->ess);
  const report::InputSensitivity& b = input(result, "b");
  INFO("b held: low " << b.low << " against " << b.low_input + posterior_mean << ", high " << b.high
                      << " against " << b.high_input + posterior_mean << ", ESS "
                      << run.conditioning->ess << ", se " << se);
  CHECK(std::abs(b.low - (b.low_input + posterior_mean)) < 4.0 * se);
  CHECK(std::abs(b.high - (b.high_input + posterior_mean)) < 4.0 * se);
}

// --- Errors -------------------------------------------------------------------------------------

namespace {

constexpr const char* kErrors = R"toml(
[scenario]
name = "errors"
draws = 2_000
[inputs]
x1 = "uniform(0, 1)"
x2 = "normal(0, 1)"
k = 3
signed = "uniform(-1, 1)"
[derived]
y = "k * x1 + x2"
big = "y > 1"
log_signed = "log(signed)"
flat = "x1 - x1"
[outputs]
names = ["y", "big"]
)toml";

SensitivityOptions options_for(SensitivityMethod method, std::optional<std::string> output = {},
                               std::optional<std::vector<std::string>> inputs = {}) {
  SensitivityOptions options;
  options.method = method;
  options.output = std::move(output);
  options.inputs = std::move(inputs);
  options.bootstrap = 20;
  return options;
}

constexpr SensitivityMethod kMethods[] = {SensitivityMethod::sobol, SensitivityMethod::src,
                                          SensitivityMethod::prcc, SensitivityMethod::tornado};

}  // namespace

TEST_CASE("sensitivity: an unknown, truth-valued or input output is an error with a hint") {
  for (const SensitivityMethod method : kMethods) {
    CAPTURE(analysis::method_name(method));
    const auto unknown = error_of(kErrors, options_for(method, "yy"));
    REQUIRE(unknown);
    CHECK_THAT(unknown->message(), Contains("--output yy is not a quantity of the scenario"));
    CHECK(unknown->hint() == "did you mean y?");

    const auto truth = error_of(kErrors, options_for(method, "big"));
    REQUIRE(truth);
    CHECK_THAT(truth->message(), Contains("big is a truth value"));
    REQUIRE(truth->where());
    CHECK(truth->where()->line == 12);

    const auto named_input = error_of(kErrors, options_for(method, "x1"));
    REQUIRE(named_input);
    CHECK_THAT(named_input->message(), Contains("--output x1 is an input"));
  }
}

TEST_CASE("sensitivity: unknown, derived and fixed inputs cannot be studied") {
  for (const SensitivityMethod method : kMethods) {
    CAPTURE(analysis::method_name(method));
    const auto unknown = error_of(kErrors, options_for(method, "y", {{"x1", "x3"}}));
    REQUIRE(unknown);
    CHECK_THAT(unknown->message(), Contains("--inputs names x3, which is not an input"));
    CHECK_THAT(unknown->hint(), Contains("did you mean"));

    const auto derived = error_of(kErrors, options_for(method, "y", {{"y"}}));
    REQUIRE(derived);
    CHECK_THAT(derived->message(), Contains("--inputs names y, a derived quantity"));

    const auto twice = error_of(kErrors, options_for(method, "y", {{"x1", "x1"}}));
    REQUIRE(twice);
    CHECK_THAT(twice->message(), Contains("--inputs names x1 twice"));
  }
  // A tornado of a fixed input: it has no deciles to hold it at.
  const auto fixed = error_of(kErrors, options_for(SensitivityMethod::tornado, "y", {{"k"}}));
  REQUIRE(fixed);
  CHECK_THAT(fixed->message(), Contains("k is fixed at 3, so it has no spread to study"));
  REQUIRE(fixed->where());
  CHECK(fixed->where()->line == 8);
}

TEST_CASE("sensitivity: NaN and constant outputs are errors for every method") {
  for (const SensitivityMethod method : kMethods) {
    CAPTURE(analysis::method_name(method));
    const auto not_finite = error_of(kErrors, options_for(method, "log_signed"));
    REQUIRE(not_finite);
    CHECK_THAT(not_finite->message(), Contains("log_signed is NaN or infinite in"));
    REQUIRE(not_finite->where());
    CHECK(not_finite->where()->line == 13);

    const auto flat = error_of(kErrors, options_for(method, "flat"));
    REQUIRE(flat);
    CHECK_THAT(flat->message(), Contains("flat does not vary over the draws"));
  }
}

TEST_CASE("sensitivity: what a sweep fixes is left out, and named, is an error at the sweep") {
  const std::string text = R"toml([scenario]
draws = 4096
seed = 8
[inputs]
x1 = "uniform(0, 1)"
x2 = "uniform(0, 1)"
[derived]
both = "x1 + x2"
only_second = "2 * x2"
[sweep]
x2 = [0.25, 0.75]
)toml";
  // At each point only_second is a constant: it is left out with a note, both is studied.
  const std::vector<report::SensitivityResult> results =
      study(text, options_for(SensitivityMethod::src));
  REQUIRE(results.size() == 2);
  for (const report::SensitivityResult& result : results) {
    CHECK(result.output == "both");
    CHECK(names(result) == std::vector<std::string>{"x1"});
    CHECK(std::find(result.warnings.begin(), result.warnings.end(),
                    "only_second is left out: it depends on no random input, once the [sweep] "
                    "fixes x2 = " +
                        std::string(result.sweep[0].second == 0.25 ? "0.25" : "0.75")) !=
          result.warnings.end());
  }
  const auto named = error_of(text, options_for(SensitivityMethod::sobol, "only_second"));
  REQUIRE(named);
  CHECK_THAT(named->message(), Contains("only_second depends on no random input, once the [sweep] "
                                        "fixes x2 = 0.25"));
  const auto swept =
      error_of(text, options_for(SensitivityMethod::tornado, {}, std::vector<std::string>{"x2"}));
  REQUIRE(swept);
  CHECK_THAT(swept->message(), Contains("x2 is fixed at every point of the [sweep]"));
  REQUIRE(swept->where());
  CHECK(swept->where()->line == 11);
  CHECK_THAT(swept->hint(), Contains("out of [sweep]"));
}

TEST_CASE("sensitivity: a discrete input with equal deciles and wide Sobol intervals are flagged") {
  const std::string text = R"toml([scenario]
draws = 4096
seed = 9
[inputs]
x = "uniform(0, 1)"
rare = "binomial(1, 0.05)"
[derived]
y = "x + 10 * rare"
)toml";
  const report::SensitivityResult tornado =
      only_result(text, options_for(SensitivityMethod::tornado));
  CHECK(input(tornado, "rare").swing == 0.0);
  CHECK(std::find(tornado.warnings.begin(), tornado.warnings.end(),
                  "rare: its 10th and 90th percentiles are both 0, so the tornado shows no swing "
                  "for it whatever its effect; Sobol indices (--method sobol) measure it") !=
        tornado.warnings.end());
  // rare drives most of the variance, which a Sobol study sees; at 16 base draws its
  // intervals are too wide to rank anything, and the study says so.
  SensitivityOptions small = options_for(SensitivityMethod::sobol);
  small.draws = 16;
  const report::SensitivityResult sobol = only_result(text, small);
  CHECK(std::any_of(sobol.warnings.begin(), sobol.warnings.end(), [](const std::string& warning) {
    return warning.find("wider than 0.1") != std::string::npos;
  }));
  const report::SensitivityResult enough = only_result(text, options_for(SensitivityMethod::sobol));
  CHECK(input(enough, "rare").total > input(enough, "x").total);
}

TEST_CASE("sensitivity: Sobol indices refuse conditioned and correlated scenarios") {
  const auto conditioned = error_of(measured(true), options_for(SensitivityMethod::sobol));
  REQUIRE(conditioned);
  CHECK_THAT(conditioned->message(), Contains("the scenario is conditioned on data"));
  CHECK_THAT(conditioned->hint(), Contains("--method src or prcc"));

  const std::string correlated = std::string(kErrors) + R"toml(
[correlation]
inputs = ["x1", "x2"]
matrix = [[1.0, 0.5], [0.5, 1.0]]
)toml";
  const auto error = error_of(correlated, options_for(SensitivityMethod::sobol, "y"));
  REQUIRE(error);
  CHECK_THAT(error->message(), Contains("[correlation] correlates x1 with x2"));
  // The regression methods take correlated inputs.
  for (const SensitivityMethod method :
       {SensitivityMethod::src, SensitivityMethod::prcc, SensitivityMethod::tornado}) {
    CAPTURE(analysis::method_name(method));
    CHECK_FALSE(error_of(correlated, options_for(method, "y")));
  }
}

TEST_CASE("sensitivity: an input constant over the draws has no regression coefficient") {
  // binomial(5, 0) is a distribution that only ever draws 0.
  const std::string text = R"toml(
[scenario]
name = "degenerate"
draws = 2_000
[inputs]
x1 = "uniform(0, 1)"
never = "binomial(5, 0)"
[derived]
y = "x1 + never"
)toml";
  for (const SensitivityMethod method : {SensitivityMethod::src, SensitivityMethod::prcc}) {
    CAPTURE(analysis::method_name(method));
    for (const std::vector<std::string>& order :
         {std::vector<std::string>{"never", "x1"}, std::vector<std::string>{"x1", "never"}}) {
      CAPTURE(order);
      const auto error = error_of(text, options_for(method, "y", order));
      REQUIRE(error);
      CHECK_THAT(error->message(), Contains("never is constant over the draws"));
      REQUIRE(error->where());
      CHECK(error->where()->line == 7);
    }
  }
}

// --- Determinism --------------------------------------------------------------------------------

TEST_CASE("sensitivity: every method gives bit-identical results on 1 and 3 threads") {
  for (const SensitivityMethod method : kMethods) {
    CAPTURE(analysis::method_name(method));
    SensitivityOptions options;
    options.method = method;
    options.draws = 3 * 4096 + 77;
    options.bootstrap = 100;
    const report::SensitivityResult one = only_result(kIshigami, options, 1);
    const report::SensitivityResult three = only_result(kIshigami, options, 3);
    CHECK(one.threads == 1);
    CHECK(three.threads == 3);
    CHECK(one.variance == three.variance);
    CHECK(one.r_squared == three.r_squared);
    CHECK(one.baseline == three.baseline);
    CHECK(one.warnings == three.warnings);
    REQUIRE(names(one) == names(three));
    for (std::size_t i = 0; i < one.inputs.size(); ++i) {
      const report::InputSensitivity& a = one.inputs[i];
      const report::InputSensitivity& b = three.inputs[i];
      CAPTURE(a.name);
      CHECK(a.first == b.first);
      CHECK(a.total == b.total);
      CHECK(a.first_ci == b.first_ci);
      CHECK(a.total_ci == b.total_ci);
      CHECK(a.coefficient == b.coefficient);
      CHECK(a.low == b.low);
      CHECK(a.high == b.high);
    }
  }
}
