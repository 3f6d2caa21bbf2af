#include "darkfigure/report/html.hpp"

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <sstream>
#include <system_error>
#include <vector>

#include "darkfigure/core/error.hpp"
#include "darkfigure/core/text.hpp"
#include "darkfigure/report/number_format.hpp"
#include "darkfigure/report/sensitivity_result.hpp"
#include "writers.hpp"

namespace darkfigure::report {
namespace {

namespace fs = std::filesystem;
using Rows = std::vector<std::vector<std::string>>;

/// A package of the node_modules layout and its minified UMD build.
struct VegaPackage {
  const char* name;
  const char* script;
};

constexpr VegaPackage kPackages[] = {{"vega", "build/vega.min.js"},
                                     {"vega-lite", "build/vega-lite.min.js"},
                                     {"vega-embed", "build/vega-embed.min.js"}};

constexpr const char* kVegaHint =
    "run `npm ci` in web/ (or scripts/quickstart.sh), or set DARKFIGURE_VEGA_DIR to a directory "
    "laid out as web/node_modules";

bool holds_scripts(const fs::path& directory) {
  std::error_code error;
  for (const VegaPackage& package : kPackages) {
    if (!fs::is_regular_file(directory / package.name / package.script, error) ||
        !fs::is_regular_file(directory / package.name / "package.json", error)) {
      return false;
    }
  }
  return true;
}

std::string read_text(const fs::path& file) {
  std::error_code error;
  if (!fs::is_regular_file(file, error)) {
    throw core::InputError(
        "cannot read \"" + file.string() + "\": the charts of report.html need the Vega scripts",
        std::nullopt, kVegaHint);
  }
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in) {
    throw core::InputError("cannot read \"" + file.string() + "\"", std::nullopt, kVegaHint);
  }
  return text.str();
}

std::string package_version(const fs::path& file) {
  const nlohmann::json package = nlohmann::json::parse(read_text(file), nullptr, false);
  if (package.is_discarded() || !package.is_object() || !package.contains("version") ||
      !package["version"].is_string()) {
    throw core::InputError("\"" + file.string() + "\" is not a package.json with a version",
                           std::nullopt, kVegaHint);
  }
  return package["version"].get<std::string>();
}

std::string escape(std::string_view text) {
  std::string escaped;
  escaped.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&':
        escaped += "&amp;";
        break;
      case '<':
        escaped += "&lt;";
        break;
      case '>':
        escaped += "&gt;";
        break;
      case '"':
        escaped += "&quot;";
        break;
      case '\'':
        escaped += "&#39;";
        break;
      default:
        escaped += c;
    }
  }
  return escaped;
}

bool starts_with_ignoring_case(std::string_view text, std::size_t at, std::string_view prefix) {
  if (text.size() - at < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    char c = text[at + i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != prefix[i]) return false;
  }
  return true;
}

/// JavaScript to go inside <script>: the text of a script element ends at the first "</script"
/// in any case, so that becomes "<\/script", which means the same inside a string or regular
/// expression. A closing source map comment is dropped: the map is not in the page, and a
/// browser's developer tools would try to fetch it.
std::string script_text(std::string_view script) {
  const std::size_t map = script.rfind("//# sourceMappingURL=");
  if (map != std::string_view::npos && (map == 0 || script[map - 1] == '\n') &&
      script.find('\n', map) >= script.find_last_not_of(" \t\r\n")) {
    script = script.substr(0, map);
  }
  std::string text;
  text.reserve(script.size());
  for (std::size_t i = 0; i < script.size(); ++i) {
    if (script[i] == '<' && starts_with_ignoring_case(script, i, "</script")) {
      text += "<\\/";
      ++i;
      continue;
    }
    text += script[i];
  }
  return text;
}

