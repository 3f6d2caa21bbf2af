#pragma once

#include <string_view>

#include "darkfigure/distributions/distribution.hpp"
#include "distributions/arguments.hpp"

namespace darkfigure::distributions::detail {

/// A family with the function that checks its arguments and builds its parameters.
struct CatalogueEntry {
  Family family;
  Parameters (*make)(const Arguments& arguments);
};

/// The entry of the family called `name`, or nullptr.
const CatalogueEntry* find_entry(std::string_view name) noexcept;

// Each family's builder, in src/distributions/<family>.cpp. They throw ParameterError.
Parameters make_uniform(const Arguments& arguments);
Parameters make_normal(const Arguments& arguments);
Parameters make_lognormal(const Arguments& arguments);
Parameters make_beta(const Arguments& arguments);
Parameters make_beta_mean_sd(const Arguments& arguments);
Parameters make_gamma(const Arguments& arguments);
Parameters make_triangular(const Arguments& arguments);
Parameters make_pert(const Arguments& arguments);
Parameters make_poisson(const Arguments& arguments);
Parameters make_binomial(const Arguments& arguments);
Parameters make_truncnormal(const Arguments& arguments);
Parameters make_lognormal_ci(const Arguments& arguments);
Parameters make_negbinomial(const Arguments& arguments);
Parameters make_exponential(const Arguments& arguments);
Parameters make_discrete(const Arguments& arguments);

}  // namespace darkfigure::distributions::detail
