#include "darkfigure/summary/histogram.hpp"

#include <bit>
#include <cmath>

#include "darkfigure/core/error.hpp"

namespace darkfigure::summary {
namespace {

constexpr std::uint64_t kSignBit = std::uint64_t{1} << 63;
constexpr int kDropped = 52 - Histogram::kMantissaBits;  // mantissa bits below the bin

// Maps a double to an unsigned key in the same order: positive values get the sign bit set,
// negative ones have every bit flipped, so larger magnitudes of negatives sort lower.
std::uint64_t ordered_key(double x) noexcept {
  const auto bits = std::bit_cast<std::uint64_t>(x);
  return (bits & kSignBit) != 0 ? ~bits : bits | kSignBit;
}

double value_of_key(std::uint64_t key) noexcept {
  return std::bit_cast<double>((key & kSignBit) != 0 ? key & ~kSignBit : ~key);
}

}  // namespace

void Histogram::add(std::span<const double> values) {
  for (const double x : values) {
    if (!std::isfinite(x)) continue;
    const std::uint64_t bin = ordered_key(x) >> kDropped;
    const std::size_t page = bin >> kMantissaBits;
    if (!pages_[page]) pages_[page] = std::make_unique<Page>();
    ++(*pages_[page])[bin & (kBinsPerPage - 1)];
    ++page_counts_[page];
    ++count_;
  }
}

void Histogram::merge(const Histogram& other) {
  for (std::size_t page = 0; page < kPages; ++page) {
    if (!other.pages_[page]) continue;
    if (!pages_[page]) pages_[page] = std::make_unique<Page>();
    Page& mine = *pages_[page];
    const Page& theirs = *other.pages_[page];
    for (std::size_t bin = 0; bin < kBinsPerPage; ++bin)
      mine[bin] += theirs[bin];
    page_counts_[page] += other.page_counts_[page];
  }
  count_ += other.count_;
}

Histogram::Location Histogram::locate(std::uint64_t rank) const {
  DARKFIGURE_CHECK(rank < count_);
  std::uint64_t before = 0;
  std::size_t page = 0;
  while (before + page_counts_[page] <= rank)
    before += page_counts_[page++];
  const Page& bins = *pages_[page];
  std::size_t bin = 0;
  while (before + bins[bin] <= rank)
    before += bins[bin++];
  const std::uint64_t first_key = ((std::uint64_t{page} << kMantissaBits) | bin) << kDropped;
  const std::uint64_t last_key = first_key | ((std::uint64_t{1} << kDropped) - 1);
  return {value_of_key(first_key), value_of_key(last_key), rank - before, bins[bin]};
}

std::vector<Histogram::Bin> Histogram::bins() const {
  std::vector<Bin> result;
  for (std::size_t page = 0; page < kPages; ++page) {
    if (page_counts_[page] == 0) continue;
    const Page& counts = *pages_[page];
    for (std::size_t bin = 0; bin < kBinsPerPage; ++bin) {
      if (counts[bin] == 0) continue;
      const std::uint64_t first_key = ((std::uint64_t{page} << kMantissaBits) | bin) << kDropped;
      const std::uint64_t last_key = first_key | ((std::uint64_t{1} << kDropped) - 1);
      result.push_back({value_of_key(first_key), value_of_key(last_key), counts[bin]});
    }
  }
  return result;
}

bool operator==(const Histogram& a, const Histogram& b) {
  if (a.count_ != b.count_ || a.page_counts_ != b.page_counts_) return false;
  for (std::size_t page = 0; page < Histogram::kPages; ++page) {
    // A page never allocated holds zeros, like an allocated page whose counts are all 0.
    if (a.page_counts_[page] == 0) continue;
    if (*a.pages_[page] != *b.pages_[page]) return false;
  }
  return true;
}

}  // namespace darkfigure::summary
