#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "darkfigure/report/result.hpp"
#include "darkfigure/report/sensitivity_result.hpp"

namespace darkfigure::report::detail {

/// {"darkfigure": VERSION, key: entries, "provenance": provenance_json(provenance)}, indented by
/// two spaces, with a final newline: the frame of every JSON document.
std::string json_document(const char* key, nlohmann::ordered_json entries,
                          const Provenance& provenance);

/// {"version", "git_commit", "rng", "samplers", "created"}.
nlohmann::ordered_json provenance_json(const Provenance& provenance);

/// JSON has no NaN or infinity: a statistic that is not a number is null.
nlohmann::ordered_json json_number(double value);

/// One entry of the "scenarios" of `run --format json`.
nlohmann::ordered_json scenario_json(const ScenarioResult& result);

/// One entry of the "sensitivity" of `sensitivity --format json`.
nlohmann::ordered_json study_json(const SensitivityResult& result);

}  // namespace darkfigure::report::detail
