#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace darkfigure::summary {

/// What a column of draws says about one quantity. Non-finite draws (NaN, +-inf) are excluded
/// from every statistic and counted in non_finite.
struct Summary {
  std::uint64_t count = 0;        ///< finite draws summarised
  std::uint64_t non_finite = 0;   ///< draws excluded because NaN or infinite
  double mean = 0.0;              ///< mean of the finite draws (compensated summation)
  double sd = 0.0;                ///< sample standard deviation (n - 1 denominator)
  double mcse_mean = 0.0;         ///< Monte Carlo standard error of the mean: sd / sqrt(count)
  double min = 0.0;               ///< smallest finite draw
  double max = 0.0;               ///< largest finite draw
  std::vector<double> levels;     ///< the requested quantile levels, ascending
  std::vector<double> quantiles;  ///< quantiles[i] is the quantile at levels[i]
};

/// Summarises a column of draws. Quantiles are exact sample quantiles of the stored draws with
/// linear interpolation between order statistics (Hyndman-Fan type 7, the default of R and
/// NumPy), found by selection rather than a full sort. `values` is reordered. Each level must lie
/// in [0, 1]; the levels may come in any order and are reported ascending.
/// With no finite draw every statistic is NaN; with one, sd and mcse_mean are NaN.
Summary summarise(std::span<double> values, std::span<const double> levels);

}  // namespace darkfigure::summary
