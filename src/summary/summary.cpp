#include "darkfigure/summary/summary.hpp"

#include <algorithm>
#include <boost/math/distributions/beta.hpp>
#include <cmath>
#include <cstddef>
#include <limits>
#include <vector>

#include "darkfigure/core/error.hpp"
#include "darkfigure/summary/selection.hpp"

namespace darkfigure::summary {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Type 7 (Hyndman & Fan 1996): h = (n - 1) p, Q(p) = x[floor h] + (h - floor h) (x[floor h + 1]
// - x[floor h]) with 0-based order statistics x[].
struct Position {
  std::uint64_t rank;
  double fraction;  ///< 0 when x[rank] alone is the quantile
};

Position position(std::uint64_t count, double level) {
  const double h = static_cast<double>(count - 1) * level;
  const double floor_h = std::floor(h);
  const auto rank = static_cast<std::uint64_t>(floor_h);
  const double fraction = rank + 1 == count ? 0.0 : h - floor_h;
  return {rank, fraction};
}

std::vector<double> sorted_levels(std::span<const double> levels) {
  std::vector<double> sorted(levels.begin(), levels.end());
  for (const double level : sorted)
    DARKFIGURE_CHECK(level >= 0.0 && level <= 1.0);
  std::sort(sorted.begin(), sorted.end());
  return sorted;
}

}  // namespace

std::vector<std::uint64_t> quantile_ranks(std::uint64_t count, std::span<const double> levels) {
  std::vector<std::uint64_t> ranks;
  if (count == 0) return ranks;
  for (const double level : levels) {
    DARKFIGURE_CHECK(level >= 0.0 && level <= 1.0);
    const Position at = position(count, level);
    ranks.push_back(at.rank);
    if (at.fraction != 0.0) ranks.push_back(at.rank + 1);
  }
  std::sort(ranks.begin(), ranks.end());
  ranks.erase(std::unique(ranks.begin(), ranks.end()), ranks.end());
  return ranks;
}

Summary summarise(const Moments& moments, std::span<const double> levels,
                  std::span<const std::uint64_t> ranks,
                  std::span<const OrderStatistic> order_statistics) {
  DARKFIGURE_CHECK(ranks.size() == order_statistics.size());
  Summary result;
  result.levels = sorted_levels(levels);
  result.count = moments.count;
  result.non_finite = moments.non_finite;
  result.ess = static_cast<double>(moments.count);
  if (moments.count == 0) {
    result.mean = result.sd = result.mcse_mean = result.min = result.max = kNaN;
    result.quantiles.assign(result.levels.size(), kNaN);
    result.quantile_error.assign(result.levels.size(), kNaN);
    return result;
  }
  result.mean = moments.mean + moments.mean_low;
  result.min = moments.min;
  result.max = moments.max;
  result.sd = std::sqrt(moments.variance());
  result.mcse_mean = result.sd / std::sqrt(static_cast<double>(moments.count));

  const auto at_rank = [&](std::uint64_t rank) -> const OrderStatistic& {
    const auto found = std::lower_bound(ranks.begin(), ranks.end(), rank);
    DARKFIGURE_CHECK(found != ranks.end() && *found == rank);
    return order_statistics[static_cast<std::size_t>(found - ranks.begin())];
  };
  for (const double level : result.levels) {
    const Position at = position(moments.count, level);
    const OrderStatistic& lower = at_rank(at.rank);
    if (at.fraction == 0.0) {
      result.quantiles.push_back(lower.value);
      result.quantile_error.push_back(std::max(lower.value - lower.low, lower.high - lower.value));
      continue;
    }
    const OrderStatistic& upper = at_rank(at.rank + 1);
    const double value = std::lerp(lower.value, upper.value, at.fraction);
    const double low = std::lerp(lower.low, upper.low, at.fraction);
    const double high = std::lerp(lower.high, upper.high, at.fraction);
    result.quantiles.push_back(value);
    result.quantile_error.push_back(std::max({value - low, high - value, 0.0}));
  }
  return result;
}

std::vector<OrderStatistic> zero_one_order_statistics(const Moments& moments,
                                                      std::span<const std::uint64_t> ranks) {
  DARKFIGURE_CHECK(moments.zero_one());
  std::vector<OrderStatistic> result;
  for (const std::uint64_t rank : ranks) {
    const double x = rank < moments.zeros ? 0.0 : 1.0;
    result.push_back({x, x, x});
  }
  return result;
}

std::vector<OrderStatistic> binned_order_statistics(const Histogram& histogram,
                                                    const Moments& moments,
                                                    std::span<const std::uint64_t> ranks) {
  DARKFIGURE_CHECK(histogram.count() == moments.count);
  std::vector<OrderStatistic> result;
  for (const std::uint64_t rank : ranks) {
    if (rank == 0 || rank + 1 == moments.count) {
      const double x = rank == 0 ? moments.min : moments.max;
      result.push_back({x, x, x});
      continue;
    }
    const Histogram::Location bin = histogram.locate(rank);
    const double low = std::max(bin.low, moments.min);
    const double high = std::min(bin.high, moments.max);
    // The bin's values taken as evenly spread: the rank-th of them sits at its share of the bin.
    const double share =
        (static_cast<double>(bin.before_in_bin) + 0.5) / static_cast<double>(bin.in_bin);
    result.push_back({low + share * (high - low), low, high});
  }
  return result;
}

Moments block_moments(std::span<const double> values) {
  Moments total;
  for (std::size_t first = 0; first < values.size(); first += kBlock) {
    total.append(Moments::of(values.subspan(first, std::min(kBlock, values.size() - first))));
  }
  return total;
}

Summary summarise(std::span<const double> values, std::span<const double> levels) {
  const Moments moments = block_moments(values);
  const std::vector<std::uint64_t> ranks = quantile_ranks(moments.count, levels);
  const RankSelection selection(values, moments, ranks);
  std::vector<RankSelection::Partial> partials = {selection.scan(values)};
  std::vector<OrderStatistic> order_statistics;
  for (const double x : selection.finish(partials))
    order_statistics.push_back({x, x, x});
  return summarise(moments, levels, ranks, order_statistics);
}

double replicate_mcse(std::span<const Moments> replicates) {
  double draws = 0.0;
  double total = 0.0;
  double used = 0.0;
  for (const Moments& replicate : replicates) {
    if (replicate.count == 0) continue;
    draws += static_cast<double>(replicate.count);
    total += static_cast<double>(replicate.count) * replicate.mean;
    used += 1.0;
  }
  if (used < 2.0) return std::numeric_limits<double>::quiet_NaN();
  const double mean = total / draws;
  double sum = 0.0;
  for (const Moments& replicate : replicates) {
    if (replicate.count == 0) continue;
    const double z = used * static_cast<double>(replicate.count) * (replicate.mean - mean) / draws;
    sum += z * z;
  }
  return std::sqrt(sum / (used * (used - 1.0)));
}

std::pair<double, double> quantile_mcse_levels(double level, double ess) {
  DARKFIGURE_CHECK(level >= 0.0 && level <= 1.0 && ess > 0.0);
  // The standard normal's cdf at -1 and 1.
  constexpr double kBelow = 0.15865525393145707;
  constexpr double kAbove = 0.8413447460685429;
  const boost::math::beta_distribution<double> coverage(ess * level + 1.0,
                                                        ess * (1.0 - level) + 1.0);
  return {boost::math::quantile(coverage, kBelow), boost::math::quantile(coverage, kAbove)};
}

std::vector<double> with_mcse_levels(std::span<const double> levels, double ess) {
  std::vector<double> extended(levels.begin(), levels.end());
  for (const double level : levels) {
    const auto [below, above] = quantile_mcse_levels(level, ess);
    extended.push_back(below);
    extended.push_back(above);
  }
  std::sort(extended.begin(), extended.end());
  extended.erase(std::unique(extended.begin(), extended.end()), extended.end());
  return extended;
}

namespace {

std::size_t level_index(const Summary& summary, double level) {
  const auto found = std::lower_bound(summary.levels.begin(), summary.levels.end(), level);
  DARKFIGURE_CHECK(found != summary.levels.end() && *found == level);
  return static_cast<std::size_t>(found - summary.levels.begin());
}

}  // namespace

double quantile_at(const Summary& summary, double level) {
  return summary.quantiles[level_index(summary, level)];
}

void take_quantile_mcse(Summary& summary, std::span<const double> levels, double ess) {
  std::vector<double> quantiles;
  std::vector<double> errors;
  std::vector<double> mcse;
  for (const double level : levels) {
    const std::size_t i = level_index(summary, level);
    quantiles.push_back(summary.quantiles[i]);
    errors.push_back(summary.quantile_error[i]);
    if (ess > 0.0) {
      const auto [below, above] = quantile_mcse_levels(level, ess);
      mcse.push_back((quantile_at(summary, above) - quantile_at(summary, below)) / 2.0);
    } else {
      mcse.push_back(std::numeric_limits<double>::quiet_NaN());
    }
  }
  summary.levels.assign(levels.begin(), levels.end());
  summary.quantiles = std::move(quantiles);
  summary.quantile_error = std::move(errors);
  summary.quantile_mcse = std::move(mcse);
}

}  // namespace darkfigure::summary
