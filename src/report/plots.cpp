#include "darkfigure/report/plots.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstddef>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "darkfigure/core/error.hpp"
#include "darkfigure/report/number_format.hpp"
#include "writers.hpp"

namespace darkfigure::report {
namespace {

using Json = nlohmann::ordered_json;
using SweepPoint = std::vector<std::pair<std::string, double>>;

constexpr const char* kSchema = "https://vega.github.io/schema/vega-lite/v6.json";
// A fixed width renders the same in a browser and headless; "container" needs a sized parent.
constexpr int kWidth = 560;
constexpr int kHeight = 240;
constexpr int kRowHeight = 30;    ///< per row of a chart with one row per result or input
constexpr int kLabelLimit = 320;  ///< pixels of a row label before it is cut short

// d3-format specifiers: axes show round ticks, tooltips four significant digits. An axis
// format without a precision takes it from the tick step, so "~f" keeps 100000 from reading
// "1e+5".
constexpr const char* kPercentAxis = ".1%";
constexpr const char* kPercentTooltip = ".2%";
constexpr const char* kNumberAxis = ",~f";
constexpr const char* kCount = ",";
constexpr const char* kNumberTooltip = ",.4~r";
constexpr const char* kIndexTooltip = ".3f";

// Vega's default "tableau10" colours, named so that layers agree.
constexpr const char* kBlue = "#4c78a8";
constexpr const char* kOrange = "#f58518";
constexpr const char* kRed = "#e45756";
constexpr const char* kShade = "#c6dbef";
constexpr const char* kDark = "#333333";

/// Levels are compared as the interval table compares them.
constexpr double kLevelTolerance = 1e-12;

bool finite(std::initializer_list<double> values) {
  return std::all_of(values.begin(), values.end(), [](double v) { return std::isfinite(v); });
}

const char* axis_format(bool percent) {
  return percent ? kPercentAxis : kNumberAxis;
}

const char* tooltip_format(bool percent) {
  return percent ? kPercentTooltip : kNumberTooltip;
}

/// "0.10%" -> "0.1%", "1.0%" -> "1%": a share in a caption, without trailing zeros.
std::string share_text(double share) {
  std::string text = display_percent(share, 2);
  const std::size_t point = text.find('.');
  if (point == std::string::npos) return text;
  std::size_t end = text.size() - 1;
  while (end > point && text[end - 1] == '0')
    --end;
  if (end - 1 == point) --end;
  return text.substr(0, end) + "%";
}

std::string value_text(double value, bool percent) {
  return percent ? display_percent(value, 3) : display_number(value);
}

/// Lower-case letters, digits and '.' kept; every run of other characters ('_', spaces, '=',
/// ',', '-') becomes one '-', none at either end.
std::string slug(const std::string& text) {
  std::string out;
  bool separator = false;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x80 || (std::isalnum(byte) == 0 && c != '.')) {
      separator = true;
      continue;
    }
    if (separator && !out.empty()) out += '-';
    separator = false;
    out += static_cast<char>(std::tolower(byte));
  }
  return out;
}

/// "<kind>-<scenario>[-<sweep point>]-<output>", slugged.
std::string stem(const std::string& kind, const std::string& scenario, const SweepPoint& sweep,
                 const std::string& output) {
  const std::string point = display_point(sweep);
  return slug(kind + "-" + scenario + (point.empty() ? "" : "-" + point) + "-" + output);
}

/// The quantile at `level` when the summary has it (within kLevelTolerance) and it is finite.
std::optional<double> quantile_near(const summary::Summary& summary, double level) {
  for (std::size_t i = 0; i < summary.levels.size() && i < summary.quantiles.size(); ++i) {
    if (std::abs(summary.levels[i] - level) <= kLevelTolerance &&
        std::isfinite(summary.quantiles[i])) {
      return summary.quantiles[i];
    }
  }
  return std::nullopt;
}

/// An output's estimate and interval at a coverage, as the interval table takes them.
struct Interval {
  double estimate = 0.0;  ///< the median, or the mean when no 0.5 quantile was computed
  bool median = false;
  std::optional<double> low;  ///< set together with high
  std::optional<double> high;
};

