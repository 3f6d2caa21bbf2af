#include "darkfigure/summary/weighted.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <utility>
#include <vector>

#include "darkfigure/core/error.hpp"

namespace darkfigure::summary {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kUnitRoundoff = std::numeric_limits<double>::epsilon() / 2;

/// A number carried as the unevaluated sum hi + lo, with |lo| at most half an ulp of hi.
struct DoubleDouble {
  double hi = 0.0;
  double lo = 0.0;
};

/// a + b as the rounded sum and its exact rounding error (Knuth's TwoSum, TAOCP vol. 2, 4.2.2).
DoubleDouble two_sum(double a, double b) {
  const double sum = a + b;
  const double b_part = sum - a;
  const double a_part = sum - b_part;
  return {sum, (a - a_part) + (b - b_part)};
}

/// a * b as the rounded product and its exact rounding error; fma rounds only once.
DoubleDouble two_product(double a, double b) {
  const double product = a * b;
  return {product, std::fma(a, b, -product)};
}

/// A running sum that keeps the exact rounding error of every addition apart (Neumaier's
/// variant of Kahan summation): its value is within a few ulps of the exact sum for any number
/// of terms, and the loop carries only the one addition from term to term. A sum that overflows
/// is infinite, not NaN (its rounding errors are then inf - inf).
struct CompensatedSum {
  double sum = 0.0;
  double error = 0.0;

  void add(double x) {
    const DoubleDouble next = two_sum(sum, x);
    sum = next.hi;
    error += next.lo;
  }
  DoubleDouble value() const {
    return std::isfinite(sum) ? two_sum(sum, error) : DoubleDouble{sum, 0.0};
  }
  double result() const { return std::isfinite(sum) ? sum + error : sum; }
};

void check_weight(double weight) {
  if (!(weight >= 0.0) || !std::isfinite(weight)) {
    throw std::invalid_argument("importance weights must be finite and at least 0");
  }
}

/// The power of two that brings the largest weight into [1, 2), exact to multiply by: sums of
/// the scaled weights cannot overflow and their squares do not underflow. Clamped so that it
/// stays finite when the largest weight is subnormal.
double weight_scale(double largest) {
  const int exponent = std::max(std::ilogb(largest), std::numeric_limits<double>::min_exponent - 1);
  return std::ldexp(1.0, -exponent);
}

/// Kish's (sum w)^2 / sum w^2 from the two sums.
double kish(double sum, double sum_of_squares) {
  return sum == 0.0 ? 0.0 : sum * sum / sum_of_squares;
}

bool summarised(double value, double weight) {
  return weight > 0.0 && std::isfinite(value);
}

/// Calls f(value, weight) for each draw summarised, in index order.
template <typename F>
void for_each_summarised(std::span<const double> values, std::span<const double> weights, F f) {
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (summarised(values[i], weights[i])) f(values[i], weights[i]);
  }
}

/// A draw: its value and its scaled weight. Ordered by value, then weight.
using Draw = std::pair<double, double>;

/// Positions of draws sorted by (value, weight) on the scale of type-7 ranks: draw j sits at
/// r_j = (n - 1) d_j / d_{n-1}, where d_j = c_j - c_0 = (weights before j) + (w_j - w_0) / 2.
/// With equal weights every r_j is exactly j, so the quantiles are type 7 to the last bit.
class Positions {
 public:
  explicit Positions(std::span<const Draw> draws)
      : draws_(draws), last_(draws.size() - 1), top_(static_cast<double>(last_)) {
    // d_{n-1}, summed in sorted order exactly as the scan sums it.
    CompensatedSum before = start();
    for (std::size_t j = 0; j < last_; ++j)
      before.add(draws_[j].second);
    const DoubleDouble span = position(before, last_);
    // (n - 1) / d_{n-1} to about twice double precision: the rounding error of the quotient is
    // the remainder (n - 1) - quotient * d_{n-1} over d_{n-1}.
    const double quotient = top_ / span.hi;
    const DoubleDouble product = two_product(quotient, span.hi);
    const double remainder = ((top_ - product.hi) - product.lo) - quotient * span.lo;
    inverse_ = two_sum(quotient, remainder / span.hi);
    // Bounds |estimate - rank| below: d.hi and inverse_.hi are each within a relative u of
    // d and the inverse, the product rounds once more and the exact rank once, so the estimate
    // is within about 4u of a rank that is at most n - 1. Twice that leaves room for the rounding
    // of h -+ margin.
    margin_ = 8 * kUnitRoundoff * top_;
  }

