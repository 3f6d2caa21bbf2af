#include "darkfigure/inference/kernel_density.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numbers>
#include <stdexcept>
#include <string>

namespace darkfigure::inference {
namespace {

constexpr double kInfinity = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

/// Grid spacings within the kernel's reach: kCutoff bandwidths.
constexpr long long kReach =
    static_cast<long long>(KernelDensity::kCutoff * KernelDensity::kGridPerBandwidth);
static_assert(static_cast<double>(kReach) ==
                  KernelDensity::kCutoff * KernelDensity::kGridPerBandwidth,
              "the cutoff must fall on a grid node");

/// Values farther than this many grid spacings from the median are summed exactly: beyond 2^40
/// a position carries fewer than 12 bits below the grid spacing.
constexpr double kGridLimit = 0x1.0p40;

/// exp(-u^2 / 2) at u = d / kGridPerBandwidth for d = 0 .. kReach: the kernel at every node offset
/// in reach, computed once.
const std::array<double, kReach + 1>& kernel_table() {
  static const std::array<double, kReach + 1> table = [] {
    std::array<double, kReach + 1> values{};
    for (std::size_t d = 0; d < values.size(); ++d) {
      const double u =
          static_cast<double>(d) / static_cast<double>(KernelDensity::kGridPerBandwidth);
      values[d] = std::exp(-0.5 * u * u);
    }
    return values;
  }();
  return table;
}

/// The index of the first of the ascending, nonempty `nodes` not below `node`, as
/// std::lower_bound, but halving without data-dependent branches: random queries do not stall
/// on mispredicted jumps.
std::size_t first_not_below(const std::vector<long long>& nodes, long long node) {
  const long long* base = nodes.data();
  std::size_t length = nodes.size();
  while (length > 1) {
    const std::size_t half = length / 2;
    base = base[half] < node ? base + half : base;
    length -= half;
  }
  return static_cast<std::size_t>(base - nodes.data()) + (*base < node ? 1 : 0);
}

/// The type-7 quantile (linear interpolation between order statistics) of ascending `sorted`,
/// times `scale`.
double scaled_quantile(const std::vector<double>& sorted, double p, double scale) {
  const double rank = p * static_cast<double>(sorted.size() - 1);
  const double below = std::floor(rank);
  const auto j = static_cast<std::size_t>(below);
  if (j + 1 >= sorted.size()) return sorted.back() * scale;
  return sorted[j] * scale + (rank - below) * (sorted[j + 1] * scale - sorted[j] * scale);
}

/// Silverman's rule of thumb (Silverman 1986, eq. 3.31) for ascending `sorted`, in units of
/// 2^exponent, where `exponent` is chosen so that neither the squares of the sd nor the sum of the
/// values can overflow or underflow whatever the sample's scale. Scaling by a power of 2 is exact,
/// so for ordinary samples the result is the plain formula.
double scaled_silverman_bandwidth(const std::vector<double>& sorted, int& exponent) {
  const double largest = std::max(std::abs(sorted.front()), std::abs(sorted.back()));
  exponent = std::clamp(std::ilogb(largest), -1020, 1020);
  const double scale = std::ldexp(1.0, -exponent);
  const auto n = static_cast<double>(sorted.size());

  double sum = 0.0;
  for (const double x : sorted)
    sum += x * scale;
  const double mean = sum / n;
  double squares = 0.0;
  for (const double x : sorted) {
    const double deviation = x * scale - mean;
    squares += deviation * deviation;
  }
  const double sd = std::sqrt(squares / (n - 1.0));
  const double iqr = scaled_quantile(sorted, 0.75, scale) - scaled_quantile(sorted, 0.25, scale);
  const double spread = iqr > 0.0 ? std::min(sd, iqr / 1.34) : sd;
  return 0.9 * spread * std::pow(n, -0.2);
}

}  // namespace

KernelDensity::KernelDensity(std::span<const double> sample) {
  std::vector<double> sorted;
  sorted.reserve(sample.size());
  for (const double x : sample)
    if (std::isfinite(x)) sorted.push_back(x);
  std::sort(sorted.begin(), sorted.end());
  if (sorted.empty() || !(sorted.front() < sorted.back()))
    throw std::invalid_argument(
        "a kernel density needs at least two distinct finite values, but the sample has " +
        std::to_string(sorted.size()) + " finite value(s)" +
        (sorted.empty() ? std::string() : ", all equal"));
  count_ = sorted.size();

  // The bandwidth in units of 2^moment_exponent; the grid works in units of 2^unit_exponent_,
  // which is 0 (the sample's own units) unless h itself is beyond 2^+-1000.
  int moment_exponent = 0;
  const double h_moment = scaled_silverman_bandwidth(sorted, moment_exponent);
  const int bandwidth_exponent = moment_exponent + std::ilogb(h_moment);
  unit_exponent_ = std::abs(bandwidth_exponent) <= 1000 ? 0 : bandwidth_exponent;
  scaled_bandwidth_ = std::ldexp(h_moment, moment_exponent - unit_exponent_);
  bandwidth_ = std::ldexp(h_moment, moment_exponent);
  spacing_ = scaled_bandwidth_ / static_cast<double>(kGridPerBandwidth);
  origin_ = sorted[sorted.size() / 2];
  log_norm_ = -(std::log(static_cast<double>(count_)) + std::log(scaled_bandwidth_) +
                unit_exponent_ * std::numbers::ln2 + 0.5 * std::log(2.0 * std::numbers::pi));

  // Linear binning (Wand 1994): a value at position k + f (in grid spacings) gives weight 1 - f
  // to node k and f to node k + 1. The values ascend, so the nodes are appended in order.
  nodes_.reserve(2 * sorted.size());
  node_weight_.reserve(2 * sorted.size());
  for (const double x : sorted) {
    double position = x - origin_;
    if (unit_exponent_ != 0) position = std::ldexp(position, -unit_exponent_);
    position /= spacing_;
    if (!(std::abs(position) <= kGridLimit)) {
      far_.push_back(x);
      continue;
    }
    const double below = std::floor(position);
    const double fraction = position - below;
    const auto node = static_cast<long long>(below);
    const std::size_t size = nodes_.size();
    if (size >= 2 && nodes_[size - 2] == node) {
      node_weight_[size - 2] += 1.0 - fraction;
      node_weight_[size - 1] += fraction;
    } else if (size >= 1 && nodes_[size - 1] == node) {
      node_weight_[size - 1] += 1.0 - fraction;
      nodes_.push_back(node + 1);
      node_weight_.push_back(fraction);
    } else {
      nodes_.push_back(node);
      node_weight_.push_back(1.0 - fraction);
      nodes_.push_back(node + 1);
      node_weight_.push_back(fraction);
    }
  }
  nodes_.shrink_to_fit();
  node_weight_.shrink_to_fit();

  // The kernel sum at each occupied node over the occupied nodes within reach: a window sliding
  // over the ascending nodes, summed in ascending order as node_density_sum() sums it.
  const auto& kernel = kernel_table();
  node_sum_.resize(nodes_.size());
  std::size_t first = 0;
  std::size_t last = 0;
  for (std::size_t j = 0; j < nodes_.size(); ++j) {
    while (nodes_[first] < nodes_[j] - kReach)
      ++first;
    while (last < nodes_.size() && nodes_[last] <= nodes_[j] + kReach)
      ++last;
    double sum = 0.0;
    for (std::size_t i = first; i < last; ++i)
      sum += node_weight_[i] * kernel[static_cast<std::size_t>(std::abs(nodes_[i] - nodes_[j]))];
    node_sum_[j] = sum;
  }
}

double KernelDensity::node_density_sum(long long node) const {
  const auto& kernel = kernel_table();
  const auto first = std::lower_bound(nodes_.begin(), nodes_.end(), node - kReach);
  const auto last = std::upper_bound(first, nodes_.end(), node + kReach);
  double sum = 0.0;
  for (auto it = first; it != last; ++it)
    sum += node_weight_[static_cast<std::size_t>(it - nodes_.begin())] *
           kernel[static_cast<std::size_t>(std::abs(*it - node))];
  return sum;
}

double KernelDensity::far_sum(double x) const {
  // (x - value) / h falls as the value rises: the values in reach are a run, found by bisection
  // on the very quantity that decides whether a value is in reach.
  const auto standardized = [&](double value) {
    double u = x - value;
    if (unit_exponent_ != 0) u = std::ldexp(u, -unit_exponent_);
    return u / scaled_bandwidth_;
  };
  const auto first = std::partition_point(
      far_.begin(), far_.end(), [&](double value) { return standardized(value) > kCutoff; });
  const auto last = std::partition_point(
      first, far_.end(), [&](double value) { return standardized(value) >= -kCutoff; });
  double sum = 0.0;
  for (auto it = first; it != last; ++it) {
    const double u = standardized(*it);
    sum += std::exp(-0.5 * u * u);
  }
  return sum;
}

double KernelDensity::log_density(double x) const {
  if (std::isnan(x)) return kNaN;
  double position = x - origin_;
  if (unit_exponent_ != 0) position = std::ldexp(position, -unit_exponent_);
  position /= spacing_;

  double sum = 0.0;
  const auto lowest = static_cast<double>(nodes_.front() - kReach - 1);
  const auto highest = static_cast<double>(nodes_.back() + kReach + 1);
  if (position >= lowest && position <= highest) {
    const double below = std::floor(position);
    const double fraction = position - below;
    const auto node = static_cast<long long>(below);
    const std::size_t index = first_not_below(nodes_, node);
    const bool stored = index < nodes_.size() && nodes_[index] == node;
    sum = (1.0 - fraction) * (stored ? node_sum_[index] : node_density_sum(node));
    if (fraction > 0.0) {
      const std::size_t next = stored ? index + 1 : index;
      const bool next_stored = next < nodes_.size() && nodes_[next] == node + 1;
      sum += fraction * (next_stored ? node_sum_[next] : node_density_sum(node + 1));
    }
  }
  // Far values lie beyond kGridLimit spacings, so a query well inside cannot reach them.
  if (!far_.empty() && !(std::abs(position) < kGridLimit - 2.0 * static_cast<double>(kReach + 1)))
    sum += far_sum(x);
  return sum > 0.0 ? std::log(sum) + log_norm_ : -kInfinity;
}

void KernelDensity::log_density(std::span<const double> x, std::span<double> out) const {
  if (x.size() != out.size())
    throw std::invalid_argument("log_density: " + std::to_string(x.size()) + " values but " +
                                std::to_string(out.size()) + " places for their densities");
  for (std::size_t i = 0; i < x.size(); ++i)
    out[i] = log_density(x[i]);
}

}  // namespace darkfigure::inference
