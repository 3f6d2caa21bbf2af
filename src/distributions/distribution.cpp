#include "darkfigure/distributions/distribution.hpp"

#include <utility>

#include "darkfigure/core/text.hpp"
#include "distributions/arguments.hpp"
#include "distributions/catalogue.hpp"

namespace darkfigure::distributions {

ParameterError::ParameterError(std::string message, std::size_t argument, std::string hint)
    : std::runtime_error(std::move(message)), argument_(argument), hint_(std::move(hint)) {}

Distribution::Distribution(const Family& family, std::vector<Argument> arguments,
                           detail::Parameters parameters)
    : family_(&family), arguments_(std::move(arguments)), parameters_(std::move(parameters)) {}

Distribution Distribution::make(std::string_view family, std::span<const Argument> arguments) {
  const detail::CatalogueEntry* entry = detail::find_entry(family);
  if (entry == nullptr) {
    std::vector<std::string> names;
    for (const Family& known : families())
      names.emplace_back(known.name);
    const auto nearest = core::nearest_spelling(family, names);
    throw ParameterError("unknown distribution \"" + std::string(family) + "\"",
                         ParameterError::kWholeCall,
                         nearest ? "did you mean " + *nearest + "?" : std::string{});
  }
  detail::Parameters parameters = entry->make(detail::Arguments(entry->family, arguments));
  return Distribution(entry->family, {arguments.begin(), arguments.end()}, std::move(parameters));
}

void Distribution::fill(random::Stream& stream, std::span<double> out) const {
  std::visit([&](const auto& d) { d.fill(stream, out); }, parameters_);
}

double Distribution::sample(random::Stream& stream) const {
  return std::visit([&](const auto& d) { return d.sample(stream); }, parameters_);
}

double Distribution::quantile(double p) const {
  return std::visit([&](const auto& d) { return d.quantile(p); }, parameters_);
}

double Distribution::cdf(double x) const {
  return std::visit([&](const auto& d) { return d.cdf(x); }, parameters_);
}

double Distribution::log_pdf(double x) const {
  return std::visit([&](const auto& d) { return d.log_pdf(x); }, parameters_);
}

double Distribution::mean() const {
  return std::visit([](const auto& d) { return d.mean(); }, parameters_);
}

double Distribution::variance() const {
  return std::visit([](const auto& d) { return d.variance(); }, parameters_);
}

bool Distribution::is_discrete() const {
  return family_->discrete;
}

std::string_view Distribution::family() const {
  return family_->name;
}

std::string Distribution::describe() const {
  std::string text(family_->name);
  text += '(';
  for (std::size_t i = 0; i < arguments_.size(); ++i) {
    if (i > 0) text += ", ";
    if (const double* number = std::get_if<double>(&arguments_[i])) {
      text += core::shortest_decimal(*number);
      continue;
    }
    text += '[';
    const auto& list = std::get<std::vector<double>>(arguments_[i]);
    for (std::size_t k = 0; k < list.size(); ++k) {
      if (k > 0) text += ", ";
      text += core::shortest_decimal(list[k]);
    }
    text += ']';
  }
  return text + ')';
}

}  // namespace darkfigure::distributions
