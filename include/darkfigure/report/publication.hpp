#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "darkfigure/report/result.hpp"
#include "darkfigure/report/sensitivity_result.hpp"

namespace darkfigure::report {

/// Everything `darkfigure report` publishes: the results of every scenario and sweep point in
/// the order they ran, the sensitivity studies the scenarios ask for, and the run's provenance.
struct Publication {
  std::vector<ScenarioResult> results;
  std::vector<SensitivityResult> sensitivity;
  Provenance provenance;
  double level = 0.95;  ///< coverage of the uncertainty intervals, in (0, 1)
};

/// A value rounded to the precision its Monte Carlo standard error supports: to the decimal
/// place of the standard error's leading digit, with 2 to 6 significant digits, thousands
/// separators, and as a percentage when `percent` ("158,700", "4.09%"). With no finite standard
/// error, 4 significant digits. NaN and infinities as display_number writes them.
std::string display_rounded(double value, double mcse, bool percent);

/// One row of an interval table: an output of a scenario or sweep point.
struct IntervalRow {
  std::string scenario;
  std::string title;
  std::vector<std::pair<std::string, double>> sweep;  ///< the sweep point, if any
  std::string output;
  bool indicator = false;  ///< the estimate is a probability, P(output = 1)
  bool share = false;      ///< shown as percentages
  double level = 0.95;
  // Full precision. For an indicator, estimate is the mean and there is no interval.
  double estimate = 0.0;       ///< the median (the mean when no 0.5 quantile was computed)
  std::optional<double> low;   ///< the (1 - level) / 2 quantile
  std::optional<double> high;  ///< the (1 + level) / 2 quantile
  double mean = 0.0;
  double sd = 0.0;
  double mcse = 0.0;  ///< of the mean
  /// Monte Carlo standard errors of estimate, low and high; NaN when unknown.
  double estimate_mcse = 0.0;
  double low_mcse = 0.0;
  double high_mcse = 0.0;
  std::optional<double> ess;  ///< effective sample size, for a conditioned scenario
  std::uint64_t draws = 0;
  std::uint64_t non_finite = 0;
  // For people, each rounded by display_rounded to its own standard error.
  std::string display;  ///< "158,700 (85,400-439,300)", "4.09% (1.93-10.7%)" or "P = 1.31%"
  std::string estimate_text;
  std::string low_text;
  std::string high_text;
  std::string mean_text;
  std::string sd_text;
  std::string mcse_text;
  std::string ess_text;  ///< empty when not conditioned
};

/// The interval table of results: one row per result and output, in order. The interval is
/// taken from the quantiles at (1 - level) / 2 and (1 + level) / 2 when the summary has them
/// (compared to 1e-12); else there is none and the display column shows the estimate alone.
std::vector<IntervalRow> interval_rows(std::span<const ScenarioResult> results, double level);

/// The interval quantile levels of a coverage: {(1 - level) / 2, 0.5, (1 + level) / 2}.
std::vector<double> interval_levels(double level);

/// The files of a publication, beside report.html and the plots.
enum class SummaryFormat {
  Csv,       ///< one row per result and output, full precision (shortest round-trip decimals)
  Markdown,  ///< the interval table, each scenario's inputs with their sources, the studies
  Latex,     ///< booktabs tables: intervals, then inputs with their sources; provenance as notes
  Json,      ///< the interval rows, each scenario's run (as `run --format json`), the studies
  Table,     ///< the interval table aligned for a terminal, and the warnings
};

/// Renders a publication:
/// - Csv: header `scenario,sweep,output,level,estimate,low,high,mean,sd,mcse,estimate_mcse,
///   low_mcse,high_mcse,ess,draws,non_finite,share,indicator,display`;
/// - Markdown: a title, the provenance, one pipe table of every row (scenario, output, estimate
///   with its interval, mean, sd, MCSE, ESS when any result is conditioned), then per scenario
///   its inputs (name, distribution, source, note), its observations and priors, its warnings,
///   and the sensitivity studies;
/// - Latex: a booktabs `table` with the interval rows grouped by scenario, and a booktabs table
///   of each scenario's inputs with their sources; special characters escaped; a comment block
///   with the provenance and a table note naming the draws, seed and level; compiles with
///   `\usepackage{booktabs}` alone;
/// - Json: {"darkfigure": VERSION, "level", "rows": [...], "scenarios": [...], "sensitivity":
///   [...], "provenance": {"version", "git_commit", "rng", "samplers", "created", "scenarios":
///   [{"file", "sha256", "seed", "design", "draws", "threads"}]}};
/// - Table: the columns of the Markdown table, aligned, then each result's warnings.
std::string render_summary(SummaryFormat format, const Publication& publication);

}  // namespace darkfigure::report
