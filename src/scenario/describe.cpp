#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <variant>
#include <vector>

#include "darkfigure/core/text.hpp"
#include "darkfigure/expression/ast.hpp"
#include "darkfigure/scenario/scenario.hpp"

namespace darkfigure::scenario {
namespace {

/// A number for a reader: about four significant digits, in plain notation between 1e-4 and
/// 1e15 ("0.2", "1.025", "4700000"), in scientific notation beyond.
std::string readable(double value) {
  if (!std::isfinite(value)) return core::shortest_decimal(value);
  if (value == 0.0) return "0";
  const double magnitude = std::floor(std::log10(std::abs(value)));
  char buffer[64];
  if (magnitude < -4.0 || magnitude >= 15.0) {
    std::snprintf(buffer, sizeof buffer, "%.4g", value);
    return buffer;
  }
  const int decimals = std::max(0, 3 - static_cast<int>(magnitude));
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
  std::string text = buffer;
  if (text.find('.') != std::string::npos) {
    text.erase(text.find_last_not_of('0') + 1);
    if (text.back() == '.') text.pop_back();
  }
  return text;
}

std::string without_spaces(std::string text) {
  text.erase(std::remove(text.begin(), text.end(), ' '), text.end());
  return text;
}

/// True for a literal number, a negated one or a list of them: an argument the canonical call
/// would only spell differently ("1.0" as "1", "4.7e6" as "4700000").
bool is_literal(const expression::Node& node) {
  using expression::NodeKind;
  switch (node.kind) {
    case NodeKind::Number:
      return node.text != "pi" && node.text != "e";
    case NodeKind::Unary:
      return node.text == "-" && is_literal(node.children.front());
    case NodeKind::List:
      return std::all_of(node.children.begin(), node.children.end(), is_literal);
    default:
      return false;
  }
}

/// True when the call as written has an argument that is more than a number (pi, 2 * 60), so
/// that the canonical call with the resolved numbers tells the reader something.
bool has_computed_arguments(const std::string& call) {
  const expression::Node tree = expression::parse(call);
  return !std::all_of(tree.children.begin(), tree.children.end(), is_literal);
}

std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& name : names)
    out += (out.empty() ? "" : ", ") + name;
  return out;
}

constexpr std::string_view kDetail = "      ";

void describe_input(const Input& input, std::string& out) {
  if (const auto* fixed = std::get_if<double>(&input.value)) {
    out += "  " + input.name + " = " + readable(*fixed);
    if (without_spaces(input.text) != without_spaces(readable(*fixed))) {
      out += ", from " + input.text;
    }
    out += '\n';
  } else {
    const auto& distribution = std::get<distributions::Distribution>(input.value);
    out += "  " + input.name + " ~ " + input.text + '\n';
    if (!input.estimate.empty()) {
      out += std::string(kDetail) + "the total of " + input.estimate + ", drawn from " +
             (distribution.family() == "discrete"
                  ? std::string("its bootstrap totals, each equally likely")
                  : "the log-normal on its unseen count, " + distribution.describe()) +
             '\n';
    } else if (has_computed_arguments(input.text)) {
      out += std::string(kDetail) + "i.e. " + distribution.describe() + '\n';
    }
    out += std::string(kDetail) + "mean " + readable(distribution.mean()) + ", 95% in [" +
           readable(distribution.quantile(0.025)) + ", " + readable(distribution.quantile(0.975)) +
           "]\n";
  }
  if (!input.source.empty()) out += std::string(kDetail) + "source: " + input.source + '\n';
  if (!input.note.empty()) out += std::string(kDetail) + "note: " + input.note + '\n';
}

/// A count of people, to the person.
std::string people(double count) {
  return readable(std::round(count));
}

