#include "darkfigure/estimators/single_register.hpp"

#include <algorithm>
#include <boost/math/distributions/chi_squared.hpp>
#include <boost/math/distributions/normal.hpp>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>
#include <string>
#include <vector>

using darkfigure::estimators::Estimate;
using darkfigure::estimators::estimate_register;
using darkfigure::estimators::EstimationError;
using darkfigure::estimators::find_register_method;
using darkfigure::estimators::IntervalMethod;
using darkfigure::estimators::IntervalSettings;
using darkfigure::estimators::register_method_name;
using darkfigure::estimators::register_method_names;
using darkfigure::estimators::RegisterMethod;

namespace {

/// Illegal immigrants apprehended by the police in four large Dutch cities in 1995, by how often
/// each was apprehended: f1 to f6 (van der Heijden, Bustami, Cruyff, Engbersen and van
/// Houwelingen 2003, Statistical Modelling 3: 305-322; Rcapture's data set `ill`, singleRcapture's
/// `netherlandsimmigrant`). n = 1880.
///
/// Reference values, with the digits printed:
/// - Rcapture 1.4, closedp.0(ill, dtype = "nbcap", dfreq = TRUE, t = Inf), in the package's
///   tests/Examples/Rcapture-Ex.Rout.save: M0 (the zero-truncated Poisson) 7079.9, stderr 365.8,
///   deviance 61.811 on 4 df; Mh Chao (LB) 9273.5, stderr 662.6; closedpCI.0 with the LB model:
///   95% profile likelihood interval 8088.2 to 10704.
/// - singleRcapture, inst/tinytest/test_singleRcapture.R, estimatePopsize(capture ~ 1) with the
///   analytic variance and the normal interval: ztpoisson 7080, 6363 to 7797; zelterman 9425,
///   8084 to 10765. The ZTP numbers are those van der Heijden et al. (2003) report.
const std::vector<double> kNetherlands = {1645, 183, 37, 13, 1, 1};

IntervalSettings interval(IntervalMethod method, double level = 0.95) {
  IntervalSettings settings;
  settings.method = method;
  settings.level = level;
  return settings;
}

/// Expects `computed` within `tolerance` of `expected`, printing all three on failure.
void check_near(double computed, double expected, double tolerance) {
  INFO("computed " << computed << ", expected " << expected << ", tolerance " << tolerance);
  CHECK(std::abs(computed - expected) <= tolerance);
}

/// The zero-truncated Poisson's profile log-likelihood of the total, written out independently:
/// log(N! / (N - n)!) + S log(S / N), S the sum of x f_x.
double ztp_profile(double total, double n, double s) {
  return std::lgamma(total + 1.0) - std::lgamma(total - n + 1.0) + s * std::log(s / total);
}

double sum_of(const std::vector<double>& values) {
  return std::accumulate(values.begin(), values.end(), 0.0);
}

}  // namespace

TEST_CASE("register methods are found by name", "[register]") {
  CHECK(register_method_names() == std::vector<std::string>{"chao", "zelterman", "ztp"});
  for (const std::string& name : register_method_names())
    CHECK(register_method_name(*find_register_method(name)) == name);
  CHECK_FALSE(find_register_method("lincoln").has_value());
}

TEST_CASE("ztp reproduces the published Netherlands estimate", "[register]") {
  const Estimate result =
      estimate_register(kNetherlands, RegisterMethod::ztp, interval(IntervalMethod::wald));
  CHECK(result.n_observed == 1880.0);
  CHECK(result.fit.model == "ztp");
  check_near(result.fit.estimate, 7079.9, 0.05);  // Rcapture
  check_near(result.fit.se, 365.8, 0.05);         // Rcapture
  check_near(result.fit.deviance, 61.811, 0.0005);
  CHECK(result.fit.df == 4);
  check_near(result.lower, 6363.0, 0.5);  // singleRcapture, van der Heijden et al. (2003)
  check_near(result.upper, 7797.0, 0.5);
  CHECK(result.warnings.empty());
}

