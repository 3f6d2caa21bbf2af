#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "darkfigure/engine/engine.hpp"
#include "darkfigure/summary/summary.hpp"

namespace darkfigure::report {

/// The estimate of an output's mean after the first `draws` draws: how a run converged.
struct TracePoint {
  std::uint64_t draws = 0;
  double mean = 0.0;
  double mcse = 0.0;  ///< its Monte Carlo standard error, NaN when unknown
};

/// A histogram of an output's finite draws for display: `shares.size()` bins of equal `width`
/// from `low`, over the central range from the 0.1% to the 99.9% quantile so that a long tail
/// does not squash the rest; each share is the (weighted) share of the finite draws in that bin,
/// and `below` and `above` those outside the range.
struct DisplayHistogram {
  double low = 0.0;
  double width = 0.0;
  std::vector<double> shares;
  double below = 0.0;
  double above = 0.0;
};

/// Bins of a DisplayHistogram.
inline constexpr std::size_t kDisplayBins = 60;

/// The summary of one output of a scenario.
struct OutputResult {
  std::string name;
  summary::Summary summary;
  std::optional<engine::NonFiniteExample> first_non_finite;  ///< set when summary.non_finite > 0
  bool indicator = false;  ///< every finite draw is 0 or 1: the mean is a probability
  /// A share, shown as a percentage: listed in [outputs] percent, or, without that list, not an
  /// indicator and every finite draw lies in [0, 1] (at every point of a sweep).
  bool share = false;
  /// The running estimate of the mean, at draws growing about geometrically and ending with
  /// every draw; under a Latin hypercube or Sobol design, after each whole replicate from the
  /// second (standard errors from the replicates so far).
  std::vector<TracePoint> trace;
  /// Unset for an indicator or an output without two distinct finite draws.
  std::optional<DisplayHistogram> histogram;
};

/// An input as the scenario states it, with its provenance, so tables can be traced to evidence.
struct InputRecord {
  std::string name;
  std::string text;  ///< "beta(4, 16)" or "67500"
  std::string source;
  std::string note;
};

/// A [correlation] block as the scenario gives it.
struct CorrelationRecord {
  std::vector<std::string> inputs;
  std::vector<double> spearman;  ///< the requested rank correlations, row by row
  std::string source;
  std::string note;
};

/// How a scenario was run. Everything here except `threads` determines the draws.
struct Settings {
  std::uint64_t draws = 0;
  std::uint64_t seed = 0;
  unsigned threads = 1;
  std::size_t block_size = engine::kBlockSize;
  std::uint64_t memory_budget = 0;  ///< bytes the stored draws could take
  bool binned = false;              ///< over the budget: quantiles from histograms
  std::string design = "mc";        ///< sampling::design_name of the design
  /// Independent randomisations of a Latin hypercube or Sobol design, whose spread gives each
  /// mcse_mean; 0 under Monte Carlo, whose mcse_mean is the i.i.d. formula.
  std::uint32_t replicates = 0;
};

/// How an [[observe]] fits the model, before and after conditioning.
struct ObservationCheck {
  std::string name;
  std::string likelihood;  ///< as written
  std::vector<double> values;
  std::string source;
  std::string note;
  /// Per value: where it falls in its prior predictive distribution, P(Y < y) + P(Y = y) / 2
  /// averaged over the prior draws (weighted by the melding priors, without any observation).
  std::vector<double> predictive_cdf;
  /// The smallest over the values of the two-sided tail probability 2 min(F, 1 - F): small
  /// when the observation conflicts with what the model and its priors expect.
  double tail_probability = 0.0;
  double ess = 0.0;                 ///< effective sample size of this observation's weights alone
  std::uint64_t invalid_draws = 0;  ///< draws whose likelihood parameters were invalid
  std::uint64_t impossible_draws = 0;  ///< draws under which a value was impossible
};

/// How a [[prior]] was pooled.
struct PriorCheck {
  std::string on;
  std::string dist;  ///< as written
  double pooling = 0.5;
  std::string source;
  std::string note;
  /// How the induced prior density was found: "exact" (the input's own distribution) or
  /// "kernel" (a kernel density estimate from the draws).
  std::string density;
  double bandwidth = 0.0;             ///< the kernel's bandwidth; 0 for "exact"
  double ess = 0.0;                   ///< effective sample size of the melding weights alone
  std::uint64_t outside_support = 0;  ///< draws where the stated prior's density is 0
  /// Draws where the quantity is NaN or infinite, or on a pole of the stated or induced density.
  std::uint64_t non_finite = 0;
};

/// Equally weighted draws taken from the weighted ones ([inference] resample).
struct Resampling {
  std::string method;  ///< "systematic" or "residual"
  std::uint64_t draws = 0;
  std::uint64_t unique = 0;  ///< distinct draws among them
};

/// What weighting the draws did: present for a scenario with [[observe]] or [[prior]].
struct Conditioning {
  double ess = 0.0;                  ///< (sum w)^2 / sum w^2 over all draws
  double max_weight_share = 0.0;     ///< the largest weight over the sum of weights
  std::uint64_t positive_draws = 0;  ///< draws of positive weight
  std::optional<double> min_ess;     ///< the effective sample size asked for
  std::uint64_t max_draws = 0;       ///< the cap on draws while reaching min_ess
  std::uint64_t rounds = 1;          ///< rounds of draws taken to reach min_ess
  std::vector<ObservationCheck> observations;
  std::vector<PriorCheck> priors;
  std::optional<Resampling> resampling;
};

/// Everything a writer needs about one scenario's run.
struct ScenarioResult {
  std::string name;
  std::string title;
  std::string file;
  std::string sha256;  ///< of the scenario file's bytes, lower-case hex
  std::string source;
  /// On a point of a [sweep]: each swept input and the value it was fixed at.
  std::vector<std::pair<std::string, double>> sweep;
  Settings settings;
  std::vector<InputRecord> inputs;
  std::vector<CorrelationRecord> correlations;
  std::vector<OutputResult> outputs;
  std::optional<Conditioning> conditioning;
  /// What the reader must know before trusting the figures: a low effective sample size, a
  /// conflict between a source and the model, invalid likelihood parameters. Each a sentence
  /// that says what to do.
  std::vector<std::string> warnings;
  double seconds = 0.0;  ///< wall time of sampling and summarising
};

/// Facts about the run as a whole, written with the JSON results.
struct Provenance {
  std::string version;     ///< darkfigure's version
  std::string git_commit;  ///< the commit darkfigure was built from; empty when unknown
  std::string rng;         ///< random number generator and stream keying
  std::string created;     ///< UTC time of the run, ISO 8601
  std::string samplers;    ///< the version of the samplers that turn random numbers into draws
};

}  // namespace darkfigure::report
