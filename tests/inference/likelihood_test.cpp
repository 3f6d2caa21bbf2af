#include "darkfigure/inference/likelihood.hpp"

#include <algorithm>
#include <boost/math/distributions/beta.hpp>
#include <boost/math/distributions/binomial.hpp>
#include <boost/math/distributions/gamma.hpp>
#include <boost/math/distributions/lognormal.hpp>
#include <boost/math/distributions/negative_binomial.hpp>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/poisson.hpp>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numbers>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

using darkfigure::inference::add_log_likelihood;
using darkfigure::inference::find_likelihood;
using darkfigure::inference::likelihood_families;
using darkfigure::inference::LikelihoodFamily;
using darkfigure::inference::LikelihoodTally;
using darkfigure::inference::predictive_cdf;
using darkfigure::inference::value_problem;

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kEps = std::numeric_limits<double>::epsilon();

const LikelihoodFamily& family(std::string_view name) {
  const LikelihoodFamily* found = find_likelihood(name);
  REQUIRE(found != nullptr);
  return *found;
}

/// Draws of one family: one column per parameter, one row per draw.
struct Draws {
  std::vector<std::vector<double>> columns;

  explicit Draws(const std::vector<std::vector<double>>& rows) {
    const std::size_t arity = rows.empty() ? 0 : rows.front().size();
    columns.assign(arity, {});
    for (const auto& row : rows) {
      for (std::size_t k = 0; k < arity; ++k)
        columns[k].push_back(row.at(k));
    }
  }
  std::size_t size() const { return columns.empty() ? 0 : columns.front().size(); }
  std::vector<const double*> pointers() const {
    std::vector<const double*> p;
    for (const auto& c : columns)
      p.push_back(c.data());
    return p;
  }
};

struct Pass {
  std::vector<double> log_likelihood;
  LikelihoodTally tally;
};

/// add_log_likelihood() of `values` over `draws`, starting from out = 0.
Pass log_likelihood(std::string_view name, const std::vector<double>& values, const Draws& draws) {
  Pass pass{std::vector<double>(draws.size(), 0.0), {}};
  const auto pointers = draws.pointers();
  pass.tally = add_log_likelihood(family(name), values, pointers, pass.log_likelihood);
  return pass;
}

/// The log-likelihood of one value under one draw.
double log_likelihood_of(std::string_view name, double value, const std::vector<double>& row) {
  return log_likelihood(name, {value}, Draws({row})).log_likelihood.at(0);
}

std::vector<double> mid_cdfs(std::string_view name, double value, const Draws& draws) {
  std::vector<double> out(draws.size(), -1.0);
  const auto pointers = draws.pointers();
  predictive_cdf(family(name), value, pointers, out);
  return out;
}

double mid_cdf_of(std::string_view name, double value, const std::vector<double>& row) {
  return mid_cdfs(name, value, Draws({row})).at(0);
}

/// One valid draw and a value at which its density does not underflow.
struct Point {
  std::vector<double> parameters;
  double value;
};

const std::vector<Point> kPoissonPoints = {
    {{0.1}, 0.0},  {{0.1}, 2.0},   {{1.0}, 1.0},          {{3.7}, 0.0},
    {{3.7}, 9.0},  {{50.0}, 38.0}, {{1000.0}, 1100.0},    {{2.5e5}, 250100.0},
    {{1e-5}, 3.0}, {{600.0}, 0.0}, {{123456.7}, 123000.0}};
const std::vector<Point> kBinomialPoints = {
    {{10.0, 0.3}, 3.0},     {{1.0, 0.5}, 1.0}, {{100.0, 0.01}, 0.0}, {{1000.0, 0.999}, 998.0},
    {{1e6, 0.2}, 200300.0}, {{7.0, 0.5}, 7.0}, {{40.0, 0.05}, 12.0}, {{5e8, 0.7}, 3.5e8}};
const std::vector<Point> kNormalPoints = {
    {{0.0, 1.0}, 0.5},    {{-3.0, 0.2}, -2.9},   {{1e6, 1e3}, 1.0015e6},     {{0.0, 1e-3}, 0.004},
    {{5.0, 10.0}, -30.0}, {{-1e-9, 2e-9}, 3e-9}, {{67500.0, 500.0}, 69000.0}};
const std::vector<Point> kNegativeBinomialPoints = {
    {{10.0, 2.0}, 3.0}, {{0.5, 0.1}, 0.0}, {{1000.0, 50.0}, 900.0}, {{3.0, 1e4}, 5.0},
    {{1e5, 1.0}, 12.0}, {{1e5, 1.0}, 4e5}, {{250.0, 0.3}, 2500.0},  {{7e4, 30.0}, 67500.0}};
const std::vector<Point> kBetaPoints = {
    {{2.0, 5.0}, 0.3},  {{0.5, 0.5}, 0.01},  {{1.0, 1.0}, 0.7},      {{30.0, 70.0}, 0.28},
    {{0.2, 3.0}, 1e-6}, {{1e4, 1e4}, 0.503}, {{4.0, 0.7}, 0.999999}, {{1e-3, 1e-3}, 0.5}};
const std::vector<Point> kLognormalPoints = {{{0.0, 1.0}, 1.0},   {{2.0, 0.5}, 9.0},
                                             {{-5.0, 2.0}, 1e-3}, {{10.0, 0.01}, 22000.0},
                                             {{0.0, 3.0}, 1e-20}, {{50.0, 4.0}, 1e25}};

