#pragma once

#include <string>
#include <vector>

#include "darkfigure/report/publication.hpp"

namespace darkfigure::report {

/// A figure as a Vega-Lite (v6) specification, with its data inline, that users can restyle.
struct Plot {
  /// The file stem, unique within a publication and safe as a file name: lower-case letters,
  /// digits, '-' and '.' ("histogram-kz-2023-national-victims").
  std::string name;
  std::string kind;     ///< "histogram", "forest", "tornado", "sobol" or "convergence"
  std::string title;    ///< for people: "victims: kz-2023-national"
  std::string caption;  ///< one sentence saying how to read it
  std::string spec;     ///< the Vega-Lite JSON text
};

/// The figures of a publication, in this order:
/// - per result (scenario or sweep point) and output with a histogram: the histogram of its
///   draws as bars, the interval at publication.level shaded behind them and the estimate as a
///   rule, with the shares beyond the plotted range said in the caption;
/// - per output name present (and not an indicator) in two or more results: a forest plot of its
///   estimate and interval across those results (scenarios, sweep points or regions), one row
///   each, labelled by scenario and sweep point;
/// - per sensitivity study: Sobol first-order and total indices as grouped bars with their
///   intervals as error bars, or a tornado of the low and high runs around the baseline, or the
///   coefficients (src, prcc) as bars;
/// - per result and output with a trace: the running mean against draws (log scale) with a band
///   of +-2 MCSE.
std::vector<Plot> plots(const Publication& publication);

}  // namespace darkfigure::report
