#include "darkfigure/report/plots.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <utility>
#include <vector>

using namespace darkfigure::report;
using nlohmann::json;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr const char* kSchema = "https://vega.github.io/schema/vega-lite/v6.json";

/// A summary with quantiles at 2.5%, 50% and 97.5%.
darkfigure::summary::Summary summary_of(double mean, double low, double median, double high) {
  darkfigure::summary::Summary summary;
  summary.count = 10'000;
  summary.mean = mean;
  summary.sd = 1.0;
  summary.mcse_mean = 0.01;
  summary.levels = {0.025, 0.5, 0.975};
  summary.quantiles = {low, median, high};
  summary.quantile_error = {0.0, 0.0, 0.0};
  return summary;
}

OutputResult output_of(const std::string& name, double mean, double low, double median,
                       double high) {
  OutputResult output;
  output.name = name;
  output.summary = summary_of(mean, low, median, high);
  return output;
}

DisplayHistogram histogram_of(std::vector<double> shares) {
  DisplayHistogram histogram;
  histogram.low = 100.0;
  histogram.width = 25.0;
  histogram.shares = std::move(shares);
  histogram.below = 0.001;
  histogram.above = 0.002;
  return histogram;
}

ScenarioResult result_of(const std::string& name, std::vector<OutputResult> outputs,
                         std::vector<std::pair<std::string, double>> sweep = {}) {
  ScenarioResult result;
  result.name = name;
  result.title = name;
  result.sweep = std::move(sweep);
  result.outputs = std::move(outputs);
  return result;
}

std::vector<Plot> of_kind(const std::vector<Plot>& plots, const std::string& kind) {
  std::vector<Plot> found;
  for (const Plot& plot : plots) {
    if (plot.kind == kind) found.push_back(plot);
  }
  return found;
}

/// The layer of a spec drawing `mark`; fails the test when there is none.
json layer(const json& spec, const std::string& mark) {
  for (const json& layer : spec.at("layer")) {
    const json& m = layer.at("mark");
    if ((m.is_string() ? m : m.at("type")).get<std::string>() == mark) return layer;
  }
  FAIL("no " << mark << " layer in " << spec.dump());
  return {};
}

bool has_layer(const json& spec, const std::string& mark) {
  return std::any_of(spec.at("layer").begin(), spec.at("layer").end(), [&](const json& layer) {
    const json& m = layer.at("mark");
    return (m.is_string() ? m : m.at("type")).get<std::string>() == mark;
  });
}

/// Every key anywhere in a JSON value.
void collect_keys(const json& value, std::set<std::string>& keys) {
  if (value.is_object()) {
    for (const auto& item : value.items()) {
      keys.insert(item.key());
      collect_keys(item.value(), keys);
    }
  } else if (value.is_array()) {
    for (const json& element : value)
      collect_keys(element, keys);
  }
}

/// No null in a JSON value: a NaN would be dumped as null.
bool no_nulls(const json& value) {
  if (value.is_null()) return false;
  if (value.is_object() || value.is_array()) {
    return std::all_of(value.begin(), value.end(), [](const json& v) { return no_nulls(v); });
  }
  return true;
}

/// Every number in the inline data of a spec, and its layers, is finite.
bool finite_data(const json& spec) {
  if (spec.contains("data") && !no_nulls(spec.at("data"))) return false;
  if (!spec.contains("layer")) return true;
  return std::all_of(spec.at("layer").begin(), spec.at("layer").end(),
                     [](const json& layer) { return finite_data(layer); });
}

}  // namespace

