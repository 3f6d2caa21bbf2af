#pragma once

#include <cstdint>
#include <span>

namespace darkfigure::summary {

/// Count, mean, sum of squared deviations and range of the finite values of a column, built a
/// block at a time and combined in a fixed order, so that the same blocks combined in the same
/// order give the same bits on any number of threads. Non-finite values (NaN, +-inf) are skipped
/// and counted.
///
///     Moments all;
///     for (std::span<const double> block : blocks) all.append(Moments::of(block));
///     all.mean(); all.sd();
struct Moments {
  std::uint64_t count = 0;       ///< finite values
  std::uint64_t non_finite = 0;  ///< values skipped because NaN or infinite
  std::uint64_t zeros = 0;       ///< finite values equal to 0
  std::uint64_t ones = 0;        ///< finite values equal to 1
  double mean = 0.0;             ///< of the finite values; 0 while count is 0
  double mean_low = 0.0;         ///< the rounding error of mean's last addition
  double m2 = 0.0;               ///< sum of squared deviations from the mean
  double min = 0.0;              ///< smallest finite value; 0 while count is 0
  double max = 0.0;              ///< largest finite value; 0 while count is 0

  /// The moments of one block. The mean is taken of the deviations from the block's first finite
  /// value, so values near 1e9 that differ in their last digits keep those digits, and it carries
  /// the rounding error of its last addition, so that blocks combine without losing them; the sum
  /// of squares is the corrected two-pass one (Chan, Golub & LeVeque, "Algorithms for computing the
  /// sample variance", Am. Stat. 37, 1983, eq. 1.7). Values more than the largest double apart
  /// still get their mean; their sum of squares is then infinite.
  static Moments of(std::span<const double> values) noexcept;

  /// Appends the moments of the values that follow, by the pairwise update of Chan, Golub &
  /// LeVeque (1979, "Updating formulae and a pairwise algorithm for computing sample variances").
  void append(const Moments& next) noexcept;

  /// The sample variance with the n - 1 denominator: NaN below two finite values.
  double variance() const noexcept;

  /// Every finite value is 0 or 1.
  bool zero_one() const noexcept { return zeros + ones == count; }
};

}  // namespace darkfigure::summary