template <class Distribution>
double boost_log_pdf(const Distribution& d, double value) {
  const double density = boost::math::pdf(d, value);
  INFO("Boost's density at " << value << " is " << density);
  REQUIRE(density > 1e-290);  // the points are chosen where Boost's density is a normal double
  return std::log(density);
}

/// P(Y < y) + P(Y = y) / 2 of a count from Boost's cdf and pdf; cdf(-1) = 0.
template <class Distribution>
double boost_mid_cdf(const Distribution& d, double y) {
  return (y >= 1.0 ? boost::math::cdf(d, y - 1.0) : 0.0) + 0.5 * boost::math::pdf(d, y);
}

boost::math::negative_binomial_distribution<double> boost_negative_binomial(double mean,
                                                                            double dispersion) {
  return {dispersion, dispersion / (dispersion + mean)};
}

}  // namespace

TEST_CASE("likelihood: the family table", "[likelihood]") {
  struct Expected {
    std::string_view name, signature;
    std::size_t arity;
    bool discrete;
  };
  const Expected expected[] = {
      {"poisson", "poisson(mean)", 1, true},
      {"binomial", "binomial(n, p)", 2, true},
      {"normal", "normal(mean, sd)", 2, false},
      {"negbinomial", "negbinomial(mean, dispersion)", 2, true},
      {"beta", "beta(alpha, beta)", 2, false},
      {"lognormal", "lognormal(mu, sigma)", 2, false},
  };
  const auto families = likelihood_families();
  REQUIRE(families.size() == std::size(expected));
  for (std::size_t i = 0; i < families.size(); ++i) {
    INFO(expected[i].name);
    CHECK(families[i].name == expected[i].name);
    CHECK(families[i].signature == expected[i].signature);
    CHECK(families[i].arity == expected[i].arity);
    CHECK(families[i].discrete == expected[i].discrete);
    CHECK(!families[i].doc.empty());
    CHECK(families[i].doc.find('\n') == std::string_view::npos);
    CHECK(find_likelihood(expected[i].name) == &families[i]);
  }
  for (const std::string_view unknown :
       {"", "gamma", "Poisson", "poisson(mean)", " poisson", "binom", "uniform", "normal "}) {
    INFO(unknown);
    CHECK(find_likelihood(unknown) == nullptr);
  }
}

// The count families and beta take the log of the very same Boost.Math density (the points keep
// it a normal double), so they agree to rounding. normal and lognormal evaluate -z^2/2 - log(sd)
// - log(sqrt(2 pi)) directly, while log(Boost's pdf) rounds exp(-z^2/2) / (sd sqrt(2 pi)) first:
// both are within a few ulps of the log density, whose condition number with respect to z is
// z^2, so the tolerance is a few eps times (1 + z^2 + |log density|).
TEST_CASE("likelihood: log-likelihoods match Boost.Math", "[likelihood]") {
  const auto check = [](std::string_view name, const std::vector<Point>& points, auto boost_of,
                        auto condition_of) {
    for (const Point& point : points) {
      const double expected = boost_log_pdf(boost_of(point.parameters), point.value);
      const double actual = log_likelihood_of(name, point.value, point.parameters);
      const double tolerance =
          8.0 * kEps * (1.0 + std::abs(expected) + condition_of(point.parameters, point.value));
      INFO(name << " " << point.parameters.front() << ", " << point.parameters.back() << " at "
                << point.value << ": " << actual << " vs Boost " << expected);
      CHECK(std::abs(actual - expected) <= tolerance);
    }
  };
  const auto none = [](const std::vector<double>&, double) { return 0.0; };
  check(
      "poisson", kPoissonPoints,
      [](const std::vector<double>& p) { return boost::math::poisson_distribution<>(p[0]); }, none);
  check(
      "binomial", kBinomialPoints,
      [](const std::vector<double>& p) { return boost::math::binomial_distribution<>(p[0], p[1]); },
      none);
  check(
      "negbinomial", kNegativeBinomialPoints,
      [](const std::vector<double>& p) { return boost_negative_binomial(p[0], p[1]); }, none);
  check(
      "beta", kBetaPoints,
      [](const std::vector<double>& p) { return boost::math::beta_distribution<>(p[0], p[1]); },
      none);
  check(
      "normal", kNormalPoints,
      [](const std::vector<double>& p) { return boost::math::normal_distribution<>(p[0], p[1]); },
      [](const std::vector<double>& p, double y) {
        const double z = (y - p[0]) / p[1];
        return z * z + std::abs(std::log(p[1]));
      });
  check(
      "lognormal", kLognormalPoints,
      [](const std::vector<double>& p) {
        return boost::math::lognormal_distribution<>(p[0], p[1]);
      },
      [](const std::vector<double>& p, double y) {
        const double z = (std::log(y) - p[0]) / p[1];
        return z * z + std::abs(std::log(p[1])) + std::abs(std::log(y));
      });
}