TEST_CASE("a histogram shows each bin's share, the interval behind and the estimate", "[plots]") {
  OutputResult victims = output_of("victims", 180.0, 110.0, 160.0, 240.0);
  victims.histogram = histogram_of({0.1, 0.3, 0.4, 0.197});
  Publication publication;
  publication.results = {result_of("kz", {victims})};
  const std::vector<Plot> plots = darkfigure::report::plots(publication);

  const auto histograms = of_kind(plots, "histogram");
  REQUIRE(histograms.size() == 1);
  const Plot& plot = histograms[0];
  CHECK(plot.name == "histogram-kz-victims");
  CHECK(plot.title == "victims: kz");
  const json spec = json::parse(plot.spec);
  CHECK(spec.at("$schema") == kSchema);
  CHECK(spec.at("description") == plot.caption);
  CHECK(spec.at("title").at("text") == plot.title);

  const json bars = layer(spec, "bar");
  const json& bins = bars.at("data").at("values");
  REQUIRE(bins.size() == 4);
  const std::vector<double> shares = {0.1, 0.3, 0.4, 0.197};
  for (std::size_t i = 0; i < bins.size(); ++i) {
    CHECK(bins[i].at("start").get<double>() == Approx(100.0 + 25.0 * static_cast<double>(i)));
    CHECK(bins[i].at("end").get<double>() == Approx(125.0 + 25.0 * static_cast<double>(i)));
    CHECK(bins[i].at("share").get<double>() == shares[i]);
  }
  CHECK(bars.at("encoding").at("y").at("axis").at("format") == ".1%");
  CHECK(bars.at("encoding").at("x").at("axis").at("format") == ",~f");

  // The interval is drawn first, so that it lies behind the bars.
  CHECK(spec.at("layer").at(0).at("mark").at("type") == "rect");
  const json interval = layer(spec, "rect").at("data").at("values").at(0);
  CHECK(interval.at("low").get<double>() == 110.0);
  CHECK(interval.at("high").get<double>() == 240.0);
  const json estimate = layer(spec, "rule").at("data").at("values").at(0);
  CHECK(estimate.at("estimate").get<double>() == 160.0);
  CHECK(bars.at("encoding").contains("tooltip"));

  CHECK_THAT(plot.caption, Catch::Contains("95% interval (110.0 to 240.0)"));
  CHECK_THAT(plot.caption, Catch::Contains("median (160.0)"));
  CHECK_THAT(plot.caption, Catch::Contains("0.1% of draws lie below and 0.2% above"));
}

TEST_CASE("a histogram takes its interval at the publication's level and drops NaN bins",
          "[plots]") {
  OutputResult rate = output_of("rate", 0.3, 0.0, 0.0, 0.0);
  rate.share = true;
  rate.summary.levels = {0.05, 0.95};
  rate.summary.quantiles = {0.1, 0.5};
  rate.summary.quantile_error = {0.0, 0.0};
  rate.histogram = histogram_of({0.5, kNaN, 0.5});
  Publication publication;
  publication.level = 0.9;
  publication.results = {result_of("kz", {rate})};
  const std::vector<Plot> plots = darkfigure::report::plots(publication);

  const auto histograms = of_kind(plots, "histogram");
  REQUIRE(histograms.size() == 1);
  const json spec = json::parse(histograms[0].spec);
  const json bins = layer(spec, "bar").at("data").at("values");
  REQUIRE(bins.size() == 2);
  CHECK(bins[0].at("start").get<double>() == 100.0);
  CHECK(bins[1].at("start").get<double>() == 150.0);
  const json interval = layer(spec, "rect").at("data").at("values").at(0);
  CHECK(interval.at("low").get<double>() == 0.1);
  CHECK(interval.at("high").get<double>() == 0.5);
  // Without a 0.5 quantile the estimate is the mean.
  CHECK(layer(spec, "rule").at("data").at("values").at(0).at("estimate").get<double>() == 0.3);
  CHECK(layer(spec, "bar").at("encoding").at("x").at("axis").at("format") == ".1%");
  CHECK_THAT(histograms[0].caption, Catch::Contains("90% interval"));
  CHECK(finite_data(spec));
}

