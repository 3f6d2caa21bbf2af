#include "darkfigure/sampling/design.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

using darkfigure::sampling::Design;
using darkfigure::sampling::DesignSampler;
using darkfigure::sampling::kBlockDraws;
using darkfigure::sampling::Replicates;

namespace {

/// Every draw's uniforms, filled block by block and, within a block, replicate by replicate, as
/// the engine fills them: uniforms[j][draw].
std::vector<std::vector<double>> fill_all(const DesignSampler& sampler, std::size_t inputs) {
  const Replicates& replicates = sampler.replicates();
  const std::uint64_t draws = replicates.draws();
  std::vector<std::vector<double>> uniforms(inputs, std::vector<double>(draws));
  for (std::uint64_t block = 0; block * kBlockDraws < draws; ++block) {
    const std::uint64_t end = std::min(draws, (block + 1) * kBlockDraws);
    for (std::uint64_t draw = block * kBlockDraws; draw < end;) {
      const std::uint32_t r = replicates.of(draw);
      const std::uint64_t stop = std::min(end, replicates.first(r) + replicates.size(r));
      std::vector<double*> columns;
      for (auto& column : uniforms)
        columns.push_back(column.data() + draw);
      sampler.fill(block, draw, static_cast<std::size_t>(stop - draw), columns);
      draw = stop;
    }
  }
  return uniforms;
}

std::vector<std::string> names(std::size_t count) {
  std::vector<std::string> result;
  for (std::size_t j = 0; j < count; ++j) {
    std::string name = "x";
    name += std::to_string(j + 1);
    result.push_back(std::move(name));
  }
  return result;
}

}  // namespace

