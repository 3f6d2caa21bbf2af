#include "estimators/resampling.hpp"

#include <algorithm>
#include <vector>

#include "darkfigure/distributions/distribution.hpp"

namespace darkfigure::estimators::detail {

random::Stream bootstrap_stream(std::uint64_t seed, std::string_view name) {
  return random::Stream(random::StreamKey{.seed = seed,
                                          .scenario = random::stream_id("bootstrap"),
                                          .block = 0,
                                          .input = random::stream_id(name)});
}

void multinomial(random::Stream& stream, double total, std::span<const double> probabilities,
                 std::span<double> counts) {
  double remaining = total;
  double mass = 1.0;
  for (std::size_t i = 0; i < probabilities.size(); ++i) {
    if (remaining <= 0.0 || i + 1 == probabilities.size()) {
      counts[i] = remaining;
      remaining = 0.0;
      continue;
    }
    const double p = std::clamp(probabilities[i] / mass, 0.0, 1.0);
    const std::vector<distributions::Argument> arguments{remaining, p};
    counts[i] = distributions::Distribution::make("binomial", arguments).sample(stream);
    remaining -= counts[i];
    mass -= probabilities[i];
  }
}

}  // namespace darkfigure::estimators::detail
