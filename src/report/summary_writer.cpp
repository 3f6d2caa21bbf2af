#include "darkfigure/report/publication.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "darkfigure/core/text.hpp"
#include "darkfigure/report/number_format.hpp"
#include "darkfigure/report/writer.hpp"
#include "json_document.hpp"
#include "latex.hpp"
#include "writers.hpp"

namespace darkfigure::report {
namespace {

using Json = nlohmann::ordered_json;

constexpr int kFewestDigits = 2;
constexpr int kMostDigits = 6;
constexpr double kLevelTolerance = 1e-12;
constexpr const char* kNoFiniteDraws = "no finite draws";

/// The power of ten of the leading digit of a positive finite number: 180 -> 2, 0.0024 -> -3.
int leading_exponent(double magnitude) {
  auto exponent = static_cast<int>(std::floor(std::log10(magnitude)));
  // log10 can land on the wrong side of an exact power of ten.
  if (std::pow(10.0, exponent) > magnitude) {
    --exponent;
  } else if (std::pow(10.0, exponent + 1) <= magnitude) {
    ++exponent;
  }
  return exponent;
}

/// Where `level` is among the summary's quantile levels.
std::optional<std::size_t> level_index(const summary::Summary& summary, double level) {
  for (std::size_t i = 0; i < summary.levels.size(); ++i) {
    if (std::abs(summary.levels[i] - level) <= kLevelTolerance) return i;
  }
  return std::nullopt;
}

/// The uncertainty of a quantile that its digits must respect: its Monte Carlo standard error, or
/// the bound on its distance to the exact sample quantile when that is larger (binned runs).
double quantile_mcse(const summary::Summary& summary, std::size_t index) {
  if (index >= summary.quantile_mcse.size()) return std::numeric_limits<double>::quiet_NaN();
  const double error = index < summary.quantile_error.size() ? summary.quantile_error[index] : 0.0;
  return std::max(summary.quantile_mcse[index], std::isfinite(error) ? error : 0.0);
}

/// "158,700 (85,400-439,300)", "4.09% (1.93-10.7%)" or "P = 1.31%", with `dash` between
/// non-negative bounds.
std::string display_of(const IntervalRow& row, std::string_view dash) {
  if (row.indicator) return "P = " + row.estimate_text;
  std::string text = row.estimate_text;
  if (row.low && row.high) {
    // A dash reads well between non-negative bounds and is ambiguous before a minus sign.
    const bool negative = *row.low < 0 || *row.high < 0;
    std::string low = row.low_text;
    if (row.share && !low.empty() && low.back() == '%') low.pop_back();
    text += " (" + low + (negative ? std::string(" to ") : std::string(dash)) + row.high_text + ")";
  }
  return text;
}

/// The first result of each scenario file, in order: what the provenance lists.
std::vector<const ScenarioResult*> distinct_files(std::span<const ScenarioResult> results) {
  std::vector<const ScenarioResult*> files;
  std::set<std::string> seen;
  for (const ScenarioResult& result : results) {
    if (seen.insert(result.file).second) files.push_back(&result);
  }
  return files;
}

/// "seed 7, 1,000 draws, design mc, 2 threads".
std::string run_settings(const Settings& settings) {
  return "seed " + std::to_string(settings.seed) + ", " + display_count(settings.draws) +
         " draws, design " + settings.design + ", " + std::to_string(settings.threads) +
         (settings.threads == 1 ? " thread" : " threads");
}

/// "darkfigure 0.1.0 (commit abc123), run 2026-01-01T00:00:00Z; random numbers: philox4x32-10;
/// samplers: darkfigure samplers 1".
std::string provenance_line(const Provenance& provenance) {
  return "darkfigure " + provenance.version + " (commit " +
         (provenance.git_commit.empty() ? std::string("unknown") : provenance.git_commit) +
         "), run " + provenance.created + "; random numbers: " + provenance.rng +
         "; samplers: " + provenance.samplers;
}

/// Something a scenario rests on, with where it comes from.
struct SourceRow {
  std::string name;
  std::string text;  ///< the distribution or value as written
  std::string source;
  std::string note;
};

/// A scenario's inputs, then the observations and priors it is conditioned on.
std::vector<SourceRow> source_rows(const ScenarioResult& result) {
  std::vector<SourceRow> rows;
  for (const InputRecord& input : result.inputs)
    rows.push_back({input.name, input.text, input.source, input.note});
  if (!result.conditioning) return rows;
  for (const ObservationCheck& observation : result.conditioning->observations) {
    std::string values = std::to_string(observation.values.size()) + " values";
    if (observation.values.size() <= 3) {
      values.clear();
      for (std::size_t i = 0; i < observation.values.size(); ++i)
        values += (i == 0 ? "" : ", ") + core::shortest_decimal(observation.values[i]);
    }
    rows.push_back({observation.name + " (observed)", values + " ~ " + observation.likelihood,
                    observation.source, observation.note});
  }
  for (const PriorCheck& prior : result.conditioning->priors) {
    rows.push_back({"prior on " + prior.on,
                    prior.dist + ", pooling " + core::shortest_decimal(prior.pooling), prior.source,
                    prior.note});
  }
  return rows;
}

/// A sentence a reader must see beside a result's figures.
struct Note {
  bool warning = false;  ///< a warning, else a note on how the figures were made
  std::string text;
};

/// Non-finite draws and the scenario's warnings (warnings), binned quantiles and replicated
/// designs (notes).
std::vector<Note> result_notes(const ScenarioResult& result) {
  std::vector<Note> notes;
  for (const OutputResult& output : result.outputs) {
    if (std::string note = detail::non_finite_note(output, result.settings.draws); !note.empty())
      notes.push_back({true, std::move(note)});
  }
  for (std::string note : {detail::binned_note(result), detail::design_note(result)}) {
    if (!note.empty()) notes.push_back({false, std::move(note)});
  }
  for (const std::string& warning : result.warnings)
    notes.push_back({true, warning});
  return notes;
}

std::string csv_number(double value) {
  return core::shortest_decimal(value);
}

/// A standard error that is NaN is unknown: an empty field.
std::string csv_known(double value) {
  return std::isnan(value) ? std::string() : core::shortest_decimal(value);
}

std::string csv_optional(const std::optional<double>& value) {
  return value ? core::shortest_decimal(*value) : std::string();
}

std::string write_csv(std::span<const IntervalRow> rows) {
  std::string out =
      "scenario,sweep,output,level,estimate,low,high,mean,sd,mcse,estimate_mcse,low_mcse,"
      "high_mcse,ess,draws,non_finite,share,indicator,display\n";
  for (const IntervalRow& row : rows) {
    out += detail::csv_field(row.scenario) + ',' +
           detail::csv_field(detail::sweep_field(row.sweep)) + ',' + detail::csv_field(row.output) +
           ',' + csv_number(row.level) + ',' + csv_number(row.estimate) + ',' +
           csv_optional(row.low) + ',' + csv_optional(row.high) + ',' + csv_number(row.mean) + ',' +
           csv_number(row.sd) + ',' + csv_known(row.mcse) + ',' + csv_known(row.estimate_mcse) +
           ',' + csv_known(row.low_mcse) + ',' + csv_known(row.high_mcse) + ',' +
           csv_optional(row.ess) + ',' + std::to_string(row.draws) + ',' +
           std::to_string(row.non_finite) + ',' + (row.share ? "true" : "false") + ',' +
           (row.indicator ? "true" : "false") + ',' + detail::csv_field(row.display) + '\n';
  }
  return out;
}

/// The header of the interval table in Markdown and for the terminal.
std::vector<std::string> interval_header(double level, bool with_ess) {
  std::vector<std::string> header = {
      "scenario", "output", "estimate (" + detail::level_label(level) + " UI)",
      "mean",     "sd",     "MCSE"};
  if (with_ess) header.emplace_back("ESS");
  return header;
}

std::vector<std::string> interval_cells(const IntervalRow& row, bool with_ess) {
  std::vector<std::string> cells = {display_result(row.scenario, row.sweep),
                                    row.output,
                                    row.display,
                                    row.mean_text,
                                    row.sd_text,
                                    row.mcse_text};
  if (with_ess) cells.push_back(row.ess_text);
  return cells;
}

std::string write_table(const Publication& publication) {
  const std::vector<IntervalRow> rows = interval_rows(publication.results, publication.level);
  const bool with_ess = std::any_of(rows.begin(), rows.end(),
                                    [](const IntervalRow& row) { return row.ess.has_value(); });
  std::vector<std::vector<std::string>> table = {interval_header(publication.level, with_ess)};
  for (const IntervalRow& row : rows)
    table.push_back(interval_cells(row, with_ess));
  std::string out = detail::aligned(table);
  std::string notes;
  for (const ScenarioResult& result : publication.results) {
    for (const auto& [warning, note] : result_notes(result)) {
      notes += (warning ? "warning: " : "note: ") + display_result(result.name, result.sweep) +
               ": " + note + '\n';
    }
  }
  return notes.empty() ? out : out + '\n' + notes;
}

std::string markdown_row(const std::vector<std::string>& cells) {
  std::string row = "|";
  for (const std::string& cell : cells)
    row += ' ' + detail::markdown_cell(cell) + " |";
  return row + '\n';
}

std::string write_markdown(const Publication& publication) {
  const std::vector<IntervalRow> rows = interval_rows(publication.results, publication.level);
  std::string out = "# darkfigure report\n\n" + provenance_line(publication.provenance) + ".\n\n";
  for (const ScenarioResult* result : distinct_files(publication.results)) {
    out += "- `" + result->file +
           "`: " + (result->sha256.empty() ? "" : "sha256 `" + result->sha256 + "`, ") +
           run_settings(result->settings) + '\n';
  }
  const bool with_ess = std::any_of(rows.begin(), rows.end(),
                                    [](const IntervalRow& row) { return row.ess.has_value(); });
  out += '\n' + markdown_row(interval_header(publication.level, with_ess)) +
         "|---|---|---:|---:|---:|---:|" + (with_ess ? "---:|" : "") + '\n';
  for (const IntervalRow& row : rows)
    out += markdown_row(interval_cells(row, with_ess));

  std::set<std::string> listed;
  for (const ScenarioResult& result : publication.results) {
    std::string section;
    if (listed.insert(result.name).second) {
      section +=
          "### inputs\n\n| name | distribution or value | source | note |\n|---|---|---|---|\n";
      for (const SourceRow& row : source_rows(result))
        section += markdown_row({row.name, row.text, row.source, row.note});
    }
    const auto notes = result_notes(result);
    if (!notes.empty()) section += section.empty() ? "" : "\n";
    for (const auto& [warning, note] : notes)
      section +=
          (warning ? "> **Warning:** " : "> **Note:** ") + detail::markdown_cell(note) + '\n';
    if (result.conditioning) {
      const Conditioning& c = *result.conditioning;
      section += (section.empty() ? "" : "\n") +
                 detail::markdown_cell(detail::conditioning_line(result)) + ".\n";
      if (!c.observations.empty()) {
        const auto observations = detail::observation_rows(c);
        section += '\n';
        for (std::size_t r = 0; r < observations.size(); ++r) {
          section += markdown_row(observations[r]);
          if (r == 0) section += "|---|---:|---|---:|---:|---:|\n";
        }
      }
      std::vector<std::string> lines = detail::prior_lines(c);
      if (std::string line = detail::resampling_line(c); !line.empty())
        lines.push_back(std::move(line));
      for (const std::string& line : lines)
        section += '\n' + detail::markdown_cell(line) + ".\n";
    }
    if (section.empty()) continue;
    out += "\n## " + detail::markdown_cell(display_result(result.name, result.sweep)) +
           (result.title.empty() ? "" : ": " + detail::markdown_cell(result.title)) + "\n\n" +
           section;
  }
  if (!publication.sensitivity.empty()) {
    out += "\n## sensitivity\n\n" +
           render_sensitivity(Format::Markdown, publication.sensitivity, publication.provenance);
  }
  return out;
}

/// "1,000 draws, seed 7", or per scenario file when they differ: "kz: 1,000 draws, seed 7; ...".
std::string draws_and_seeds(std::span<const ScenarioResult> results) {
  const auto files = distinct_files(results);
  const auto of = [](const ScenarioResult& result) {
    return display_count(result.settings.draws) + " draws, seed " +
           std::to_string(result.settings.seed);
  };
  if (files.size() == 1) return of(*files.front());
  std::string text;
  for (const ScenarioResult* result : files)
    text += (text.empty() ? "" : "; ") + result->name + ": " + of(*result);
  return text;
}

/// A comment line: everything after % up to the line's end is ignored, so only line breaks need
/// care.
std::string latex_comment(std::string_view text) {
  std::string line = "% ";
  for (const char c : text)
    line += c == '\n' || c == '\r' ? ' ' : c;
  return line + '\n';
}

std::string latex_intervals(std::span<const ScenarioResult> results, const Provenance& provenance,
                            double level) {
  const std::vector<IntervalRow> rows = interval_rows(results, level);
  const bool with_ess = std::any_of(rows.begin(), rows.end(),
                                    [](const IntervalRow& row) { return row.ess.has_value(); });
  const std::size_t columns = with_ess ? 6 : 5;
  const std::string span = std::to_string(columns);
  const std::string label = detail::latex_text(detail::level_label(level));

  std::string out = latex_comment("darkfigure interval table; needs \\usepackage{booktabs}");
  out += latex_comment(provenance_line(provenance));
  for (const ScenarioResult* result : distinct_files(results)) {
    out += latex_comment(result->file + ": " +
                         (result->sha256.empty() ? "" : "sha256 " + result->sha256 + ", ") +
                         run_settings(result->settings));
  }
  out += "\\begin{table}[htbp]\n\\centering\n\\caption{Estimates with their " + label +
         " uncertainty intervals}\n\\label{tab:darkfigure-intervals}\n\\begin{tabular}{l" +
         std::string(columns - 1, 'r') + "}\n\\toprule\n & estimate & \\multicolumn{" +
         std::to_string(columns - 2) + "}{c}{summary of the draws} \\\\\n\\cmidrule(l){3-" + span +
         "}\noutput & (" + label + " UI) & mean & sd & MCSE" + (with_ess ? " & ESS" : "") +
         " \\\\\n\\midrule\n";
  std::size_t row = 0;
  for (const ScenarioResult& result : results) {
    if (row > 0) out += "\\addlinespace\n";
    // Titles are long for a row that spans the table: the caption of the inputs table has them.
    out += "\\multicolumn{" + span + "}{l}{\\textit{" +
           detail::latex_text(display_result(result.name, result.sweep)) + "}} \\\\\n";
    for (std::size_t i = 0; i < result.outputs.size(); ++i, ++row) {
      const IntervalRow& r = rows[row];
      const std::string display = r.display == kNoFiniteDraws ? r.display : display_of(r, "--");
      out += detail::latex_text(r.output) + " & " + detail::latex_number(display) + " & " +
             detail::latex_number(r.mean_text) + " & " + detail::latex_number(r.sd_text) + " & " +
             detail::latex_number(r.mcse_text);
      if (with_ess) out += " & " + detail::latex_number(r.ess_text);
      out += " \\\\\n";
    }
  }
  const bool medians = std::all_of(results.begin(), results.end(), [](const ScenarioResult& r) {
    return std::all_of(r.outputs.begin(), r.outputs.end(), [](const OutputResult& output) {
      return output.indicator || level_index(output.summary, 0.5).has_value();
    });
  });
  const std::vector<double> levels = interval_levels(level);
  std::string note = std::string("Estimates are ") +
                     (medians ? "medians" : "medians (means where no median was computed)") +
                     " of " + draws_and_seeds(results) + ", with " + detail::level_label(level) +
                     " uncertainty intervals (UI) from the " + detail::level_label(levels.front()) +
                     " to the " + detail::level_label(levels.back()) +
                     " quantile; P is the probability of a 0/1 output. MCSE is the Monte Carlo "
                     "standard error of the mean";
  if (with_ess) note += "; ESS the effective sample size of a conditioned scenario";
  note += ". Each figure is rounded to its own Monte Carlo standard error.";
  out += "\\bottomrule\n\\end{tabular}\n\n{\\footnotesize " + detail::latex_text(note) +
         "\\par}\n\\end{table}\n";
  return out;
}

std::string latex_inputs(std::span<const ScenarioResult> results) {
  std::string out;
  std::set<std::string> listed;
  std::size_t table = 0;
  for (const ScenarioResult& result : results) {
    if (!listed.insert(result.name).second) continue;
    ++table;
    out += "\n\\begin{table}[htbp]\n\\centering\n\\caption{Inputs of " +
           detail::latex_text(result.name) +
           (result.title.empty() ? "" : ": " + detail::latex_text(result.title)) +
           ", with their sources}\n\\label{tab:darkfigure-inputs-" + std::to_string(table) +
           "}\n\\begin{tabular}{llp{0.3\\linewidth}p{0.25\\linewidth}}\n\\toprule\n"
           "input & distribution or value & source & note \\\\\n\\midrule\n";
    // \raggedright suits narrow columns but redefines \\, so these rows end in \tabularnewline.
    for (const SourceRow& row : source_rows(result)) {
      out += detail::latex_text(row.name) + " & \\texttt{" + detail::latex_text(row.text) +
             "} & \\raggedright " + detail::latex_text(row.source) + " & \\raggedright " +
             detail::latex_text(row.note) + " \\tabularnewline\n";
    }
    out += "\\bottomrule\n\\end{tabular}\n\\end{table}\n";
  }
  return out;
}

std::string write_latex(std::span<const ScenarioResult> results, const Provenance& provenance,
                        double level) {
  return latex_intervals(results, provenance, level) + latex_inputs(results);
}

Json rows_json(std::span<const IntervalRow> rows) {
  const auto optional = [](const std::optional<double>& value) {
    return value ? detail::json_number(*value) : Json();
  };
  Json array = Json::array();
  for (const IntervalRow& row : rows) {
    Json entry{{"scenario", row.scenario}};
    if (!row.sweep.empty()) {
      Json point = Json::object();
      for (const auto& [name, value] : row.sweep)
        point[name] = detail::json_number(value);
      entry["sweep"] = std::move(point);
    }
    entry.update(Json{{"output", row.output},
                      {"level", detail::json_number(row.level)},
                      {"estimate", detail::json_number(row.estimate)},
                      {"low", optional(row.low)},
                      {"high", optional(row.high)},
                      {"mean", detail::json_number(row.mean)},
                      {"sd", detail::json_number(row.sd)},
                      {"mcse", detail::json_number(row.mcse)},
                      {"estimate_mcse", detail::json_number(row.estimate_mcse)},
                      {"low_mcse", detail::json_number(row.low_mcse)},
                      {"high_mcse", detail::json_number(row.high_mcse)},
                      {"ess", optional(row.ess)},
                      {"draws", row.draws},
                      {"non_finite", row.non_finite},
                      {"share", row.share},
                      {"indicator", row.indicator},
                      {"display", row.display}});
    array.push_back(std::move(entry));
  }
  return array;
}

std::string write_json(const Publication& publication) {
  Json scenarios = Json::array();
  for (const ScenarioResult& result : publication.results)
    scenarios.push_back(detail::scenario_json(result));
  Json studies = Json::array();
  for (const SensitivityResult& study : publication.sensitivity)
    studies.push_back(detail::study_json(study));
  Json files = Json::array();
  for (const ScenarioResult* result : distinct_files(publication.results)) {
    files.push_back(Json{{"file", result->file},
                         {"sha256", result->sha256},
                         {"seed", result->settings.seed},
                         {"design", result->settings.design},
                         {"draws", result->settings.draws},
                         {"threads", result->settings.threads}});
  }
  Json provenance = detail::provenance_json(publication.provenance);
  provenance["scenarios"] = std::move(files);
  const Json document{{"darkfigure", publication.provenance.version},
                      {"level", detail::json_number(publication.level)},
                      {"rows", rows_json(interval_rows(publication.results, publication.level))},
                      {"scenarios", std::move(scenarios)},
                      {"sensitivity", std::move(studies)},
                      {"provenance", std::move(provenance)}};
  return document.dump(2) + '\n';
}

}  // namespace

std::string display_rounded(double value, double mcse, bool percent) {
  if (!std::isfinite(value)) return display_number(value);
  const std::string unit = percent ? "%" : "";
  if (percent) {
    value *= 100.0;
    mcse *= 100.0;
  }
  if (mcse == 0.0 && value != 0.0) {
    // No Monte Carlo error (a quantile on an atom of the draws): the value as written, to at
    // most kMostDigits significant digits.
    int digits = 1;
    while (digits < kMostDigits && detail::round_significant(value, digits) != value)
      ++digits;
    return display_number(value, digits) + unit;
  }
  if (!std::isfinite(mcse) || mcse <= 0.0 || value == 0.0) return display_number(value) + unit;
  const int place = leading_exponent(mcse);
  int digits = leading_exponent(std::abs(value)) - place + 1;
  if (digits > kMostDigits) return display_number(value, kMostDigits) + unit;
  double rounded = value;
  if (digits >= 1) {
    rounded = detail::round_significant(value, digits);
    // Rounding can carry into a new leading digit (999.96 to tenths is 1,000.0): one digit more.
    digits = leading_exponent(std::abs(rounded)) - place + 1;
  }
  if (digits < kFewestDigits) return display_number(value, kFewestDigits) + unit;
  if (digits > kMostDigits) return display_number(value, kMostDigits) + unit;
  return display_number(rounded, digits) + unit;
}

std::vector<double> interval_levels(double level) {
  // (1 - 0.95) / 2 is 0.025000000000000022 in binary: snap each bound to 12 decimals, so that the
  // levels are the ones people write and key the JSON as "0.025".
  const auto snapped = [](double p) { return std::round(p * 1e12) / 1e12; };
  return {snapped((1.0 - level) / 2.0), 0.5, snapped((1.0 + level) / 2.0)};
}

std::vector<IntervalRow> interval_rows(std::span<const ScenarioResult> results, double level) {
  const std::vector<double> levels = interval_levels(level);
  const double unknown = std::numeric_limits<double>::quiet_NaN();
  std::vector<IntervalRow> rows;
  for (const ScenarioResult& result : results) {
    for (const OutputResult& output : result.outputs) {
      const summary::Summary& s = output.summary;
      IntervalRow row;
      row.scenario = result.name;
      row.title = result.title;
      row.sweep = result.sweep;
      row.output = output.name;
      row.indicator = output.indicator;
      row.share = output.share;
      row.level = level;
      row.estimate = s.mean;
      row.estimate_mcse = s.mcse_mean;
      row.low_mcse = unknown;
      row.high_mcse = unknown;
      if (!output.indicator) {
        if (const auto median = level_index(s, 0.5)) {
          row.estimate = s.quantiles[*median];
          row.estimate_mcse = quantile_mcse(s, *median);
        }
        const auto low = level_index(s, levels.front());
        const auto high = level_index(s, levels.back());
        if (low && high) {
          row.low = s.quantiles[*low];
          row.high = s.quantiles[*high];
          row.low_mcse = quantile_mcse(s, *low);
          row.high_mcse = quantile_mcse(s, *high);
        }
      }
      row.mean = s.mean;
      row.sd = s.sd;
      row.mcse = s.mcse_mean;
      if (result.conditioning) row.ess = s.ess;
      row.draws = result.settings.draws;
      row.non_finite = s.non_finite;

      const bool percent = output.share || output.indicator;
      row.estimate_text = display_rounded(row.estimate, row.estimate_mcse, percent);
      if (row.low) row.low_text = display_rounded(*row.low, row.low_mcse, percent);
      if (row.high) row.high_text = display_rounded(*row.high, row.high_mcse, percent);
      row.mean_text = display_rounded(s.mean, s.mcse_mean, percent);
      // The standard error of the sd is of the order of the mean's (sd / sqrt(2n) against
      // sd / sqrt(n) for normal draws), so it is rounded to the same place.
      row.sd_text = display_rounded(s.sd, s.mcse_mean, percent);
      row.mcse_text = !std::isfinite(s.mcse_mean) ? display_number(s.mcse_mean)
                      : percent                   ? display_percent(s.mcse_mean, 2)
                                                  : display_number(s.mcse_mean, 2);
      if (row.ess) {
        row.ess_text = std::isfinite(*row.ess) && *row.ess >= 0.0
                           ? display_count(static_cast<std::uint64_t>(*row.ess))
                           : display_number(*row.ess);
      }
      row.display = s.count == 0 ? std::string(kNoFiniteDraws) : display_of(row, "-");
      rows.push_back(std::move(row));
    }
  }
  return rows;
}

std::string render_summary(SummaryFormat format, const Publication& publication) {
  switch (format) {
    case SummaryFormat::Csv:
      return write_csv(interval_rows(publication.results, publication.level));
    case SummaryFormat::Markdown:
      return write_markdown(publication);
    case SummaryFormat::Latex:
      return write_latex(publication.results, publication.provenance, publication.level);
    case SummaryFormat::Json:
      return write_json(publication);
    case SummaryFormat::Table:
      return write_table(publication);
  }
  return {};
}

namespace detail {

std::string write_latex(std::span<const ScenarioResult> results, const Provenance& provenance) {
  double level = 0.95;
  if (!results.empty() && !results.front().outputs.empty()) {
    const auto& levels = results.front().outputs.front().summary.levels;
    // An interval needs the outermost levels to sit symmetrically about the median.
    if (!headline(results.front().outputs.front().summary).label.empty() &&
        std::abs(levels.front() + levels.back() - 1.0) < 1e-12)
      level = levels.back() - levels.front();
  }
  return report::write_latex(results, provenance, level);
}

}  // namespace detail
}  // namespace darkfigure::report
