#include <vector>

#include "darkfigure/report/number_format.hpp"
#include "writers.hpp"

namespace darkfigure::report::detail {

std::string markdown_cell(std::string_view text) {
  std::string escaped;
  for (const char c : text) {
    if (c == '|') {
      escaped += "\\|";
    } else {
      // A line break would end the table row.
      escaped += c == '\n' || c == '\r' ? ' ' : c;
    }
  }
  return escaped;
}

std::string write_markdown(std::span<const ScenarioResult> results) {
  std::string out;
  for (const auto& result : results) {
    if (!out.empty()) out += '\n';
    out += "### " + markdown_cell(result.name) +
           (result.sweep.empty() ? "" : " (" + markdown_cell(display_point(result.sweep)) + ")") +
           (result.title.empty() ? "" : ": " + markdown_cell(result.title)) + "\n\n";
    out += display_count(result.settings.draws) + " draws, seed " +
           std::to_string(result.settings.seed) + ".\n\n";

    std::string header = "| output | estimate";
    std::string rule = "|---|---:";
    if (!result.outputs.empty()) {
      const Headline h = headline(result.outputs.front().summary);
      if (!h.label.empty()) header += " (" + h.label + ")";
    }
    header += " | mean | MCSE | sd";
    rule += "|---:|---:|---:";
    if (!result.outputs.empty()) {
      for (const double level : result.outputs.front().summary.levels) {
        header += " | " + level_label(level);
        rule += "|---:";
      }
    }
    const bool weighted = result.conditioning.has_value();
    if (weighted) {
      header += " | ESS";
      rule += "|---:";
    }
    out += header + " |\n" + rule + "|\n";
    for (const auto& output : result.outputs) {
      const auto& s = output.summary;
      out += "| " + markdown_cell(output.name) + " | " + display_headline(output) + " | " +
             display_number(s.mean) + " | " + display_number(s.mcse_mean, 2) + " | " +
             display_number(s.sd);
      for (const double q : s.quantiles)
        out += " | " + display_number(q);
      if (weighted) out += " | " + display_count(static_cast<std::uint64_t>(s.ess));
      out += " |\n";
    }
    bool first_note = true;
    for (const auto& output : result.outputs) {
      const std::string note = non_finite_note(output, result.settings.draws);
      if (note.empty()) continue;
      out += (first_note ? "\n" : "") + std::string("> **Warning:** ") + markdown_cell(note) + "\n";
      first_note = false;
    }
    for (const std::string& note : {binned_note(result), design_note(result)}) {
      if (note.empty()) continue;
      if (first_note) out += '\n';
      out += "> **Note:** " + markdown_cell(note) + '\n';
      first_note = false;
    }
    for (const std::string& warning : result.warnings) {
      out +=
          (first_note ? "\n" : "") + std::string("> **Warning:** ") + markdown_cell(warning) + "\n";
      first_note = false;
    }
    if (result.conditioning) {
      const Conditioning& c = *result.conditioning;
      out += '\n';
      out += markdown_cell(conditioning_line(result));
      out += ".\n";
      if (!c.observations.empty()) {
        const auto rows = observation_rows(c);
        out += "\n";
        for (std::size_t r = 0; r < rows.size(); ++r) {
          out += "|";
          for (const std::string& text : rows[r]) {
            out += ' ';
            out += markdown_cell(text);
            out += " |";
          }
          out += "\n";
          if (r == 0) out += "|---|---:|---|---:|---:|---:|\n";
        }
      }
      std::vector<std::string> lines = prior_lines(c);
      if (std::string line = resampling_line(c); !line.empty()) lines.push_back(std::move(line));
      for (const std::string& line : lines) {
        out += '\n';
        out += markdown_cell(line);
        out += ".\n";
      }
    }
  }
  return out;
}

}  // namespace darkfigure::report::detail
