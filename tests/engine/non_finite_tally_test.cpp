#include "engine/non_finite_tally.hpp"

#include <algorithm>
#include <array>
#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <vector>

using darkfigure::engine::NonFiniteExample;
using darkfigure::engine::detail::NonFiniteTally;

namespace {

NonFiniteExample example_at(std::uint64_t draw) {
  return {draw, std::numeric_limits<double>::quiet_NaN(), {{"x", static_cast<double>(draw)}}};
}

}  // namespace

TEST_CASE("a tally keeps the lowest offered draw and adds counts") {
  NonFiniteTally tally(2);
  CHECK(tally.is_first(0, 1'000'000));
  tally.count(0, 3);
  tally.offer(0, example_at(500));
  tally.offer(0, example_at(900));
  tally.offer(0, example_at(20));
  tally.count(0, 4);
  CHECK(tally.counts() == std::vector<std::uint64_t>{7, 0});
  REQUIRE(tally.first()[0].has_value());
  CHECK(tally.first()[0]->draw == 20);
  CHECK(tally.first()[0]->inputs.at(0).second == 20.0);
  CHECK_FALSE(tally.first()[1].has_value());
  CHECK_FALSE(tally.is_first(0, 21));
  CHECK(tally.is_first(0, 19));
}

TEST_CASE("merging worker tallies gives the same result in every order") {
  // Three workers that ran interleaved blocks; the lowest draw of output 0 is with the second
  // worker and output 1 is non-finite only for the third.
  std::array<NonFiniteTally, 3> workers = {NonFiniteTally(2), NonFiniteTally(2), NonFiniteTally(2)};
  workers[0].count(0, 5);
  workers[0].offer(0, example_at(8192 + 7));
  workers[1].count(0, 2);
  workers[1].offer(0, example_at(4096 + 1));
  workers[2].count(0, 1);
  workers[2].offer(0, example_at(3 * 4096));
  workers[2].count(1, 9);
  workers[2].offer(1, example_at(3 * 4096 + 2));

  std::array<std::size_t, 3> order = {0, 1, 2};
  do {
    NonFiniteTally total(2);
    for (const std::size_t w : order)
      total.merge(workers[w]);
    CAPTURE(order[0], order[1], order[2]);
    CHECK(total.counts() == std::vector<std::uint64_t>{8, 9});
    REQUIRE(total.first()[0].has_value());
    CHECK(total.first()[0]->draw == 4096 + 1);
    REQUIRE(total.first()[1].has_value());
    CHECK(total.first()[1]->draw == 3 * 4096 + 2);
    CHECK(std::isnan(total.first()[1]->value));
  } while (std::next_permutation(order.begin(), order.end()));
}
