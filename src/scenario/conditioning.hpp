#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include <toml++/toml.h>

#include "darkfigure/scenario/scenario.hpp"
#include "scenario/derived.hpp"
#include "scenario/reader.hpp"

namespace darkfigure::scenario::detail {

/// Reads the [[observe]] tables (`node` is the value of the key "observe"). `known` lists the
/// quantities a likelihood may use (inputs and [derived] entries). The parameter formulas are
/// appended to `parameters`; parameter k of the result gets slot first_slot + its index there.
/// Throws core::InputError at the offending key or value: a missing likelihood, an unknown
/// family (hint: the nearest), a wrong number of parameters, an unknown name, a value that the
/// family can never observe (a negative count, a share outside (0, 1)), a repeated name.
std::vector<Observation> read_observations(const Reader& reader, const toml::node& node,
                                           const std::vector<std::string>& known,
                                           std::size_t first_slot,
                                           std::vector<ParameterFormula>& parameters);

/// Reads the [[prior]] tables of a scenario whose inputs and derived quantities are resolved.
/// Throws core::InputError for an unknown or fixed quantity in `on`, a truth value, a quantity
/// given two priors, a `dist` that is not a continuous distribution, or a pooling outside [0, 1].
std::vector<Prior> read_priors(const Reader& reader, const toml::node& node,
                               const Scenario& scenario);

/// Reads the [inference] table.
InferenceSettings read_inference(const Reader& reader, const toml::table& table);

}  // namespace darkfigure::scenario::detail
