#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <utility>
#include <vector>

#include "darkfigure/engine/engine.hpp"
#include "darkfigure/summary/moments.hpp"

namespace darkfigure::engine::detail {

/// The per-output moments of the draws of a block that lie in one replicate of a design.
struct ReplicateSegment {
  std::uint32_t replicate = 0;
  std::vector<summary::Moments> moments;
};

/// Combines the per-output moments of blocks in block order, whatever order the workers finish
/// them in: a block's moments wait until every earlier block has been folded in. Workers take
/// blocks in increasing order, so only the blocks in flight ever wait. The moments of each
/// replicate of a design are folded the same way, segment after segment.
class OrderedFold {
 public:
  explicit OrderedFold(std::size_t output_count) : total_(output_count) {}

  /// Continues a fold whose blocks up to `next_block` - 1 gave `total` and `checkpoints`;
  /// `replicates` holds, per output, the moments of each replicate (empty without a design).
  OrderedFold(std::vector<summary::Moments> total, std::uint64_t next_block,
              std::vector<std::vector<summary::Moments>> replicates = {},
              std::vector<Checkpoint> checkpoints = {})
      : next_block_(next_block),
        total_(std::move(total)),
        replicates_(std::move(replicates)),
        checkpoints_(std::move(checkpoints)) {}

  /// Hands in the moments of `block` and of its replicate segments, in draw order; thread-safe.
  void deposit(std::uint64_t block, std::vector<summary::Moments> moments,
               std::vector<ReplicateSegment> segments = {}) {
    const std::lock_guard lock(mutex_);
    waiting_.emplace(block, Deposit{std::move(moments), std::move(segments)});
    for (auto next = waiting_.begin(); next != waiting_.end() && next->first == next_block_;
         next = waiting_.erase(next)) {
      for (std::size_t k = 0; k < total_.size(); ++k)
        total_[k].append(next->second.moments[k]);
      for (const ReplicateSegment& segment : next->second.segments) {
        for (std::size_t k = 0; k < total_.size(); ++k)
          replicates_[k][segment.replicate].append(segment.moments[k]);
      }
      ++next_block_;
      if (is_checkpoint(next_block_)) checkpoints_.push_back({next_block_, total_});
    }
  }

  /// The index after the last block folded: the block count once every block has been deposited.
  std::uint64_t folded() const {
    const std::lock_guard lock(mutex_);
    return next_block_;
  }

  /// Per output: the moments of blocks 0 to folded() - 1.
  const std::vector<summary::Moments>& total() const noexcept { return total_; }
  /// Per output and replicate: the moments of its draws in blocks 0 to folded() - 1.
  std::vector<std::vector<summary::Moments>>& replicates() noexcept { return replicates_; }
  /// The moments after each checkpoint among blocks 1 to folded().
  std::vector<Checkpoint>& checkpoints() noexcept { return checkpoints_; }

 private:
  struct Deposit {
    std::vector<summary::Moments> moments;
    std::vector<ReplicateSegment> segments;
  };
  mutable std::mutex mutex_;
  std::uint64_t next_block_ = 0;
  std::map<std::uint64_t, Deposit> waiting_;
  std::vector<summary::Moments> total_;
  std::vector<std::vector<summary::Moments>> replicates_;
  std::vector<Checkpoint> checkpoints_;
};

}  // namespace darkfigure::engine::detail