Interval interval_of(const summary::Summary& summary, double level) {
  Interval interval;
  const std::optional<double> median = quantile_near(summary, 0.5);
  interval.estimate = median.value_or(summary.mean);
  interval.median = median.has_value();
  interval.low = quantile_near(summary, (1.0 - level) / 2.0);
  interval.high = quantile_near(summary, (1.0 + level) / 2.0);
  if (!interval.low || !interval.high) interval.low = interval.high = std::nullopt;
  return interval;
}

/// "2.5% quantile".
std::string quantile_title(double level) {
  return level == 0.5 ? "median" : detail::level_label(level) + " quantile";
}

Json inline_data(Json values) {
  return Json{{"values", std::move(values)}};
}

Json quantitative(const std::string& field, const std::string& title, const char* format) {
  return Json{{"field", field},
              {"type", "quantitative"},
              {"title", title},
              {"axis", Json{{"format", format}}}};
}

/// A quantitative channel whose scale fits the data rather than reaching to zero.
Json fitted(const std::string& field, const std::string& title, const char* format) {
  Json channel = quantitative(field, title, format);
  channel["scale"] = Json{{"zero", false}};
  return channel;
}

Json field(const std::string& name) {
  return Json{{"field", name}};
}

Json tip(const std::string& field, const std::string& title, const char* format) {
  return Json{{"field", field}, {"type", "quantitative"}, {"title", title}, {"format", format}};
}

Json tip(const std::string& field, const std::string& title) {
  return Json{{"field", field}, {"type", "nominal"}, {"title", title}};
}

/// A nominal channel listing `order` top to bottom (or left to right) as given.
Json ordered(const std::string& field, const std::vector<std::string>& order, Json title) {
  return Json{{"field", field}, {"type", "nominal"}, {"sort", order}, {"title", std::move(title)}};
}

/// The rows of a horizontal chart, one per result or input, top to bottom as given.
Json row_channel(const std::string& field, const std::vector<std::string>& order) {
  Json channel = ordered(field, order, nullptr);
  channel["axis"] = Json{{"labelLimit", kLabelLimit}};
  return channel;
}

/// The columns of a vertical chart, one per input, left to right as given; labels turn only
/// when there are too many to lie flat.
Json column_channel(const std::string& field, const std::vector<std::string>& order) {
  Json channel = ordered(field, order, "input");
  channel["axis"] = Json{{"labelAngle", order.size() <= 6 ? 0 : -45}};
  return channel;
}

int rows_height(std::size_t rows) {
  return std::max(kHeight, kRowHeight * static_cast<int>(rows));
}

Plot make_plot(std::string kind, std::string name, std::string title, std::string subtitle,
               std::string caption, int height, const Json& body) {
  Json spec{{"$schema", kSchema},
            {"title", Json{{"text", title}, {"subtitle", subtitle}}},
            {"description", caption},
            {"width", kWidth},
            {"height", height}};
  spec.update(body);
  return Plot{std::move(name), std::move(kind), std::move(title), std::move(caption), spec.dump(2)};
}