/// Each data set with its estimate, as `darkfigure estimate` computes it.
void describe_capture_recapture(const Scenario& scenario, std::string& out) {
  out += "\ncapture-recapture data sets:\n";
  for (const CaptureData& data : scenario.capture_recapture) {
    const estimators::Estimate& estimate = data.estimate;
    out += "  " + data.name + ": ";
    if (data.lists) {
      out += std::to_string(data.lists->lists.size()) + " lists (" + joined(data.lists->lists) +
             "), " + data.method;
    } else {
      out += std::to_string(data.frequencies.size()) + " frequencies, " + data.method;
    }
    out += ", " + people(estimate.n_observed) + " people seen\n";
    out += std::string(kDetail) + "model " + estimate.fit.model;
    if (data.lists && !data.list_settings.model && data.lists->lists.size() > 2) {
      out += ", chosen by " +
             std::string(estimators::criterion_name(data.list_settings.criterion)) + " among " +
             std::to_string(estimate.alternatives.size());
    }
    out += '\n';
    out += std::string(kDetail) + "estimate " + people(estimate.fit.estimate) + ", se " +
           readable(estimate.fit.se) + ", " + readable(100.0 * estimate.level) + "% " +
           std::string(estimators::interval_name(estimate.method)) + " interval [" +
           people(estimate.lower) + ", " + people(estimate.upper) + "]\n";
    if (!data.source.empty()) out += std::string(kDetail) + "source: " + data.source + '\n';
    if (!data.note.empty()) out += std::string(kDetail) + "note: " + data.note + '\n';
  }
}

/// The values in full (shortest decimal), since each is a point the analyst chose.
void describe_sweep(const Sweep& sweep, std::string& out) {
  std::size_t points = sweep.grid == SweepGrid::full ? 1 : 0;
  for (const SweptInput& input : sweep.inputs)
    points =
        sweep.grid == SweepGrid::full ? points * input.values.size() : points + input.values.size();
  out += std::string("\nsweep, ") +
         (sweep.grid == SweepGrid::full ? "full grid" : "one input at a time") + ", " +
         std::to_string(points) + (points == 1 ? " point:\n" : " points:\n");
  for (const SweptInput& input : sweep.inputs) {
    std::vector<std::string> values;
    for (const double value : input.values)
      values.push_back(core::shortest_decimal(value));
    out += "  " + input.name + " = " + joined(values) + '\n';
  }
}

/// The study as `darkfigure report` will run it; a default is spelled out with what it selects.
void describe_sensitivity(const Scenario& scenario, std::string& out) {
  const SensitivityStudy& study = *scenario.sensitivity;
  std::vector<std::string> methods;
  for (const SensitivityMethod method : study.methods)
    methods.emplace_back(method_name(method));
  out += "\nsensitivity, for darkfigure report: " + joined(methods) + '\n';
  if (study.outputs.empty()) {
    std::vector<std::string> numeric;
    for (const std::string& name : scenario.outputs) {
      const auto derived =
          std::find_if(scenario.derived.begin(), scenario.derived.end(),
                       [&](const Derived& candidate) { return candidate.name == name; });
      if (derived != scenario.derived.end() && !expression::is_truth_valued(derived->tree))
        numeric.push_back(name);
    }
    out += "  outputs: every numeric output (" + joined(numeric) + ")\n";
  } else {
    out += "  outputs: " + joined(study.outputs) + '\n';
  }
  if (study.inputs.empty()) {
    std::vector<std::string> random;
    for (const Input& input : scenario.inputs) {
      const bool swept =
          scenario.sweep &&
          std::any_of(scenario.sweep->inputs.begin(), scenario.sweep->inputs.end(),
                      [&](const SweptInput& fixed) { return fixed.name == input.name; });
      if (std::holds_alternative<distributions::Distribution>(input.value) && !swept)
        random.push_back(input.name);
    }
    out += "  inputs: every random input (" + joined(random) + ")\n";
  } else {
    out += "  inputs: " + joined(study.inputs) + '\n';
  }
  out += "  draws: " +
         (study.draws ? std::to_string(*study.draws)
                      : std::to_string(scenario.draws) + ", the scenario's") +
         '\n';
  if (study.bootstrap) out += "  bootstrap: " + std::to_string(*study.bootstrap) + " resamples\n";
  if (study.quantile) out += "  quantile: " + core::shortest_decimal(*study.quantile) + '\n';
}

}  // namespace

