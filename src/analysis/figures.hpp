#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "darkfigure/engine/engine.hpp"
#include "darkfigure/report/result.hpp"
#include "darkfigure/summary/histogram.hpp"
#include "darkfigure/summary/moments.hpp"

namespace darkfigure::analysis::detail {

/// The quantile levels that bound a display histogram: the central 99.8% of the draws.
inline constexpr double kDisplayLow = 0.001;
inline constexpr double kDisplayHigh = 0.999;

/// A histogram for display of the finite values over [low, high] (report::kDisplayBins bins),
/// each value counted with its weight (`weights` empty: all equal; else one per value, and
/// values of weight 0 are left out); nullopt unless low < high and some finite value has weight.
std::optional<report::DisplayHistogram> display_histogram(std::span<const double> values,
                                                          std::span<const double> weights,
                                                          double low, double high);

/// The same from the counts of a summary::Histogram: each of its bins (at most 2^-12 wide
/// relative to its values) counts in the display bin that holds its midpoint.
std::optional<report::DisplayHistogram> display_histogram(const summary::Histogram& histogram,
                                                          double low, double high);

/// The running mean of output `k` at each checkpoint of an equally weighted Monte Carlo run of
/// `draws` draws, with its i.i.d. standard error, ending with `total` (all draws).
std::vector<report::TracePoint> checkpoint_trace(std::span<const engine::Checkpoint> checkpoints,
                                                 std::size_t k, std::uint64_t draws,
                                                 const summary::Moments& total);

/// The pooled mean of the first r replicates of a design and its standard error from their spread
/// (summary::replicate_mcse), for r = 2 to all of them.
std::vector<report::TracePoint> replicate_trace(std::span<const summary::Moments> replicates);

/// The self-normalised weighted mean of the first n draws, with its delta-method standard error
/// sqrt(sum w^2 (x - mean)^2) / sum w (summary::summarise_weighted), at every n = blocks x 4096
/// for which engine::is_checkpoint(blocks), and at all draws. Draws of weight 0 and non-finite
/// values are left out, as the weighted summary leaves them out. With `bounds` (the first draw of
/// each replicate of a design and the end), instead after each whole replicate from the second,
/// with the error from the replicates' spread (summary::weighted_replicate_mcse).
std::vector<report::TracePoint> weighted_trace(std::span<const double> values,
                                               std::span<const double> weights,
                                               std::span<const std::uint64_t> bounds);

}  // namespace darkfigure::analysis::detail