std::optional<Plot> histogram_plot(const ScenarioResult& result, const OutputResult& output,
                                   double level) {
  if (output.indicator || !output.histogram) return std::nullopt;
  const DisplayHistogram& histogram = *output.histogram;
  const bool percent = output.share;
  const char* axis = axis_format(percent);
  const char* format = tooltip_format(percent);
  const std::string& x_title = output.name;

  Json bins = Json::array();
  for (std::size_t i = 0; i < histogram.shares.size(); ++i) {
    const double start = histogram.low + static_cast<double>(i) * histogram.width;
    const double end = histogram.low + static_cast<double>(i + 1) * histogram.width;
    const double share = histogram.shares[i];
    if (finite({start, end, share})) {
      bins.push_back(Json{{"start", start}, {"end", end}, {"share", share}});
    }
  }
  if (bins.empty()) return std::nullopt;
  const double range_low = bins.front()["start"].get<double>();
  const double range_high = bins.back()["end"].get<double>();

  const Interval interval = interval_of(output.summary, level);
  const std::string estimate_name = interval.median ? "median" : "mean";
  const std::string interval_name = detail::level_label(level) + " interval";
  Json layers = Json::array();
  if (interval.low) {
    const Json tooltip = Json::array({tip("low", quantile_title((1.0 - level) / 2.0), format),
                                      tip("high", quantile_title((1.0 + level) / 2.0), format)});
    layers.push_back(Json{
        {"data",
         inline_data(Json::array({Json{{"low", *interval.low}, {"high", *interval.high}}}))},
        {"mark", Json{{"type", "rect"}, {"color", kShade}, {"opacity", 0.7}}},
        {"encoding",
         Json{{"x", fitted("low", x_title, axis)}, {"x2", field("high")}, {"tooltip", tooltip}}}});
  }
  layers.push_back(Json{
      {"data", inline_data(std::move(bins))},
      {"mark", Json{{"type", "bar"}, {"color", kBlue}, {"stroke", "white"}, {"strokeWidth", 0.5}}},
      {"encoding",
       Json{{"x", fitted("start", x_title, axis)},
            {"x2", field("end")},
            {"y", quantitative("share", "share of draws", kPercentAxis)},
            {"y2", Json{{"datum", 0}}},
            {"tooltip", Json::array({tip("start", "from", format), tip("end", "to", format),
                                     tip("share", "share of draws", kPercentTooltip)})}}}});
  const bool rule = std::isfinite(interval.estimate);
  if (rule) {
    layers.push_back(Json{
        {"data", inline_data(Json::array({Json{{"estimate", interval.estimate}}}))},
        {"mark", Json{{"type", "rule"}, {"color", kRed}, {"strokeWidth", 2}}},
        {"encoding", Json{{"x", fitted("estimate", x_title, axis)},
                          {"tooltip", Json::array({tip("estimate", estimate_name, format)})}}}});
  }

  const std::string label = display_result(result.name, result.sweep);
  std::string caption = "Each bar is the share of the finite draws of " + output.name +
                        " in its bin, from " + value_text(range_low, percent) + " to " +
                        value_text(range_high, percent);
  std::string subtitle = display_count(output.summary.count) + " finite draws";
  if (interval.low) {
    caption += ", the shaded band the " + interval_name + " (" +
               value_text(*interval.low, percent) + " to " + value_text(*interval.high, percent) +
               ")";
    subtitle += "; shaded: " + interval_name;
  }
  if (rule) {
    caption +=
        ", the rule the " + estimate_name + " (" + value_text(interval.estimate, percent) + ")";
    subtitle += "; rule: " + estimate_name;
  }
  caption += "; " + share_text(histogram.below) + " of draws lie below and " +
             share_text(histogram.above) + " above the plotted range.";
  return make_plot("histogram", stem("histogram", result.name, result.sweep, output.name),
                   output.name + ": " + label, subtitle, caption, kHeight,
                   Json{{"layer", std::move(layers)}});
}

/// A row of a forest plot: one result's estimate and interval of an output.
struct ForestRow {
  std::string label;
  Interval interval;
  bool share = false;
};

