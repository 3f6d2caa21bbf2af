// Conditioned runs against analytic posteriors. Each estimate must lie within 4 Monte Carlo
// standard errors of the truth, with standard errors that follow from the effective sample size
// (ESS) of the weights: the mean's is the run's own mcse_mean; a p-quantile's is
// sqrt(p (1 - p) / ESS) / f(q) (the asymptotic standard error of a sample quantile, with ESS in
// place of n); the sd's is sd / sqrt(2 ESS) (normal theory, close for the unimodal posteriors
// here).

#include <algorithm>
#include <boost/math/distributions/beta.hpp>
#include <boost/math/distributions/gamma.hpp>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/special_functions/gamma.hpp>
#include <catch2/catch.hpp>
#include <cmath>
#include <string>
#include <vector>

#include "analysis_testing.hpp"
#include "darkfigure/analysis/analysis.hpp"
#include "darkfigure/core/error.hpp"
#include "darkfigure/engine/thread_pool.hpp"
#include "darkfigure/scenario/scenario.hpp"

namespace analysis = darkfigure::analysis;
namespace report = darkfigure::report;

namespace {

constexpr double kStandardErrors = 4.0;

using darkfigure::analysis::testing::output;
using darkfigure::analysis::testing::run;

/// Checks mean, sd and the 2.5%, 50% and 97.5% quantiles of an output against a distribution.
template <class Distribution>
void check_against(const report::ScenarioResult& result, const std::string& name,
                   const Distribution& truth) {
  REQUIRE(result.conditioning.has_value());
  const auto& s = output(result, name).summary;
  const double ess = result.conditioning->ess;
  INFO(name << ": ESS " << ess << ", mean " << s.mean << " (truth " << boost::math::mean(truth)
            << ", mcse " << s.mcse_mean << "), sd " << s.sd << " (truth "
            << boost::math::standard_deviation(truth) << ")");
  REQUIRE(ess > 1000.0);
  CHECK(std::abs(s.mean - boost::math::mean(truth)) < kStandardErrors * s.mcse_mean);
  const double sd = boost::math::standard_deviation(truth);
  CHECK(std::abs(s.sd - sd) < kStandardErrors * sd / std::sqrt(2.0 * ess));
  REQUIRE(s.levels == std::vector<double>{0.025, 0.5, 0.975});
  for (std::size_t i = 0; i < s.levels.size(); ++i) {
    const double p = s.levels[i];
    const double q = boost::math::quantile(truth, p);
    const double se = std::sqrt(p * (1.0 - p) / ess) / boost::math::pdf(truth, q);
    INFO("level " << p << ": " << s.quantiles[i] << " against " << q << ", se " << se);
    CHECK(std::abs(s.quantiles[i] - q) < kStandardErrors * se);
  }
}

}  // namespace