/// JSON to go inside <script type="application/json">. '<' appears only within JSON strings,
/// where "<\/" and "\u003c" read back as "</" and "<": so no "</script" can end the element and
/// no "<!--" can change how the browser reads the rest.
std::string json_text(std::string_view json) {
  std::string text;
  text.reserve(json.size());
  for (std::size_t i = 0; i < json.size(); ++i) {
    if (json.substr(i, 2) == "</") {
      text += "<\\/";
      ++i;
    } else if (json.substr(i, 4) == "<!--") {
      text += "\\u003c";
    } else {
      text += json[i];
    }
  }
  return text;
}

/// A table whose first row is the header. `columns` says how each column is set: 'l' text, 'n'
/// text kept on one line, 'r' numbers (right-aligned), 'm' monospace that may break anywhere
/// (file names, hashes).
std::string html_table(const Rows& rows, std::string_view columns) {
  const auto cell = [&](bool header, std::size_t column, const std::string& text) {
    const char kind = column < columns.size() ? columns[column] : 'l';
    const char* open = kind == 'r' ? (header ? "<th class=\"num\">" : "<td class=\"num\">")
                       : kind == 'm' && !header ? "<td class=\"mono hash\">"
                       : kind == 'n' && !header ? "<td class=\"nowrap\">"
                       : header                 ? "<th>"
                                                : "<td>";
    return open + escape(text) + (header ? "</th>" : "</td>");
  };
  std::string out = "<div class=\"table-wrap\"><table>\n<thead><tr>";
  for (std::size_t c = 0; c < rows.front().size(); ++c)
    out += cell(true, c, rows.front()[c]);
  out += "</tr></thead>\n<tbody>\n";
  for (std::size_t r = 1; r < rows.size(); ++r) {
    out += "<tr>";
    for (std::size_t c = 0; c < rows[r].size(); ++c)
      out += cell(false, c, rows[r][c]);
    out += "</tr>\n";
  }
  return out + "</tbody></table></div>\n";
}

std::string paragraph(std::string_view text, std::string_view css_class = {}) {
  const std::string open =
      css_class.empty() ? std::string("<p>") : "<p class=\"" + std::string(css_class) + "\">";
  return open + escape(text) + "</p>\n";
}

/// "1 scenario", "2 scenarios"; `plural` names more than one when adding an 's' would not.
std::string count_of(std::size_t count, std::string_view word, std::string_view plural = {}) {
  const std::string many = plural.empty() ? std::string(word) + "s" : std::string(plural);
  return std::to_string(count) + " " + (count == 1 ? std::string(word) : many);
}

/// "Monte Carlo", "Latin hypercube, 10 replicates": a sampling design as people name it.
std::string design_text(const std::string& design, std::uint32_t replicates = 0) {
  const std::string name = design == "mc"      ? "Monte Carlo"
                           : design == "lhs"   ? "Latin hypercube"
                           : design == "sobol" ? "Sobol"
                                               : design;
  return replicates == 0 ? name : name + ", " + count_of(replicates, "replicate");
}

std::string design_text(const Settings& settings) {
  return design_text(settings.design, settings.replicates);
}

