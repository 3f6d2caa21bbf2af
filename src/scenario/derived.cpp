#include "scenario/derived.hpp"

#include <algorithm>
#include <functional>
#include <iterator>
#include <map>
#include <optional>
#include <set>
#include <string_view>

#include "darkfigure/expression/builtins.hpp"
#include "darkfigure/expression/program.hpp"
#include "scenario/capture_recapture.hpp"
#include "scenario/names.hpp"

namespace darkfigure::scenario::detail {
namespace {

using expression::FormulaError;
using expression::Node;
using expression::NodeKind;

/// A parsed entry with its dependencies on other entries (indices, in order of first use).
struct Parsed {
  Node tree;
  std::vector<std::string> depends_on;
  std::vector<std::size_t> derived_dependencies;
};

Parsed parse_entry(const DerivedEntry& entry, const std::vector<std::string>& all_names,
                   const std::map<std::string, std::size_t, std::less<>>& entry_index,
                   std::size_t input_count) {
  const LocatedString& formula = entry.formula;
  Parsed parsed;
  try {
    parsed.tree = expression::parse(formula.value());
  } catch (const FormulaError& error) {
    formula.fail(error.offset(), entry.name + ": " + error.what(), error.hint());
  }
  if (const Node* bad = first_misplaced(parsed.tree)) {
    if (bad->kind == NodeKind::List) {
      formula.fail(
          bad->offset,
          entry.name + ": a list is only allowed as an argument of a distribution call",
          "lists belong in [inputs], e.g. size = \"discrete([1, 2, 3], [0.2, 0.3, 0.5])\"");
    }
    if (bad->text == kEstimateCall) {
      formula.fail(bad->offset,
                   entry.name +
                       ": estimate(...) draws a data set's total and cannot appear in "
                       "a formula",
                   "make it an input, e.g. " + entry.name + "_total = \"" +
                       formula.value().substr(bad->offset, bad->length) +
                       "\" in [inputs], and use that name here");
    }
    formula.fail(bad->offset, entry.name + ": a distribution cannot appear in a formula",
                 "make it an input, e.g. " + bad->text + "_draw = \"" +
                     formula.value().substr(bad->offset, bad->length) +
                     "\" in [inputs], and use that name here");
  }
  for (const Node* name : expression::names_in(parsed.tree)) {
    const auto known = std::find(all_names.begin(), all_names.end(), name->text);
    if (known == all_names.end()) {
      // A formula's own name is no useful suggestion: using it would be a cycle.
      std::vector<std::string> others;
      std::copy_if(all_names.begin(), all_names.end(), std::back_inserter(others),
                   [&](const std::string& other) { return other != entry.name; });
      formula.fail(
          name->offset, entry.name + ": unknown name \"" + name->text + "\"",
          did_you_mean(name->text, others, "every name must be defined in [inputs] or [derived]"));
    }
    if (std::find(parsed.depends_on.begin(), parsed.depends_on.end(), name->text) !=
        parsed.depends_on.end()) {
      continue;
    }
    parsed.depends_on.push_back(name->text);
    if (static_cast<std::size_t>(known - all_names.begin()) >= input_count) {
      parsed.derived_dependencies.push_back(entry_index.find(name->text)->second);
    }
  }
  return parsed;
}

/// Kahn's algorithm, always taking the ready entry that comes first in the file, so the order is
/// the file's order wherever the dependencies allow. Entries on or behind a cycle are left out.
std::vector<std::size_t> dependency_order(const std::vector<Parsed>& parsed) {
  const std::size_t count = parsed.size();
  std::vector<std::size_t> waiting(count);
  std::vector<std::vector<std::size_t>> users(count);
  std::set<std::size_t> ready;
  for (std::size_t i = 0; i < count; ++i) {
    waiting[i] = parsed[i].derived_dependencies.size();
    for (const std::size_t dependency : parsed[i].derived_dependencies) {
      users[dependency].push_back(i);
    }
    if (waiting[i] == 0) ready.insert(i);
  }
  std::vector<std::size_t> order;
  order.reserve(count);
  while (!ready.empty()) {
    const std::size_t next = *ready.begin();
    ready.erase(ready.begin());
    order.push_back(next);
    for (const std::size_t user : users[next]) {
      if (--waiting[user] == 0) ready.insert(user);
    }
  }
  return order;
}

/// Reports a cycle among the entries that dependency_order() could not place. Each of them still
/// waits for another one, so following the first unplaced dependency must come back to an entry
/// already seen; the loop from there is a cycle, reported from its member first in the file.
[[noreturn]] void fail_cycle(const std::vector<DerivedEntry>& entries,
                             const std::vector<Parsed>& parsed,
                             const std::vector<std::size_t>& order) {
  std::vector<bool> placed(entries.size(), false);
  for (const std::size_t i : order)
    placed[i] = true;
  std::size_t current =
      static_cast<std::size_t>(std::find(placed.begin(), placed.end(), false) - placed.begin());
  std::vector<std::size_t> path;
  while (std::find(path.begin(), path.end(), current) == path.end()) {
    path.push_back(current);
    const auto& dependencies = parsed[current].derived_dependencies;
    current = *std::find_if(dependencies.begin(), dependencies.end(),
                            [&](std::size_t dependency) { return !placed[dependency]; });
  }
  std::vector<std::size_t> cycle(std::find(path.begin(), path.end(), current), path.end());
  std::rotate(cycle.begin(), std::min_element(cycle.begin(), cycle.end()), cycle.end());

  std::string text;
  for (const std::size_t member : cycle)
    text += entries[member].name + " -> ";
  text += entries[cycle.front()].name;
  const std::string& next_name = entries[cycle.size() > 1 ? cycle[1] : cycle[0]].name;
  const auto names = expression::names_in(parsed[cycle.front()].tree);
  const auto use = std::find_if(names.begin(), names.end(),
                                [&](const Node* name) { return name->text == next_name; });
  entries[cycle.front()].formula.fail(
      (*use)->offset, "cycle in [derived]: " + text,
      cycle.size() == 1 ? "a quantity cannot be computed from itself"
                        : "each of these is computed from the next; one of them must be an input");
}

}  // namespace

/// The first list or distribution call in `node`, in source order: neither has a meaning in a
/// formula that is evaluated draw by draw.
const Node* first_misplaced(const Node& node) {
  if (node.kind == NodeKind::List) return &node;
  if (node.kind == NodeKind::Call && !expression::is_reserved(node.text) &&
      (distributions::find_family(node.text) != nullptr || node.text == kEstimateCall)) {
    return &node;
  }
  for (const Node& child : node.children) {
    if (const Node* found = first_misplaced(child)) return found;
  }
  return nullptr;
}

void resolve_derived(Scenario& scenario, const std::vector<DerivedEntry>& entries,
                     const std::vector<ParameterFormula>& parameters) {
  std::vector<std::string> all_names;
  all_names.reserve(scenario.inputs.size() + entries.size());
  for (const Input& input : scenario.inputs)
    all_names.push_back(input.name);
  std::map<std::string, std::size_t, std::less<>> entry_index;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    all_names.push_back(entries[i].name);
    entry_index.emplace(entries[i].name, i);
  }