  /// The running sum of the weights before draw 0, less w_0 / 2: d_j is this sum after the
  /// weights before j, plus w_j / 2.
  CompensatedSum start() const {
    CompensatedSum before;
    before.add(-draws_[0].second / 2);
    return before;
  }

  /// d_j, given the running sum of the weights before j.
  DoubleDouble position(const CompensatedSum& before, std::size_t j) const {
    const DoubleDouble sum = two_sum(before.sum, draws_[j].second / 2);
    return two_sum(sum.hi, sum.lo + before.error);
  }

  /// r_j, from d_j.
  double rank(const DoubleDouble& d, std::size_t j) const {
    if (j == last_) return top_;
    const DoubleDouble product = two_product(d.hi, inverse_.hi);
    return product.hi + (product.lo + (d.hi * inverse_.lo + d.lo * inverse_.hi));
  }

  /// Whether r_j <= h; the exact rank is needed only when the one-product estimate is close to h.
  bool at_most(const DoubleDouble& d, std::size_t j, double h) const {
    if (j != last_) {
      const double estimate = d.hi * inverse_.hi;
      if (estimate < h - margin_) return true;
      if (estimate > h + margin_) return false;
    }
    return rank(d, j) <= h;
  }

  std::size_t last() const { return last_; }
  double top() const { return top_; }

 private:
  std::span<const Draw> draws_;
  std::size_t last_;
  double top_;
  DoubleDouble inverse_;
  double margin_ = 0.0;
};

/// Weighted type-7 quantiles of draws sorted by (value, weight) at levels in ascending order:
/// at level p, h = (n - 1) p, and the quantile interpolates linearly between the draws j and
/// j + 1 with r_j <= h < r_{j+1}.
std::vector<double> weighted_quantiles(std::span<const Draw> draws,
                                       std::span<const double> levels) {
  std::vector<double> quantiles;
  quantiles.reserve(levels.size());
  if (draws.size() == 1) {
    quantiles.assign(levels.size(), draws[0].first);
    return quantiles;
  }
  const Positions positions(draws);
  const std::size_t last = positions.last();
  std::size_t j = 0;
  CompensatedSum before = positions.start();
  DoubleDouble d = positions.position(before, 0);
  for (const double level : levels) {
    const double h = positions.top() * level;
    if (h >= positions.top()) {
      quantiles.push_back(draws[last].first);
      continue;
    }
    while (j < last) {
      CompensatedSum next_before = before;
      next_before.add(draws[j].second);
      const DoubleDouble next = positions.position(next_before, j + 1);
      if (!positions.at_most(next, j + 1, h)) break;
      before = next_before;
      d = next;
      ++j;
    }
    const double low_rank = positions.rank(d, j);
    if (j == last || h == low_rank) {
      quantiles.push_back(draws[j].first);
      continue;
    }
    CompensatedSum next_before = before;
    next_before.add(draws[j].second);
    const double high_rank = positions.rank(positions.position(next_before, j + 1), j + 1);
    const double fraction = (h - low_rank) / (high_rank - low_rank);
    quantiles.push_back(std::lerp(draws[j].first, draws[j + 1].first, fraction));
  }
  return quantiles;
}

}  // namespace

double effective_sample_size(std::span<const double> weights) {
  double largest = 0.0;
  for (const double weight : weights) {
    check_weight(weight);
    largest = std::max(largest, weight);
  }
  if (largest == 0.0) return 0.0;
  const double scale = weight_scale(largest);
  CompensatedSum sum;
  CompensatedSum squares;
  for (const double weight : weights) {
    const double w = weight * scale;
    sum.add(w);
    squares.add(w * w);
  }
  return kish(sum.result(), squares.result());
}