TEST_CASE("likelihood: negbinomial with a huge dispersion is poisson", "[likelihood]") {
  // Boost's negative binomial with p = 1 - 2e-11 would lose its digits; the distributions module
  // switches to Poisson(mean) there, which differs by a relative 1e-10 of the variance. At a mean
  // of 1e12 and dispersion 1e20 the rounding of p would move Boost's counts by 0.01 standard
  // deviations; Poisson(mean) is short by 1e-8 of the variance.
  for (const double y : {0.0, 15.0, 20.0, 31.0}) {
    const double poisson = std::log(boost::math::pdf(boost::math::poisson_distribution<>(20.0), y));
    CHECK(log_likelihood_of("negbinomial", y, {20.0, 1e12}) == Approx(poisson).epsilon(1e-9));
  }
  const double mean = 1e12;
  const double at_mean = 0.5 + 1.0 / (6.0 * std::sqrt(2.0 * std::numbers::pi * mean));
  CHECK(std::abs(mid_cdf_of("negbinomial", mean, {mean, 1e20}) - at_mean) <= 1e-9);
  CHECK(log_likelihood_of("negbinomial", mean, {mean, 1e20}) ==
        Approx(-0.5 * std::log(2.0 * std::numbers::pi * mean)).epsilon(1e-9));
}

TEST_CASE("likelihood: several values add up, and add to what out holds", "[likelihood]") {
  struct Case {
    std::string_view name;
    std::vector<std::vector<double>> rows;
    std::vector<double> values;
  };
  const Case cases[] = {
      {"poisson", {{3.0}, {40.0}, {0.5}}, {2.0, 5.0, 0.0, 41.0}},
      {"binomial", {{50.0, 0.2}, {80.0, 0.5}}, {10.0, 12.0, 7.0}},
      {"normal", {{1.0, 2.0}, {-4.0, 0.5}}, {0.3, -1.7, 2.2}},
      {"negbinomial", {{10.0, 2.0}, {300.0, 0.7}}, {0.0, 14.0, 250.0}},
      {"beta", {{2.0, 5.0}, {0.5, 0.5}}, {0.1, 0.35, 0.9}},
      {"lognormal", {{0.0, 1.0}, {3.0, 0.2}}, {0.5, 20.0, 3.0}},
  };
  for (const Case& c : cases) {
    INFO(c.name);
    const Draws draws(c.rows);
    const auto pointers = draws.pointers();
    std::vector<double> out(draws.size());
    for (std::size_t i = 0; i < out.size(); ++i)
      out[i] = -2.5 * static_cast<double>(i + 1);
    const LikelihoodTally tally = add_log_likelihood(family(c.name), c.values, pointers, out);
    CHECK(tally.invalid == 0);
    CHECK(tally.impossible == 0);
    for (std::size_t i = 0; i < out.size(); ++i) {
      double sum = -2.5 * static_cast<double>(i + 1);
      for (const double y : c.values)
        sum += log_likelihood_of(c.name, y, c.rows[i]);
      CHECK(out[i] == Approx(sum).epsilon(8 * kEps));
    }
    // No values: nothing is added.
    std::vector<double> unchanged(draws.size(), 1.25);
    add_log_likelihood(family(c.name), {}, pointers, unchanged);
    CHECK(std::all_of(unchanged.begin(), unchanged.end(), [](double x) { return x == 1.25; }));
  }
}

TEST_CASE("likelihood: only the first out.size() draws are read and written", "[likelihood]") {
  const std::vector<double> means = {2.0, 5.0, kNaN, -1.0};
  const double* columns[] = {means.data()};
  std::vector<double> out = {0.0, 0.0, 7.0};
  const double values[] = {3.0};
  const LikelihoodTally tally =
      add_log_likelihood(family("poisson"), values, columns, std::span<double>(out).first(2));
  CHECK(tally.invalid == 0);
  CHECK(out[2] == 7.0);
  CHECK(out[0] ==
        Approx(std::log(boost::math::pdf(boost::math::poisson_distribution<>(2.0), 3.0))));
}

