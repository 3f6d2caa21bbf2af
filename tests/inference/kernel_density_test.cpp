#include "darkfigure/inference/kernel_density.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <numbers>
#include <random>
#include <stdexcept>
#include <vector>

using darkfigure::inference::KernelDensity;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kEpsilon = std::numeric_limits<double>::epsilon();
constexpr double kGrid = static_cast<double>(KernelDensity::kGridPerBandwidth);
constexpr double kCutoff = KernelDensity::kCutoff;
// The accuracy the header states: relative to the exact sum wherever the density exceeds this
// fraction of its largest value.
constexpr double kRelativeAccuracy = 1e-3;
constexpr double kAccuracyFloor = 1e-3;

double phi(double u) {
  return std::exp(-0.5 * u * u) / std::sqrt(2.0 * std::numbers::pi);
}

/// P(Z < z) for a standard normal Z.
double normal_cdf(double z) {
  return 0.5 * std::erfc(-z / std::numbers::sqrt2);
}

/// The normal density with mean 0 and standard deviation `sd` at x.
double normal_pdf(double x, double sd) {
  return phi(x / sd) / sd;
}

/// Silverman's rule of thumb from the ascending sample, written out step by step.
double silverman(std::vector<double> sample) {
  std::sort(sample.begin(), sample.end());
  const auto n = static_cast<double>(sample.size());
  double sum = 0.0;
  for (const double x : sample)
    sum += x;
  const double mean = sum / n;
  double squares = 0.0;
  for (const double x : sample)
    squares += (x - mean) * (x - mean);
  const double sd = std::sqrt(squares / (n - 1.0));
  const auto type7 = [&](double p) {
    const double rank = p * (n - 1.0);
    const auto j = static_cast<std::size_t>(std::floor(rank));
    const double fraction = rank - std::floor(rank);
    return sample[j] + fraction * (sample[j + 1] - sample[j]);
  };
  const double iqr = type7(0.75) - type7(0.25);
  const double spread = iqr > 0.0 ? std::min(sd, iqr / 1.34) : sd;
  return 0.9 * spread * std::pow(n, -0.2);
}

/// The untruncated, unbinned estimate: the direct O(n) sum at x.
double exact_density(const std::vector<double>& sample, double h, double x) {
  double sum = 0.0;
  for (const double xi : sample)
    sum += phi((x - xi) / h);
  return sum / (static_cast<double>(sample.size()) * h);
}

double density(const KernelDensity& kde, double x) {
  return std::exp(kde.log_density(x));
}

std::vector<double> normal_sample(std::size_t n, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> normal;
  std::vector<double> sample(n);
  for (double& x : sample)
    x = normal(rng);
  return sample;
}

std::vector<double> lognormal_sample(std::size_t n, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::lognormal_distribution<double> lognormal(0.0, 1.0);
  std::vector<double> sample(n);
  for (double& x : sample)
    x = lognormal(rng);
  return sample;
}

/// 1 / B with B ~ beta(1, 4): a tail falling like x^-2, so a few values lie thousands of
/// bandwidths beyond the bulk.
std::vector<double> inverse_beta_sample(std::size_t n, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::gamma_distribution<double> a(1.0);
  std::gamma_distribution<double> b(4.0);
  std::vector<double> sample(n);
  for (double& x : sample) {
    const double ga = a(rng);
    x = (ga + b(rng)) / ga;
  }
  return sample;
}

}  // namespace

TEST_CASE("kernel density: the bandwidth is Silverman's rule of thumb") {
  // A heavy right tail (IQR / 1.34 below the sd), an even spread (the sd below IQR / 1.34), and a
  // sample whose middle half is one value (IQR 0, so the sd alone).
  const std::vector<std::vector<double>> samples = {
      {12.0, 4.0, 2.0, 30.0, 4.0, 5.0, 9.0, 4.0, 7.0, 5.0},
      {0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0},
      {1.0, 1.0, 3.0, 1.0, 1.0, 1.0, 2.0, 1.0, 1.0, 1.0},
  };
  for (const auto& sample : samples) {
    const KernelDensity kde(sample);
    const double expected = silverman(sample);
    // Both compute the same formula; the sums of n terms carry up to n roundings of relative
    // size eps / 2 each, the quantiles, square root, power and products fewer than 8 more.
    const double tolerance = (static_cast<double>(sample.size()) + 8.0) * kEpsilon * expected;
    CAPTURE(sample, expected);
    CHECK(kde.bandwidth() == Approx(expected).margin(tolerance).epsilon(0.0));
    CHECK(kde.count() == sample.size());
  }
  // The first sample by hand: sorted 2 4 4 4 5 5 7 9 12 30, quartiles at ranks 2.25 and 6.75
  // are 4 and 7 + 0.75 (9 - 7) = 8.5 (exact in binary), so IQR / 1.34 = 4.5 / 1.34 is below the
  // sd (about 8.2). A division, a power and two products: at most 4 roundings of eps / 2 each,
  // the power's within 1 ulp.
  const double by_hand = 0.9 * (4.5 / 1.34) * std::pow(10.0, -0.2);
  CHECK(KernelDensity(samples[0]).bandwidth() == Approx(by_hand).epsilon(4.0 * kEpsilon));
}

