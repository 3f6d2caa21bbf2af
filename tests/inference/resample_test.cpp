#include "darkfigure/inference/resample.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <stdexcept>
#include <vector>

using darkfigure::inference::resample;
using darkfigure::inference::ResampleMethod;
using darkfigure::random::Stream;
using darkfigure::random::StreamKey;

namespace {

constexpr ResampleMethod kMethods[] = {ResampleMethod::systematic, ResampleMethod::residual};

/// Random weights, about a tenth of them 0 (the first and last among them).
std::vector<double> random_weights(std::size_t n, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::exponential_distribution<double> exponential(1.0);
  std::bernoulli_distribution zero(0.1);
  std::vector<double> weights(n);
  for (double& w : weights)
    w = zero(rng) ? 0.0 : exponential(rng);
  weights.front() = 0.0;
  weights.back() = 0.0;
  return weights;
}

/// How many times each of `n` draws is among `indices`.
std::vector<std::uint64_t> copies_of(const std::vector<std::uint64_t>& indices, std::size_t n) {
  std::vector<std::uint64_t> copies(n, 0);
  for (const std::uint64_t i : indices)
    ++copies.at(i);
  return copies;
}

/// count w_i / sum w for each i.
std::vector<double> expected_copies(const std::vector<double>& weights, std::uint64_t count) {
  double total = 0.0;
  for (const double w : weights)
    total += w;
  std::vector<double> expected;
  for (const double w : weights)
    expected.push_back(static_cast<double>(count) * w / total);
  return expected;
}

}  // namespace

TEST_CASE("resample: both methods return count indices in ascending order") {
  const auto weights = random_weights(300, 1);
  for (const ResampleMethod method : kMethods) {
    for (const std::uint64_t count : {1u, 7u, 300u, 1000u}) {
      Stream stream(StreamKey{2, 3, 4, static_cast<std::uint32_t>(count)});
      const auto indices = resample(weights, count, method, stream);
      CHECK(indices.size() == count);
      CHECK(std::is_sorted(indices.begin(), indices.end()));
      CHECK(indices.back() < weights.size());
    }
  }
}

TEST_CASE("resample: systematic keeps each draw floor(count w) or ceil(count w) times") {
  const auto weights = random_weights(500, 2);
  for (const std::uint64_t count : {1u, 37u, 500u, 5000u}) {
    const auto expected = expected_copies(weights, count);
    for (std::uint32_t block = 0; block < 20; ++block) {
      Stream stream(StreamKey{5, 6, block, 7});
      const auto copies =
          copies_of(resample(weights, count, ResampleMethod::systematic, stream), weights.size());
      std::size_t outside = 0;
      for (std::size_t i = 0; i < weights.size(); ++i) {
        const auto c = static_cast<double>(copies[i]);
        if (c < std::floor(expected[i]) || c > std::ceil(expected[i])) ++outside;
      }
      CAPTURE(count, block);
      CHECK(outside == 0);
    }
  }
}

TEST_CASE("resample: residual keeps at least floor(count w) copies of each draw") {
  const auto weights = random_weights(500, 3);
  for (const std::uint64_t count : {1u, 37u, 500u, 5000u}) {
    const auto expected = expected_copies(weights, count);
    for (std::uint32_t block = 0; block < 20; ++block) {
      Stream stream(StreamKey{8, 9, block, 10});
      const auto copies =
          copies_of(resample(weights, count, ResampleMethod::residual, stream), weights.size());
      std::size_t short_of_floor = 0;
      for (std::size_t i = 0; i < weights.size(); ++i)
        if (static_cast<double>(copies[i]) < std::floor(expected[i])) ++short_of_floor;
      CAPTURE(count, block);
      CHECK(short_of_floor == 0);
    }
  }
}

TEST_CASE("resample: each draw is kept count w times on average") {
  // Expected copies 13 w / 15: 0.87, 1.73, 0, 3.03, 0.22, 4.33, 0.65, 2.17, none a whole number.
  const std::vector<double> weights = {1.0, 2.0, 0.0, 3.5, 0.25, 5.0, 0.75, 2.5};
  constexpr std::uint64_t kCount = 13;
  constexpr std::uint32_t kReplicates = 4000;
  const auto expected = expected_copies(weights, kCount);
  for (const ResampleMethod method : kMethods) {
    std::vector<double> sum(weights.size(), 0.0);
    std::vector<double> sum_squares(weights.size(), 0.0);
    for (std::uint32_t r = 0; r < kReplicates; ++r) {
      Stream stream(StreamKey{1000 + r, 11, 12, 13});
      const auto copies = copies_of(resample(weights, kCount, method, stream), weights.size());
      for (std::size_t i = 0; i < weights.size(); ++i) {
        const auto c = static_cast<double>(copies[i]);
        sum[i] += c;
        sum_squares[i] += c * c;
      }
    }
    for (std::size_t i = 0; i < weights.size(); ++i) {
      const double mean = sum[i] / kReplicates;
      // Independent replicates (one stream each): the standard error of the mean is the
      // replicates' sample standard deviation over sqrt(replicates); 4 of them.
      const double variance = (sum_squares[i] - kReplicates * mean * mean) / (kReplicates - 1);
      const double standard_error = std::sqrt(std::max(variance, 0.0) / kReplicates);
      CAPTURE(static_cast<int>(method), i, mean, expected[i], standard_error);
      if (weights[i] == 0.0) {
        CHECK(sum[i] == 0.0);
      } else {
        CHECK(standard_error > 0.0);
        CHECK(std::abs(mean - expected[i]) <= 4.0 * standard_error);
      }
    }
  }
}

