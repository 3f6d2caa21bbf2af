#include "analysis/figures.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "darkfigure/summary/summary.hpp"
#include "darkfigure/summary/weighted.hpp"

namespace darkfigure::analysis::detail {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

/// Empty bins over [low, high], or nullopt when the range is empty.
std::optional<report::DisplayHistogram> empty_bins(double low, double high) {
  if (!(low < high) || !std::isfinite(low) || !std::isfinite(high)) return std::nullopt;
  report::DisplayHistogram histogram;
  histogram.low = low;
  histogram.width = (high - low) / static_cast<double>(report::kDisplayBins);
  histogram.shares.assign(report::kDisplayBins, 0.0);
  return histogram;
}

/// Adds `weight` at `value` to the histogram of [low, high]: in its bin, or below or above.
void count(report::DisplayHistogram& histogram, double high, double value, double weight) {
  if (value < histogram.low) {
    histogram.below += weight;
  } else if (value > high) {
    histogram.above += weight;
  } else {
    // The top of the range belongs to the last bin, whatever the rounding of the width.
    const double position = (value - histogram.low) / histogram.width;
    const auto bin = std::min(static_cast<std::size_t>(position), report::kDisplayBins - 1);
    histogram.shares[bin] += weight;
  }
}

/// Turns weights into shares of their total; nullopt when nothing was counted.
std::optional<report::DisplayHistogram> normalised(report::DisplayHistogram histogram) {
  double total = histogram.below + histogram.above;
  for (const double share : histogram.shares)
    total += share;
  if (!(total > 0.0)) return std::nullopt;
  for (double& share : histogram.shares)
    share /= total;
  histogram.below /= total;
  histogram.above /= total;
  return histogram;
}

}  // namespace

std::optional<report::DisplayHistogram> display_histogram(std::span<const double> values,
                                                          std::span<const double> weights,
                                                          double low, double high) {
  auto histogram = empty_bins(low, high);
  if (!histogram) return std::nullopt;
  for (std::size_t i = 0; i < values.size(); ++i) {
    const double weight = weights.empty() ? 1.0 : weights[i];
    if (weight > 0.0 && std::isfinite(values[i])) count(*histogram, high, values[i], weight);
  }
  return normalised(std::move(*histogram));
}

std::optional<report::DisplayHistogram> display_histogram(const summary::Histogram& counts,
                                                          double low, double high) {
  auto histogram = empty_bins(low, high);
  if (!histogram) return std::nullopt;
  for (const summary::Histogram::Bin& bin : counts.bins())
    count(*histogram, high, bin.low + (bin.high - bin.low) / 2.0, static_cast<double>(bin.count));
  return normalised(std::move(*histogram));
}

std::vector<report::TracePoint> checkpoint_trace(std::span<const engine::Checkpoint> checkpoints,
                                                 std::size_t k, std::uint64_t draws,
                                                 const summary::Moments& total) {
  const auto point = [](std::uint64_t n, const summary::Moments& moments) {
    const double mcse = moments.count > 1
                            ? std::sqrt(moments.variance() / static_cast<double>(moments.count))
                            : kNaN;
    return report::TracePoint{n, moments.count > 0 ? moments.mean : kNaN, mcse};
  };
  std::vector<report::TracePoint> trace;
  for (const engine::Checkpoint& checkpoint : checkpoints) {
    const std::uint64_t n = std::min(checkpoint.blocks * engine::kBlockSize, draws);
    if (n < draws) trace.push_back(point(n, checkpoint.moments[k]));
  }
  trace.push_back(point(draws, total));
  return trace;
}

std::vector<report::TracePoint> replicate_trace(std::span<const summary::Moments> replicates) {
  std::vector<report::TracePoint> trace;
  summary::Moments pooled;
  std::uint64_t draws = 0;
  for (std::size_t r = 0; r < replicates.size(); ++r) {
    pooled.append(replicates[r]);
    draws += replicates[r].count + replicates[r].non_finite;
    if (r == 0) continue;
    trace.push_back({draws, pooled.count > 0 ? pooled.mean : kNaN,
                     summary::replicate_mcse(replicates.first(r + 1))});
  }
  return trace;
}

std::vector<report::TracePoint> weighted_trace(std::span<const double> values,
                                               std::span<const double> weights,
                                               std::span<const std::uint64_t> bounds) {
  std::vector<report::TracePoint> trace;
  if (!bounds.empty()) {
    for (std::size_t r = 2; r < bounds.size(); ++r) {
      const std::size_t n = bounds[r];
      double sum = 0.0;
      double weighted = 0.0;
      for (std::size_t i = 0; i < n; ++i) {
        if (weights[i] > 0.0 && std::isfinite(values[i])) {
          sum += weights[i];
          weighted += weights[i] * values[i];
        }
      }
      const double mean = sum > 0.0 ? weighted / sum : kNaN;
      trace.push_back({n, mean,
                       sum > 0.0 ? summary::weighted_replicate_mcse(
                                       values.first(n), weights.first(n), bounds.first(r + 1), mean)
                                 : kNaN});
    }
    return trace;
  }
  // Sums about the overall mean, so that the variance does not cancel away in large values.
  double total = 0.0;
  double shift = 0.0;
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (weights[i] > 0.0 && std::isfinite(values[i])) {
      total += weights[i];
      shift += weights[i] * values[i];
    }
  }
  if (total > 0.0) shift /= total;
  double w = 0.0;
  double wx = 0.0;
  double w2 = 0.0;
  double w2x = 0.0;
  double w2x2 = 0.0;
  const auto add_point = [&](std::uint64_t n) {
    if (!(w > 0.0)) return;
    const double centred = wx / w;
    const double squares = std::max(0.0, w2x2 - 2.0 * centred * w2x + centred * centred * w2);
    trace.push_back({n, shift + centred, std::sqrt(squares) / w});
  };
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (weights[i] > 0.0 && std::isfinite(values[i])) {
      const double x = values[i] - shift;
      const double w_i = weights[i];
      w += w_i;
      wx += w_i * x;
      w2 += w_i * w_i;
      w2x += w_i * w_i * x;
      w2x2 += w_i * w_i * x * x;
    }
    const std::uint64_t n = i + 1;
    if (n < values.size() && n % engine::kBlockSize == 0 &&
        engine::is_checkpoint(n / engine::kBlockSize)) {
      add_point(n);
    }
  }
  add_point(values.size());
  return trace;
}

}  // namespace darkfigure::analysis::detail
