#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "darkfigure/report/result.hpp"

namespace darkfigure::report::detail {

std::string write_table(std::span<const ScenarioResult> results);
std::string write_csv(std::span<const ScenarioResult> results);
std::string write_markdown(std::span<const ScenarioResult> results);
std::string write_json(std::span<const ScenarioResult> results, const Provenance& provenance);
/// The LaTeX interval table of `run --format latex`, at the coverage of the first result's
/// headline interval.
std::string write_latex(std::span<const ScenarioResult> results, const Provenance& provenance);

/// `value` rounded to `significant` significant digits (at least 1) as printf's %e rounds it.
double round_significant(double value, int significant);

/// The headline of an output: median (or mean when 0.5 was not requested) and the interval
/// between the outermost requested quantiles, labelled by its coverage ("95% UI").
struct Headline {
  double estimate;
  std::optional<double> low;
  std::optional<double> high;
  std::string label;  ///< "95% UI"; empty without an interval
};
Headline headline(const summary::Summary& summary);

/// "158,700 (85,400-439,300)", or "P = 12.34%" for an indicator output.
std::string display_headline(const OutputResult& output);

/// "crisis_uptake=0.02;reporting_rate=0.3": a sweep point in one CSV field; empty for none.
std::string sweep_field(const std::vector<std::pair<std::string, double>>& point);

/// The column label of a quantile level: 0.025 -> "2.5%".
std::string level_label(double level);

/// The sentence about an output's non-finite draws, or empty when it has none.
std::string non_finite_note(const OutputResult& output, std::uint64_t draws);

/// "conditioned on 2 observations and 1 prior: effective sample size 12,345 of 1,000,000 draws
/// (1.2%); the largest weight is 0.01% of their sum", or empty for an unconditioned run.
std::string conditioning_line(const ScenarioResult& result);

/// The table of observation checks, a header row then one row per observation: name, value(s),
/// likelihood, effective sample size alone, prior predictive P(Y <= y), two-sided tail.
std::vector<std::vector<std::string>> observation_rows(const Conditioning& conditioning);

/// One sentence per [[prior]]: the stated prior, the pooling, how the induced density was found.
std::vector<std::string> prior_lines(const Conditioning& conditioning);

/// "resampled 10,000 equally weighted draws (systematic), 8,123 of them distinct", or empty.
std::string resampling_line(const Conditioning& conditioning);

/// Columns of text, the first left-aligned and the others right-aligned, padded to their widest
/// cell. Widths count bytes: every cell is ASCII.
std::string aligned(const std::vector<std::vector<std::string>>& rows);

/// A Markdown table cell: pipe tables break on a literal '|', so it is escaped, and on a line
/// break, which becomes a space.
std::string markdown_cell(std::string_view text);

/// A CSV field quoted as RFC 4180 asks: only a field with a comma, a quote or a line break is
/// quoted, its quotes doubled.
std::string csv_field(std::string_view text);

/// The sentence saying that a run's quantiles come from histograms and how far they can be from
/// the exact sample quantiles, or empty when they are exact.
std::string binned_note(const ScenarioResult& result);

/// The sentence saying that the standard errors come from the replicates of a Latin hypercube or
/// Sobol design, or empty under Monte Carlo.
std::string design_note(const ScenarioResult& result);

}  // namespace darkfigure::report::detail
