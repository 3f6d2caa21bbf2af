#include <algorithm>
#include <cstdio>
#include <vector>

#include "darkfigure/report/number_format.hpp"
#include "writers.hpp"

namespace darkfigure::report::detail {

std::string aligned(const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::size_t> widths;
  for (const auto& row : rows) {
    widths.resize(std::max(widths.size(), row.size()));
    for (std::size_t c = 0; c < row.size(); ++c)
      widths[c] = std::max(widths[c], row[c].size());
  }
  std::string out;
  for (const auto& row : rows) {
    std::string line;
    for (std::size_t c = 0; c < row.size(); ++c) {
      const std::string padding(widths[c] - row[c].size(), ' ');
      if (c > 0) line += "  ";
      line += c == 0 ? row[c] + padding : padding + row[c];
    }
    while (!line.empty() && line.back() == ' ')
      line.pop_back();
    out += line + '\n';
  }
  return out;
}

namespace {

std::string run_line(const ScenarioResult& result) {
  char seconds[32];
  std::snprintf(seconds, sizeof seconds, "%.2f s", result.seconds);
  return display_count(result.settings.draws) + " draws, seed " +
         std::to_string(result.settings.seed) + ", " + std::to_string(result.settings.threads) +
         (result.settings.threads == 1 ? " thread, " : " threads, ") + seconds;
}

}  // namespace

std::string write_table(std::span<const ScenarioResult> results) {
  std::string out;
  for (const auto& result : results) {
    if (!out.empty()) out += '\n';
    out += result.name + (result.sweep.empty() ? "" : " (" + display_point(result.sweep) + ")") +
           (result.title.empty() ? "" : ": " + result.title) + '\n';
    out += run_line(result) + "\n\n";

    std::string interval_label = "estimate";
    const bool weighted = result.conditioning.has_value();
    std::vector<std::string> header = {"output", "mean", "mcse", "sd"};
    if (!result.outputs.empty()) {
      for (const double level : result.outputs.front().summary.levels) {
        header.push_back(level_label(level));
      }
      const Headline h = headline(result.outputs.front().summary);
      if (!h.label.empty()) interval_label += " (" + h.label + ")";
    }
    header.push_back(interval_label);
    if (weighted) header.push_back("ESS");

    std::vector<std::vector<std::string>> rows = {header};
    for (const auto& output : result.outputs) {
      const auto& s = output.summary;
      std::vector<std::string> row = {output.name, display_number(s.mean),
                                      display_number(s.mcse_mean, 2), display_number(s.sd)};
      for (const double q : s.quantiles)
        row.push_back(display_number(q));
      row.push_back(display_headline(output));
      if (weighted) row.push_back(display_count(static_cast<std::uint64_t>(s.ess)));
      rows.push_back(std::move(row));
    }
    out += aligned(rows);
    if (weighted) {
      const Conditioning& c = *result.conditioning;
      out += '\n' + conditioning_line(result) + '\n';
      if (!c.observations.empty()) out += aligned(observation_rows(c));
      for (const std::string& line : prior_lines(c))
        out += line + '\n';
      if (const std::string line = resampling_line(c); !line.empty()) out += line + '\n';
    }
    for (const auto& output : result.outputs) {
      const std::string note = non_finite_note(output, result.settings.draws);
      if (!note.empty()) out += "warning: " + note + '\n';
    }
    if (const std::string note = binned_note(result); !note.empty()) out += "note: " + note + '\n';
    if (const std::string note = design_note(result); !note.empty()) out += "note: " + note + '\n';
    for (const std::string& warning : result.warnings)
      out += "warning: " + warning + '\n';
  }
  return out;
}

}  // namespace darkfigure::report::detail
