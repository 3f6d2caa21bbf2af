#include "darkfigure/random/philox_batch.hpp"

#include <Random123/philox.h>

#include <array>
#include <catch2/catch.hpp>
#include <cstdint>
#include <random>

#include "darkfigure/random/stream.hpp"

using darkfigure::random::kPhiloxBatch;
using darkfigure::random::philox_batch;
using darkfigure::random::philox_batch_scalar;
using Words = std::array<std::uint64_t, 2 * kPhiloxBatch>;

namespace {

std::uint64_t high_low(std::uint32_t high, std::uint32_t low) {
  return (static_cast<std::uint64_t>(high) << 32) | low;
}

}  // namespace

TEST_CASE("the batch reproduces Random123's known-answer vectors for Philox4x32-10") {
  // From Random123's kat_vectors: counter, key, and the four output words.
  struct Known {
    std::array<std::uint32_t, 4> counter;
    std::array<std::uint32_t, 2> key;
    std::array<std::uint32_t, 4> bits;
  };
  const Known known[] = {
      {{0, 0, 0, 0}, {0, 0}, {0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8}},
      {{0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff},
       {0xffffffff, 0xffffffff},
       {0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd}},
      {{0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344},
       {0xa4093822, 0x299f31d0},
       {0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1}},
  };
  for (const Known& k : known) {
    Words vector_words{};
    Words scalar_words{};
    philox_batch(k.counter, k.key, vector_words);
    philox_batch_scalar(k.counter, k.key, scalar_words);
    CHECK(vector_words[0] == high_low(k.bits[2], k.bits[3]));
    CHECK(vector_words[1] == high_low(k.bits[0], k.bits[1]));
    CHECK(vector_words == scalar_words);
  }
}

TEST_CASE("the batch equals one Random123 call per counter, across the 32-bit wrap") {
  std::mt19937 engine(20261125);
  const auto generator = [&] { return static_cast<std::uint32_t>(engine()); };
  const r123::Philox4x32 philox;
  for (int trial = 0; trial < 2000; ++trial) {
    std::array<std::uint32_t, 4> counter = {generator(), generator(), generator(), generator()};
    if (trial % 10 == 0) counter[0] = 0xfffffffcu;  // the lanes run past 2^32 and wrap
    const std::array<std::uint32_t, 2> key = {generator(), generator()};
    Words words{};
    philox_batch(counter, key, words);
    for (std::size_t call = 0; call < kPhiloxBatch; ++call) {
      const r123::Philox4x32::ctr_type input = {
          {counter[0] + static_cast<std::uint32_t>(call), counter[1], counter[2], counter[3]}};
      const auto bits = philox(input, {{key[0], key[1]}});
      CAPTURE(trial, call);
      REQUIRE(words[2 * call] == high_low(bits.v[2], bits.v[3]));
      REQUIRE(words[2 * call + 1] == high_low(bits.v[0], bits.v[1]));
    }
  }
}

TEST_CASE("a stream hands out Philox4x32-10 of (call, block, input, scenario) under the seed") {
  const darkfigure::random::StreamKey key{0x0123456789abcdefull, 11, 22, 33};
  darkfigure::random::Stream stream(key);
  const r123::Philox4x32 philox;
  const r123::Philox4x32::key_type philox_key = {{0x89abcdefu, 0x01234567u}};
  for (std::uint32_t call = 0; call < 40; ++call) {
    const auto bits = philox({{call, 22, 33, 11}}, philox_key);
    CAPTURE(call);
    CHECK(stream() == high_low(bits.v[2], bits.v[3]));
    CHECK(stream() == high_low(bits.v[0], bits.v[1]));
  }
}
