#include "darkfigure/sampling/design.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <stdexcept>

#include <boost/random/sobol.hpp>

#include "darkfigure/core/error.hpp"
#include "darkfigure/random/stream.hpp"

namespace darkfigure::sampling {
namespace {

constexpr std::array<std::string_view, 3> kDesignNames = {"mc", "lhs", "sobol"};

/// The stream of a replicate's randomisation of an input: no input can be called this, so it is
/// independent of the input's own streams.
std::uint32_t design_stream_id(std::string_view input) {
  return random::stream_id("[sampling] " + std::string(input));
}

/// The finaliser of SplitMix64 (Steele, Lea and Flood 2014): a bijection of 64-bit words whose
/// every output bit depends on every input bit.
constexpr std::uint64_t mix(std::uint64_t z) noexcept {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

/// A keyed pseudo-random permutation of 0..n-1 that maps any index on its own: a balanced
/// four-round Feistel network on the smallest even number of bits that holds n (Luby and
/// Rackoff 1988), walked back into range by re-encrypting indices at or past n (Black and
/// Rogaway 2002, "Ciphers with arbitrary finite domains"). Since the network is a bijection of its
/// 2^bits words, the walk is a bijection of 0..n-1; it takes under four steps on average.
class Permutation {
 public:
  Permutation(std::uint64_t n, std::uint64_t key) noexcept : n_(n) {
    const auto bits = static_cast<unsigned>(std::bit_width(std::max<std::uint64_t>(n - 1, 1)));
    half_ = (bits + 1) / 2;
    mask_ = (std::uint64_t{1} << half_) - 1;
    for (std::size_t round = 0; round < keys_.size(); ++round)
      keys_[round] = mix(key + (round + 1) * 0x9e3779b97f4a7c15ULL);
  }

  std::uint64_t operator()(std::uint64_t index) const noexcept {
    do {
      std::uint64_t left = index >> half_;
      std::uint64_t right = index & mask_;
      for (const std::uint64_t key : keys_) {
        const std::uint64_t next = left ^ (mix(right ^ key) & mask_);
        left = right;
        right = next;
      }
      index = (left << half_) | right;
    } while (index >= n_);
    return index;
  }

 private:
  std::uint64_t n_;
  unsigned half_ = 1;
  std::uint64_t mask_ = 1;
  std::array<std::uint64_t, 4> keys_{};
};

/// Nested uniform scrambling (Owen 1995) of a Sobol coordinate, in (0, 1). Digit d of the top 32
/// bits flips when a hash of the key, d and the digits above it says so: a random function of the
/// node of the scrambling tree, which is what nested uniform scrambling draws (the hashed form of
/// Burley 2020, "Practical hash-based Owen scrambling", JCGT 9(4)). The 20 bits below are uniform
/// given the 32 scrambled ones, as deeper scrambled digits are when no two of the replicate's
/// points share their top 32 bits (true of the first 2^32 points of the sequence).
double owen_scrambled(std::uint64_t coordinate, std::uint64_t key) noexcept {
  const auto digits = static_cast<std::uint32_t>(coordinate >> 32);
  std::uint64_t scrambled = 0;
  for (unsigned digit = 0; digit < 32; ++digit) {
    const std::uint64_t above = digit == 0 ? 0 : digits >> (32 - digit);
    const std::uint64_t flip = mix(key ^ ((above << 6) | digit)) >> 63;
    scrambled = (scrambled << 1) | (((digits >> (31 - digit)) & 1) ^ flip);
  }
  const std::uint64_t below = mix(key ^ ((std::uint64_t{digits} << 6) | 32)) >> 44;
  return random::Stream::open_unit((scrambled << 32) | (below << 12));
}

/// The largest double below 1: where (stratum + offset) / n rounds up to 1.
constexpr double kBelowOne = 1.0 - 0x1.0p-53;

}  // namespace

std::string_view design_name(Design design) noexcept {
  return kDesignNames[static_cast<std::size_t>(design)];
}

std::optional<Design> find_design(std::string_view name) noexcept {
  for (std::size_t i = 0; i < kDesignNames.size(); ++i) {
    if (kDesignNames[i] == name) return static_cast<Design>(i);
  }
  return std::nullopt;
}

std::vector<std::string> design_names() {
  return {kDesignNames.begin(), kDesignNames.end()};
}

Replicates::Replicates(std::uint64_t draws, std::uint32_t count) : draws_(draws), count_(count) {
  DARKFIGURE_CHECK(count >= 1 && count <= kMaxReplicates && draws >= count);
}

std::uint32_t Replicates::of(std::uint64_t draw) const noexcept {
  // first(r) <= draw exactly when r * draws < (draw + 1) * count: the replicate is the largest
  // such r.
  return static_cast<std::uint32_t>(((draw + 1) * count_ - 1) / draws_);
}

std::size_t DesignSampler::max_sobol_dimensions() noexcept {
  return boost::random::default_sobol_table::max_dimension;
}

DesignSampler::DesignSampler(Design design, const Replicates& replicates, std::uint64_t seed,
                             std::string_view scenario, std::span<const std::string> inputs)
    : design_(design),
      replicates_(replicates),
      seed_(seed),
      scenario_id_(random::stream_id(scenario)) {
  if (design == Design::sobol && inputs.size() > max_sobol_dimensions()) {
    throw std::invalid_argument("a Sobol design has at most " +
                                std::to_string(max_sobol_dimensions()) + " dimensions");
  }
  input_ids_.reserve(inputs.size());
  for (const std::string& name : inputs)
    input_ids_.push_back(random::stream_id(name));
  keys_.reserve(std::size_t{replicates.count()} * inputs.size());
  for (std::uint32_t r = 0; r < replicates.count(); ++r) {
    for (const std::string& name : inputs) {
      random::Stream stream(random::StreamKey{seed, scenario_id_, r, design_stream_id(name)});
      keys_.push_back(stream());
    }
  }
}

void DesignSampler::fill(std::uint64_t block, std::uint64_t first_draw, std::size_t count,
                         std::span<double* const> columns) const {
  DARKFIGURE_CHECK(columns.size() == input_ids_.size());
  if (count == 0 || columns.empty()) return;
  const std::uint32_t replicate = replicates_.of(first_draw);
  const std::uint64_t start = replicates_.first(replicate);
  const std::uint64_t size = replicates_.size(replicate);
  DARKFIGURE_CHECK(first_draw + count <= start + size);
  const std::uint64_t* keys = keys_.data() + std::size_t{replicate} * input_ids_.size();

  if (design_ == Design::lhs) {
    const auto strata = static_cast<double>(size);
    DARKFIGURE_CHECK(first_draw >= block * kBlockDraws &&
                     first_draw - block * kBlockDraws < kBlockDraws);
    const std::uint64_t skip = first_draw - block * kBlockDraws;
    for (std::size_t j = 0; j < columns.size(); ++j) {
      const Permutation stratum(size, keys[j]);
      random::Stream offsets(
          random::StreamKey{seed_, scenario_id_, static_cast<std::uint32_t>(block), input_ids_[j]});
      for (std::uint64_t w = 0; w < skip; ++w)
        offsets();
      double* column = columns[j];
      for (std::size_t i = 0; i < count; ++i) {
        const double cell = static_cast<double>(stratum(first_draw - start + i));
        column[i] = std::min((cell + offsets.uniform()) / strata, kBelowOne);
      }
    }
    return;
  }

  DARKFIGURE_CHECK(design_ == Design::sobol);
  // Boost's generator starts at point 1 of the sequence: seeding it with k puts it at point k + 1.
  // Point 0 (the origin) is kept, so that the first 2^m points of a replicate form a net.
  const std::size_t dimensions = columns.size();
  boost::random::sobol points(dimensions);
  std::uint64_t index = first_draw - start;
  std::size_t i = 0;
  if (index == 0) {
    for (std::size_t j = 0; j < dimensions; ++j)
      columns[j][0] = owen_scrambled(0, keys[j]);
    i = 1;
    index = 1;
  }
  if (i < count) points.seed(index - 1);
  for (; i < count; ++i) {
    for (std::size_t j = 0; j < dimensions; ++j)
      columns[j][i] = owen_scrambled(points(), keys[j]);
  }
}

}  // namespace darkfigure::sampling