TEST_CASE("a histogram without the interval's quantiles has no shaded band", "[plots]") {
  OutputResult victims = output_of("victims", 180.0, 110.0, 160.0, 240.0);
  victims.histogram = histogram_of({0.5, 0.5});
  Publication publication;
  publication.level = 0.8;
  publication.results = {result_of("kz", {victims})};
  const auto histograms = of_kind(darkfigure::report::plots(publication), "histogram");
  REQUIRE(histograms.size() == 1);
  const json spec = json::parse(histograms[0].spec);
  CHECK_FALSE(has_layer(spec, "rect"));
  CHECK(has_layer(spec, "rule"));
  CHECK_THAT(histograms[0].caption, !Catch::Contains("interval"));
}

TEST_CASE("no histogram for an indicator or an output without one", "[plots]") {
  OutputResult any = output_of("any", 0.4, 0.0, 0.0, 1.0);
  any.indicator = true;
  any.histogram = histogram_of({0.6, 0.4});
  OutputResult plain = output_of("plain", 1.0, 0.5, 1.0, 1.5);
  OutputResult drawn = output_of("drawn", 1.0, 0.5, 1.0, 1.5);
  drawn.histogram = histogram_of({1.0});
  Publication publication;
  publication.results = {result_of("kz", {any, plain, drawn})};
  const auto histograms = of_kind(darkfigure::report::plots(publication), "histogram");
  REQUIRE(histograms.size() == 1);
  CHECK(histograms[0].name == "histogram-kz-drawn");
}

TEST_CASE("a forest has one row per result in order with its estimate and bounds", "[plots]") {
  Publication publication;
  publication.results = {
      result_of("zz-national", {output_of("victims", 0.0, 10.0, 20.0, 40.0)}),
      result_of("sweep", {output_of("victims", 0.0, 5.0, 7.0, 9.0)}, {{"crisis_uptake", 0.02}}),
      result_of("sweep", {output_of("victims", 0.0, 6.0, 8.0, 12.0)}, {{"crisis_uptake", 0.05}}),
      result_of("alone", {output_of("other", 0.0, 1.0, 2.0, 3.0)}),
  };
  const std::vector<Plot> plots = darkfigure::report::plots(publication);
  const auto forests = of_kind(plots, "forest");
  REQUIRE(forests.size() == 1);
  CHECK(forests[0].name == "forest-victims");
  const json spec = json::parse(forests[0].spec);
  CHECK(spec.at("$schema") == kSchema);
  CHECK(spec.at("encoding").at("y").at("sort").is_null());
  const json& rows = spec.at("data").at("values");
  REQUIRE(rows.size() == 3);
  CHECK(rows[0].at("result") == "zz-national");
  CHECK(rows[1].at("result") == "sweep (crisis_uptake = 0.02)");
  CHECK(rows[2].at("result") == "sweep (crisis_uptake = 0.05)");
  const std::vector<std::vector<double>> expected = {{20, 10, 40}, {7, 5, 9}, {8, 6, 12}};
  for (std::size_t i = 0; i < rows.size(); ++i) {
    CHECK(rows[i].at("estimate").get<double>() == expected[i][0]);
    CHECK(rows[i].at("low").get<double>() == expected[i][1]);
    CHECK(rows[i].at("high").get<double>() == expected[i][2]);
  }
  CHECK(layer(spec, "rule").at("encoding").at("x").at("field") == "low");
  CHECK(layer(spec, "rule").at("encoding").at("x2").at("field") == "high");
  CHECK(layer(spec, "point").at("encoding").at("x").at("field") == "estimate");
  CHECK(layer(spec, "rule").at("encoding").at("x").at("axis").at("format") == ",~f");
}