TEST_CASE("kernel density: the binned estimate is within 1e-3 of the exact sum") {
  constexpr std::size_t kSize = 1000;
  const std::vector<std::vector<double>> samples = {
      normal_sample(kSize, 11), lognormal_sample(kSize, 12), inverse_beta_sample(kSize, 13)};
  for (std::size_t s = 0; s < samples.size(); ++s) {
    const auto& sample = samples[s];
    const KernelDensity kde(sample);
    const double h = kde.bandwidth();
    // At every value and at a point up to 4 bandwidths from each, in the gaps of the tails too.
    std::mt19937_64 rng(100 + s);
    std::uniform_real_distribution<double> offset(-4.0 * h, 4.0 * h);
    std::vector<double> points;
    for (const double x : sample) {
      points.push_back(x);
      points.push_back(x + offset(rng));
    }
    std::vector<double> binned(points.size());
    kde.log_density(points, binned);
    std::vector<double> exact(points.size());
    double largest = 0.0;
    for (std::size_t i = 0; i < points.size(); ++i) {
      exact[i] = exact_density(sample, h, points[i]);
      largest = std::max(largest, exact[i]);
    }
    double worst = 0.0;
    std::size_t unexplained_zeros = 0;
    for (std::size_t i = 0; i < points.size(); ++i) {
      const double estimate = std::exp(binned[i]);
      if (exact[i] > kAccuracyFloor * largest)
        worst = std::max(worst, std::abs(estimate - exact[i]) / exact[i]);
      // Where the truncated estimate is 0, every value is beyond kCutoff bandwidths, each
      // contributing at most phi(kCutoff) / (n h) to the exact sum.
      if (binned[i] == -kInf && exact[i] > phi(kCutoff) / h) ++unexplained_zeros;
    }
    CHECK(unexplained_zeros == 0);
    CAPTURE(s, h, worst);
    CHECK(worst <= kRelativeAccuracy);
  }
}

TEST_CASE("kernel density: the estimate integrates to 1") {
  constexpr std::size_t kSize = 1000;
  // Trapezoid steps of at most h / 256, a quarter of the grid spacing.
  constexpr double kStepsPerBandwidth = 256.0;
  for (const auto& sample : {normal_sample(kSize, 21), lognormal_sample(kSize, 22)}) {
    const KernelDensity kde(sample);
    const double h = kde.bandwidth();
    // The estimate is 0 beyond kCutoff + 2 / kGrid bandwidths from every value: integrate over
    // the union of the intervals kCutoff + 1 bandwidths around the values.
    std::vector<double> sorted = sample;
    std::sort(sorted.begin(), sorted.end());
    const double reach = (kCutoff + 1.0) * h;
    double integral = 0.0;
    std::size_t first = 0;
    while (first < sorted.size()) {
      std::size_t last = first;
      while (last + 1 < sorted.size() && sorted[last + 1] - sorted[last] <= 2.0 * reach)
        ++last;
      const double a = sorted[first] - reach;
      const double b = sorted[last] + reach;
      const auto cells = static_cast<std::size_t>(std::ceil((b - a) / h * kStepsPerBandwidth));
      const double step = (b - a) / static_cast<double>(cells);
      double previous = density(kde, a);
      for (std::size_t k = 1; k <= cells; ++k) {
        const double next = density(kde, a + static_cast<double>(k) * step);
        integral += 0.5 * step * (previous + next);
        previous = next;
      }
      first = last + 1;
    }
    // The binned estimate integrates exactly to (1 / kGrid) sum_{|d| <= kGrid kCutoff}
    // phi(d / kGrid), a Riemann sum of the standard normal that misses at most the mass beyond
    // kCutoff - 1 / kGrid on either side. Between nodes it is linear, so the trapezoid rule errs
    // only at nodes, by at most step^2 / 8 times the jump in slope there; the jumps add up to at
    // most the total variation of the kernel's derivative, integral |phi''| = 4 phi(1), plus the
    // jumps of 2 kGrid phi(kCutoff) at each end of the cut kernel, all over h^2.
    const double truncation = 2.0 * normal_cdf(-(kCutoff - 1.0 / kGrid));
    const double quadrature = (4.0 * phi(1.0) + 4.0 * kGrid * phi(kCutoff)) /
                              (8.0 * kStepsPerBandwidth * kStepsPerBandwidth);
    CAPTURE(h, integral, truncation, quadrature);
    CHECK(std::abs(integral - 1.0) <= truncation + quadrature);
  }
}

