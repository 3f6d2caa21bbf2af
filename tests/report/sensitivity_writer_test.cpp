#include "darkfigure/report/sensitivity_result.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

using namespace darkfigure::report;
using nlohmann::ordered_json;

namespace {

const Provenance kProvenance{"0.1.0", "abc123", "philox4x32-10", "2026-01-01T00:00:00Z",
                             "darkfigure samplers 1"};

/// A Sobol study at a sweep point, inputs deliberately out of alphabetical order, with a NaN
/// interval bound and two warnings.
SensitivityResult sobol_study() {
  SensitivityResult result;
  result.scenario = "kz";
  result.file = "kz.toml";
  result.sweep = {{"crisis_uptake", 0.02}};
  result.output = "victims";
  result.method = "sobol";
  result.draws = 32'768;
  result.evaluations = 229'376;
  result.seed = 1;
  result.threads = 2;
  result.bootstrap = 1000;
  result.level = 0.95;
  result.variance = 1.5e9;
  result.seconds = 0.41;
  InputSensitivity rate;
  rate.name = "rate";
  rate.text = "beta(4, 16)";
  rate.first = 0.314;
  rate.total = 0.52;
  rate.first_ci = {0.3012, 0.3271};
  rate.total_ci = {0.49, 0.55};
  InputSensitivity alpha;
  alpha.name = "alpha";
  alpha.text = "normal(0, 1)";
  alpha.first = 0.1;
  alpha.total = 0.2;
  alpha.first_ci = {0.05, std::nan("")};
  alpha.total_ci = {0.15, 0.25};
  result.inputs = {rate, alpha};
  result.warnings = {"alpha: the interval is wide; raise draws to narrow it",
                     "the total indices sum to more than 1.5: inputs interact"};
  return result;
}

SensitivityResult regression_study(const std::string& method, double r_squared) {
  SensitivityResult result;
  result.scenario = "kz";
  result.output = "victims";
  result.method = method;
  result.draws = 10'000;
  result.evaluations = 10'000;
  result.seed = 7;
  result.r_squared = r_squared;
  InputSensitivity reporting;
  reporting.name = "reporting";
  reporting.text = "uniform(0.1, 0.3)";
  reporting.coefficient = -0.81;
  InputSensitivity size;
  size.name = "size";
  size.text = "lognormal(10, 1)";
  size.coefficient = 0.25;
  result.inputs = {reporting, size};
  return result;
}

SensitivityResult tornado_study() {
  SensitivityResult result;
  result.scenario = "kz";
  result.output = "victims";
  result.method = "tornado";
  result.draws = 10'000;
  result.evaluations = 50'000;
  result.seed = 3;
  result.quantile = 0.9;
  result.baseline = 158'712.3;
  InputSensitivity reporting;
  reporting.name = "reporting";
  reporting.text = "uniform(0.1, 0.3)";
  reporting.low_input = 0.12;
  reporting.high_input = 0.28;
  reporting.low = 260'000.0;
  reporting.high = 110'000.0;
  reporting.swing = 150'000.0;
  InputSensitivity size;
  size.name = "size";
  size.text = "lognormal(10, 1)";
  size.low_input = 6'000.0;
  size.high_input = 80'000.0;
  size.low = 150'000.0;
  size.high = std::numeric_limits<double>::infinity();
  size.swing = std::numeric_limits<double>::infinity();
  result.inputs = {reporting, size};
  return result;
}

std::vector<SensitivityResult> all_studies() {
  return {sobol_study(), regression_study("src", 0.42), regression_study("prcc", 0.95),
          tornado_study()};
}

std::vector<std::string> keys(const ordered_json& object) {
  std::vector<std::string> names;
  for (const auto& item : object.items())
    names.push_back(item.key());
  return names;
}

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::string part;
  std::istringstream in(text);
  while (std::getline(in, part, separator))
    parts.push_back(part);
  if (!text.empty() && text.back() == separator) parts.emplace_back();
  return parts;
}

