#pragma once

#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "darkfigure/summary/histogram.hpp"
#include "darkfigure/summary/moments.hpp"

namespace darkfigure::summary {

/// What the draws say about one quantity. Non-finite draws (NaN, +-inf) are excluded from every
/// statistic and counted in non_finite.
struct Summary {
  std::uint64_t count = 0;             ///< finite draws summarised
  std::uint64_t non_finite = 0;        ///< draws excluded because NaN or infinite
  double mean = 0.0;                   ///< mean of the finite draws
  double sd = 0.0;                     ///< sample standard deviation (n - 1 denominator)
  double mcse_mean = 0.0;              ///< Monte Carlo standard error of the mean: sd / sqrt(count)
  double min = 0.0;                    ///< smallest finite draw
  double max = 0.0;                    ///< largest finite draw
  std::vector<double> levels;          ///< the requested quantile levels, ascending
  std::vector<double> quantiles;       ///< quantiles[i] is the quantile at levels[i]
  std::vector<double> quantile_error;  ///< bound on |quantiles[i] - the exact sample quantile|
  bool binned = false;                 ///< quantiles come from a Histogram, not stored draws
  /// Effective sample size: count for equally weighted draws, Kish's (sum w)^2 / sum w^2 for
  /// importance-weighted ones (summarise_weighted).
  double ess = 0.0;
  /// Monte Carlo standard error of quantiles[i] (summary::quantile_mcse_levels); empty when not
  /// estimated.
  std::vector<double> quantile_mcse;
};

/// The standard error of the pooled mean of independent replicates of a randomised design
/// (Latin hypercube, Sobol), from the spread of their means rather than the i.i.d. formula,
/// which ignores the design's variance reduction: with n_r finite draws of mean m_r in replicate
/// r, N their sum, mu the pooled mean and R the number of replicates with finite draws,
/// z_r = R n_r (m_r - mu) / N and se^2 = sum_r z_r^2 / (R (R - 1)); for replicates of equal size,
/// the standard deviation of the replicate means over sqrt(R) (Owen 2013, Monte Carlo theory,
/// methods and examples, section 17.2). NaN with fewer than two replicates with finite draws.
double replicate_mcse(std::span<const Moments> replicates);

/// The levels whose quantiles lie one standard error below and above the quantile at `level`:
/// with S the effective sample size, the 15.87% and 84.13% quantiles (those of a standard normal
/// at -1 and 1) of Beta(S p + 1, S (1 - p) + 1), the distribution of the coverage of the sample
/// quantile. The quantile's Monte Carlo standard error is then (Q(high) - Q(low)) / 2, which needs
/// no density estimate and holds for weighted draws with S their Kish effective sample size
/// (Vehtari, Gelman, Simpson, Carpenter and Buerkner 2021, Rank-normalization, folding, and
/// localization, Bayesian Analysis 16(2), section 4.3). `level` in [0, 1], S > 0.
std::pair<double, double> quantile_mcse_levels(double level, double ess);

/// Levels with, for each of `levels`, the two of quantile_mcse_levels at `ess` beside it:
/// ascending and distinct, for one pass of quantile selection.
std::vector<double> with_mcse_levels(std::span<const double> levels, double ess);

/// Sets summary.quantile_mcse from a summary whose levels include with_mcse_levels(levels, ess),
/// and keeps only `levels` (and their quantiles and errors) in it.
void take_quantile_mcse(Summary& summary, std::span<const double> levels, double ess);

/// The quantile of a summary at `level`, which must be one of its levels.
double quantile_at(const Summary& summary, double level);

/// An order statistic, or where it lies when only its histogram bin is known.
struct OrderStatistic {
  double value = 0.0;  ///< the order statistic, or an estimate of it within [low, high]
  double low = 0.0;
  double high = 0.0;
};

/// The 0-based ranks among `count` finite values of the order statistics that type-7 quantiles
/// at `levels` use (Hyndman & Fan 1996: h = (n - 1) p, between ranks floor(h) and floor(h) + 1),
/// ascending and distinct. Each level must lie in [0, 1].
std::vector<std::uint64_t> quantile_ranks(std::uint64_t count, std::span<const double> levels);

/// The summary from the moments of the draws and the order statistics at `ranks`, which are
/// quantile_ranks(moments.count, levels). With no finite draw every statistic is NaN; with one,
/// sd and mcse_mean are NaN.
Summary summarise(const Moments& moments, std::span<const double> levels,
                  std::span<const std::uint64_t> ranks,
                  std::span<const OrderStatistic> order_statistics);

/// Exact order statistics of a column whose finite values are all 0 or 1, from the counts.
std::vector<OrderStatistic> zero_one_order_statistics(const Moments& moments,
                                                      std::span<const std::uint64_t> ranks);

/// Order statistics estimated from a histogram of the finite draws: each lies in its bin,
/// narrowed to [min, max], and is placed within the bin by its rank there.
std::vector<OrderStatistic> binned_order_statistics(const Histogram& histogram,
                                                    const Moments& moments,
                                                    std::span<const std::uint64_t> ranks);

/// Summarises a stored column: moments block by block in order, exact quantiles (type 7, the
/// default of R and NumPy) by selection. The levels may come in any order and are reported
/// ascending.
Summary summarise(std::span<const double> values, std::span<const double> levels);

/// The moments of a column taken kBlock values at a time, in order: the same figures as a run
/// that summarises its blocks of draws as they are made.
Moments block_moments(std::span<const double> values);

/// Values per block of block_moments; equal to the engine's block of draws.
inline constexpr std::size_t kBlock = 4096;

}  // namespace darkfigure::summary
