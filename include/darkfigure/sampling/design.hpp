#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace darkfigure::sampling {

/// How a run places its draws in the unit cube of its random inputs.
enum class Design {
  mc,     ///< plain Monte Carlo: independent draws from each input's own sampler
  lhs,    ///< Latin hypercube: each input's draws fill every stratum of (0, 1) once per replicate
  sobol,  ///< Sobol points (Joe and Kuo's directions), each replicate with its own Owen scrambling
};

/// "mc", "lhs", "sobol".
std::string_view design_name(Design design) noexcept;
/// The design called `name`, or nullopt.
std::optional<Design> find_design(std::string_view name) noexcept;
/// Every design's name, in the order of the enumeration.
std::vector<std::string> design_names();

/// Draws per block of the engine: the Latin hypercube's offsets come from the block's streams.
inline constexpr std::uint64_t kBlockDraws = 4096;

/// Independent randomisations of a design in one run, unless the scenario asks otherwise.
inline constexpr std::uint32_t kDefaultReplicates = 8;
/// The most replicates a run may have.
inline constexpr std::uint32_t kMaxReplicates = 10'000;

/// The split of a run's draws into independently randomised replicates of a design: replicate r
/// holds draws first(r) to first(r + 1) - 1, first(r) = floor(r * draws / count), so sizes differ
/// by at most one draw.
class Replicates {
 public:
  /// `count` replicates of `draws` draws, at least one draw each.
  Replicates(std::uint64_t draws, std::uint32_t count);

  std::uint32_t count() const noexcept { return count_; }
  std::uint64_t draws() const noexcept { return draws_; }
  std::uint64_t first(std::uint32_t replicate) const noexcept {
    return replicate * draws_ / count_;
  }
  std::uint64_t size(std::uint32_t replicate) const noexcept {
    return first(replicate + 1) - first(replicate);
  }
  /// The replicate that holds `draw` (below draws()).
  std::uint32_t of(std::uint64_t draw) const noexcept;

 private:
  std::uint64_t draws_;
  std::uint32_t count_;
};

/// The uniforms in (0, 1) that a Latin hypercube or Sobol design gives the random inputs of a run.
/// Everything random comes from counter-based streams keyed by (seed, scenario, replicate or
/// block, input), so any range of draws can be filled on its own, by any thread, and always gets
/// the same numbers.
///
/// Latin hypercube: in replicate r of n draws, input j's draw i lies in stratum pi(i) of n equal
/// strata, pi a pseudo-random permutation of 0..n-1 (a keyed Feistel network walked back into
/// range), at a uniform offset within it taken from the block's stream of the input.
/// Sobol: draw i of replicate r is point i of the Sobol sequence (point 0 included, so every
/// 2^m points starting at 0 form a (t, m, s)-net), its coordinate j given nested uniform (Owen)
/// scrambling keyed by replicate r and input j: hashed flips of its top 32 digits, then 20 uniform
/// bits below them.
class DesignSampler {
 public:
  /// `inputs`: the names of the random inputs, in the order of the Sobol dimensions.
  /// Throws std::invalid_argument for more inputs than the Sobol tables have dimensions.
  DesignSampler(Design design, const Replicates& replicates, std::uint64_t seed,
                std::string_view scenario, std::span<const std::string> inputs);

  Design design() const noexcept { return design_; }
  const Replicates& replicates() const noexcept { return replicates_; }

  /// Fills columns[j][0] to columns[j][count - 1] with input j's uniforms for draws first_draw to
  /// first_draw + count - 1, which lie in one replicate and in block `block` (whose streams give
  /// the Latin hypercube's offsets: word d - block start of input j's stream for draw d).
  void fill(std::uint64_t block, std::uint64_t first_draw, std::size_t count,
            std::span<double* const> columns) const;

  /// The most dimensions (random inputs) a Sobol design has.
  static std::size_t max_sobol_dimensions() noexcept;

 private:
  Design design_;
  Replicates replicates_;
  std::uint64_t seed_;
  std::uint32_t scenario_id_;
  std::vector<std::uint32_t> input_ids_;
  /// Per replicate and input (replicate-major): the Sobol shift, or the Latin hypercube's
  /// permutation key.
  std::vector<std::uint64_t> keys_;
};

}  // namespace darkfigure::sampling
