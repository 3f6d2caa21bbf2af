// InverseCdf against the exact quantile and cdf of Boost.Math: within kUError in probability for
// the cubic tables, equal to quantile() for the count tables and for the families without a table.

#include "darkfigure/distributions/inverse_cdf.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "cases.hpp"

namespace darkfigure::distributions::testing {
namespace {

// About six per piece of a table of 3,000 pieces, while the comparisons with Boost.Math's slow
// quantiles keep the test to seconds (under sanitizers too).
constexpr std::size_t kUniforms = 20'000;
constexpr std::uint64_t kSeed = 20240917;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double below(double x) {
  return std::nextafter(x, -std::numeric_limits<double>::infinity());
}
double above(double x) {
  return std::nextafter(x, std::numeric_limits<double>::infinity());
}

/// x with all the digits that tell it from its neighbours.
std::string digits(double x) {
  std::ostringstream text;
  text.precision(17);
  text << x;
  return text.str();
}

bool has_cubic_table(std::string_view family) {
  return family == "beta" || family == "beta_mean_sd" || family == "pert" || family == "gamma";
}
bool has_count_table(std::string_view family) {
  return family == "poisson" || family == "binomial" || family == "negbinomial";
}

/// `count` uniforms in (0, 1) from a stream keyed by `input`, then u's in the far tails, at the
/// tail cut 1e-10 and next to it, and within 1e-16 of 0 and 1.
std::vector<double> uniforms(std::size_t count, std::uint32_t input) {
  random::Stream stream(random::StreamKey{kSeed, 0, 0, input});
  std::vector<double> u(count);
  for (double& value : u)
    value = stream.uniform();
  for (const double tail : {1e-13, 1e-10, 1e-9, 1e-6}) {
    u.insert(u.end(), {below(tail), tail, above(tail), 1.0 - tail});
  }
  u.insert(u.end(), {0x1.0p-53, 1e-300, 0.5, below(1.0)});
  return u;
}

/// The slow continuous shapes: the valid calls of beta, beta_mean_sd, pert and gamma, and a few
/// more, from huge shapes to a tiny one.
std::vector<Call> cubic_calls() {
  std::vector<Call> calls;
  for (const Call& call : valid_calls()) {
    if (has_cubic_table(call.family)) calls.push_back(call);
  }
  calls.push_back({"gamma", {2.0, 1.5}});
  calls.push_back({"beta", {1e6, 1e6}});
  calls.push_back({"beta_mean_sd", {0.98, 0.015}});
  calls.push_back({"pert", {-5.0, -4.9, 20.0}});
  calls.push_back({"gamma", {0.01, 1.0}});  // beyond the table's budget: quantile() throughout
  return calls;
}

/// Whether x is a close enough value at u: |F(x) - u| <= kUError; or, where an ulp of x moves F
/// by more than that, x within two ulps of the true quantile (u within [F(x--), F(x++)]); or the
/// exact quantile, which the table falls back to where the cdf's own rounding defeats kUError.
bool close_enough(const Distribution& d, double x, double u) {
  if (std::abs(d.cdf(x) - u) <= InverseCdf::kUError) return true;
  if (d.cdf(above(x)) - d.cdf(below(x)) > InverseCdf::kUError && d.cdf(below(below(x))) <= u &&
      u <= d.cdf(above(above(x)))) {
    return true;
  }
  return x == d.quantile(u);
}

TEST_CASE("the cubic tables are within kUError of the inverse cdf, inside the support") {
  std::uint32_t input = 0;
  for (const Call& call : cubic_calls()) {
    const Distribution d = call.make();
    INFO(d.describe());
    const InverseCdf inverse(d);
    const double lower = d.quantile(0.0);
    const double upper = d.quantile(1.0);
    std::size_t misses = 0;
    std::size_t outside = 0;
    double missed_u = kNaN;
    for (const double u : uniforms(kUniforms, input++)) {
      const double x = inverse(u);
      if (!(x >= lower && x <= upper)) ++outside;
      if (!close_enough(d, x, u)) {
        ++misses;
        missed_u = u;
      }
    }
    if (misses > 0) {
      const double x = inverse(missed_u);
      INFO("u = " << digits(missed_u) << ": value " << digits(x) << ", cdf " << digits(d.cdf(x))
                  << ", error " << d.cdf(x) - missed_u << ", tolerance " << InverseCdf::kUError
                  << ", quantile " << digits(d.quantile(missed_u)));
      CHECK(misses == 0);
    }
    CHECK(outside == 0);
  }
}

TEST_CASE("the cubic tables ascend with u") {
  std::uint32_t input = 100;
  for (const Call& call : cubic_calls()) {
    const Distribution d = call.make();
    INFO(d.describe());
    const InverseCdf inverse(d);
    std::vector<double> u = uniforms(kUniforms, input++);
    std::sort(u.begin(), u.end());
    std::vector<double> x = u;
    inverse.transform(x);
    const auto descent = std::is_sorted_until(x.begin(), x.end());
    if (descent != x.end()) {
      const auto k = static_cast<std::size_t>(descent - x.begin());
      INFO("u = " << digits(u[k - 1]) << " gives " << digits(x[k - 1]) << ", u = " << digits(u[k])
                  << " gives " << digits(x[k]));
      CHECK(descent == x.end());
    }
  }
}

TEST_CASE("the count tables give quantile() exactly, also at and next to the cdf's steps") {
  std::uint32_t input = 200;
  std::vector<Call> calls;
  for (const Call& call : valid_calls()) {
    if (has_count_table(call.family)) calls.push_back(call);
  }
  calls.push_back({"binomial", {10.0, 0.0}});
  calls.push_back({"binomial", {10.0, 1.0}});
  calls.push_back({"binomial", {0.0, 0.4}});
  for (const Call& call : calls) {
    const Distribution d = call.make();
    INFO(d.describe());
    const InverseCdf inverse(d);
    std::vector<double> u = uniforms(kUniforms, input++);
    // The cdf at counts near its quantiles, and the doubles next to it (below 1).
    for (const double level : {1e-9, 0.01, 0.3, 0.5, 0.9, 0.999, 1.0 - 1e-9}) {
      const double cdf = d.cdf(d.quantile(level));
      u.insert(u.end(), {below(cdf), cdf});
      if (cdf < 1.0) u.push_back(above(cdf));
    }
    std::size_t misses = 0;
    double missed_u = kNaN;
    for (const double level : u) {
      if (inverse(level) != d.quantile(level)) {
        ++misses;
        missed_u = level;
      }
    }
    if (misses > 0) {
      INFO("u = " << digits(missed_u) << ": " << digits(inverse(missed_u)) << ", quantile "
                  << digits(d.quantile(missed_u)));
      CHECK(misses == 0);
    }
  }
}

TEST_CASE("counts too many to tabulate fall back to quantile()") {
  // Boost.Math's quantile takes 2.6 ms for poisson(1e9): a hundred u's.
  for (const Call& call : {Call{"poisson", {1e9}}, Call{"negbinomial", {1e6, 1.0}}}) {
    const Distribution d = call.make();
    INFO(d.describe());
    const InverseCdf inverse(d);
    std::size_t misses = 0;
    for (const double u : uniforms(100, 300)) {
      if (inverse(u) != d.quantile(u)) ++misses;
    }
    CHECK(misses == 0);
  }
}

TEST_CASE("the families without a table give quantile() exactly") {
  std::uint32_t input = 400;
  for (const Call& call : valid_calls()) {
    if (has_cubic_table(call.family) || has_count_table(call.family)) continue;
    const Distribution d = call.make();
    INFO(d.describe());
    const InverseCdf inverse(d);
    std::size_t misses = 0;
    for (const double u : uniforms(kUniforms, input++)) {
      if (inverse(u) != d.quantile(u)) ++misses;
    }
    CHECK(misses == 0);
  }
}

TEST_CASE("u = 0, 1, outside [0, 1] and NaN give what quantile() gives") {
  std::vector<Call> calls = cubic_calls();
  for (const Call& call : valid_calls()) {
    if (!has_cubic_table(call.family)) calls.push_back(call);
  }
  for (const Call& call : calls) {
    const Distribution d = call.make();
    INFO(d.describe());
    const InverseCdf inverse(d);
    CHECK(inverse(0.0) == d.quantile(0.0));
    CHECK(inverse(1.0) == d.quantile(1.0));
    CHECK(std::isnan(inverse(-0.1)));
    CHECK(std::isnan(inverse(1.1)));
    CHECK(std::isnan(inverse(kNaN)));
  }
}

TEST_CASE("transform, copies and threads give the values of operator()") {
  const std::vector<Call> calls = {
      {"beta", {4.0, 16.0}}, {"poisson", {30.0}}, {"normal", {0.0, 1.0}}};
  for (const Call& call : calls) {
    const InverseCdf inverse(call.make());
    INFO(inverse.distribution().describe());
    const std::vector<double> u = uniforms(10'000, 500);
    std::vector<double> expected(u.size());
    std::transform(u.begin(), u.end(), expected.begin(),
                   [&](double level) { return inverse(level); });

    std::vector<double> transformed = u;
    inverse.transform(transformed);
    CHECK(transformed == expected);

    // A copy, and one moved into a vector as the engine keeps them.
    const InverseCdf copy = inverse;
    std::vector<InverseCdf> stored;
    stored.push_back(InverseCdf(inverse));
    std::vector<double> from_copy = u;
    copy.transform(from_copy);
    CHECK(from_copy == expected);
    std::vector<double> from_stored = u;
    stored.front().transform(from_stored);
    CHECK(from_stored == expected);

    // One table, four threads at once.
    std::vector<std::vector<double>> results(4, u);
    std::vector<std::thread> threads;
    for (std::vector<double>& result : results)
      threads.emplace_back([&inverse, &result] { inverse.transform(result); });
    for (std::thread& thread : threads)
      thread.join();
    for (const std::vector<double>& result : results)
      CHECK(result == expected);
  }
}

}  // namespace
}  // namespace darkfigure::distributions::testing
