#include "darkfigure/sampling/correlation.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <numeric>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "darkfigure/distributions/distribution.hpp"
#include "darkfigure/random/stream.hpp"

namespace darkfigure::sampling {
namespace {

using distributions::Argument;
using distributions::Distribution;

constexpr std::size_t kBlockSize = 4096;
constexpr std::size_t kDraws = 100'000;
constexpr std::uint64_t kSeed = 20250612;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
/// Kolmogorov's 1% critical value of sqrt(n) D for large n.
constexpr double kKolmogorov1Percent = 1.628;

using Columns = std::vector<std::vector<double>>;

Distribution make(std::string_view family, std::vector<Argument> arguments) {
  return Distribution::make(family, arguments);
}

random::Stream stream_of(std::uint32_t block, std::string_view name) {
  return random::Stream(random::StreamKey{kSeed, random::stream_id("correlation-test"), block,
                                          random::stream_id(name)});
}

/// Rearranges the rows first to first + count - 1 of `columns`.
void rearrange_rows(const RankCorrelation& induced, Columns& columns, std::size_t first,
                    std::size_t count, random::Stream& stream) {
  std::vector<std::span<double>> spans;
  for (auto& column : columns)
    spans.emplace_back(column.data() + first, count);
  induced.rearrange(spans, stream);
}

/// `draws` rows of independent draws of each distribution, taken the way the engine takes them:
/// one fill() per block of 4096 from the block's stream of the input. With `induced`, each block
/// is then rearranged with the block's stream of the correlation.
Columns draw(const std::vector<Distribution>& inputs, std::size_t draws,
             const RankCorrelation* induced) {
  Columns columns(inputs.size(), std::vector<double>(draws));
  for (std::size_t first = 0, block = 0; first < draws; first += kBlockSize, ++block) {
    const std::size_t count = std::min(kBlockSize, draws - first);
    for (std::size_t j = 0; j < inputs.size(); ++j) {
      auto stream = stream_of(static_cast<std::uint32_t>(block), "input " + std::to_string(j));
      inputs[j].fill(stream, std::span<double>(columns[j].data() + first, count));
    }
    if (induced != nullptr) {
      auto stream = stream_of(static_cast<std::uint32_t>(block), "rank correlation");
      rearrange_rows(*induced, columns, first, count, stream);
    }
  }
  return columns;
}

/// Ranks 1..n, ties sharing the mean of their ranks.
std::vector<double> midranks(const std::vector<double>& values) {
  std::vector<std::size_t> order(values.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(),
            [&](std::size_t a, std::size_t b) { return values[a] < values[b]; });
  std::vector<double> ranks(values.size());
  for (std::size_t begin = 0; begin < order.size();) {
    std::size_t end = begin + 1;
    while (end < order.size() && values[order[end]] == values[order[begin]])
      ++end;
    const double mean_rank = (static_cast<double>(begin + end) + 1.0) / 2.0;
    for (std::size_t i = begin; i < end; ++i)
      ranks[order[i]] = mean_rank;
    begin = end;
  }
  return ranks;
}

double pearson(const std::vector<double>& x, const std::vector<double>& y) {
  const auto n = static_cast<double>(x.size());
  const double mean_x = std::accumulate(x.begin(), x.end(), 0.0) / n;
  const double mean_y = std::accumulate(y.begin(), y.end(), 0.0) / n;
  double sxy = 0.0;
  double sxx = 0.0;
  double syy = 0.0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    sxy += (x[i] - mean_x) * (y[i] - mean_y);
    sxx += (x[i] - mean_x) * (x[i] - mean_x);
    syy += (y[i] - mean_y) * (y[i] - mean_y);
  }
  return sxy / std::sqrt(sxx * syy);
}

/// Spearman's rank correlation: the Pearson correlation of the midranks.
double spearman(const std::vector<double>& x, const std::vector<double>& y) {
  return pearson(midranks(x), midranks(y));
}

/// The one-sample Kolmogorov-Smirnov statistic of `values` against a continuous cdf.
double kolmogorov_smirnov(const Distribution& distribution, std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const auto n = static_cast<double>(values.size());
  double statistic = 0.0;
  for (std::size_t i = 0; i < values.size(); ++i) {
    const double cdf = distribution.cdf(values[i]);
    const auto rank = static_cast<double>(i);
    statistic = std::max({statistic, (rank + 1.0) / n - cdf, cdf - rank / n});
  }
  return statistic;
}

/// The two-sample Kolmogorov-Smirnov statistic.
double kolmogorov_smirnov(std::vector<double> a, std::vector<double> b) {
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  const auto n = static_cast<double>(a.size());
  const auto m = static_cast<double>(b.size());
  double statistic = 0.0;
  std::size_t i = 0;
  std::size_t j = 0;
  while (i < a.size() && j < b.size()) {
    const double x = std::min(a[i], b[j]);
    while (i < a.size() && a[i] == x)
      ++i;
    while (j < b.size() && b[j] == x)
      ++j;
    statistic =
        std::max(statistic, std::abs(static_cast<double>(i) / n - static_cast<double>(j) / m));
  }
  return statistic;
}

double mean_of(const std::vector<double>& values) {
  return std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(values.size());
}

double sd_of(const std::vector<double>& values) {
  const double mean = mean_of(values);
  double sum = 0.0;
  for (const double x : values)
    sum += (x - mean) * (x - mean);
  return std::sqrt(sum / static_cast<double>(values.size() - 1));
}

std::vector<double> sorted(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values;
}

bool same_bits(const std::vector<double>& a, const std::vector<double>& b) {
  return a.size() == b.size() &&
         (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0);
}

const std::vector<double> kThreeInputs = {1.0,  0.6, -0.3,  //
                                          0.6,  1.0, 0.2,   //
                                          -0.3, 0.2, 1.0};

std::vector<Distribution> three_inputs() {
  return {make("beta", {4.0, 16.0}), make("gamma", {2.0, 1.5}), make("normal", {0.0, 1.0})};
}

TEST_CASE("rearranged blocks of draws reach the requested Spearman correlations") {
  const auto induced = RankCorrelation::make(kThreeInputs, 3);
  const Columns columns = draw(three_inputs(), kDraws, &induced);
  for (std::size_t i = 0; i < 3; ++i) {
    for (std::size_t j = i + 1; j < 3; ++j) {
      const double achieved = spearman(columns[i], columns[j]);
      const double requested = kThreeInputs[i * 3 + j];
      CAPTURE(i, j, achieved, requested);
      CHECK(std::abs(achieved - requested) < 0.02);
    }
  }
}

TEST_CASE("strong and negative correlations are reached too") {
  for (const double rho : {0.95, -0.8, 0.0}) {
    const auto induced = RankCorrelation::make({1.0, rho, rho, 1.0}, 2);
    const Columns columns =
        draw({make("lognormal", {0.0, 1.0}), make("uniform", {0.0, 1.0})}, kDraws, &induced);
    const double achieved = spearman(columns[0], columns[1]);
    CAPTURE(rho, achieved);
    CHECK(std::abs(achieved - rho) < 0.02);
  }
}

TEST_CASE("rearranging keeps every marginal exactly as drawn") {
  const auto inputs = three_inputs();
  const auto induced = RankCorrelation::make(kThreeInputs, 3);
  const Columns independent = draw(inputs, kDraws, nullptr);
  const Columns correlated = draw(inputs, kDraws, &induced);
  // A sample of each input from streams of its own, for the two-sample test.
  Columns reference(3, std::vector<double>(kDraws));
  for (std::size_t j = 0; j < 3; ++j) {
    auto stream = stream_of(1'000'000, "reference " + std::to_string(j));
    inputs[j].fill(stream, reference[j]);
  }
  const double n = kDraws;
  for (std::size_t j = 0; j < 3; ++j) {
    CAPTURE(j);
    // The same multiset of values, bit for bit: only their order changed.
    CHECK(same_bits(sorted(correlated[j]), sorted(independent[j])));
    CHECK(mean_of(sorted(correlated[j])) == mean_of(sorted(independent[j])));
    CHECK(sd_of(sorted(correlated[j])) == sd_of(sorted(independent[j])));
    // Summed in row order, the moments differ by rounding alone.
    CHECK(mean_of(correlated[j]) == Approx(mean_of(independent[j])).epsilon(1e-12));
    CHECK(sd_of(correlated[j]) == Approx(sd_of(independent[j])).epsilon(1e-12));
    const double one_sample = kolmogorov_smirnov(inputs[j], correlated[j]);
    const double two_sample = kolmogorov_smirnov(correlated[j], reference[j]);
    const double one_sample_critical = kKolmogorov1Percent / std::sqrt(n);
    const double two_sample_critical = kKolmogorov1Percent * std::sqrt(2.0 / n);
    CAPTURE(one_sample, one_sample_critical, two_sample, two_sample_critical);
    CHECK(one_sample < one_sample_critical);
    CHECK(two_sample < two_sample_critical);
  }
}

TEST_CASE("the first input of a block keeps its draws in place, the others lose their rows") {
  const auto inputs = three_inputs();
  const auto induced = RankCorrelation::make(kThreeInputs, 3);
  const Columns independent = draw(inputs, kDraws, nullptr);
  const Columns correlated = draw(inputs, kDraws, &induced);
  CHECK(same_bits(correlated[0], independent[0]));
  // The rearranged inputs are paired with anything outside the block at random: an input that is
  // not rearranged (here the unrearranged draws of the others) stays uncorrelated with them.
  for (std::size_t j = 1; j < 3; ++j) {
    const double outside = spearman(correlated[j], independent[3 - j]);
    CAPTURE(j, outside);
    CHECK(std::abs(outside) < 0.02);
    CHECK_FALSE(same_bits(correlated[j], independent[j]));
  }
}

TEST_CASE("a discrete input can be correlated; its ties lower the achieved correlation") {
  const auto induced = RankCorrelation::make({1.0, 0.7, 0.7, 1.0}, 2);
  const auto inputs = std::vector<Distribution>{make("gamma", {2.0, 1.5}), make("poisson", {2.0})};
  const Columns independent = draw(inputs, kDraws, nullptr);
  const Columns correlated = draw(inputs, kDraws, &induced);
  CHECK(same_bits(sorted(correlated[1]), sorted(independent[1])));
  const double achieved = spearman(correlated[0], correlated[1]);
  CAPTURE(achieved);
  CHECK(achieved > 0.6);
  CHECK(achieved < 0.7);
}

TEST_CASE("the same stream gives the same arrangement, bit for bit") {
  const auto induced = RankCorrelation::make(kThreeInputs, 3);
  const Columns first = draw(three_inputs(), 10'000, &induced);
  const Columns second = draw(three_inputs(), 10'000, &induced);
  for (std::size_t j = 0; j < 3; ++j)
    CHECK(same_bits(first[j], second[j]));

  Columns other = draw(three_inputs(), kBlockSize, nullptr);
  Columns again = other;
  auto stream = stream_of(0, "rank correlation");
  auto another_stream = stream_of(1, "rank correlation");
  rearrange_rows(induced, other, 0, kBlockSize, stream);
  rearrange_rows(induced, again, 0, kBlockSize, another_stream);
  CHECK_FALSE(same_bits(other[1], again[1]));
}

TEST_CASE("blocks of a few rows are rearranged without failing") {
  const auto induced = RankCorrelation::make(kThreeInputs, 3);
  for (std::size_t n = 0; n <= 5; ++n) {
    CAPTURE(n);
    Columns before = draw(three_inputs(), n, nullptr);
    Columns after = before;
    auto stream = stream_of(0, "rank correlation");
    rearrange_rows(induced, after, 0, n, stream);
    for (std::size_t j = 0; j < 3; ++j) {
      CHECK(same_bits(sorted(after[j]), sorted(before[j])));
      if (n <= 1) CHECK(same_bits(after[j], before[j]));
    }
  }
  // Ties everywhere, and a NaN: still a rearrangement of the same values.
  Columns constant = {{1.0, 1.0, 1.0, 1.0}, {2.0, kNaN, 2.0, -0.0}, {0.0, 0.0, 3.0, 3.0}};
  Columns rearranged = constant;
  auto stream = stream_of(0, "rank correlation");
  rearrange_rows(induced, rearranged, 0, 4, stream);
  for (std::size_t j = 0; j < 3; ++j) {
    std::vector<std::uint64_t> a(4);
    std::vector<std::uint64_t> b(4);
    std::memcpy(a.data(), constant[j].data(), 4 * sizeof(double));
    std::memcpy(b.data(), rearranged[j].data(), 4 * sizeof(double));
    std::sort(a.begin(), a.end());
    std::sort(b.begin(), b.end());
    CHECK(a == b);
  }
}

struct BadMatrix {
  std::string what;
  std::vector<double> matrix;
  std::size_t k;
  std::string message;
  std::optional<std::size_t> row;
  std::optional<std::size_t> column;
};

TEST_CASE("check() names the first problem of a matrix and where it is") {
  const std::vector<BadMatrix> cases = {
      {"one input", {1.0}, 1, "the matrix is 1 x 1, but must be at least 2 x 2", {}, {}},
      {"not square",
       {1.0, 0.5, 0.5},
       2,
       "the matrix has 3 entries, but must have 2 x 2 = 4",
       {},
       {}},
      {"above 1",
       {1.0, 1.5, 1.5, 1.0},
       2,
       "the entry in row 1, column 2 is 1.5, but must lie in",
       0,
       1},
      {"below -1",
       {1.0, 0.5, 0.3, 0.5, 1.0, -1.2, 0.3, -1.2, 1.0},
       3,
       "the entry in row 2, column 3 is -1.2, but must lie in [-1, 1]",
       1,
       2},
      {"not a number", {1.0, kNaN, kNaN, 1.0}, 2, "the entry in row 1, column 2 is NaN", 0, 1},
      {"diagonal",
       {1.0, 0.5, 0.5, 0.9},
       2,
       "the diagonal entry in row 2 is 0.9, but must be 1",
       1,
       1},
      {"asymmetric",
       {1.0, 0.5, 0.4, 1.0},
       2,
       "the entry in row 2, column 1 is 0.4, but must equal the entry in row 1, column 2, 0.5",
       1,
       0},
      {"contradictory",
       {1.0, 0.9, -0.9, 0.9, 1.0, 0.9, -0.9, 0.9, 1.0},
       3,
       "the smallest eigenvalue of the matrix is -0.8, but must be positive",
       {},
       {}},
      {"collinear", {1.0, 1.0, 1.0, 1.0}, 2, "the smallest eigenvalue of the matrix is", {}, {}},
      // Positive definite as Spearman correlations (smallest eigenvalue 0.02), but not as the
      // normal-score correlations 2 sin(pi r / 6) = -0.5067 that carry them.
      {"not as normal scores",
       {1.0, -0.49, -0.49, -0.49, 1.0, -0.49, -0.49, -0.49, 1.0},
       3,
       "the smallest eigenvalue of the normal-score correlations",
       {},
       {}},
  };
  for (const BadMatrix& bad : cases) {
    CAPTURE(bad.what);
    const auto problem = RankCorrelation::check(bad.matrix, bad.k);
    REQUIRE(problem.has_value());
    CHECK_THAT(problem->message, Catch::Contains(bad.message));
    CHECK_FALSE(problem->hint.empty());
    CHECK(problem->row == bad.row);
    CHECK(problem->column == bad.column);
    CHECK_THROWS_AS(RankCorrelation::make(bad.matrix, bad.k), std::invalid_argument);
  }
}

TEST_CASE("check() accepts valid matrices, and asymmetry within rounding") {
  CHECK_FALSE(RankCorrelation::check(kThreeInputs, 3).has_value());
  for (const std::vector<double>& matrix : {std::vector<double>{1.0, 0.3, 0.3 + 1e-13, 1.0},
                                            std::vector<double>{1.0, -1.0 + 1e-6, -1.0 + 1e-6, 1.0},
                                            std::vector<double>{1.0, 0.0, 0.0, 1.0}}) {
    CAPTURE(matrix);
    CHECK_FALSE(RankCorrelation::check(matrix, 2).has_value());
  }
}

TEST_CASE("the reciprocal condition number measures how nearly singular a matrix is") {
  const auto induced = RankCorrelation::make({1.0, 0.6, 0.6, 1.0}, 2);
  CHECK(induced.size() == 2);
  CHECK(induced.spearman() == std::vector<double>{1.0, 0.6, 0.6, 1.0});
  // Eigenvalues 1 - 0.6 and 1 + 0.6.
  CHECK(induced.reciprocal_condition() == Approx(0.25).epsilon(1e-12));
  const auto identity = RankCorrelation::make({1.0, 0.0, 0.0, 1.0}, 2);
  CHECK(identity.reciprocal_condition() == Approx(1.0).epsilon(1e-12));
  const auto nearly = RankCorrelation::make({1.0, 1.0 - 1e-8, 1.0 - 1e-8, 1.0}, 2);
  CHECK(nearly.reciprocal_condition() < kNearlySingular);
}

}  // namespace
}  // namespace darkfigure::sampling
