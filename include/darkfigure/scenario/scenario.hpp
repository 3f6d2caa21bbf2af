#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "darkfigure/core/error.hpp"
#include "darkfigure/distributions/distribution.hpp"
#include "darkfigure/estimators/estimate.hpp"
#include "darkfigure/estimators/lists.hpp"
#include "darkfigure/estimators/single_register.hpp"
#include "darkfigure/expression/ast.hpp"
#include "darkfigure/expression/program.hpp"
#include "darkfigure/inference/likelihood.hpp"
#include "darkfigure/inference/resample.hpp"
#include "darkfigure/sampling/correlation.hpp"
#include "darkfigure/sampling/design.hpp"

namespace darkfigure::scenario {

/// An uncertain (or fixed) input: a number or a distribution with constant arguments.
struct Input {
  std::string name;
  std::variant<double, distributions::Distribution> value;
  std::string text;    ///< as written in the file: "beta(4, 16)" or "67500"
  std::string source;  ///< where the figure comes from (may be empty)
  std::string note;    ///< e.g. "assumption: ..." (may be empty)
  /// For estimate(NAME): the [capture_recapture] data set whose total the input draws.
  std::string estimate;
  core::SourceLocation where;
};

/// A data set of [capture_recapture.NAME], estimated when the scenario is read: people seen by
/// several lists, by capture history, or one register's counts of how often it saw each person.
struct CaptureData {
  std::string name;
  std::optional<estimators::ListCounts> lists;  ///< several lists; unset for one register
  std::vector<double> frequencies;  ///< one register: people seen exactly 1, 2, ... times
  /// "log-linear", "lincoln-petersen", "chapman", "chao", "zelterman" or "ztp".
  std::string method;
  /// Several lists: the model (unset: chosen by the criterion) and Chapman's form; its interval
  /// settings are those of `interval`.
  estimators::ListSettings list_settings;
  /// One register: the estimator.
  estimators::RegisterMethod register_method = estimators::RegisterMethod::chao;
  estimators::IntervalSettings interval;
  std::string source;
  std::string note;
  estimators::Estimate estimate;
  core::SourceLocation where;  ///< the data set's name
};
/// A quantity computed from inputs and other derived quantities.
struct Derived {
  std::string name;
  std::string formula;
  expression::Node tree;
  std::vector<std::string> depends_on;  ///< distinct names, in order of first use
  core::SourceLocation where;
};

/// Observed data, [[observe]]: every draw is weighted by the likelihood of `values` (independent
/// observations) under `family`, whose parameters are formulas over the draw's quantities.
struct Observation {
  std::string name;
  std::vector<double> values;
  std::string likelihood;  ///< as written: "poisson(victims * reporting_rate)"
  const inference::LikelihoodFamily* family = nullptr;
  /// Program slots holding each draw's parameters, in the family's order.
  std::vector<std::size_t> parameter_slots;
  std::string source;
  std::string note;
  core::SourceLocation where;  ///< the likelihood string
};

/// Outside knowledge about a quantity, [[prior]]: Bayesian melding pools the model's induced
/// prior of `on` (to the power `pooling`) with `dist` (to the power 1 - pooling).
struct Prior {
  std::string on;
  std::size_t slot = 0;  ///< program slot of `on`
  distributions::Distribution dist;
  std::string text;      ///< as written: "beta(27, 73)"
  double pooling = 0.5;  ///< weight of the model's induced prior, in [0, 1]
  std::string source;
  std::string note;
  core::SourceLocation where;  ///< the value of `on`
};

/// [inference]: how conditioned draws are turned into results.
struct InferenceSettings {
  /// Equally weighted draws to take from the weighted ones; unset: summarise the weights.
  std::optional<std::uint64_t> resample;
  inference::ResampleMethod resample_method = inference::ResampleMethod::systematic;
  /// Keep adding blocks of draws until the effective sample size reaches this.
  std::optional<double> min_ess;
  /// At most this many draws when min_ess adds blocks; unset: 100 times the draws.
  std::optional<std::uint64_t> max_draws;
};

/// [sampling]: how the draws are placed.
struct SamplingSettings {
  sampling::Design design = sampling::Design::mc;
  /// Independent randomisations of a Latin hypercube or Sobol design, whose spread gives the
  /// Monte Carlo standard errors.
  std::uint32_t replicates = sampling::kDefaultReplicates;
};

/// A [correlation] block: random inputs whose draws are rearranged to the requested Spearman rank
/// correlations (Iman-Conover).
struct Correlation {
  std::vector<std::string> inputs;
  std::vector<std::size_t> slots;  ///< program slots (= indices in Scenario::inputs) of `inputs`
  sampling::RankCorrelation induced;
  std::string source;          ///< where the correlations come from (may be empty)
  std::string note;            ///< e.g. "assumption: ..." (may be empty)
  core::SourceLocation where;  ///< the matrix
};

/// An input of a [sweep]: fixed at each of `values` in turn.
struct SweptInput {
  std::string name;
  std::size_t input = 0;  ///< index in Scenario::inputs
  std::vector<double> values;
  /// Per value: the warning that it lies outside the input's support, or empty.
  std::vector<std::string> warnings;
  core::SourceLocation where;  ///< the name
};

/// How the points of a [sweep] combine its inputs.
enum class SweepGrid {
  full,           ///< every combination of the values, the last input varying fastest
  one_at_a_time,  ///< each input through its values alone, the others as the scenario has them
};

/// [sweep]: inputs fixed at listed values, each point a run of its own.
struct Sweep {
  std::vector<SweptInput> inputs;  ///< in file order
  SweepGrid grid = SweepGrid::full;
};

/// The most points a [sweep] may have.
inline constexpr std::size_t kMaxSweepPoints = 10'000;

/// How a sensitivity study apportions an output's uncertainty among the inputs.
enum class SensitivityMethod {
  sobol,    ///< first-order and total Sobol indices (Saltelli 2010, Jansen 1999)
  src,      ///< standardised regression coefficients
  prcc,     ///< partial rank correlation coefficients
  tornado,  ///< the output's quantile with each input at its 10th and 90th percentile
};

/// "sobol", "src", "prcc", "tornado".
std::string_view method_name(SensitivityMethod method) noexcept;
/// The method called `name`, or nullopt.
std::optional<SensitivityMethod> find_method(std::string_view name) noexcept;
/// Every method's name, in the order of SensitivityMethod.
std::vector<std::string> method_names();

/// [sensitivity]: the studies that `darkfigure report` runs and publishes with the scenario.
struct SensitivityStudy {
  std::vector<SensitivityMethod> methods;  ///< in file order, distinct, at least one
  std::vector<std::string> outputs;        ///< empty: every numeric output
  std::vector<std::string> inputs;         ///< empty: every random input
  std::optional<std::uint64_t> draws;      ///< unset: the scenario's draws
  std::optional<std::uint32_t> bootstrap;  ///< sobol: bootstrap resamples; unset: the default
  std::optional<double> quantile;          ///< tornado: the quantile of interest; unset: 0.5
  core::SourceLocation where;              ///< the methods
};

/// A checked scenario, ready to simulate. Slots of the program: inputs in file order
/// (slot i = inputs[i]), then derived quantities in dependency order (slot inputs.size() + j),
/// then the parameters of the observations.
struct Scenario {
  std::string file;    ///< path as given
  std::string sha256;  ///< of the file's bytes (core::sha256_hex); empty for a parsed string
  std::string name;    ///< [scenario] name, or the file's stem
  std::string title;   ///< may be empty
  std::string source;  ///< may be empty
  std::uint64_t draws = 100'000;
  std::uint64_t seed = 1;
  std::vector<Input> inputs;
  std::vector<Derived> derived;
  /// [capture_recapture]: the data sets, in file order.
  std::vector<CaptureData> capture_recapture;
  std::vector<std::string> outputs;  ///< names of inputs or derived quantities, as listed
  std::vector<double> quantiles = {0.025, 0.5, 0.975};  ///< ascending, distinct, in (0, 1)
  /// [outputs] percent: the outputs that reports show as percentages. Unset: those whose finite
  /// draws all lie between 0 and 1.
  std::optional<std::vector<std::string>> percent;
  std::vector<Observation> observations;
  std::vector<Prior> priors;
  InferenceSettings inference;
  SamplingSettings sampling;
  std::vector<Correlation> correlations;
  std::optional<Sweep> sweep;
  std::optional<SensitivityStudy> sensitivity;
  /// On a point of a sweep (sweep_points()): each swept input and the value it is fixed at.
  std::vector<std::pair<std::string, double>> point;
  /// What is allowed but doubtful, "file:line:column: message" (a nearly singular correlation
  /// matrix): `darkfigure check` and `run` print them.
  std::vector<std::string> warnings;
  /// Computes the derived quantities, then each observation's parameters into its slots.
  expression::Program program;

