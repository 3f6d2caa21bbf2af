#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "darkfigure/core/error.hpp"
#include "darkfigure/distributions/distribution.hpp"
#include "darkfigure/expression/ast.hpp"
#include "darkfigure/expression/program.hpp"

namespace darkfigure::scenario {

/// An uncertain (or fixed) input: a number or a distribution with constant arguments.
struct Input {
  std::string name;
  std::variant<double, distributions::Distribution> value;
  std::string text;    ///< as written in the file: "beta(4, 16)" or "67500"
  std::string source;  ///< where the figure comes from (may be empty)
  std::string note;    ///< e.g. "assumption: ..." (may be empty)
  core::SourceLocation where;
};

/// A quantity computed from inputs and other derived quantities.
struct Derived {
  std::string name;
  std::string formula;
  expression::Node tree;
  std::vector<std::string> depends_on;  ///< distinct names, in order of first use
  core::SourceLocation where;
};

/// A checked scenario, ready to simulate. Slots of the program: inputs in file order
/// (slot i = inputs[i]), then derived quantities in dependency order (slot inputs.size() + j).
struct Scenario {
  std::string file;    ///< path as given
  std::string name;    ///< [scenario] name, or the file's stem
  std::string title;   ///< may be empty
  std::string source;  ///< may be empty
  std::uint64_t draws = 100'000;
  std::uint64_t seed = 1;
  std::vector<Input> inputs;
  std::vector<Derived> derived;
  std::vector<std::string> outputs;  ///< names of inputs or derived quantities, as listed
  std::vector<double> quantiles = {0.025, 0.5, 0.975};  ///< ascending, distinct, in (0, 1)
  expression::Program program;

  /// The program slot of a named quantity, or nullopt.
  std::optional<std::size_t> slot_of(std::string_view name) const;
};

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