/// The lines of a text that ends with a newline, without it.
std::vector<std::string> lines(const std::string& text) {
  auto parts = split(text, '\n');
  if (!parts.empty() && parts.back().empty()) parts.pop_back();
  return parts;
}

}  // namespace

TEST_CASE("sensitivity JSON carries each method's settings, statistics and inputs") {
  const auto studies = all_studies();
  const auto document = ordered_json::parse(render_sensitivity(Format::Json, studies, kProvenance));
  CHECK(document["darkfigure"] == "0.1.0");
  CHECK(keys(document) == std::vector<std::string>{"darkfigure", "sensitivity", "provenance"});
  CHECK(document["provenance"]["git_commit"] == "abc123");
  CHECK(document["provenance"]["rng"] == "philox4x32-10");
  CHECK(document["provenance"]["created"] == "2026-01-01T00:00:00Z");
  REQUIRE(document["sensitivity"].size() == 4);

  const auto& sobol = document["sensitivity"][0];
  CHECK(sobol["scenario"] == "kz");
  CHECK(sobol["output"] == "victims");
  CHECK(sobol["method"] == "sobol");
  CHECK(sobol["settings"]["draws"] == 32'768);
  CHECK(sobol["settings"]["evaluations"] == 229'376);
  CHECK(sobol["settings"]["seed"] == 1);
  CHECK(sobol["settings"]["design"] == "mc");
  CHECK(sobol["settings"]["threads"] == 2);
  CHECK(sobol["settings"]["bootstrap"] == 1000);
  CHECK(sobol["settings"]["level"] == 0.95);
  CHECK_FALSE(sobol["settings"].contains("quantile"));
  CHECK(sobol["variance"] == 1.5e9);
  CHECK_FALSE(sobol.contains("r_squared"));
  CHECK(sobol["inputs"]["rate"]["text"] == "beta(4, 16)");
  CHECK(sobol["inputs"]["rate"]["first"] == 0.314);
  CHECK(sobol["inputs"]["rate"]["total"] == 0.52);
  CHECK(sobol["inputs"]["rate"]["first_ci"] == ordered_json::array({0.3012, 0.3271}));
  CHECK(sobol["inputs"]["rate"]["total_ci"] == ordered_json::array({0.49, 0.55}));
  CHECK_FALSE(sobol["inputs"]["rate"].contains("src"));
  CHECK(sobol["warnings"].size() == 2);
  CHECK(sobol["seconds"] == 0.41);

  const auto& src = document["sensitivity"][1];
  CHECK(src["method"] == "src");
  CHECK(src["r_squared"] == 0.42);
  CHECK_FALSE(src["settings"].contains("bootstrap"));
  CHECK(src["inputs"]["reporting"]["src"] == -0.81);
  CHECK_FALSE(src["inputs"]["reporting"].contains("first"));

  const auto& prcc = document["sensitivity"][2];
  CHECK(prcc["r_squared"] == 0.95);
  CHECK(prcc["inputs"]["size"]["prcc"] == 0.25);
  CHECK_FALSE(prcc["inputs"]["size"].contains("src"));

  const auto& tornado = document["sensitivity"][3];
  CHECK(tornado["settings"]["quantile"] == 0.9);
  CHECK(tornado["baseline"] == 158'712.3);
  CHECK_FALSE(tornado.contains("variance"));
  const auto& reporting = tornado["inputs"]["reporting"];
  CHECK(keys(reporting) ==
        std::vector<std::string>{"text", "low", "high", "swing", "low_input", "high_input"});
  CHECK(reporting["low"] == 260'000.0);
  CHECK(reporting["high"] == 110'000.0);
  CHECK(reporting["swing"] == 150'000.0);
  CHECK(reporting["low_input"] == 0.12);
  CHECK(reporting["high_input"] == 0.28);
}

TEST_CASE("sensitivity JSON keeps the input order, nulls non-numbers, states only a real sweep") {
  const auto studies = all_studies();
  const std::string text = render_sensitivity(Format::Json, studies, kProvenance);
  const auto document = ordered_json::parse(text);
  const auto& sobol = document["sensitivity"][0];
  const auto& src = document["sensitivity"][1];
  const auto& tornado = document["sensitivity"][3];

  CHECK(keys(sobol["inputs"]) == std::vector<std::string>{"rate", "alpha"});
  CHECK(keys(src["inputs"]) == std::vector<std::string>{"reporting", "size"});
  CHECK(keys(sobol) == std::vector<std::string>{"scenario", "file", "sweep", "output", "method",
                                                "settings", "variance", "inputs", "warnings",
                                                "seconds"});

  CHECK(sobol["inputs"]["alpha"]["first_ci"][0] == 0.05);
  CHECK(sobol["inputs"]["alpha"]["first_ci"][1].is_null());
  CHECK(tornado["inputs"]["size"]["high"].is_null());
  CHECK(tornado["inputs"]["size"]["swing"].is_null());
  CHECK(tornado["inputs"]["size"]["low"] == 150'000.0);

  CHECK(sobol["sweep"] == ordered_json{{"crisis_uptake", 0.02}});
  CHECK_FALSE(src.contains("sweep"));
  CHECK_FALSE(tornado.contains("sweep"));

  // Indented like the run document: two spaces, ending with a newline.
  CHECK(text.rfind("{\n  \"darkfigure\": \"0.1.0\",\n  \"sensitivity\": [\n", 0) == 0);
  CHECK(text.back() == '\n');
}

TEST_CASE("sensitivity CSV has a row per study and input, empty outside the method") {
  auto studies = all_studies();
  studies[1].scenario = "kz, \"revised\"";
  studies[0].sweep.emplace_back("reporting", 0.5);
  const auto rows = lines(render_sensitivity(Format::Csv, studies, kProvenance));
  REQUIRE(rows.size() == 1 + 2 * 4);
  CHECK(rows[0] ==
        "scenario,sweep,output,method,input,first,first_lower,first_upper,total,total_lower,"
        "total_upper,coefficient,r_squared,low_input,high_input,low,high,swing,draws,evaluations,"
        "seed");
  const std::size_t columns = split(rows[0], ',').size();
  for (const std::string& row : {rows[1], rows[2], rows[5], rows[7], rows[8]})
    CHECK(split(row, ',').size() == columns);

  CHECK(rows[1] ==
        "kz,crisis_uptake=0.02;reporting=0.5,victims,sobol,rate,0.314,0.3012,0.3271,0.52,0.49,"
        "0.55,,,,,,,,32768,229376,1");
  const auto alpha = split(rows[2], ',');
  CHECK(alpha[4] == "alpha");
  CHECK(alpha[7] == "NaN");
  CHECK(rows[3] ==
        "\"kz, \"\"revised\"\"\",,victims,src,reporting,,,,,,,-0.81,0.42,,,,,,10000,10000,7");
  CHECK(rows[5] == "kz,,victims,prcc,reporting,,,,,,,-0.81,0.95,,,,,,10000,10000,7");
  CHECK(rows[7] ==
        "kz,,victims,tornado,reporting,,,,,,,,,0.12,0.28,260000,110000,150000,10000,50000,3");
  CHECK(split(rows[8], ',')[17] == "inf");
}

TEST_CASE(
    "sensitivity table shows headings, intervals, the fit, the tornado definition, warnings") {
  const auto studies = all_studies();
  const std::string table = render_sensitivity(Format::Table, studies, kProvenance);
  const auto rows = lines(table);
  CHECK(rows[0] == "kz (crisis_uptake = 0.02): victims, Sobol indices");
  CHECK(rows[1] ==
        "base sample 32,768 draws, 229,376 model evaluations, seed 1, 2 threads, 0.41 s");
  CHECK(rows[2].find("95% intervals from 1,000 bootstrap resamples") != std::string::npos);
  CHECK(rows[3].empty());
  CHECK(rows[4] == "input  first    95% interval  total    95% interval");
  CHECK(rows[5] == "rate   0.314  [0.301, 0.327]  0.520  [0.490, 0.550]");
  CHECK(rows[6] == "alpha  0.100   [0.0500, NaN]  0.200  [0.150, 0.250]");
  CHECK(rows[7] == "warning: alpha: the interval is wide; raise draws to narrow it");
  CHECK(rows[8] == "warning: the total indices sum to more than 1.5: inputs interact");
  CHECK(rows[9].empty());
  CHECK(rows[10] == "kz: victims, standardised regression coefficients");

  CHECK(table.find("R^2 = 0.420: the linear fit explains only 42% of the variance of victims: "
                   "read the coefficients as rough\n") != std::string::npos);
  CHECK(table.find("input         SRC\nreporting  -0.810\nsize        0.250\n") !=
        std::string::npos);
  CHECK(table.find("R^2 of ranks = 0.950: the linear fit to the ranks explains 95% of the "
                   "variance in the ranks of victims; a monotone summary is fair only when") !=
        std::string::npos);
  CHECK(table.find("input        PRCC\n") != std::string::npos);
  CHECK(table.find("the 90th percentile of victims with each input held at its 10th and 90th "
                   "percentile, the others as stated; baseline 158,700\n") != std::string::npos);
  CHECK(table.find("input      low input (p10)  high input (p90)  output at low  output at high"
                   "    swing\n") != std::string::npos);
  CHECK(table.find("reporting           0.1200            0.2800        260,000         "
                   "110,000  150,000\n"
                   "size                 6,000            80,000        150,000             "
                   "inf      inf\n") != std::string::npos);
  CHECK(table.find("10,000 draws per run, 50,000 model evaluations, seed 3, 1 thread") !=
        std::string::npos);
}

TEST_CASE("a tornado names its quantile as a median or an ordinal percentile") {
  auto study = tornado_study();
  const auto definition = [&](double quantile) {
    study.quantile = quantile;
    return lines(render_sensitivity(Format::Table, std::span(&study, 1), kProvenance))[2];
  };
  CHECK(definition(0.5).rfind("the median of victims with", 0) == 0);
  CHECK(definition(0.01).rfind("the 1st percentile of", 0) == 0);
  CHECK(definition(0.22).rfind("the 22nd percentile of", 0) == 0);
  CHECK(definition(0.13).rfind("the 13th percentile of", 0) == 0);
  CHECK(definition(0.975).rfind("the 97.5th percentile of", 0) == 0);
}

TEST_CASE("sensitivity Markdown has a heading, a pipe table and warnings as a list") {
  auto studies = all_studies();
  studies[3].inputs[0].name = "a|b";
  const std::string markdown = render_sensitivity(Format::Markdown, studies, kProvenance);
  CHECK(markdown.rfind("### kz (crisis_uptake = 0.02): victims, Sobol indices\n\n"
                       "base sample 32,768 draws, 229,376 model evaluations, seed 1, 2 threads, "
                       "0.41 s.\n\n",
                       0) == 0);
  CHECK(markdown.find("| input | first | 95% interval | total | 95% interval |\n"
                      "|---|---:|---:|---:|---:|\n"
                      "| rate | 0.314 | [0.301, 0.327] | 0.520 | [0.490, 0.550] |\n") !=
        std::string::npos);
  CHECK(markdown.find("\n- **Warning:** alpha: the interval is wide; raise draws to narrow it\n"
                      "- **Warning:** the total indices sum to more than 1.5") !=
        std::string::npos);
  CHECK(markdown.find("\n### kz: victims, tornado\n") != std::string::npos);
  CHECK(markdown.find("the 90th percentile of victims with each input held at its 10th and 90th "
                      "percentile, the others as stated; baseline 158,700.\n") !=
        std::string::npos);
  CHECK(markdown.find("| a\\|b | 0.1200 | 0.2800 | 260,000 | 110,000 | 150,000 |\n") !=
        std::string::npos);
  CHECK(markdown.find("read the coefficients as rough.\n") != std::string::npos);
}
