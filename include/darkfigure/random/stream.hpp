#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string_view>

#include "darkfigure/random/philox_batch.hpp"

namespace darkfigure::random {

/// What a random stream is keyed by. Two streams with different keys are independent; the same key
/// always gives the same numbers, whatever thread asks for them.
struct StreamKey {
  std::uint64_t seed = 0;      ///< the run's seed
  std::uint32_t scenario = 0;  ///< stream_id() of the scenario's name
  std::uint32_t block = 0;     ///< index of the block of draws
  std::uint32_t input = 0;     ///< stream_id() of the input's name
};

/// A stable 32-bit id of a name (FNV-1a), so that a quantity's stream depends on its name and not
/// on its position in the file: adding an input leaves the draws of the others unchanged.
std::uint32_t stream_id(std::string_view name) noexcept;

/// A counter-based random stream: Philox4x32-10 (Random123) with the seed as key and
/// (call counter, block, input, scenario) as counter. Each call of the block cipher yields
/// 128 bits, handed out as two 64-bit words. The cipher runs kPhiloxBatch counters at a time
/// (philox_batch), side by side in vector registers where the processor has them; the words and
/// their order are those of one call at a time.
///
/// It satisfies std::uniform_random_bit_generator, so Boost.Random distributions can draw from it.
class Stream {
 public:
  using result_type = std::uint64_t;

  explicit Stream(const StreamKey& key) noexcept
      : key_{static_cast<std::uint32_t>(key.seed), static_cast<std::uint32_t>(key.seed >> 32)},
        counter_{0, key.block, key.input, key.scenario} {}

  static constexpr result_type min() noexcept { return 0; }
  static constexpr result_type max() noexcept { return std::numeric_limits<result_type>::max(); }

  /// 64 uniformly random bits.
  result_type operator()() noexcept {
    if (next_ == words_.size()) refill();
    return words_[next_++];
  }

  /// A uniform number in the open interval (0, 1): never 0, never 1, so its logarithm and its
  /// reciprocal are always finite.
  double uniform() noexcept { return open_unit((*this)()); }

  /// Maps 64 random bits to (0, 1): the top 52 bits k give (k + 0.5) * 2^-52, the midpoints of a
  /// grid of 2^52 cells. With 53 bits the last midpoint would round up to exactly 1.
  static constexpr double open_unit(std::uint64_t bits) noexcept {
    return (static_cast<double>(bits >> 12) + 0.5) * 0x1.0p-52;
  }

 private:
  void refill() noexcept {
    philox_batch(counter_, key_, words_);
    counter_[0] += static_cast<std::uint32_t>(kPhiloxBatch);
    next_ = 0;
  }

  std::array<std::uint32_t, 2> key_;
  std::array<std::uint32_t, 4> counter_;
  std::array<std::uint64_t, 2 * kPhiloxBatch> words_{};
  std::size_t next_ = 2 * kPhiloxBatch;
};

}  // namespace darkfigure::random
