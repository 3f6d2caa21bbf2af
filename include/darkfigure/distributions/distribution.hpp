#pragma once

#include <cstddef>
#include <limits>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "darkfigure/distributions/parameters.hpp"
#include "darkfigure/random/stream.hpp"

namespace darkfigure::distributions {

/// The version of the samplers that turn random numbers into draws: raised whenever a change
/// makes some family (or a design's inverse cdf) give other draws from the same random numbers,
/// so that a published figure names the samplers it came from.
inline constexpr int kSamplersVersion = 1;

/// An argument of a distribution call: a number, or a list of numbers (discrete's values).
using Argument = std::variant<double, std::vector<double>>;

/// Bad arguments of a distribution call, in one wording:
/// "beta_mean_sd sd is 0.6, but must be below sqrt(mean*(1-mean)) = 0.458".
/// argument() is the 0-based index of the offending argument, or kWholeCall.
class ParameterError : public std::runtime_error {
 public:
  static constexpr std::size_t kWholeCall = std::numeric_limits<std::size_t>::max();

  explicit ParameterError(std::string message, std::size_t argument = kWholeCall,
                          std::string hint = {});

  std::size_t argument() const noexcept { return argument_; }
  const std::string& hint() const noexcept { return hint_; }

 private:
  std::size_t argument_;
  std::string hint_;
};

/// A family of the scenario language, as `darkfigure list distributions` prints it.
struct Family {
  std::string_view name;
  std::string_view signature;  ///< "beta(alpha, beta)"
  std::string_view doc;        ///< one line: what it is, its parameters' meaning and constraints
  std::size_t min_arity;
  std::size_t max_arity;
  bool discrete;  ///< integer valued (log_pdf is then the log of the mass function)
};

/// How many arguments a family takes, as messages say it: "2 arguments", "1 or 2 arguments".
std::string arity_text(const Family& family);

/// Every family, in the order `darkfigure list distributions` prints them.
std::span<const Family> families() noexcept;

/// The family called `name`, or nullptr.
const Family* find_family(std::string_view name) noexcept;

class Distribution;

/// A probability distribution of the scenario language with checked, constant parameters: its own
/// samplers on a random::Stream (the hot path), and quantile, cdf and log density from Boost.Math.
/// A value type whose members are all const, safe to call from many threads at once.
///
///     const auto rate = Distribution::make("beta_mean_sd", std::vector<Argument>{0.3, 0.1});
///     rate.describe();     // "beta_mean_sd(0.3, 0.1)"
///     rate.mean();         // 0.3
///     rate.quantile(0.5);  // 0.2932... (beta(6, 14)'s median)
///     rate.fill(stream, column);
///
/// Numerical edges never throw: quantile(0) is the lower end of the support and quantile(1) the
/// upper (so -inf or inf where the support is unbounded); a p outside [0, 1] or a NaN argument
/// gives NaN. A draw whose true value lies below the smallest double (a gamma with a tiny shape)
/// is 0; a beta draw is exactly 0 or 1 only where its true value lies within rounding of it.
class Distribution {
 public:
  /// Builds `family` from its arguments; throws ParameterError (unknown family, wrong number of
  /// arguments, a list where a number is expected or vice versa, bad values).
  static Distribution make(std::string_view family, std::span<const Argument> arguments);

  /// Fills `out` with independent draws taken from `stream` (called once per block of 4096 draws;
  /// dispatch on the family once per call, then a tight loop). The same numbers as out.size()
  /// calls of sample().
  void fill(random::Stream& stream, std::span<double> out) const;
  /// One draw taken from `stream`.
  double sample(random::Stream& stream) const;
  /// The p-quantile, p in [0, 1]. Discrete families: the smallest x with cdf(x) >= p.
  double quantile(double p) const;
  /// P(X <= x).
  double cdf(double x) const;
  /// The log density at x (log of the mass function for discrete families); -inf outside the
  /// support, and finite inside it even where the density itself underflows.
  double log_pdf(double x) const;
  double mean() const;
  double variance() const;
  /// Integer valued (poisson, binomial, negbinomial) or on a finite set of values (discrete).
  bool is_discrete() const;
  /// The family as called: "beta_mean_sd", not "beta".
  std::string_view family() const;
  /// The canonical call as written, numbers as the shortest decimals that read back exactly:
  /// "beta(4, 16)", "discrete([1, 2, 5], [0.2, 0.3, 0.5])".
  std::string describe() const;

 private:
  Distribution(const Family& family, std::vector<Argument> arguments,
               detail::Parameters parameters);

  const Family* family_;
  std::vector<Argument> arguments_;
  detail::Parameters parameters_;
};

}  // namespace darkfigure::distributions