TEST_CASE("a forest needs two results with an interval and formats shares only when all are",
          "[plots]") {
  OutputResult share_a = output_of("rate", 0.0, 0.1, 0.2, 0.3);
  share_a.share = true;
  OutputResult share_b = output_of("rate", 0.0, 0.2, 0.3, 0.4);
  share_b.share = true;
  OutputResult no_interval = output_of("count", 3.0, 1.0, 2.0, 3.0);
  no_interval.summary.levels = {0.5};
  no_interval.summary.quantiles = {2.0};
  OutputResult indicator = output_of("any", 0.5, 0.0, 0.0, 1.0);
  indicator.indicator = true;
  OutputResult mixed_share = output_of("mixed", 0.0, 0.1, 0.2, 0.3);
  mixed_share.share = true;
  OutputResult mixed_plain = output_of("mixed", 0.0, 1.0, 2.0, 3.0);

  SECTION("shares in every result") {
    Publication publication;
    publication.results = {result_of("a", {share_a, no_interval, indicator, mixed_share}),
                           result_of("b", {share_b, no_interval, indicator, mixed_plain})};
    const auto forests = of_kind(darkfigure::report::plots(publication), "forest");
    REQUIRE(forests.size() == 2);
    CHECK(forests[0].name == "forest-rate");
    CHECK(forests[1].name == "forest-mixed");
    const json rate = json::parse(forests[0].spec);
    CHECK(layer(rate, "point").at("encoding").at("x").at("axis").at("format") == ".1%");
    const json mixed = json::parse(forests[1].spec);
    CHECK(layer(mixed, "point").at("encoding").at("x").at("axis").at("format") == ",~f");
  }
  SECTION("a single result") {
    Publication publication;
    publication.results = {result_of("a", {share_a, mixed_plain})};
    CHECK(of_kind(darkfigure::report::plots(publication), "forest").empty());
  }
}

TEST_CASE("a Sobol plot has first and total indices with their intervals", "[plots]") {
  SensitivityResult study;
  study.scenario = "kz";
  study.sweep = {{"crisis_uptake", 0.02}};
  study.output = "victims";
  study.method = "sobol";
  study.bootstrap = 500;
  InputSensitivity rate;
  rate.name = "rate";
  rate.first = 0.6;
  rate.total = 1.1;
  rate.first_ci = {0.5, 0.7};
  rate.total_ci = {0.9, 1.2};
  InputSensitivity alpha;
  alpha.name = "alpha";
  alpha.first = -0.05;
  alpha.total = 0.2;
  alpha.first_ci = {-0.1, kNaN};
  alpha.total_ci = {0.15, 0.25};
  study.inputs = {rate, alpha};
  Publication publication;
  publication.sensitivity = {study};
  const std::vector<Plot> plots = darkfigure::report::plots(publication);
  REQUIRE(plots.size() == 1);
  CHECK(plots[0].kind == "sobol");
  CHECK(plots[0].name == "sobol-kz-crisis-uptake-0.02-victims");
  CHECK(plots[0].title == "victims: kz (crisis_uptake = 0.02), Sobol indices");
  const json spec = json::parse(plots[0].spec);
  CHECK(spec.at("$schema") == kSchema);

  const json bars = layer(spec, "bar");
  const json& values = bars.at("data").at("values");
  REQUIRE(values.size() == 4);
  const std::vector<std::pair<std::string, double>> expected = {
      {"first-order", 0.6}, {"total", 1.1}, {"first-order", -0.05}, {"total", 0.2}};
  for (std::size_t i = 0; i < values.size(); ++i) {
    CHECK(values[i].at("input") == (i < 2 ? "rate" : "alpha"));
    CHECK(values[i].at("index") == expected[i].first);
    CHECK(values[i].at("value").get<double>() == expected[i].second);
  }
  CHECK(bars.at("encoding").at("x").at("sort") == json({"rate", "alpha"}));
  const json domain = bars.at("encoding").at("y").at("scale").at("domain");
  CHECK(domain.at(0).get<double>() == -0.05);
  CHECK(domain.at(1).get<double>() == 1.2);

  // The NaN bound drops alpha's first-order error bar.
  const json errors = layer(spec, "rule").at("data").at("values");
  REQUIRE(errors.size() == 3);
  CHECK(errors[0].at("lower").get<double>() == 0.5);
  CHECK(errors[0].at("upper").get<double>() == 0.7);
  CHECK(errors[1].at("lower").get<double>() == 0.9);
  CHECK(errors[1].at("upper").get<double>() == 1.2);
  CHECK(errors[2].at("input") == "alpha");
  CHECK(errors[2].at("index") == "total");
  CHECK(errors[2].at("lower").get<double>() == 0.15);
  CHECK(errors[2].at("upper").get<double>() == 0.25);
  CHECK(finite_data(spec));
}

