#include "distributions/catalogue.hpp"

#include <algorithm>
#include <array>
#include <iterator>

namespace darkfigure::distributions {
namespace detail {
namespace {

// The one table of families: `darkfigure list distributions` prints it in this order.
constexpr CatalogueEntry kCatalogue[] = {
    {{"uniform", "uniform(min, max)", "uniform on [min, max]; min < max", 2, 2, false},
     &make_uniform},
    {{"normal", "normal(mean, sd)", "normal with the given mean and standard deviation sd > 0", 2,
      2, false},
     &make_normal},
    {{"lognormal", "lognormal(mu, sigma, shift)",
      "shift + exp(normal(mu, sigma)): mu and sigma > 0 are the mean and sd of the logarithm of "
      "the amount above shift (default 0)",
      2, 3, false},
     &make_lognormal},
    {{"beta", "beta(alpha, beta)",
      "beta on [0, 1] with shapes alpha > 0 and beta > 0; mean alpha / (alpha + beta)", 2, 2,
      false},
     &make_beta},
    {{"beta_mean_sd", "beta_mean_sd(mean, sd)",
      "beta with the given mean in (0, 1) and sd in (0, sqrt(mean * (1 - mean)))", 2, 2, false},
     &make_beta_mean_sd},
    {{"gamma", "gamma(shape, scale)", "gamma with shape > 0 and scale > 0; mean shape * scale", 2,
      2, false},
     &make_gamma},
    {{"triangular", "triangular(min, mode, max)",
      "triangular on [min, max] peaking at mode; min <= mode <= max, min < max", 3, 3, false},
     &make_triangular},
    {{"pert", "pert(min, mode, max)",
      "Beta-PERT on [min, max] with most likely value mode; mean (min + 4 mode + max) / 6", 3, 3,
      false},
     &make_pert},
    {{"poisson", "poisson(lambda)", "Poisson counts with mean lambda > 0", 1, 1, true},
     &make_poisson},
    {{"binomial", "binomial(n, p)",
      "successes in n trials (a whole number >= 0), each with probability p in [0, 1]", 2, 2, true},
     &make_binomial},
    {{"truncnormal", "truncnormal(mean, sd, low, high)",
      "normal(mean, sd) restricted to [low, high]; low < high, either may be -inf or inf", 4, 4,
      false},
     &make_truncnormal},
    {{"lognormal_ci", "lognormal_ci(p5, p95)",
      "lognormal with 5th percentile p5 > 0 and 95th percentile p95 > p5 (Squiggle's p5 to p95)", 2,
      2, false},
     &make_lognormal_ci},
    {{"negbinomial", "negbinomial(mean, dispersion)",
      "negative binomial counts with mean > 0 and variance mean + mean^2 / dispersion", 2, 2, true},
     &make_negbinomial},
    {{"exponential", "exponential(rate)", "exponential with rate > 0; mean 1 / rate", 1, 1, false},
     &make_exponential},
    {{"discrete", "discrete([values], [weights])",
      "one of the listed values, with probability proportional to weights >= 0 (default equal)", 1,
      2, true},
     &make_discrete},
};

constexpr auto kFamilies = [] {
  std::array<Family, std::size(kCatalogue)> families{};
  for (std::size_t i = 0; i < families.size(); ++i)
    families[i] = kCatalogue[i].family;
  return families;
}();

}  // namespace

const CatalogueEntry* find_entry(std::string_view name) noexcept {
  const auto* entry = std::find_if(std::begin(kCatalogue), std::end(kCatalogue),
                                   [&](const CatalogueEntry& e) { return e.family.name == name; });
  return entry == std::end(kCatalogue) ? nullptr : entry;
}

}  // namespace detail

std::string arity_text(const Family& family) {
  std::string text = std::to_string(family.min_arity);
  if (family.max_arity != family.min_arity) {
    text += (family.max_arity == family.min_arity + 1 ? " or " : " to ") +
            std::to_string(family.max_arity);
  }
  return text + (family.max_arity == 1 ? " argument" : " arguments");
}

std::span<const Family> families() noexcept {
  return detail::kFamilies;
}

const Family* find_family(std::string_view name) noexcept {
  const auto* family = std::find_if(detail::kFamilies.begin(), detail::kFamilies.end(),
                                    [&](const Family& f) { return f.name == name; });
  return family == detail::kFamilies.end() ? nullptr : family;
}

}  // namespace darkfigure::distributions
