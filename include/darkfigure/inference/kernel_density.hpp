#pragma once

#include <cstddef>
#include <span>
#include <vector>

namespace darkfigure::inference {

/// A Gaussian kernel density estimate of a sample: the induced prior density of a derived
/// quantity in Bayesian melding.
///
///     const KernelDensity density(prevalence_column);
///     density.bandwidth();                   // Silverman's rule of thumb
///     density.log_density(column, out);      // log f_hat at each value
///
/// f_hat(x) = 1 / (n h) sum_i phi((x - x_i) / h), with h from Silverman's rule of thumb,
/// h = 0.9 min(sd, IQR / 1.34) n^(-1/5) (sd alone where the IQR is 0). The sample is binned
/// linearly onto a grid of spacing h / kGridPerBandwidth and the kernel cut at kCutoff
/// bandwidths; between nodes the estimate is interpolated linearly. Binning and interpolation
/// each move a kernel by at most (spacing^2 / 8) phi'', so the estimate stays within a relative
/// (u^2 - 1) / (4 kGridPerBandwidth^2) of the exact sum at u bandwidths from a lone sample value:
/// below 1e-3 wherever the density exceeds 1e-3 of its largest value (u < 3.72). Only occupied
/// nodes are stored, so the cost grows with the number of values, not with their range, and a
/// query costs the same whatever n.
class KernelDensity {
 public:
  static constexpr std::size_t kGridPerBandwidth = 64;
  static constexpr double kCutoff = 6.0;

  /// Estimates the density of the finite values of `sample` (NaN and infinities are skipped).
  /// Needs at least two distinct finite values; throws std::invalid_argument otherwise.
  explicit KernelDensity(std::span<const double> sample);

  double bandwidth() const noexcept { return bandwidth_; }
  /// Finite values the estimate is made of.
  std::size_t count() const noexcept { return count_; }

  /// log f_hat(x): finite within kCutoff bandwidths of a sample value, -inf farther than
  /// kCutoff + 2 / kGridPerBandwidth bandwidths from every one (and at x = +-inf); NaN at NaN.
  double log_density(double x) const;
  /// log f_hat at each of `x`, into `out` (same size); fast for many values.
  void log_density(std::span<const double> x, std::span<double> out) const;

 private:
  double node_density_sum(long long node) const;
  double far_sum(double x) const;

  double bandwidth_ = 0.0;
  std::size_t count_ = 0;
  /// Positions are measured in units of 2^unit_exponent_ (0 unless h is beyond 2^+-1000), so
  /// that the grid and the densities stay within double range whatever the sample's scale.
  int unit_exponent_ = 0;
  double scaled_bandwidth_ = 0.0;  ///< h in those units
  double origin_ = 0.0;            ///< position of grid node 0: the sample median
  double spacing_ = 0.0;           ///< distance between grid nodes, in those units
  double log_norm_ = 0.0;          ///< log(1 / (n h sqrt(2 pi))), h in the sample's units
  /// Occupied grid nodes, ascending, with the binned weight there and the kernel sum
  /// sum_j weight_j exp(-((node - node_j) / kGridPerBandwidth)^2 / 2) over nodes in reach.
  std::vector<long long> nodes_;
  std::vector<double> node_weight_;
  std::vector<double> node_sum_;
  /// Values more than 2^40 grid spacings from the median, ascending: too far out for their
  /// grid position to be resolved, so their kernels are summed exactly.
  std::vector<double> far_;
};

}  // namespace darkfigure::inference
