#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>
#include <utility>

#include "distributions/catalogue.hpp"
#include "distributions/math.hpp"

namespace darkfigure::distributions::detail {

Parameters make_discrete(const Arguments& arguments) {
  const std::vector<double>& values = arguments.list(0);
  if (values.empty()) arguments.fail(0, "values has no entries", "have at least one");
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (!std::isfinite(values[i])) {
      arguments.fail(0, "value " + std::to_string(i + 1) + " is " + exact(values[i]), "be finite");
    }
  }
  std::vector<double> weights(values.size(), 1.0);
  if (arguments.size() > 1) {
    weights = arguments.list(1);
    if (weights.size() != values.size()) {
      arguments.fail(1, "weights has " + std::to_string(weights.size()) + " entries",
                     "have as many as values (" + std::to_string(values.size()) + ")");
    }
    for (std::size_t i = 0; i < weights.size(); ++i) {
      if (!(weights[i] >= 0.0 && std::isfinite(weights[i]))) {
        arguments.fail(1, "weight " + std::to_string(i + 1) + " is " + exact(weights[i]),
                       "be finite and >= 0");
      }
    }
  }
  const double total = std::accumulate(weights.begin(), weights.end(), 0.0);
  if (!(total > 0.0 && std::isfinite(total))) {
    arguments.fail(1, "weights add up to " + exact(total), "add up to a positive finite number");
  }

  // Ascending distinct values with positive weight: a repeated value pools its weights.
  std::vector<std::pair<double, double>> pairs;
  for (std::size_t i = 0; i < values.size(); ++i)
    pairs.emplace_back(values[i], weights[i]);
  std::sort(pairs.begin(), pairs.end());
  Discrete d;
  double running = 0.0;
  for (const auto& [value, weight] : pairs) {
    if (weight == 0.0) continue;
    running += weight;
    if (!d.values.empty() && d.values.back() == value) {
      d.probabilities.back() += weight;
      d.cumulative.back() = running;
      continue;
    }
    d.values.push_back(value);
    d.probabilities.push_back(weight);
    d.cumulative.push_back(running);
  }
  // Dividing by the last partial sum keeps the cumulative sums ascending and ends them at 1.
  for (double& p : d.probabilities)
    p /= running;
  for (double& c : d.cumulative)
    c /= running;
  return d;
}

// Inversion: the first value whose cumulative probability exceeds U (binary search).
double Discrete::sample(random::Stream& stream) const {
  const auto i =
      std::upper_bound(cumulative.begin(), cumulative.end(), stream.uniform()) - cumulative.begin();
  return values[std::min(static_cast<std::size_t>(i), values.size() - 1)];
}

void Discrete::fill(random::Stream& stream, std::span<double> out) const {
  for (double& x : out)
    x = sample(stream);
}

double Discrete::quantile(double p) const {
  return quantile_within(p, values.front(), values.back(), [&](double level) {
    const auto i =
        std::lower_bound(cumulative.begin(), cumulative.end(), level) - cumulative.begin();
    return values[std::min(static_cast<std::size_t>(i), values.size() - 1)];
  });
}

double Discrete::cdf(double x) const {
  if (std::isnan(x)) return x;
  const auto i = std::upper_bound(values.begin(), values.end(), x) - values.begin();
  return i == 0 ? 0.0 : cumulative[static_cast<std::size_t>(i - 1)];
}

double Discrete::log_pdf(double x) const {
  if (std::isnan(x)) return x;
  const auto i = std::lower_bound(values.begin(), values.end(), x) - values.begin();
  const auto index = static_cast<std::size_t>(i);
  return index < values.size() && values[index] == x ? std::log(probabilities[index]) : -kInfinity;
}

double Discrete::mean() const {
  return std::transform_reduce(values.begin(), values.end(), probabilities.begin(), 0.0);
}

double Discrete::variance() const {
  const double center = mean();
  double sum = 0.0;
  for (std::size_t i = 0; i < values.size(); ++i) {
    sum += probabilities[i] * (values[i] - center) * (values[i] - center);
  }
  return sum;
}

}  // namespace darkfigure::distributions::detail
