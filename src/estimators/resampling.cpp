#include "estimators/resampling.hpp"

#include <algorithm>
#include <limits>
#include <string>
#include <vector>

#include "darkfigure/core/text.hpp"
#include "darkfigure/distributions/distribution.hpp"
#include "darkfigure/estimators/estimate.hpp"

namespace darkfigure::estimators::detail {

random::Stream bootstrap_stream(std::uint64_t seed, std::string_view name) {
  // No block of draws has the last index, so no input's stream shares this key.
  return random::Stream(random::StreamKey{.seed = seed,
                                          .scenario = random::stream_id("bootstrap"),
                                          .block = std::numeric_limits<std::uint32_t>::max(),
                                          .input = random::stream_id(name)});
}

void multinomial(random::Stream& stream, double total, std::span<const double> probabilities,
                 std::span<double> counts) {
  if (total > kMaxBootstrapTotal) {
    throw EstimationError("the bootstrap would draw tables of " + core::shortest_decimal(total) +
                              " people, more than the " +
                              core::shortest_decimal(kMaxBootstrapTotal) + " a table can hold",
                          "use interval = \"lognormal\" or \"profile\"");
  }
  double remaining = total;
  double mass = 1.0;
  for (std::size_t i = 0; i < probabilities.size(); ++i) {
    if (remaining <= 0.0 || i + 1 == probabilities.size()) {
      counts[i] = remaining;
      remaining = 0.0;
      continue;
    }
    // Rounding can leave no mass for the cells still to come: they get nobody but the last.
    const double p = mass > 0.0 ? std::clamp(probabilities[i] / mass, 0.0, 1.0) : 0.0;
    const std::vector<distributions::Argument> arguments{remaining, p};
    counts[i] = distributions::Distribution::make("binomial", arguments).sample(stream);
    remaining -= counts[i];
    mass -= probabilities[i];
  }
}

}  // namespace darkfigure::estimators::detail
