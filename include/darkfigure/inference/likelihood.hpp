#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace darkfigure::inference {

/// A likelihood family of [[observe]]: the distribution of an observed value given the draw's
/// parameters, as `darkfigure list likelihoods` prints it.
struct LikelihoodFamily {
  std::string_view name;       ///< "poisson"
  std::string_view signature;  ///< "poisson(mean)"
  std::string_view doc;        ///< one line: what the value is and what the parameters mean
  std::size_t arity;           ///< number of parameters
  bool discrete;               ///< the value is a count
};

/// Every family, in the order `darkfigure list likelihoods` prints them: poisson(mean),
/// binomial(n, p), normal(mean, sd), negbinomial(mean, dispersion), beta(alpha, beta),
/// lognormal(mu, sigma).
std::span<const LikelihoodFamily> likelihood_families() noexcept;

/// The family called `name`, or nullptr.
const LikelihoodFamily* find_likelihood(std::string_view name) noexcept;

/// Why `value` can never be observed under `family`, whatever the parameters, as the end of a
/// sentence ("must be a whole number of at least 0", "must lie strictly between 0 and 1");
/// empty when it can be.
std::string value_problem(const LikelihoodFamily& family, double value);

/// What a pass over the draws saw.
struct LikelihoodTally {
  /// Draws whose parameters are NaN, infinite or outside the family's domain (a negative mean,
  /// p above 1, sd of 0): their log-likelihood is -inf.
  std::uint64_t invalid = 0;
  /// Draws with valid parameters under which some value is impossible (log-likelihood -inf).
  std::uint64_t impossible = 0;
};

/// Adds to out[i] the log-likelihood of all `values` (independent observations) under the family
/// with parameters parameters[0][i], ..., parameters[arity - 1][i], for i < out.size(). Each
/// parameter column holds at least out.size() values. Log densities come from Boost.Math through
/// the distributions module and stay finite where the density underflows. A draw with invalid
/// parameters gets -inf. Never throws.
LikelihoodTally add_log_likelihood(const LikelihoodFamily& family, std::span<const double> values,
                                   std::span<const double* const> parameters,
                                   std::span<double> out);

/// The mid-distribution function of `value` under each draw's parameters: P(Y < value) +
/// P(Y = value) / 2 for a count, P(Y <= value) for a continuous family; NaN for a draw with
/// invalid parameters. Averaged over prior draws it is the prior predictive mid-distribution
/// function, whose tails show a conflict between an observation and the model.
void predictive_cdf(const LikelihoodFamily& family, double value,
                    std::span<const double* const> parameters, std::span<double> out);

}  // namespace darkfigure::inference