constexpr const char* kStyle = R"css(
:root {
  --ink: #1f2328; --muted: #59636e; --rule: #d1d9e0; --band: #f6f8fa; --accent: #0969da;
  --warn-ink: #7d4e00; --warn-bg: #fff8c5; --warn-rule: #d4a72c; --error: #d1242f;
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body {
  margin: 0; color: var(--ink); background: #fff;
  font: 15px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", "Noto Sans",
    "Liberation Sans", "DejaVu Sans", Arial, sans-serif;
}
main { max-width: 90rem; margin: 0 auto; padding: 2rem 2rem 4rem; }
header { border-bottom: 3px solid var(--ink); padding-bottom: 1rem; margin-bottom: 1rem; }
h1 { font-size: 1.9rem; line-height: 1.2; margin: 0 0 0.4rem; }
h2 {
  font-size: 1.4rem; margin: 2.75rem 0 0.75rem; padding-bottom: 0.3rem;
  border-bottom: 1px solid var(--rule);
}
h3 { font-size: 1.15rem; margin: 2rem 0 0.5rem; }
h4 { font-size: 1rem; margin: 1.4rem 0 0.4rem; }
p { margin: 0.45rem 0; max-width: 52rem; }
a { color: var(--accent); }
.lead { color: var(--muted); margin: 0.2rem 0; }
nav ol {
  list-style: none; padding: 0; margin: 0.75rem 0 0;
  display: flex; flex-wrap: wrap; gap: 0.4rem 1.4rem;
}
nav a { text-decoration: none; font-weight: 600; }
nav a:hover { text-decoration: underline; }
code, .mono {
  font-family: ui-monospace, "SFMono-Regular", "DejaVu Sans Mono", "Liberation Mono", Menlo,
    Consolas, monospace;
  font-size: 0.86em;
}
.hash { overflow-wrap: anywhere; }
.table-wrap { overflow-x: auto; margin: 0.6rem 0 1.1rem; }
table { border-collapse: collapse; font-size: 0.9rem; font-variant-numeric: tabular-nums; }
th, td {
  padding: 0.32rem 0.7rem; text-align: left; vertical-align: top;
  border-bottom: 1px solid var(--rule);
}
th:first-child, td:first-child { padding-left: 0.2rem; }
thead th {
  border-bottom: 2px solid var(--ink); font-weight: 600; white-space: nowrap;
  vertical-align: bottom;
}
th.num, td.num { text-align: right; white-space: nowrap; }
tbody tr:hover { background: var(--band); }
table.intervals td { border-bottom: none; }
table.intervals tr.first td { border-top: 1px solid var(--rule); }
table.intervals tbody tr:first-child td { border-top: none; }
table.intervals tbody tr:last-child td { border-bottom: 1px solid var(--rule); }
td.nowrap { white-space: nowrap; }
td.estimate { font-weight: 600; }
.point { display: block; color: var(--muted); font-size: 0.85em; }
.warning {
  background: var(--warn-bg); color: var(--warn-ink); border-left: 4px solid var(--warn-rule);
  padding: 0.45rem 0.8rem; margin: 0.5rem 0; max-width: 52rem;
}
.note { border-left: 4px solid var(--rule); padding: 0.3rem 0.8rem; color: var(--muted); }
.figure-group { display: flex; flex-wrap: wrap; gap: 1.75rem 2.5rem; align-items: flex-start; }
figure { margin: 0; width: min-content; max-width: 100%; break-inside: avoid; }
figure .chart { min-width: 12rem; min-height: 3rem; }
figure .chart.failed { color: var(--error); min-width: 20rem; }
figcaption { font-size: 0.85rem; color: var(--muted); margin-top: 0.35rem; min-width: 20rem; }
dl.facts {
  display: grid; grid-template-columns: max-content 1fr; gap: 0.25rem 1.5rem;
  margin: 0.6rem 0 1rem;
}
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
@media print {
  body { font-size: 10pt; }
  main { max-width: none; padding: 0; }
  nav, .vega-embed details, .vega-actions { display: none !important; }
  a { color: inherit; text-decoration: none; }
  h2, h3, h4 { break-after: avoid; }
  figure, tr, .warning { break-inside: avoid; }
  thead { display: table-header-group; }
  tbody tr:hover { background: none; }
}
)css";

/// Draws every chart, then tells a reader of the DOM how that went.
constexpr const char* kDrawCharts = R"js(
(function () {
  "use strict";
  var charts = Array.prototype.slice.call(document.querySelectorAll("div.chart[data-spec]"));
  var drawn = charts.map(function (chart) {
    return Promise.resolve().then(function () {
      var spec = JSON.parse(document.getElementById(chart.dataset.spec).textContent);
      return vegaEmbed(chart, spec, {
        actions: {export: true, source: false, compiled: false, editor: false},
        renderer: "svg",
        downloadFileName: chart.dataset.name
      });
    });
  });
  Promise.allSettled(drawn).then(function (outcomes) {
    var failures = 0;
    outcomes.forEach(function (outcome, i) {
      if (outcome.status === "fulfilled") return;
      failures += 1;
      var reason = outcome.reason && outcome.reason.message ? outcome.reason.message
                                                            : String(outcome.reason);
      console.error("chart " + charts[i].dataset.name + " was not drawn: " + reason);
      charts[i].classList.add("failed");
      charts[i].textContent = "This chart could not be drawn: " + reason;
    });
    document.body.dataset.charts = failures === 0 ? "drawn" : "failed";
  });
})();
)js";

