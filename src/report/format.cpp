#include <unistd.h>
#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <system_error>
#include <vector>

#include "darkfigure/core/text.hpp"
#include "darkfigure/report/number_format.hpp"
#include "darkfigure/report/writer.hpp"
#include "writers.hpp"

namespace darkfigure::report {
namespace {

std::string with_thousands_separators(std::string_view digits) {
  const std::size_t sign = !digits.empty() && digits[0] == '-' ? 1 : 0;
  const std::size_t point = std::min(digits.find('.'), digits.size());
  std::string grouped(digits.substr(0, sign));
  for (std::size_t i = sign; i < point; ++i) {
    if (i > sign && (point - i) % 3 == 0) grouped += ',';
    grouped += digits[i];
  }
  grouped += digits.substr(point);
  return grouped;
}

std::string printf_string(const char* format, int precision, double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, format, precision, value);
  return buffer;
}

}  // namespace

std::string display_number(double value, int significant) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  if (value == 0.0) return "0";
  // Round to the significant digits first: 999.96 becomes 1000, whose exponent is one more.
  const double rounded = detail::round_significant(value, significant);
  const double magnitude = std::abs(rounded);
  if (magnitude >= 1e15 || magnitude < 1e-6) return printf_string("%.*e", significant - 1, value);
  const int exponent = static_cast<int>(std::floor(std::log10(magnitude)));
  const int decimals = significant - 1 - exponent;
  if (decimals > 0) return with_thousands_separators(printf_string("%.*f", decimals, value));
  const double unit = std::pow(10.0, -decimals);
  return with_thousands_separators(printf_string("%.*f", 0, std::round(rounded / unit) * unit));
}

std::string display_count(std::uint64_t count) {
  return with_thousands_separators(std::to_string(count));
}

std::string display_people(double count) {
  if (!std::isfinite(count) || count < 0.0) return display_number(count);
  return display_count(static_cast<std::uint64_t>(std::llround(count)));
}

std::string display_percent(double share, int significant) {
  return display_number(share * 100.0, significant) + "%";
}

std::string display_bytes(std::uint64_t bytes) {
  static constexpr const char* kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  auto value = static_cast<double>(bytes);
  std::size_t unit = 0;
  while (value >= 1024.0 && unit + 1 < std::size(kUnits)) {
    value /= 1024.0;
    ++unit;
  }
  return display_number(value, 3) + " " + kUnits[unit];
}

std::optional<Format> parse_format(std::string_view name) {
  if (name == "table") return Format::Table;
  if (name == "csv") return Format::Csv;
  if (name == "md") return Format::Markdown;
  if (name == "json") return Format::Json;
  if (name == "latex") return Format::Latex;
  return std::nullopt;
}

std::string_view file_extension(Format format) {
  switch (format) {
    case Format::Table:
      return "txt";
    case Format::Csv:
      return "csv";
    case Format::Markdown:
      return "md";
    case Format::Json:
      return "json";
    case Format::Latex:
      return "tex";
  }
  return "txt";
}

std::string render(Format format, std::span<const ScenarioResult> results,
                   const Provenance& provenance) {
  switch (format) {
    case Format::Table:
      return detail::write_table(results);
    case Format::Csv:
      return detail::write_csv(results);
    case Format::Markdown:
      return detail::write_markdown(results);
    case Format::Json:
      return detail::write_json(results, provenance);
    case Format::Latex:
      return detail::write_latex(results, provenance);
  }
  return {};
}

void write_files_atomically(std::span<const OutputFile> files) {
  std::vector<std::filesystem::path> temporaries;
  const auto remove_temporaries = [&] {
    std::error_code ignored;
    for (const auto& temporary : temporaries)
      std::filesystem::remove(temporary, ignored);
  };
  try {
    for (const auto& file : files) {
      auto temporary = file.path;
      temporary += ".tmp-" + std::to_string(::getpid());
      temporaries.push_back(temporary);
      std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
      out.write(file.content.data(), static_cast<std::streamsize>(file.content.size()));
      out.flush();
      if (!out) {
        throw std::filesystem::filesystem_error("cannot write", temporary,
                                                std::make_error_code(std::errc::io_error));
      }
    }
    // Renames fail on a destination that is a directory: find that before replacing anything.
    for (const auto& file : files) {
      if (std::filesystem::is_directory(file.path)) {
        throw std::filesystem::filesystem_error("cannot replace", file.path,
                                                std::make_error_code(std::errc::is_a_directory));
      }
    }
    for (std::size_t i = 0; i < files.size(); ++i) {
      std::filesystem::rename(temporaries[i], files[i].path);
    }
  } catch (...) {
    remove_temporaries();
    throw;
  }
}