std::vector<Plot> forest_plots(const Publication& publication) {
  std::vector<std::string> names;
  for (const ScenarioResult& result : publication.results) {
    for (const OutputResult& output : result.outputs) {
      if (std::find(names.begin(), names.end(), output.name) == names.end()) {
        names.push_back(output.name);
      }
    }
  }
  const std::string interval_name = detail::level_label(publication.level) + " interval";
  std::vector<Plot> plots;
  for (const std::string& name : names) {
    std::vector<ForestRow> rows;
    std::set<std::string> labels;
    for (const ScenarioResult& result : publication.results) {
      for (const OutputResult& output : result.outputs) {
        if (output.name != name || output.indicator) continue;
        const Interval interval = interval_of(output.summary, publication.level);
        if (!interval.low || !std::isfinite(interval.estimate)) continue;
        // Rows are placed by label: the same scenario run twice needs two labels.
        const std::string base = display_result(result.name, result.sweep);
        std::string label = base;
        for (int n = 2; !labels.insert(label).second; ++n)
          label = base + " #" + std::to_string(n);
        rows.push_back(ForestRow{label, interval, output.share});
      }
    }
    if (rows.size() < 2) continue;
    const bool percent =
        std::all_of(rows.begin(), rows.end(), [](const ForestRow& row) { return row.share; });
    const bool median = std::all_of(rows.begin(), rows.end(),
                                    [](const ForestRow& row) { return row.interval.median; });
    const char* axis = axis_format(percent);
    const char* format = tooltip_format(percent);
    const std::string estimate_name = median ? "median" : "estimate";

    Json values = Json::array();
    for (const ForestRow& row : rows) {
      values.push_back(Json{{"result", row.label},
                            {"estimate", row.interval.estimate},
                            {"low", *row.interval.low},
                            {"high", *row.interval.high}});
    }
    const Json tooltip =
        Json::array({tip("result", "result"), tip("estimate", estimate_name, format),
                     tip("low", quantile_title((1.0 - publication.level) / 2.0), format),
                     tip("high", quantile_title((1.0 + publication.level) / 2.0), format)});
    const std::string x_title = name + " (" + estimate_name + " and " + interval_name + ")";
    Json body{
        {"data", inline_data(std::move(values))},
        {"encoding", Json{{"y", Json{{"field", "result"},
                                     {"type", "nominal"},
                                     {"sort", nullptr},
                                     {"title", nullptr},
                                     {"axis", Json{{"labelLimit", kLabelLimit}}}}}}},
        {"layer",
         Json::array(
             {Json{{"mark", Json{{"type", "rule"}, {"color", kBlue}, {"strokeWidth", 2}}},
                   {"encoding", Json{{"x", fitted("low", x_title, axis)},
                                     {"x2", field("high")},
                                     {"tooltip", tooltip}}}},
              Json{{"mark",
                    Json{{"type", "point"}, {"filled", true}, {"size", 70}, {"color", kDark}}},
                   {"encoding",
                    Json{{"x", fitted("estimate", x_title, axis)}, {"tooltip", tooltip}}}}})}};
    const std::string caption =
        "Each row is a scenario or sweep point: the point is the median of " + name +
        (median ? "" : " (the mean where no median was computed)") + " and the line its " +
        interval_name + ".";
    plots.push_back(make_plot("forest", slug("forest-" + name), name + " by scenario",
                              estimate_name + " and " + interval_name + " per scenario", caption,
                              rows_height(rows.size()), body));
  }
  return plots;
}

/// The output a study is of, to format its values as the output's own; null when not published.
const OutputResult* studied_output(const Publication& publication, const SensitivityResult& study) {
  for (const ScenarioResult& result : publication.results) {
    if (result.name != study.scenario || result.sweep != study.sweep) continue;
    for (const OutputResult& output : result.outputs) {
      if (output.name == study.output) return &output;
    }
  }
  return nullptr;
}

std::vector<std::string> input_names(const SensitivityResult& study) {
  std::vector<std::string> names;
  for (const InputSensitivity& input : study.inputs)
    names.push_back(input.name);
  return names;
}

std::string study_title(const SensitivityResult& study) {
  return study.output + ": " + display_result(study.scenario, study.sweep) + ", " +
         std::string(sensitivity_method_label(study.method));
}