  /// Whether draws carry weights: the scenario observes data or pools a prior.
  bool conditioned() const noexcept { return !observations.empty() || !priors.empty(); }

  /// The program slot of a named quantity, or nullopt.
  std::optional<std::size_t> slot_of(std::string_view name) const;
};

/// The points of scenario.sweep, in grid order: copies of the scenario with each swept input
/// fixed at its value (and taken out of its [correlation] block, which keeps the others' rank
/// correlations), without a sweep and with `point` set. Every point keeps the seed, so the
/// other inputs draw the same numbers at every point (common random numbers) and differences
/// between points are the swept inputs' doing. Without a sweep: the scenario itself.
std::vector<Scenario> sweep_points(const Scenario& scenario);

/// Parses and checks scenario text. Every problem is a core::InputError carrying
/// file:line:column, the offending line and, where one exists, a hint (nearest valid spelling,
/// the cycle, the constraint that failed). Columns count bytes; inside a string they point at the
/// offending character of the formula, through escape sequences. The name defaults to the stem
/// of `file_name`; without [outputs] names, the outputs are every derived value in file order,
/// else every input that is a distribution, else every input.
///
///     kz.toml:6:29: error: victims: unknown name "reportng_rate"
///      6 | victims = "reported_cases / reportng_rate"
///        |                             ^
///     hint: did you mean "reporting_rate"?
Scenario parse(std::string_view text, const std::string& file_name);

/// Reads `file` and parses it; an unreadable, empty or binary file is an InputError too.
Scenario load(const std::filesystem::path& file);

/// The resolved model in dependency order, as `darkfigure check` prints it: the settings, each
/// input (fixed value, or distribution with its mean and central 95% range, the canonical call
/// when an argument was computed, source and note), each derived value with the quantities it
/// uses, then the outputs and quantile levels. Numbers have about four significant digits:
///
///     scenario small (models/small.toml)
///       title: A small model
///       draws: 5000, seed: 7
///
///     inputs, in file order:
///       count = 120
///       share ~ uniform(0.2, 0.6)
///           mean 0.4, 95% in [0.21, 0.59]
///           source: survey, 2020
///       twice = 120, from 2 * 60
///       angle ~ uniform(-pi, pi)
///           i.e. uniform(-3.141592653589793, 3.141592653589793)
///           mean 0, 95% in [-2.985, 2.985]
///
///     derived, in the order they are computed:
///       base = count / share
///           uses count, share
///       total = base + angle
///           uses base, angle
///
///     outputs: total, base
///     quantiles: 0.05, 0.5, 0.95
std::string describe(const Scenario& scenario);

/// Checks a list of quantile levels (from a file or the command line): each in (0, 1), finite,
/// distinct; returns them sorted. Throws InputError (without location) naming the bad level.
std::vector<double> checked_quantile_levels(std::vector<double> levels);

}  // namespace darkfigure::scenario