TEST_CASE("a Sobol plot's index axis always spans 0 to 1", "[plots]") {
  SensitivityResult study;
  study.scenario = "kz";
  study.output = "victims";
  study.method = "sobol";
  InputSensitivity rate;
  rate.name = "rate";
  rate.first = 0.2;
  rate.total = 0.3;
  rate.first_ci = {0.1, 0.25};
  rate.total_ci = {0.2, 0.4};
  study.inputs = {rate};
  Publication publication;
  publication.sensitivity = {study};
  const json spec = json::parse(darkfigure::report::plots(publication).at(0).spec);
  CHECK(layer(spec, "bar").at("encoding").at("y").at("scale").at("domain") == json({0.0, 1.0}));
}

TEST_CASE("a tornado runs from the baseline to the low and high runs", "[plots]") {
  SensitivityResult study;
  study.scenario = "kz";
  study.output = "rate";
  study.method = "tornado";
  study.quantile = 0.5;
  study.baseline = 0.3;
  InputSensitivity reporting;
  reporting.name = "reporting";
  reporting.low_input = 0.12;
  reporting.high_input = 0.28;
  reporting.low = 0.5;
  reporting.high = 0.2;
  InputSensitivity size;
  size.name = "size";
  size.low_input = 6000.0;
  size.high_input = 80000.0;
  size.low = 0.25;
  size.high = std::numeric_limits<double>::infinity();
  study.inputs = {reporting, size};
  OutputResult rate = output_of("rate", 0.3, 0.1, 0.3, 0.5);
  rate.share = true;
  Publication publication;
  publication.results = {result_of("kz", {rate})};
  publication.sensitivity = {study};
  const auto tornadoes = of_kind(darkfigure::report::plots(publication), "tornado");
  REQUIRE(tornadoes.size() == 1);
  CHECK(tornadoes[0].name == "tornado-kz-rate");
  const json spec = json::parse(tornadoes[0].spec);
  const json bars = layer(spec, "bar");
  const json& values = bars.at("data").at("values");
  // The infinite run is dropped.
  REQUIRE(values.size() == 3);
  CHECK(values[0].at("input") == "reporting");
  CHECK(values[0].at("input_value").get<double>() == 0.12);
  CHECK(values[0].at("value").get<double>() == 0.5);
  CHECK(values[1].at("input_value").get<double>() == 0.28);
  CHECK(values[1].at("value").get<double>() == 0.2);
  CHECK(values[2].at("input") == "size");
  CHECK(values[2].at("input_value").get<double>() == 6000.0);
  CHECK(values[2].at("value").get<double>() == 0.25);
  for (const json& value : values)
    CHECK(value.at("baseline").get<double>() == 0.3);
  CHECK(bars.at("encoding").at("x").at("field") == "value");
  CHECK(bars.at("encoding").at("x2").at("field") == "baseline");
  CHECK(bars.at("encoding").at("y").at("sort") == json({"reporting", "size"}));
  CHECK(bars.at("encoding").at("x").at("axis").at("format") == ".1%");
  const json baseline = layer(spec, "rule").at("data").at("values");
  CHECK(baseline == json::parse(R"([{"baseline": 0.3}])"));
  const json& tooltip = bars.at("encoding").at("tooltip");
  CHECK(std::any_of(tooltip.begin(), tooltip.end(),
                    [](const json& t) { return t.at("field") == "input_value"; }));
  CHECK(finite_data(spec));
}

