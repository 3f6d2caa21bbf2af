#include "scenario/input.hpp"

#include <cmath>
#include <vector>

#include "darkfigure/core/text.hpp"
#include "darkfigure/expression/ast.hpp"
#include "darkfigure/expression/builtins.hpp"
#include "scenario/capture_recapture.hpp"
#include "scenario/names.hpp"

namespace darkfigure::scenario::detail {
namespace {

using distributions::Argument;
using distributions::Distribution;
using expression::FormulaError;
using expression::Node;
using expression::NodeKind;

bool is_distribution_call(const Node& node) {
  return node.kind == NodeKind::Call && !expression::is_reserved(node.text) &&
         distributions::find_family(node.text) != nullptr;
}

/// The first node, in source order, that keeps `node` from being a constant: a name or a
/// distribution call.
const Node* first_non_constant(const Node& node) {
  if (node.kind == NodeKind::Name || is_distribution_call(node)) return &node;
  for (const Node& child : node.children) {
    if (const Node* found = first_non_constant(child)) return found;
  }
  return nullptr;
}

/// Evaluates `node`, an argument of a distribution call or a whole constant input.
double constant(const std::string& name, const LocatedString& text, const Node& node,
                bool in_call) {
  if (const Node* bad = first_non_constant(node)) {
    if (bad->kind == NodeKind::Name && in_call) {
      text.fail(bad->offset,
                name +
                    ": distribution arguments must be constants; inputs cannot depend on "
                    "other quantities",
                "\"" + bad->text +
                    "\" is a name, not a constant; a quantity computed from others belongs in "
                    "[derived]");
    }
    if (bad->kind == NodeKind::Name) {
      text.fail(bad->offset,
                name + ": inputs cannot depend on other quantities (\"" + bad->text +
                    "\" is not a constant)",
                "move it to [derived]: " + name + " = \"" + text.value() + "\"");
    }
    text.fail(bad->offset,
              name + (in_call ? ": a distribution argument cannot be another distribution"
                              : ": a distribution call must be the whole value of an input"),
              "make " + bad->text + "(...) an input of its own and combine the two in [derived]");
  }
  double value = 0.0;
  try {
    value = expression::evaluate_constant(node);
  } catch (const FormulaError& error) {
    text.fail(error.offset(), name + ": " + error.what(), error.hint());
  }
  if (!in_call && !std::isfinite(value)) {
    text.fail(node.offset,
              name + ": the value is " + core::shortest_decimal(value) + ", but must be finite");
  }
  return value;
}

Distribution distribution(const std::string& name, const LocatedString& text, const Node& call,
                          const distributions::Family& family) {
  const std::size_t given = call.children.size();
  if (given < family.min_arity || given > family.max_arity) {
    const std::size_t offset =
        given > family.max_arity ? call.children[family.max_arity].offset : call.offset;
    text.fail(offset,
              name + ": " + std::string(family.name) + " takes " +
                  distributions::arity_text(family) + ", but " + std::to_string(given) +
                  (given == 1 ? " is" : " are") + " given",
              "write " + std::string(family.signature));
  }
  std::vector<Argument> arguments;
  arguments.reserve(given);
  for (const Node& argument : call.children) {
    if (argument.kind != NodeKind::List) {
      arguments.emplace_back(constant(name, text, argument, true));
      continue;
    }
    std::vector<double> values;
    values.reserve(argument.children.size());
    for (const Node& element : argument.children) {
      if (element.kind == NodeKind::List) {
        text.fail(element.offset, name + ": lists cannot be nested",
                  "write " + std::string(family.signature));
      }
      values.push_back(constant(name, text, element, true));
    }
    arguments.emplace_back(std::move(values));
  }
  try {
    return Distribution::make(family.name, arguments);
  } catch (const distributions::ParameterError& error) {
    const std::size_t index = error.argument();
    const std::size_t offset = index < given ? call.children[index].offset : call.offset;
    text.fail(offset, name + ": " + error.what(), error.hint());
  }
}

/// The data set that estimate(...) names, checked.
const CaptureData& estimated_data(const std::string& name, const LocatedString& text,
                                  const Node& call, std::span<const CaptureData> data) {
  if (call.children.size() != 1 || call.children[0].kind != NodeKind::Name) {
    const std::size_t offset = call.children.empty() ? call.offset : call.children[0].offset;
    text.fail(offset, name + ": estimate takes the name of one [capture_recapture] data set",
              "e.g. " + name + " = \"estimate(registers)\"");
  }
  const Node& argument = call.children[0];
  if (const CaptureData* found = find_data(data, argument.text)) return *found;
  std::vector<std::string> names;
  for (const CaptureData& known : data)
    names.push_back(known.name);
  text.fail(argument.offset, name + ": unknown data set \"" + argument.text + "\"",
            did_you_mean(argument.text, names,
                         "a data set is a table [capture_recapture." + argument.text +
                             "] with lists and histories, or frequencies"));
}

}  // namespace

std::variant<double, Distribution> resolve_input(const std::string& name, const LocatedString& text,
                                                 std::span<const CaptureData> data,
                                                 std::string& estimate) {
  Node tree;
  try {
    tree = expression::parse(text.value());
  } catch (const FormulaError& error) {
    text.fail(error.offset(), name + ": " + error.what(), error.hint());
  }
  if (tree.kind == NodeKind::Call && tree.text == kEstimateCall) {
    const CaptureData& estimated = estimated_data(name, text, tree, data);
    estimate = estimated.name;
    try {
      return sampling_distribution(estimated);
    } catch (const estimators::EstimationError& error) {
      text.fail(tree.offset, name + ": " + error.what(), error.hint());
    }
  }
  if (tree.kind == NodeKind::Call && !expression::is_reserved(tree.text)) {
    const distributions::Family* family = distributions::find_family(tree.text);
    if (family == nullptr) {
      std::vector<std::string> names;
      for (const auto& known : distributions::families())
        names.emplace_back(known.name);
      text.fail(
          tree.offset, name + ": unknown distribution \"" + tree.text + "\"",
          did_you_mean(tree.text, names, "`darkfigure list distributions` shows every family"));
    }
    return distribution(name, text, tree, *family);
  }
  return constant(name, text, tree, false);
}

}  // namespace darkfigure::scenario::detail
