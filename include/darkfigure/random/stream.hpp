#pragma once

#include <Random123/philox.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string_view>

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
/// 128 bits, handed out as two 64-bit words. The cipher runs kBatch counters at a time: the calls
/// are independent, so the processor overlaps them instead of waiting out each one's latency
/// inside the sampler that asked; the words and their order are those of one call at a time.
///
/// It satisfies std::uniform_random_bit_generator, so Boost.Random distributions can draw from it.
class Stream {
 public:
  using result_type = std::uint64_t;

  explicit Stream(const StreamKey& key) noexcept
      : key_{{static_cast<std::uint32_t>(key.seed), static_cast<std::uint32_t>(key.seed >> 32)}},
        counter_{{0, key.block, key.input, key.scenario}} {}

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
  static constexpr std::size_t kBatch = 8;

  // Each call's 128 bits give the words (v2:v3) then (v0:v1).
  void refill() noexcept {
    for (std::size_t call = 0; call < kBatch; ++call) {
      r123::Philox4x32::ctr_type counter = counter_;
      counter.v[0] += static_cast<std::uint32_t>(call);
      const r123::Philox4x32::ctr_type bits = philox_(counter, key_);
      words_[2 * call] = (static_cast<std::uint64_t>(bits.v[2]) << 32) | bits.v[3];
      words_[2 * call + 1] = (static_cast<std::uint64_t>(bits.v[0]) << 32) | bits.v[1];
    }
    counter_.v[0] += kBatch;
    next_ = 0;
  }

  r123::Philox4x32 philox_;
  r123::Philox4x32::key_type key_;
  r123::Philox4x32::ctr_type counter_;
  std::array<std::uint64_t, 2 * kBatch> words_{};
  std::size_t next_ = 2 * kBatch;
};

}  // namespace darkfigure::random
