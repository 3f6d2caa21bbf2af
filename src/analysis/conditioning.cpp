#include "analysis/conditioning.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <span>
#include <stdexcept>
#include <string>
#include <variant>

#include "darkfigure/core/error.hpp"
#include "darkfigure/core/text.hpp"
#include "darkfigure/inference/kernel_density.hpp"
#include "darkfigure/inference/likelihood.hpp"
#include "darkfigure/summary/weighted.hpp"

namespace darkfigure::analysis::detail {
namespace {

constexpr double kInfinity = std::numeric_limits<double>::infinity();

/// Draws per task of the loops over draws: fixed, so that sums are taken in the same pieces and
/// combined in the same order whatever the pool's size.
constexpr std::size_t kChunk = std::size_t{1} << 16;

std::size_t chunk_count(std::size_t count) {
  return (count + kChunk - 1) / kChunk;
}

/// Runs body(first, last, chunk) over [0, count) in chunks of kChunk on the pool.
template <class Body>
void for_chunks(engine::ThreadPool& pool, std::size_t count, Body body) {
  pool.parallel_for(chunk_count(count), [&](std::size_t chunk, unsigned) {
    const std::size_t first = chunk * kChunk;
    body(first, std::min(count, first + kChunk), chunk);
  });
}

/// The largest finite value of `x`, or -inf when there is none.
double finite_max(std::span<const double> x) {
  double largest = -kInfinity;
  for (const double v : x)
    if (std::isfinite(v)) largest = std::max(largest, v);
  return largest;
}

/// exp(x - max) for each x: weights whose largest is 1 (0 where x is -inf or NaN).
std::vector<double> weights_of(std::span<const double> log_weights) {
  const double largest = finite_max(log_weights);
  std::vector<double> weights(log_weights.size(), 0.0);
  if (largest == -kInfinity) return weights;
  for (std::size_t i = 0; i < log_weights.size(); ++i) {
    const double x = log_weights[i];
    weights[i] = std::isnan(x) ? 0.0 : std::exp(x - largest);
  }
  return weights;
}

double ess_of_log(std::span<const double> log_weights) {
  return summary::effective_sample_size(weights_of(log_weights));
}

/// An error at an observation or prior, the place to blame, in the order messages read.
core::InputError error_at(const core::SourceLocation& where, std::string message,
                          std::string hint) {
  return core::InputError(std::move(message), where, std::move(hint));
}

/// The parameter columns from draw `first` on, as add_log_likelihood and predictive_cdf take them.
std::vector<const double*> columns_from(std::span<const engine::Column> parameters,
                                        std::size_t first) {
  std::vector<const double*> columns;
  for (const engine::Column& column : parameters)
    columns.push_back(column.data() + first);
  return columns;
}

/// Adds each prior's melding term to `log_weights` and returns its check.
report::PriorCheck add_prior(const scenario::Scenario& scenario, const scenario::Prior& prior,
                             std::span<const double> x, std::span<double> log_weights,
                             engine::ThreadPool& pool) {
  report::PriorCheck check;
  check.on = prior.on;
  check.dist = prior.text;
  check.pooling = prior.pooling;
  check.source = prior.source;
  check.note = prior.note;

  // The induced prior: an input's own distribution, else a kernel density of the draws.
  std::vector<double> induced(x.size());
  if (prior.slot < scenario.inputs.size()) {
    const auto& dist = std::get<distributions::Distribution>(scenario.inputs[prior.slot].value);
    check.density = "exact";
    for_chunks(pool, x.size(), [&](std::size_t first, std::size_t last, std::size_t) {
      for (std::size_t i = first; i < last; ++i)
        induced[i] = dist.log_pdf(x[i]);
    });
  } else {
    check.density = "kernel";
    try {
      const inference::KernelDensity density(x);
      check.bandwidth = density.bandwidth();
      for_chunks(pool, x.size(), [&](std::size_t first, std::size_t last, std::size_t) {
        density.log_density(x.subspan(first, last - first),
                            std::span<double>(induced).subspan(first, last - first));
      });
    } catch (const std::invalid_argument&) {
      throw error_at(prior.where,
                     "[[prior]]: " + prior.on + " takes fewer than two distinct finite values " +
                         "in the draws, so it has no density to pool",
                     "a melding prior belongs on a quantity that varies from draw to draw");
    }
  }

  std::vector<double> term(x.size());
  std::vector<std::uint64_t> outside(chunk_count(x.size()), 0);
  std::vector<std::uint64_t> bad(outside.size(), 0);
  const double exponent = 1.0 - prior.pooling;
  for_chunks(pool, x.size(), [&](std::size_t first, std::size_t last, std::size_t chunk) {
    for (std::size_t i = first; i < last; ++i) {
      if (!std::isfinite(x[i])) {
        term[i] = -kInfinity;
        ++bad[chunk];
        continue;
      }
      const double stated = prior.dist.log_pdf(x[i]);
      if (stated == -kInfinity) ++outside[chunk];
      if (exponent == 0.0) {
        term[i] = 0.0;
      } else if (std::isfinite(stated) && std::isfinite(induced[i])) {
        term[i] = exponent * (stated - induced[i]);
      } else {
        // Outside the stated prior's support, or on a pole of either density (an input drawn
        // exactly at the end of its support): no finite weight, so none at all.
        term[i] = -kInfinity;
        if (stated != -kInfinity) ++bad[chunk];
      }
      log_weights[i] += term[i];
    }
  });
  for (std::size_t c = 0; c < outside.size(); ++c) {
    check.outside_support += outside[c];
    check.non_finite += bad[c];
  }
  check.ess = ess_of_log(term);
  if (check.ess == 0.0) {
    throw error_at(prior.where,
                   "[[prior]]: the stated prior " + prior.text + " gives no weight to any of the " +
                       std::to_string(x.size()) + " draws of " + prior.on,
                   "the model never produces values of " + prior.on +
                       " where this prior has density: check both, and their units");
  }
  return check;
}

/// The log-likelihood of one observation in every draw, with its tally.
struct ObservationTerm {
  std::vector<double> log_likelihood;
  inference::LikelihoodTally tally;
};

ObservationTerm likelihood_of(const scenario::Observation& observation,
                              std::span<const engine::Column> parameters, std::size_t count,
                              engine::ThreadPool& pool) {
  ObservationTerm term;
  term.log_likelihood.assign(count, 0.0);
  std::vector<inference::LikelihoodTally> tallies(chunk_count(count));
  for_chunks(pool, count, [&](std::size_t first, std::size_t last, std::size_t chunk) {
    tallies[chunk] = inference::add_log_likelihood(
        *observation.family, observation.values, columns_from(parameters, first),
        std::span<double>(term.log_likelihood).subspan(first, last - first));
  });
  for (const auto& tally : tallies) {
    term.tally.invalid += tally.invalid;
    term.tally.impossible += tally.impossible;
  }
  return term;
}

/// Per value: the prior predictive mid-distribution function, the mean of each draw's
/// predictive_cdf weighted by `prior_weights`, over the draws with valid parameters.
std::vector<double> prior_predictive(const scenario::Observation& observation,
                                     std::span<const engine::Column> parameters,
                                     std::span<const double> prior_weights,
                                     engine::ThreadPool& pool) {
  const std::size_t count = prior_weights.size();
  const std::size_t chunks = chunk_count(count);
  std::vector<double> result;
  for (const double value : observation.values) {
    std::vector<double> weighted(chunks, 0.0);
    std::vector<double> total(chunks, 0.0);
    for_chunks(pool, count, [&](std::size_t first, std::size_t last, std::size_t chunk) {
      std::vector<double> cdf(last - first);
      inference::predictive_cdf(*observation.family, value, columns_from(parameters, first), cdf);
      for (std::size_t i = 0; i < cdf.size(); ++i) {
        const double w = prior_weights[first + i];
        if (w == 0.0 || std::isnan(cdf[i])) continue;
        weighted[chunk] += w * cdf[i];
        total[chunk] += w;
      }
    });
    double sum = 0.0;
    double weight = 0.0;
    for (std::size_t c = 0; c < chunks; ++c) {
      sum += weighted[c];
      weight += total[c];
    }
    result.push_back(weight > 0.0 ? std::clamp(sum / weight, 0.0, 1.0)
                                  : std::numeric_limits<double>::quiet_NaN());
  }
  return result;
}

[[noreturn]] void fail_observation(const scenario::Observation& observation,
                                   const inference::LikelihoodTally& tally, std::uint64_t draws) {
  const std::string values =
      observation.values.size() == 1
          ? "the observed " + core::shortest_decimal(observation.values.front())
          : "one of the observed values";
  if (tally.invalid == draws) {
    throw error_at(observation.where,
                   observation.name + ": the likelihood's parameters are invalid in every one of " +
                       std::to_string(draws) + " draws",
                   "each draw must give " + std::string(observation.family->signature) +
                       " valid parameters; check the formula (a probability above 1, a "
                       "negative mean?)");
  }
  throw error_at(observation.where,
                 observation.name + ": the likelihood is zero in every one of " +
                     std::to_string(draws) + " draws: " + values + " is impossible under " +
                     observation.likelihood,
                 "check the value and the formula against each other (a count above n, a "
                 "share of exactly 0 or 1?)");
}

}  // namespace

std::vector<std::size_t> conditioning_slots(const scenario::Scenario& scenario) {
  std::vector<std::size_t> slots;
  for (const auto& observation : scenario.observations)
    slots.insert(slots.end(), observation.parameter_slots.begin(),
                 observation.parameter_slots.end());
  for (const auto& prior : scenario.priors)
    slots.push_back(prior.slot);
  return slots;
}

Weights weigh(const scenario::Scenario& scenario, const engine::Simulation& simulation,
              engine::ThreadPool& pool) {
  const auto count = static_cast<std::size_t>(simulation.draws);
  const std::span<const engine::Column> kept = simulation.kept;
  Weights result;
  report::Conditioning& conditioning = result.conditioning;

  // The melding priors first: they weigh the draws before any observation does.
  std::vector<double> prior_log_weights(count, 0.0);
  std::size_t next_column = 0;
  for (const auto& observation : scenario.observations)
    next_column += observation.parameter_slots.size();
  for (const auto& prior : scenario.priors) {
    conditioning.priors.push_back(
        add_prior(scenario, prior, kept[next_column++], prior_log_weights, pool));
  }
  const std::vector<double> prior_weights = weights_of(prior_log_weights);
  if (!scenario.priors.empty() && summary::effective_sample_size(prior_weights) == 0.0) {
    throw error_at(scenario.priors.front().where,
                   "the [[prior]] tables together give no weight to any draw",
                   "each prior alone leaves some draws: they contradict each other under this "
                   "model");
  }

  std::vector<double> log_weights = prior_log_weights;
  next_column = 0;
  for (const auto& observation : scenario.observations) {
    const auto parameters = kept.subspan(next_column, observation.parameter_slots.size());
    next_column += observation.parameter_slots.size();
    ObservationTerm term = likelihood_of(observation, parameters, count, pool);
    if (count > 0 && term.tally.invalid + term.tally.impossible == count) {
      fail_observation(observation, term.tally, count);
    }
    report::ObservationCheck check;
    check.name = observation.name;
    check.likelihood = observation.likelihood;
    check.values = observation.values;
    check.source = observation.source;
    check.note = observation.note;
    check.invalid_draws = term.tally.invalid;
    check.impossible_draws = term.tally.impossible;
    check.predictive_cdf = prior_predictive(observation, parameters, prior_weights, pool);
    // NaN when no draw with prior weight had valid parameters: there is no predictive to check.
    check.tail_probability = 1.0;
    for (const double f : check.predictive_cdf) {
      check.tail_probability = std::isnan(f) || std::isnan(check.tail_probability)
                                   ? std::numeric_limits<double>::quiet_NaN()
                                   : std::min(check.tail_probability, 2.0 * std::min(f, 1.0 - f));
    }
    for (std::size_t i = 0; i < count; ++i) {
      log_weights[i] += term.log_likelihood[i];
      term.log_likelihood[i] += prior_log_weights[i];
    }
    check.ess = ess_of_log(term.log_likelihood);
    conditioning.observations.push_back(std::move(check));
  }

  result.weights = weights_of(log_weights);
  double sum = 0.0;
  std::uint64_t positive = 0;
  for (const double w : result.weights) {
    sum += w;
    positive += w > 0.0;
  }
  if (count > 0 && positive == 0) {
    throw error_at(scenario.observations.front().where,
                   "the observations together leave no draw with a positive weight",
                   "each observation alone is possible in some draws, but no draw explains all "
                   "of them together with the [[prior]] tables: under this model they "
                   "contradict each other");
  }
  conditioning.ess = summary::effective_sample_size(result.weights);
  conditioning.positive_draws = positive;
  conditioning.max_weight_share = count > 0 ? 1.0 / sum : 0.0;
  return result;
}

}  // namespace darkfigure::analysis::detail