/// The results grouped under their scenario's name (the points of a sweep together), in the
/// order each name first appears.
std::vector<std::vector<const ScenarioResult*>> scenario_groups(
    std::span<const ScenarioResult> results) {
  std::vector<std::vector<const ScenarioResult*>> groups;
  for (const ScenarioResult& result : results) {
    auto group = groups.begin();
    while (group != groups.end() && group->front()->name != result.name)
      ++group;
    if (group == groups.end()) {
      groups.push_back({&result});
    } else {
      group->push_back(&result);
    }
  }
  return groups;
}

std::string header_section(const Publication& publication) {
  const Provenance& p = publication.provenance;
  const auto groups = scenario_groups(publication.results);
  std::string created = "Created " +
                        (p.created.empty() ? std::string("at an unknown time") : p.created) +
                        " by darkfigure " + p.version;
  if (!p.git_commit.empty()) created += " (commit " + p.git_commit.substr(0, 12) + ")";
  std::string scope = count_of(groups.size(), "scenario");
  if (groups.size() != publication.results.size())
    scope += ", " + count_of(publication.results.size(), "result");
  if (!publication.sensitivity.empty())
    scope +=
        ", " + count_of(publication.sensitivity.size(), "sensitivity study", "sensitivity studies");
  scope += "; intervals cover " + detail::level_label(publication.level) +
           " of the uncertainty in the inputs.";
  std::string out = "<header>\n<h1>Dark figure estimates</h1>\n";
  out += "<p class=\"lead\">" + escape(created) + ".</p>\n";
  out += "<p class=\"lead\">" + escape(scope) + "</p>\n";
  out +=
      "<nav><ol><li><a href=\"#intervals\">Intervals</a></li>"
      "<li><a href=\"#figures\">Figures</a></li><li><a href=\"#scenarios\">Scenarios</a></li>";
  if (!publication.sensitivity.empty()) out += "<li><a href=\"#sensitivity\">Sensitivity</a></li>";
  return out + "<li><a href=\"#provenance\">Provenance</a></li></ol></nav>\n</header>\n";
}

std::string interval_section(const Publication& publication, std::span<const IntervalRow> rows) {
  bool any_ess = false;
  for (const IntervalRow& row : rows)
    any_ess = any_ess || row.ess.has_value();
  std::string out = "<section id=\"intervals\">\n<h2>Intervals</h2>\n";
  out += paragraph("Each estimate with its " + detail::level_label(publication.level) +
                   " uncertainty interval (an indicator as the probability that it is 1), "
                   "rounded to the precision its Monte Carlo standard error supports.");
  out +=
      "<div class=\"table-wrap\"><table class=\"intervals\">\n<thead><tr><th>scenario</th>"
      "<th>output</th><th class=\"num\">estimate (" +
      escape(detail::level_label(publication.level)) +
      " UI)</th><th class=\"num\">mean</th><th class=\"num\">sd</th>"
      "<th class=\"num\">MCSE</th>";
  if (any_ess) out += "<th class=\"num\">ESS</th>";
  out += "<th class=\"num\">draws</th></tr></thead>\n<tbody>\n";
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const IntervalRow& row = rows[i];
    const bool first =
        i == 0 || rows[i - 1].scenario != row.scenario || rows[i - 1].sweep != row.sweep;
    out += first ? "<tr class=\"first\"><td>" : "<tr><td>";
    if (first) {
      out += escape(row.scenario);
      const std::string point = display_point(row.sweep);
      if (!point.empty()) out += "<span class=\"point\">" + escape(point) + "</span>";
    }
    out += "</td><td>" + escape(row.output) + "</td><td class=\"num estimate\">" +
           escape(row.display) + "</td><td class=\"num\">" + escape(row.mean_text) +
           "</td><td class=\"num\">" + escape(row.sd_text) + "</td><td class=\"num\">" +
           escape(row.mcse_text) + "</td>";
    if (any_ess) out += "<td class=\"num\">" + escape(row.ess_text) + "</td>";
    out += "<td class=\"num\">" + escape(display_count(row.draws)) + "</td></tr>\n";
  }
  out += "</tbody></table></div>\n";

  const auto groups = scenario_groups(publication.results);
  std::string warned;
  for (std::size_t g = 0; g < groups.size(); ++g) {
    std::size_t count = 0;
    for (const ScenarioResult* result : groups[g])
      count += result->warnings.size();
    if (count == 0) continue;
    warned += std::string(warned.empty() ? "" : ", ") + "<a href=\"#scenario-" +
              std::to_string(g + 1) + "\">" + escape(groups[g].front()->name) + "</a> (" +
              std::to_string(count) + ")";
  }
  if (!warned.empty()) {
    out += "<p class=\"warning\"><strong>Read the warnings before using these figures:</strong> " +
           warned + ".</p>\n";
  }
  return out + "</section>\n";
}