std::string display_point(const std::vector<std::pair<std::string, double>>& point) {
  std::string label;
  for (const auto& [name, value] : point)
    label += (label.empty() ? "" : ", ") + name + " = " + core::shortest_decimal(value);
  return label;
}

std::string display_result(const std::string& scenario,
                           const std::vector<std::pair<std::string, double>>& point) {
  return point.empty() ? scenario : scenario + " (" + display_point(point) + ")";
}

namespace detail {

double round_significant(double value, int significant) {
  return std::stod(printf_string("%.*e", significant - 1, value));
}

Headline headline(const summary::Summary& summary) {
  Headline result{summary.mean, std::nullopt, std::nullopt, {}};
  const auto& levels = summary.levels;
  for (std::size_t i = 0; i < levels.size(); ++i) {
    if (levels[i] == 0.5) result.estimate = summary.quantiles[i];
  }
  if (levels.size() >= 2 && levels.front() < 0.5 && levels.back() > 0.5) {
    result.low = summary.quantiles.front();
    result.high = summary.quantiles.back();
    result.label = level_label(levels.back() - levels.front()) + " UI";
  }
  return result;
}

std::string display_headline(const OutputResult& output) {
  if (output.summary.count == 0) return "no finite draws";
  if (output.indicator) return "P = " + display_percent(output.summary.mean);
  const Headline h = headline(output.summary);
  std::string text = display_number(h.estimate);
  if (h.low && h.high) {
    // A hyphen reads well between positive bounds and is ambiguous before a minus sign.
    const char* between = *h.low < 0 || *h.high < 0 ? " to " : "-";
    text += " (" + display_number(*h.low) + between + display_number(*h.high) + ")";
  }
  return text;
}

std::string level_label(double level) {
  return core::shortest_decimal(std::round(level * 100.0 * 1e9) / 1e9) + "%";
}

std::string non_finite_note(const OutputResult& output, std::uint64_t draws) {
  if (output.summary.non_finite == 0) return {};
  std::string note = output.name + ": " + display_count(output.summary.non_finite) + " of " +
                     display_count(draws) +
                     " draws were NaN or infinite and are excluded from its summary";
  if (const auto& first = output.first_non_finite) {
    note += "; the first (draw " + display_count(first->draw + 1) + " counting from 1, value " +
            display_number(first->value) + ") had";
    for (std::size_t i = 0; i < first->inputs.size(); ++i) {
      note += (i == 0 ? " " : ", ") + first->inputs[i].first + " = " +
              core::shortest_decimal(first->inputs[i].second);
    }
  }
  return note;
}

std::string binned_note(const ScenarioResult& result) {
  if (!result.settings.binned) return {};
  double relative = 0.0;
  double absolute = 0.0;
  for (const auto& output : result.outputs) {
    const auto& s = output.summary;
    for (std::size_t i = 0; i < s.quantiles.size(); ++i) {
      if (!std::isfinite(s.quantile_error[i])) continue;
      if (s.quantiles[i] != 0.0) {
        relative = std::max(relative, s.quantile_error[i] / std::abs(s.quantiles[i]));
      } else {
        absolute = std::max(absolute, s.quantile_error[i]);
      }
    }
  }
  std::string note = "quantiles come from histograms of the draws, as storing them would exceed " +
                     display_bytes(result.settings.memory_budget) + " (--memory); ";
  if (relative == 0.0 && absolute == 0.0) return note + "here every one is exact";
  note += "each lies within " + display_percent(relative, 2) + " of the exact sample quantile";
  if (absolute > 0.0) note += " (within " + display_number(absolute) + " where it is 0)";
  return note;
}

std::string design_note(const ScenarioResult& result) {
  const Settings& settings = result.settings;
  if (settings.replicates == 0) return {};
  const std::string design = settings.design == "lhs"     ? "Latin hypercube"
                             : settings.design == "sobol" ? "Sobol"
                                                          : settings.design;
  const std::uint64_t smallest = settings.draws / settings.replicates;
  const std::uint64_t largest = smallest + (settings.draws % settings.replicates != 0);
  const std::string size = smallest == largest
                               ? display_count(smallest)
                               : display_count(smallest) + " or " + display_count(largest);
  std::string note =
      design + " design: mcse is the spread of " + std::to_string(settings.replicates) +
      " independently randomised replicates of " + size + " draws each, not the i.i.d. formula";
  // Scrambled Sobol points converge fastest in whole nets of 2^m points.
  if (settings.design == "sobol" && (smallest != largest || std::popcount(smallest) != 1)) {
    const std::uint64_t net = std::bit_ceil(std::max<std::uint64_t>(smallest, 1));
    note += "; a power of two per replicate makes each a complete net (e.g. draws = " +
            std::to_string(settings.replicates) + " x " + display_count(net) + ")";
  }
  return note;
}

std::string conditioning_line(const ScenarioResult& result) {
  if (!result.conditioning) return {};
  const Conditioning& c = *result.conditioning;
  const auto plural = [](std::size_t n, const char* word) {
    return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
  };
  std::string on;
  if (!c.observations.empty()) on = plural(c.observations.size(), "observation");
  if (!c.priors.empty()) on += (on.empty() ? "" : " and ") + plural(c.priors.size(), "prior");
  const double draws = static_cast<double>(result.settings.draws);
  std::string line = "conditioned on " + on + ": effective sample size " +
                     display_count(static_cast<std::uint64_t>(c.ess)) + " of " +
                     display_count(result.settings.draws) + " draws (" +
                     display_percent(c.ess / draws, 2) + "); the largest weight is " +
                     display_percent(c.max_weight_share, 2) + " of their sum";
  if (c.rounds > 1) {
    line += "; " + std::to_string(c.rounds) + " rounds of draws to reach min_ess " +
            display_count(static_cast<std::uint64_t>(std::ceil(*c.min_ess)));
  }
  return line;
}

namespace {

/// An observed value as written: a count with separators, a share or measurement as its shortest
/// decimal.
std::string observed_value(double value) {
  if (value == std::floor(value) && std::abs(value) < 1e15) {
    const std::string digits = display_count(static_cast<std::uint64_t>(std::abs(value)));
    return value < 0 ? "-" + digits : digits;
  }
  return core::shortest_decimal(value);
}

}  // namespace

std::vector<std::vector<std::string>> observation_rows(const Conditioning& conditioning) {
  std::vector<std::vector<std::string>> rows = {
      {"observation", "value", "likelihood", "ESS alone", "prior predictive P", "tail P"}};
  for (const auto& o : conditioning.observations) {
    std::string value;
    if (o.values.size() <= 3) {
      for (std::size_t i = 0; i < o.values.size(); ++i)
        value += (i == 0 ? "" : ", ") + observed_value(o.values[i]);
    } else {
      value = std::to_string(o.values.size()) + " values";
    }
    // With several values, the one in the farthest tail.
    double cdf = o.predictive_cdf.empty() ? std::nan("") : o.predictive_cdf.front();
    for (const double f : o.predictive_cdf) {
      if (std::min(f, 1.0 - f) < std::min(cdf, 1.0 - cdf)) cdf = f;
    }
    rows.push_back(
        {o.name, value, o.likelihood, display_count(static_cast<std::uint64_t>(o.ess)),
         display_number(cdf, 3),
         display_number(o.tail_probability, 2) + (o.tail_probability < 0.05 ? " (conflict)" : "")});
  }
  return rows;
}

std::vector<std::string> prior_lines(const Conditioning& conditioning) {
  std::vector<std::string> lines;
  for (const auto& p : conditioning.priors) {
    std::string line = "prior on " + p.on + ": " + p.dist + " pooled with the model's induced " +
                       "prior, pooling " + core::shortest_decimal(p.pooling) + " (the induced " +
                       "density ";
    line += p.density == "exact" ? "is the input's own distribution"
                                 : "by a Gaussian kernel, bandwidth " + display_number(p.bandwidth);
    line += "); effective sample size alone " + display_count(static_cast<std::uint64_t>(p.ess));
    lines.push_back(std::move(line));
  }
  return lines;
}

std::string resampling_line(const Conditioning& conditioning) {
  if (!conditioning.resampling) return {};
  const Resampling& r = *conditioning.resampling;
  return "summaries from " + display_count(r.draws) + " equally weighted draws resampled (" +
         r.method + "), " + display_count(r.unique) + " of them distinct";
}

}  // namespace detail
}  // namespace darkfigure::report
