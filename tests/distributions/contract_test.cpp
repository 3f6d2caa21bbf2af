// One contract over every family (after OpenTURNS' DistributionValidation and Stan's
// assert_matches_quantiles): the samplers against Boost.Math's moments, quantiles and cdf, and the
// quantile, cdf and log density against each other.

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <set>
#include <string>
#include <vector>

#include <boost/math/distributions/chi_squared.hpp>
#include <catch2/catch.hpp>

#include "cases.hpp"

namespace darkfigure::distributions::testing {
namespace {

constexpr std::size_t kDraws = 200'000;
constexpr std::uint64_t kSeed = 20240611;
constexpr double kLevels[] = {0.05, 0.25, 0.5, 0.75, 0.95};
/// The significance of the goodness-of-fit tests.
constexpr double kAlpha = 1e-3;

double below(double x) {
  return std::nextafter(x, -std::numeric_limits<double>::infinity());
}
double above(double x) {
  return std::nextafter(x, std::numeric_limits<double>::infinity());
}

/// Kolmogorov-Smirnov statistic of sorted draws against the distribution's cdf. D- compares with
/// the cdf just below each draw: for a continuous cdf that is cdf(x), and it keeps the test valid
/// where many draws round to one double (beta(0.05, 0.05) puts 8% of its mass within 1e-16 of 1).
double kolmogorov_smirnov(const Distribution& d, const std::vector<double>& sorted) {
  const auto n = static_cast<double>(sorted.size());
  double statistic = 0.0;
  for (std::size_t i = 0; i < sorted.size(); ++i) {
    const auto rank = static_cast<double>(i);
    statistic = std::max(
        {statistic, (rank + 1.0) / n - d.cdf(sorted[i]), d.cdf(below(sorted[i])) - rank / n});
  }
  return statistic;
}

struct ChiSquare {
  double statistic;
  std::size_t cells;
};

/// Pearson's chi-square of sorted draws of a discrete distribution, over the cells between its
/// quantiles at 1/40, 2/40, ...; a cell expecting fewer than 5 draws joins its left neighbour.
ChiSquare chi_square(const Distribution& d, const std::vector<double>& sorted) {
  const auto n = static_cast<double>(sorted.size());
  std::vector<double> edges;
  for (int j = 1; j < 40; ++j) {
    const double edge = d.quantile(j / 40.0);
    if (edges.empty() || edge > edges.back()) edges.push_back(edge);
  }
  edges.push_back(std::numeric_limits<double>::infinity());
  std::vector<double> expected;
  std::vector<double> observed;
  double previous_cdf = 0.0;
  auto previous_rank = sorted.begin();
  for (const double edge : edges) {
    const double cdf = d.cdf(edge);
    const auto rank = std::upper_bound(sorted.begin(), sorted.end(), edge);
    const double e = (cdf - previous_cdf) * n;
    const auto o = static_cast<double>(rank - previous_rank);
    if (!expected.empty() && e < 5.0) {
      expected.back() += e;
      observed.back() += o;
    } else {
      expected.push_back(e);
      observed.push_back(o);
    }
    previous_cdf = cdf;
    previous_rank = rank;
  }
  double statistic = 0.0;
  for (std::size_t i = 0; i < expected.size(); ++i) {
    statistic += (observed[i] - expected[i]) * (observed[i] - expected[i]) / expected[i];
  }
  return {statistic, expected.size()};
}

TEST_CASE("every family is covered by the contract cases") {
  std::set<std::string_view> covered;
  for (const Call& call : valid_calls())
    covered.insert(call.family);
  for (const Family& family : families()) {
    INFO(family.name);
    CHECK(covered.count(family.name) == 1);
  }
}

TEST_CASE("every family honours the distribution contract") {
  std::uint32_t input = 0;
  for (const Call& call : valid_calls()) {
    const Distribution d = call.make();
    INFO(d.describe());
    const Family* family = find_family(call.family);
    REQUIRE(family != nullptr);
    CHECK(d.family() == call.family);
    CHECK(d.is_discrete() == family->discrete);

    std::vector<double> draws = draw_in_blocks(d, kDraws, kSeed, input++);
    const auto n = static_cast<double>(kDraws);

    // Support: every draw finite (for these parameters) and within [quantile(0), quantile(1)].
    const double lower = d.quantile(0.0);
    const double upper = d.quantile(1.0);
    const auto outside = std::count_if(draws.begin(), draws.end(), [&](double x) {
      return !std::isfinite(x) || x < lower || x > upper;
    });
    CHECK(outside == 0);

    // Moments: the mean within 4 Monte Carlo standard errors sd / sqrt(n) of Boost.Math's, the
    // variance within 4 standard errors sqrt((m4 - s^4) / n), from the sample's central moments.
    const double sample_mean = std::accumulate(draws.begin(), draws.end(), 0.0) / n;
    double m2 = 0.0;
    double m4 = 0.0;
    for (const double x : draws) {
      const double square = (x - sample_mean) * (x - sample_mean);
      m2 += square;
      m4 += square * square;
    }
    m2 /= n;
    m4 /= n;
    const double sample_variance = m2 * n / (n - 1.0);
    const double mean_tolerance = 4.0 * std::sqrt(d.variance() / n);
    INFO("mean " << sample_mean << ", expected " << d.mean() << " +- " << mean_tolerance);
    CHECK(std::abs(sample_mean - d.mean()) <= mean_tolerance);
    const double variance_tolerance = 4.0 * std::sqrt((m4 - m2 * m2) / n);
    INFO("variance " << sample_variance << ", expected " << d.variance() << " +- "
                     << variance_tolerance);
    CHECK(std::abs(sample_variance - d.variance()) <= variance_tolerance);

    // The share of draws at or below each quantile, within 4 binomial standard errors of its cdf.
    std::sort(draws.begin(), draws.end());
    for (const double level : kLevels) {
      const double q = d.quantile(level);
      const double expected = d.cdf(q);
      const double share =
          static_cast<double>(std::upper_bound(draws.begin(), draws.end(), q) - draws.begin()) / n;
      const double tolerance = 4.0 * std::sqrt(expected * (1.0 - expected) / n);
      INFO("share at or below quantile(" << level << ") = " << q << ": " << share << ", expected "
                                         << expected << " +- " << tolerance);
      CHECK(std::abs(share - expected) <= tolerance);
    }

    // Goodness of fit at significance 1e-3. Kolmogorov-Smirnov: the critical value
    // sqrt(-log(alpha / 2) / 2) / sqrt(n) of Kolmogorov's limiting distribution, P(sqrt(n) D > c)
    // ~ 2 exp(-2 c^2) (NIST/SEMATECH e-Handbook of Statistical Methods, 1.3.5.16, tabulates the
    // same formula as 1.36 / sqrt(n) at 0.05 and 1.63 / sqrt(n) at 0.01). Chi-square: Boost.Math's
    // chi-squared quantile with cells - 1 degrees of freedom.
    if (!d.is_discrete()) {
      const double statistic = kolmogorov_smirnov(d, draws);
      const double critical = std::sqrt(-std::log(kAlpha / 2.0) / 2.0) / std::sqrt(n);
      INFO("Kolmogorov-Smirnov D = " << statistic << ", critical " << critical);
      CHECK(statistic <= critical);
    } else {
      const ChiSquare test = chi_square(d, draws);
      if (test.cells > 1) {
        const boost::math::chi_squared_distribution<double> reference(
            static_cast<double>(test.cells - 1));
        const double critical = boost::math::quantile(boost::math::complement(reference, kAlpha));
        INFO("chi-square " << test.statistic << " over " << test.cells << " cells, critical "
                           << critical);
        CHECK(test.statistic <= critical);
      }
    }
  }
}

TEST_CASE("quantile inverts cdf") {
  for (const Call& call : valid_calls()) {
    const Distribution d = call.make();
    INFO(d.describe());
    for (const double p : {1e-6, 0.05, 0.25, 0.5, 0.75, 0.95, 1.0 - 1e-6}) {
      const double q = d.quantile(p);
      INFO("p = " << p << ", quantile " << q);
      REQUIRE(std::isfinite(q));
      if (d.is_discrete()) {
        // The smallest x with cdf(x) >= p.
        CHECK(d.cdf(q) >= p);
        CHECK(d.cdf(below(q)) < p);
        continue;
      }
      // 1e-9 relative, plus how far the cdf moves within an ulp of q: no double lies closer to
      // some quantiles (beta(0.05, 0.05)'s 95th percentile is within 1e-20 of 1).
      const double tolerance = 1e-9 * p + (d.cdf(above(q)) - d.cdf(below(q)));
      INFO("cdf " << d.cdf(q) << " +- " << tolerance);
      CHECK(std::abs(d.cdf(q) - p) <= tolerance);
    }
  }
}

TEST_CASE("quantile keeps to the support at 0 and 1 and gives NaN outside [0, 1]") {
  for (const Call& call : valid_calls()) {
    const Distribution d = call.make();
    INFO(d.describe());
    if (!d.is_discrete()) CHECK(d.cdf(d.quantile(0.0)) == 0.0);
    CHECK(d.cdf(below(d.quantile(0.0))) == 0.0);
    CHECK(d.cdf(d.quantile(1.0)) == 1.0);
    CHECK(d.quantile(0.0) <= d.quantile(1e-9));
    CHECK(d.quantile(1.0) >= d.quantile(1.0 - 1e-9));
    CHECK(std::isnan(d.quantile(-0.1)));
    CHECK(std::isnan(d.quantile(1.1)));
    CHECK(std::isnan(d.quantile(std::numeric_limits<double>::quiet_NaN())));
    CHECK(d.cdf(-std::numeric_limits<double>::infinity()) == 0.0);
    CHECK(d.cdf(std::numeric_limits<double>::infinity()) == 1.0);
    CHECK(d.log_pdf(below(d.quantile(0.0))) == -std::numeric_limits<double>::infinity());
    CHECK(d.log_pdf(above(d.quantile(1.0))) == -std::numeric_limits<double>::infinity());
    CHECK(std::isnan(d.cdf(std::numeric_limits<double>::quiet_NaN())));
    CHECK(std::isnan(d.log_pdf(std::numeric_limits<double>::quiet_NaN())));
  }
}

TEST_CASE("log_pdf of a continuous family is the derivative of its cdf") {
  for (const Call& call : valid_calls()) {
    const Distribution d = call.make();
    if (d.is_discrete()) continue;
    INFO(d.describe());
    for (const double level : kLevels) {
      const double x = d.quantile(level);
      // The step: 1e-4 of the distance to the neighbouring quantiles at level +- 0.01, the scale
      // on which the density changes. The central difference then errs by h^2 f'' / 6, about
      // 1e-8 of f, and by the cdf's rounding (1e-15 absolute) over the step.
      const double spacing = std::min(x - d.quantile(level - 0.01), d.quantile(level + 0.01) - x);
      if (!(spacing > 0.0)) continue;  // the quantile sits on the end of the support
      const double x_plus = x + 1e-4 * spacing;
      const double x_minus = x - 1e-4 * spacing;
      const double step = x_plus - x_minus;  // as represented
      const double difference = (d.cdf(x_plus) - d.cdf(x_minus)) / step;
      const double density = std::exp(d.log_pdf(x));
      const double tolerance = 1e-6 * density + 1e-14 / step;
      INFO("x = " << x << ": density " << density << ", difference of cdf " << difference << " +- "
                  << tolerance);
      CHECK(std::abs(difference - density) <= tolerance);
    }
  }
}

TEST_CASE("the mass function of a discrete family is the steps of its cdf and adds up to 1") {
  for (const Call& call : valid_calls()) {
    const Distribution d = call.make();
    if (!d.is_discrete()) continue;
    INFO(d.describe());
    // Walk the support point by point: the next point after x is the smallest with a larger cdf.
    double x = d.quantile(0.0);
    double total = 0.0;
    double cdf_before = 0.0;
    for (int points = 0; points < 100'000; ++points) {
      const double cdf = d.cdf(x);
      const double mass = std::exp(d.log_pdf(x));
      INFO("x = " << x << ": mass " << mass << ", cdf step " << cdf - cdf_before);
      // Boost.Math's cdf errs by up to 4e-14 (absolute) for binomial(1e6, 0.9).
      CHECK(std::abs(mass - (cdf - cdf_before)) <= 1e-9 * mass + 1e-12);
      total += mass;
      if (cdf >= 1.0 - 1e-13 || x == d.quantile(1.0)) break;
      x = d.quantile(above(cdf));
      cdf_before = cdf;
    }
    INFO("sum of the mass function " << total);
    CHECK(std::abs(total - 1.0) <= 1e-12);
  }
}

}  // namespace
}  // namespace darkfigure::distributions::testing
