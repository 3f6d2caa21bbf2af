#include "darkfigure/sensitivity/regression.hpp"

#include <Eigen/Dense>
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numbers>
#include <numeric>
#include <stdexcept>
#include <vector>

#include "darkfigure/random/stream.hpp"

using darkfigure::random::Stream;
using darkfigure::random::StreamKey;
using darkfigure::sensitivity::Collinear;
using darkfigure::sensitivity::LinearSummary;
using darkfigure::sensitivity::partial_correlation;
using darkfigure::sensitivity::partial_rank_correlation;
using darkfigure::sensitivity::ranks;
using darkfigure::sensitivity::standardised_regression;

namespace {

using Column = std::vector<double>;

/// Columns as the spans the functions take.
std::vector<std::span<const double>> spans(const std::vector<Column>& columns) {
  return {columns.begin(), columns.end()};
}

/// `count` uniforms in (lower, upper).
Column uniforms(Stream& stream, std::size_t count, double lower, double upper) {
  Column values(count);
  for (double& v : values)
    v = lower + (upper - lower) * stream.uniform();
  return values;
}

/// A standard normal by the Box-Muller transform (the cosine half).
double normal(Stream& stream) {
  const double radius = std::sqrt(-2.0 * std::log(stream.uniform()));
  return radius * std::cos(2.0 * std::numbers::pi * stream.uniform());
}

/// `count` normals of mean 0 and standard deviation `sd`.
Column normals(Stream& stream, std::size_t count, double sd) {
  Column values(count);
  for (double& v : values)
    v = sd * normal(stream);
  return values;
}

double mean_of(const Column& values) {
  return std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(values.size());
}

/// The sample standard deviation (divisor n - 1), in two passes.
double sd_of(const Column& values) {
  const double mean = mean_of(values);
  double squares = 0.0;
  for (const double v : values)
    squares += (v - mean) * (v - mean);
  return std::sqrt(squares / static_cast<double>(values.size() - 1));
}

double correlation_of(const Column& x, const Column& y) {
  const double mean_x = mean_of(x);
  const double mean_y = mean_of(y);
  double xy = 0.0;
  double xx = 0.0;
  double yy = 0.0;
  for (std::size_t j = 0; j < x.size(); ++j) {
    xy += (x[j] - mean_x) * (y[j] - mean_y);
    xx += (x[j] - mean_x) * (x[j] - mean_x);
    yy += (y[j] - mean_y) * (y[j] - mean_y);
  }
  return xy / std::sqrt(xx * yy);
}

}  // namespace

TEST_CASE("standardised_regression: an exact linear model gives a_i s_i / s_y and R^2 = 1") {
  // Correlated inputs: the least-squares coefficients of an exact model are still a_i, so the
  // standardised ones are a_i times the sample standard deviations' ratio.
  Stream stream(StreamKey{1, 2, 3, 4});
  constexpr std::size_t kCount = 1000;
  const Column x1 = normals(stream, kCount, 1.0);
  Column x2 = uniforms(stream, kCount, 0.0, 1.0);
  for (std::size_t j = 0; j < kCount; ++j)
    x2[j] += 0.5 * x1[j];
  Column y(kCount);
  for (std::size_t j = 0; j < kCount; ++j)
    y[j] = 10.0 + 2.0 * x1[j] - 3.0 * x2[j];
  const std::vector<Column> inputs = {x1, x2};
  const LinearSummary summary = standardised_regression(spans(inputs), y);
  REQUIRE(summary.coefficients.size() == 2);
  CHECK(summary.coefficients[0] == Approx(2.0 * sd_of(x1) / sd_of(y)).epsilon(1e-10));
  CHECK(summary.coefficients[1] == Approx(-3.0 * sd_of(x2) / sd_of(y)).epsilon(1e-10));
  CHECK(summary.r_squared == Approx(1.0).epsilon(1e-12));
}

