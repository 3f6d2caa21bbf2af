#include "darkfigure/report/sensitivity_result.hpp"

#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <vector>

#include "darkfigure/core/error.hpp"
#include "darkfigure/core/text.hpp"
#include "darkfigure/report/number_format.hpp"
#include "json_document.hpp"
#include "latex.hpp"
#include "writers.hpp"

namespace darkfigure::report {
namespace {

using Json = nlohmann::ordered_json;
using Rows = std::vector<std::vector<std::string>>;
using detail::markdown_cell;

enum class Method { Sobol, Src, Prcc, Tornado };

Method method_of(const SensitivityResult& result) {
  if (result.method == "sobol") return Method::Sobol;
  if (result.method == "src") return Method::Src;
  if (result.method == "prcc") return Method::Prcc;
  DARKFIGURE_CHECK(result.method == "tornado");
  return Method::Tornado;
}

/// Indices and coefficients are estimates with Monte Carlo noise in the third digit at best.
std::string index_text(double value) {
  return display_number(value, 3);
}

std::string interval_text(const std::pair<double, double>& interval) {
  return "[" + index_text(interval.first) + ", " + index_text(interval.second) + "]";
}

/// "median" for 0.5, otherwise the percentile as an ordinal: 0.9 -> "90th percentile",
/// 0.975 -> "97.5th percentile", 0.01 -> "1st percentile".
std::string quantile_label(double quantile) {
  if (quantile == 0.5) return "median";
  // Rounding first keeps 0.07 * 100 = 7.000000000000001 from reading as a fraction.
  const double percent = std::round(quantile * 100.0 * 1e9) / 1e9;
  const std::string digits = core::shortest_decimal(percent);
  std::string suffix = "th";
  if (percent == std::floor(percent)) {
    const auto whole = static_cast<long long>(percent);
    if (whole % 100 < 11 || whole % 100 > 13) {
      if (whole % 10 == 1) suffix = "st";
      if (whole % 10 == 2) suffix = "nd";
      if (whole % 10 == 3) suffix = "rd";
    }
  }
  return digits + suffix + " percentile";
}

/// "kz (crisis_uptake = 0.02): victims, Sobol indices".
std::string heading(const SensitivityResult& result) {
  const std::string point = display_point(result.sweep);
  return result.scenario + (point.empty() ? "" : " (" + point + ")") + ": " + result.output + ", " +
         std::string(sensitivity_method_label(result.method));
}

/// "base sample 32,768 draws, 229,376 model evaluations, seed 1, 2 threads, 0.41 s".
std::string run_line(const SensitivityResult& result) {
  const Method method = method_of(result);
  std::string line = method == Method::Sobol ? "base sample " : "";
  line += display_count(result.draws) + (method == Method::Tornado ? " draws per run" : " draws");
  if (result.design != "mc") {
    const std::string design = result.design == "lhs"     ? "Latin hypercube"
                               : result.design == "sobol" ? "Sobol"
                                                          : result.design;
    line += " (" + design + " design)";
  }
  char seconds[32];
  std::snprintf(seconds, sizeof seconds, "%.2f s", result.seconds);
  return line + ", " + display_count(result.evaluations) + " model evaluations, seed " +
         std::to_string(result.seed) + ", " + std::to_string(result.threads) +
         (result.threads == 1 ? " thread, " : " threads, ") + seconds;
}

/// How far a linear summary can be trusted: only an R^2 near 1 makes the coefficients a fair
/// summary of the output, so a poor fit is said in words, not left to the reader.
std::string fit_line(const SensitivityResult& result, bool ranks) {
  const std::string name = ranks ? "R^2 of ranks" : "R^2";
  const std::string fit = ranks ? "the linear fit to the ranks" : "the linear fit";
  const std::string of =
      (ranks ? " of the variance in the ranks of " : " of the variance of ") + result.output;
  const std::string summary = ranks ? "a monotone summary" : "a linear summary";
  if (!std::isfinite(result.r_squared)) {
    return name + " is " + display_number(result.r_squared) + ": " + fit +
           " failed, so the coefficients say nothing";
  }
  const std::string head = name + " = " + index_text(result.r_squared) + ": " + fit + " explains ";
  const std::string share = display_percent(result.r_squared, 2);
  if (result.r_squared < 0.7) {
    return head + "only " + share + of + ": read the coefficients as rough";
  }
  return head + share + of + "; " + summary + " is fair only when " + name + " is near 1";
}

/// The sentence that says what the numbers of the table are.
std::string reading_line(const SensitivityResult& result) {
  switch (method_of(result)) {
    case Method::Sobol: {
      std::string line = "shares of the variance of " + result.output + " (" +
                         display_number(result.variance) +
                         ") due to each input alone (first) and with its interactions (total)";
      if (result.bootstrap > 0) {
        line += "; " + detail::level_label(result.level) + " intervals from " +
                display_count(result.bootstrap) + " bootstrap resamples";
      }
      return line;
    }
    case Method::Src:
      return fit_line(result, false);
    case Method::Prcc:
      return fit_line(result, true);
    case Method::Tornado:
      return "the " + quantile_label(result.quantile) + " of " + result.output +
             " with each input held at its 10th and 90th percentile, the others as stated; " +
             "baseline " + display_number(result.baseline);
  }
  return {};
}

/// The study as rows of cells, a header row first; the first column is the input's name.
Rows study_rows(const SensitivityResult& result) {
  const Method method = method_of(result);
  const std::string interval = detail::level_label(result.level) + " interval";
  Rows rows;
  switch (method) {
    case Method::Sobol:
      rows.push_back({"input", "first", interval, "total", interval});
      break;
    case Method::Src:
      rows.push_back({"input", "SRC"});
      break;
    case Method::Prcc:
      rows.push_back({"input", "PRCC"});
      break;
    case Method::Tornado:
      rows.push_back({"input", "low input (p10)", "high input (p90)", "output at low",
                      "output at high", "swing"});
      break;
  }
  for (const InputSensitivity& input : result.inputs) {
    switch (method) {
      case Method::Sobol:
        rows.push_back({input.name, index_text(input.first), interval_text(input.first_ci),
                        index_text(input.total), interval_text(input.total_ci)});
        break;
      case Method::Src:
      case Method::Prcc:
        rows.push_back({input.name, index_text(input.coefficient)});
        break;
      case Method::Tornado:
        rows.push_back({input.name, display_number(input.low_input),
                        display_number(input.high_input), display_number(input.low),
                        display_number(input.high), display_number(input.swing)});
        break;
    }
  }
  return rows;
}

std::string write_table(std::span<const SensitivityResult> results) {
  std::string out;
  for (const SensitivityResult& result : results) {
    if (!out.empty()) out += '\n';
    out += heading(result) + '\n' + run_line(result) + '\n' + reading_line(result) + "\n\n";
    out += detail::aligned(study_rows(result));
    for (const std::string& warning : result.warnings)
      out += "warning: " + warning + '\n';
  }
  return out;
}

std::string write_markdown(std::span<const SensitivityResult> results) {
  std::string out;
  for (const SensitivityResult& result : results) {
    if (!out.empty()) out += '\n';
    out += "### " + markdown_cell(heading(result)) + "\n\n";
    out += markdown_cell(run_line(result)) + ".\n\n";
    out += markdown_cell(reading_line(result)) + ".\n\n";
    const Rows rows = study_rows(result);
    for (std::size_t r = 0; r < rows.size(); ++r) {
      out += '|';
      for (const std::string& text : rows[r])
        out += ' ' + markdown_cell(text) + " |";
      out += '\n';
      if (r == 0) {
        out += "|---|";
        for (std::size_t c = 1; c < rows[r].size(); ++c)
          out += "---:|";
        out += '\n';
      }
    }
    if (!result.warnings.empty()) out += '\n';
    for (const std::string& warning : result.warnings)
      out += "- **Warning:** " + markdown_cell(warning) + '\n';
  }
  return out;
}

std::string csv_number(double value) {
  return core::shortest_decimal(value);
}

std::string write_csv(std::span<const SensitivityResult> results) {
  std::string out =
      "scenario,sweep,output,method,input,first,first_lower,first_upper,total,total_lower,"
      "total_upper,coefficient,r_squared,low_input,high_input,low,high,swing,draws,evaluations,"
      "seed\n";
  for (const SensitivityResult& result : results) {
    const Method method = method_of(result);
    const std::string sweep = detail::sweep_field(result.sweep);
    for (const InputSensitivity& input : result.inputs) {
      std::string row = detail::csv_field(result.scenario) + ',' + detail::csv_field(sweep) + ',' +
                        detail::csv_field(result.output) + ',' + result.method + ',' +
                        detail::csv_field(input.name) + ',';
      row += method == Method::Sobol
                 ? csv_number(input.first) + ',' + csv_number(input.first_ci.first) + ',' +
                       csv_number(input.first_ci.second) + ',' + csv_number(input.total) + ',' +
                       csv_number(input.total_ci.first) + ',' + csv_number(input.total_ci.second)
                 : std::string(",,,,,");
      row += ',';
      row += method == Method::Src || method == Method::Prcc
                 ? csv_number(input.coefficient) + ',' + csv_number(result.r_squared)
                 : std::string(",");
      row += ',';
      row += method == Method::Tornado
                 ? csv_number(input.low_input) + ',' + csv_number(input.high_input) + ',' +
                       csv_number(input.low) + ',' + csv_number(input.high) + ',' +
                       csv_number(input.swing)
                 : std::string(",,,,");
      out += row + ',' + std::to_string(result.draws) + ',' + std::to_string(result.evaluations) +
             ',' + std::to_string(result.seed) + '\n';
    }
  }
  return out;
}

/// JSON has no NaN or infinity: a statistic that is not a number is null.
Json number(double value) {
  return std::isfinite(value) ? Json(value) : Json(nullptr);
}

Json interval_json(const std::pair<double, double>& interval) {
  return Json::array({number(interval.first), number(interval.second)});
}

Json input_json(const InputSensitivity& input, Method method) {
  Json json{{"text", input.text}};
  switch (method) {
    case Method::Sobol:
      json["first"] = number(input.first);
      json["total"] = number(input.total);
      json["first_ci"] = interval_json(input.first_ci);
      json["total_ci"] = interval_json(input.total_ci);
      break;
    case Method::Src:
      json["src"] = number(input.coefficient);
      break;
    case Method::Prcc:
      json["prcc"] = number(input.coefficient);
      break;
    case Method::Tornado:
      json["low"] = number(input.low);
      json["high"] = number(input.high);
      json["swing"] = number(input.swing);
      json["low_input"] = number(input.low_input);
      json["high_input"] = number(input.high_input);
      break;
  }
  return json;
}

}  // namespace

/// The tornado's quantile belongs to its settings, as it is chosen before the run; the baseline
/// it produces sits beside the inputs.
Json detail::study_json(const SensitivityResult& result) {
  const Method method = method_of(result);
  Json json{{"scenario", result.scenario}, {"file", result.file}};
  if (!result.sweep.empty()) {
    Json sweep = Json::object();
    for (const auto& [name, value] : result.sweep)
      sweep[name] = number(value);
    json["sweep"] = std::move(sweep);
  }
  json["output"] = result.output;
  json["method"] = result.method;
  Json settings{{"draws", result.draws},
                {"evaluations", result.evaluations},
                {"seed", result.seed},
                {"design", result.design},
                {"threads", result.threads}};
  switch (method) {
    case Method::Sobol:
      settings["bootstrap"] = result.bootstrap;
      settings["level"] = number(result.level);
      break;
    case Method::Tornado:
      settings["quantile"] = number(result.quantile);
      break;
    case Method::Src:
    case Method::Prcc:
      break;
  }
  json["settings"] = std::move(settings);
  switch (method) {
    case Method::Sobol:
      json["variance"] = number(result.variance);
      break;
    case Method::Src:
    case Method::Prcc:
      json["r_squared"] = number(result.r_squared);
      break;
    case Method::Tornado:
      json["baseline"] = number(result.baseline);
      break;
  }
  Json inputs = Json::object();
  for (const InputSensitivity& input : result.inputs)
    inputs[input.name] = input_json(input, method);
  json["inputs"] = std::move(inputs);
  json["warnings"] = result.warnings;
  json["seconds"] = number(result.seconds);
  return json;
}

namespace {

std::string write_json(std::span<const SensitivityResult> results, const Provenance& provenance) {
  Json studies = Json::array();
  for (const SensitivityResult& result : results)
    studies.push_back(detail::study_json(result));
  return detail::json_document("sensitivity", std::move(studies), provenance);
}

/// A booktabs table per study, its run, how to read it and its warnings in a note below.
std::string write_latex(std::span<const SensitivityResult> results) {
  std::string out;
  for (const SensitivityResult& result : results) {
    if (!out.empty()) out += '\n';
    const Rows rows = study_rows(result);
    out += "\\begin{table}[htbp]\n\\centering\n\\caption{" + detail::latex_text(heading(result)) +
           "}\n\\begin{tabular}{l" + std::string(rows.front().size() - 1, 'r') + "}\n\\toprule\n";
    for (std::size_t r = 0; r < rows.size(); ++r) {
      for (std::size_t c = 0; c < rows[r].size(); ++c) {
        if (c > 0) out += " & ";
        out += r == 0 || c == 0 ? detail::latex_text(rows[r][c]) : detail::latex_number(rows[r][c]);
      }
      out += " \\\\\n";
      if (r == 0) out += "\\midrule\n";
    }
    out += "\\bottomrule\n\\end{tabular}\n\n{\\footnotesize " +
           detail::latex_text(run_line(result)) + ". " + detail::latex_text(reading_line(result)) +
           '.';
    for (const std::string& warning : result.warnings)
      out += " Warning: " + detail::latex_text(warning) + '.';
    out += "\\par}\n\\end{table}\n";
  }
  return out;
}

}  // namespace

std::string_view sensitivity_method_label(std::string_view method) {
  if (method == "sobol") return "Sobol indices";
  if (method == "src") return "standardised regression coefficients";
  if (method == "prcc") return "partial rank correlation coefficients";
  DARKFIGURE_CHECK(method == "tornado");
  return "tornado";
}

std::string render_sensitivity(Format format, std::span<const SensitivityResult> results,
                               const Provenance& provenance) {
  switch (format) {
    case Format::Table:
      return write_table(results);
    case Format::Csv:
      return write_csv(results);
    case Format::Markdown:
      return write_markdown(results);
    case Format::Json:
      return write_json(results, provenance);
    case Format::Latex:
      return write_latex(results);
  }
  return {};
}

}  // namespace darkfigure::report
