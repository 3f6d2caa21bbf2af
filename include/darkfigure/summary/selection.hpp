#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "darkfigure/summary/moments.hpp"

namespace darkfigure::summary {

/// Exact order statistics of a large stored column in one pass that can be split across threads,
/// in the manner of Floyd & Rivest (1975, "Expected time bounds for selection", CACM 18(3)): a
/// systematic sample of the column brackets each wanted rank between two values, a pass counts
/// the values below each bracket and at its ends and collects those strictly inside it, and a
/// small selection within the bracket finishes the job. Ties at the ends are counted, not kept, so
/// an output with few distinct values needs almost no memory. The column is not reordered. The
/// result is the exact order statistic, so it does not depend on how the column was split into
/// chunks.
///
///     RankSelection selection(column, moments, {249, 4999, 9749});
///     std::vector<RankSelection::Partial> parts = {selection.scan(column)};
///     std::vector<double> x = selection.finish(parts);  // x[i] has rank ranks[i]
class RankSelection {
 public:
  /// What one chunk of the column holds of each bracket.
  struct Partial {
    std::vector<std::uint64_t> below;         ///< per bracket: finite values below it
    std::vector<std::uint64_t> at_low;        ///< per bracket: values equal to its low end
    std::vector<std::uint64_t> at_high;       ///< per bracket: values equal to its high end
    std::vector<std::vector<double>> inside;  ///< per bracket: the values strictly inside it
  };

  /// Plans the brackets. `moments` are those of `values`; `ranks` are 0-based ranks among the
  /// finite values, strictly ascending, each below moments.count.
  RankSelection(std::span<const double> values, const Moments& moments,
                std::vector<std::uint64_t> ranks);

  /// Scans a chunk of the column. Chunks may be scanned concurrently.
  Partial scan(std::span<const double> chunk) const;

  /// The order statistics from the partials of chunks that cover the column once. A rank that
  /// fell outside its bracket (rare by design) is found by a selection over the whole column.
  std::vector<double> finish(std::span<Partial> partials) const;

 private:
  struct Bracket {
    double low;
    double high;
    std::vector<std::size_t> rank_indices;  ///< into ranks_
  };

  std::vector<double> select_from_all() const;

  std::span<const double> values_;
  double min_;
  std::vector<std::uint64_t> ranks_;
  std::vector<Bracket> brackets_;
};

}  // namespace darkfigure::summary
