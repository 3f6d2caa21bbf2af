#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "darkfigure/core/error.hpp"
#include "darkfigure/engine/engine.hpp"

namespace darkfigure::engine::detail {

/// The non-finite draws of each output seen by one worker: how many, and the lowest-indexed one
/// with the inputs that produced it. Counts add up and the lowest draw wins, so merging the tallies
/// of all workers gives the same result whichever worker ran which block, in any merge order.
class NonFiniteTally {
 public:
  /// An empty tally for `output_count` outputs.
  explicit NonFiniteTally(std::size_t output_count)
      : counts_(output_count, 0), first_(output_count) {}

  /// Adds `count` non-finite draws of output `output`.
  void count(std::size_t output, std::uint64_t count) { counts_.at(output) += count; }

  /// Whether `draw` would be the lowest non-finite draw of `output` seen so far; lets the caller
  /// skip recording the inputs of a draw that cannot win.
  bool is_first(std::size_t output, std::uint64_t draw) const {
    const std::optional<NonFiniteExample>& first = first_.at(output);
    return !first.has_value() || draw < first->draw;
  }

  /// Keeps `example` as the first non-finite draw of `output` if it comes before the current one.
  void offer(std::size_t output, NonFiniteExample example) {
    if (is_first(output, example.draw)) first_[output] = std::move(example);
  }

  /// Adds another worker's tally of the same outputs.
  void merge(const NonFiniteTally& other) {
    DARKFIGURE_CHECK(other.counts_.size() == counts_.size());
    for (std::size_t k = 0; k < counts_.size(); ++k) {
      counts_[k] += other.counts_[k];
      if (other.first_[k].has_value()) offer(k, *other.first_[k]);
    }
  }

  /// Per output: non-finite draws counted.
  const std::vector<std::uint64_t>& counts() const noexcept { return counts_; }
  /// Per output: the lowest non-finite draw offered, if any.
  const std::vector<std::optional<NonFiniteExample>>& first() const noexcept { return first_; }

 private:
  std::vector<std::uint64_t> counts_;
  std::vector<std::optional<NonFiniteExample>> first_;
};

}  // namespace darkfigure::engine::detail