TEST_CASE("likelihood: invalid parameters give -inf, NaN mid-cdfs, and are counted",
          "[likelihood]") {
  const double kSubnormal = 1e-310;
  const double kAbove2To53 = 18014398509481984.0;  // 2^54
  // Counts and shapes are taken up to 1e15, where Boost.Math's cdfs are still accurate and fast.
  struct Case {
    std::string_view name;
    std::vector<double> valid;
    std::vector<std::vector<double>> invalid;
    double value;
  };
  const Case cases[] = {
      {"poisson", {3.0}, {{kNaN}, {-1.0}, {-1e-300}, {kInf}, {-kInf}, {1.1e15}}, 2.0},
      {"binomial",
       {10.0, 0.3},
       {{2.5, 0.3},
        {-1.0, 0.3},
        {kNaN, 0.3},
        {kInf, 0.3},
        {kAbove2To53, 0.3},
        {1e15 + 2.0, 0.3},
        {10.0, 1.5},
        {10.0, -0.1},
        {10.0, kNaN},
        {10.0, 1.0 + kEps}},
       2.0},
      {"normal",
       {0.0, 1.0},
       {{0.0, 0.0},
        {0.0, -1.0},
        {kNaN, 1.0},
        {kInf, 1.0},
        {0.0, kInf},
        {0.0, kNaN},
        {0.0, kSubnormal}},
       0.5},
      {"negbinomial",
       {10.0, 2.0},
       {{-1.0, 2.0},
        {kNaN, 2.0},
        {kInf, 2.0},
        {10.0, 0.0},
        {10.0, -2.0},
        {10.0, kInf},
        {10.0, kNaN},
        {10.0, kSubnormal},
        {1.1e15, 2.0},
        {1.7e308, 1e300}},
       4.0},
      {"beta",
       {2.0, 5.0},
       {{0.0, 5.0},
        {2.0, 0.0},
        {-2.0, 5.0},
        {kNaN, 5.0},
        {2.0, kInf},
        {kSubnormal, 5.0},
        {2.0, 1.1e15},
        {1e16, 1e16}},
       0.3},
      {"lognormal",
       {0.0, 1.0},
       {{0.0, 0.0}, {0.0, -1.0}, {kNaN, 1.0}, {-kInf, 1.0}, {0.0, kInf}, {0.0, kSubnormal}},
       2.0},
  };
  for (const Case& c : cases) {
    INFO(c.name);
    // The valid draw first, last and between the invalid ones.
    std::vector<std::vector<double>> rows = {c.valid};
    for (const auto& row : c.invalid) {
      rows.push_back(row);
      rows.push_back(c.valid);
    }
    const Draws draws(rows);
    const Pass pass = log_likelihood(c.name, {c.value}, draws);
    CHECK(pass.tally.invalid == c.invalid.size());
    CHECK(pass.tally.impossible == 0);
    const double valid = log_likelihood_of(c.name, c.value, c.valid);
    REQUIRE(std::isfinite(valid));
    const std::vector<double> mid = mid_cdfs(c.name, c.value, draws);
    for (std::size_t i = 0; i < rows.size(); ++i) {
      INFO("draw " << i << ": " << rows[i].front() << ", " << rows[i].back());
      if (i % 2 == 0) {
        CHECK(pass.log_likelihood[i] == valid);
        CHECK(mid[i] == mid_cdf_of(c.name, c.value, c.valid));
      } else {
        CHECK(pass.log_likelihood[i] == -kInf);
        CHECK(std::isnan(mid[i]));
      }
    }
    // An invalid draw is -inf whatever out held.
    std::vector<double> out(draws.size(), 100.0);
    const auto pointers = draws.pointers();
    add_log_likelihood(family(c.name), std::vector<double>{c.value}, pointers, out);
    CHECK(out[1] == -kInf);
  }
}

TEST_CASE("likelihood: impossible values are counted", "[likelihood]") {
  SECTION("binomial values above a draw's n") {
    const Draws draws({{5.0, 0.5}, {12.0, 0.5}, {10.0, 0.5}, {40.0, 0.1}, {2.5, 0.5}});
    const Pass pass = log_likelihood("binomial", {3.0, 12.0}, draws);
    CHECK(pass.tally.invalid == 1);
    CHECK(pass.tally.impossible == 2);
    CHECK(pass.log_likelihood[0] == -kInf);
    CHECK(std::isfinite(pass.log_likelihood[1]));
    CHECK(pass.log_likelihood[2] == -kInf);
    CHECK(std::isfinite(pass.log_likelihood[3]));
    CHECK(pass.log_likelihood[4] == -kInf);
    // Above n every count lies below the value.
    CHECK(mid_cdf_of("binomial", 12.0, {5.0, 0.5}) == 1.0);
  }
  SECTION("point masses") {
    const Pass poisson = log_likelihood("poisson", {3.0}, Draws({{0.0}, {1.0}}));
    CHECK(poisson.tally.impossible == 1);
    CHECK(poisson.log_likelihood[0] == -kInf);
    const Pass negbinomial = log_likelihood("negbinomial", {1.0}, Draws({{0.0, 2.0}}));
    CHECK(negbinomial.tally.impossible == 1);
    const Pass binomial =
        log_likelihood("binomial", {1.0}, Draws({{10.0, 0.0}, {10.0, 1.0}, {0.0, 0.5}}));
    CHECK(binomial.tally.impossible == 3);
    CHECK(log_likelihood("binomial", {9.0}, Draws({{10.0, 1.0}})).tally.impossible == 1);
  }
  SECTION("a value with a value_problem() is impossible under every valid draw") {
    struct Case {
      std::string_view name;
      std::vector<std::vector<double>> rows;
      double bad_value;
      double good_value;
    };
    const Case cases[] = {
        {"poisson", {{3.0}, {kNaN}, {0.0}}, 2.5, 2.0},
        {"binomial", {{10.0, 0.5}, {10.0, 2.0}}, -1.0, 2.0},
        {"negbinomial", {{10.0, 2.0}, {-1.0, 1.0}}, kInf, 2.0},
        {"normal", {{0.0, 1.0}, {0.0, 0.0}}, kNaN, 2.0},
        {"beta", {{2.0, 5.0}, {0.0, 1.0}}, 1.0, 0.5},
        {"lognormal", {{0.0, 1.0}, {0.0, 0.0}}, 0.0, 0.5},
    };
    for (const Case& c : cases) {
      INFO(c.name);
      const Pass pass = log_likelihood(c.name, {c.good_value, c.bad_value}, Draws(c.rows));
      CHECK(pass.tally.invalid == 1);
      CHECK(pass.tally.impossible == c.rows.size() - 1);
      CHECK(std::all_of(pass.log_likelihood.begin(), pass.log_likelihood.end(),
                        [](double x) { return x == -kInf; }));
    }
  }
  SECTION("a density that underflows in log space, as at a normal 1e200 sds away") {
    const Pass pass = log_likelihood("normal", {1e300}, Draws({{0.0, 1e100}, {0.0, 1e299}}));
    CHECK(pass.tally.impossible == 1);
    CHECK(pass.log_likelihood[0] == -kInf);
    CHECK(std::isfinite(pass.log_likelihood[1]));
  }
}