TEST_CASE("conditioning: beta prior, binomial data: the conjugate beta posterior") {
  // p ~ beta(2, 3), 30 successes of 100: p | data ~ beta(2 + 30, 3 + 70).
  const auto result = run(R"toml(
[scenario]
draws = 200_000
seed = 11
[inputs]
p = "beta(2, 3)"
[[observe]]
name = "survey"
value = 30
likelihood = "binomial(100, p)"
)toml");
  check_against(result, "p", boost::math::beta_distribution<>(32.0, 73.0));
  CHECK(result.settings.draws == 200'000);
  CHECK(result.conditioning->observations.size() == 1);
}

TEST_CASE("conditioning: gamma prior, several Poisson counts: the conjugate gamma posterior") {
  // rate ~ gamma(shape 2, scale 3); counts 4, 7, 5, 6 ~ Poisson(rate):
  // rate | data ~ gamma(2 + 22, scale 3 / (1 + 4 * 3)).
  const auto result = run(R"toml(
[scenario]
draws = 200_000
seed = 12
[inputs]
rate = "gamma(2, 3)"
[derived]
doubled = "2 * rate"
[[observe]]
name = "weekly counts"
value = [4, 7, 5, 6]
likelihood = "poisson(doubled / 2)"
[outputs]
names = ["rate"]
)toml");
  check_against(result, "rate", boost::math::gamma_distribution<>(24.0, 3.0 / 13.0));
}

TEST_CASE("conditioning: normal prior, normal measurements: the conjugate normal posterior") {
  // mu ~ N(0, 2^2), three measurements ~ N(mu, 1): precision 1/4 + 3, mean 3.5 / 3.25.
  const auto result = run(R"toml(
[scenario]
draws = 200_000
seed = 13
[inputs]
mu = "normal(0, 2)"
[[observe]]
name = "measurements"
value = [1.2, 0.8, 1.5]
likelihood = "normal(mu, 1)"
)toml");
  check_against(result, "mu", boost::math::normal_distribution<>(3.5 / 3.25, std::sqrt(1 / 3.25)));
}

TEST_CASE("conditioning: melding N(m1, s) with N(m2, s) at pooling 0.5 gives N((m1 + m2) / 2, s)") {
  // An input's induced prior is its own distribution, exactly.
  const auto result = run(R"toml(
[scenario]
draws = 200_000
seed = 14
[inputs]
x = "normal(1, 0.5)"
[[prior]]
on = "x"
dist = "normal(2, 0.5)"
pooling = 0.5
)toml");
  check_against(result, "x", boost::math::normal_distribution<>(1.5, 0.5));
  REQUIRE(result.conditioning->priors.size() == 1);
  CHECK(result.conditioning->priors[0].density == "exact");
}

TEST_CASE("conditioning: melding a derived quantity through its kernel density estimate") {
  // y = x is derived, so its induced density q1 is a Gaussian kernel estimate with bandwidth h:
  // in expectation N(m1, s^2 + h^2). The weights (q2 / q1_hat)^(1/2) then aim at the density
  // proportional to q1 (q2 / q1_hat)^(1/2), a normal with precision
  // 1/s^2 - 1/(2 (s^2 + h^2)) + 1/(2 s^2) and the matching mean, which tends to N(1.5, 0.5) as h
  // shrinks. The test holds the run to that exact target.
  const auto result = run(R"toml(
[scenario]
draws = 200_000
seed = 15
[inputs]
x = "normal(1, 0.5)"
[derived]
y = "x + 0"
[[prior]]
on = "y"
dist = "normal(2, 0.5)"
)toml");
  REQUIRE(result.conditioning->priors.size() == 1);
  const auto& prior = result.conditioning->priors[0];
  CHECK(prior.density == "kernel");
  CHECK(prior.pooling == 0.5);
  const double h = prior.bandwidth;
  // Silverman's rule for a normal sample of sd 0.5: 0.9 * 0.5 * n^(-1/5), within sampling error.
  CHECK(h == Approx(0.9 * 0.5 * std::pow(200'000.0, -0.2)).epsilon(0.02));
  const double s2 = 0.25;
  const double precision = 1 / s2 - 1 / (2 * (s2 + h * h)) + 1 / (2 * s2);
  const double mean = (1.0 / s2 - 1.0 / (2 * (s2 + h * h)) + 2.0 / (2 * s2)) / precision;
  check_against(result, "y", boost::math::normal_distribution<>(mean, 1 / std::sqrt(precision)));
}

TEST_CASE("conditioning: the prior predictive tail shows a conflict between data and prior") {
  // share ~ beta(27, 73) (a 27% baseline); 6 of 100 surveyed is far in the tail of the
  // beta-binomial prior predictive, 28 of 100 is central. The exact mid-distribution function
  // P(Y < y) + P(Y = y) / 2 of the beta-binomial is the truth; each draw's contribution is a
  // number in [0, 1], so the run's average errs by at most 4 * 0.5 / sqrt(draws).
  const auto beta_binomial_mid_cdf = [](int y) {
    const auto log_mass = [](int k) {
      using boost::math::lgamma;
      return lgamma(101.0) - lgamma(k + 1.0) - lgamma(101.0 - k) + lgamma(27.0 + k) +
             lgamma(173.0 - k) - lgamma(200.0) - (lgamma(27.0) + lgamma(73.0) - lgamma(100.0));
    };
    double below = 0.0;
    for (int k = 0; k < y; ++k)
      below += std::exp(log_mass(k));
    return below + std::exp(log_mass(y)) / 2;
  };
  for (const int survey : {6, 28}) {
    const auto result = run(R"toml(
[scenario]
draws = 100_000
seed = 16
[inputs]
share = "beta(27, 73)"
[[observe]]
name = "survey"
value = )toml" + std::to_string(survey) +
                            R"toml(
likelihood = "binomial(100, share)"
)toml");
    const auto& check = result.conditioning->observations.at(0);
    const double truth = beta_binomial_mid_cdf(survey);
    INFO("survey " << survey << ": " << check.predictive_cdf.at(0) << " against " << truth);
    CHECK(std::abs(check.predictive_cdf.at(0) - truth) < kStandardErrors * 0.5 / std::sqrt(1e5));
    CHECK(check.tail_probability == Approx(2 * std::min(truth, 1 - truth)).margin(4e-2 / 3));
    const bool warned = std::any_of(result.warnings.begin(), result.warnings.end(),
                                    [](const std::string& w) { return w.find("tail") != w.npos; });
    CHECK(warned == (survey == 6));
  }
}

TEST_CASE("conditioning: results do not depend on the thread count") {
  const std::string text = R"toml(
[scenario]
draws = 30_000
seed = 17
[inputs]
x = "normal(1, 0.5)"
rate = "beta(4, 16)"
[derived]
y = "x * 2"
flag = "y > 2"
[[observe]]
name = "count"
value = [3, 5]
likelihood = "negbinomial(rate * 20, 10)"
[[prior]]
on = "y"
dist = "normal(2.5, 1)"
[inference]
resample = 5_000
)toml";
  const auto one = run(text, 1);
  for (const unsigned threads : {2u, 3u}) {
    const auto other = run(text, threads);
    REQUIRE(other.outputs.size() == one.outputs.size());
    for (std::size_t k = 0; k < one.outputs.size(); ++k) {
      const auto& a = one.outputs[k].summary;
      const auto& b = other.outputs[k].summary;
      CHECK(a.mean == b.mean);
      CHECK(a.sd == b.sd);
      CHECK(a.mcse_mean == b.mcse_mean);
      CHECK(a.quantiles == b.quantiles);
    }
    CHECK(other.conditioning->ess == one.conditioning->ess);
    CHECK(other.conditioning->resampling->unique == one.conditioning->resampling->unique);
  }
}

TEST_CASE("conditioning: min_ess adds blocks of the same sequence until it is reached") {
  const std::string text = R"toml(
[scenario]
draws = 5_000
seed = 18
[inputs]
p = "beta(2, 3)"
[[observe]]
name = "survey"
value = 30
likelihood = "binomial(100, p)"
[inference]
min_ess = 20_000
)toml";
  const auto grown = run(text, 2);
  REQUIRE(grown.conditioning.has_value());
  CHECK(grown.conditioning->ess >= 20'000);
  CHECK(grown.conditioning->rounds > 1);
  CHECK(grown.settings.draws % 4096 == 0);
  CHECK(grown.warnings.empty());

  // The same draws asked for at once give the very same figures, on any thread count.
  analysis::RunOptions options;
  options.draws = grown.settings.draws;
  options.min_ess = 1;
  const auto direct = run(text, 3, options);
  CHECK(direct.outputs[0].summary.mean == grown.outputs[0].summary.mean);
  CHECK(direct.outputs[0].summary.quantiles == grown.outputs[0].summary.quantiles);
  CHECK(direct.conditioning->ess == grown.conditioning->ess);
}

TEST_CASE("conditioning: an effective sample size that stays low ends with a warning") {
  const std::string text = R"toml(
[scenario]
draws = 4_096
seed = 19
[inputs]
p = "beta(2, 3)"
[[observe]]
name = "survey"
value = 3_000
likelihood = "binomial(10_000, p)"
)toml";
  analysis::RunOptions options;
  options.min_ess = 1e6;
  options.max_draws = 3 * 4096;
  const auto capped = run(text, 2, options);
  CHECK(capped.settings.draws == 3 * 4096);
  REQUIRE(!capped.warnings.empty());
  CHECK_THAT(capped.warnings.front(), Catch::Contains("max_draws"));

  const auto plain = run(text);
  REQUIRE(!plain.warnings.empty());
  CHECK_THAT(plain.warnings.front(), Catch::Contains("min_ess"));
}

TEST_CASE("conditioning: resampled draws keep the weighted figures within their error") {
  const std::string text = R"toml(
[scenario]
draws = 100_000
seed = 20
[inputs]
p = "beta(2, 3)"
[[observe]]
name = "survey"
value = 30
likelihood = "binomial(100, p)"
[inference]
resample = 50_000
resample_method = "METHOD"
)toml";
  for (const std::string method : {"systematic", "residual"}) {
    std::string scenario_text = text;
    scenario_text.replace(scenario_text.find("METHOD"), 6, method);
    const auto result = run(scenario_text);
    REQUIRE(result.conditioning->resampling.has_value());
    const auto& resampling = *result.conditioning->resampling;
    CHECK(resampling.method == method);
    CHECK(resampling.draws == 50'000);
    CHECK(resampling.unique > 1000);
    CHECK(resampling.unique <= 50'000);
    CHECK(output(result, "p").summary.count == 50'000);
    check_against(result, "p", boost::math::beta_distribution<>(32.0, 73.0));
  }
}

TEST_CASE("conditioning: impossible data end with an error at the observation") {
  const auto failure = [](const std::string& text) -> darkfigure::core::InputError {
    try {
      run(text);
    } catch (const darkfigure::core::InputError& error) {
      return error;
    }
    FAIL("no error");
    throw;
  };
  const auto impossible = failure(R"toml(
[inputs]
p = "beta(2, 3)"
[[observe]]
name = "survey"
value = 150
likelihood = "binomial(100, p)"
)toml");
  CHECK_THAT(impossible.message(), Catch::Contains("survey: the likelihood is zero in every one"));
  REQUIRE(impossible.where().has_value());
  CHECK(impossible.where()->line == 7);

  const auto invalid = failure(R"toml(
[inputs]
p = "beta(2, 3)"
[[observe]]
name = "survey"
value = 1.5
likelihood = "normal(p, -p)"
)toml");
  CHECK_THAT(invalid.message(), Catch::Contains("parameters are invalid in every one"));
}

TEST_CASE("conditioning: draws on a pole of a prior's density get weight 0 and are counted") {
  // y is 0 whenever x < 0.5, where beta(0.5, 2) has an infinite density: no finite weight. The
  // count of such draws is binomial(20480, 0.5): within 4 sd (4 * 72.4) of 10240.
  const auto result = run(R"toml(
[scenario]
draws = 20_480
seed = 21
[inputs]
x = "uniform(0, 1)"
[derived]
y = "max(x - 0.5, 0)"
[[prior]]
on = "y"
dist = "beta(0.5, 2)"
)toml");
  const auto& prior = result.conditioning->priors.at(0);
  CHECK(std::abs(static_cast<double>(prior.non_finite) - 10'240.0) < 4 * 72.4);
  CHECK(result.conditioning->positive_draws + prior.non_finite == 20'480);
  CHECK(std::isfinite(output(result, "y").summary.mean));
  CHECK(output(result, "y").summary.min > 0.0);
  const bool warned = std::any_of(result.warnings.begin(), result.warnings.end(),
                                  [](const std::string& w) { return w.find("pole") != w.npos; });
  CHECK(warned);
}
