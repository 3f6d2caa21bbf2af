#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "darkfigure/distributions/inverse_cdf.hpp"
#include "darkfigure/sampling/design.hpp"
#include "darkfigure/scenario/scenario.hpp"

namespace darkfigure::engine::detail {

/// The draws of a block that lie in one replicate of a design: draws first_draw + offset to
/// first_draw + offset + count - 1.
struct Segment {
  std::uint32_t replicate = 0;
  std::size_t offset = 0;
  std::size_t count = 0;
};

/// Fills the inputs of blocks of draws: fixed values, each random input's own sampler (Monte
/// Carlo) or a design's uniforms turned into values by each input's inverse cdf, then the
/// rearrangement of correlated inputs.
///
/// With `copies` = 2 it samples two independent copies of the inputs at once, A and B of a
/// Saltelli design: copy 0 is exactly what a run of the scenario draws; copy 1 has streams of its
/// own under Monte Carlo and the next dimensions of the design (named "[B] input") otherwise, so
/// the random inputs of both copies form one design. Correlated inputs take one copy only.
class InputSampler {
 public:
  /// Throws core::InputError when `draws` cannot take the design (fewer draws than replicates,
  /// more inputs than a Sobol design has dimensions).
  InputSampler(const scenario::Scenario& scenario, std::uint64_t draws, std::uint64_t seed,
               std::size_t copies = 1);

  /// The pieces of the block of `count` draws from `first_draw`: the whole block under Monte
  /// Carlo, else its pieces in each replicate, in draw order.
  std::vector<Segment> segments(std::uint64_t first_draw, std::size_t count) const;

  /// Fills columns[c * inputs + i][0 .. count - 1] with copy c of input i for the block's draws;
  /// `segments` are the block's (segments()).
  void fill(std::uint64_t block, std::size_t count, std::span<const Segment> segments,
            std::span<double* const> columns) const;

 private:
  const scenario::Scenario& scenario_;
  std::uint64_t seed_;
  std::size_t copies_;
  std::uint32_t scenario_id_;
  std::vector<std::uint32_t> copy_ids_;   ///< per copy: the scenario key of its Monte Carlo streams
  std::vector<std::uint32_t> input_ids_;  ///< per input
  std::vector<std::size_t> random_inputs_;  ///< indices of the inputs that are distributions
  std::optional<sampling::Replicates> replicates_;
  std::optional<sampling::DesignSampler> design_;
  std::vector<distributions::InverseCdf> inverses_;  ///< per random input
  std::vector<std::uint32_t> correlation_ids_;       ///< per correlation block
};

}  // namespace darkfigure::engine::detail