TEST_CASE("likelihood: point masses at the edges of the domains", "[likelihood]") {
  CHECK(log_likelihood_of("poisson", 0.0, {0.0}) == 0.0);
  CHECK(log_likelihood_of("negbinomial", 0.0, {0.0, 3.0}) == 0.0);
  CHECK(log_likelihood_of("binomial", 0.0, {10.0, 0.0}) == 0.0);
  CHECK(log_likelihood_of("binomial", 10.0, {10.0, 1.0}) == 0.0);
  CHECK(log_likelihood_of("binomial", 0.0, {0.0, 0.3}) == 0.0);
  CHECK(log_likelihood_of("binomial", 0.0, {0.0, 0.0}) == 0.0);
  CHECK(log_likelihood_of("binomial", 0.0, {0.0, 1.0}) == 0.0);
  CHECK(log_likelihood_of("binomial", 0.0, {1e6, 0.0}) == 0.0);
  // Mid-cdfs: half the point mass at the point, none below, all of it above.
  for (const auto& [name, row] : std::vector<std::pair<std::string_view, std::vector<double>>>{
           {"poisson", {0.0}}, {"negbinomial", {0.0, 3.0}}, {"binomial", {10.0, 0.0}}}) {
    INFO(name);
    CHECK(mid_cdf_of(name, 0.0, row) == 0.5);
    CHECK(mid_cdf_of(name, 1.0, row) == 1.0);
    CHECK(mid_cdf_of(name, 0.5, row) == 1.0);
    CHECK(mid_cdf_of(name, -1.0, row) == 0.0);
  }
  CHECK(mid_cdf_of("binomial", 10.0, {10.0, 1.0}) == 0.5);
  CHECK(mid_cdf_of("binomial", 9.0, {10.0, 1.0}) == 0.0);
  // Parameters at the edges of their domains that are not point masses.
  CHECK(std::isfinite(log_likelihood_of("poisson", 5.0, {1e-310})));
  CHECK(std::isfinite(log_likelihood_of("binomial", 1.0, {1e15, 1e-300})));
  CHECK(std::isfinite(log_likelihood_of("beta", 0.5, {1e-300, 1e-300})));
  CHECK(std::isfinite(log_likelihood_of("normal", 0.0, {0.0, 2.3e-308})));
}

// Far from the mean the densities underflow; their logs come from log space and stay finite.
// The references are the closed forms with std::lgamma, whose relative accuracy at these
// magnitudes (about 1e-15 of each term) gives the tolerance.
TEST_CASE("likelihood: far tails stay finite", "[likelihood]") {
  const auto lgamma = [](double x) { return std::lgamma(x); };
  SECTION("poisson: 67500 reported with a mean of 1000") {
    const double k = 67500.0;
    const double mean = 1000.0;
    const double expected = k * std::log(mean) - mean - lgamma(k + 1.0);
    const double actual = log_likelihood_of("poisson", k, {mean});
    CHECK(expected < -2e5);
    CHECK(actual == Approx(expected).epsilon(1e-12));
    CHECK(log_likelihood_of("poisson", 0.0, {1e6}) == Approx(-1e6).epsilon(1e-15));
    CHECK(log_likelihood_of("poisson", 5.0, {1e-300}) ==
          Approx(5.0 * std::log(1e-300) - lgamma(6.0)).epsilon(1e-14));
  }
  SECTION("binomial") {
    const double n = 1e6;
    const double k = 10.0;
    const double expected = lgamma(n + 1.0) - lgamma(k + 1.0) - lgamma(n - k + 1.0) +
                            k * std::log(0.5) + (n - k) * std::log(0.5);
    CHECK(log_likelihood_of("binomial", k, {n, 0.5}) == Approx(expected).epsilon(1e-12));
  }
  SECTION("negbinomial") {
    const double mean = 10.0;
    const double size = 2.0;
    const double y = 5000.0;
    const double expected = lgamma(y + size) - lgamma(size) - lgamma(y + 1.0) +
                            size * std::log(size / (size + mean)) +
                            y * std::log(mean / (size + mean));
    CHECK(log_likelihood_of("negbinomial", y, {mean, size}) == Approx(expected).epsilon(1e-12));
  }
  SECTION("normal and lognormal") {
    const double half_log_two_pi = 0.5 * std::log(2.0 * std::numbers::pi);
    CHECK(log_likelihood_of("normal", 40.0, {0.0, 1.0}) ==
          Approx(-800.0 - half_log_two_pi).epsilon(1e-15));
    CHECK(log_likelihood_of("lognormal", std::exp(60.0), {0.0, 1.0}) ==
          Approx(-1800.0 - 60.0 - half_log_two_pi).epsilon(1e-14));
  }
  SECTION("beta") {
    const double a = 50.0;
    const double b = 50.0;
    const double x = 1e-8;
    const double expected = (a - 1.0) * std::log(x) + (b - 1.0) * std::log1p(-x) -
                            (lgamma(a) + lgamma(b) - lgamma(a + b));
    CHECK(expected < -700.0);
    CHECK(log_likelihood_of("beta", x, {a, b}) == Approx(expected).epsilon(1e-13));
  }
}

