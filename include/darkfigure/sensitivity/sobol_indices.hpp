#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "darkfigure/random/stream.hpp"

namespace darkfigure::sensitivity {

/// A two-sided confidence interval.
struct Interval {
  double lower = 0.0;
  double upper = 0.0;
};

/// How the confidence intervals of the indices are found: the percentile bootstrap over the base
/// draws, whose resample r takes its indices from the stream `key` with block r.
struct Bootstrap {
  std::uint32_t resamples = 1000;
  double level = 0.95;  ///< in (0, 1)
  random::StreamKey key;
};

/// The model's values at the draws of a Saltelli design of base size N: A and B are independent
/// samples of the inputs, and A_B^i is A with column i taken from B.
struct PickFreeze {
  std::span<const double> a;  ///< f(A_j), j < N
  std::span<const double> b;  ///< f(B_j), j < N
  /// Per input i: f(A_B^i_j), j < N.
  std::vector<std::span<const double>> ab;
};

/// The first-order and total Sobol indices of one input, with their bootstrap intervals.
struct SobolIndex {
  double first = 0.0;
  double total = 0.0;
  Interval first_ci;
  Interval total_ci;
};

struct SobolIndices {
  std::vector<SobolIndex> inputs;  ///< in the order of PickFreeze::ab
  double variance = 0.0;           ///< the output's variance over the 2N draws of A and B
};

/// First-order indices by Saltelli et al. (2010), V_i = mean_j f(B_j) (f(A_B^i_j) - f(A_j)), and
/// total indices by Jansen (1999), V_Ti = mean_j (f(A_j) - f(A_B^i_j))^2 / 2, each divided by the
/// variance of the 2N values of f(A) and f(B). The intervals are percentile bootstrap intervals
/// that resample the base draws j (the same j for every input, so the indices of one resample
/// come from one set of draws). Every value must be finite, N at least 2 and below 2^32, the
/// output must vary, and the columns have one length: std::invalid_argument otherwise.
SobolIndices sobol_indices(const PickFreeze& values, const Bootstrap& bootstrap);

/// Intervals wider than this cannot tell apart inputs whose shares differ by less: a tenth of the
/// variance is the coarsest ranking a report would state.
inline constexpr double kWideInterval = 0.1;

/// What makes indices too noisy to rank the inputs, each a sentence naming the input (from
/// `names`, in the order of the indices) and what to do: a first-order index whose interval lies
/// wholly below 0, a total index whose interval lies wholly above 1, a first-order index whose
/// interval lies wholly above the total's, and, for an input none of these flags, an interval
/// wider than kWideInterval (the wider of its two). Empty when none is found.
std::vector<std::string> sobol_warnings(const SobolIndices& indices,
                                        std::span<const std::string> names);

}  // namespace darkfigure::sensitivity
