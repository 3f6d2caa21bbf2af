#include "darkfigure/summary/selection.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <functional>
#include <iterator>
#include <utility>

#include "darkfigure/core/error.hpp"

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define DARKFIGURE_SELECTION_AVX2 1
#endif

namespace darkfigure::summary {
namespace {

// Sample size and margin: a rank's bracket reaches kMargin standard deviations of the sample's
// own rank error either side, so the wanted value falls outside it with probability about 1e-9.
constexpr std::size_t kSampleSize = std::size_t{1} << 16;
constexpr double kMargin = 6.0;

// The comparisons the scan counts by.
enum class Comparison { less, equal };

bool holds(Comparison comparison, double x, double threshold) noexcept {
  return comparison == Comparison::less ? x < threshold : x == threshold;
}

#ifdef DARKFIGURE_SELECTION_AVX2

// The values x for which holds(comparison, x, threshold), four at a time.
template <Comparison kComparison>
__attribute__((target("avx2"))) std::uint64_t count_avx2(std::span<const double> values,
                                                         double threshold) noexcept {
  constexpr int kPredicate = kComparison == Comparison::less ? _CMP_LT_OQ : _CMP_EQ_OQ;
  const __m256d bound = _mm256_set1_pd(threshold);
  __m256i count = _mm256_setzero_si256();
  std::size_t i = 0;
  for (; i + 4 <= values.size(); i += 4) {
    const __m256d true_lanes = _mm256_cmp_pd(_mm256_loadu_pd(values.data() + i), bound, kPredicate);
    count = _mm256_sub_epi64(count, _mm256_castpd_si256(true_lanes));  // a true lane is -1
  }
  alignas(32) std::uint64_t lanes[4];
  _mm256_store_si256(reinterpret_cast<__m256i*>(lanes), count);
  std::uint64_t total = lanes[0] + lanes[1] + lanes[2] + lanes[3];
  for (; i < values.size(); ++i)
    total += holds(kComparison, values[i], threshold);
  return total;
}

__attribute__((target("avx2"))) void collect_between_avx2(std::span<const double> values,
                                                          double low, double high,
                                                          std::vector<double>& out) {
  const __m256d lower = _mm256_set1_pd(low);
  const __m256d upper = _mm256_set1_pd(high);
  std::size_t i = 0;
  for (; i + 4 <= values.size(); i += 4) {
    const __m256d x = _mm256_loadu_pd(values.data() + i);
    const int inside = _mm256_movemask_pd(
        _mm256_and_pd(_mm256_cmp_pd(x, lower, _CMP_GT_OQ), _mm256_cmp_pd(x, upper, _CMP_LT_OQ)));
    if (inside == 0) continue;
    for (int lane = 0; lane < 4; ++lane) {
      if ((inside >> lane) & 1) out.push_back(values[i + static_cast<std::size_t>(lane)]);
    }
  }
  for (; i < values.size(); ++i) {
    if (values[i] > low && values[i] < high) out.push_back(values[i]);
  }
}

#endif

// The values x for which holds(kComparison, x, threshold); NaN never does.
template <Comparison kComparison>
std::uint64_t count(std::span<const double> values, double threshold) noexcept {
#ifdef DARKFIGURE_SELECTION_AVX2
  if (__builtin_cpu_supports("avx2")) return count_avx2<kComparison>(values, threshold);
#endif
  std::uint64_t total = 0;
  for (const double x : values)
    total += holds(kComparison, x, threshold);
  return total;
}

// Appends the values strictly between low and high to `out`, in order.
void collect_between(std::span<const double> values, double low, double high,
                     std::vector<double>& out) {
#ifdef DARKFIGURE_SELECTION_AVX2
  if (__builtin_cpu_supports("avx2")) {
    collect_between_avx2(values, low, high, out);
    return;
  }
#endif
  for (const double x : values) {
    if (x > low && x < high) out.push_back(x);
  }
}

}  // namespace

RankSelection::RankSelection(std::span<const double> values, const Moments& moments,
                             std::vector<std::uint64_t> ranks)
    : values_(values), min_(moments.min), ranks_(std::move(ranks)) {
  DARKFIGURE_CHECK(std::adjacent_find(ranks_.begin(), ranks_.end(), std::greater_equal<>()) ==
                   ranks_.end());
  if (ranks_.empty()) return;
  DARKFIGURE_CHECK(ranks_.back() < moments.count);

  // A systematic sample: the draws of a column are exchangeable, so every k-th is a random sample.
  std::vector<double> sample;
  if (values.size() > 2 * kSampleSize) {
    sample.reserve(kSampleSize);
    for (std::size_t i = 0; i < kSampleSize; ++i) {
      const double x = values[i * values.size() / kSampleSize];
      if (std::isfinite(x)) sample.push_back(x);
    }
    std::sort(sample.begin(), sample.end());
  }
  const auto m = static_cast<double>(sample.size());
  const auto n = static_cast<double>(moments.count);

  for (std::size_t i = 0; i < ranks_.size(); ++i) {
    double low = moments.min;
    double high = moments.max;
    if (!sample.empty()) {
      const double p = (static_cast<double>(ranks_[i]) + 0.5) / n;
      const double center = p * m;
      const double margin = kMargin * std::sqrt(m * p * (1.0 - p)) + 2.0;
      const double first = std::floor(center - margin);
      const double last = std::ceil(center + margin);
      if (first > 0.0) low = sample[static_cast<std::size_t>(first)];
      if (last < m - 1.0) high = sample[static_cast<std::size_t>(last)];
    }
    if (!brackets_.empty() && low <= brackets_.back().high) {
      Bracket& previous = brackets_.back();
      previous.high = std::max(previous.high, high);
      previous.rank_indices.push_back(i);
    } else {
      brackets_.push_back({low, high, {i}});
    }
  }
}

RankSelection::Partial RankSelection::scan(std::span<const double> chunk) const {
  Partial partial;
  partial.below.assign(brackets_.size(), 0);
  partial.at_low.assign(brackets_.size(), 0);
  partial.at_high.assign(brackets_.size(), 0);
  partial.inside.resize(brackets_.size());
  // Slices small enough to stay in the first-level cache while every bracket passes over them.
  constexpr std::size_t kSlice = 2048;
  for (std::size_t first = 0; first < chunk.size(); first += kSlice) {
    const std::span<const double> slice =
        chunk.subspan(first, std::min(kSlice, chunk.size() - first));
    // -inf lies below every bracket but is not a finite value; NaN fails every comparison.
    const std::uint64_t negative_infinite = count<Comparison::less>(slice, min_);
    for (std::size_t b = 0; b < brackets_.size(); ++b) {
      const double low = brackets_[b].low;
      const double high = brackets_[b].high;
      partial.below[b] += count<Comparison::less>(slice, low) - negative_infinite;
      partial.at_low[b] += count<Comparison::equal>(slice, low);
      if (high > low) partial.at_high[b] += count<Comparison::equal>(slice, high);
      collect_between(slice, low, high, partial.inside[b]);
    }
  }
  return partial;
}

std::vector<double> RankSelection::finish(std::span<Partial> partials) const {
  std::vector<double> result(ranks_.size());
  for (std::size_t b = 0; b < brackets_.size(); ++b) {
    std::uint64_t below = 0;
    std::uint64_t at_low = 0;
    std::uint64_t at_high = 0;
    std::size_t inside_count = 0;
    for (const Partial& partial : partials) {
      below += partial.below[b];
      at_low += partial.at_low[b];
      at_high += partial.at_high[b];
      inside_count += partial.inside[b].size();
    }
    std::vector<double> inside;
    inside.reserve(inside_count);
    for (Partial& partial : partials) {
      inside.insert(inside.end(), partial.inside[b].begin(), partial.inside[b].end());
      std::vector<double>().swap(partial.inside[b]);
    }
    // In order: the values below the bracket, those equal to its low end, those strictly inside
    // and those equal to its high end. Ranks ascend, so each selection inside runs on what lies
    // right of the previous one.
    auto first = inside.begin();
    for (const std::size_t i : brackets_[b].rank_indices) {
      if (ranks_[i] < below) return select_from_all();
      std::uint64_t position = ranks_[i] - below;
      if (position < at_low) {
        result[i] = brackets_[b].low;
        continue;
      }
      position -= at_low;
      if (position < inside.size()) {
        const auto target = inside.begin() + static_cast<std::ptrdiff_t>(position);
        std::nth_element(first, target, inside.end());
        first = target + 1;
        result[i] = *target;
        continue;
      }
      position -= inside.size();
      if (position >= at_high) return select_from_all();
      result[i] = brackets_[b].high;
    }
  }
  return result;
}

std::vector<double> RankSelection::select_from_all() const {
  std::vector<double> finite;
  std::copy_if(values_.begin(), values_.end(), std::back_inserter(finite),
               [](double x) { return std::isfinite(x); });
  std::vector<double> result(ranks_.size());
  auto first = finite.begin();
  for (std::size_t i = 0; i < ranks_.size(); ++i) {
    const auto target = finite.begin() + static_cast<std::ptrdiff_t>(ranks_[i]);
    std::nth_element(first, target, finite.end());
    first = target + 1;
    result[i] = *target;
  }
  return result;
}

}  // namespace darkfigure::summary