// References for a dispersion far below the mean, where p = dispersion / (dispersion + mean) is
// subnormal or 0 as a double: log mass lgamma(y + r) - lgamma(r) - lgamma(y + 1) - r log1p(mu /
// r) - y log1p(r / mu), evaluated with mpmath at 50 digits.
TEST_CASE("likelihood: negbinomial with a tiny dispersion keeps its mass at 0", "[likelihood]") {
  struct Case {
    double mean, dispersion, value, log_mass;
  };
  const Case cases[] = {
      {1e5, 1e-305, 0.0, -7.1380137882815416e-303}, {1e5, 1e-305, 1.0, -702.28845336318393},
      {1e5, 1e-305, 1e5, -713.80137882815416},      {1e15, 1e-300, 0.0, -7.2531430429312441e-298},
      {1e15, 1e-300, 7.0, -692.72143804726902},     {1e15, 1e-300, 1e15, -725.31430429312439},
      {1.0, 1e-300, 2.0, -691.46867507877365},      {1e10, 1e-295, 3.0, -680.36121472191159},
  };
  for (const Case& c : cases) {
    INFO(c.mean << ", " << c.dispersion << " at " << c.value);
    const double actual = log_likelihood_of("negbinomial", c.value, {c.mean, c.dispersion});
    // The mass at 0 is 1 - 1e-297 or so: its log is 0 to within a long double's rounding.
    CHECK(std::abs(actual - c.log_mass) <= 1e-18 + 1e-15 * std::abs(c.log_mass));
  }
  CHECK(mid_cdf_of("negbinomial", 0.0, {1e5, 1e-305}) == Approx(0.5).epsilon(1e-15));
  CHECK(mid_cdf_of("negbinomial", 3.0, {1e5, 1e-305}) == Approx(1.0).epsilon(1e-15));
}

TEST_CASE("likelihood: value_problem", "[likelihood]") {
  const std::string count = "must be a whole number of at least 0";
  const std::string finite = "must be finite";
  struct Case {
    std::string_view name;
    double value;
    std::string problem;
  };
  const Case cases[] = {
      {"poisson", 0.0, ""},
      {"poisson", 67500.0, ""},
      {"poisson", 1e300, ""},
      {"poisson", 2.5, count},
      {"poisson", -1.0, count},
      {"poisson", kNaN, finite},
      {"poisson", kInf, finite},
      {"binomial", 3.0, ""},
      {"binomial", 0.5, count},
      {"binomial", -kInf, finite},
      {"negbinomial", 12.0, ""},
      {"negbinomial", -3.0, count},
      {"negbinomial", kNaN, finite},
      {"normal", -1e300, ""},
      {"normal", 0.0, ""},
      {"normal", kNaN, finite},
      {"normal", -kInf, finite},
      {"beta", 0.5, ""},
      {"beta", 1e-300, ""},
      {"beta", 0.0, "must lie strictly between 0 and 1"},
      {"beta", 1.0, "must lie strictly between 0 and 1"},
      {"beta", 1.5, "must lie strictly between 0 and 1"},
      {"beta", kNaN, finite},
      {"lognormal", 1e-300, ""},
      {"lognormal", 3.0, ""},
      {"lognormal", 0.0, "must be above 0"},
      {"lognormal", -2.0, "must be above 0"},
      {"lognormal", kInf, finite},
  };
  for (const Case& c : cases) {
    INFO(c.name << " at " << c.value);
    CHECK(value_problem(family(c.name), c.value) == c.problem);
  }
}

TEST_CASE("likelihood: a family not in the table, or too few columns", "[likelihood]") {
  const LikelihoodFamily gamma{"gamma", "gamma(shape, scale)", "", 2, false};
  const std::vector<double> column = {1.0, 2.0};
  const double* columns[] = {column.data(), column.data()};
  std::vector<double> out(2, 0.0);
  const double values[] = {1.0};
  const LikelihoodTally tally = add_log_likelihood(gamma, values, columns, out);
  CHECK(tally.invalid == 2);
  CHECK(out[0] == -kInf);
  predictive_cdf(gamma, 1.0, columns, out);
  CHECK(std::isnan(out[1]));
  CHECK(!value_problem(gamma, 1.0).empty());

  std::vector<double> short_out(2, 0.0);
  const auto one_column = std::span<const double* const>(columns).first(1);
  CHECK(add_log_likelihood(family("normal"), values, one_column, short_out).invalid == 2);
  CHECK(short_out[1] == -kInf);
}

