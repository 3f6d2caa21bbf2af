#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "darkfigure/report/number_format.hpp"
#include "darkfigure/report/publication.hpp"
#include "report/writers.hpp"

using namespace darkfigure::report;
using nlohmann::ordered_json;

namespace {

const double kNaN = std::numeric_limits<double>::quiet_NaN();

const Provenance kProvenance{"0.1.0", "abc123", "philox4x32-10", "2026-01-01T00:00:00Z",
                             "darkfigure samplers 1"};

darkfigure::summary::Summary summary_of(double mean, double sd, double mcse,
                                        std::vector<double> levels, std::vector<double> quantiles,
                                        std::vector<double> quantile_mcse) {
  darkfigure::summary::Summary s;
  s.count = 1000;
  s.mean = mean;
  s.sd = sd;
  s.mcse_mean = mcse;
  s.levels = std::move(levels);
  s.quantiles = std::move(quantiles);
  s.quantile_error.assign(s.quantiles.size(), 0.0);
  s.ess = 1000.0;
  s.quantile_mcse = std::move(quantile_mcse);
  return s;
}

/// A scenario with a count, a share and an indicator, each with standard errors of its quantiles.
ScenarioResult scenario() {
  ScenarioResult result;
  result.name = "kz";
  result.title = "Kazakhstan 2023";
  result.file = "scenarios/kz.toml";
  result.sha256 = "5e0f";
  result.settings.draws = 1000;
  result.settings.seed = 7;
  result.settings.threads = 2;
  result.inputs = {{"reporting_rate", "beta(4, 16)", "survey, 2023", "a | pipe"},
                   {"cases", "67500", "register", ""}};
  OutputResult victims;
  victims.name = "victims";
  victims.summary = summary_of(225'937.0, 91'234.5, 180.0, {0.025, 0.5, 0.975},
                               {85'423.1, 158'744.0, 439'438.0}, {310.0, 950.0, 2'600.0});
  OutputResult share;
  share.name = "dark_share";
  share.share = true;
  share.summary = summary_of(0.045, 0.02, 0.0001, {0.025, 0.5, 0.975}, {0.0193, 0.04086, 0.107},
                             {0.0002, 0.0003, 0.003});
  OutputResult exceeds;
  exceeds.name = "exceeds";
  exceeds.indicator = true;
  exceeds.summary =
      summary_of(0.0131, 0.11, 0.0004, {0.025, 0.5, 0.975}, {0.0, 0.0, 1.0}, {0.0, 0.0, 0.0});
  result.outputs = {victims, share, exceeds};
  return result;
}

/// The scenario conditioned on an observation and a prior, with a LaTeX-hostile title.
ScenarioResult conditioned() {
  ScenarioResult result = scenario();
  result.name = "kz_conditioned";
  result.title = "R&D 100% $5 #1 {x} ~y^2 a\\b";
  Conditioning conditioning;
  conditioning.ess = 1234.6;
  conditioning.max_weight_share = 0.01;
  ObservationCheck observation;
  observation.name = "registered";
  observation.likelihood = "poisson(cases)";
  observation.values = {67'500.0};
  observation.source = "Committee on Legal Statistics";
  observation.predictive_cdf = {0.4};
  observation.tail_probability = 0.8;
  conditioning.observations = {observation};
  result.conditioning = conditioning;
  for (OutputResult& output : result.outputs)
    output.summary.ess = 1234.6;
  result.warnings = {"the effective sample size is low; raise draws"};
  return result;
}

/// Whether every brace of a LaTeX text is closed, ignoring escaped braces.
bool balanced_braces(const std::string& text) {
  int depth = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\\') {
      ++i;
    } else if (text[i] == '%') {
      i = text.find('\n', i);
      if (i == std::string::npos) break;
    } else if (text[i] == '{') {
      ++depth;
    } else if (text[i] == '}') {
      if (--depth < 0) return false;
    }
  }
  return depth == 0;
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> result;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    result.push_back(line);
  return result;
}

std::size_t count(const std::string& text, const std::string& part) {
  std::size_t n = 0;
  for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + 1))
    ++n;
  return n;
}

}  // namespace

