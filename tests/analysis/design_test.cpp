// Latin hypercube and Sobol runs through the analysis: the precision the designs promise, standard
// errors from their replicates, conditioned runs under them, and the draws export.

#include <algorithm>
#include <boost/math/distributions/beta.hpp>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <sstream>
#include <string>
#include <vector>

#include "analysis_testing.hpp"
#include "darkfigure/analysis/analysis.hpp"
#include "darkfigure/engine/thread_pool.hpp"
#include "darkfigure/scenario/scenario.hpp"

namespace analysis = darkfigure::analysis;
namespace report = darkfigure::report;
using darkfigure::sampling::Design;

namespace {

using darkfigure::analysis::testing::output;
using darkfigure::analysis::testing::run;

/// p ~ beta(2, 3) and 30 successes of 100, so p | data ~ beta(32, 73), under the given settings.
std::string beta_binomial(const std::string& settings) {
  return R"toml(
[inputs]
p = "beta(2, 3)"
[[observe]]
name = "successes"
value = 30
likelihood = "binomial(100, p)"
[outputs]
names = ["p"]
)toml" + settings;
}

/// Bounds on s / sigma for the standard deviation s of 8 normal values (7 degrees of freedom),
/// holding with probability 0.998: sqrt(chi2(7) quantiles at 0.001 and 0.999 / 7).
constexpr double kLowRatio7 = 0.292;
constexpr double kHighRatio7 = 1.864;

constexpr const char* kUniform = R"toml(
[scenario]
draws = 10_000
seed = 7
[inputs]
x = "uniform(0, 1)"
[sampling]
design = "lhs"
)toml";

constexpr const char* kProduct = R"toml(
[scenario]
draws = 16_384
[inputs]
x1 = "uniform(0, 1)"
x2 = "uniform(0, 1)"
[derived]
product = "x1 * x2"
)toml";

}  // namespace

TEST_CASE("designs: a Latin hypercube gets the mean of a uniform within 1e-5 at 10^4 draws") {
  const auto result = run(kUniform);
  CHECK(result.settings.design == "lhs");
  CHECK(result.settings.replicates == 8);
  const auto& s = output(result, "x").summary;
  // Each replicate's mean errs by sd 1 / sqrt(12 n^3) with n = 1,250 (see the sampling tests).
  const double sd = 1.0 / std::sqrt(12.0 * 1250.0 * 1250.0 * 1250.0) / std::sqrt(8.0);
  INFO("mean " << s.mean << ", mcse " << s.mcse_mean << ", theory " << sd);
  CHECK(std::abs(s.mean - 0.5) < 1e-5);
  CHECK(std::abs(s.mean - 0.5) < 4.0 * sd);
  // The replicates' spread estimates the theory's error with 7 degrees of freedom.
  CHECK(s.mcse_mean > kLowRatio7 * sd);
  CHECK(s.mcse_mean < kHighRatio7 * sd);
}

TEST_CASE(
    "designs: Sobol points get the mean of x1 * x2 within 2e-4 at 2^14 draws, Monte Carlo "
    "misses by about 1.7e-3") {
  // sd(x1 x2) = sqrt(1/9 - 1/16): plain Monte Carlo's error has sd 0.2205 / 128 = 1.72e-3.
  const double mc_sd = std::sqrt(1.0 / 9.0 - 1.0 / 16.0) / 128.0;
  double mc_squares = 0.0;
  double sobol_squares = 0.0;
  constexpr int kSeeds = 20;
  for (int seed = 1; seed <= kSeeds; ++seed) {
    analysis::RunOptions options;
    options.seed = static_cast<std::uint64_t>(seed);
    const double mc = output(run(kProduct, 2, options), "product").summary.mean - 0.25;
    options.design = Design::sobol;
    const auto sobol_result = run(kProduct, 2, options);
    const auto& sobol = output(sobol_result, "product").summary;
    CHECK(sobol_result.settings.replicates == 8);
    CHECK(std::abs(sobol.mean - 0.25) < 2e-4);
    mc_squares += mc * mc;
    sobol_squares += (sobol.mean - 0.25) * (sobol.mean - 0.25);
  }
  const double mc_rms = std::sqrt(mc_squares / kSeeds);
  const double sobol_rms = std::sqrt(sobol_squares / kSeeds);
  INFO("Monte Carlo rms error " << mc_rms << " (theory " << mc_sd << "), Sobol " << sobol_rms);
  // 20 squared errors: chi-square with 20 degrees of freedom, 0.998 bounds 0.56 and 1.54.
  CHECK(mc_rms > 0.56 * mc_sd);
  CHECK(mc_rms < 1.54 * mc_sd);
  // Scrambled nets of 2^11 points: the error falls faster than 1 / n for a smooth integrand.
  CHECK(sobol_rms < mc_sd / 100.0);
}

TEST_CASE("designs: Monte Carlo keeps the i.i.d. standard error") {
  const auto result = run(kProduct);
  CHECK(result.settings.design == "mc");
  CHECK(result.settings.replicates == 0);
  const auto& s = output(result, "product").summary;
  CHECK(s.mcse_mean == s.sd / 128.0);
}