TEST_CASE("standardised_regression: independent inputs match the closed form within 4 se") {
  // y = 2 x1 - 3 x2 + 0.5 x3 + x4^2, x1 ~ N(0, 1), x2 ~ U(0, 1), x3 ~ N(0, 2^2), x4 ~ U(-1, 1).
  // x4^2 is uncorrelated with every input (x4 is symmetric), so the linear fit leaves the residual
  // e = x4^2 - 1/3 of variance 4/45: SRC_i = a_i sd(x_i) / sd(y), SRC_4 = 0 and
  // R^2 = 1 - (4/45) / var(y).
  //
  // The standard error is the delta method's, not the textbook sqrt((1 - R^2) / (n - k - 1)),
  // which holds sd(x_i) and sd(y) fixed: their sampling error dominates here (about 4 times the
  // textbook value for SRC_1). With z_i and u the inputs and output standardised by their true
  // means and sds, rho the true SRCs and epsilon = u - sum rho_i z_i, independent inputs give
  // SRC_i - rho_i = mean(z_i epsilon + rho_i (z_i^2 - u^2) / 2) to first order, and
  // (1 - R^2) - (1 - R^2_true) = mean(epsilon^2 - (1 - R^2_true) u^2); the standard error is the
  // sample sd of the summand over sqrt(n).
  constexpr std::size_t kCount = 200000;
  Stream stream(StreamKey{11, 12, 13, 14});
  const std::vector<Column> inputs = {
      normals(stream, kCount, 1.0), uniforms(stream, kCount, 0.0, 1.0),
      normals(stream, kCount, 2.0), uniforms(stream, kCount, -1.0, 1.0)};
  const std::vector<double> slopes = {2.0, -3.0, 0.5, 0.0};
  const std::vector<double> means = {0.0, 0.5, 0.0, 0.0};
  const std::vector<double> sds = {1.0, std::sqrt(1.0 / 12.0), 2.0, std::sqrt(1.0 / 3.0)};
  constexpr double kResidualVariance = 4.0 / 45.0;
  Column y(kCount);
  for (std::size_t j = 0; j < kCount; ++j) {
    y[j] =
        2.0 * inputs[0][j] - 3.0 * inputs[1][j] + 0.5 * inputs[2][j] + inputs[3][j] * inputs[3][j];
  }
  const double variance_y = 4.0 + 9.0 / 12.0 + 0.25 * 4.0 + kResidualVariance;
  const double mean_y = -1.5 + 1.0 / 3.0;
  const double sd_y = std::sqrt(variance_y);
  std::vector<double> truth(4);
  for (std::size_t i = 0; i < 4; ++i)
    truth[i] = slopes[i] * sds[i] / sd_y;
  const double r_squared = 1.0 - kResidualVariance / variance_y;

  std::vector<Column> influence(4, Column(kCount));
  Column r_squared_influence(kCount);
  for (std::size_t j = 0; j < kCount; ++j) {
    const double u = (y[j] - mean_y) / sd_y;
    double epsilon = u;
    for (std::size_t i = 0; i < 4; ++i)
      epsilon -= truth[i] * (inputs[i][j] - means[i]) / sds[i];
    for (std::size_t i = 0; i < 4; ++i) {
      const double z = (inputs[i][j] - means[i]) / sds[i];
      influence[i][j] = z * epsilon + truth[i] * (z * z - u * u) / 2.0;
    }
    r_squared_influence[j] = epsilon * epsilon - (1.0 - r_squared) * u * u;
  }

  const LinearSummary summary = standardised_regression(spans(inputs), y);
  const double root_n = std::sqrt(static_cast<double>(kCount));
  REQUIRE(summary.coefficients.size() == 4);
  for (std::size_t i = 0; i < 4; ++i) {
    const double se = sd_of(influence[i]) / root_n;
    const double error = std::abs(summary.coefficients[i] - truth[i]);
    INFO("SRC_" << i + 1 << ": computed " << summary.coefficients[i] << ", expected " << truth[i]
                << ", tolerance min(0.01, 4 se = " << 4.0 * se << ")");
    CHECK(error < 0.01);
    CHECK(error < 4.0 * se);
  }
  const double se = sd_of(r_squared_influence) / root_n;
  INFO("R^2: computed " << summary.r_squared << ", expected " << r_squared << ", tolerance "
                        << 4.0 * se);
  CHECK(std::abs(summary.r_squared - r_squared) < 4.0 * se);
}

