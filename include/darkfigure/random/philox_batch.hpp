#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace darkfigure::random {

/// Calls of Philox4x32-10 made together.
inline constexpr std::size_t kPhiloxBatch = 8;

/// Philox4x32-10 (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3", SC11) of the
/// kPhiloxBatch counters (counter[0] + j, counter[1], counter[2], counter[3]), j = 0, 1, ...,
/// under `key`. Call j's 128 bits (v0, v1, v2, v3) become words[2j] = v2:v3 and
/// words[2j + 1] = v0:v1. The numbers are Random123's own; on processors with AVX2 the eight
/// calls run side by side in vector registers.
void philox_batch(const std::array<std::uint32_t, 4>& counter,
                  const std::array<std::uint32_t, 2>& key,
                  std::array<std::uint64_t, 2 * kPhiloxBatch>& words) noexcept;

/// The same with Random123's scalar code alone, whatever the processor: the reference the vector
/// code is tested against.
void philox_batch_scalar(const std::array<std::uint32_t, 4>& counter,
                         const std::array<std::uint32_t, 2>& key,
                         std::array<std::uint64_t, 2 * kPhiloxBatch>& words) noexcept;

}  // namespace darkfigure::random