TEST_CASE("zelterman reproduces the published Netherlands estimate", "[register]") {
  const Estimate result =
      estimate_register(kNetherlands, RegisterMethod::zelterman, interval(IntervalMethod::wald));
  CHECK(result.fit.model == "zelterman");
  check_near(result.fit.estimate, 9425.0, 0.5);  // singleRcapture
  check_near(result.lower, 8084.0, 0.5);
  check_near(result.upper, 10765.0, 0.5);
  CHECK(std::isnan(result.fit.deviance));
  CHECK(result.fit.df == -1);
}

TEST_CASE("chao reproduces the published Netherlands estimate", "[register]") {
  const Estimate result =
      estimate_register(kNetherlands, RegisterMethod::chao, interval(IntervalMethod::profile));
  CHECK(result.fit.model == "chao");
  check_near(result.fit.estimate, 9273.5, 0.05);  // Rcapture
  check_near(result.fit.se, 662.6, 0.05);         // Rcapture
  // Rcapture profiles the multinomial of all classes, the people seen 3 times or more in free
  // cells; this profile conditions on them (N' = N - 52). The two log-likelihoods differ by
  // log(N! / N'!) - N log N + N' log N' = (1/2) log(N / N') + constant, up to O(1 / N^2): relative
  // to the peak, 4e-4 higher at the lower end and 4e-4 lower at the upper end, where the profile
  // climbs by 3e-3 per person. So Rcapture's ends lie 0.13 below this profile's lower end and
  // 0.14 below its upper end; R printed them to 0.1 (8088.2, 10704.0 as "10704").
  check_near(result.lower, 8088.2 + 0.13, 0.06);
  check_near(result.upper, 10704.0 + 0.14, 0.06);
  CHECK(result.warnings.empty());
}

TEST_CASE("the alternatives are the chosen method and then the other two", "[register]") {
  const Estimate result =
      estimate_register(kNetherlands, RegisterMethod::zelterman, interval(IntervalMethod::wald));
  REQUIRE(result.alternatives.size() == 3);
  CHECK(result.alternatives[0].model == "zelterman");
  CHECK(result.alternatives[1].model == "chao");
  CHECK(result.alternatives[2].model == "ztp");
  check_near(result.alternatives[1].estimate, 9273.5, 0.05);
  check_near(result.alternatives[2].estimate, 7079.9, 0.05);
  for (const auto& fit : result.alternatives)
    CHECK(fit.problem.empty());
}

TEST_CASE("the ztp's lambda solves its score equation", "[register]") {
  const std::vector<double> frequencies = {120, 61, 18, 4, 1};
  const Estimate result =
      estimate_register(frequencies, RegisterMethod::ztp, interval(IntervalMethod::wald));
  const double n = sum_of(frequencies);
  const double sightings = 120 + 2 * 61 + 3 * 18 + 4 * 4 + 5 * 1;
  // N = n / (1 - exp(-lambda)), so lambda = -log(1 - n / N); the score of the truncated Poisson
  // is zero where lambda / (1 - exp(-lambda)) is the mean count.
  const double lambda = -std::log1p(-n / result.fit.estimate);
  check_near(lambda / -std::expm1(-lambda), sightings / n, 1e-12);

  // The truncated Poisson's log-likelihood at that lambda, by hand.
  double loglik = 0.0;
  for (std::size_t x = 1; x <= frequencies.size(); ++x) {
    const double k = static_cast<double>(x);
    loglik += frequencies[x - 1] * (k * std::log(lambda) - lambda - std::lgamma(k + 1.0) -
                                    std::log(-std::expm1(-lambda)));
  }
  check_near(result.fit.aic, -2.0 * loglik + 2.0, 1e-9);
  check_near(result.fit.bic, -2.0 * loglik + std::log(n), 1e-9);
  CHECK(result.fit.df == 3);
}

TEST_CASE("chao's variance and log-normal interval by hand", "[register]") {
  // f0 = f1^2 / (2 f2) = 100 / 8 = 12.5; with r = f1 / f2 = 2.5, Chao's (1987) variance is
  // f2 (r^4 / 4 + r^3 + r^2 / 2) = 4 (9.765625 + 15.625 + 3.125) = 114.0625.
  const std::vector<double> frequencies = {10, 4, 2};
  const Estimate result =
      estimate_register(frequencies, RegisterMethod::chao, interval(IntervalMethod::lognormal));
  check_near(result.fit.estimate, 28.5, 1e-12);
  check_near(result.fit.se, std::sqrt(114.0625), 1e-12);
  // Chao (1987): C = exp(z sqrt(log(1 + var / f0^2))), the interval n + f0 / C to n + f0 C.
  const double z = 1.959963984540054;
  const double c = std::exp(z * std::sqrt(std::log(1.0 + 114.0625 / (12.5 * 12.5))));
  check_near(result.lower, 16.0 + 12.5 / c, 1e-9);
  check_near(result.upper, 16.0 + 12.5 * c, 1e-9);
}