TEST_CASE("src and prcc plots show coefficients on [-1, 1] with R^2 in the caption", "[plots]") {
  SensitivityResult study;
  study.scenario = "kz";
  study.output = "victims";
  study.method = GENERATE(std::string("src"), std::string("prcc"));
  study.r_squared = 0.42;
  InputSensitivity reporting;
  reporting.name = "reporting";
  reporting.coefficient = -0.81;
  InputSensitivity size;
  size.name = "size";
  size.coefficient = 0.25;
  InputSensitivity broken;
  broken.name = "broken";
  broken.coefficient = kNaN;
  study.inputs = {reporting, size, broken};
  Publication publication;
  publication.sensitivity = {study};
  const std::vector<Plot> plots = darkfigure::report::plots(publication);
  REQUIRE(plots.size() == 1);
  CHECK(plots[0].kind == study.method);
  CHECK(plots[0].name == study.method + "-kz-victims");
  CHECK_THAT(plots[0].caption, Catch::Contains("= 0.42"));
  const json spec = json::parse(plots[0].spec);
  const json& values = spec.at("data").at("values");
  REQUIRE(values.size() == 2);
  CHECK(values[0].at("input") == "reporting");
  CHECK(values[0].at("coefficient").get<double>() == -0.81);
  CHECK(values[1].at("input") == "size");
  CHECK(values[1].at("coefficient").get<double>() == 0.25);
  CHECK(spec.at("encoding").at("x").at("scale").at("domain") == json({-1.0, 1.0}));
}

