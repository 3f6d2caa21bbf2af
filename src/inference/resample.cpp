#include "darkfigure/inference/resample.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <stdexcept>

#include "darkfigure/core/error.hpp"

namespace darkfigure::inference {
namespace {

/// Checks that the weights are finite, at least 0 and not all 0, and returns them times a power of
/// 2 that brings the largest near 1 (into [1, 2) unless it is beyond 2^+-1000), so that no sum of
/// them can overflow. Scaling by a power of 2 is exact, so the draws taken do not change.
std::vector<double> scaled_weights(std::span<const double> weights) {
  if (weights.empty()) throw std::invalid_argument("resample: there are no weights to draw from");
  double largest = 0.0;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    if (!std::isfinite(weights[i]) || weights[i] < 0.0) {
      std::ostringstream message;
      message << "resample: weight " << i << " is " << weights[i]
              << ", but weights must be finite and at least 0";
      throw std::invalid_argument(message.str());
    }
    largest = std::max(largest, weights[i]);
  }
  if (largest == 0.0) throw std::invalid_argument("resample: every weight is 0");
  const double scale = std::ldexp(1.0, -std::clamp(std::ilogb(largest), -1000, 1000));
  std::vector<double> scaled(weights.size());
  for (std::size_t i = 0; i < weights.size(); ++i)
    scaled[i] = weights[i] * scale;
  return scaled;
}

/// The index of the last positive weight.
std::size_t last_positive(const std::vector<double>& weights) {
  std::size_t last = weights.size() - 1;
  while (weights[last] == 0.0)
    --last;
  return last;
}

/// For k = 0 .. count - 1, passes to `take` the index i whose interval [sum before i, sum through
/// i) of the running sum of `weights` in index order holds target(k), which ascends with k and
/// lies in [0, total). A target that rounding has put at or beyond the total goes to the last
/// positive weight, so a zero weight is never taken.
template <typename Targets, typename Take>
void sweep(const std::vector<double>& weights, std::uint64_t count, Targets target, Take take) {
  const std::size_t last = last_positive(weights);
  std::size_t i = 0;
  double through = weights[0];
  for (std::uint64_t k = 0; k < count; ++k) {
    const double position = target(k);
    while (through <= position && i < last)
      through += weights[++i];
    take(i);
  }
}

/// The sum in index order with Neumaier's compensation: for nonnegative weights within a relative
/// 2 eps + O(n eps^2) of the exact sum (eps = 2^-53), where a plain sum is only within (n - 1) eps.
double compensated_sum(const std::vector<double>& weights) {
  double sum = 0.0;
  double compensation = 0.0;
  for (const double w : weights) {
    const double next = sum + w;
    compensation += sum >= w ? (sum - next) + w : (w - next) + sum;
    sum = next;
  }
  return sum + compensation;
}

/// Systematic resampling (Kitagawa 1996): one uniform u, then the draws at (u + k) / count of
/// the total weight.
std::vector<std::uint64_t> systematic(const std::vector<double>& weights, std::uint64_t count,
                                      random::Stream& stream) {
  double total = 0.0;
  for (const double w : weights)
    total += w;
  const double step = total / static_cast<double>(count);
  const double u = stream.uniform();
  std::vector<std::uint64_t> indices;
  indices.reserve(count);
  sweep(
      weights, count, [&](std::uint64_t k) { return (u + static_cast<double>(k)) * step; },
      [&](std::size_t i) { indices.push_back(i); });
  return indices;
}

/// Residual resampling (Liu and Chen 1998): floor(count w) copies of each draw, the remaining
/// ones by multinomial sampling on the residual weights count w - floor(count w), through
/// ascending uniforms swept along their running sum.
std::vector<std::uint64_t> residual(const std::vector<double>& weights, std::uint64_t count,
                                    random::Stream& stream) {
  // With the total within a relative 2 eps, the expected copies add to at most count (1 + 4 eps),
  // so their floors add to at most count for any count below 2^51.
  const double per_weight = static_cast<double>(count) / compensated_sum(weights);
  std::vector<std::uint64_t> copies(weights.size());
  std::vector<double> residuals(weights.size());
  std::uint64_t assigned = 0;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    const double expected = weights[i] * per_weight;
    const double whole = std::floor(expected);
    copies[i] = static_cast<std::uint64_t>(whole);
    residuals[i] = expected - whole;
    assigned += copies[i];
  }
  DARKFIGURE_CHECK(assigned <= count);

  const std::uint64_t remaining = count - assigned;
  if (remaining > 0) {
    double residual_total = 0.0;
    for (const double r : residuals)
      residual_total += r;
    DARKFIGURE_CHECK(residual_total > 0.0);
    std::vector<double> uniforms(remaining);
    for (double& u : uniforms)
      u = stream.uniform();
    std::sort(uniforms.begin(), uniforms.end());
    sweep(
        residuals, remaining,
        [&](std::uint64_t k) { return uniforms[static_cast<std::size_t>(k)] * residual_total; },
        [&](std::size_t i) { ++copies[i]; });
  }

  std::vector<std::uint64_t> indices;
  indices.reserve(count);
  for (std::size_t i = 0; i < copies.size(); ++i)
    indices.insert(indices.end(), copies[i], i);
  return indices;
}

}  // namespace

std::vector<std::uint64_t> resample(std::span<const double> weights, std::uint64_t count,
                                    ResampleMethod method, random::Stream& stream) {
  const std::vector<double> scaled = scaled_weights(weights);
  if (count == 0) return {};
  switch (method) {
    case ResampleMethod::systematic:
      return systematic(scaled, count, stream);
    case ResampleMethod::residual:
      return residual(scaled, count, stream);
  }
  throw std::invalid_argument("resample: unknown method");
}

std::string_view resample_method_name(ResampleMethod method) noexcept {
  return method == ResampleMethod::systematic ? "systematic" : "residual";
}

std::optional<ResampleMethod> find_resample_method(std::string_view name) noexcept {
  for (const ResampleMethod method : {ResampleMethod::systematic, ResampleMethod::residual}) {
    if (resample_method_name(method) == name) return method;
  }
  return std::nullopt;
}

}  // namespace darkfigure::inference