TEST_CASE("chao without people seen twice uses the bias-corrected form", "[register]") {
  // N = n + f1 (f1 - 1) / 2 = 5 + 10 + 1 = 16 with f = {5, 0, 1}; its variance
  // f1 (f1 - 1) / 2 + f1 (2 f1 - 1)^2 / 4 - f1^4 / (4 N) = 10 + 101.25 - 625 / 64.
  const std::vector<double> frequencies = {5, 0, 1};
  const Estimate result =
      estimate_register(frequencies, RegisterMethod::chao, interval(IntervalMethod::profile));
  CHECK(result.fit.model == "chao (bias-corrected)");
  check_near(result.fit.estimate, 16.0, 1e-12);
  check_near(result.fit.se, std::sqrt(10.0 + 101.25 - 625.0 / 64.0), 1e-12);
  REQUIRE(result.warnings.size() == 2);
  CHECK(result.warnings[0].find("f2 = 0") == 0);
  CHECK(result.warnings[1].find("log-normal interval is used") != std::string::npos);
  REQUIRE(result.alternatives.size() == 3);
  CHECK(result.alternatives[1].model == "ztp");
  CHECK(result.alternatives[1].problem.empty());
  CHECK(result.alternatives[2].model == "zelterman");
  CHECK(result.alternatives[2].problem.find("the estimate does not exist") == 0);
  CHECK(std::isnan(result.alternatives[2].estimate));
}

TEST_CASE("zelterman without people seen once is the count seen", "[register]") {
  const std::vector<double> frequencies = {0, 3, 2};
  const Estimate result =
      estimate_register(frequencies, RegisterMethod::zelterman, interval(IntervalMethod::profile));
  CHECK(result.fit.estimate == 5.0);
  CHECK(result.lower == 5.0);
  CHECK(result.upper > 5.0);
  REQUIRE(result.warnings.size() == 2);
  CHECK(result.warnings[0].find("f1 = 0") == 0);
  CHECK(result.warnings[1].find("zelterman's profile interval") == 0);

  // Nobody seen once or twice: the binomial likelihood of lambda is flat.
  const Estimate flat = estimate_register(std::vector<double>{0, 0, 4}, RegisterMethod::zelterman,
                                          interval(IntervalMethod::profile));
  CHECK(flat.fit.estimate == 4.0);
  CHECK(flat.lower == 4.0);
  CHECK(std::isinf(flat.upper));
  REQUIRE(flat.warnings.size() == 3);
  CHECK(flat.warnings[2].find("the interval's upper end is infinite") == 0);
}

TEST_CASE("frequencies that are not counts are refused", "[register]") {
  const IntervalSettings settings = interval(IntervalMethod::wald);
  const auto message_of = [&](const std::vector<double>& frequencies) {
    try {
      estimate_register(frequencies, RegisterMethod::chao, settings);
    } catch (const EstimationError& error) {
      return std::string(error.what());
    }
    return std::string("no error");
  };
  CHECK(message_of({3, 1, -2}) == "frequency f3 is -2, but must be >= 0");
  CHECK(message_of({3, 1.5}) == "frequency f2 is 1.5, but must be a whole number");
  CHECK(message_of({std::numeric_limits<double>::quiet_NaN()}) ==
        "frequency f1 is nan, but must be finite");
  CHECK(message_of({0, 0, 0}) == "every frequency is 0, but someone must have been seen");
  CHECK(message_of({}) == "there are no frequencies, but f1 at least must be given");
}

