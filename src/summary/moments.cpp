#include "darkfigure/summary/moments.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <limits>

namespace darkfigure::summary {
namespace {

// Independent partial sums: the loop carries no dependence from one value to the next, so the
// processor overlaps the additions, and the rounding error grows with n / kLanes, not n.
constexpr std::size_t kLanes = 4;

// a + b as the rounded sum and its exact rounding error (Knuth's TwoSum, TAOCP vol. 2, 4.2.2).
struct TwoSum {
  double sum;
  double error;
};

TwoSum two_sum(double a, double b) noexcept {
  const double sum = a + b;
  const double b_part = sum - a;
  const double a_part = sum - b_part;
  return {sum, (a - a_part) + (b - b_part)};
}

// The moments of values that are all finite: straight loops without a test per value.
Moments of_finite(std::span<const double> values) noexcept {
  const std::size_t n = values.size();
  const double origin = values[0];
  std::array<double, kLanes> sum{};
  std::array<double, kLanes> low;
  std::array<double, kLanes> high;
  low.fill(origin);
  high.fill(origin);
  std::uint64_t zeros = 0;
  std::uint64_t ones = 0;
  std::size_t i = 0;
  for (; i + kLanes <= n; i += kLanes) {
    for (std::size_t lane = 0; lane < kLanes; ++lane) {
      const double x = values[i + lane];
      sum[lane] += x - origin;
      low[lane] = x < low[lane] ? x : low[lane];
      high[lane] = x > high[lane] ? x : high[lane];
      zeros += x == 0.0;
      ones += x == 1.0;
    }
  }
  for (; i < n; ++i) {
    const double x = values[i];
    sum[0] += x - origin;
    low[0] = x < low[0] ? x : low[0];
    high[0] = x > high[0] ? x : high[0];
    zeros += x == 0.0;
    ones += x == 1.0;
  }
  Moments m;
  m.count = n;
  m.zeros = zeros;
  m.ones = ones;
  const double count = static_cast<double>(n);
  const double deviation_sum = (sum[0] + sum[1]) + (sum[2] + sum[3]);
  if (std::isfinite(deviation_sum)) {
    const TwoSum mean = two_sum(origin, deviation_sum / count);
    m.mean = mean.sum;
    m.mean_low = mean.error;
  } else {
    // Finite values more than the largest double apart: a sum of shares cannot overflow.
    m.mean = 0.0;
    for (const double x : values)
      m.mean += x / count;
  }
  m.min = std::min(std::min(low[0], low[1]), std::min(low[2], low[3]));
  m.max = std::max(std::max(high[0], high[1]), std::max(high[2], high[3]));

  std::array<double, kLanes> squares{};
  std::array<double, kLanes> deviations{};
  i = 0;
  for (; i + kLanes <= n; i += kLanes) {
    for (std::size_t lane = 0; lane < kLanes; ++lane) {
      const double d = values[i + lane] - m.mean;
      squares[lane] += d * d;
      deviations[lane] += d;
    }
  }
  for (; i < n; ++i) {
    const double d = values[i] - m.mean;
    squares[0] += d * d;
    deviations[0] += d;
  }
  const double deviation = (deviations[0] + deviations[1]) + (deviations[2] + deviations[3]);
  // In exact arithmetic the deviations sum to zero: subtracting their square removes the
  // rounding error of the computed mean. Rounding can leave a tiny negative. A sum of squares
  // beyond the largest double stays infinite, whatever the correction (inf - inf would be NaN).
  const double square_sum = (squares[0] + squares[1]) + (squares[2] + squares[3]);
  const double m2 = square_sum - deviation * deviation / count;
  m.m2 = std::isinf(square_sum) ? square_sum : m2 < 0.0 ? 0.0 : m2;
  return m;
}

}  // namespace

Moments Moments::of(std::span<const double> values) noexcept {
  std::size_t finite = 0;
  for (const double x : values)
    finite += std::isfinite(x);
  if (finite == values.size()) {
    return values.empty() ? Moments{} : of_finite(values);
  }
  // The rare block with non-finite values: summarise a copy of its finite ones, a slice at a time.
  constexpr std::size_t kSlice = 512;
  std::array<double, kSlice> slice;
  Moments total;
  std::size_t filled = 0;
  for (const double x : values) {
    if (!std::isfinite(x)) continue;
    slice[filled++] = x;
    if (filled == kSlice) {
      total.append(of_finite({slice.data(), filled}));
      filled = 0;
    }
  }
  if (filled > 0) total.append(of_finite({slice.data(), filled}));
  total.non_finite = values.size() - finite;
  return total;
}

void Moments::append(const Moments& next) noexcept {
  non_finite += next.non_finite;
  if (next.count == 0) return;
  if (count == 0) {
    const std::uint64_t skipped = non_finite;
    *this = next;
    non_finite = skipped;
    return;
  }
  const double n_a = static_cast<double>(count);
  const double n_b = static_cast<double>(next.count);
  const double n = n_a + n_b;
  const double delta = (next.mean - mean) + (next.mean_low - mean_low);
  if (std::isfinite(delta)) {
    const TwoSum moved = two_sum(mean, delta * (n_b / n));
    const TwoSum renormalised = two_sum(moved.sum, moved.error + mean_low);
    mean = renormalised.sum;
    mean_low = renormalised.error;
  } else {
    // Means more than the largest double apart: their weighted average cannot overflow.
    mean = mean * (n_a / n) + next.mean * (n_b / n);
    mean_low = 0.0;
  }
  m2 += next.m2 + delta * delta * (n_a * n_b / n);
  count += next.count;
  zeros += next.zeros;
  ones += next.ones;
  min = std::min(min, next.min);
  max = std::max(max, next.max);
}

double Moments::variance() const noexcept {
  if (count < 2) return std::numeric_limits<double>::quiet_NaN();
  return m2 / static_cast<double>(count - 1);
}

}  // namespace darkfigure::summary
