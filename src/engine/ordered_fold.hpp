#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <utility>
#include <vector>

#include "darkfigure/summary/moments.hpp"

namespace darkfigure::engine::detail {

/// Combines the per-output moments of blocks in block order, whatever order the workers finish
/// them in: a block's moments wait until every earlier block has been folded in. Workers take
/// blocks in increasing order, so only the blocks in flight ever wait.
class OrderedFold {
 public:
  explicit OrderedFold(std::size_t output_count) : total_(output_count) {}

  /// Continues a fold whose blocks up to `next_block` - 1 gave `total`.
  OrderedFold(std::vector<summary::Moments> total, std::uint64_t next_block)
      : next_block_(next_block), total_(std::move(total)) {}

  /// Hands in the moments of `block`; thread-safe.
  void deposit(std::uint64_t block, std::vector<summary::Moments> moments) {
    const std::lock_guard lock(mutex_);
    waiting_.emplace(block, std::move(moments));
    for (auto next = waiting_.begin(); next != waiting_.end() && next->first == next_block_;
         next = waiting_.erase(next)) {
      for (std::size_t k = 0; k < total_.size(); ++k)
        total_[k].append(next->second[k]);
      ++next_block_;
    }
  }

  /// The index after the last block folded: the block count once every block has been deposited.
  std::uint64_t folded() const {
    const std::lock_guard lock(mutex_);
    return next_block_;
  }

  /// Per output: the moments of blocks 0 to folded() - 1.
  const std::vector<summary::Moments>& total() const noexcept { return total_; }

 private:
  mutable std::mutex mutex_;
  std::uint64_t next_block_ = 0;
  std::map<std::uint64_t, std::vector<summary::Moments>> waiting_;
  std::vector<summary::Moments> total_;
};

}  // namespace darkfigure::engine::detail
