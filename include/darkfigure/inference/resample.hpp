#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "darkfigure/random/stream.hpp"

namespace darkfigure::inference {

/// How equally weighted draws are taken from weighted ones.
enum class ResampleMethod {
  /// One uniform u, then the draws at cumulative weight (u + k) / count, k = 0 .. count - 1
  /// (Kitagawa 1996): each draw is kept floor(count w) or ceil(count w) times.
  systematic,
  /// floor(count w) copies of each draw, the remaining ones by multinomial sampling on the
  /// residual weights (Liu and Chen 1998).
  residual,
};

/// The method's name in scenario files and reports: "systematic" or "residual".
std::string_view resample_method_name(ResampleMethod method) noexcept;

/// The method called `name`, or nullopt.
std::optional<ResampleMethod> find_resample_method(std::string_view name) noexcept;

/// The indices of `count` draws taken with probabilities proportional to `weights` (finite and
/// at least 0, not all 0), in ascending order, with numbers from `stream`. Sums run in index
/// order, so the result depends only on the weights and the stream.
std::vector<std::uint64_t> resample(std::span<const double> weights, std::uint64_t count,
                                    ResampleMethod method, random::Stream& stream);

}  // namespace darkfigure::inference
