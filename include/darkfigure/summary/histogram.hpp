#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

namespace darkfigure::summary {

/// Counts of finite values in fixed bins, for quantiles of more draws than memory holds. A bin
/// holds the doubles that share sign, exponent and the top kMantissaBits bits of the mantissa,
/// so each bin spans at most a relative width of 2^-kMantissaBits (2.4e-4) of its values, at any
/// scale of normal doubles (the subnormal bins near zero have a fixed width under 2^-1034). The
/// bins are the same for every histogram and counts are integers, so histograms merge exactly, in
/// any order: the same draws give the same counts on any number of threads.
///
/// Bins are kept in pages, one per sign and exponent, allocated when first used: values that
/// span ten binades cost ten pages of 32 KiB.
class Histogram {
 public:
  static constexpr int kMantissaBits = 12;

  /// Where an order statistic lies: in the bin [low, high], which holds `in_bin` values of which
  /// `before_in_bin` are ranked before it.
  struct Location {
    double low = 0.0;
    double high = 0.0;
    std::uint64_t before_in_bin = 0;
    std::uint64_t in_bin = 0;
  };

  Histogram() = default;
  Histogram(Histogram&&) noexcept = default;
  Histogram& operator=(Histogram&&) noexcept = default;

  /// Counts the finite values; NaN and infinities are left out.
  void add(std::span<const double> values);

  /// Adds the counts of `other`.
  void merge(const Histogram& other);

  /// The number of values counted.
  std::uint64_t count() const noexcept { return count_; }

  /// The bin of the order statistic of 0-based `rank`; rank must be below count().
  Location locate(std::uint64_t rank) const;

  /// A bin holding values: those in [low, high].
  struct Bin {
    double low = 0.0;
    double high = 0.0;
    std::uint64_t count = 0;
  };
  /// The bins that hold values, in ascending order of value.
  std::vector<Bin> bins() const;

  /// Every bin holds the same count in both.
  friend bool operator==(const Histogram& a, const Histogram& b);

 private:
  static constexpr std::size_t kPages = std::size_t{1} << 12;  // sign and exponent
  static constexpr std::size_t kBinsPerPage = std::size_t{1} << kMantissaBits;
  using Page = std::array<std::uint64_t, kBinsPerPage>;

  std::vector<std::unique_ptr<Page>> pages_ = std::vector<std::unique_ptr<Page>>(kPages);
  std::vector<std::uint64_t> page_counts_ = std::vector<std::uint64_t>(kPages);
  std::uint64_t count_ = 0;
};

}  // namespace darkfigure::summary
