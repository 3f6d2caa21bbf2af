#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "darkfigure/distributions/distribution.hpp"

namespace darkfigure::distributions::detail {

/// The arguments of one call of a family, with checks that throw ParameterError in the one
/// wording, "<family> <parameter> is <value>, but must be <constraint>", pointing at the
/// offending argument. Parameter names come from the family's signature.
///
///     Arguments arguments(beta_family, {-1.0, 16.0});
///     arguments.positive(0);  // throws "beta alpha is -1, but must be positive" (argument 0)
class Arguments {
 public:
  /// Throws when the number of arguments is outside the family's arity:
  /// "beta takes 2 arguments (beta(alpha, beta)), but got 3".
  Arguments(const Family& family, std::span<const Argument> values);

  std::size_t size() const noexcept { return values_.size(); }
  /// The name of parameter i as the signature spells it: "alpha", "values".
  std::string_view name(std::size_t i) const;

  /// Argument i, a finite number.
  double number(std::size_t i) const;
  /// Argument i, a number that may also be -inf or inf (truncation bounds), not NaN.
  double bound(std::size_t i) const;
  /// Argument i, a finite number > 0.
  double positive(std::size_t i) const;
  /// Argument i, a list of numbers (not checked further).
  const std::vector<double>& list(std::size_t i) const;
  /// Arguments `low` and `high`, finite numbers with low < high and a finite distance between
  /// them; the complaint goes to `high`: "uniform max is 1, but must be greater than min = 2".
  void check_interval(std::size_t low, std::size_t high) const;
  /// Argument i, a finite number between arguments `low` and `high` (inclusive):
  /// "triangular mode is 5, but must be between min = 0 and max = 3".
  double between(std::size_t i, std::size_t low, std::size_t high) const;

  /// Throws "<family> <name(i)> is <value of i>, but must be <constraint>" for argument i.
  [[noreturn]] void fail(std::size_t i, std::string_view constraint) const;
  /// Throws "<family> <subject>, but must <requirement>" for argument i, where the subject
  /// names a part of it: "discrete weights has 2 entries, but must have as many as values (3)".
  [[noreturn]] void fail(std::size_t i, std::string_view subject,
                         std::string_view requirement) const;

 private:
  const Family& family_;
  std::span<const Argument> values_;
};

/// A number as the shortest decimal that reads back exactly ("0.3", "1e+308", "-inf").
std::string exact(double value);
/// A number computed from other arguments, to 3 significant digits ("0.458").
std::string three_digits(double value);

}  // namespace darkfigure::distributions::detail
