#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "darkfigure/random/stream.hpp"

namespace darkfigure::estimators::detail {

/// The random stream of a data set's parametric bootstrap: keyed by the seed and the data set's
/// name, so that each data set's resamples are its own whatever else the file holds.
random::Stream bootstrap_stream(std::uint64_t seed, std::string_view name);

/// The most people a bootstrap table may hold: the binomial sampler's limit.
inline constexpr double kMaxBootstrapTotal = 1e12;

/// One multinomial draw of `total` people into cells with probabilities `probabilities` (summing
/// to 1 up to rounding), as successive binomials: cell i gets Binomial(remaining, p_i / (mass
/// left)). `counts` has the size of `probabilities`. Throws EstimationError when `total` exceeds
/// kMaxBootstrapTotal.
void multinomial(random::Stream& stream, double total, std::span<const double> probabilities,
                 std::span<double> counts);

}  // namespace darkfigure::estimators::detail