/// The order of the figure groups; a kind not named here is a sensitivity study's figure.
std::string_view figure_group(std::string_view kind) {
  if (kind == "histogram") return "Distributions of the estimates";
  if (kind == "forest") return "Estimates across scenarios";
  if (kind == "convergence") return "Convergence of the means";
  return "Sensitivity to the inputs";
}

std::string figures_section(std::span<const Plot> plots) {
  std::string out = "<section id=\"figures\">\n<h2>Figures</h2>\n";
  if (plots.empty()) return out + paragraph("This publication has no figures.") + "</section>\n";
  const std::string_view order[] = {figure_group("histogram"), figure_group("forest"),
                                    figure_group("sobol"), figure_group("convergence")};
  for (const std::string_view group : order) {
    std::string figures;
    for (std::size_t i = 0; i < plots.size(); ++i) {
      const Plot& plot = plots[i];
      if (figure_group(plot.kind) != group) continue;
      const std::string spec_id = "spec-" + std::to_string(i + 1);
      figures += "<figure id=\"figure-" + escape(plot.name) + "\" aria-label=\"" +
                 escape(plot.title) + "\">\n<div class=\"chart\" data-spec=\"" + spec_id +
                 "\" data-name=\"" + escape(plot.name) +
                 "\"></div>\n<script type=\"application/json\" id=\"" + spec_id + "\">" +
                 json_text(plot.spec) + "</script>\n<figcaption>" + escape(plot.caption) +
                 "</figcaption>\n</figure>\n";
    }
    if (figures.empty()) continue;
    out += "<h3>" + escape(group) + "</h3>\n<div class=\"figure-group\">\n" + figures + "</div>\n";
  }
  return out +
         "<noscript><p class=\"warning\">The figures are drawn by JavaScript, which is "
         "turned off.</p></noscript>\n</section>\n";
}

std::string correlation_table(const CorrelationRecord& correlation) {
  const std::size_t k = correlation.inputs.size();
  Rows rows(1, std::vector<std::string>{"Spearman"});
  for (const std::string& input : correlation.inputs)
    rows.front().push_back(input);
  for (std::size_t r = 0; r < k; ++r) {
    rows.push_back({correlation.inputs[r]});
    for (std::size_t c = 0; c < k; ++c) {
      const std::size_t at = r * k + c;
      rows.back().push_back(at < correlation.spearman.size()
                                ? display_number(correlation.spearman[at], 3)
                                : std::string());
    }
  }
  std::string out = html_table(rows, "l" + std::string(k, 'r'));
  std::string provenance = correlation.source;
  if (!correlation.note.empty()) provenance += (provenance.empty() ? "" : "; ") + correlation.note;
  if (!provenance.empty()) out += paragraph("Source of the correlations: " + provenance + ".");
  return out;
}