TEST_CASE("infinite estimates are errors with a hint", "[register]") {
  const IntervalSettings settings = interval(IntervalMethod::wald);
  const auto error_of = [&](const std::vector<double>& frequencies, RegisterMethod method) {
    try {
      estimate_register(frequencies, method, settings);
    } catch (const EstimationError& error) {
      return error;
    }
    return EstimationError("no error");
  };
  const EstimationError zelterman = error_of({40, 0, 3}, RegisterMethod::zelterman);
  CHECK(std::string(zelterman.what()).find("zelterman: f2 = 0") == 0);
  CHECK(zelterman.hint().find("method = \"chao\"") != std::string::npos);
  const EstimationError ztp = error_of({40}, RegisterMethod::ztp);
  CHECK(std::string(ztp.what()).find("everyone was seen exactly once (f1 = n = 40)") !=
        std::string::npos);
  CHECK(ztp.hint().find("method = \"chao\"") != std::string::npos);
  // Someone seen three times is enough for the ztp.
  CHECK_NOTHROW(estimate_register(std::vector<double>{40, 0, 3}, RegisterMethod::ztp, settings));
}

TEST_CASE("the ztp's profile interval is where the profile falls by the chi-square quantile",
          "[register]") {
  const double n = 1880.0;
  const double s = 2185.0;
  for (const double level : {0.8, 0.95, 0.99}) {
    const Estimate result = estimate_register(kNetherlands, RegisterMethod::ztp,
                                              interval(IntervalMethod::profile, level));
    const double critical =
        boost::math::quantile(boost::math::chi_squared_distribution<>(1.0), level);
    const double at_lower = ztp_profile(result.lower, n, s);
    const double at_upper = ztp_profile(result.upper, n, s);
    check_near(at_lower, at_upper, 1e-6);
    // The Horvitz-Thompson estimate lies within a fraction of a person of the profile's peak,
    // where the profile is flat: it stands for the peak to within 1e-4.
    const double drop = 2.0 * (ztp_profile(result.fit.estimate, n, s) - at_lower);
    check_near(drop, critical, 1e-4);
    CHECK(result.lower < result.fit.estimate);
    CHECK(result.upper > result.fit.estimate);
  }
}

TEST_CASE("zelterman's profile interval is the binomial likelihood interval of lambda",
          "[register]") {
  const Estimate result =
      estimate_register(kNetherlands, RegisterMethod::zelterman, interval(IntervalMethod::profile));
  const double f1 = 1645.0;
  const double f2 = 183.0;
  const auto loglik = [&](double total) {
    const double lambda = -std::log1p(-1880.0 / total);
    const double q = lambda / (2.0 + lambda);
    return f2 * std::log(q) + f1 * std::log1p(-q);
  };
  const double q_hat = f2 / (f1 + f2);
  const double peak = f2 * std::log(q_hat) + f1 * std::log1p(-q_hat);
  const double critical = boost::math::quantile(boost::math::chi_squared_distribution<>(1.0), 0.95);
  check_near(2.0 * (peak - loglik(result.lower)), critical, 1e-6);
  check_near(2.0 * (peak - loglik(result.upper)), critical, 1e-6);
  CHECK(result.lower < result.fit.estimate);
  CHECK(result.upper > result.fit.estimate);
}

TEST_CASE("the bootstrap is deterministic for a seed", "[register]") {
  IntervalSettings settings = interval(IntervalMethod::bootstrap);
  settings.resamples = 200;
  settings.seed = 7;
  settings.name = "netherlands";
  for (const RegisterMethod method :
       {RegisterMethod::chao, RegisterMethod::zelterman, RegisterMethod::ztp}) {
    const Estimate first = estimate_register(kNetherlands, method, settings);
    const Estimate again = estimate_register(kNetherlands, method, settings);
    CHECK(first.resamples.size() == 200);
    CHECK(first.resamples == again.resamples);
    CHECK(first.lower == again.lower);
    CHECK(first.upper == again.upper);
    CHECK(first.lower < first.fit.estimate);
    CHECK(first.upper > first.fit.estimate);
    settings.seed = 8;
    CHECK(estimate_register(kNetherlands, method, settings).resamples != first.resamples);
    settings.seed = 7;
  }
}