TEST_CASE("likelihood: predictive_cdf is the mid-distribution function", "[likelihood]") {
  // Both sides take the same Boost.Math cdf and pdf, so they agree to rounding.
  const double tolerance = 4.0 * kEps;
  const auto check_counts = [&](std::string_view name, const std::vector<Point>& points,
                                auto boost_of) {
    for (const Point& point : points) {
      const auto d = boost_of(point.parameters);
      INFO(name << " " << point.parameters.front() << ", " << point.parameters.back() << " at "
                << point.value);
      for (const double y : {point.value, 0.0, point.value + 1.0}) {
        if (name == "binomial" && y > point.parameters[0]) continue;  // Boost would throw
        CHECK(mid_cdf_of(name, y, point.parameters) ==
              Approx(boost_mid_cdf(d, y)).margin(tolerance).epsilon(tolerance));
      }
      // Between counts: P(Y < y) = P(Y <= floor(y)).
      CHECK(mid_cdf_of(name, point.value + 0.5, point.parameters) ==
            Approx(boost::math::cdf(d, point.value)).margin(tolerance).epsilon(tolerance));
    }
  };
  check_counts("poisson", kPoissonPoints, [](const std::vector<double>& p) {
    return boost::math::poisson_distribution<>(p[0]);
  });
  check_counts("binomial", kBinomialPoints, [](const std::vector<double>& p) {
    return boost::math::binomial_distribution<>(p[0], p[1]);
  });
  check_counts("negbinomial", kNegativeBinomialPoints,
               [](const std::vector<double>& p) { return boost_negative_binomial(p[0], p[1]); });
  const auto check_continuous = [&](std::string_view name, const std::vector<Point>& points,
                                    auto boost_of) {
    for (const Point& point : points) {
      INFO(name << " " << point.parameters.front() << ", " << point.parameters.back() << " at "
                << point.value);
      CHECK(mid_cdf_of(name, point.value, point.parameters) ==
            Approx(boost::math::cdf(boost_of(point.parameters), point.value))
                .margin(tolerance)
                .epsilon(tolerance));
    }
  };
  check_continuous("normal", kNormalPoints, [](const std::vector<double>& p) {
    return boost::math::normal_distribution<>(p[0], p[1]);
  });
  check_continuous("beta", kBetaPoints, [](const std::vector<double>& p) {
    return boost::math::beta_distribution<>(p[0], p[1]);
  });
  check_continuous("lognormal", kLognormalPoints, [](const std::vector<double>& p) {
    return boost::math::lognormal_distribution<>(p[0], p[1]);
  });
  SECTION("values outside the support, and NaN") {
    CHECK(mid_cdf_of("poisson", -3.0, {2.0}) == 0.0);
    CHECK(mid_cdf_of("poisson", kInf, {2.0}) == 1.0);
    CHECK(mid_cdf_of("binomial", 1e9, {10.0, 0.5}) == 1.0);
    CHECK(mid_cdf_of("beta", 0.0, {2.0, 2.0}) == 0.0);
    CHECK(mid_cdf_of("beta", 1.5, {2.0, 2.0}) == 1.0);
    CHECK(mid_cdf_of("lognormal", -1.0, {0.0, 1.0}) == 0.0);
    CHECK(mid_cdf_of("normal", -kInf, {0.0, 1.0}) == 0.0);
    CHECK(mid_cdf_of("normal", kInf, {0.0, 1.0}) == 1.0);
    for (const auto& f : likelihood_families()) {
      INFO(f.name);
      CHECK(std::isnan(mid_cdf_of(f.name, kNaN, std::vector<double>(f.arity, 0.5))));
    }
  }
}

// Above a mean of 1e6 the Poisson cdf is the Wilson-Hilferty approximation (absolute error about
// 5e-3 / mean). Up to 1e7 Boost.Math is right and slow; at 1e12 its series stops short (it gives
// P(K <= mean - 1) = 0.34), and the reference is the expansion 1/2 + 1 / (6 sqrt(2 pi mean)) +
// O(mean^-3/2) of the mid-cdf at the mean.
TEST_CASE("likelihood: poisson mid-cdf at large means", "[likelihood]") {
  for (const double mean : {1.5e6, 1e7}) {
    const boost::math::poisson_distribution<> d(mean);
    const double sd = std::sqrt(mean);
    for (const double z : {-6.0, -2.0, -0.5, 0.0, 0.3, 1.0, 4.0}) {
      const double y = std::floor(mean + z * sd);
      INFO(mean << " at " << y);
      CHECK(std::abs(mid_cdf_of("poisson", y, {mean}) - boost_mid_cdf(d, y)) <= 6e-3 / mean);
    }
  }
  for (const double mean : {1e12, 1e14}) {
    INFO(mean);
    const double expected = 0.5 + 1.0 / (6.0 * std::sqrt(2.0 * std::numbers::pi * mean));
    CHECK(std::abs(mid_cdf_of("poisson", mean, {mean}) - expected) <= 1e-12);
    // negbinomial with dispersion above 1e10 times the mean is the same Poisson.
    CHECK(std::abs(mid_cdf_of("negbinomial", mean, {mean, 1e11 * mean}) - expected) <= 1e-12);
    CHECK(mid_cdf_of("poisson", mean - 10.0 * std::sqrt(mean), {mean}) < 1e-20);
    CHECK(mid_cdf_of("poisson", mean + 10.0 * std::sqrt(mean), {mean}) > 1.0 - 1e-15);
  }
}

namespace {

/// Composite Simpson nodes and weights on [low, high] with `intervals` (even) intervals.
struct Quadrature {
  std::vector<double> nodes;
  std::vector<double> weights;

  Quadrature(double low, double high, std::size_t intervals) {
    const double h = (high - low) / static_cast<double>(intervals);
    for (std::size_t j = 0; j <= intervals; ++j) {
      nodes.push_back(low + h * static_cast<double>(j));
      const double w = (j == 0 || j == intervals) ? 1.0 : (j % 2 == 1 ? 4.0 : 2.0);
      weights.push_back(w * h / 3.0);
    }
  }
};

}  // namespace

