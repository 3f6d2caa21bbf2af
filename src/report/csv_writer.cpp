#include <algorithm>
#include <vector>

#include "darkfigure/core/text.hpp"
#include "writers.hpp"

namespace darkfigure::report::detail {

std::string csv_field(std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(text);
  std::string quoted = "\"";
  for (const char c : text)
    quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + '"';
}

namespace {

std::string number(double value) {
  return core::shortest_decimal(value);
}

}  // namespace

std::string sweep_field(const std::vector<std::pair<std::string, double>>& point) {
  std::string field;
  for (const auto& [name, value] : point)
    field += (field.empty() ? "" : ";") + name + "=" + core::shortest_decimal(value);
  return field;
}

std::string write_csv(std::span<const ScenarioResult> results) {
  std::vector<double> levels;
  for (const auto& result : results) {
    for (const auto& output : result.outputs) {
      levels.insert(levels.end(), output.summary.levels.begin(), output.summary.levels.end());
    }
  }
  std::sort(levels.begin(), levels.end());
  levels.erase(std::unique(levels.begin(), levels.end()), levels.end());

  // The sweep column appears only when some result is a sweep point, so plain runs keep their
  // columns.
  const bool swept = std::any_of(results.begin(), results.end(), [](const ScenarioResult& result) {
    return !result.sweep.empty();
  });
  std::string out = swept ? "scenario,sweep," : "scenario,";
  out += "output,draws,seed,count,non_finite,mean,sd,mcse_mean,min,max,ess";
  for (const double level : levels)
    out += ",q" + core::shortest_decimal(level);
  out += '\n';
  for (const auto& result : results) {
    for (const auto& output : result.outputs) {
      const auto& s = output.summary;
      out += csv_field(result.name) + ',';
      if (swept) out += csv_field(sweep_field(result.sweep)) + ',';
      out += csv_field(output.name) + ',' + std::to_string(result.settings.draws) + ',' +
             std::to_string(result.settings.seed) + ',' + std::to_string(s.count) + ',' +
             std::to_string(s.non_finite) + ',' + number(s.mean) + ',' + number(s.sd) + ',' +
             number(s.mcse_mean) + ',' + number(s.min) + ',' + number(s.max) + ',' + number(s.ess);
      for (const double level : levels) {
        out += ',';
        const auto at = std::find(s.levels.begin(), s.levels.end(), level);
        if (at != s.levels.end()) out += number(s.quantiles[std::size_t(at - s.levels.begin())]);
      }
      out += '\n';
    }
  }
  return out;
}

}  // namespace darkfigure::report::detail