TEST_CASE("the ztp's bootstrap spread matches its analytic standard error", "[register]") {
  // The expected frequencies of 100000 people with Poisson counts of mean 0.8, the zeros unseen.
  std::vector<double> frequencies;
  double p = std::exp(-0.8);
  for (int x = 1; x <= 8; ++x) {
    p *= 0.8 / x;
    frequencies.push_back(std::round(100000.0 * p));
  }
  IntervalSettings settings = interval(IntervalMethod::bootstrap);
  settings.resamples = 2000;
  settings.seed = 20240611;
  settings.name = "large";
  const Estimate result = estimate_register(frequencies, RegisterMethod::ztp, settings);
  REQUIRE(result.resamples.size() == 2000);
  CHECK(result.failed_resamples == 0);

  // The resamples' standard deviation and its Monte Carlo standard error by the delta method:
  // var(s^2) = (m4 - s^4) / R, so se(s) = sqrt(m4 - s^4) / (2 s sqrt(R)).
  const double count = static_cast<double>(result.resamples.size());
  const double mean = sum_of(result.resamples) / count;
  double squares = 0.0;
  double fourths = 0.0;
  for (const double total : result.resamples) {
    squares += (total - mean) * (total - mean);
    fourths += std::pow(total - mean, 4);
  }
  const double variance = squares / (count - 1.0);
  const double sd = std::sqrt(variance);
  const double mcse =
      std::sqrt(fourths / count - variance * variance) / (2.0 * sd * std::sqrt(count));
  check_near(sd, result.fit.se, 4.0 * mcse);
}

TEST_CASE("bootstrap resamples with an infinite estimate count as +infinity", "[register]") {
  IntervalSettings settings = interval(IntervalMethod::bootstrap);
  const auto infinite_in = [](const Estimate& result) {
    return std::count_if(result.resamples.begin(), result.resamples.end(),
                         [](double total) { return std::isinf(total); });
  };
  // One person seen twice: in many resamples nobody was seen twice (zelterman) or everyone was
  // seen once (ztp), and the total grows without bound. Left out, they took the upper end from
  // the profile's 22657 down to 2091 for the ztp.
  for (const RegisterMethod method : {RegisterMethod::zelterman, RegisterMethod::ztp}) {
    const std::vector<double> frequencies =
        method == RegisterMethod::ztp ? std::vector<double>{50, 1} : std::vector<double>{30, 1};
    const Estimate result = estimate_register(frequencies, method, settings);
    const auto infinite = infinite_in(result);
    INFO(register_method_name(method) << ": " << infinite << " infinite resamples");
    CHECK(result.failed_resamples == 0);
    CHECK(result.resamples.size() == 2000);
    CHECK(infinite > 50);  // more than (1 - 0.95) / 2 of 2000
    CHECK(std::isfinite(result.lower));
    CHECK(result.lower >= result.n_observed);
    CHECK(std::isinf(result.upper));
    REQUIRE(result.warnings.size() >= 2);
    CHECK(result.warnings[result.warnings.size() - 2].find(
              std::to_string(infinite) + " of 2000 bootstrap resamples have an infinite " +
              std::string(register_method_name(method)) + " estimate") == 0);
    CHECK(result.warnings.back().find("the interval's upper end is infinite") == 0);
  }

  // Five people seen twice: about one resample in 150 has nobody seen twice, too few to reach the
  // upper 2.5%, which stays finite.
  const Estimate few =
      estimate_register(std::vector<double>{30, 5}, RegisterMethod::zelterman, settings);
  const auto infinite = infinite_in(few);
  INFO(infinite << " infinite resamples");
  CHECK(infinite > 0);
  CHECK(infinite < 50);
  CHECK(few.resamples.size() == 2000);
  CHECK(std::isfinite(few.upper));
  CHECK(few.upper > few.fit.estimate);
  // The type-7 quantile at 0.975 of all 2000, the infinite ones the largest: h = 0.975 * 1999.
  std::vector<double> sorted = few.resamples;
  std::sort(sorted.begin(), sorted.end());
  const double h = 0.975 * 1999.0;
  const auto below = static_cast<std::size_t>(h);
  const double expected = sorted[below] + (h - std::floor(h)) * (sorted[below + 1] - sorted[below]);
  check_near(few.upper, expected, 1e-9 * expected);
}

