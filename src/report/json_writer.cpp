#include <cmath>
#include <nlohmann/json.hpp>

#include "darkfigure/core/text.hpp"
#include "writers.hpp"

namespace darkfigure::report::detail {
namespace {

using Json = nlohmann::ordered_json;

/// JSON has no NaN or infinity: a statistic that is not a number is null.
Json number(double value) {
  return std::isfinite(value) ? Json(value) : Json(nullptr);
}

Json output_json(const OutputResult& output) {
  const auto& s = output.summary;
  Json quantiles = Json::object();
  Json errors = Json::object();
  for (std::size_t i = 0; i < s.levels.size(); ++i) {
    quantiles[core::shortest_decimal(s.levels[i])] = number(s.quantiles[i]);
    errors[core::shortest_decimal(s.levels[i])] = number(s.quantile_error[i]);
  }
  return Json{{"mean", number(s.mean)},
              {"sd", number(s.sd)},
              {"mcse_mean", number(s.mcse_mean)},
              {"quantiles", std::move(quantiles)},
              {"quantile_error", std::move(errors)},
              {"min", number(s.min)},
              {"max", number(s.max)},
              {"count", s.count},
              {"non_finite", s.non_finite},
              {"indicator", output.indicator}};
}

Json non_finite_json(const OutputResult& output) {
  Json entry{{"count", output.summary.non_finite}};
  if (const auto& first = output.first_non_finite) {
    Json inputs = Json::object();
    for (const auto& [name, value] : first->inputs)
      inputs[name] = number(value);
    entry["first_draw"] = first->draw;
    entry["first_value"] = core::shortest_decimal(first->value);
    entry["first_inputs"] = std::move(inputs);
  }
  return entry;
}

Json scenario_json(const ScenarioResult& result) {
  Json inputs = Json::array();
  for (const auto& input : result.inputs) {
    inputs.push_back(Json{{"name", input.name},
                          {"value", input.text},
                          {"source", input.source},
                          {"note", input.note}});
  }
  Json outputs = Json::object();
  Json non_finite = Json::object();
  for (const auto& output : result.outputs) {
    outputs[output.name] = output_json(output);
    if (output.summary.non_finite > 0) non_finite[output.name] = non_finite_json(output);
  }
  return Json{
      {"name", result.name},
      {"title", result.title},
      {"file", result.file},
      {"source", result.source},
      {"settings",
       {{"draws", result.settings.draws},
        {"seed", result.settings.seed},
        {"threads", result.settings.threads},
        {"block_size", result.settings.block_size},
        {"memory_budget", result.settings.memory_budget},
        {"quantile_method", result.settings.binned ? "histogram" : "exact"}}},
      {"inputs", std::move(inputs)},
      {"outputs", std::move(outputs)},
      {"diagnostics", {{"seconds", result.seconds}, {"non_finite", std::move(non_finite)}}}};
}

}  // namespace

std::string write_json(std::span<const ScenarioResult> results, const Provenance& provenance) {
  Json scenarios = Json::array();
  for (const auto& result : results)
    scenarios.push_back(scenario_json(result));
  const Json document{{"darkfigure", provenance.version},
                      {"scenarios", std::move(scenarios)},
                      {"provenance",
                       {{"version", provenance.version},
                        {"git_commit", provenance.git_commit},
                        {"rng", provenance.rng},
                        {"created", provenance.created}}}};
  return document.dump(2) + '\n';
}

}  // namespace darkfigure::report::detail