TEST_CASE("designs: a conditioned Latin hypercube run finds the conjugate posterior") {
  const auto result = run(beta_binomial(R"toml(
[scenario]
draws = 100_000
seed = 5
[sampling]
design = "lhs"
replicates = 20
)toml"));
  REQUIRE(result.conditioning.has_value());
  const auto& s = output(result, "p").summary;
  const boost::math::beta_distribution<> truth(32.0, 73.0);
  INFO("mean " << s.mean << ", mcse " << s.mcse_mean << ", truth " << boost::math::mean(truth));
  CHECK(std::abs(s.mean - boost::math::mean(truth)) < 4.0 * s.mcse_mean);
  // The weighted i.i.d. formula would give about sd / sqrt(ESS); the design can only help.
  CHECK(s.mcse_mean < 1.2 * s.sd / std::sqrt(result.conditioning->ess));
}

TEST_CASE("designs: min_ess under a design samples anew, as a run of the final size would") {
  const std::string text = beta_binomial(R"toml(
[scenario]
draws = 8_192
seed = 3
[sampling]
design = "sobol"
[inference]
min_ess = 5_000
)toml");
  const auto grown = run(text);
  REQUIRE(grown.conditioning->rounds > 1);
  CHECK(grown.conditioning->ess >= 5000.0);
  analysis::RunOptions options;
  options.draws = grown.settings.draws;
  options.min_ess = 1.0;
  const auto whole = run(text, 3, options);
  CHECK(output(whole, "p").summary.mean == output(grown, "p").summary.mean);
  CHECK(output(whole, "p").summary.quantiles == output(grown, "p").summary.quantiles);
}

namespace {

/// The columns of a draws export, by header name.
std::vector<std::pair<std::string, std::vector<double>>> read_draws(
    const std::filesystem::path& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  std::vector<std::pair<std::string, std::vector<double>>> columns;
  std::stringstream header(line);
  for (std::string name; std::getline(header, name, ',');)
    columns.emplace_back(name, std::vector<double>());
  while (std::getline(in, line)) {
    std::stringstream row(line);
    std::string cell;
    for (auto& column : columns) {
      std::getline(row, cell, ',');
      column.second.push_back(std::strtod(cell.c_str(), nullptr));
    }
  }
  return columns;
}

std::vector<double> ranks(const std::vector<double>& values) {
  std::vector<std::size_t> order(values.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](auto a, auto b) { return values[a] < values[b]; });
  std::vector<double> result(values.size());
  for (std::size_t r = 0; r < order.size(); ++r)
    result[order[r]] = static_cast<double>(r);
  return result;
}

double spearman(const std::vector<double>& a, const std::vector<double>& b) {
  const std::vector<double> x = ranks(a);
  const std::vector<double> y = ranks(b);
  const double mean = (static_cast<double>(x.size()) - 1.0) / 2.0;
  double sxy = 0.0;
  double sxx = 0.0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    sxy += (x[i] - mean) * (y[i] - mean);
    sxx += (x[i] - mean) * (x[i] - mean);
  }
  return sxy / sxx;
}

}  // namespace

TEST_CASE("designs: the draws export holds every draw, with the requested rank correlations") {
  const auto directory = std::filesystem::temp_directory_path() / "darkfigure-design-test";
  std::filesystem::create_directories(directory);
  const auto path = directory / "draws.csv";
  const std::string text = R"toml(
[scenario]
draws = 100_000
seed = 2
[inputs]
reporting_rate = "beta(4, 16)"
crisis_uptake = "beta(13, 187)"
cases = 67_500
[derived]
victims = "cases / reporting_rate"
[correlation]
inputs = ["reporting_rate", "crisis_uptake"]
matrix = [[1.0, 0.6], [0.6, 1.0]]
)toml";
  for (const Design design : {Design::mc, Design::lhs, Design::sobol}) {
    CAPTURE(darkfigure::sampling::design_name(design));
    analysis::RunOptions options;
    options.design = design;
    options.save_draws = path;
    const auto result = run(text, 2, options);
    const auto columns = read_draws(path);
    REQUIRE(columns.size() == 4);
    CHECK(columns[0].first == "draw");
    CHECK(columns[1].first == "reporting_rate");
    CHECK(columns[2].first == "crisis_uptake");
    CHECK(columns[3].first == "victims");
    REQUIRE(columns[3].second.size() == 100'000);
    CHECK(std::abs(spearman(columns[1].second, columns[2].second) - 0.6) < 0.02);
    double sum = 0.0;
    for (const double victims : columns[3].second)
      sum += victims;
    CHECK(sum / 100'000.0 == Approx(output(result, "victims").summary.mean).epsilon(1e-12));
  }
  std::filesystem::remove_all(directory);
}

TEST_CASE("designs: the draws export of a conditioned run carries the normalised weights") {
  const auto directory = std::filesystem::temp_directory_path() / "darkfigure-design-test-weighted";
  std::filesystem::create_directories(directory);
  const auto path = directory / "draws.csv";
  analysis::RunOptions options;
  options.save_draws = path;
  const auto result = run(beta_binomial("[scenario]\ndraws = 20_000\nseed = 5\n"), 2, options);
  const auto columns = read_draws(path);
  REQUIRE(columns.size() == 3);
  CHECK(columns[1].first == "p");
  CHECK(columns[2].first == "weight");
  REQUIRE(columns[2].second.size() == 20'000);
  double total = 0.0;
  double weighted = 0.0;
  for (std::size_t i = 0; i < 20'000; ++i) {
    total += columns[2].second[i];
    weighted += columns[2].second[i] * columns[1].second[i];
  }
  CHECK(total == Approx(1.0).epsilon(1e-12));
  CHECK(weighted == Approx(output(result, "p").summary.mean).epsilon(1e-12));
  std::filesystem::remove_all(directory);
}