TEST_CASE("partial_rank_correlation: with one input it is Spearman's rho") {
  // y = x1 + x2 for independent standard normals: corr(x1, y) = rho = 1/sqrt(2), and Spearman's
  // rho of a bivariate normal is (6/pi) asin(rho/2) (Pearson 1907). Its standard error is taken
  // from Bonett and Wright (2000, Psychometrika 65:23-28), var(atanh r_s) = (1 + r_s^2/2) / (n -
  // 3), carried back through atanh: sd(r_s) = (1 - r_s^2) sqrt((1 + r_s^2/2) / (n - 3)).
  constexpr std::size_t kCount = 200000;
  Stream stream(StreamKey{21, 22, 23, 24});
  const Column x1 = normals(stream, kCount, 1.0);
  const Column x2 = normals(stream, kCount, 1.0);
  Column y(kCount);
  for (std::size_t j = 0; j < kCount; ++j)
    y[j] = x1[j] + x2[j];
  const std::vector<Column> inputs = {x1};
  const LinearSummary summary = partial_rank_correlation(spans(inputs), y);
  REQUIRE(summary.coefficients.size() == 1);
  const double spearman = correlation_of(ranks(x1), ranks(y));
  CHECK(summary.coefficients[0] == Approx(spearman).epsilon(1e-12));
  CHECK(summary.r_squared == Approx(spearman * spearman).epsilon(1e-12));

  const double truth = 6.0 / std::numbers::pi * std::asin(1.0 / std::sqrt(2.0) / 2.0);
  const double se = (1.0 - truth * truth) *
                    std::sqrt((1.0 + truth * truth / 2.0) / static_cast<double>(kCount - 3));
  INFO("computed " << summary.coefficients[0] << ", expected " << truth << ", tolerance "
                   << 4.0 * se);
  CHECK(std::abs(summary.coefficients[0] - truth) < 4.0 * se);
}

TEST_CASE("partial_rank_correlation: a monotone transform of the output changes nothing") {
  constexpr std::size_t kCount = 20000;
  Stream stream(StreamKey{31, 32, 33, 34});
  const std::vector<Column> inputs = {normals(stream, kCount, 1.0),
                                      uniforms(stream, kCount, 0.0, 1.0),
                                      normals(stream, kCount, 1.0)};
  Column y(kCount);
  Column exp_y(kCount);
  for (std::size_t j = 0; j < kCount; ++j) {
    y[j] = inputs[0][j] + 2.0 * inputs[1][j] * inputs[1][j] - 0.3 * inputs[2][j];
    exp_y[j] = std::exp(y[j]);
  }
  const LinearSummary plain = partial_rank_correlation(spans(inputs), y);
  const LinearSummary transformed = partial_rank_correlation(spans(inputs), exp_y);
  CHECK(plain.coefficients == transformed.coefficients);
  CHECK(plain.r_squared == transformed.r_squared);
}

TEST_CASE("partial_correlation of ranked columns is partial_rank_correlation, bit for bit") {
  constexpr std::size_t kCount = 5000;
  Stream stream(StreamKey{41, 42, 43, 44});
  const std::vector<Column> inputs = {normals(stream, kCount, 1.0),
                                      uniforms(stream, kCount, 0.0, 1.0)};
  Column y(kCount);
  for (std::size_t j = 0; j < kCount; ++j)
    y[j] = std::exp(inputs[0][j]) - 3.0 * inputs[1][j];
  const std::vector<Column> ranked = {ranks(inputs[0]), ranks(inputs[1])};
  const LinearSummary direct = partial_correlation(spans(ranked), ranks(y));
  const LinearSummary through_ranks = partial_rank_correlation(spans(inputs), y);
  CHECK(direct.coefficients == through_ranks.coefficients);
  CHECK(direct.r_squared == through_ranks.r_squared);
  // On the values themselves it is another figure: exp(x1) is not linear in x1.
  CHECK(partial_correlation(spans(inputs), y).coefficients != through_ranks.coefficients);
}

TEST_CASE("partial_rank_correlation: an input absent from the model is within 4/sqrt(n) of 0") {
  // Its partial correlation is that of independent residuals, of standard error 1/sqrt(n).
  constexpr std::size_t kCount = 50000;
  Stream stream(StreamKey{41, 42, 43, 44});
  const std::vector<Column> inputs = {normals(stream, kCount, 1.0),
                                      uniforms(stream, kCount, 0.0, 1.0),
                                      normals(stream, kCount, 1.0)};
  Column y(kCount);
  for (std::size_t j = 0; j < kCount; ++j)
    y[j] = std::exp(inputs[0][j]) + 3.0 * inputs[2][j] + 0.5 * normal(stream);
  const LinearSummary summary = partial_rank_correlation(spans(inputs), y);
  const double tolerance = 4.0 / std::sqrt(static_cast<double>(kCount));
  INFO("PRCC of the absent input: " << summary.coefficients[1] << ", tolerance " << tolerance);
  CHECK(std::abs(summary.coefficients[1]) < tolerance);
  CHECK(summary.coefficients[0] > 0.5);
  CHECK(summary.coefficients[2] > 0.5);
}