Plot sobol_plot(const SensitivityResult& study) {
  const std::vector<std::string> names = input_names(study);
  const std::vector<std::string> indices = {"first-order", "total"};
  Json bars = Json::array();
  Json errors = Json::array();
  double low = 0.0;
  double high = 1.0;
  const auto add = [&](const InputSensitivity& input, const std::string& index, double value,
                       const std::pair<double, double>& ci) {
    if (finite({value})) {
      bars.push_back(Json{{"input", input.name}, {"index", index}, {"value", value}});
      low = std::min(low, value);
      high = std::max(high, value);
    }
    if (finite({ci.first, ci.second})) {
      errors.push_back(
          Json{{"input", input.name}, {"index", index}, {"lower", ci.first}, {"upper", ci.second}});
      low = std::min(low, ci.first);
      high = std::max(high, ci.second);
    }
  };
  for (const InputSensitivity& input : study.inputs) {
    add(input, indices[0], input.first, input.first_ci);
    add(input, indices[1], input.total, input.total_ci);
  }
  const std::string interval_name = detail::level_label(study.level) + " interval";
  const Json y_scale{{"domain", Json::array({low, high})}};
  Json y = quantitative("value", "Sobol index", ".1f");
  y["scale"] = y_scale;
  Json layers = Json::array();
  layers.push_back(Json{
      {"data", inline_data(std::move(bars))},
      {"mark", Json{{"type", "bar"}}},
      {"encoding", Json{{"x", column_channel("input", names)},
                        {"xOffset", ordered("index", indices, nullptr)},
                        {"y", std::move(y)},
                        {"color", Json{{"field", "index"},
                                       {"type", "nominal"},
                                       {"title", "index"},
                                       {"scale", Json{{"domain", indices},
                                                      {"range", Json::array({kBlue, kOrange})}}}}},
                        {"tooltip", Json::array({tip("input", "input"), tip("index", "index"),
                                                 tip("value", "estimate", kIndexTooltip)})}}}});
  if (!errors.empty()) {
    Json lower = quantitative("lower", "Sobol index", ".1f");
    lower["scale"] = y_scale;
    layers.push_back(Json{
        {"data", inline_data(std::move(errors))},
        {"mark", Json{{"type", "rule"}, {"color", kDark}, {"strokeWidth", 1.5}}},
        {"encoding",
         Json{{"x", column_channel("input", names)},
              {"xOffset", ordered("index", indices, nullptr)},
              {"y", std::move(lower)},
              {"y2", field("upper")},
              {"tooltip", Json::array({tip("input", "input"), tip("index", "index"),
                                       tip("lower", interval_name + " low", kIndexTooltip),
                                       tip("upper", interval_name + " high", kIndexTooltip)})}}}});
  }
  std::string caption = "For each input, the share of the variance of " + study.output +
                        " it explains alone (first-order index) and with its interactions " +
                        "(total index)";
  if (study.bootstrap > 0) {
    caption += ", with " + interval_name + "s from " + display_count(study.bootstrap) +
               " bootstrap resamples as error bars";
  }
  caption += "; inputs by total index, largest first.";
  return make_plot("sobol", stem("sobol", study.scenario, study.sweep, study.output),
                   study_title(study), "first-order and total indices per input", caption, kHeight,
                   Json{{"layer", std::move(layers)}});
}

std::optional<Plot> tornado_plot(const SensitivityResult& study, const OutputResult* output) {
  if (!std::isfinite(study.baseline)) return std::nullopt;
  const bool percent = output != nullptr && (output->share || output->indicator);
  const char* axis = axis_format(percent);
  const char* format = tooltip_format(percent);
  const std::vector<std::string> names = input_names(study);
  const std::vector<std::string> runs = {"input at its 10th percentile",
                                         "input at its 90th percentile"};
  const std::string quantile = quantile_title(study.quantile);
  Json bars = Json::array();
  for (const InputSensitivity& input : study.inputs) {
    const std::pair<double, double> ends[] = {{input.low_input, input.low},
                                              {input.high_input, input.high}};
    for (std::size_t run = 0; run < 2; ++run) {
      const auto [input_value, value] = ends[run];
      if (!finite({input_value, value})) continue;
      bars.push_back(Json{{"input", input.name},
                          {"run", runs[run]},
                          {"input_value", input_value},
                          {"value", value},
                          {"baseline", study.baseline}});
    }
  }
  const std::string x_title = quantile + " of " + study.output;
  const Json tooltip = Json::array(
      {tip("input", "input"), tip("run", "run"), tip("input_value", "input value", kNumberTooltip),
       tip("value", x_title, format), tip("baseline", "baseline", format)});
  Json layers = Json::array();
  layers.push_back(
      Json{{"data", inline_data(std::move(bars))},
           {"mark", Json{{"type", "bar"}}},
           {"encoding",
            Json{{"y", row_channel("input", names)},
                 {"yOffset", ordered("run", runs, nullptr)},
                 {"x", fitted("value", x_title, axis)},
                 {"x2", field("baseline")},
                 {"color",
                  Json{{"field", "run"},
                       {"type", "nominal"},
                       {"title", nullptr},
                       {"scale", Json{{"domain", runs}, {"range", Json::array({kBlue, kOrange})}}},
                       {"legend", Json{{"orient", "bottom"}, {"labelLimit", kLabelLimit}}}}},
                 {"tooltip", tooltip}}}});
  layers.push_back(
      Json{{"data", inline_data(Json::array({Json{{"baseline", study.baseline}}}))},
           {"mark", Json{{"type", "rule"}, {"color", kDark}, {"strokeWidth", 1.5}}},
           {"encoding", Json{{"x", fitted("baseline", x_title, axis)},
                             {"tooltip", Json::array({tip("baseline", "baseline", format)})}}}});
  const std::string caption = "Each bar runs from the baseline " + quantile + " of " +
                              study.output + " (" + value_text(study.baseline, percent) +
                              ", every input as stated) to its value with one input at its " +
                              "10th or 90th percentile and the others as stated; inputs by " +
                              "swing, largest first.";
  return make_plot("tornado", stem("tornado", study.scenario, study.sweep, study.output),
                   study_title(study), x_title + " as each input moves", caption,
                   rows_height(study.inputs.size()), Json{{"layer", std::move(layers)}});
}

