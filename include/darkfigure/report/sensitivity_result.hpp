#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "darkfigure/report/result.hpp"
#include "darkfigure/report/writer.hpp"

namespace darkfigure::report {

/// What one sensitivity method says of one input.
struct InputSensitivity {
  std::string name;
  std::string text;  ///< the input as the scenario states it: "beta(4, 16)"
  // sobol
  double first = 0.0;  ///< first-order Sobol index
  double total = 0.0;  ///< total Sobol index
  std::pair<double, double> first_ci{0.0, 0.0};
  std::pair<double, double> total_ci{0.0, 0.0};
  // src, prcc
  double coefficient = 0.0;  ///< standardised regression or partial rank correlation
  // tornado
  double low_input = 0.0;   ///< the input's 10th percentile
  double high_input = 0.0;  ///< the input's 90th percentile
  double low = 0.0;         ///< the output's quantile of interest with the input at low_input
  double high = 0.0;        ///< ... at high_input
  double swing = 0.0;       ///< |high - low|
};

/// A sensitivity study of one output of one scenario (or sweep point).
struct SensitivityResult {
  std::string scenario;
  std::string file;
  std::vector<std::pair<std::string, double>> sweep;  ///< the sweep point, if any
  std::string output;
  std::string method;  ///< "sobol", "src", "prcc", "tornado"
  /// Draws per run: the base sample of a Sobol study, the draws regressed for src and prcc, the
  /// draws of each run of a tornado.
  std::uint64_t draws = 0;
  std::uint64_t evaluations = 0;  ///< model evaluations in all
  std::uint64_t seed = 0;
  std::string design = "mc";
  unsigned threads = 1;
  std::uint32_t bootstrap = 0;  ///< sobol: bootstrap resamples of the intervals
  double level = 0.95;          ///< sobol: level of the intervals
  double variance = 0.0;        ///< sobol: the output's variance over A and B
  double r_squared = 0.0;       ///< src, prcc: share of variance the linear fit explains
  double quantile = 0.5;        ///< tornado: the output's quantile of interest
  double baseline = 0.0;        ///< tornado: that quantile with every input as stated
  /// Sobol: by total index, src and prcc: by |coefficient|, tornado: by swing, largest first.
  std::vector<InputSensitivity> inputs;
  std::vector<std::string> warnings;  ///< sentences that say what to do
  double seconds = 0.0;
};

/// "Sobol indices", "standardised regression coefficients", "partial rank correlation
/// coefficients" or "tornado": the method called "sobol", "src", "prcc" or "tornado" as reports
/// and messages name it. Aborts on any other name.
std::string_view sensitivity_method_label(std::string_view method);

/// Renders sensitivity studies in a format, inputs in the order given:
/// - Table and Markdown: a heading per study, its run, a sentence saying how to read it (the
///   fit's R^2 for src and prcc, the definition and baseline of a tornado), a table with the
///   method's columns and the warnings;
/// - Csv: one row per study and input, fields outside the method empty;
/// - Latex: a booktabs table per study with the method's columns;
/// - Json: {"darkfigure": VERSION, "sensitivity": [{"scenario", "file", "sweep" (only at a sweep
///   point), "output", "method", "settings" (with bootstrap and level for sobol, quantile for
///   tornado), "variance" | "r_squared" | "baseline", "inputs": {INPUT: {"text", ...}},
///   "warnings", "seconds"}], "provenance": {...}}, each input with first, total, first_ci and
///   total_ci (sobol), src, prcc, or low, high, swing, low_input and high_input (tornado); numbers
///   that are not finite are null.
/// Aborts on a method other than "sobol", "src", "prcc" or "tornado".
std::string render_sensitivity(Format format, std::span<const SensitivityResult> results,
                               const Provenance& provenance);

}  // namespace darkfigure::report
