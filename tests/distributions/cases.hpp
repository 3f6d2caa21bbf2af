#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "darkfigure/distributions/distribution.hpp"

namespace darkfigure::distributions::testing {

/// A distribution call: a family and its arguments.
struct Call {
  std::string_view family;
  std::vector<Argument> arguments;

  Distribution make() const { return Distribution::make(family, arguments); }
};

/// Valid calls, several per family, with the edge cases each sampler must survive.
const std::vector<Call>& valid_calls();

/// The engine's block size.
inline constexpr std::size_t kBlockSize = 4096;

/// `count` draws the way the engine takes them: fill() once per block of 4096 draws, each block
/// from a fresh stream keyed by (seed, scenario, block index, input).
std::vector<double> draw_in_blocks(const Distribution& distribution, std::size_t count,
                                   std::uint64_t seed, std::uint32_t input);

}  // namespace darkfigure::distributions::testing