TEST_CASE("kernel density: a large normal sample estimates the normal density") {
  constexpr std::size_t kSize = 100000;
  const auto sample = normal_sample(kSize, 31);
  const KernelDensity kde(sample);
  const double h = kde.bandwidth();
  const auto n = static_cast<double>(kSize);
  for (const double x : {-2.5, -1.0, 0.0, 0.5, 2.0}) {
    // For standard normal data the estimate's mean is the N(0, 1 + h^2) density, so the bias is
    // normal_pdf(x, sqrt(1 + h^2)) - phi(x) (asymptotically h^2 f''(x) / 2). Its variance is
    // (E[K_h(x - X)^2] - E[K_h(x - X)]^2) / n with E[K_h(x - X)^2] = normal_pdf(x, sqrt(1 +
    // h^2 / 2)) / (2 sqrt(pi) h) (asymptotically f(x) R(K) / (n h), R(K) = 1 / (2 sqrt(pi))).
    const double mean = normal_pdf(x, std::sqrt(1.0 + h * h));
    const double second =
        normal_pdf(x, std::sqrt(1.0 + 0.5 * h * h)) / (2.0 * std::sqrt(std::numbers::pi) * h);
    const double sd = std::sqrt((second - mean * mean) / n);
    const double bias = mean - phi(x);
    // 4 standard errors, the bias, and the binning's relative error bound.
    const double tolerance = std::abs(bias) + 4.0 * sd + kRelativeAccuracy * mean;
    const double estimate = density(kde, x);
    CAPTURE(x, h, estimate, phi(x), bias, sd);
    CHECK(std::abs(estimate - phi(x)) <= tolerance);
  }
}

TEST_CASE("kernel density: NaN and infinities are skipped") {
  const auto clean = lognormal_sample(300, 41);
  std::vector<double> dirty;
  for (std::size_t i = 0; i < clean.size(); ++i) {
    dirty.push_back(clean[i]);
    if (i % 7 == 0) dirty.push_back(kNaN);
    if (i % 11 == 0) dirty.push_back(i % 2 == 0 ? kInf : -kInf);
  }
  const KernelDensity a(clean);
  const KernelDensity b(dirty);
  CHECK(b.count() == clean.size());
  CHECK(a.bandwidth() == b.bandwidth());
  for (const double x : {0.1, 0.5, 1.0, 2.0, 7.0, 30.0})
    CHECK(a.log_density(x) == b.log_density(x));
}

TEST_CASE("kernel density: fewer than two distinct finite values throw") {
  using Sample = std::vector<double>;
  CHECK_THROWS_AS(KernelDensity(Sample{}), std::invalid_argument);
  CHECK_THROWS_AS(KernelDensity(Sample{1.0}), std::invalid_argument);
  CHECK_THROWS_AS(KernelDensity(Sample{2.5, 2.5, 2.5, 2.5}), std::invalid_argument);
  CHECK_THROWS_AS(KernelDensity(Sample{kNaN, kInf, 3.0, -kInf, 3.0}), std::invalid_argument);
  CHECK_THROWS_WITH(KernelDensity(Sample{kNaN, 4.0, 4.0}),
                    Catch::Contains("at least two distinct finite values"));
  CHECK_NOTHROW(KernelDensity(Sample{kNaN, 4.0, 5.0}));
}