Plot coefficient_plot(const SensitivityResult& study) {
  const bool ranks = study.method == "prcc";
  const std::vector<std::string> names = input_names(study);
  Json values = Json::array();
  double low = -1.0;
  double high = 1.0;
  for (const InputSensitivity& input : study.inputs) {
    if (!finite({input.coefficient})) continue;
    values.push_back(Json{{"input", input.name}, {"coefficient", input.coefficient}});
    low = std::min(low, input.coefficient);
    high = std::max(high, input.coefficient);
  }
  const std::string coefficient = ranks ? "partial rank correlation" : "standardised coefficient";
  Json x = quantitative("coefficient", coefficient + " with " + study.output, ".1f");
  x["scale"] = Json{{"domain", Json::array({low, high})}};
  Json body{
      {"data", inline_data(std::move(values))},
      {"mark", Json{{"type", "bar"}}},
      {"encoding",
       Json{{"y", row_channel("input", names)},
            {"x", std::move(x)},
            {"color", Json{{"condition", Json{{"test", "datum.coefficient < 0"}, {"value", kRed}}},
                           {"value", kBlue}}},
            {"tooltip", Json::array({tip("input", "input"),
                                     tip("coefficient", coefficient, kIndexTooltip)})}}}};
  const std::string fit = ranks ? "R^2 of ranks" : "R^2";
  const std::string r_squared = display_number(study.r_squared, 3);
  const std::string caption = "Each bar is the " +
                              std::string(ranks ? "partial rank correlation of "
                                                : "standardised regression coefficient of ") +
                              study.output + " on an input, where 0 means no " +
                              (ranks ? "monotone" : "linear") + " effect; the fit has " + fit +
                              " = " + r_squared +
                              ", and the bars summarise the output fairly only when it is near 1.";
  return make_plot(study.method, stem(study.method, study.scenario, study.sweep, study.output),
                   study_title(study), fit + " = " + r_squared, caption,
                   rows_height(study.inputs.size()), body);
}

std::optional<Plot> sensitivity_plot(const Publication& publication,
                                     const SensitivityResult& study) {
  if (study.method == "sobol") return sobol_plot(study);
  if (study.method == "tornado") return tornado_plot(study, studied_output(publication, study));
  DARKFIGURE_CHECK(study.method == "src" || study.method == "prcc");
  return coefficient_plot(study);
}

