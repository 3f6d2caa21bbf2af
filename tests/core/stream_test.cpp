#include "darkfigure/random/stream.hpp"

#include <array>
#include <boost/math/distributions/chi_squared.hpp>
#include <catch2/catch.hpp>
#include <cmath>
#include <random>

using darkfigure::random::Stream;
using darkfigure::random::stream_id;
using darkfigure::random::StreamKey;

static_assert(std::uniform_random_bit_generator<Stream>);

TEST_CASE("a stream is a pure function of its key") {
  const StreamKey key{2023, stream_id("kz"), 7, stream_id("reporting_rate")};
  Stream a(key);
  Stream b(key);
  for (int i = 0; i < 1000; ++i)
    REQUIRE(a() == b());

  for (auto other : {StreamKey{2024, key.scenario, key.block, key.input},
                     StreamKey{key.seed, key.scenario + 1, key.block, key.input},
                     StreamKey{key.seed, key.scenario, key.block + 1, key.input},
                     StreamKey{key.seed, key.scenario, key.block, key.input + 1}}) {
    Stream c(key);
    Stream d(other);
    int equal = 0;
    for (int i = 0; i < 1000; ++i)
      equal += c() == d() ? 1 : 0;
    CHECK(equal == 0);
  }
}

TEST_CASE("stream ids are FNV-1a hashes of the name") {
  CHECK(stream_id("") == 2166136261u);
  CHECK(stream_id("a") == 0xe40c292cu);
  CHECK(stream_id("reporting_rate") != stream_id("reporting_rates"));
}

TEST_CASE("uniforms lie in the open unit interval and are uniform by a chi-square test") {
  constexpr int kBins = 64;
  constexpr int kDraws = 1 << 20;
  std::array<int, kBins> counts{};
  Stream stream(StreamKey{1, 2, 3, 4});
  double sum = 0.0;
  for (int i = 0; i < kDraws; ++i) {
    const double u = stream.uniform();
    REQUIRE(u > 0.0);
    REQUIRE(u < 1.0);
    sum += u;
    ++counts[static_cast<std::size_t>(u * kBins)];
  }
  const double expected = double(kDraws) / kBins;
  double chi_square = 0.0;
  for (const int count : counts)
    chi_square += (count - expected) * (count - expected) / expected;
  // Upper 0.1% point of chi-square with 63 degrees of freedom: a fixed seed fails it only if
  // broken.
  const double critical =
      quantile(complement(boost::math::chi_squared_distribution<double>(kBins - 1), 0.001));
  CAPTURE(chi_square, critical);
  CHECK(chi_square < critical);

  const double mean = sum / kDraws;
  const double mcse = std::sqrt(1.0 / 12.0 / kDraws);
  CAPTURE(mean, mcse);
  CHECK(std::abs(mean - 0.5) < 4 * mcse);
}

TEST_CASE("the extreme words map inside the open interval") {
  CHECK(Stream::open_unit(0) > 0.0);
  CHECK(Stream::open_unit(~0ull) < 1.0);
  CHECK(1.0 - Stream::open_unit(~0ull) == Stream::open_unit(0));
}