TEST_CASE("resample: the same stream gives the same draws") {
  const auto weights = random_weights(1000, 4);
  for (const ResampleMethod method : kMethods) {
    const StreamKey key{14, 15, 16, 17};
    Stream a(key);
    Stream b(key);
    const auto first = resample(weights, 777, method, a);
    CHECK(first == resample(weights, 777, method, b));
    // The streams moved on alike: the next draws match too.
    CHECK(resample(weights, 50, method, a) == resample(weights, 50, method, b));
  }
}

TEST_CASE("resample: zero-weight draws are never kept") {
  const std::vector<std::vector<double>> cases = {
      {0.0, 0.0, 1.0, 0.0},
      {0.0, 3.0, 0.0, 1e-300, 0.0, 2.0, 0.0},
      random_weights(200, 5),
  };
  for (const auto& weights : cases) {
    for (const ResampleMethod method : kMethods) {
      for (std::uint32_t block = 0; block < 50; ++block) {
        Stream stream(StreamKey{18, 19, block, 20});
        const auto indices = resample(weights, 101, method, stream);
        CHECK(std::all_of(indices.begin(), indices.end(),
                          [&](std::uint64_t i) { return weights[i] > 0.0; }));
      }
    }
  }
}

TEST_CASE("resample: systematic with equal weights and count n keeps every draw once") {
  for (const std::size_t n : {1u, 2u, 10u, 999u}) {
    const std::vector<double> weights(n, 0.3);
    Stream stream(StreamKey{21, 22, 23, static_cast<std::uint32_t>(n)});
    const auto indices = resample(weights, n, ResampleMethod::systematic, stream);
    REQUIRE(indices.size() == n);
    for (std::size_t i = 0; i < n; ++i)
      CHECK(indices[i] == i);
  }
}

TEST_CASE("resample: the scale of the weights does not matter") {
  // Multiplying by a power of 2 is exact, so the draws are the same, even at the edge of the
  // double range where a plain sum would overflow.
  const auto weights = random_weights(400, 6);
  for (const double scale : {0x1.0p-1000, 0x1.0p-500, 0x1.0p600, 0x1.0p1020}) {
    std::vector<double> scaled = weights;
    for (double& w : scaled)
      w *= scale;
    for (const ResampleMethod method : kMethods) {
      Stream a(StreamKey{24, 25, 26, 27});
      Stream b(StreamKey{24, 25, 26, 27});
      CAPTURE(scale);
      CHECK(resample(weights, 333, method, a) == resample(scaled, 333, method, b));
    }
  }
}

TEST_CASE("resample: count 0 gives no draws and invalid weights throw") {
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  constexpr double kInf = std::numeric_limits<double>::infinity();
  Stream stream(StreamKey{28, 29, 30, 31});
  for (const ResampleMethod method : kMethods) {
    CHECK(resample(std::vector<double>{1.0, 2.0}, 0, method, stream).empty());
    CHECK_THROWS_AS(resample(std::vector<double>{}, 5, method, stream), std::invalid_argument);
    CHECK_THROWS_AS(resample(std::vector<double>{0.0, 0.0}, 5, method, stream),
                    std::invalid_argument);
    CHECK_THROWS_AS(resample(std::vector<double>{1.0, -0.5}, 5, method, stream),
                    std::invalid_argument);
    CHECK_THROWS_AS(resample(std::vector<double>{1.0, kNaN}, 5, method, stream),
                    std::invalid_argument);
    CHECK_THROWS_AS(resample(std::vector<double>{kInf, 1.0}, 5, method, stream),
                    std::invalid_argument);
    CHECK_THROWS_WITH(resample(std::vector<double>{1.0, -0.5}, 5, method, stream),
                      Catch::Contains("weight 1 is -0.5"));
  }
}