  std::vector<Parsed> parsed;
  parsed.reserve(entries.size());
  for (const DerivedEntry& entry : entries) {
    parsed.push_back(parse_entry(entry, all_names, entry_index, scenario.inputs.size()));
  }
  const std::vector<std::size_t> order = dependency_order(parsed);
  if (order.size() < entries.size()) fail_cycle(entries, parsed, order);

  std::map<std::string, std::size_t, std::less<>> slots;
  for (std::size_t i = 0; i < scenario.inputs.size(); ++i)
    slots.emplace(scenario.inputs[i].name, i);
  for (std::size_t j = 0; j < order.size(); ++j) {
    slots.emplace(entries[order[j]].name, scenario.inputs.size() + j);
  }
  expression::ProgramBuilder builder(
      [&slots](std::string_view name) -> std::optional<std::size_t> {
        const auto found = slots.find(name);
        if (found == slots.end()) return std::nullopt;
        return found->second;
      },
      slots.size() + parameters.size());
  scenario.derived.clear();
  scenario.derived.reserve(order.size());
  for (std::size_t j = 0; j < order.size(); ++j) {
    const DerivedEntry& entry = entries[order[j]];
    Parsed& entry_parsed = parsed[order[j]];
    try {
      builder.add(entry_parsed.tree, scenario.inputs.size() + j);
    } catch (const FormulaError& error) {
      entry.formula.fail(error.offset(), entry.name + ": " + error.what(), error.hint());
    }
    scenario.derived.push_back(Derived{entry.name, entry.formula.value(),
                                       std::move(entry_parsed.tree),
                                       std::move(entry_parsed.depends_on), entry.where});
  }
  for (std::size_t k = 0; k < parameters.size(); ++k) {
    const ParameterFormula& parameter = parameters[k];
    try {
      builder.add(parameter.tree, slots.size() + k);
    } catch (const FormulaError& error) {
      parameter.text.fail(error.offset(), parameter.label + ": " + error.what(), error.hint());
    }
  }
  scenario.program = std::move(builder).finish();
}

}  // namespace darkfigure::scenario::detail
