#include "distributions/arguments.hpp"

#include <cmath>
#include <cstdio>
#include <limits>

#include "darkfigure/core/text.hpp"

namespace darkfigure::distributions::detail {

std::string exact(double value) {
  return core::shortest_decimal(value);
}

std::string three_digits(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.3g", value);
  return buffer;
}

Arguments::Arguments(const Family& family, std::span<const Argument> values)
    : family_(family), values_(values) {
  if (values.size() < family.min_arity || values.size() > family.max_arity) {
    throw ParameterError(std::string(family.name) + " takes " + arity_text(family) + " (" +
                         std::string(family.signature) + "), but got " +
                         std::to_string(values.size()));
  }
}

std::string_view Arguments::name(std::size_t i) const {
  // The signature is "name(first, second, ...)", lists in brackets: "discrete([values], ...)".
  std::string_view rest = family_.signature.substr(family_.signature.find('(') + 1);
  for (std::size_t k = 0; k < i; ++k)
    rest.remove_prefix(rest.find(',') + 1);
  rest = rest.substr(0, rest.find_first_of(",)"));
  const std::size_t first = rest.find_first_not_of(" [");
  return rest.substr(first, rest.find_last_not_of(" ]") + 1 - first);
}

double Arguments::number(std::size_t i) const {
  const double value = bound(i);
  if (!std::isfinite(value)) fail(i, "finite");
  return value;
}

double Arguments::bound(std::size_t i) const {
  const double* value = std::get_if<double>(&values_[i]);
  if (value == nullptr || std::isnan(*value)) fail(i, "a number");
  return *value;
}

double Arguments::positive(std::size_t i) const {
  const double value = number(i);
  if (!(value > 0.0)) fail(i, "positive");
  // A subnormal scale or shape overflows in its reciprocal (1 / 1e-310 is inf) and turns the
  // samplers' arithmetic into inf - inf = NaN.
  if (value < std::numeric_limits<double>::min()) fail(i, "at least 2.2e-308 (a normal double)");
  return value;
}

const std::vector<double>& Arguments::list(std::size_t i) const {
  const auto* list = std::get_if<std::vector<double>>(&values_[i]);
  if (list == nullptr) fail(i, "a list of numbers such as [1, 2, 3]");
  return *list;
}

void Arguments::check_interval(std::size_t low, std::size_t high) const {
  const double low_value = number(low);
  const double high_value = number(high);
  const std::string low_text = std::string(name(low)) + " = " + exact(low_value);
  if (!(high_value > low_value)) fail(high, "greater than " + low_text);
  if (!std::isfinite(high_value - low_value)) {
    fail(high, "within the largest double (1.8e+308) of " + low_text);
  }
}

double Arguments::between(std::size_t i, std::size_t low, std::size_t high) const {
  const double value = number(i);
  const double low_value = number(low);
  const double high_value = number(high);
  if (!(value >= low_value && value <= high_value)) {
    fail(i, "between " + std::string(name(low)) + " = " + exact(low_value) + " and " +
                std::string(name(high)) + " = " + exact(high_value));
  }
  return value;
}

void Arguments::fail(std::size_t i, std::string_view constraint) const {
  const double* value = std::get_if<double>(&values_[i]);
  fail(i, std::string(name(i)) + " is " + (value != nullptr ? exact(*value) : "a list"),
       "be " + std::string(constraint));
}

void Arguments::fail(std::size_t i, std::string_view subject, std::string_view requirement) const {
  throw ParameterError(std::string(family_.name) + ' ' + std::string(subject) + ", but must " +
                           std::string(requirement),
                       i);
}

}  // namespace darkfigure::distributions::detail