TEST_CASE("bootstrap resamples in which nobody was seen are counted and left out", "[register]") {
  // One person seen twice, whom the ztp's fitted Poisson (lambda = 1.59) misses with probability
  // 0.2: some seed leaves both of two resamples empty, and the interval then has no ends.
  IntervalSettings settings = interval(IntervalMethod::bootstrap);
  settings.resamples = 2;
  const std::vector<double> frequencies = {0, 1};
  bool found = false;
  for (std::uint64_t seed = 1; seed <= 1000 && !found; ++seed) {
    settings.seed = seed;
    const Estimate result = estimate_register(frequencies, RegisterMethod::ztp, settings);
    CHECK(result.resamples.size() + result.failed_resamples == 2);
    // One resample left is no interval either.
    if (result.failed_resamples > 0) CHECK(std::isnan(result.upper));
    if (result.failed_resamples < 2) continue;
    found = true;
    CHECK(result.resamples.empty());
    CHECK(std::isnan(result.lower));
    REQUIRE(result.warnings.size() == 2);
    CHECK(result.warnings[0] ==
          "2 of 2 bootstrap resamples have no ztp estimate and are left out: in them nobody was "
          "seen");
    CHECK(result.warnings[1].find("the interval has no ends") == 0);
  }
  CHECK(found);
}

TEST_CASE("a bootstrap of fewer than 2 resamples is refused", "[register]") {
  IntervalSettings settings = interval(IntervalMethod::bootstrap);
  for (const std::uint32_t resamples : {0u, 1u}) {
    settings.resamples = resamples;
    try {
      estimate_register(kNetherlands, RegisterMethod::chao, settings);
      FAIL("no error for " << resamples << " resamples");
    } catch (const EstimationError& error) {
      CHECK(std::string(error.what()) ==
            "the bootstrap has " + std::to_string(resamples) + " resamples, but needs at least 2");
      CHECK(error.hint() == "give resamples = 2000");
    }
  }
  // The other intervals draw no resamples.
  settings.method = IntervalMethod::wald;
  CHECK_NOTHROW(estimate_register(kNetherlands, RegisterMethod::chao, settings));
}

TEST_CASE("a level outside (0, 1) is refused", "[register]") {
  for (const double level : {0.0, 1.0, -0.5, 1.5, std::numeric_limits<double>::quiet_NaN()}) {
    try {
      estimate_register(kNetherlands, RegisterMethod::ztp, interval(IntervalMethod::wald, level));
      FAIL("no error for level " << level);
    } catch (const EstimationError& error) {
      CHECK(std::string(error.what()).find("the interval's level is ") == 0);
      CHECK(std::string(error.what()).find(", but must be in (0, 1)") != std::string::npos);
      CHECK(error.hint() == "give a level such as 0.95");
    }
  }
}

TEST_CASE("a bootstrap beyond the largest table is an error with a hint", "[register]") {
  // f1 = 3e6, f2 = 0: Chao's bias-corrected total is 3e6 + 3e6 (3e6 - 1) / 2 = 4.5e12.
  const std::vector<double> frequencies = {3e6};
  const Estimate analytic =
      estimate_register(frequencies, RegisterMethod::chao, interval(IntervalMethod::lognormal));
  check_near(analytic.fit.estimate, 3e6 + 3e6 * (3e6 - 1.0) / 2.0, 1.0);
  try {
    estimate_register(frequencies, RegisterMethod::chao, interval(IntervalMethod::bootstrap));
    FAIL("no error");
  } catch (const EstimationError& error) {
    CHECK(std::string(error.what()).find("the bootstrap would draw tables of") == 0);
    CHECK(error.hint().find("interval = \"lognormal\"") != std::string::npos);
  }
}

TEST_CASE("zelterman's profile interval holds n fixed and says so", "[register]") {
  const Estimate profile =
      estimate_register(kNetherlands, RegisterMethod::zelterman, interval(IntervalMethod::profile));
  const Estimate wald =
      estimate_register(kNetherlands, RegisterMethod::zelterman, interval(IntervalMethod::wald));
  CHECK(profile.upper - profile.lower < wald.upper - wald.lower);
  REQUIRE(profile.warnings.size() == 1);
  CHECK(profile.warnings[0].find("zelterman's profile interval is that of lambda with the n "
                                 "people seen held fixed") == 0);
  CHECK(wald.warnings.empty());
}
