#pragma once

#include <toml++/toml.h>

#include <vector>

#include "darkfigure/scenario/scenario.hpp"
#include "scenario/reader.hpp"

namespace darkfigure::scenario::detail {

/// Reads [correlation] (`node` a table) or [[correlation]] (an array of tables), each with
/// `inputs` (names of random inputs) and `matrix` (their Spearman rank correlations, row by row).
/// Throws core::InputError at the offending key, name, row or entry: an unknown or fixed input,
/// an input listed twice or in two blocks, a matrix of the wrong shape, an entry outside [-1, 1],
/// a diagonal other than 1, an asymmetric or not positive definite matrix. A nearly singular
/// matrix is accepted with a warning appended to scenario.warnings.
std::vector<Correlation> read_correlations(const Reader& reader, const toml::node& node,
                                           Scenario& scenario);

}  // namespace darkfigure::scenario::detail
