#pragma once

// The obvious implementations the summary's quantiles are checked against: a full sort.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <iterator>
#include <span>
#include <vector>

namespace darkfigure::summary::testing {

/// Quantile levels from the extreme tails to the centre, ascending.
inline const std::vector<double> kManyLevels = [] {
  std::vector<double> levels = {0.0,  0.0001, 0.001, 0.025, 0.05,  0.1,    0.25, 0.5,
                                0.75, 0.9,    0.95,  0.975, 0.999, 0.9999, 1.0};
  for (int i = 1; i < 100; i += 7)
    levels.push_back(i / 100.0);
  std::sort(levels.begin(), levels.end());
  return levels;
}();

/// The finite values, sorted.
inline std::vector<double> sorted_finite(std::span<const double> values) {
  std::vector<double> sorted;
  std::copy_if(values.begin(), values.end(), std::back_inserter(sorted),
               [](double x) { return std::isfinite(x); });
  std::sort(sorted.begin(), sorted.end());
  return sorted;
}

/// The type-7 quantile (Hyndman & Fan 1996) of sorted values.
inline double sorted_quantile(const std::vector<double>& sorted, double level) {
  const std::size_t n = sorted.size();
  const double h = static_cast<double>(n - 1) * level;
  const auto rank = static_cast<std::size_t>(std::floor(h));
  const double fraction = h - std::floor(h);
  return fraction == 0.0 || rank + 1 == n ? sorted[rank]
                                          : std::lerp(sorted[rank], sorted[rank + 1], fraction);
}

}  // namespace darkfigure::summary::testing