/// What a reader must know about one result: its conditioning and its caveats.
std::string result_checks(const ScenarioResult& result) {
  std::string out;
  if (result.conditioning) {
    const Conditioning& c = *result.conditioning;
    out += paragraph(detail::conditioning_line(result) + ".");
    if (!c.observations.empty()) {
      out += html_table(detail::observation_rows(c), "lrlrrr");
      Rows sources{{"observation", "source", "note"}};
      for (const ObservationCheck& o : c.observations) {
        if (!o.source.empty() || !o.note.empty()) sources.push_back({o.name, o.source, o.note});
      }
      if (sources.size() > 1) out += html_table(sources, "lll");
    }
    std::vector<std::string> lines = detail::prior_lines(c);
    for (std::size_t i = 0; i < c.priors.size() && i < lines.size(); ++i) {
      const PriorCheck& prior = c.priors[i];
      if (!prior.source.empty()) lines[i] += "; source: " + prior.source;
      if (!prior.note.empty()) lines[i] += "; " + prior.note;
    }
    if (std::string line = detail::resampling_line(c); !line.empty())
      lines.push_back(std::move(line));
    for (const std::string& line : lines)
      out += paragraph(line + ".");
  }
  for (const OutputResult& output : result.outputs) {
    const std::string note = detail::non_finite_note(output, result.settings.draws);
    if (!note.empty()) out += paragraph(note + ".", "warning");
  }
  for (const std::string& note : {detail::binned_note(result), detail::design_note(result)}) {
    if (!note.empty()) out += paragraph(note + ".", "note");
  }
  for (const std::string& warning : result.warnings)
    out += "<p class=\"warning\"><strong>Warning:</strong> " + escape(warning) + "</p>\n";
  return out;
}

/// "swept: 0.02, 0.04, 0.065, 0.1" for an input fixed at each point of a sweep, else nullopt.
std::optional<std::string> swept_values(const std::vector<const ScenarioResult*>& group,
                                        const std::string& input) {
  std::string values;
  for (const ScenarioResult* result : group) {
    for (const auto& [name, value] : result->sweep) {
      if (name == input) values += (values.empty() ? "" : ", ") + core::shortest_decimal(value);
    }
  }
  if (values.empty()) return std::nullopt;
  return "swept: " + values;
}

std::string scenarios_section(std::span<const ScenarioResult> results) {
  std::string out = "<section id=\"scenarios\">\n<h2>Scenarios</h2>\n";
  const auto groups = scenario_groups(results);
  for (std::size_t g = 0; g < groups.size(); ++g) {
    const ScenarioResult& first = *groups[g].front();
    out += "<section class=\"scenario\" id=\"scenario-" + std::to_string(g + 1) + "\">\n<h3>" +
           escape(first.title.empty() ? first.name : first.title) + "</h3>\n";
    out += "<dl class=\"facts\"><dt>scenario</dt><dd>" + escape(first.name) +
           "</dd><dt>file</dt><dd><code>" + escape(first.file) +
           "</code></dd><dt>SHA-256</dt><dd><code class=\"hash\">" + escape(first.sha256) +
           "</code></dd>";
    if (!first.source.empty()) out += "<dt>source</dt><dd>" + escape(first.source) + "</dd>";
    out += "<dt>run</dt><dd>" +
           escape(display_count(first.settings.draws) + " draws, seed " +
                  std::to_string(first.settings.seed) + ", " + design_text(first.settings)) +
           "</dd></dl>\n";

    out += "<h4>Inputs</h4>\n";
    Rows inputs{{"input", "distribution", "source", "note"}};
    for (const InputRecord& input : first.inputs) {
      inputs.push_back({input.name, swept_values(groups[g], input.name).value_or(input.text),
                        input.source, input.note});
    }
    out += inputs.size() > 1 ? html_table(inputs, "nnll")
                             : paragraph("The scenario states no inputs.");
    for (const CorrelationRecord& correlation : first.correlations)
      out += correlation_table(correlation);

    const bool sweep = groups[g].size() > 1 || !first.sweep.empty();
    for (const ScenarioResult* result : groups[g]) {
      const std::string checks = result_checks(*result);
      if (checks.empty()) continue;
      out += sweep ? "<h4>" + escape(display_point(result->sweep)) + "</h4>\n"
                   : std::string("<h4>Checks</h4>\n");
      out += checks;
    }
    out += "</section>\n";
  }
  return out + "</section>\n";
}

