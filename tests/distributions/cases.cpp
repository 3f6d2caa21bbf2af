#include "cases.hpp"

#include <algorithm>
#include <limits>

namespace darkfigure::distributions::testing {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

std::vector<double> list(std::initializer_list<double> values) {
  return values;
}

}  // namespace

const std::vector<Call>& valid_calls() {
  static const std::vector<Call> calls = {
      {"uniform", {1.0, 2.0}},
      {"uniform", {-3.0, 5e6}},
      {"uniform", {-1e-3, 1e-3}},
      {"normal", {4.7e6, 1e5}},
      {"normal", {0.0, 1.0}},
      {"normal", {-5.0, 1e-3}},
      {"lognormal", {0.0, 0.5}},
      {"lognormal", {10.0, 0.25}},
      {"lognormal", {-2.0, 1.0}},
      {"lognormal", {7.0, 0.3, 1880.0}},
      {"beta", {4.0, 16.0}},
      {"beta", {13.0, 187.0}},
      {"beta", {27.0, 73.0}},
      {"beta", {0.05, 0.05}},
      {"beta", {0.5, 3.0}},
      {"beta", {1.0, 1.0}},
      {"beta", {2.0, 0.3}},
      {"beta_mean_sd", {0.02, 0.01}},
      {"beta_mean_sd", {0.3, 0.1}},
      {"beta_mean_sd", {0.5, 0.45}},
      {"gamma", {0.1, 2.0}},
      {"gamma", {1.0, 1.0}},
      {"gamma", {9.0, 0.5}},
      {"gamma", {1e4, 1e-3}},
      {"triangular", {0.0, 1.0, 3.0}},
      {"triangular", {2.0, 2.0, 5.0}},
      {"triangular", {-1.0, 4.0, 4.0}},
      {"pert", {0.0, 1.0, 3.0}},
      {"pert", {10.0, 10.0, 20.0}},
      {"pert", {1000.0, 1500.0, 4000.0}},
      {"poisson", {0.5}},
      {"poisson", {9.9}},
      {"poisson", {30.0}},
      {"poisson", {1e4}},
      {"binomial", {1000.0, 0.3}},
      {"binomial", {10.0, 0.5}},
      {"binomial", {50.0, 0.02}},
      {"binomial", {1e6, 0.9}},
      {"truncnormal", {0.0, 1.0, -1.0, 2.0}},        // rejection
      {"truncnormal", {0.0, 1.0, 5.0, kInf}},        // far upper tail: inversion with complements
      {"truncnormal", {0.0, 1.0, -kInf, -4.0}},      // far lower tail
      {"truncnormal", {100.0, 10.0, 160.0, 1e308}},  // 6 sd out, infinity written as a number
      {"truncnormal", {10.0, 2.0, 10.5, 11.0}},      // narrow window near the mean: inversion
      {"lognormal_ci", {1.0, 10.0}},
      {"lognormal_ci", {100.0, 150.0}},
      {"negbinomial", {10.0, 0.5}},  // small dispersion: far more spread than Poisson
      {"negbinomial", {10.0, 1e4}},  // large dispersion: nearly Poisson
      {"negbinomial", {1000.0, 2.0}},
      {"negbinomial", {0.3, 0.1}},
      {"exponential", {1.0}},
      {"exponential", {1e-3}},
      {"discrete", {list({1.0, 2.0, 3.0})}},
      {"discrete", {list({3.0, -1.0, 2.5, 10.0}), list({0.1, 0.5, 0.3, 0.1})}},
      {"discrete", {list({0.0, 1.0, 1.0, 7.0}), list({990.0, 5.0, 4.0, 1.0})}},
  };
  return calls;
}

std::vector<double> draw_in_blocks(const Distribution& distribution, std::size_t count,
                                   std::uint64_t seed, std::uint32_t input) {
  std::vector<double> draws(count);
  std::uint32_t block = 0;
  for (std::size_t first = 0; first < count; first += kBlockSize, ++block) {
    random::Stream stream(random::StreamKey{seed, random::stream_id("contract"), block, input});
    distribution.fill(stream,
                      std::span<double>(draws).subspan(first, std::min(kBlockSize, count - first)));
  }
  return draws;
}

}  // namespace darkfigure::distributions::testing
