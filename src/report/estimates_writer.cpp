#include "darkfigure/report/estimates.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <vector>

#include "darkfigure/core/error.hpp"
#include "darkfigure/core/text.hpp"
#include "darkfigure/report/number_format.hpp"
#include "json_document.hpp"
#include "writers.hpp"

namespace darkfigure::report {
namespace {

using Json = nlohmann::ordered_json;
using Rows = std::vector<std::vector<std::string>>;
using estimators::Estimate;
using estimators::ModelFit;
using scenario::CaptureData;

/// The alternatives a table or Markdown shows; CSV and JSON list them all.
constexpr std::size_t kShownModels = 10;

std::string statistic(double value) {
  return std::isnan(value) ? std::string("-") : display_number(value, 4);
}

std::string degrees(int df) {
  return df < 0 ? std::string("-") : std::to_string(df);
}

/// "3 lists (police, crisis, health)" or "one register, 6 frequencies".
std::string data_kind(const CaptureData& data) {
  if (!data.lists) {
    return "one register, " + std::to_string(data.frequencies.size()) + " frequencies";
  }
  std::string names;
  for (const std::string& list : data.lists->lists)
    names += (names.empty() ? "" : ", ") + list;
  return std::to_string(data.lists->lists.size()) + " lists (" + names + ")";
}

/// "95% profile likelihood interval".
std::string interval_label(const Estimate& estimate) {
  const std::string kinds[] = {"Wald", "log-normal", "profile likelihood", "bootstrap"};
  return core::shortest_decimal(100.0 * estimate.level) + "% " +
         kinds[static_cast<int>(estimate.method)] + " interval";
}

/// How the model was arrived at: "chosen by BIC among 8 models", "as named".
std::string model_origin(const CaptureData& data) {
  if (!data.lists) return "method " + data.method;
  if (data.method != "log-linear") return data.method + ", the two-list independence model";
  if (data.list_settings.model) return data.method + ", model as named";
  if (data.lists->lists.size() == 2) return data.method + ", the only model of two lists";
  const char* criterion =
      data.list_settings.criterion == estimators::Criterion::aic ? "AIC" : "BIC";
  return data.method + ", chosen by " + criterion + " among " +
         std::to_string(data.estimate.alternatives.size()) + " models";
}

/// The first kShownModels alternatives, a header row first.
Rows model_rows(const Estimate& estimate) {
  Rows rows = {{"model", "estimate", "se", "deviance", "df", "AIC", "BIC", ""}};
  for (const ModelFit& fit : std::span(estimate.alternatives)
                                 .first(std::min(kShownModels, estimate.alternatives.size()))) {
    if (!fit.problem.empty()) {
      rows.push_back({fit.model, "-", "-", "-", "-", "-", "-", "no estimate"});
      continue;
    }
    rows.push_back({fit.model, display_people(fit.estimate), statistic(fit.se),
                    statistic(fit.deviance), degrees(fit.df), statistic(fit.aic),
                    statistic(fit.bic), fit.model == estimate.fit.model ? "chosen" : ""});
  }
  return rows;
}

/// The estimate in words: "2,390 (95% profile likelihood interval 2,160-2,660), se 130".
std::string headline(const Estimate& estimate) {
  return display_people(estimate.fit.estimate) + " (" + interval_label(estimate) + " " +
         display_people(estimate.lower) + "-" + display_people(estimate.upper) + "), se " +
         statistic(estimate.fit.se);
}

/// "and 54 more models; --format csv or json lists every one", or empty when all are shown.
std::string more_models(const Estimate& estimate) {
  if (estimate.alternatives.size() <= kShownModels) return {};
  return "and " + std::to_string(estimate.alternatives.size() - kShownModels) +
         " more models; --format csv or json lists every one";
}

template <class Each>
void for_each_data_set(std::span<const scenario::Scenario> scenarios, Each each) {
  for (const scenario::Scenario& scenario : scenarios) {
    for (const CaptureData& data : scenario.capture_recapture)
      each(scenario, data);
  }
}

std::string write_table(std::span<const scenario::Scenario> scenarios) {
  std::string out;
  for_each_data_set(scenarios, [&](const scenario::Scenario& scenario, const CaptureData& data) {
    const Estimate& estimate = data.estimate;
    if (!out.empty()) out += '\n';
    out += data.name + " (" + scenario.file + "): " + data_kind(data) + ", " +
           display_people(estimate.n_observed) + " people seen\n";
    out += "  estimate " + headline(estimate) + '\n';
    out += "  model " + estimate.fit.model + " (" + model_origin(data) + ")\n\n";
    std::string table = detail::aligned(model_rows(estimate));
    std::size_t start = 0;
    while (start < table.size()) {
      const std::size_t end = table.find('\n', start);
      out += "  " + table.substr(start, end - start) + '\n';
      start = end == std::string::npos ? table.size() : end + 1;
    }
    if (const std::string more = more_models(estimate); !more.empty()) out += "  " + more + '\n';
    for (const std::string& warning : estimate.warnings)
      out += "  warning: " + warning + '\n';
  });
  return out;
}

std::string write_csv(std::span<const scenario::Scenario> scenarios) {
  std::string out =
      "scenario,data_set,method,model,chosen,n_observed,estimate,se,lower,upper,interval,level,"
      "deviance,df,aic,bic,problem\n";
  // A quantity a model does not define is an empty field; an infinite end is "inf".
  const auto number = [](double value) {
    return std::isnan(value) ? std::string() : core::shortest_decimal(value);
  };
  for_each_data_set(scenarios, [&](const scenario::Scenario& scenario, const CaptureData& data) {
    const Estimate& estimate = data.estimate;
    for (const ModelFit& fit : estimate.alternatives) {
      const bool chosen = fit.model == estimate.fit.model && fit.problem.empty();
      out += detail::csv_field(scenario.name) + ',' + detail::csv_field(data.name) + ',' +
             data.method + ',' + detail::csv_field(fit.model) + ',' + (chosen ? "1" : "0") + ',' +
             number(estimate.n_observed) + ',' + number(fit.estimate) + ',' + number(fit.se) + ',' +
             (chosen ? number(estimate.lower) : "") + ',' + (chosen ? number(estimate.upper) : "") +
             ',' + (chosen ? std::string(estimators::interval_name(estimate.method)) : "") + ',' +
             (chosen ? number(estimate.level) : "") + ',' + number(fit.deviance) + ',' +
             (fit.df < 0 ? "" : std::to_string(fit.df)) + ',' + number(fit.aic) + ',' +
             number(fit.bic) + ',' + detail::csv_field(fit.problem) + '\n';
    }
  });
  return out;
}

std::string write_markdown(std::span<const scenario::Scenario> scenarios) {
  std::string out;
  for_each_data_set(scenarios, [&](const scenario::Scenario& scenario, const CaptureData& data) {
    const Estimate& estimate = data.estimate;
    if (!out.empty()) out += '\n';
    out += "### " + detail::markdown_cell(data.name) + " (" + detail::markdown_cell(scenario.name) +
           ")\n\n";
    out += detail::markdown_cell(data_kind(data)) + ", " + display_people(estimate.n_observed) +
           " people seen; " + detail::markdown_cell(model_origin(data)) + ".\n\n";
    out += "Estimate: **" + display_people(estimate.fit.estimate) + "** (" +
           interval_label(estimate) + " " + display_people(estimate.lower) + "-" +
           display_people(estimate.upper) + "), standard error " + statistic(estimate.fit.se) +
           ", model " + detail::markdown_cell(estimate.fit.model) + ".\n\n";
    const Rows rows = model_rows(estimate);
    for (std::size_t r = 0; r < rows.size(); ++r) {
      out += '|';
      for (const std::string& cell : rows[r])
        out += ' ' + detail::markdown_cell(cell) + " |";
      out += '\n';
      if (r == 0) out += "|---|---:|---:|---:|---:|---:|---:|---|\n";
    }
    const std::string more = more_models(estimate);
    if (!more.empty() || !estimate.warnings.empty()) out += '\n';
    if (!more.empty()) out += "- " + more + '\n';
    for (const std::string& warning : estimate.warnings)
      out += "- warning: " + detail::markdown_cell(warning) + '\n';
    if (!data.source.empty()) out += "\nSource: " + detail::markdown_cell(data.source) + '\n';
  });
  return out;
}

/// An end of an interval: a number, "inf" when it is infinite, null when it is not known.
Json interval_end(double value) {
  return std::isinf(value) && value > 0.0 ? Json("inf") : detail::json_number(value);
}

Json fit_json(const ModelFit& fit) {
  return Json{{"model", fit.model},
              {"estimate", detail::json_number(fit.estimate)},
              {"se", detail::json_number(fit.se)},
              {"deviance", detail::json_number(fit.deviance)},
              {"df", fit.df < 0 ? Json(nullptr) : Json(fit.df)},
              {"aic", detail::json_number(fit.aic)},
              {"bic", detail::json_number(fit.bic)},
              {"problem", fit.problem.empty() ? Json(nullptr) : Json(fit.problem)}};
}

std::string write_json(std::span<const scenario::Scenario> scenarios,
                       const Provenance& provenance) {
  Json estimates = Json::object();
  for_each_data_set(scenarios, [&](const scenario::Scenario& scenario, const CaptureData& data) {
    const Estimate& estimate = data.estimate;
    Json alternatives = Json::array();
    for (const ModelFit& fit : estimate.alternatives)
      alternatives.push_back(fit_json(fit));
    Json entry{{"scenario", scenario.name},
               {"file", scenario.file},
               {"kind", data.lists ? "lists" : "register"},
               {"method", data.method},
               {"n_observed", estimate.n_observed},
               {"estimate", detail::json_number(estimate.fit.estimate)},
               {"se", detail::json_number(estimate.fit.se)},
               {"ci", Json::array({interval_end(estimate.lower), interval_end(estimate.upper)})},
               {"interval", estimators::interval_name(estimate.method)},
               {"level", estimate.level},
               {"model", estimate.fit.model},
               {"deviance", detail::json_number(estimate.fit.deviance)},
               {"df", estimate.fit.df < 0 ? Json(nullptr) : Json(estimate.fit.df)},
               {"aic", detail::json_number(estimate.fit.aic)},
               {"bic", detail::json_number(estimate.fit.bic)}};
    if (data.lists) {
      entry["lists"] = data.lists->lists;
      entry["criterion"] = data.list_settings.model
                               ? Json(nullptr)
                               : Json(estimators::criterion_name(data.list_settings.criterion));
    } else {
      entry["frequencies"] = data.frequencies;
    }
    entry["alternatives"] = std::move(alternatives);
    entry["resamples"] = estimate.resamples.size();
    entry["failed_resamples"] = estimate.failed_resamples;
    entry["warnings"] = estimate.warnings;
    entry["source"] = data.source;
    entry["note"] = data.note;
    estimates[data.name] = std::move(entry);
  });
  return detail::json_document("estimates", std::move(estimates), provenance);
}

}  // namespace

std::string render_estimates(Format format, std::span<const scenario::Scenario> scenarios,
                             const Provenance& provenance) {
  switch (format) {
    case Format::Table:
      return write_table(scenarios);
    case Format::Csv:
      return write_csv(scenarios);
    case Format::Markdown:
      return write_markdown(scenarios);
    case Format::Json:
      return write_json(scenarios, provenance);
    case Format::Latex:
      break;
  }
  DARKFIGURE_CHECK(format != Format::Latex);
  return {};
}

}  // namespace darkfigure::report
