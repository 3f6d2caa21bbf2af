#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "darkfigure/core/error.hpp"
#include "darkfigure/report/html.hpp"

using darkfigure::core::InputError;
using namespace darkfigure::report;
namespace fs = std::filesystem;

namespace {

constexpr std::string_view kSchema = "https://vega.github.io/schema/vega-lite/v6.json";

std::size_t occurrences(std::string_view text, std::string_view part) {
  std::size_t count = 0;
  for (std::size_t at = text.find(part); at != std::string_view::npos;
       at = text.find(part, at + part.size()))
    ++count;
  return count;
}

/// The text of the element that starts right after `opening` and ends at the next `closing`.
std::string between(const std::string& text, std::string_view opening, std::string_view closing) {
  const std::size_t begin = text.find(opening);
  if (begin == std::string::npos) return {};
  const std::size_t end = text.find(closing, begin + opening.size());
  return text.substr(begin + opening.size(), end - begin - opening.size());
}

ScenarioResult national() {
  ScenarioResult result;
  result.name = "kz-national";
  result.title = "Kazakhstan & neighbours";
  result.file = "scenarios/kz.toml";
  result.sha256 = "4369130c57c7774ba74ec003af551b6fcedf263dcba2c468291f6c4bfdcc2c7e";
  result.settings.draws = 20'000;
  result.settings.seed = 2023;
  result.settings.threads = 4;
  result.inputs = {{"reported_cases", "67500", "Ministry <annual report> & \"press\" 'release'",
                    "cases, not people"},
                   {"reporting_rate", "beta(4, 16)", "", "assumption"}};
  result.warnings = {"reporting_rate <dominates>: widen its prior"};
  return result;
}

ScenarioResult conditioned() {
  ScenarioResult result = national();
  result.name = "kz-conditioned";
  result.title = "Kazakhstan, conditioned";
  result.warnings.clear();
  Conditioning c;
  c.ess = 4'785.0;
  c.max_weight_share = 0.0006;
  c.positive_draws = 20'000;
  ObservationCheck survey;
  survey.name = "survey share";
  survey.likelihood = "beta(100 * p, 100 * (1 - p))";
  survey.values = {0.06};
  survey.source = "survey <2024>";
  survey.predictive_cdf = {0.37};
  survey.tail_probability = 0.75;
  survey.ess = 8'000.0;
  c.observations = {survey};
  PriorCheck prior;
  prior.on = "prevalence";
  prior.dist = "beta_mean_sd(0.13, 0.015)";
  prior.density = "exact";
  prior.ess = 9'000.0;
  c.priors = {prior};
  result.conditioning = c;
  return result;
}

IntervalRow row(const ScenarioResult& result, std::string output, std::optional<double> ess) {
  IntervalRow r;
  r.scenario = result.name;
  r.title = result.title;
  r.sweep = result.sweep;
  r.output = std::move(output);
  r.estimate = 251'500.0;
  r.low = 130'700.0;
  r.high = 635'000.0;
  r.draws = result.settings.draws;
  r.display = "251,500 (130,700-635,000)";
  r.mean_text = "284,300";
  r.sd_text = "139,000";
  r.mcse_text = "980";
  r.ess = ess;
  if (ess) r.ess_text = "4,785";
  return r;
}

std::vector<Plot> example_plots() {
  const std::string schema(kSchema);
  return {{"histogram-kz-national-victims", "histogram", "victims: kz-national",
           "Each bar is the share of the draws in its bin.",
           R"({"$schema": ")" + schema +
               R"(", "title": "</script><b>victims</b>", "data": {"values": [{"x": 1}]},)"
               R"( "mark": "bar", "encoding": {"x": {"field": "x", "type": "quantitative"}}})"},
          {"forest-victims", "forest", "victims across scenarios",
           "One row per scenario, its estimate and interval.",
           R"({"$schema": ")" + schema +
               R"(", "data": {"values": [{"s": "kz", "v": 2}]}, "mark": "point",)"
               R"( "encoding": {"y": {"field": "s"}, "x": {"field": "v"}}})"},
          {"convergence-kz-national-victims", "convergence", "victims: running mean",
           "The running mean <settles> & stays.",
           R"({"$schema": ")" + schema +
               R"(", "data": {"values": [{"n": 1, "m": 2}]}, "mark": "line",)"
               R"( "encoding": {"x": {"field": "n"}, "y": {"field": "m"}}})"}};
}

VegaScripts example_scripts() {
  return {"var vega = 1; // </script> inside a comment", "var vegaLite = '</SCRIPT>';",
          "var vegaEmbed = 3;\n//# sourceMappingURL=vega-embed.min.js.map\n",
          "vega 6.4.0, vega-lite 6.5.0, vega-embed 7.3.0"};
}