Summary summarise_weighted(std::span<const double> values, std::span<const double> weights,
                           std::span<const double> levels) {
  if (values.size() != weights.size()) {
    throw std::invalid_argument("summarise_weighted: values and weights differ in length");
  }
  Summary result;
  result.levels.assign(levels.begin(), levels.end());
  for (const double level : result.levels)
    DARKFIGURE_CHECK(level >= 0.0 && level <= 1.0);
  std::sort(result.levels.begin(), result.levels.end());

  double largest = 0.0;
  double origin = 0.0;
  for (std::size_t i = 0; i < values.size(); ++i) {
    const double x = values[i];
    const double weight = weights[i];
    check_weight(weight);
    if (weight == 0.0) continue;
    if (!std::isfinite(x)) {
      ++result.non_finite;
      continue;
    }
    if (result.count == 0) {
      origin = result.min = result.max = x;
    } else {
      result.min = std::min(result.min, x);
      result.max = std::max(result.max, x);
    }
    ++result.count;
    largest = std::max(largest, weight);
  }
  if (result.count == 0) {
    result.mean = result.sd = result.mcse_mean = result.min = result.max = kNaN;
    result.quantiles.assign(result.levels.size(), kNaN);
    result.quantile_error.assign(result.levels.size(), kNaN);
    return result;
  }
  const double scale = weight_scale(largest);

  // First pass: the sum of the weights, of their squares, of w_j times the weights before j
  // (half of (sum w)^2 - sum w^2, without its cancellation) and of the weighted deviations from
  // the first value, which keep the digits of values that differ only far below their size.
  CompensatedSum weight_sum;
  CompensatedSum square_sum;
  CompensatedSum cross_sum;
  CompensatedSum shift_sum;
  std::vector<Draw> draws;
  if (!levels.empty()) draws.reserve(result.count);
  for_each_summarised(values, weights, [&](double x, double weight) {
    const double w = weight * scale;
    cross_sum.add(w * weight_sum.result());
    weight_sum.add(w);
    square_sum.add(w * w);
    shift_sum.add(w * (x - origin));
    if (!levels.empty()) draws.emplace_back(x, w);
  });
  const double total = weight_sum.value().hi;
  const double shift = shift_sum.result();
  DoubleDouble mean;
  if (std::isfinite(shift)) {
    mean = two_sum(origin, shift / total);
  } else {
    // Values more than the largest double apart: a sum of shares cannot overflow.
    CompensatedSum shares;
    for_each_summarised(values, weights,
                        [&](double x, double weight) { shares.add(weight * scale / total * x); });
    mean.hi = shares.result();
  }

  // Second pass: deviations from the mean carried to twice double precision.
  CompensatedSum deviation_sum;           // sum w d^2
  CompensatedSum weighted_deviation_sum;  // sum w^2 d^2
  for_each_summarised(values, weights, [&](double x, double weight) {
    const double d = (x - mean.hi) - mean.lo;
    const double wd = weight * scale * d;
    deviation_sum.add(wd * d);
    weighted_deviation_sum.add(wd * wd);
  });

  result.mean = mean.hi;
  result.ess = kish(total, square_sum.value().hi);
  if (result.count == 1) {
    result.sd = result.mcse_mean = kNaN;
  } else {
    // With normalised weights v = w / W: sum v d^2 / (1 - sum v^2) = W sum w d^2 / (W^2 - sum
    // w^2), and W^2 - sum w^2 = 2 sum_j w_j (weights before j).
    const double cross = cross_sum.value().hi;
    result.sd = std::sqrt(deviation_sum.value().hi * total / (2 * cross));
    result.mcse_mean = std::sqrt(weighted_deviation_sum.value().hi) / total;
  }

  if (!draws.empty()) {
    std::sort(draws.begin(), draws.end());
    result.quantiles = weighted_quantiles(draws, result.levels);
  }
  result.quantile_error.assign(result.levels.size(), 0.0);
  return result;
}

double weighted_replicate_mcse(std::span<const double> values, std::span<const double> weights,
                               std::span<const std::uint64_t> bounds, double mean) {
  DARKFIGURE_CHECK(values.size() == weights.size() && !bounds.empty() &&
                   bounds.back() == values.size());
  std::vector<double> deviations;
  double total_weight = 0.0;
  for (std::size_t r = 0; r + 1 < bounds.size(); ++r) {
    double deviation = 0.0;
    double weight = 0.0;
    for (std::uint64_t i = bounds[r]; i < bounds[r + 1]; ++i) {
      if (!summarised(values[i], weights[i])) continue;
      deviation += weights[i] * (values[i] - mean);
      weight += weights[i];
    }
    if (weight > 0.0) deviations.push_back(deviation);
    total_weight += weight;
  }
  const auto used = static_cast<double>(deviations.size());
  if (deviations.size() < 2) return std::numeric_limits<double>::quiet_NaN();
  double sum = 0.0;
  for (const double deviation : deviations) {
    const double z = used * deviation / total_weight;
    sum += z * z;
  }
  return std::sqrt(sum / (used * (used - 1.0)));
}

}  // namespace darkfigure::summary
