#include "darkfigure/summary/summary.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <vector>

#include "darkfigure/core/error.hpp"

namespace darkfigure::summary {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Neumaier's improved Kahan summation (A. Neumaier, "Rundungsfehleranalyse einiger Verfahren zur
// Summation endlicher Summen", ZAMM 54, 1974): the error is bounded by about 2u |sum| plus a term
// in n u^2, independent of n to first order, so a million draws near 1e9 keep their small noise.
// The order of the terms is fixed by the array, so the result is deterministic.
class NeumaierSum {
 public:
  void add(double term) noexcept {
    const double next = sum_ + term;
    // The low-order bits lost in `next` come from whichever operand is smaller in magnitude.
    if (std::abs(sum_) >= std::abs(term)) {
      compensation_ += (sum_ - next) + term;
    } else {
      compensation_ += (term - next) + sum_;
    }
    sum_ = next;
  }
  double value() const noexcept { return sum_ + compensation_; }

 private:
  double sum_ = 0.0;
  double compensation_ = 0.0;
};

// Successive order statistics of `values` for non-decreasing ranks, by selection. After
// selecting rank k, every element at [k + 1, n) is at least values[k], so the search for any
// later rank runs on that shrinking remainder only, and rank k + 1 is simply its minimum. A
// selected element never moves again, so asking for it twice costs nothing.
class OrderStatistics {
 public:
  explicit OrderStatistics(std::span<double> values) : values_(values) {}

  double at(std::size_t rank) {
    DARKFIGURE_CHECK(rank < values_.size());
    if (rank < boundary_) {
      DARKFIGURE_CHECK(std::find(selected_.begin(), selected_.end(), rank) != selected_.end());
      return values_[rank];
    }
    const auto first = values_.begin() + static_cast<std::ptrdiff_t>(boundary_);
    const auto target = values_.begin() + static_cast<std::ptrdiff_t>(rank);
    if (rank == boundary_) {
      // Everything before the boundary is smaller, so the wanted rank is the remainder's minimum;
      // moving it into place keeps the partition property for the next call.
      std::iter_swap(target, std::min_element(first, values_.end()));
    } else {
      std::nth_element(first, target, values_.end());
    }
    boundary_ = rank + 1;
    selected_.push_back(rank);
    return values_[rank];
  }

 private:
  std::span<double> values_;
  std::size_t boundary_ = 0;
  std::vector<std::size_t> selected_;
};

}  // namespace

Summary summarise(std::span<double> values, std::span<const double> levels) {
  Summary result;
  result.levels.assign(levels.begin(), levels.end());
  for (const double level : result.levels)
    DARKFIGURE_CHECK(level >= 0.0 && level <= 1.0);
  std::sort(result.levels.begin(), result.levels.end());

  const auto finite_end =
      std::partition(values.begin(), values.end(), [](double x) { return std::isfinite(x); });
  const std::span<double> finite(values.begin(), finite_end);
  const std::size_t n = finite.size();
  result.count = n;
  result.non_finite = values.size() - n;

  if (n == 0) {
    result.mean = result.sd = result.mcse_mean = result.min = result.max = kNaN;
    result.quantiles.assign(result.levels.size(), kNaN);
    return result;
  }

  const double count = static_cast<double>(n);
  NeumaierSum sum;
  for (const double x : finite)
    sum.add(x);
  result.mean = sum.value() / count;

  const auto [min, max] = std::minmax_element(finite.begin(), finite.end());
  result.min = *min;
  result.max = *max;

  if (n == 1) {
    result.sd = result.mcse_mean = kNaN;
  } else {
    // Corrected two-pass algorithm (Chan, Golub & LeVeque, "Algorithms for computing the sample
    // variance", Am. Stat. 37, 1983, eq. 1.7): the sum of deviations would be zero in exact
    // arithmetic, so subtracting its square removes the rounding error of the computed mean.
    NeumaierSum squares;
    NeumaierSum deviations;
    for (const double x : finite) {
      const double deviation = x - result.mean;
      squares.add(deviation * deviation);
      deviations.add(deviation);
    }
    const double correction = deviations.value() * deviations.value() / count;
    // Rounding can make the corrected sum slightly negative; a NaN (from an overflowing mean)
    // must stay NaN rather than become a reassuring 0.
    const double raw = (squares.value() - correction) / (count - 1.0);
    const double variance = raw < 0.0 ? 0.0 : raw;
    result.sd = std::sqrt(variance);
    result.mcse_mean = result.sd / std::sqrt(count);
  }

  // Hyndman & Fan (1996) type 7: h = (n - 1) p, Q(p) = x[floor h] + (h - floor h) (x[floor h + 1]
  // - x[floor h]) with 0-based order statistics x[]. Levels are ascending, so ranks never go back.
  OrderStatistics order(finite);
  result.quantiles.reserve(result.levels.size());
  for (const double level : result.levels) {
    const double h = (count - 1.0) * level;
    const double floor_h = std::floor(h);
    const auto rank = static_cast<std::size_t>(floor_h);
    const double fraction = h - floor_h;
    const double lower = order.at(rank);
    if (fraction == 0.0 || rank + 1 == n) {
      result.quantiles.push_back(lower);
    } else {
      result.quantiles.push_back(std::lerp(lower, order.at(rank + 1), fraction));
    }
  }
  return result;
}

}  // namespace darkfigure::summary