std::optional<Plot> convergence_plot(const ScenarioResult& result, const OutputResult& output) {
  const bool percent = output.share || output.indicator;
  const char* axis = axis_format(percent);
  const char* format = tooltip_format(percent);
  Json line = Json::array();
  Json band = Json::array();
  double final_mean = 0.0;
  for (const TracePoint& point : output.trace) {
    // A log scale has no place for 0 draws.
    if (point.draws == 0 || !finite({point.mean})) continue;
    const auto draws = static_cast<double>(point.draws);
    line.push_back(Json{{"draws", draws}, {"mean", point.mean}});
    final_mean = point.mean;
    const double lower = point.mean - 2.0 * point.mcse;
    const double upper = point.mean + 2.0 * point.mcse;
    if (finite({point.mcse, lower, upper})) {
      band.push_back(
          Json{{"draws", draws}, {"lower", lower}, {"upper", upper}, {"mcse", point.mcse}});
    }
  }
  if (line.size() < 2) return std::nullopt;
  const std::string y_title = "mean of " + output.name;
  Json x = quantitative("draws", "draws (log scale)", kNumberAxis);
  x["scale"] = Json{{"type", "log"}, {"nice", false}};
  Json layers = Json::array();
  if (!band.empty()) {
    layers.push_back(
        Json{{"data", inline_data(std::move(band))},
             {"mark", Json{{"type", "area"}, {"color", kShade}, {"opacity", 0.8}}},
             {"encoding", Json{{"x", x},
                               {"y", fitted("lower", y_title, axis)},
                               {"y2", field("upper")},
                               {"tooltip", Json::array({tip("draws", "draws", kCount),
                                                        tip("lower", "mean - 2 MCSE", format),
                                                        tip("upper", "mean + 2 MCSE", format),
                                                        tip("mcse", "MCSE", format)})}}}});
  }
  layers.push_back(
      Json{{"data", inline_data(std::move(line))},
           {"mark", Json{{"type", "line"}, {"color", kBlue}, {"point", true}}},
           {"encoding", Json{{"x", x},
                             {"y", fitted("mean", y_title, axis)},
                             {"tooltip", Json::array({tip("draws", "draws", kCount),
                                                      tip("mean", "running mean", format)})}}}});
  layers.push_back(
      Json{{"data", inline_data(Json::array({Json{{"mean", final_mean}}}))},
           {"mark", Json{{"type", "rule"}, {"color", kDark}, {"strokeDash", Json::array({6, 4})}}},
           {"encoding", Json{{"y", fitted("mean", y_title, axis)},
                             {"tooltip", Json::array({tip("mean", "final mean", format)})}}}});
  const std::string caption =
      "The line is the running mean of " + output.name +
      " against the number of draws (log scale), the band plus or minus 2 Monte Carlo standard " +
      "errors about it, and the dashed rule the final mean (" + value_text(final_mean, percent) +
      "); a run has converged when the line settles within a narrow band.";
  return make_plot(
      "convergence", stem("convergence", result.name, result.sweep, output.name),
      output.name + ": " + display_result(result.name, result.sweep) + ", running mean",
      "running mean with a band of 2 Monte Carlo standard errors each side", caption, kHeight,
      Json{{"layer", std::move(layers)}});
}

/// Appends "-2", "-3", ... to a name already taken.
void make_names_unique(std::vector<Plot>& plots) {
  std::set<std::string> taken;
  for (Plot& plot : plots) {
    std::string name = plot.name;
    for (int n = 2; !taken.insert(name).second; ++n)
      name = plot.name + "-" + std::to_string(n);
    plot.name = std::move(name);
  }
}

}  // namespace

std::vector<Plot> plots(const Publication& publication) {
  std::vector<Plot> plots;
  for (const ScenarioResult& result : publication.results) {
    for (const OutputResult& output : result.outputs) {
      if (auto plot = histogram_plot(result, output, publication.level)) {
        plots.push_back(std::move(*plot));
      }
    }
  }
  for (Plot& plot : forest_plots(publication))
    plots.push_back(std::move(plot));
  for (const SensitivityResult& study : publication.sensitivity) {
    if (auto plot = sensitivity_plot(publication, study)) plots.push_back(std::move(*plot));
  }
  for (const ScenarioResult& result : publication.results) {
    for (const OutputResult& output : result.outputs) {
      if (auto plot = convergence_plot(result, output)) plots.push_back(std::move(*plot));
    }
  }
  make_names_unique(plots);
  return plots;
}

}  // namespace darkfigure::report