std::string number3(double value) {
  return display_number(value, 3);
}

std::string interval3(const std::pair<double, double>& interval) {
  return number3(interval.first) + " to " + number3(interval.second);
}

std::string sensitivity_section(std::span<const SensitivityResult> studies) {
  if (studies.empty()) return {};
  std::string out = "<section id=\"sensitivity\">\n<h2>Sensitivity</h2>\n";
  for (const SensitivityResult& study : studies) {
    out += "<h3>" + escape(display_result(study.scenario, study.sweep)) + ": " +
           escape(study.output) + ", " + escape(sensitivity_method_label(study.method)) + "</h3>\n";
    const std::string run = display_count(study.draws) +
                            (study.method == "sobol"     ? " draws in the base sample"
                             : study.method == "tornado" ? " draws per run"
                                                         : " draws") +
                            ", " + display_count(study.evaluations) + " model evaluations, seed " +
                            std::to_string(study.seed) + ", " + design_text(study.design) + ".";
    out += paragraph(run, "lead");
    const std::string interval = detail::level_label(study.level) + " interval";
    Rows rows;
    std::string align;
    if (study.method == "sobol") {
      std::string reading = "Shares of the variance of " + study.output + " (" +
                            display_number(study.variance) +
                            ") due to each input alone (first order) and with its interactions "
                            "(total)";
      if (study.bootstrap > 0) {
        reading +=
            "; " + interval + "s from " + display_count(study.bootstrap) + " bootstrap resamples";
      }
      out += paragraph(reading + ".");
      rows.push_back({"input", "distribution", "first order", interval, "total", interval});
      align = "lnrrrr";
      for (const InputSensitivity& input : study.inputs) {
        rows.push_back({input.name, input.text, number3(input.first), interval3(input.first_ci),
                        number3(input.total), interval3(input.total_ci)});
      }
    } else if (study.method == "tornado") {
      const std::string quantile = study.quantile == 0.5
                                       ? std::string("median")
                                       : detail::level_label(study.quantile) + " quantile";
      out += paragraph("The " + quantile + " of " + study.output +
                       " with each input held at its 10th and then its 90th percentile, the "
                       "others as stated; baseline " +
                       display_number(study.baseline) + ".");
      rows.push_back({"input", "distribution", "low input (p10)", "high input (p90)",
                      "output at low", "output at high", "swing"});
      align = "lnrrrrr";
      for (const InputSensitivity& input : study.inputs) {
        rows.push_back({input.name, input.text, display_number(input.low_input),
                        display_number(input.high_input), display_number(input.low),
                        display_number(input.high), display_number(input.swing)});
      }
    } else {
      const bool ranks = study.method == "prcc";
      out += paragraph(
          std::string(ranks ? "R² of the linear fit to the ranks" : "R² of the linear fit") +
          " = " + number3(study.r_squared) +
          ": the coefficients summarise the output fairly only when it is near 1.");
      rows.push_back({"input", "distribution", ranks ? "PRCC" : "SRC"});
      align = "lnr";
      for (const InputSensitivity& input : study.inputs)
        rows.push_back({input.name, input.text, number3(input.coefficient)});
    }
    out += html_table(rows, align);
    for (const std::string& warning : study.warnings)
      out += "<p class=\"warning\"><strong>Warning:</strong> " + escape(warning) + "</p>\n";
  }
  return out + "</section>\n";
}

