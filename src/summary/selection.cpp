#include "darkfigure/summary/selection.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <functional>
#include <iterator>
#include <utility>

#include "darkfigure/core/error.hpp"

namespace darkfigure::summary {
namespace {

// Sample size and margin: a rank's bracket reaches kMargin standard deviations of the sample's
// own rank error either side, so the wanted value falls outside it with probability about 1e-9.
constexpr std::size_t kSampleSize = std::size_t{1} << 16;
constexpr double kMargin = 6.0;

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
  partial.inside.resize(brackets_.size());
  // Slices small enough to stay in the first-level cache while every bracket passes over them.
  // The loop has no data-dependent branch: a value is always written to the buffer, and the
  // buffer's end advances only when the value lies inside the bracket.
  constexpr std::size_t kSlice = 2048;
  std::array<double, kSlice> buffer;
  for (std::size_t first = 0; first < chunk.size(); first += kSlice) {
    const std::span<const double> slice =
        chunk.subspan(first, std::min(kSlice, chunk.size() - first));
    // -inf lies below every bracket but is not a finite value; NaN fails every comparison.
    std::uint64_t negative_infinite = 0;
    for (const double x : slice)
      negative_infinite += x < min_;
    for (std::size_t b = 0; b < brackets_.size(); ++b) {
      const double low = brackets_[b].low;
      const double high = brackets_[b].high;
      std::uint64_t below = 0;
      std::size_t kept = 0;
      for (const double x : slice) {
        below += x < low;
        buffer[kept] = x;
        kept += (x >= low) & (x <= high);
      }
      partial.below[b] += below - negative_infinite;
      partial.inside[b].insert(partial.inside[b].end(), buffer.begin(),
                               buffer.begin() + static_cast<std::ptrdiff_t>(kept));
    }
  }
  return partial;
}

std::vector<double> RankSelection::finish(std::span<Partial> partials) const {
  std::vector<double> result(ranks_.size());
  for (std::size_t b = 0; b < brackets_.size(); ++b) {
    std::uint64_t below = 0;
    std::vector<double> inside;
    for (Partial& partial : partials) {
      below += partial.below[b];
      inside.insert(inside.end(), partial.inside[b].begin(), partial.inside[b].end());
      std::vector<double>().swap(partial.inside[b]);
    }
    // Ranks ascend, so each selection runs on what lies right of the previous one.
    auto first = inside.begin();
    for (const std::size_t i : brackets_[b].rank_indices) {
      const std::uint64_t rank = ranks_[i];
      if (rank < below || rank - below >= inside.size()) return select_from_all();
      const auto target = inside.begin() + static_cast<std::ptrdiff_t>(rank - below);
      std::nth_element(first, target, inside.end());
      first = target + 1;
      result[i] = *target;
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
