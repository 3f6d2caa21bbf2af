#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <numbers>
#include <string>
#include <tuple>
#include <vector>

#include <catch2/catch.hpp>

#include "cases.hpp"

namespace darkfigure::distributions::testing {
namespace {

using random::Stream;
using random::StreamKey;

constexpr double kInf = std::numeric_limits<double>::infinity();

std::vector<double> list(std::initializer_list<double> values) {
  return values;
}

TEST_CASE("tiny shapes give finite draws inside the support") {
  struct Extreme {
    Call call;
    double lower;
    double upper;
  };
  const std::vector<Extreme> extremes = {
      {{"beta", {0.05, 0.05}}, 0.0, 1.0},  {{"beta", {1e-3, 1e-3}}, 0.0, 1.0},
      {{"beta", {0.05, 50.0}}, 0.0, 1.0},  {{"gamma", {0.01, 1.0}}, 0.0, kInf},
      {{"gamma", {1e-3, 5.0}}, 0.0, kInf}, {{"negbinomial", {1e6, 0.01}}, 0.0, kInf},
  };
  for (const Extreme& extreme : extremes) {
    const Distribution d = extreme.call.make();
    INFO(d.describe());
    const std::vector<double> draws = draw_in_blocks(d, 100'000, 7, 1);
    const auto bad = std::count_if(draws.begin(), draws.end(), [&](double x) {
      return !std::isfinite(x) || x < extreme.lower || x > extreme.upper;
    });
    CHECK(bad == 0);
    // Not collapsed onto the ends: some draws lie strictly inside.
    CHECK(std::count_if(draws.begin(), draws.end(),
                        [&](double x) { return x > extreme.lower && x < extreme.upper; }) > 1000);
  }
}

TEST_CASE("the same key gives the same draws, a different key different ones") {
  const StreamKey key{2023, random::stream_id("kz"), 7, random::stream_id("reporting_rate")};
  const std::vector<StreamKey> others = {
      {key.seed + 1, key.scenario, key.block, key.input},
      {key.seed, key.scenario + 1, key.block, key.input},
      {key.seed, key.scenario, key.block + 1, key.input},
      {key.seed, key.scenario, key.block, key.input + 1},
  };
  for (const Call& call : valid_calls()) {
    const Distribution d = call.make();
    INFO(d.describe());
    std::vector<double> first(kBlockSize);
    std::vector<double> second(kBlockSize);
    Stream a(key);
    Stream b(key);
    d.fill(a, first);
    d.fill(b, second);
    CHECK(first == second);  // bit for bit
    for (const StreamKey& other : others) {
      Stream c(other);
      d.fill(c, second);
      CHECK(first != second);
    }
  }
}

TEST_CASE("fill gives the same numbers as repeated sample") {
  for (const Call& call : valid_calls()) {
    const Distribution d = call.make();
    INFO(d.describe());
    std::vector<double> filled(1000);
    Stream a(StreamKey{1, 2, 3, 4});
    d.fill(a, filled);
    Stream b(StreamKey{1, 2, 3, 4});
    std::vector<double> sampled;
    for (std::size_t i = 0; i < filled.size(); ++i)
      sampled.push_back(d.sample(b));
    CHECK(filled == sampled);
  }
}

TEST_CASE("a distribution is a value: copies draw the same numbers") {
  const Distribution original = Distribution::make(
      "discrete", std::vector<Argument>{list({1.0, 2.0, 5.0}), list({0.2, 0.3, 0.5})});
  const Distribution copy = original;  // NOLINT(performance-unnecessary-copy-initialization)
  Stream a(StreamKey{5, 6, 7, 8});
  Stream b(StreamKey{5, 6, 7, 8});
  for (int i = 0; i < 100; ++i)
    CHECK(original.sample(a) == copy.sample(b));
  CHECK(copy.describe() == original.describe());
}

/// Reads "family(1, [2, 3], -inf)" back into a call: numbers by strtod, which reads exactly what
/// shortest-decimal printing wrote.
Call parse_call(const std::string& text, std::string& family) {
  const std::size_t open = text.find('(');
  family = text.substr(0, open);
  Call call{family, {}};
  const char* cursor = text.c_str() + open + 1;
  std::vector<double>* list_being_read = nullptr;
  while (*cursor != ')' || list_being_read != nullptr) {
    if (*cursor == ',' || *cursor == ' ') {
      ++cursor;
    } else if (*cursor == '[') {
      call.arguments.emplace_back(std::vector<double>{});
      list_being_read = &std::get<std::vector<double>>(call.arguments.back());
      ++cursor;
    } else if (*cursor == ']') {
      list_being_read = nullptr;
      ++cursor;
    } else {
      char* end = nullptr;
      const double value = std::strtod(cursor, &end);
      REQUIRE(end != cursor);
      cursor = end;
      if (list_being_read != nullptr) {
        list_being_read->push_back(value);
      } else {
        call.arguments.emplace_back(value);
      }
    }
  }
  return call;
}

TEST_CASE("describe() writes the canonical call with shortest decimals, and reads back") {
  const std::vector<std::pair<Call, std::string>> expected = {
      {{"beta", {4.0, 16.0}}, "beta(4, 16)"},
      {{"beta_mean_sd", {0.3, 0.1}}, "beta_mean_sd(0.3, 0.1)"},
      {{"normal", {4.7e6, 1e5}}, "normal(4700000, 1e+05)"},
      {{"uniform", {0.1, 0.1 + 0.2}}, "uniform(0.1, 0.30000000000000004)"},
      {{"gamma", {1.0 / 3.0, 2e-300}}, "gamma(0.3333333333333333, 2e-300)"},
      {{"truncnormal", {0.0, 1.0, -kInf, 2.0}}, "truncnormal(0, 1, -inf, 2)"},
      {{"lognormal_ci", {1.0, 1e21}}, "lognormal_ci(1, 1e+21)"},
      {{"binomial", {1000.0, 0.3}}, "binomial(1000, 0.3)"},
      {{"discrete", {list({3.0, -1.0, 2.5})}}, "discrete([3, -1, 2.5])"},
      {{"discrete", {list({1.0, 2.0}), list({0.25, 0.75})}}, "discrete([1, 2], [0.25, 0.75])"},
  };
  for (const auto& [call, text] : expected) {
    const Distribution d = call.make();
    CHECK(d.describe() == text);
    std::string family;
    const Call again = parse_call(d.describe(), family);
    CHECK(again.family == call.family);
    CHECK(again.arguments == call.arguments);  // exactly, bit for bit
    CHECK(again.make().describe() == text);
  }
  for (const Call& call : valid_calls()) {
    std::string family;
    const Call again = parse_call(call.make().describe(), family);
    CHECK(again.arguments == call.arguments);
  }
}

TEST_CASE("degenerate binomials put all their mass on one count") {
  for (const auto& [n, p, value] :
       {std::tuple{0.0, 0.3, 0.0}, std::tuple{10.0, 0.0, 0.0}, std::tuple{10.0, 1.0, 10.0}}) {
    const Distribution d = Distribution::make("binomial", std::vector<Argument>{n, p});
    INFO(d.describe());
    const std::vector<double> draws = draw_in_blocks(d, 5000, 3, 3);
    CHECK(std::all_of(draws.begin(), draws.end(), [&](double x) { return x == value; }));
    CHECK(d.mean() == value);
    CHECK(d.variance() == 0.0);
    CHECK(d.quantile(0.5) == value);
    CHECK(d.cdf(value) == 1.0);
    CHECK(d.cdf(value - 0.5) == 0.0);
    CHECK(d.log_pdf(value) == 0.0);
  }
}

TEST_CASE("log_pdf stays finite in far tails, where the density underflows") {
  // A likelihood at a count far from the mean: poisson(1e5) at 67500 has mass e^-5890.
  const Distribution poisson = Distribution::make("poisson", std::vector<Argument>{1e5});
  const double k = 67500.0;
  const double expected = k * std::log(1e5) - 1e5 - std::lgamma(k + 1.0);
  CHECK(poisson.log_pdf(k) == Approx(expected).epsilon(1e-12));
  CHECK(std::isfinite(
      Distribution::make("negbinomial", std::vector<Argument>{10.0, 2.0}).log_pdf(1e5)));
  CHECK(
      std::isfinite(Distribution::make("binomial", std::vector<Argument>{1e6, 0.5}).log_pdf(1.0)));
  CHECK(Distribution::make("normal", std::vector<Argument>{0.0, 1.0}).log_pdf(100.0) ==
        Approx(-5000.0 - 0.5 * std::log(2.0 * std::numbers::pi)).epsilon(1e-15));
  CHECK(std::isfinite(Distribution::make("truncnormal", std::vector<Argument>{0.0, 1.0, 30.0, kInf})
                          .log_pdf(31.0)));
  // Non-integer counts have no mass.
  CHECK(poisson.log_pdf(2.5) == -kInf);
  CHECK(poisson.cdf(99999.5) == poisson.cdf(99999.0));
}

TEST_CASE("lognormal_ci puts p5 and p95 at the 5th and 95th percentiles") {
  const Distribution d = Distribution::make("lognormal_ci", std::vector<Argument>{2.0, 50.0});
  CHECK(d.quantile(0.05) == Approx(2.0).epsilon(1e-12));
  CHECK(d.quantile(0.95) == Approx(50.0).epsilon(1e-12));
  CHECK(d.quantile(0.5) == Approx(10.0).epsilon(1e-12));  // the geometric mean
}

TEST_CASE("beta_mean_sd and pert have the documented moments") {
  const Distribution rate = Distribution::make("beta_mean_sd", std::vector<Argument>{0.3, 0.1});
  CHECK(rate.mean() == Approx(0.3).epsilon(1e-14));
  CHECK(rate.variance() == Approx(0.01).epsilon(1e-14));
  const Distribution pert = Distribution::make("pert", std::vector<Argument>{1.0, 2.0, 6.0});
  CHECK(pert.mean() == Approx((1.0 + 4.0 * 2.0 + 6.0) / 6.0).epsilon(1e-14));
  const Distribution counts = Distribution::make("negbinomial", std::vector<Argument>{10.0, 4.0});
  CHECK(counts.variance() == Approx(10.0 + 100.0 / 4.0).epsilon(1e-14));
}

TEST_CASE("a huge dispersion makes negbinomial Poisson, consistently") {
  const Distribution near_poisson =
      Distribution::make("negbinomial", std::vector<Argument>{3.0, 1e300});
  const Distribution poisson = Distribution::make("poisson", std::vector<Argument>{3.0});
  for (const double k : {0.0, 1.0, 3.0, 10.0}) {
    CHECK(near_poisson.cdf(k) == Approx(poisson.cdf(k)).epsilon(1e-12));
    CHECK(near_poisson.log_pdf(k) == Approx(poisson.log_pdf(k)).epsilon(1e-12));
  }
  CHECK(near_poisson.quantile(0.9) == poisson.quantile(0.9));
}

}  // namespace
}  // namespace darkfigure::distributions::testing
