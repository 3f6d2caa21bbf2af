#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <sstream>

#include "darkfigure/report/number_format.hpp"
#include "darkfigure/report/writer.hpp"

using namespace darkfigure::report;
using nlohmann::json;

namespace {

ScenarioResult example() {
  ScenarioResult result;
  result.name = "kz";
  result.title = "A title, with a comma";
  result.settings = {1000, 7, 2, 4096};
  result.inputs = {{"rate", "beta(4, 16)", "survey", "an assumption"}};
  OutputResult victims;
  victims.name = "victims";
  victims.summary = {990,
                     10,
                     158'712.3,
                     90'000.0,
                     2'860.0,
                     10.0,
                     1e6,
                     {0.025, 0.5, 0.975},
                     {85'423.1, 158'744.0, 439'438.0},
                     {0.0, 0.0, 0.0},
                     false,
                     990.0,
                     {}};
  victims.first_non_finite = darkfigure::engine::NonFiniteExample{
      41, std::numeric_limits<double>::infinity(), {{"rate", 0.0}}};
  OutputResult exceeds;
  exceeds.name = "exceeds";
  exceeds.indicator = true;
  exceeds.summary = {1000,
                     0,
                     0.1234,
                     0.33,
                     0.0104,
                     0.0,
                     1.0,
                     {0.025, 0.5, 0.975},
                     {0.0, 0.0, 1.0},
                     {0.0, 0.0, 0.0},
                     false,
                     0.0,
                     {}};
  result.outputs = {victims, exceeds};
  return result;
}

const Provenance kProvenance{"0.1.0", "abc123", "philox4x32-10", "2026-01-01T00:00:00Z",
                             "darkfigure samplers 1"};

}  // namespace

TEST_CASE("numbers for people keep four significant digits and group thousands") {
  CHECK(display_number(158'712.3) == "158,700");
  CHECK(display_number(85'423.1) == "85,420");
  CHECK(display_number(1'234'567'890.0) == "1,235,000,000");
  CHECK(display_number(0.0337896) == "0.03379");
  CHECK(display_number(0.5) == "0.5000");
  CHECK(display_number(-2'500.0) == "-2,500");
  CHECK(display_number(999.96) == "1,000");
  CHECK(display_number(0.0) == "0");
  CHECK(display_number(1.5e-7) == "1.500e-07");
  CHECK(display_number(2.4e-5, 2) == "0.000024");
  CHECK(display_count(1000000) == "1,000,000");
  CHECK(display_number(std::nan("")) == "NaN");
  CHECK(display_number(-std::numeric_limits<double>::infinity()) == "-inf");
  CHECK(display_percent(0.1234) == "12.34%");
  CHECK(display_bytes(900) == "900 B");
  CHECK(display_bytes(512 * 1024 * 1024) == "512 MiB");
  CHECK(display_bytes(std::uint64_t{12'500'000'000}) == "11.6 GiB");
}

TEST_CASE("formats are parsed by name") {
  CHECK(parse_format("json") == Format::Json);
  CHECK(parse_format("md") == Format::Markdown);
  CHECK_FALSE(parse_format("xml").has_value());
  CHECK(file_extension(Format::Table) == "txt");
  CHECK(parse_format("latex") == Format::Latex);
  CHECK(file_extension(Format::Latex) == "tex");
}

TEST_CASE("LaTeX output is the booktabs interval table at the results' level") {
  std::vector<ScenarioResult> results = {example()};
  results[0].title = "50% & more";
  const std::string latex = render(Format::Latex, results, kProvenance);
  CAPTURE(latex);
  CHECK(latex.find("% darkfigure 0.1.0 (commit abc123)") != std::string::npos);
  CHECK(latex.find("\\label{tab:darkfigure-intervals}") != std::string::npos);
  CHECK(latex.find("\\toprule") != std::string::npos);
  CHECK(latex.find("\\multicolumn{5}{l}{\\textit{kz}} \\\\") != std::string::npos);
  CHECK(latex.find("\\caption{Inputs of kz: 50\\% \\& more, with their sources}") !=
        std::string::npos);
  CHECK(latex.find("output & (95\\% UI) & mean & sd & MCSE \\\\") != std::string::npos);
  CHECK(latex.find("victims & 158,700 (85,420--439,400) & 159,000 &") != std::string::npos);
  CHECK(latex.find("exceeds & P = 12\\% &") != std::string::npos);
  CHECK(latex.find("rate & \\texttt{beta(4, 16)} & \\raggedright survey") != std::string::npos);

  // The level is that of the outermost quantiles.
  for (auto& output : results[0].outputs) {
    output.summary.levels = {0.05, 0.5, 0.95};
  }
  const std::string ninety = render(Format::Latex, results, kProvenance);
  CAPTURE(ninety);
  CHECK(ninety.find("(90\\% UI)") != std::string::npos);
  CHECK(ninety.find("victims & 158,700 (85,420--439,400)") != std::string::npos);
}

TEST_CASE("the JSON document has the contract's shape, null for non-numbers") {
  const std::vector<ScenarioResult> results = {example()};
  const json document = json::parse(render(Format::Json, results, kProvenance));
  CHECK(document["darkfigure"] == "0.1.0");
  CHECK(document["provenance"]["git_commit"] == "abc123");
  const json& scenario = document["scenarios"][0];
  CHECK(scenario["settings"] == json{{"draws", 1000},
                                     {"seed", 7},
                                     {"threads", 2},
                                     {"block_size", 4096},
                                     {"memory_budget", 0},
                                     {"quantile_method", "exact"},
                                     {"design", "mc"},
                                     {"replicates", nullptr},
                                     {"mcse_method", "iid"},
                                     {"conditioned", false}});
  CHECK(scenario["diagnostics"]["warnings"] == json::array());
  CHECK(!scenario["diagnostics"].contains("ess"));
  const json& victims = scenario["outputs"]["victims"];
  CHECK(victims["mean"] == 158'712.3);
  CHECK(victims["quantiles"]["0.025"] == 85'423.1);
  CHECK(victims["quantiles"]["0.975"] == 439'438.0);
  CHECK(victims["quantile_error"]["0.5"] == 0.0);
  CHECK(victims["non_finite"] == 10);
  const json& diagnosis = scenario["diagnostics"]["non_finite"]["victims"];
  CHECK(diagnosis["first_draw"] == 41);
  CHECK(diagnosis["first_value"] == "inf");
  CHECK(diagnosis["first_inputs"]["rate"] == 0.0);
  CHECK(scenario["inputs"][0]["source"] == "survey");
  CHECK(scenario["outputs"]["exceeds"]["indicator"] == true);
  CHECK(scenario["outputs"]["exceeds"]["share"] == false);
  CHECK(!victims.contains("quantile_mcse"));
}

TEST_CASE("the JSON has the file's hash, shares, quantile standard errors and the samplers") {
  std::vector<ScenarioResult> results = {example()};
  results[0].file = "kz.toml";
  results[0].sha256 = "5e0f";
  results[0].outputs[0].share = true;
  results[0].outputs[0].summary.quantile_mcse = {310.0, 950.0, std::nan("")};
  const nlohmann::ordered_json document =
      nlohmann::ordered_json::parse(render(Format::Json, results, kProvenance));
  const auto& scenario = document["scenarios"][0];
  std::vector<std::string> keys;
  for (const auto& item : scenario.items())
    keys.push_back(item.key());
  CHECK(keys == std::vector<std::string>{"name", "title", "file", "sha256", "source", "settings",
                                         "inputs", "correlations", "outputs", "diagnostics"});
  CHECK(scenario["sha256"] == "5e0f");
  const auto& victims = scenario["outputs"]["victims"];
  CHECK(victims["share"] == true);
  CHECK(victims["quantile_mcse"]["0.025"] == 310.0);
  CHECK(victims["quantile_mcse"]["0.5"] == 950.0);
  CHECK(victims["quantile_mcse"]["0.975"].is_null());
  CHECK(document["provenance"]["samplers"] == "darkfigure samplers 1");
}

TEST_CASE("binned quantiles carry their error bound in every format") {
  ScenarioResult result = example();
  result.settings.binned = true;
  result.settings.memory_budget = std::uint64_t{3} << 29;
  result.outputs[0].summary.binned = true;
  result.outputs[0].summary.quantile_error = {8.54231, 15.8744, 43.9438};  // 1e-4 of each
  const std::vector<ScenarioResult> results = {result};
  const std::string expected =
      "quantiles come from histograms of the draws, as storing them would exceed 1.50 GiB "
      "(--memory); each lies within 0.010% of the exact sample quantile";
  const std::string table = render(Format::Table, results, kProvenance);
  CAPTURE(table);
  CHECK(table.find("note: " + expected) != std::string::npos);
  const std::string markdown = render(Format::Markdown, results, kProvenance);
  CAPTURE(markdown);
  CHECK(markdown.find("> **Note:** " + expected) != std::string::npos);
  const json document = json::parse(render(Format::Json, results, kProvenance));
  const json& scenario = document["scenarios"][0];
  CHECK(scenario["settings"]["quantile_method"] == "histogram");
  CHECK(scenario["settings"]["memory_budget"] == std::uint64_t{3} << 29);
  CHECK(scenario["outputs"]["victims"]["quantile_error"]["0.975"] == 43.9438);
}

TEST_CASE("a design's standard errors are said to come from its replicates") {
  ScenarioResult result = example();
  result.settings.design = "lhs";
  result.settings.replicates = 8;
  result.settings.draws = 1000;
  std::vector<ScenarioResult> results = {result};
  const std::string expected =
      "Latin hypercube design: mcse is the spread of 8 independently randomised replicates of 125 "
      "draws each, not the i.i.d. formula";
  const std::string table = render(Format::Table, results, kProvenance);
  CAPTURE(table);
  CHECK(table.find("note: " + expected + '\n') != std::string::npos);
  const std::string markdown = render(Format::Markdown, results, kProvenance);
  CAPTURE(markdown);
  CHECK(markdown.find("> **Note:** " + expected) != std::string::npos);
  const json document = json::parse(render(Format::Json, results, kProvenance));
  const json& settings = document["scenarios"][0]["settings"];
  CHECK(settings["design"] == "lhs");
  CHECK(settings["replicates"] == 8);
  CHECK(settings["mcse_method"] == "replicates");
  CHECK(document["scenarios"][0]["correlations"] == json::array());

  // Sobol replicates that are not whole nets get a hint; uneven sizes are both named.
  results[0].settings.design = "sobol";
  results[0].settings.draws = 1003;
  const std::string sobol = render(Format::Table, results, kProvenance);
  CAPTURE(sobol);
  CHECK(sobol.find("Sobol design: mcse is the spread of 8 independently randomised replicates of "
                   "125 or 126 draws each, not the i.i.d. formula; a power of two per replicate "
                   "makes each a complete net (e.g. draws = 8 x 128)") != std::string::npos);
  results[0].settings.draws = 8 * 128;
  CHECK(render(Format::Table, results, kProvenance).find("power of two") == std::string::npos);
}

TEST_CASE("the JSON records each correlation block with its matrix and provenance") {
  ScenarioResult result = example();
  result.correlations.push_back(
      {{"a", "b"}, {1.0, 0.6, 0.6, 1.0}, "expert elicitation", "assumption: trust"});
  const std::vector<ScenarioResult> results = {result};
  const json document = json::parse(render(Format::Json, results, kProvenance));
  CHECK(document["scenarios"][0]["correlations"] ==
        json::parse(R"([{"inputs": ["a", "b"], "matrix": [[1.0, 0.6], [0.6, 1.0]],
                         "source": "expert elicitation", "note": "assumption: trust"}])"));
}

TEST_CASE("binned quantiles that are all exact say so") {
  ScenarioResult result = example();
  result.settings.binned = true;
  result.settings.memory_budget = 1024;
  const std::vector<ScenarioResult> results = {result};
  const std::string table = render(Format::Table, results, kProvenance);
  CAPTURE(table);
  CHECK(table.find("(--memory); here every one is exact") != std::string::npos);
}

TEST_CASE("exact quantiles get no note") {
  const std::vector<ScenarioResult> results = {example()};
  CHECK(render(Format::Table, results, kProvenance).find("histograms") == std::string::npos);
  CHECK(render(Format::Markdown, results, kProvenance).find("histograms") == std::string::npos);
}

TEST_CASE("the table shows the headline interval and a warning for non-finite draws") {
  const std::vector<ScenarioResult> results = {example()};
  const std::string table = render(Format::Table, results, kProvenance);
  CAPTURE(table);
  CHECK(table.find("estimate (95% UI)") != std::string::npos);
  CHECK(table.find("158,700 (85,420-439,400)") != std::string::npos);
  CHECK(table.find("P = 12.34%") != std::string::npos);
  CHECK(table.find("warning: victims: 10 of 1,000 draws were NaN or infinite") !=
        std::string::npos);
  CHECK(table.find("rate = 0") != std::string::npos);
}

TEST_CASE("CSV quotes fields with commas and keeps full precision") {
  auto result = example();
  result.name = "a,b";
  const std::vector<ScenarioResult> results = {result};
  const std::string csv = render(Format::Csv, results, kProvenance);
  CAPTURE(csv);
  CHECK(csv.find("\"a,b\",victims,1000,7,990,10,158712.3,90000,2860,10,1e+06,990,85423.1,158744,"
                 "439438\n") != std::string::npos);
}

TEST_CASE("Markdown is a pipe table with escaped pipes") {
  auto result = example();
  result.title = "a | b";
  const std::vector<ScenarioResult> results = {result};
  const std::string markdown = render(Format::Markdown, results, kProvenance);
  CHECK(markdown.find("### kz: a \\| b") != std::string::npos);
  CHECK(markdown.find("| victims | 158,700 (85,420-439,400) |") != std::string::npos);
  CHECK(markdown.find("> **Warning:** victims:") != std::string::npos);
}

TEST_CASE("files are written whole through a rename, all or none") {
  namespace fs = std::filesystem;
  const auto directory = fs::temp_directory_path() / "darkfigure-report-test";
  fs::remove_all(directory);
  fs::create_directories(directory);
  const auto read = [](const fs::path& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  };
  const auto entries = [&] {
    return std::distance(fs::directory_iterator(directory), fs::directory_iterator());
  };
  const auto a = directory / "a.json";
  const auto b = directory / "b.csv";
  const std::vector<OutputFile> first = {{a, "first a"}, {b, "first b"}};
  write_files_atomically(first);
  const std::vector<OutputFile> second = {{a, "second a"}, {b, "second b"}};
  write_files_atomically(second);
  CHECK(read(a) == "second a");
  CHECK(read(b) == "second b");
  CHECK(entries() == 2);

  // A directory where the second file should go: its rename fails, so neither file changes and
  // no temporary file is left behind.
  const auto blocked = directory / "blocked.csv";
  fs::create_directories(blocked / "inside");
  const std::vector<OutputFile> failing = {{a, "third a"}, {blocked, "never"}};
  CHECK_THROWS_AS(write_files_atomically(failing), fs::filesystem_error);
  CHECK(read(a) == "second a");
  CHECK(entries() == 3);

  const std::vector<OutputFile> missing = {{directory / "missing" / "x.json", "x"}};
  CHECK_THROWS(write_files_atomically(missing));
  CHECK(entries() == 3);
  fs::remove_all(directory);
}