TEST_CASE("kernel density: the density is -inf beyond the kernel's reach") {
  // A cluster of 190 values and one of 10 about 100 bandwidths away: the quartiles, and so the
  // bandwidth, stay with the large cluster, and the middle of the gap is out of reach of both.
  std::vector<double> sample = normal_sample(200, 51);
  const KernelDensity probe(sample);
  const double gap = 100.0 * probe.bandwidth();
  for (std::size_t i = 0; i < 10; ++i)
    sample[i] += gap;
  const KernelDensity kde(sample);
  const double h = kde.bandwidth();
  const auto [low, high] = std::minmax_element(sample.begin(), sample.end());
  // The estimate is 0 beyond kCutoff + 2 / kGrid bandwidths; one spacing more covers rounding.
  const double beyond = (kCutoff + 3.0 / kGrid) * h;
  // It is positive within kCutoff bandwidths; 2^-20 of that is far above rounding.
  const double within = kCutoff * h * (1.0 - 0x1.0p-20);
  CHECK(kde.log_density(*high + beyond) == -kInf);
  CHECK(kde.log_density(*low - beyond) == -kInf);
  CHECK(std::isfinite(kde.log_density(*high + within)));
  CHECK(std::isfinite(kde.log_density(*low - within)));
  double top_of_low = *low;
  double bottom_of_high = *high;
  for (const double x : sample) {
    if (x < 0.5 * gap) top_of_low = std::max(top_of_low, x);
    if (x >= 0.5 * gap) bottom_of_high = std::min(bottom_of_high, x);
  }
  CHECK(kde.log_density(top_of_low + beyond) == -kInf);
  CHECK(kde.log_density(bottom_of_high - beyond) == -kInf);
  CHECK(kde.log_density(0.5 * (top_of_low + bottom_of_high)) == -kInf);
  CHECK(std::isfinite(kde.log_density(top_of_low + within)));
  CHECK(kde.log_density(kInf) == -kInf);
  CHECK(kde.log_density(-kInf) == -kInf);
  CHECK(std::isnan(kde.log_density(kNaN)));
}

TEST_CASE("kernel density: values beyond the grid's range are summed exactly") {
  // A bulk of bandwidth about 0.25 and a handful of values near 1e15, more than 2^40 grid
  // spacings away: their position cannot be resolved on the grid.
  std::vector<double> sample = normal_sample(1000, 61);
  for (const double x : {1e15, 1e15 + 0.125, 1e15 + 0.5, -3e14})
    sample.push_back(x);
  const KernelDensity kde(sample);
  const double h = kde.bandwidth();
  for (const double x : {1e15, 1e15 + 0.25, 1e15 + 1.0, -3e14 - 0.5}) {
    const double exact = exact_density(sample, h, x);
    CAPTURE(x, exact);
    CHECK(std::abs(density(kde, x) - exact) <= kRelativeAccuracy * exact);
  }
  CHECK(kde.log_density(1e15 + 1.0 + kCutoff * h * 1.01) == -kInf);
  CHECK(kde.log_density(-3e14 + kCutoff * h * 1.01) == -kInf);
  CHECK(std::abs(density(kde, 0.0) - exact_density(sample, h, 0.0)) <=
        kRelativeAccuracy * exact_density(sample, h, 0.0));
}

TEST_CASE("kernel density: results depend only on the sample") {
  const auto sample = inverse_beta_sample(2000, 71);
  std::vector<double> shuffled = sample;
  std::shuffle(shuffled.begin(), shuffled.end(), std::mt19937_64(72));
  const KernelDensity a(sample);
  const KernelDensity b(shuffled);
  CHECK(a.bandwidth() == b.bandwidth());

  std::mt19937_64 rng(73);
  std::uniform_real_distribution<double> offset(-8.0 * a.bandwidth(), 8.0 * a.bandwidth());
  std::vector<double> points;
  for (const double x : sample)
    points.push_back(x + offset(rng));
  std::vector<double> forward(points.size());
  a.log_density(points, forward);
  for (std::size_t i = points.size(); i-- > 0;) {
    CHECK(a.log_density(points[i]) == forward[i]);
    CHECK(b.log_density(points[i]) == forward[i]);
  }
  std::vector<double> too_short(points.size() - 1);
  CHECK_THROWS_AS(a.log_density(points, too_short), std::invalid_argument);
}