TEST_CASE("a convergence plot shows the running mean and a band of 2 MCSE", "[plots]") {
  OutputResult victims = output_of("victims", 10.0, 5.0, 10.0, 15.0);
  victims.trace = {
      {1'000, 9.0, kNaN}, {4'096, kNaN, 1.0}, {16'384, 10.5, 0.5}, {65'536, 10.0, 0.25}};
  OutputResult any = output_of("any", 0.4, 0.0, 0.0, 1.0);
  any.indicator = true;
  any.trace = {{1'000, 0.41, 0.02}, {2'000, 0.4, 0.01}};
  OutputResult short_trace = output_of("short", 1.0, 0.0, 1.0, 2.0);
  short_trace.trace = {{1'000, 1.0, 0.1}};
  Publication publication;
  publication.results = {result_of("kz", {victims, any, short_trace})};
  const auto convergence = of_kind(darkfigure::report::plots(publication), "convergence");
  REQUIRE(convergence.size() == 2);
  CHECK(convergence[0].name == "convergence-kz-victims");
  CHECK(convergence[1].name == "convergence-kz-any");
  CHECK_THAT(convergence[0].caption, Catch::Contains("2 Monte Carlo standard errors"));

  const json spec = json::parse(convergence[0].spec);
  const json line = layer(spec, "line");
  const json& points = line.at("data").at("values");
  REQUIRE(points.size() == 3);
  const std::vector<std::pair<double, double>> expected = {
      {1'000, 9.0}, {16'384, 10.5}, {65'536, 10.0}};
  for (std::size_t i = 0; i < points.size(); ++i) {
    CHECK(points[i].at("draws").get<double>() == expected[i].first);
    CHECK(points[i].at("mean").get<double>() == expected[i].second);
  }
  CHECK(line.at("encoding").at("x").at("scale").at("type") == "log");
  CHECK(line.at("encoding").at("y").at("axis").at("format") == ",~f");
  const json band = layer(spec, "area").at("data").at("values");
  REQUIRE(band.size() == 2);
  CHECK(band[0].at("draws").get<double>() == 16'384);
  CHECK(band[0].at("lower").get<double>() == Approx(9.5));
  CHECK(band[0].at("upper").get<double>() == Approx(11.5));
  CHECK(band[1].at("lower").get<double>() == Approx(9.5));
  CHECK(band[1].at("upper").get<double>() == Approx(10.5));
  const json rule = layer(spec, "rule");
  CHECK(rule.at("data").at("values").at(0).at("mean").get<double>() == 10.0);
  CHECK(rule.at("mark").contains("strokeDash"));
  CHECK(finite_data(spec));

  // An indicator's mean is a probability.
  const json probability = json::parse(convergence[1].spec);
  CHECK(layer(probability, "line").at("encoding").at("y").at("axis").at("format") == ".1%");
}

TEST_CASE("plots come in order with unique slugged names and inline data only", "[plots]") {
  OutputResult victims = output_of("Victims total", 10.0, 5.0, 10.0, 15.0);
  victims.histogram = histogram_of({0.5, 0.5});
  victims.trace = {{1'000, 9.0, 1.0}, {2'000, 10.0, 0.5}};
  OutputResult again = victims;
  again.name = "victims_total";
  Publication publication;
  publication.results = {
      result_of("KZ_2023 national", {victims, again}, {{"crisis_uptake", 0.02}, {"rate", 0.3}}),
      result_of("KZ_2023 national", {victims}, {{"crisis_uptake", 0.05}, {"rate", 0.3}})};
  SensitivityResult study;
  study.scenario = "KZ_2023 national";
  study.output = "Victims total";
  study.method = "src";
  publication.sensitivity = {study};
  const std::vector<Plot> plots = darkfigure::report::plots(publication);

  std::vector<std::string> kinds;
  std::vector<std::string> names;
  for (const Plot& plot : plots) {
    kinds.push_back(plot.kind);
    names.push_back(plot.name);
  }
  CHECK(kinds == std::vector<std::string>{"histogram", "histogram", "histogram", "forest", "src",
                                          "convergence", "convergence", "convergence"});
  CHECK(names == std::vector<std::string>{
                     "histogram-kz-2023-national-crisis-uptake-0.02-rate-0.3-victims-total",
                     "histogram-kz-2023-national-crisis-uptake-0.02-rate-0.3-victims-total-2",
                     "histogram-kz-2023-national-crisis-uptake-0.05-rate-0.3-victims-total",
                     "forest-victims-total", "src-kz-2023-national-victims-total",
                     "convergence-kz-2023-national-crisis-uptake-0.02-rate-0.3-victims-total",
                     "convergence-kz-2023-national-crisis-uptake-0.02-rate-0.3-victims-total-2",
                     "convergence-kz-2023-national-crisis-uptake-0.05-rate-0.3-victims-total"});
  CHECK(plots[0].title == "Victims total: KZ_2023 national (crisis_uptake = 0.02, rate = 0.3)");

  std::set<std::string> unique(names.begin(), names.end());
  CHECK(unique.size() == names.size());
  for (const Plot& plot : plots) {
    INFO(plot.name);
    CHECK(std::all_of(plot.name.begin(), plot.name.end(), [](char c) {
      return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
    }));
    const json spec = json::parse(plot.spec);
    CHECK(spec.at("$schema") == kSchema);
    CHECK(spec.at("description") == plot.caption);
    CHECK(spec.at("title").at("text") == plot.title);
    std::set<std::string> keys;
    collect_keys(spec, keys);
    CHECK_FALSE(keys.contains("url"));
    CHECK(plot.spec.find("url") == std::string::npos);
  }
}

TEST_CASE("a tornado without a finite baseline and an empty publication draw nothing", "[plots]") {
  SensitivityResult study;
  study.scenario = "kz";
  study.output = "victims";
  study.method = "tornado";
  study.baseline = kNaN;
  InputSensitivity reporting;
  reporting.name = "reporting";
  reporting.low = 1.0;
  reporting.high = 2.0;
  study.inputs = {reporting};
  Publication publication;
  publication.sensitivity = {study};
  CHECK(darkfigure::report::plots(publication).empty());
  CHECK(darkfigure::report::plots(Publication{}).empty());
}

TEST_CASE("a coefficient beyond [-1, 1] widens the axis to show it", "[plots]") {
  SensitivityResult study;
  study.scenario = "kz";
  study.output = "victims";
  study.method = "src";
  InputSensitivity size;
  size.name = "size";
  size.coefficient = 1.3;
  study.inputs = {size};
  Publication publication;
  publication.sensitivity = {study};
  const json spec = json::parse(darkfigure::report::plots(publication).at(0).spec);
  CHECK(spec.at("encoding").at("x").at("scale").at("domain") == json({-1.0, 1.3}));
}
