#include "darkfigure/random/philox_batch.hpp"

#include <Random123/philox.h>

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define DARKFIGURE_PHILOX_AVX2 1
#endif

namespace darkfigure::random {
namespace {

// Random123's multipliers and Weyl key increments for Philox4x32.
constexpr std::uint32_t kMultiplier0 = 0xD2511F53;
constexpr std::uint32_t kMultiplier1 = 0xCD9E8D57;
constexpr std::uint32_t kKeyStep0 = 0x9E3779B9;
constexpr std::uint32_t kKeyStep1 = 0xBB67AE85;
constexpr int kRounds = 10;

#ifdef DARKFIGURE_PHILOX_AVX2

// The high and low 32 bits of the products of eight 32-bit lanes with one multiplier.
__attribute__((target("avx2"))) inline void multiply(__m256i x, __m256i multiplier, __m256i& high,
                                                     __m256i& low) noexcept {
  const __m256i even = _mm256_mul_epu32(x, multiplier);
  const __m256i odd = _mm256_mul_epu32(_mm256_srli_epi64(x, 32), multiplier);
  low = _mm256_blend_epi32(even, _mm256_slli_epi64(odd, 32), 0b10101010);
  high = _mm256_blend_epi32(_mm256_srli_epi64(even, 32), odd, 0b10101010);
}

// Eight Philox4x32-10 calls, lane j computing counter j, one round of each per pass.
__attribute__((target("avx2"))) void philox_batch_avx2(
    const std::array<std::uint32_t, 4>& counter, const std::array<std::uint32_t, 2>& key,
    std::array<std::uint64_t, 2 * kPhiloxBatch>& words) noexcept {
  __m256i x0 = _mm256_add_epi32(_mm256_set1_epi32(static_cast<int>(counter[0])),
                                _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
  __m256i x1 = _mm256_set1_epi32(static_cast<int>(counter[1]));
  __m256i x2 = _mm256_set1_epi32(static_cast<int>(counter[2]));
  __m256i x3 = _mm256_set1_epi32(static_cast<int>(counter[3]));
  const __m256i multiplier0 = _mm256_set1_epi32(static_cast<int>(kMultiplier0));
  const __m256i multiplier1 = _mm256_set1_epi32(static_cast<int>(kMultiplier1));
  std::uint32_t key0 = key[0];
  std::uint32_t key1 = key[1];
  for (int round = 0; round < kRounds; ++round) {
    __m256i high0, low0, high1, low1;
    multiply(x0, multiplier0, high0, low0);
    multiply(x2, multiplier1, high1, low1);
    x0 = _mm256_xor_si256(_mm256_xor_si256(high1, x1), _mm256_set1_epi32(static_cast<int>(key0)));
    x1 = low1;
    x2 = _mm256_xor_si256(_mm256_xor_si256(high0, x3), _mm256_set1_epi32(static_cast<int>(key1)));
    x3 = low0;
    key0 += kKeyStep0;
    key1 += kKeyStep1;
  }
  // Lane j's words: v2:v3 (v3 in the low half) and v0:v1. Unpacking pairs lanes 0, 1, 4, 5 and
  // 2, 3, 6, 7 within each 128-bit half.
  alignas(32) std::uint64_t first[8];
  alignas(32) std::uint64_t second[8];
  _mm256_store_si256(reinterpret_cast<__m256i*>(first), _mm256_unpacklo_epi32(x3, x2));
  _mm256_store_si256(reinterpret_cast<__m256i*>(first + 4), _mm256_unpackhi_epi32(x3, x2));
  _mm256_store_si256(reinterpret_cast<__m256i*>(second), _mm256_unpacklo_epi32(x1, x0));
  _mm256_store_si256(reinterpret_cast<__m256i*>(second + 4), _mm256_unpackhi_epi32(x1, x0));
  constexpr int kLaneOf[8] = {0, 1, 4, 5, 2, 3, 6, 7};
  for (int i = 0; i < 8; ++i) {
    const auto lane = static_cast<std::size_t>(kLaneOf[i]);
    words[2 * lane] = first[i];
    words[2 * lane + 1] = second[i];
  }
}

#endif

}  // namespace

void philox_batch_scalar(const std::array<std::uint32_t, 4>& counter,
                         const std::array<std::uint32_t, 2>& key,
                         std::array<std::uint64_t, 2 * kPhiloxBatch>& words) noexcept {
  const r123::Philox4x32 philox;
  const r123::Philox4x32::key_type philox_key = {{key[0], key[1]}};
  for (std::size_t call = 0; call < kPhiloxBatch; ++call) {
    const r123::Philox4x32::ctr_type input = {
        {counter[0] + static_cast<std::uint32_t>(call), counter[1], counter[2], counter[3]}};
    const r123::Philox4x32::ctr_type bits = philox(input, philox_key);
    words[2 * call] = (static_cast<std::uint64_t>(bits.v[2]) << 32) | bits.v[3];
    words[2 * call + 1] = (static_cast<std::uint64_t>(bits.v[0]) << 32) | bits.v[1];
  }
}

void philox_batch(const std::array<std::uint32_t, 4>& counter,
                  const std::array<std::uint32_t, 2>& key,
                  std::array<std::uint64_t, 2 * kPhiloxBatch>& words) noexcept {
#ifdef DARKFIGURE_PHILOX_AVX2
  if (__builtin_cpu_supports("avx2")) {
    philox_batch_avx2(counter, key, words);
    return;
  }
#endif
  philox_batch_scalar(counter, key, words);
}

}  // namespace darkfigure::random