TEST_CASE("replicates split the draws into contiguous runs whose sizes differ by at most one") {
  for (const std::uint64_t draws : {2u, 3u, 10u, 17u, 4096u, 10'007u}) {
    for (const std::uint32_t count : {2u, 3u, 7u, 10u}) {
      if (draws < count) continue;
      const Replicates replicates(draws, count);
      CHECK(replicates.first(0) == 0);
      CHECK(replicates.first(count) == draws);
      for (std::uint32_t r = 0; r < count; ++r) {
        CHECK(replicates.size(r) >= draws / count);
        CHECK(replicates.size(r) <= draws / count + 1);
      }
      for (std::uint64_t draw = 0; draw < draws; ++draw) {
        const std::uint32_t r = replicates.of(draw);
        REQUIRE(replicates.first(r) <= draw);
        REQUIRE(draw < replicates.first(r + 1));
      }
    }
  }
}

TEST_CASE("design names read back") {
  for (const Design design : {Design::mc, Design::lhs, Design::sobol})
    CHECK(darkfigure::sampling::find_design(darkfigure::sampling::design_name(design)) == design);
  CHECK_FALSE(darkfigure::sampling::find_design("latin").has_value());
}

TEST_CASE("a Latin hypercube puts one draw in each stratum of every replicate, for every input") {
  // Replicates that straddle blocks and blocks that hold pieces of two replicates.
  const Replicates replicates(10'007, 3);
  const DesignSampler sampler(Design::lhs, replicates, 2023, "lhs-test", names(4));
  const auto uniforms = fill_all(sampler, 4);
  for (std::uint32_t r = 0; r < replicates.count(); ++r) {
    const std::uint64_t n = replicates.size(r);
    for (const auto& column : uniforms) {
      std::vector<std::uint64_t> strata;
      for (std::uint64_t i = replicates.first(r); i < replicates.first(r + 1); ++i) {
        REQUIRE(column[i] > 0.0);
        REQUIRE(column[i] < 1.0);
        strata.push_back(static_cast<std::uint64_t>(column[i] * static_cast<double>(n)));
      }
      std::sort(strata.begin(), strata.end());
      for (std::uint64_t k = 0; k < n; ++k)
        REQUIRE(strata[k] == k);
    }
  }
  // The inputs' permutations are independent: their strata are not paired alike.
  CHECK(uniforms[0] != uniforms[1]);
}

TEST_CASE("a Latin hypercube gives the mean of a uniform input within 1e-5 at 10^4 draws") {
  // u = (stratum + offset) / n: the strata average to (n - 1) / (2 n) exactly, so the error of a
  // replicate's mean is that of n uniform offsets divided by n, sd 1 / sqrt(12 n^3); pooled over
  // 10 replicates of 1,000 draws, sd 2.9e-6.
  const Replicates replicates(10'000, 10);
  const DesignSampler sampler(Design::lhs, replicates, 7, "lhs-mean", names(1));
  const auto uniforms = fill_all(sampler, 1);
  double sum = 0.0;
  for (const double u : uniforms[0])
    sum += u;
  const double error = sum / 10'000.0 - 0.5;
  const double sd = 1.0 / std::sqrt(12.0 * 1e9) / std::sqrt(10.0);
  CHECK(std::abs(error) < 1e-5);
  CHECK(std::abs(error) < 4.0 * sd);
}

TEST_CASE("every 2^m Sobol points of a replicate from its start stratify each dimension") {
  // The first 2^m points of the Sobol sequence form a (t, m, s)-net in base 2 whose
  // one-dimensional projections have t = 0, and dimensions 1 and 2 form a (0, m, 2)-net; a digital
  // shift maps elementary intervals onto elementary intervals, so both survive it.
  constexpr std::uint64_t n = 1024;
  const Replicates replicates(2 * n, 2);
  const DesignSampler sampler(Design::sobol, replicates, 11, "sobol-net", names(5));
  const auto uniforms = fill_all(sampler, 5);
  for (std::uint32_t r = 0; r < 2; ++r) {
    for (const auto& column : uniforms) {
      std::vector<std::uint64_t> strata;
      for (std::uint64_t i = replicates.first(r); i < replicates.first(r + 1); ++i)
        strata.push_back(static_cast<std::uint64_t>(column[i] * static_cast<double>(n)));
      std::sort(strata.begin(), strata.end());
      for (std::uint64_t k = 0; k < n; ++k)
        REQUIRE(strata[k] == k);
    }
    std::vector<int> squares(n, 0);
    for (std::uint64_t i = replicates.first(r); i < replicates.first(r + 1); ++i) {
      const auto a = static_cast<std::uint64_t>(uniforms[0][i] * 32.0);
      const auto b = static_cast<std::uint64_t>(uniforms[1][i] * 32.0);
      ++squares[a * 32 + b];
    }
    CHECK(std::all_of(squares.begin(), squares.end(), [](int count) { return count == 1; }));
  }
  // Each replicate has its own shift.
  CHECK(uniforms[0][0] != uniforms[0][n]);
}

TEST_CASE("Sobol points give the mean of x1 * x2 within 2e-4 at 2^14 draws") {
  // Plain Monte Carlo's standard error here is sd(x1 x2) / 128 = sqrt(1/9 - 1/16) / 128 = 1.7e-3.
  const Replicates replicates(16'384, darkfigure::sampling::kDefaultReplicates);
  const DesignSampler sampler(Design::sobol, replicates, 2023, "sobol-product", names(2));
  const auto uniforms = fill_all(sampler, 2);
  double sum = 0.0;
  for (std::size_t i = 0; i < 16'384; ++i)
    sum += uniforms[0][i] * uniforms[1][i];
  CHECK(std::abs(sum / 16'384.0 - 0.25) < 2e-4);
}

TEST_CASE("designs depend on the seed and the scenario, and repeat for the same ones") {
  for (const Design design : {Design::lhs, Design::sobol}) {
    const Replicates replicates(5000, 4);
    const auto a = fill_all(DesignSampler(design, replicates, 1, "s", names(3)), 3);
    const auto b = fill_all(DesignSampler(design, replicates, 1, "s", names(3)), 3);
    const auto c = fill_all(DesignSampler(design, replicates, 2, "s", names(3)), 3);
    const auto d = fill_all(DesignSampler(design, replicates, 1, "t", names(3)), 3);
    CHECK(a == b);
    CHECK(a != c);
    CHECK(a != d);
  }
}

TEST_CASE("filling a block in pieces gives the numbers of filling it whole") {
  for (const Design design : {Design::lhs, Design::sobol}) {
    const Replicates replicates(8192, 2);
    const DesignSampler sampler(design, replicates, 5, "pieces", names(2));
    std::vector<double> whole_a(4096), whole_b(4096), piece_a(4096), piece_b(4096);
    sampler.fill(1, 4096, 4096, std::vector<double*>{whole_a.data(), whole_b.data()});
    sampler.fill(1, 4096, 1000, std::vector<double*>{piece_a.data(), piece_b.data()});
    sampler.fill(1, 5096, 3096, std::vector<double*>{piece_a.data() + 1000, piece_b.data() + 1000});
    CHECK(whole_a == piece_a);
    CHECK(whole_b == piece_b);
  }
}