TEST_CASE("partial_rank_correlation: it is the correlation of rank residuals") {
  // The definition: regress the ranks of input i and of the output on the ranks of the other
  // inputs (with an intercept) and correlate the residuals.
  constexpr std::size_t kCount = 5000;
  Stream stream(StreamKey{51, 52, 53, 54});
  std::vector<Column> inputs = {normals(stream, kCount, 1.0), uniforms(stream, kCount, 0.0, 1.0),
                                normals(stream, kCount, 1.0), uniforms(stream, kCount, 0.0, 1.0)};
  for (std::size_t j = 0; j < kCount; ++j)
    inputs[2][j] += 0.7 * inputs[0][j];
  Column y(kCount);
  for (std::size_t j = 0; j < kCount; ++j) {
    y[j] = inputs[0][j] - std::log(inputs[1][j]) + 0.2 * inputs[2][j] * inputs[3][j] +
           0.5 * normal(stream);
  }
  const LinearSummary summary = partial_rank_correlation(spans(inputs), y);

  const auto n = static_cast<Eigen::Index>(kCount);
  const Column output_ranks = ranks(y);
  const Eigen::Map<const Eigen::VectorXd> ry(output_ranks.data(), n);
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    Eigen::MatrixXd others(n, static_cast<Eigen::Index>(inputs.size()));
    others.col(0).setOnes();
    Eigen::Index column = 1;
    for (std::size_t other = 0; other < inputs.size(); ++other) {
      if (other == i) continue;
      const Column other_ranks = ranks(inputs[other]);
      others.col(column++) = Eigen::Map<const Eigen::VectorXd>(other_ranks.data(), n);
    }
    const Column input_ranks = ranks(inputs[i]);
    const Eigen::Map<const Eigen::VectorXd> rx(input_ranks.data(), n);
    const auto qr = others.colPivHouseholderQr();
    const Eigen::VectorXd residual_x = rx - others * qr.solve(rx);
    const Eigen::VectorXd residual_y = ry - others * qr.solve(Eigen::VectorXd(ry));
    const double expected = residual_x.dot(residual_y) / (residual_x.norm() * residual_y.norm());
    INFO("input " << i << ": computed " << summary.coefficients[i] << ", expected " << expected);
    CHECK(std::abs(summary.coefficients[i] - expected) < 1e-10);
  }
}

TEST_CASE("partial_rank_correlation: an output monotone in its one input gives +-1") {
  Stream stream(StreamKey{61, 62, 63, 64});
  const std::vector<Column> inputs = {uniforms(stream, 1000, 0.0, 1.0)};
  Column up(1000);
  Column down(1000);
  for (std::size_t j = 0; j < 1000; ++j) {
    up[j] = std::exp(5.0 * inputs[0][j]);
    down[j] = -std::sqrt(inputs[0][j]);
  }
  const LinearSummary increasing = partial_rank_correlation(spans(inputs), up);
  CHECK(increasing.coefficients[0] == Approx(1.0).epsilon(1e-12));
  CHECK(increasing.r_squared == Approx(1.0).epsilon(1e-12));
  CHECK(partial_rank_correlation(spans(inputs), down).coefficients[0] ==
        Approx(-1.0).epsilon(1e-12));
}

TEST_CASE("ranks: ties get the mean of their ranks") {
  const Column values = {3.0, 1.0, 4.0, 1.0, 5.0, 9.0, 2.0, 6.0, 5.0};
  CHECK(ranks(values) == Column{4.0, 1.5, 5.0, 1.5, 6.5, 9.0, 3.0, 8.0, 6.5});
  CHECK(ranks(Column{2.0, 2.0, 2.0, 2.0}) == Column{2.5, 2.5, 2.5, 2.5});
  CHECK(ranks(Column{}).empty());
  const double inf = std::numeric_limits<double>::infinity();
  CHECK(ranks(Column{inf, -inf, 0.0, -0.0}) == Column{4.0, 1.0, 2.5, 2.5});
  CHECK_THROWS_WITH(ranks(Column{1.0, std::nan("")}),
                    "ranks: value 1 is NaN, but must be comparable");
}