TEST_CASE("a value is rounded to the leading digit of its standard error") {
  CHECK(display_rounded(225'937.0, 180.0, false) == "225,900");
  CHECK(display_rounded(225'937.0, 2'600.0, false) == "226,000");
  CHECK(display_rounded(0.04086, 0.000024, true) == "4.086%");
  CHECK(display_rounded(0.04086, 0.0003, true) == "4.09%");
  CHECK(display_rounded(-2'537.2, 30.0, false) == "-2,540");
  CHECK(display_rounded(-0.5, 0.01, false) == "-0.50");
  CHECK(display_rounded(1.0, 0.1, false) == "1.0");
  // 999.96 to the tenths carries into a fourth integer digit.
  CHECK(display_rounded(999.96, 0.5, false) == "1,000.0");
  CHECK(display_rounded(9.6, 3.0, false) == "10");
}

TEST_CASE("rounding keeps between 2 and 6 significant digits") {
  CHECK(display_rounded(123'456.789, 0.001, false) == "123,457");
  CHECK(display_rounded(999'999.6, 0.05, false) == "1,000,000");
  CHECK(display_rounded(0.0123, 5.0, false) == "0.012");
  CHECK(display_rounded(0.6, 1.0, false) == "0.60");
  CHECK(display_rounded(1e300, 1e240, false) == "1.00000e+300");
  CHECK(display_rounded(40.0, 300.0, false) == "40");
}

TEST_CASE("without a usable standard error a value keeps 4 significant digits") {
  CHECK(display_rounded(158'712.3, kNaN, false) == "158,700");
  CHECK(display_rounded(158'712.3, -1.0, false) == "158,700");
  CHECK(display_rounded(158'712.3, std::numeric_limits<double>::infinity(), false) == "158,700");
  CHECK(display_rounded(0.1234, kNaN, true) == "12.34%");
  CHECK(display_rounded(kNaN, 1.0, false) == "NaN");
  CHECK(display_rounded(-std::numeric_limits<double>::infinity(), 1.0, true) == "-inf");
  CHECK(display_rounded(0.0, 0.5, false) == "0");
}

TEST_CASE("a value without Monte Carlo error is written as it is, to at most 6 digits") {
  // A quantile on an atom of the draws (a count, a discrete input) has a standard error of 0.
  CHECK(display_rounded(30.0, 0.0, false) == "30");
  CHECK(display_rounded(4'503'100.0, 0.0, false) == "4,503,100");
  CHECK(display_rounded(0.25, 0.0, true) == "25%");
  CHECK(display_rounded(158'712.3, 0.0, false) == "158,712");
}

TEST_CASE("the interval levels of a coverage are the decimals people write") {
  // (1 - 0.95) / 2 is 0.025000000000000022 in binary arithmetic: the levels must be 0.025 itself,
  // or the JSON would key the quantile "0.025000000000000022".
  CHECK(interval_levels(0.95) == std::vector<double>{0.025, 0.5, 0.975});
  CHECK(interval_levels(0.9) == std::vector<double>{0.05, 0.5, 0.95});
  CHECK(interval_levels(0.8) == std::vector<double>{0.1, 0.5, 0.9});
}

TEST_CASE("a binned quantile is rounded to its bin's error when that exceeds the standard error") {
  ScenarioResult result = scenario();
  auto& victims = result.outputs.front().summary;
  victims.quantile_error = {0.0, 400.0, 0.0};
  victims.quantile_mcse = {310.0, 40.0, 2'600.0};
  const auto rows = interval_rows(std::vector<ScenarioResult>{result}, 0.95);
  // The median 158,744 with an error of 40 alone would print as 158,740; its bin's 400 allows
  // hundreds only.
  CHECK(rows.front().estimate_text == "158,700");
}

TEST_CASE("a Markdown cell keeps its row on one line") {
  CHECK(darkfigure::report::detail::markdown_cell("a\nb|c\r\nd") == "a b\\|c  d");
}

TEST_CASE("interval rows take the median and the interval at the level's quantiles") {
  const std::vector<ScenarioResult> results = {scenario()};
  const auto rows = interval_rows(results, 0.95);
  REQUIRE(rows.size() == 3);

  const IntervalRow& victims = rows[0];
  CHECK(victims.scenario == "kz");
  CHECK(victims.title == "Kazakhstan 2023");
  CHECK(victims.output == "victims");
  CHECK(victims.estimate == 158'744.0);
  REQUIRE(victims.low.has_value());
  REQUIRE(victims.high.has_value());
  CHECK(*victims.low == 85'423.1);
  CHECK(*victims.high == 439'438.0);
  CHECK(victims.estimate_mcse == 950.0);
  CHECK(victims.low_mcse == 310.0);
  CHECK(victims.high_mcse == 2'600.0);
  CHECK(victims.mean == 225'937.0);
  CHECK(victims.mcse == 180.0);
  CHECK_FALSE(victims.ess.has_value());
  CHECK(victims.ess_text.empty());
  CHECK(victims.draws == 1000);
  CHECK(victims.display == "158,700 (85,400-439,000)");
  CHECK(victims.mean_text == "225,900");
  CHECK(victims.sd_text == "91,200");
  CHECK(victims.mcse_text == "180");

  const IntervalRow& share = rows[1];
  CHECK(share.share);
  CHECK(share.display == "4.09% (1.93-10.7%)");
  CHECK(share.low_text == "1.93%");
  CHECK(share.mean_text == "4.50%");

  const IntervalRow& exceeds = rows[2];
  CHECK(exceeds.indicator);
  CHECK(exceeds.estimate == 0.0131);
  CHECK(exceeds.estimate_mcse == 0.0004);
  CHECK_FALSE(exceeds.low.has_value());
  CHECK(exceeds.display == "P = 1.31%");
}

TEST_CASE("interval rows without the level's quantiles show the estimate alone") {
  ScenarioResult result = scenario();
  result.outputs.resize(1);
  result.outputs[0].summary = summary_of(225'937.0, 91'234.5, 180.0, {0.05, 0.5, 0.95},
                                         {90'000.0, 158'744.0, 400'000.0}, {});
  std::vector<ScenarioResult> results = {result};
  auto rows = interval_rows(results, 0.95);
  REQUIRE(rows.size() == 1);
  CHECK_FALSE(rows[0].low.has_value());
  CHECK_FALSE(rows[0].high.has_value());
  CHECK(std::isnan(rows[0].estimate_mcse));
  CHECK(std::isnan(rows[0].low_mcse));
  CHECK(rows[0].display == "158,700");

  // At 90% the same summary has its interval; unknown standard errors give 4 digits.
  rows = interval_rows(results, 0.9);
  REQUIRE(rows[0].low.has_value());
  CHECK(rows[0].display == "158,700 (90,000-400,000)");
  CHECK(rows[0].level == 0.9);

  // Without a median the estimate is the mean, with the mean's standard error.
  results[0].outputs[0].summary =
      summary_of(225'937.0, 91'234.5, 180.0, {0.05, 0.95}, {90'000.0, 400'000.0}, {});
  rows = interval_rows(results, 0.9);
  CHECK(rows[0].estimate == 225'937.0);
  CHECK(rows[0].estimate_mcse == 180.0);
  CHECK(rows[0].display == "225,900 (90,000-400,000)");
}

TEST_CASE("interval rows say when an output had no finite draw or a negative bound") {
  ScenarioResult result = scenario();
  result.outputs.resize(1);
  result.outputs[0].summary =
      summary_of(kNaN, kNaN, kNaN, {0.025, 0.5, 0.975}, {kNaN, kNaN, kNaN}, {});
  result.outputs[0].summary.count = 0;
  result.outputs[0].summary.non_finite = 1000;
  std::vector<ScenarioResult> results = {result};
  auto rows = interval_rows(results, 0.95);
  CHECK(rows[0].display == "no finite draws");
  CHECK(rows[0].non_finite == 1000);

  results[0].outputs[0].summary =
      summary_of(-1.0, 2.0, 0.01, {0.025, 0.5, 0.975}, {-5.0, -1.0, 3.0}, {0.1, 0.01, 0.1});
  rows = interval_rows(results, 0.95);
  CHECK(rows[0].display == "-1.00 (-5.0 to 3.0)");
}

TEST_CASE("interval rows carry the sweep point and a conditioned scenario's ESS") {
  ScenarioResult result = conditioned();
  result.sweep = {{"crisis_uptake", 0.02}};
  const std::vector<ScenarioResult> results = {result};
  const auto rows = interval_rows(results, 0.95);
  REQUIRE(rows.size() == 3);
  CHECK(rows[0].sweep == result.sweep);
  REQUIRE(rows[0].ess.has_value());
  CHECK(*rows[0].ess == 1234.6);
  CHECK(rows[0].ess_text == "1,234");
}

TEST_CASE("the summary CSV has one full-precision row per output") {
  ScenarioResult point = scenario();
  point.sweep = {{"crisis_uptake", 0.02}, {"reporting", 0.3}};
  Publication publication;
  publication.results = {scenario(), point};
  publication.provenance = kProvenance;
  const auto rows = lines(render_summary(SummaryFormat::Csv, publication));
  REQUIRE(rows.size() == 7);
  CHECK(rows[0] ==
        "scenario,sweep,output,level,estimate,low,high,mean,sd,mcse,estimate_mcse,low_mcse,"
        "high_mcse,ess,draws,non_finite,share,indicator,display");
  CHECK(rows[1] ==
        "kz,,victims,0.95,158744,85423.1,439438,225937,91234.5,180,950,310,2600,,1000,0,false,"
        "false,\"158,700 (85,400-439,000)\"");
  CHECK(rows[3] ==
        "kz,,exceeds,0.95,0.0131,,,0.0131,0.11,4e-04,4e-04,,,,1000,0,false,true,"
        "P = 1.31%");
  CHECK(rows[5].rfind("kz,crisis_uptake=0.02;reporting=0.3,dark_share,0.95,0.04086,0.0193,0.107,",
                      0) == 0);
  CHECK(rows[5].find(",true,false,4.09% (1.93-10.7%)") != std::string::npos);
}

TEST_CASE("the summary Markdown has the provenance, the table and the sources") {
  Publication publication;
  publication.results = {scenario(), conditioned()};
  publication.provenance = kProvenance;
  SensitivityResult study;
  study.scenario = "kz";
  study.output = "victims";
  study.method = "src";
  study.r_squared = 0.9;
  InputSensitivity rate;
  rate.name = "reporting_rate";
  rate.text = "beta(4, 16)";
  rate.coefficient = -0.8;
  study.inputs = {rate};
  publication.sensitivity = {study};
  const std::string markdown = render_summary(SummaryFormat::Markdown, publication);
  CAPTURE(markdown);
  CHECK(markdown.rfind("# darkfigure report\n\n", 0) == 0);
  CHECK(markdown.find("darkfigure 0.1.0 (commit abc123), run 2026-01-01T00:00:00Z; random numbers: "
                      "philox4x32-10; samplers: darkfigure samplers 1.") != std::string::npos);
  CHECK(markdown.find("- `scenarios/kz.toml`: sha256 `5e0f`, seed 7, 1,000 draws, design mc, 2 "
                      "threads\n") != std::string::npos);
  CHECK(count(markdown, "- `scenarios/kz.toml`") == 1);
  CHECK(markdown.find("| scenario | output | estimate (95% UI) | mean | sd | MCSE | ESS |\n"
                      "|---|---|---:|---:|---:|---:|---:|\n") != std::string::npos);
  CHECK(
      markdown.find("| kz | victims | 158,700 (85,400-439,000) | 225,900 | 91,200 | 180 |  |\n") !=
      std::string::npos);
  CHECK(markdown.find("| kz_conditioned | exceeds | P = 1.31% | 1.31% |") != std::string::npos);
  CHECK(markdown.find("| 1,234 |\n") != std::string::npos);
  CHECK(markdown.find("### inputs") != std::string::npos);
  CHECK(markdown.find("| reporting_rate | beta(4, 16) | survey, 2023 | a \\| pipe |") !=
        std::string::npos);
  CHECK(markdown.find("| registered (observed) | 67500 ~ poisson(cases) | Committee on Legal "
                      "Statistics |  |") != std::string::npos);
  CHECK(markdown.find("conditioned on 1 observation: effective sample size 1,234") !=
        std::string::npos);
  CHECK(markdown.find("> **Warning:** the effective sample size is low; raise draws") !=
        std::string::npos);
  CHECK(markdown.find("## sensitivity") != std::string::npos);
  CHECK(markdown.find("standardised regression coefficients") != std::string::npos);
}

TEST_CASE("the Markdown lists a swept scenario's inputs once") {
  ScenarioResult first = scenario();
  first.sweep = {{"reporting_rate", 0.1}};
  ScenarioResult second = scenario();
  second.sweep = {{"reporting_rate", 0.2}};
  Publication publication;
  publication.results = {first, second};
  const std::string markdown = render_summary(SummaryFormat::Markdown, publication);
  CAPTURE(markdown);
  CHECK(count(markdown, "### inputs") == 1);
  CHECK(markdown.find("| kz (reporting_rate = 0.2) | victims |") != std::string::npos);
  CHECK(markdown.find("ESS") == std::string::npos);
}

TEST_CASE("the summary LaTeX is booktabs with every special character escaped") {
  Publication publication;
  publication.results = {scenario()};
  publication.provenance = kProvenance;
  const std::string plain = render_summary(SummaryFormat::Latex, publication);
  CAPTURE(plain);
  CHECK(plain.rfind("% ", 0) == 0);
  CHECK(plain.find("\\usepackage{booktabs}") != std::string::npos);
  CHECK(plain.find("% scenarios/kz.toml: sha256 5e0f, seed 7, 1,000 draws") != std::string::npos);
  CHECK(plain.find("\\label{tab:darkfigure-intervals}") != std::string::npos);
  CHECK(count(plain, "\\toprule") == 2);
  CHECK(count(plain, "\\midrule") == 2);
  CHECK(count(plain, "\\bottomrule") == 2);
  CHECK(plain.find("\\cmidrule(l){3-5}") != std::string::npos);
  CHECK(plain.find("output & (95\\% UI) & mean & sd & MCSE \\\\") != std::string::npos);
  CHECK(plain.find("ESS") == std::string::npos);
  CHECK(plain.find("victims & 158,700 (85,400--439,000) & 225,900 & 91,200 & 180 \\\\") !=
        std::string::npos);
  CHECK(plain.find("dark\\_share & 4.09\\% (1.93--10.7\\%)") != std::string::npos);
  CHECK(plain.find("exceeds & P = 1.31\\%") != std::string::npos);
  CHECK(plain.find("1,000 draws, seed 7") != std::string::npos);
  CHECK(plain.find("reporting\\_rate & \\texttt{beta(4, 16)} & \\raggedright survey, 2023 & "
                   "\\raggedright a \\textbar{} pipe \\tabularnewline") != std::string::npos);
  CHECK(balanced_braces(plain));

  publication.results = {conditioned()};
  const std::string latex = render_summary(SummaryFormat::Latex, publication);
  CAPTURE(latex);
  CHECK(latex.find("R\\&D 100\\% \\$5 \\#1 \\{x\\} \\textasciitilde{}y\\textasciicircum{}2 "
                   "a\\textbackslash{}b") != std::string::npos);
  CHECK(latex.find("\\multicolumn{6}{l}{\\textit{kz\\_conditioned}} \\\\") != std::string::npos);
  CHECK(latex.find("\\caption{Inputs of kz\\_conditioned: R\\&D") != std::string::npos);
  CHECK(latex.find("& MCSE & ESS \\\\") != std::string::npos);
  CHECK(latex.find("\\cmidrule(l){3-6}") != std::string::npos);
  CHECK(latex.find(" & 180 & 1,234 \\\\") != std::string::npos);
  CHECK(balanced_braces(latex));
}

TEST_CASE("LaTeX sets a leading hyphen of a number as a minus sign") {
  ScenarioResult result = scenario();
  result.outputs.resize(1);
  result.outputs[0].summary =
      summary_of(-1.0, 2.0, 0.01, {0.025, 0.5, 0.975}, {-5.0, -1.0, 3.0}, {0.1, 0.01, 0.1});
  Publication publication;
  publication.results = {result};
  const std::string latex = render_summary(SummaryFormat::Latex, publication);
  CAPTURE(latex);
  CHECK(latex.find("victims & $-$1.00 ($-$5.0 to 3.0) & $-$1.00 &") != std::string::npos);
}

TEST_CASE("the summary JSON has the rows, the runs, the studies and the provenance") {
  ScenarioResult point = conditioned();
  point.sweep = {{"crisis_uptake", 0.02}};
  point.outputs[0].summary.quantile_mcse.clear();
  Publication publication;
  publication.results = {scenario(), point};
  publication.provenance = kProvenance;
  SensitivityResult study;
  study.scenario = "kz";
  study.output = "victims";
  study.method = "prcc";
  InputSensitivity rate;
  rate.name = "reporting_rate";
  rate.text = "beta(4, 16)";
  study.inputs = {rate};
  publication.sensitivity = {study};
  const auto document = ordered_json::parse(render_summary(SummaryFormat::Json, publication));
  std::vector<std::string> keys;
  for (const auto& item : document.items())
    keys.push_back(item.key());
  CHECK(keys == std::vector<std::string>{"darkfigure", "level", "rows", "scenarios", "sensitivity",
                                         "provenance"});
  CHECK(document["level"] == 0.95);
  REQUIRE(document["rows"].size() == 6);
  const auto& victims = document["rows"][0];
  CHECK(victims["scenario"] == "kz");
  CHECK_FALSE(victims.contains("sweep"));
  CHECK(victims["estimate"] == 158'744.0);
  CHECK(victims["low"] == 85'423.1);
  CHECK(victims["high_mcse"] == 2'600.0);
  CHECK(victims["ess"].is_null());
  CHECK(victims["display"] == "158,700 (85,400-439,000)");
  CHECK(document["rows"][2]["low"].is_null());
  CHECK(document["rows"][2]["indicator"] == true);
  CHECK(document["rows"][1]["share"] == true);
  const auto& swept = document["rows"][3];
  CHECK(swept["sweep"]["crisis_uptake"] == 0.02);
  CHECK(swept["estimate_mcse"].is_null());
  CHECK(swept["ess"] == 1234.6);
  REQUIRE(document["scenarios"].size() == 2);
  CHECK(document["scenarios"][0]["sha256"] == "5e0f");
  CHECK(document["scenarios"][1]["settings"]["conditioned"] == true);
  CHECK(document["sensitivity"][0]["method"] == "prcc");
  const auto& provenance = document["provenance"];
  CHECK(provenance["samplers"] == "darkfigure samplers 1");
  CHECK(provenance["git_commit"] == "abc123");
  REQUIRE(provenance["scenarios"].size() == 1);
  CHECK(provenance["scenarios"][0] == ordered_json{{"file", "scenarios/kz.toml"},
                                                   {"sha256", "5e0f"},
                                                   {"seed", 7},
                                                   {"design", "mc"},
                                                   {"draws", 1000},
                                                   {"threads", 2}});
}

TEST_CASE("the summary table for the terminal aligns the rows and lists the warnings") {
  Publication publication;
  publication.results = {scenario(), conditioned()};
  const std::string table = render_summary(SummaryFormat::Table, publication);
  CAPTURE(table);
  const auto rows = lines(table);
  REQUIRE(rows.size() >= 8);
  CHECK(rows[0].rfind("scenario", 0) == 0);
  CHECK(rows[0].find("estimate (95% UI)") != std::string::npos);
  CHECK(rows[0].find("ESS") != std::string::npos);
  // The display column is right-aligned: it ends where its heading ends.
  const std::string heading = "estimate (95% UI)";
  const std::string display = "158,700 (85,400-439,000)";
  REQUIRE(rows[1].find(display) != std::string::npos);
  CHECK(rows[1].find(display) + display.size() == rows[0].find(heading) + heading.size());
  CHECK(table.find("\nwarning: kz_conditioned: the effective sample size is low; raise draws\n") !=
        std::string::npos);
}

TEST_CASE("sensitivity studies render as booktabs tables in LaTeX") {
  SensitivityResult study;
  study.scenario = "kz_x";
  study.output = "victims";
  study.method = "src";
  study.draws = 10'000;
  study.r_squared = 0.9;
  InputSensitivity rate;
  rate.name = "reporting_rate";
  rate.text = "beta(4, 16)";
  rate.coefficient = -0.81;
  study.inputs = {rate};
  study.warnings = {"R^2 is {low}"};
  const std::vector<SensitivityResult> studies = {study};
  const std::string latex = render_sensitivity(Format::Latex, studies, kProvenance);
  CAPTURE(latex);
  CHECK(latex.find("\\caption{kz\\_x: victims, standardised regression coefficients}") !=
        std::string::npos);
  CHECK(latex.find("\\begin{tabular}{lr}\n\\toprule\ninput & SRC \\\\\n\\midrule\n"
                   "reporting\\_rate & $-$0.810 \\\\\n\\bottomrule\n") != std::string::npos);
  CHECK(latex.find("10,000 draws") != std::string::npos);
  CHECK(latex.find("Warning: R\\textasciicircum{}2 is \\{low\\}.") != std::string::npos);
  CHECK(balanced_braces(latex));
}

TEST_CASE("a result is named by its scenario and, at a sweep point, the point") {
  CHECK(display_result("kz", {}) == "kz");
  CHECK(display_result("kz", {{"crisis_uptake", 0.02}, {"rate", 0.3}}) ==
        "kz (crisis_uptake = 0.02, rate = 0.3)");
}