std::string describe(const Scenario& scenario) {
  std::string out = "scenario " + scenario.name + " (" + scenario.file + ")\n";
  if (!scenario.title.empty()) out += "  title: " + scenario.title + '\n';
  if (!scenario.source.empty()) out += "  source: " + scenario.source + '\n';
  out += "  draws: " + std::to_string(scenario.draws) + ", seed: " + std::to_string(scenario.seed) +
         '\n';
  if (scenario.sampling.design != sampling::Design::mc) {
    out += "  design: " + std::string(sampling::design_name(scenario.sampling.design)) + ", " +
           std::to_string(scenario.sampling.replicates) + " replicates\n";
  }

  if (!scenario.capture_recapture.empty()) describe_capture_recapture(scenario, out);
  if (!scenario.inputs.empty()) out += "\ninputs, in file order:\n";
  for (const Input& input : scenario.inputs)
    describe_input(input, out);
  for (const Correlation& correlation : scenario.correlations) {
    out += "\nrank correlations (Spearman) of " + joined(correlation.inputs) + ":\n";
    const std::size_t k = correlation.inputs.size();
    for (std::size_t row = 0; row < k; ++row) {
      std::vector<std::string> entries;
      for (std::size_t column = 0; column < k; ++column)
        entries.push_back(core::shortest_decimal(correlation.induced.spearman()[row * k + column]));
      out += "  " + correlation.inputs[row] + ": " + joined(entries) + '\n';
    }
    if (!correlation.source.empty()) {
      out += std::string(kDetail) + "source: " + correlation.source + '\n';
    }
    if (!correlation.note.empty()) out += std::string(kDetail) + "note: " + correlation.note + '\n';
  }
  if (scenario.sweep) describe_sweep(*scenario.sweep, out);

  if (!scenario.derived.empty()) {
    out += "\nderived, in the order they are computed:\n";
    for (const Derived& derived : scenario.derived) {
      out += "  " + derived.name + " = " + derived.formula + '\n';
      out += std::string(kDetail) + "uses " +
             (derived.depends_on.empty() ? std::string("no other quantity")
                                         : joined(derived.depends_on)) +
             '\n';
    }
  }

  if (!scenario.observations.empty()) {
    out += "\nobserved, each draw weighted by the likelihood:\n";
    for (const Observation& observation : scenario.observations) {
      std::vector<std::string> values;
      for (const double value : observation.values)
        values.push_back(core::shortest_decimal(value));
      out +=
          "  " + observation.name + ": " + joined(values) + " ~ " + observation.likelihood + '\n';
      if (!observation.source.empty()) {
        out += std::string(kDetail) + "source: " + observation.source + '\n';
      }
      if (!observation.note.empty())
        out += std::string(kDetail) + "note: " + observation.note + '\n';
    }
  }
  if (!scenario.priors.empty()) {
    out += "\npriors pooled by Bayesian melding:\n";
    for (const Prior& prior : scenario.priors) {
      out += "  " + prior.on + " ~ " + prior.text + ", pooling " +
             core::shortest_decimal(prior.pooling) + " with the model's induced prior\n";
      if (!prior.source.empty()) out += std::string(kDetail) + "source: " + prior.source + '\n';
      if (!prior.note.empty()) out += std::string(kDetail) + "note: " + prior.note + '\n';
    }
  }
  const InferenceSettings& inference = scenario.inference;
  if (inference.min_ess) {
    out += "\nmin_ess: " + core::shortest_decimal(*inference.min_ess) + ", max_draws: " +
           (inference.max_draws ? std::to_string(*inference.max_draws)
                                : std::string("100 times the draws")) +
           '\n';
  }
  if (inference.resample) {
    out += "resample: " + std::to_string(*inference.resample) + " draws, " +
           std::string(inference::resample_method_name(inference.resample_method)) + '\n';
  }

  if (scenario.outputs.empty()) return out;
  out += "\noutputs: " + joined(scenario.outputs) + '\n';
  std::vector<std::string> levels;
  for (const double level : scenario.quantiles)
    levels.push_back(core::shortest_decimal(level));
  out += "quantiles: " + joined(levels) + '\n';
  if (scenario.sensitivity) describe_sensitivity(scenario, out);
  return out;
}

}  // namespace darkfigure::scenario