TEST_CASE("ranks: distinct values get a permutation of 1 to n in their order") {
  Stream stream(StreamKey{71, 72, 73, 74});
  const Column values = normals(stream, 10000, 1.0);
  const Column r = ranks(values);
  Column sorted = r;
  std::sort(sorted.begin(), sorted.end());
  for (std::size_t j = 0; j < sorted.size(); ++j)
    REQUIRE(sorted[j] == static_cast<double>(j + 1));
  for (std::size_t j = 1; j < values.size(); ++j)
    REQUIRE((values[j - 1] < values[j]) == (r[j - 1] < r[j]));
}

TEST_CASE("standardised_regression: a constant input or a sum of earlier ones is Collinear") {
  constexpr std::size_t kCount = 500;
  Stream stream(StreamKey{81, 82, 83, 84});
  const Column x1 = normals(stream, kCount, 1.0);
  const Column x2 = uniforms(stream, kCount, 0.0, 1.0);
  Column sum(kCount);
  Column y(kCount);
  for (std::size_t j = 0; j < kCount; ++j) {
    sum[j] = x1[j] + x2[j];
    y[j] = x1[j] - x2[j] + 0.1 * normal(stream);
  }
  const Column constant(kCount, 0.1);

  const auto input_of = [&](const std::vector<Column>& inputs) -> std::size_t {
    try {
      standardised_regression(spans(inputs), y);
    } catch (const Collinear& error) {
      INFO(error.what());
      return error.input();
    }
    FAIL("no Collinear thrown");
    return 0;
  };
  CHECK(input_of({x1, constant, x2}) == 1);
  CHECK(input_of({x1, x2, sum}) == 2);
  CHECK(input_of({sum, x1, x2}) == 2);
  CHECK(input_of({x1, x1}) == 1);
  CHECK_THROWS_WITH(standardised_regression(spans({x1, constant, x2}), y),
                    "standardised_regression: input 1 is constant, so no coefficient can be "
                    "fitted for it");
  CHECK_THROWS_WITH(standardised_regression(spans({x1, x2, sum}), y),
                    Catch::StartsWith("standardised_regression: input 2 is a linear combination "
                                      "of inputs 0 to 1: its 1 - R^2 on them is "));

  // Ranks of x1 + x2 are no linear function of the ranks of x1 and x2, but those of exp(x1) are
  // the ranks of x1.
  Column exp_x1(kCount);
  for (std::size_t j = 0; j < kCount; ++j)
    exp_x1[j] = std::exp(x1[j]);
  CHECK_NOTHROW(partial_rank_correlation(spans({x1, x2, sum}), y));
  try {
    partial_rank_correlation(spans({x1, x2, exp_x1}), y);
    FAIL("no Collinear thrown");
  } catch (const Collinear& error) {
    CHECK(error.input() == 2);
    CHECK_THAT(error.what(), Catch::StartsWith("partial_rank_correlation: input 2 is, in ranks, "
                                               "a linear combination of inputs 0 to 1"));
  }
}

TEST_CASE("standardised_regression: malformed columns and a constant output are rejected") {
  const Column five = {1.0, 2.0, 4.0, 3.0, 5.0};
  const Column four = {1.0, 2.0, 4.0, 3.0};
  const Column wavy = {2.0, 1.0, 3.0, 5.0, 4.0};
  CHECK_THROWS_WITH(standardised_regression(spans({five, four}), wavy),
                    "standardised_regression: input 1 has 4 values, but must have 5 as the "
                    "output does");
  CHECK_THROWS_WITH(
      partial_rank_correlation(spans({five, wavy, five, wavy}), wavy),
      "partial_rank_correlation: there are 5 values per column, but must be at least 6 for 4 "
      "inputs");
  Column infinite = five;
  infinite[3] = std::numeric_limits<double>::infinity();
  CHECK_THROWS_WITH(standardised_regression(spans({five, infinite}), wavy),
                    "standardised_regression: input 1 value 3 is inf, but must be finite");
  CHECK_THROWS_WITH(standardised_regression(spans({five}), Column(5, 2.5)),
                    "standardised_regression: the output is 2.5 at every draw, but must vary");
  const LinearSummary none = standardised_regression(spans({}), wavy);
  CHECK(none.coefficients.empty());
  CHECK(none.r_squared == 0.0);
}