// The mean of the mid-cdf over prior draws of the parameters is the prior predictive mid-cdf. A
// Poisson count whose mean is gamma(shape, scale) is negative binomial with size = shape and p =
// 1 / (1 + scale); a normal measurement whose mean is normal(m, s) is normal(m, sqrt(s^2 + sd^2)).
// The prior draws are a Simpson grid over the prior's support, truncated where the prior's tail
// mass is below 1e-14, weighted by the prior density: with 2000 intervals on a smooth integrand
// the quadrature error is below 1e-10. For the gamma the grid is uniform in sqrt(lambda), dense
// at small means where the Poisson mid-cdf of a small count changes fastest.
TEST_CASE("likelihood: prior predictive mid-cdf under conjugate priors", "[likelihood]") {
  SECTION("poisson with a gamma mean is negative binomial") {
    struct Prior {
      double shape, scale;
    };
    for (const Prior prior : {Prior{3.0, 2.0}, Prior{2.5, 40.0}, Prior{12.0, 0.5}}) {
      const boost::math::gamma_distribution<> gamma(prior.shape, prior.scale);
      const double high = boost::math::quantile(boost::math::complement(gamma, 1e-14));
      const Quadrature grid(0.0, std::sqrt(high), 2000);
      std::vector<std::vector<double>> rows;
      std::vector<double> weights;  // of lambda = t^2: Simpson weight * d lambda / dt * density
      for (std::size_t j = 0; j < grid.nodes.size(); ++j) {
        const double t = grid.nodes[j];
        rows.push_back({t * t});
        weights.push_back(grid.weights[j] * 2.0 * t * boost::math::pdf(gamma, t * t));
      }
      const Draws draws(rows);
      const boost::math::negative_binomial_distribution<> predictive(prior.shape,
                                                                     1.0 / (1.0 + prior.scale));
      for (const double y : {0.0, 1.0, 4.0, 6.0, 25.0, 150.0}) {
        const std::vector<double> mid = mid_cdfs("poisson", y, draws);
        double mean = 0.0;
        for (std::size_t j = 0; j < mid.size(); ++j)
          mean += weights[j] * mid[j];
        INFO("gamma(" << prior.shape << ", " << prior.scale << "), y = " << y);
        CHECK(mean == Approx(boost_mid_cdf(predictive, y)).margin(1e-10));
      }
    }
  }
  SECTION("normal with a normal mean is normal") {
    const double m = 3.0;
    const double s = 2.0;
    const double sd = 1.5;
    const boost::math::normal_distribution<> prior(m, s);
    const Quadrature grid(m - 9.0 * s, m + 9.0 * s, 2000);
    std::vector<std::vector<double>> rows;
    for (const double mu : grid.nodes)
      rows.push_back({mu, sd});
    const Draws draws(rows);
    const boost::math::normal_distribution<> predictive(m, std::sqrt(s * s + sd * sd));
    for (const double y : {-4.0, 0.0, 3.0, 5.5, 12.0}) {
      const std::vector<double> mid = mid_cdfs("normal", y, draws);
      double mean = 0.0;
      for (std::size_t j = 0; j < mid.size(); ++j)
        mean += grid.weights[j] * boost::math::pdf(prior, grid.nodes[j]) * mid[j];
      INFO("y = " << y);
      CHECK(mean == Approx(boost::math::cdf(predictive, y)).margin(1e-10));
    }
  }
}

// Parameters across the whole double range, each family's domain edges included: a draw's
// log-likelihood is never NaN or +inf, and its mid-cdf is NaN exactly when it is invalid.
TEST_CASE("likelihood: no NaN from valid draws across the double range", "[likelihood]") {
  const double magnitudes[] = {0.0,   5e-324, 1e-310,  2.3e-308, 1e-300, 1e-12, 0.25,
                               1.0,   7.0,    1e5,     1e13,     1e15,   1e16,  1e200,
                               1e300, 1e306,  1.7e308, kInf,     kNaN};
  const double counts[] = {0.0, 1.0, 3.0, 67500.0, 1e12};
  for (const auto& f : likelihood_families()) {
    INFO(f.name);
    std::vector<std::vector<double>> rows;
    for (const double a : magnitudes) {
      if (f.arity == 1) {
        rows.push_back({a});
        continue;
      }
      for (const double b : magnitudes) {
        const double second = f.name == "binomial" ? std::min(b, 1.0) : b;
        rows.push_back({f.name == "normal" || f.name == "lognormal" ? -a : a, second});
        rows.push_back({a, second});
      }
    }
    const Draws draws(rows);
    std::vector<double> values;
    if (f.discrete) {
      values.assign(std::begin(counts), std::end(counts));
    } else if (f.name == "beta") {
      values = {1e-300, 0.25, 0.5, 1.0 - 1e-16};
    } else {
      values = {1e-300, 0.5, 3.0, 1e300};
    }
    for (const double y : values) {
      INFO("value " << y);
      const Pass pass = log_likelihood(f.name, {y}, draws);
      const std::vector<double> mid = mid_cdfs(f.name, y, draws);
      std::uint64_t nan_mid = 0;
      for (std::size_t i = 0; i < rows.size(); ++i) {
        INFO(rows[i].front() << ", " << rows[i].back());
        CHECK(!std::isnan(pass.log_likelihood[i]));
        CHECK(pass.log_likelihood[i] < kInf);
        if (std::isnan(mid[i])) {
          ++nan_mid;
          CHECK(pass.log_likelihood[i] == -kInf);
        } else {
          CHECK((mid[i] >= 0.0 && mid[i] <= 1.0));
        }
      }
      CHECK(nan_mid == pass.tally.invalid);
    }
  }
}