Publication example_publication(bool with_conditioned) {
  Publication publication;
  publication.results = {national()};
  if (with_conditioned) publication.results.push_back(conditioned());
  publication.provenance = {"0.1.0", "ae4c423fec7475a593f3b89fac41c25e5c33b96b",
                            "philox4x32-10; stream key (seed, scenario, block, input)",
                            "2026-01-01T00:00:00Z", "darkfigure samplers 1"};
  return publication;
}

std::string render_example(bool with_conditioned) {
  const Publication publication = example_publication(with_conditioned);
  std::vector<IntervalRow> rows = {row(publication.results[0], "victims", std::nullopt)};
  if (with_conditioned) rows.push_back(row(publication.results[1], "victims", 4'785.0));
  return render_html(publication, rows, example_plots(), example_scripts());
}

/// A fresh directory under the system's temporary directory, removed with everything in it.
class TemporaryDirectory {
 public:
  TemporaryDirectory() {
    static std::atomic<int> count = 0;
    path_ = fs::temp_directory_path() /
            ("darkfigure-html-" + std::to_string(::getpid()) + "-" + std::to_string(count++));
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  TemporaryDirectory(const TemporaryDirectory&) = delete;
  TemporaryDirectory& operator=(const TemporaryDirectory&) = delete;
  ~TemporaryDirectory() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }

  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

void write_file(const fs::path& file, std::string_view text) {
  fs::create_directories(file.parent_path());
  std::ofstream(file, std::ios::binary) << text;
}

/// A directory laid out as web/node_modules is, with small stand-ins for the scripts.
void lay_out_packages(const fs::path& directory) {
  write_file(directory / "vega/build/vega.min.js", "var vega = {};");
  write_file(directory / "vega/package.json", R"({"name": "vega", "version": "6.4.0"})");
  write_file(directory / "vega-lite/build/vega-lite.min.js", "var vegaLite = {};");
  write_file(directory / "vega-lite/package.json", R"({"name": "vega-lite", "version": "6.5.0"})");
  write_file(directory / "vega-embed/build/vega-embed.min.js", "var vegaEmbed = {};");
  write_file(directory / "vega-embed/package.json",
             R"({"name": "vega-embed", "version": "7.3.0"})");
}

/// Sets an environment variable for its lifetime, then restores what was there.
class ScopedEnvironment {
 public:
  ScopedEnvironment(const char* name, const std::string& value) : name_(name) {
    if (const char* previous = std::getenv(name)) previous_ = previous;
    ::setenv(name, value.c_str(), 1);
  }
  ScopedEnvironment(const ScopedEnvironment&) = delete;
  ScopedEnvironment& operator=(const ScopedEnvironment&) = delete;
  ~ScopedEnvironment() {
    if (previous_) {
      ::setenv(name_, previous_->c_str(), 1);
    } else {
      ::unsetenv(name_);
    }
  }

 private:
  const char* name_;
  std::optional<std::string> previous_;
};

}  // namespace

TEST_CASE("the HTML report escapes every text it shows", "[html]") {
  const std::string page = render_example(false);
  CHECK(page.rfind("<!doctype html>", 0) == 0);
  CHECK(page.find("<meta charset=\"utf-8\">") != std::string::npos);
  CHECK(page.find("Ministry &lt;annual report&gt; &amp; &quot;press&quot; &#39;release&#39;") !=
        std::string::npos);
  CHECK(page.find("<annual report>") == std::string::npos);
  CHECK(page.find("Kazakhstan &amp; neighbours") != std::string::npos);
  CHECK(page.find("reporting_rate &lt;dominates&gt;: widen its prior") != std::string::npos);
  CHECK(page.find("The running mean <settles>") == std::string::npos);
}

TEST_CASE("the HTML report inlines the three scripts and escapes \"</script\" in them", "[html]") {
  const std::string page = render_example(false);
  CHECK(page.find("var vega = 1; // <\\/script> inside a comment") != std::string::npos);
  CHECK(page.find("var vegaLite = '<\\/SCRIPT>';") != std::string::npos);
  CHECK(page.find("var vegaEmbed = 3;") != std::string::npos);
  CHECK(page.find("sourceMappingURL") == std::string::npos);
  CHECK(page.find("<script src") == std::string::npos);
  // Every element opened is closed by its own tag: none ends early inside a script.
  CHECK(occurrences(page, "<script") == occurrences(page, "</script>"));
  CHECK(page.find("Promise.allSettled") != std::string::npos);
  CHECK(page.find("document.body.dataset.charts = failures === 0 ? \"drawn\" : \"failed\"") !=
        std::string::npos);
}

TEST_CASE("the HTML report has one chart per plot with its specification inline", "[html]") {
  const std::string page = render_example(false);
  const std::vector<Plot> plots = example_plots();
  const std::string captions[] = {"Each bar is the share of the draws in its bin.",
                                  "One row per scenario, its estimate and interval.",
                                  "The running mean &lt;settles&gt; &amp; stays."};
  CHECK(occurrences(page, "<div class=\"chart\"") == plots.size());
  CHECK(occurrences(page, "<figure") == plots.size());
  CHECK(occurrences(page, "<script type=\"application/json\"") == plots.size());
  for (std::size_t i = 0; i < plots.size(); ++i) {
    INFO(plots[i].name);
    CHECK(page.find("data-name=\"" + plots[i].name + "\"") != std::string::npos);
    CHECK(page.find("<figcaption>" + captions[i] + "</figcaption>") != std::string::npos);
    const std::string id = "spec-" + std::to_string(i + 1);
    const std::string inline_spec =
        between(page, "<script type=\"application/json\" id=\"" + id + "\">", "</script>");
    CHECK(page.find("data-spec=\"" + id + "\"") != std::string::npos);
    CHECK(nlohmann::json::parse(inline_spec) == nlohmann::json::parse(plots[i].spec));
  }
  CHECK(page.find("<\\/script><b>victims<\\/b>") != std::string::npos);
  // Figures come grouped by kind: distributions, across scenarios, convergence.
  CHECK(page.find("data-name=\"histogram-kz-national-victims\"") <
        page.find("data-name=\"forest-victims\""));
  CHECK(page.find("data-name=\"forest-victims\"") <
        page.find("data-name=\"convergence-kz-national-victims\""));
}

TEST_CASE("the HTML report names no address outside the specifications' $schema", "[html]") {
  std::string page = render_example(true);
  CHECK(occurrences(page, kSchema) == example_plots().size());
  for (std::size_t at = page.find(kSchema); at != std::string::npos; at = page.find(kSchema))
    page.erase(at, kSchema.size());
  CHECK(page.find("http://") == std::string::npos);
  CHECK(page.find("https://") == std::string::npos);
  CHECK(page.find("<link") == std::string::npos);
  CHECK(page.find("@import") == std::string::npos);
  CHECK(page.find("url(") == std::string::npos);
}

TEST_CASE("the HTML report shows an ESS column only when a result is conditioned", "[html]") {
  const std::string plain = render_example(false);
  const std::string weighted = render_example(true);
  CHECK(plain.find("<th class=\"num\">ESS</th>") == std::string::npos);
  CHECK(weighted.find("<th class=\"num\">ESS</th>") != std::string::npos);
  CHECK(weighted.find("<td class=\"num\">4,785</td>") != std::string::npos);
  // The conditioned scenario's checks: the observation table and the prior's line.
  CHECK(weighted.find("survey share") != std::string::npos);
  CHECK(weighted.find("survey &lt;2024&gt;") != std::string::npos);
  CHECK(weighted.find("prior on prevalence: beta_mean_sd(0.13, 0.015)") != std::string::npos);
  CHECK(plain.find("prior on prevalence") == std::string::npos);
}

TEST_CASE("the HTML report records the provenance of the run and of each scenario", "[html]") {
  const std::string page = render_example(true);
  const std::string provenance = between(page, "<section id=\"provenance\">", "</section>");
  for (const std::string_view fact :
       {"0.1.0", "ae4c423fec7475a593f3b89fac41c25e5c33b96b",
        "philox4x32-10; stream key (seed, scenario, block, input)", "2026-01-01T00:00:00Z",
        "darkfigure samplers 1", "vega 6.4.0, vega-lite 6.5.0, vega-embed 7.3.0",
        "scenarios/kz.toml", "4369130c57c7774ba74ec003af551b6fcedf263dcba2c468291f6c4bfdcc2c7e",
        "kz-conditioned", "<td class=\"num\">2023</td>", "<td class=\"num\">20,000</td>",
        "Monte Carlo", "<td class=\"num\">4</td>"}) {
    INFO(fact);
    CHECK(provenance.find(fact) != std::string::npos);
  }
  CHECK(page.find("Created 2026-01-01T00:00:00Z by darkfigure 0.1.0 (commit ae4c423fec74)") !=
        std::string::npos);
}

TEST_CASE("the HTML report groups a sweep's points under their scenario", "[html]") {
  Publication publication = example_publication(false);
  publication.results.clear();
  std::vector<IntervalRow> rows;
  for (const double uptake : {0.02, 0.04}) {
    ScenarioResult point = national();
    point.name = "sweep";
    point.inputs.push_back({"crisis_uptake", "0.02", "", ""});
    point.sweep = {{"crisis_uptake", uptake}};
    publication.results.push_back(point);
    rows.push_back(row(point, "victims", std::nullopt));
  }
  const std::string page = render_html(publication, rows, {}, example_scripts());
  CHECK(occurrences(page, "<section class=\"scenario\"") == 1);
  CHECK(page.find("swept: 0.02, 0.04") != std::string::npos);
  CHECK(page.find("<span class=\"point\">crisis_uptake = 0.04</span>") != std::string::npos);
  CHECK(page.find("<h4>crisis_uptake = 0.04</h4>") != std::string::npos);
  CHECK(page.find("This publication has no figures.") != std::string::npos);
  CHECK(page.find("<div class=\"chart\"") == std::string::npos);
}

TEST_CASE("the HTML report has a table for each sensitivity study", "[html]") {
  Publication publication = example_publication(false);
  SensitivityResult study;
  study.scenario = "kz-national";
  study.output = "victims";
  study.draws = 1024;
  study.evaluations = 4096;
  study.seed = 1;
  InputSensitivity input;
  input.name = "reporting_rate";
  input.text = "beta(4, 16)";
  input.first = 0.4;
  input.total = 0.42;
  input.first_ci = {0.38, 0.41};
  input.total_ci = {0.40, 0.43};
  input.coefficient = -0.61;
  input.low = 352'700.0;
  input.high = 188'000.0;
  input.swing = 164'700.0;
  study.inputs = {input};
  for (const char* method : {"sobol", "tornado", "prcc"}) {
    study.method = method;
    publication.sensitivity.push_back(study);
  }
  const std::string page = render_html(publication, {}, {}, example_scripts());
  const std::string section = between(page, "<section id=\"sensitivity\">", "</section>");
  CHECK(section.find("kz-national: victims, Sobol indices") != std::string::npos);
  CHECK(section.find("<th class=\"num\">first order</th>") != std::string::npos);
  CHECK(section.find("<td class=\"num\">0.380 to 0.410</td>") != std::string::npos);
  CHECK(section.find("<th class=\"num\">swing</th>") != std::string::npos);
  CHECK(section.find("<td class=\"num\">164,700</td>") != std::string::npos);
  CHECK(section.find("<th class=\"num\">PRCC</th>") != std::string::npos);
  CHECK(section.find("<td class=\"num\">-0.610</td>") != std::string::npos);
  CHECK(page.find("href=\"#sensitivity\"") != std::string::npos);
}

TEST_CASE("the Vega scripts and their versions are read from a node_modules layout", "[html]") {
  const TemporaryDirectory directory;
  lay_out_packages(directory.path());
  const VegaScripts scripts = read_vega_scripts(directory.path());
  CHECK(scripts.vega == "var vega = {};");
  CHECK(scripts.vega_lite == "var vegaLite = {};");
  CHECK(scripts.vega_embed == "var vegaEmbed = {};");
  CHECK(scripts.versions == "vega 6.4.0, vega-lite 6.5.0, vega-embed 7.3.0");
}

TEST_CASE("a missing Vega script is an input error naming the file, with a hint", "[html]") {
  const TemporaryDirectory directory;
  lay_out_packages(directory.path());
  const fs::path missing = directory.path() / "vega-lite/build/vega-lite.min.js";
  fs::remove(missing);
  try {
    read_vega_scripts(directory.path());
    FAIL("no error for a missing script");
  } catch (const InputError& error) {
    CHECK(error.message().find(missing.string()) != std::string::npos);
    CHECK(error.hint().find("npm ci") != std::string::npos);
    CHECK(error.hint().find("DARKFIGURE_VEGA_DIR") != std::string::npos);
  }
}

TEST_CASE("a Vega package.json without a version is an input error naming it", "[html]") {
  const TemporaryDirectory directory;
  lay_out_packages(directory.path());
  const fs::path package = directory.path() / "vega-embed/package.json";
  write_file(package, R"({"name": "vega-embed"})");
  try {
    read_vega_scripts(directory.path());
    FAIL("no error for a package.json without a version");
  } catch (const InputError& error) {
    CHECK(error.message().find(package.string()) != std::string::npos);
    CHECK(error.hint().find("npm ci") != std::string::npos);
  }
}

TEST_CASE("the Vega scripts are looked for first in $DARKFIGURE_VEGA_DIR", "[html]") {
  const TemporaryDirectory directory;
  lay_out_packages(directory.path());
  {
    const ScopedEnvironment environment("DARKFIGURE_VEGA_DIR", directory.path().string());
    CHECK(find_vega_directory() == directory.path());
  }
  fs::remove(directory.path() / "vega/build/vega.min.js");
  {
    // A directory that lacks a script is passed over.
    const ScopedEnvironment environment("DARKFIGURE_VEGA_DIR", directory.path().string());
    CHECK(find_vega_directory() != std::optional<fs::path>(directory.path()));
  }
}
