#pragma once

#include <memory>
#include <span>

#include "darkfigure/distributions/distribution.hpp"

namespace darkfigure::distributions {

/// A fast inverse of a distribution's cdf, for the sampling designs that turn uniforms into values
/// (Latin hypercube, Sobol). Built once per distribution and run; immutable, safe to share between
/// threads, cheap to copy (the tables are shared).
///
/// Where Distribution::quantile has a closed form or is fast it is used as is. Where Boost.Math's
/// inversion is slow (beta, beta_mean_sd, pert, gamma: 1 to 25 us a value) a table of cubic
/// Hermite pieces of the inverse cdf is built, refined until the u-error |F(x(u)) - u| stays below
/// kUError (Hormann and Leydold 2003, "Continuous random variate generation by fast numerical
/// inversion", ACM TOMACS 13(4)): about 10 ns a value. The far tails (u below 1e-10 or above
/// 1 - 1e-10) and the few pieces that cannot reach the tolerance use the exact quantile. Where an
/// ulp of x moves F by more than kUError (near 1 for beta(0.05, 0.05), whose 95th percentile lies
/// within 1e-20 of 1) no double meets the tolerance; x(u) is then within two ulps of the true
/// quantile (u in [F(x--), F(x++)]), mostly the nearest double. Shapes the table cannot follow
/// within its budget get no table and use quantile() throughout: shape parameters below about 0.04,
/// whose values span hundreds of decades, or above about 5e6, where Boost.Math's cdf and density
/// lose digits.
///
/// Discrete families (poisson, binomial, negbinomial) use a table of their exact cdf with a guide
/// table (Chen and Asau 1974): their results equal quantile(), which they fall back to beyond the
/// tails and where the counts between them are more than 65536 (poisson(1e12)).
///
///     const InverseCdf inverse(Distribution::make("beta", std::vector<Argument>{4.0, 16.0}));
///     inverse(0.5);               // beta(4, 16)'s median, within kUError in probability
///     inverse.transform(column);  // uniforms in (0, 1) -> values, in place
///
/// u = 0, u = 1, u outside [0, 1] and NaN give what quantile() gives: the ends of the support, and
/// NaN. Values ascend with u: between pieces and into the tails by construction, within a piece
/// up to the rounding of its cubic.
class InverseCdf {
 public:
  /// The largest |F(x(u)) - u| the tables allow.
  static constexpr double kUError = 1e-12;

  /// Builds the table of a slow family from Boost.Math's cdf and density: 2 to 120 ms for the usual
  /// shapes (pert and non-integer beta shapes are the slow ones), at most 2^16 evaluations.
  explicit InverseCdf(Distribution distribution);

  /// The value at probability u in (0, 1).
  double operator()(double u) const;
  /// Replaces each uniform in (0, 1) by its value.
  void transform(std::span<double> values) const;

  const Distribution& distribution() const noexcept { return distribution_; }

 private:
  struct HermiteTable;
  struct CountTable;

  Distribution distribution_;
  /// The cubic pieces of a slow continuous family; null otherwise.
  std::shared_ptr<const HermiteTable> hermite_;
  /// The cdf at each count of a slow discrete family; null otherwise, and where the counts between
  /// the tails are too many to tabulate (poisson(1e12)).
  std::shared_ptr<const CountTable> counts_;
};

}  // namespace darkfigure::distributions
