#include <cmath>
#include <nlohmann/json.hpp>

#include "darkfigure/core/text.hpp"
#include "json_document.hpp"
#include "writers.hpp"

namespace darkfigure::report::detail {
namespace {

using Json = nlohmann::ordered_json;

Json output_json(const OutputResult& output) {
  const auto& s = output.summary;
  Json quantiles = Json::object();
  Json errors = Json::object();
  for (std::size_t i = 0; i < s.levels.size(); ++i) {
    quantiles[core::shortest_decimal(s.levels[i])] = json_number(s.quantiles[i]);
    errors[core::shortest_decimal(s.levels[i])] = json_number(s.quantile_error[i]);
  }
  Json json{{"mean", json_number(s.mean)},
            {"sd", json_number(s.sd)},
            {"mcse_mean", json_number(s.mcse_mean)},
            {"quantiles", std::move(quantiles)},
            {"quantile_error", std::move(errors)}};
  if (!s.quantile_mcse.empty()) {
    Json mcse = Json::object();
    for (std::size_t i = 0; i < s.levels.size() && i < s.quantile_mcse.size(); ++i)
      mcse[core::shortest_decimal(s.levels[i])] = json_number(s.quantile_mcse[i]);
    json["quantile_mcse"] = std::move(mcse);
  }
  json.update(Json{{"min", json_number(s.min)},
                   {"max", json_number(s.max)},
                   {"count", s.count},
                   {"non_finite", s.non_finite},
                   {"indicator", output.indicator},
                   {"share", output.share}});
  return json;
}

Json non_finite_json(const OutputResult& output) {
  Json entry{{"count", output.summary.non_finite}};
  if (const auto& first = output.first_non_finite) {
    Json inputs = Json::object();
    for (const auto& [name, value] : first->inputs)
      inputs[name] = json_number(value);
    entry["first_draw"] = first->draw;
    entry["first_value"] = core::shortest_decimal(first->value);
    entry["first_inputs"] = std::move(inputs);
  }
  return entry;
}

Json numbers(const std::vector<double>& values) {
  Json array = Json::array();
  for (const double value : values)
    array.push_back(json_number(value));
  return array;
}

Json conditioning_json(const Conditioning& c) {
  Json observations = Json::array();
  for (const auto& o : c.observations) {
    observations.push_back(Json{{"name", o.name},
                                {"likelihood", o.likelihood},
                                {"values", numbers(o.values)},
                                {"source", o.source},
                                {"note", o.note},
                                {"prior_predictive_cdf", numbers(o.predictive_cdf)},
                                {"tail_probability", json_number(o.tail_probability)},
                                {"ess", json_number(o.ess)},
                                {"invalid_draws", o.invalid_draws},
                                {"impossible_draws", o.impossible_draws}});
  }
  Json priors = Json::array();
  for (const auto& p : c.priors) {
    priors.push_back(Json{{"on", p.on},
                          {"dist", p.dist},
                          {"pooling", p.pooling},
                          {"source", p.source},
                          {"note", p.note},
                          {"induced_density", p.density},
                          {"bandwidth", p.density == "kernel" ? json_number(p.bandwidth) : Json()},
                          {"ess", json_number(p.ess)},
                          {"outside_support", p.outside_support},
                          {"non_finite", p.non_finite}});
  }
  Json json{{"ess", json_number(c.ess)},
            {"max_weight_share", json_number(c.max_weight_share)},
            {"positive_draws", c.positive_draws},
            {"min_ess", c.min_ess ? json_number(*c.min_ess) : Json()},
            {"max_draws", c.max_draws},
            {"rounds", c.rounds},
            {"observations", std::move(observations)},
            {"priors", std::move(priors)}};
  if (const auto& r = c.resampling) {
    json["resample"] = Json{{"method", r->method}, {"draws", r->draws}, {"unique", r->unique}};
  }
  return json;
}

}  // namespace

Json json_number(double value) {
  return std::isfinite(value) ? Json(value) : Json(nullptr);
}

Json scenario_json(const ScenarioResult& result) {
  Json inputs = Json::array();
  for (const auto& input : result.inputs) {
    inputs.push_back(Json{{"name", input.name},
                          {"value", input.text},
                          {"source", input.source},
                          {"note", input.note}});
  }
  Json correlations = Json::array();
  for (const auto& correlation : result.correlations) {
    const std::size_t k = correlation.inputs.size();
    Json matrix = Json::array();
    for (std::size_t row = 0; row < k; ++row) {
      matrix.push_back(std::vector<double>(
          correlation.spearman.begin() + static_cast<std::ptrdiff_t>(row * k),
          correlation.spearman.begin() + static_cast<std::ptrdiff_t>((row + 1) * k)));
    }
    correlations.push_back(Json{{"inputs", correlation.inputs},
                                {"matrix", std::move(matrix)},
                                {"source", correlation.source},
                                {"note", correlation.note}});
  }
  Json outputs = Json::object();
  Json non_finite = Json::object();
  for (const auto& output : result.outputs) {
    outputs[output.name] = output_json(output);
    if (result.conditioning) outputs[output.name]["ess"] = json_number(output.summary.ess);
    if (output.summary.non_finite > 0) non_finite[output.name] = non_finite_json(output);
  }
  Json diagnostics{{"seconds", result.seconds}, {"non_finite", std::move(non_finite)}};
  if (result.conditioning) diagnostics.update(conditioning_json(*result.conditioning));
  diagnostics["warnings"] = result.warnings;
  std::string quantile_method = result.settings.binned ? "histogram" : "exact";
  if (result.conditioning && !result.conditioning->resampling) quantile_method = "weighted";
  Json entry{{"name", result.name}};
  if (!result.sweep.empty()) {
    Json point = Json::object();
    for (const auto& [name, value] : result.sweep)
      point[name] = json_number(value);
    entry["sweep"] = std::move(point);
  }
  entry.update(
      Json{{"title", result.title},
           {"file", result.file},
           {"sha256", result.sha256},
           {"source", result.source},
           {"settings",
            {{"draws", result.settings.draws},
             {"seed", result.settings.seed},
             {"threads", result.settings.threads},
             {"block_size", result.settings.block_size},
             {"memory_budget", result.settings.memory_budget},
             {"quantile_method", quantile_method},
             {"design", result.settings.design},
             {"replicates",
              result.settings.replicates == 0 ? Json(nullptr) : Json(result.settings.replicates)},
             {"mcse_method", result.settings.replicates == 0 ? "iid" : "replicates"},
             {"conditioned", result.conditioning.has_value()}}},
           {"inputs", std::move(inputs)},
           {"correlations", std::move(correlations)},
           {"outputs", std::move(outputs)},
           {"diagnostics", std::move(diagnostics)}});
  return entry;
}

std::string write_json(std::span<const ScenarioResult> results, const Provenance& provenance) {
  Json scenarios = Json::array();
  for (const auto& result : results)
    scenarios.push_back(scenario_json(result));
  return json_document("scenarios", std::move(scenarios), provenance);
}

std::string json_document(const char* key, nlohmann::ordered_json entries,
                          const Provenance& provenance) {
  const Json document{{"darkfigure", provenance.version},
                      {key, std::move(entries)},
                      {"provenance", provenance_json(provenance)}};
  return document.dump(2) + '\n';
}

Json provenance_json(const Provenance& provenance) {
  return Json{{"version", provenance.version},
              {"git_commit", provenance.git_commit},
              {"rng", provenance.rng},
              {"samplers", provenance.samplers},
              {"created", provenance.created}};
}

}  // namespace darkfigure::report::detail