std::string provenance_section(const Publication& publication, const VegaScripts& scripts) {
  const Provenance& p = publication.provenance;
  const auto fact = [](std::string_view term, std::string_view value) {
    return "<dt>" + escape(term) + "</dt><dd>" + escape(value) + "</dd>";
  };
  std::string out = "<section id=\"provenance\">\n<h2>Provenance</h2>\n<dl class=\"facts\">";
  out += fact("darkfigure", p.version);
  out += fact("git commit", p.git_commit.empty() ? "unknown" : p.git_commit);
  out += fact("created", p.created);
  out += fact("random numbers", p.rng);
  out += fact("samplers", p.samplers);
  out += fact("interval level", detail::level_label(publication.level));
  out += fact("charts drawn by", scripts.versions);
  out += "</dl>\n";
  Rows rows{{"scenario", "file", "SHA-256", "seed", "draws", "design", "threads"}};
  for (const ScenarioResult& result : publication.results) {
    rows.push_back({display_result(result.name, result.sweep), result.file, result.sha256,
                    std::to_string(result.settings.seed), display_count(result.settings.draws),
                    design_text(result.settings), std::to_string(result.settings.threads)});
  }
  return out + html_table(rows, "lmmrrnr") + "</section>\n";
}

}  // namespace

std::optional<fs::path> find_vega_directory() {
  std::vector<fs::path> candidates;
  if (const char* directory = std::getenv("DARKFIGURE_VEGA_DIR"); directory && *directory)
    candidates.emplace_back(directory);
  std::error_code error;
  const fs::path executable = fs::read_symlink("/proc/self/exe", error);
  if (!error) {
    candidates.push_back(
        (executable.parent_path() / ".." / "share" / "darkfigure" / "vega").lexically_normal());
  }
#ifdef DARKFIGURE_SOURCE_VEGA_DIR
  candidates.emplace_back(DARKFIGURE_SOURCE_VEGA_DIR);
#endif
  for (const fs::path& candidate : candidates) {
    if (holds_scripts(candidate)) return candidate;
  }
  return std::nullopt;
}

VegaScripts read_vega_scripts(const fs::path& directory) {
  VegaScripts scripts;
  std::string* const texts[] = {&scripts.vega, &scripts.vega_lite, &scripts.vega_embed};
  for (std::size_t i = 0; i < std::size(kPackages); ++i) {
    const fs::path package = directory / kPackages[i].name;
    *texts[i] = read_text(package / kPackages[i].script);
    scripts.versions += std::string(i == 0 ? "" : ", ") + kPackages[i].name + " " +
                        package_version(package / "package.json");
  }
  return scripts;
}

std::string render_html(const Publication& publication, std::span<const IntervalRow> rows,
                        std::span<const Plot> plots, const VegaScripts& scripts) {
  std::string title = "Dark figure estimates";
  const auto groups = scenario_groups(publication.results);
  for (std::size_t g = 0; g < groups.size(); ++g)
    title += (g == 0 ? ": " : ", ") + groups[g].front()->name;

  std::string page = "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  page += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  page += "<meta name=\"generator\" content=\"darkfigure " +
          escape(publication.provenance.version) + "\">\n";
  page += "<title>" + escape(title) + "</title>\n<style>" + kStyle + "</style>\n</head>\n";
  page += "<body>\n<main>\n";
  page += header_section(publication);
  page += interval_section(publication, rows);
  page += figures_section(plots);
  page += scenarios_section(publication.results);
  page += sensitivity_section(publication.sensitivity);
  page += provenance_section(publication, scripts);
  page += "</main>\n";
  for (const std::string* script : {&scripts.vega, &scripts.vega_lite, &scripts.vega_embed})
    page += "<script>" + script_text(*script) + "</script>\n";
  page += "<script>" + std::string(kDrawCharts) + "</script>\n</body>\n</html>\n";
  return page;
}

}  // namespace darkfigure::report
