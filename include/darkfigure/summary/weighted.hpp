#pragma once

#include <cstdint>
#include <span>

#include "darkfigure/summary/summary.hpp"

namespace darkfigure::summary {

/// Kish's effective sample size of importance weights, (sum w)^2 / sum w^2; 0 when every weight
/// is 0. The weights need not be normalised.
double effective_sample_size(std::span<const double> weights);

/// Summarises draws that carry importance weights (finite, at least 0, not normalised). Draws of
/// weight 0 are left out; a draw of positive weight whose value is NaN or infinite is excluded
/// and counted in non_finite. With weights w normalised over the rest:
///
/// - mean: sum w x; sd: sqrt(sum w (x - mean)^2 / (1 - sum w^2)) (reliability weights, the
///   sample sd when the weights are equal);
/// - mcse_mean: sqrt(sum w^2 (x - mean)^2), the delta-method standard error of a
///   self-normalised importance sampling estimate (Owen 2013, Monte Carlo theory, methods and
///   examples, section 9.2);
/// - quantiles: a weighted type 7. Sorted by value, draw j sits at c_j = (sum of the weights before
///   it) + w_j / 2, rescaled so that the first is at 0 and the last at 1; the quantile at level p
///   interpolates linearly between the draws around p. With equal weights this is type 7 exactly.
/// - ess: effective_sample_size of the draws summarised.
///
/// count is the number of draws summarised. With no such draw every statistic is NaN. Sums run
/// in index order, so the result depends only on the values and weights.
Summary summarise_weighted(std::span<const double> values, std::span<const double> weights,
                           std::span<const double> levels);

/// The standard error of the self-normalised weighted mean `mean` from independent replicates of
/// a randomised design, replicate r holding draws bounds[r] to bounds[r + 1] - 1: with W the sum
/// of the weights of the draws summarised (as summarise_weighted counts them) and R the number
/// of replicates holding any of them, z_r = R sum_{i in r} w_i (x_i - mean) / W and
/// se^2 = sum_r z_r^2 / (R (R - 1)), the linearised variance of a ratio estimator with the
/// replicates as independent units (Wolter 2007, Introduction to variance estimation, ch. 6).
/// Equal weights and sizes give the standard deviation of the replicate means over sqrt(R). NaN
/// with fewer than two such replicates.
double weighted_replicate_mcse(std::span<const double> values, std::span<const double> weights,
                               std::span<const std::uint64_t> bounds, double mean);

}  // namespace darkfigure::summary
