#include "darkfigure/sensitivity/sobol_indices.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <limits>
#include <ostream>
#include <sstream>
#include <stdexcept>
#include <string>

namespace darkfigure::sensitivity {
namespace {

/// Inputs are processed in tiles of this many, whose sums stay in registers along a pass over the
/// draws; the differences of a tile lie together, draw after draw, so the pass reads them in order.
constexpr std::size_t kTile = 4;

/// The model's values rearranged for the estimators: f(A_j) - m, f(B_j) - m and, tile by tile,
/// d_ij = f(A_B^i_j) - f(A_j) for every input i (0 for the inputs that pad the last tile), with m
/// the mean of the 2N values of f(A) and f(B).
///
/// Centring by m matters: Saltelli's first-order estimator mean_j f(B_j) (f(A_B^i_j) - f(A_j)) is
/// invariant to a constant shift c of f only in expectation (the shift adds c mean_j d_ij), and for
/// an output far from 0 the product of uncentred values loses the index to cancellation. The
/// differences d_ij need no centring, since m cancels in them.
class Table {
 public:
  explicit Table(const PickFreeze& values)
      : draw_count_(values.a.size()),
        input_count_(values.ab.size()),
        tile_count_((input_count_ + kTile - 1) / kTile),
        a_(draw_count_),
        b_(draw_count_),
        differences_(tile_count_ * draw_count_ * kTile, 0.0) {
    const std::span<const double> a = values.a;
    const std::span<const double> b = values.b;
    // Two passes: the mean, then the mean of the deviations from it, which removes most of the
    // rounding error of the first.
    double sum = 0.0;
    for (std::size_t j = 0; j < draw_count_; ++j)
      sum += a[j] + b[j];
    const double rough_mean = sum / static_cast<double>(2 * draw_count_);
    double correction = 0.0;
    for (std::size_t j = 0; j < draw_count_; ++j)
      correction += (a[j] - rough_mean) + (b[j] - rough_mean);
    const double mean = rough_mean + correction / static_cast<double>(2 * draw_count_);

    for (std::size_t j = 0; j < draw_count_; ++j) {
      a_[j] = a[j] - mean;
      b_[j] = b[j] - mean;
    }
    for (std::size_t i = 0; i < input_count_; ++i) {
      double* tile = &differences_[i / kTile * draw_count_ * kTile];
      for (std::size_t j = 0; j < draw_count_; ++j)
        tile[j * kTile + i % kTile] = values.ab[i][j] - a[j];
    }
  }

  std::size_t draw_count() const noexcept { return draw_count_; }
  std::size_t input_count() const noexcept { return input_count_; }
  std::size_t tile_count() const noexcept { return tile_count_; }
  double a(std::size_t j) const noexcept { return a_[j]; }
  double b(std::size_t j) const noexcept { return b_[j]; }
  /// d_ij for the inputs of tile t, kTile to a draw.
  const double* tile(std::size_t t) const noexcept {
    return &differences_[t * draw_count_ * kTile];
  }

 private:
  std::size_t draw_count_;
  std::size_t input_count_;
  std::size_t tile_count_;
  std::vector<double> a_;
  std::vector<double> b_;
  std::vector<double> differences_;
};

/// The weighted sums over the draws of a Table from which the indices of one (re)sample follow;
/// the weight of a draw is the number of times the (re)sample holds it.
struct Sums {
  explicit Sums(const Table& table)
      : first(table.tile_count() * kTile),
        total(table.tile_count() * kTile),
        difference(table.tile_count() * kTile) {}

  /// The sums over draws draws[m] with weights weights[m], each in the order of m.
  void accumulate(const Table& table, std::span<const std::uint32_t> draws,
                  std::span<const double> weights) {
    a = b = squares = 0.0;
    for (std::size_t m = 0; m < draws.size(); ++m) {
      const double a_value = table.a(draws[m]);
      const double b_value = table.b(draws[m]);
      a += weights[m] * a_value;
      b += weights[m] * b_value;
      squares += weights[m] * (a_value * a_value + b_value * b_value);
    }
    for (std::size_t t = 0; t < table.tile_count(); ++t) {
      const double* tile = table.tile(t);
      double tile_first[kTile] = {};
      double tile_total[kTile] = {};
      double tile_difference[kTile] = {};
      for (std::size_t m = 0; m < draws.size(); ++m) {
        const double weight = weights[m];
        const double weighted_b = weight * table.b(draws[m]);
        const double* d = tile + std::size_t{draws[m]} * kTile;
        for (std::size_t lane = 0; lane < kTile; ++lane) {
          const double weighted = weight * d[lane];
          tile_first[lane] += weighted_b * d[lane];
          tile_total[lane] += weighted * d[lane];
          tile_difference[lane] += weighted;
        }
      }
      std::copy_n(tile_first, kTile, &first[t * kTile]);
      std::copy_n(tile_total, kTile, &total[t * kTile]);
      std::copy_n(tile_difference, kTile, &difference[t * kTile]);
    }
  }

  double a = 0.0;                  ///< sum of w_j (f(A_j) - m)
  double b = 0.0;                  ///< sum of w_j (f(B_j) - m)
  double squares = 0.0;            ///< sum of w_j ((f(A_j) - m)^2 + (f(B_j) - m)^2)
  std::vector<double> first;       ///< per input, sum of w_j (f(B_j) - m) d_ij
  std::vector<double> total;       ///< per input, sum of w_j d_ij^2
  std::vector<double> difference;  ///< per input, sum of w_j d_ij
};

/// The sample variance (divisor 2N - 1) of the 2N values of f(A) and f(B) behind `sums`.
double variance_of(const Sums& sums, std::size_t draw_count) {
  const auto values = static_cast<double>(2 * draw_count);
  const double shift = (sums.a + sums.b) / values;
  return (sums.squares - values * shift * shift) / (values - 1.0);
}

/// The indices of the inputs from `sums`, centred at the (re)sample's own mean m + shift, so
/// that each resample applies the same estimator as the full sample:
/// first-order, Saltelli et al. (2010) Table 2 (b): V_i = (1/N) sum_j (f(B_j) - m - shift) d_ij;
/// total, Jansen (1999): V_Ti = (1/(2N)) sum_j d_ij^2;
/// both over the variance. Saltelli A. et al. 2010, Comput. Phys. Commun. 181:259-270;
/// Jansen M.J.W. 1999, Comput. Phys. Commun. 117:35-43.
void indices_of(const Sums& sums, std::size_t draw_count, double variance, std::span<double> first,
                std::span<double> total) {
  const auto n = static_cast<double>(draw_count);
  const double shift = (sums.a + sums.b) / (2.0 * n);
  for (std::size_t i = 0; i < first.size(); ++i) {
    first[i] = (sums.first[i] - shift * sums.difference[i]) / n / variance;
    total[i] = sums.total[i] / (2.0 * n) / variance;
  }
}

/// The quantile of `sorted` (ascending, not empty) at probability p by linear interpolation
/// between order statistics, x[floor(h)] + (h - floor(h)) (x[floor(h) + 1] - x[floor(h)]) with
/// h = (n - 1) p: type 7 of Hyndman and Fan (1996), the default of R and NumPy.
double quantile(std::span<const double> sorted, double p) {
  const double h = static_cast<double>(sorted.size() - 1) * p;
  const auto below = static_cast<std::size_t>(std::floor(h));
  if (below + 1 >= sorted.size()) return sorted.back();
  return sorted[below] + (h - static_cast<double>(below)) * (sorted[below + 1] - sorted[below]);
}

/// The percentile interval of `values` at `level`, ignoring NaN; NaN bounds if all are NaN.
Interval percentile_interval(std::vector<double>& values, double level) {
  const auto end =
      std::remove_if(values.begin(), values.end(), [](double v) { return std::isnan(v); });
  values.erase(end, values.end());
  if (values.empty()) return {std::nan(""), std::nan("")};
  std::sort(values.begin(), values.end());
  return {quantile(values, (1.0 - level) / 2.0), quantile(values, (1.0 + level) / 2.0)};
}

/// Checks the contract of sobol_indices before any work is done.
void check_arguments(const PickFreeze& values, const Bootstrap& bootstrap) {
  const std::size_t n = values.a.size();
  const auto fail = [](const auto&... parts) {
    std::ostringstream message;
    message << "sobol_indices: ";
    (message << ... << parts);
    throw std::invalid_argument(message.str());
  };
  if (values.b.size() != n)
    fail("f(B) has ", values.b.size(), " values, but must have ", n, " as f(A) does");
  for (std::size_t i = 0; i < values.ab.size(); ++i) {
    if (values.ab[i].size() != n)
      fail("f(A_B^", i, ") has ", values.ab[i].size(), " values, but must have ", n,
           " as f(A) does");
  }
  if (n < 2) fail("the base sample size is ", n, ", but must be at least 2");
  if (n > std::numeric_limits<std::uint32_t>::max())
    fail("the base sample size is ", n, ", but must be below 2^32");
  if (bootstrap.resamples < 1) fail("the bootstrap resamples are 0, but must be at least 1");
  if (!(bootstrap.level > 0.0 && bootstrap.level < 1.0))
    fail("the bootstrap level is ", bootstrap.level, ", but must be in (0, 1)");

  const auto check_finite = [&](std::span<const double> column, const std::string& name) {
    const auto bad =
        std::find_if(column.begin(), column.end(), [](double v) { return !std::isfinite(v); });
    if (bad != column.end())
      fail(name, " value ", bad - column.begin(), " is ", *bad, ", but must be finite");
  };
  check_finite(values.a, "f(A)");
  check_finite(values.b, "f(B)");
  for (std::size_t i = 0; i < values.ab.size(); ++i)
    check_finite(values.ab[i], "f(A_B^" + std::to_string(i) + ")");
  if (std::adjacent_find(values.a.begin(), values.a.end(), std::not_equal_to<>()) ==
          values.a.end() &&
      std::all_of(values.b.begin(), values.b.end(), [&](double v) { return v == values.a[0]; }))
    fail("the output is ", values.a[0], " at every draw of A and B, but must vary");
}

/// `value` with about three significant digits, as messages show numbers.
std::string short_number(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.3g", value);
  return buffer;
}

/// Writes "the <kind> index is <value> with its bootstrap interval [<lower>, <upper>]".
void describe(std::ostream& out, const char* kind, double value, const Interval& interval) {
  out << "the " << kind << " index is " << short_number(value) << " with its bootstrap interval ["
      << short_number(interval.lower) << ", " << short_number(interval.upper) << "]";
}

constexpr const char* kRemedy =
    ": the indices are too noisy to rank the inputs; raise the base sample (--draws)";

}  // namespace

SobolIndices sobol_indices(const PickFreeze& values, const Bootstrap& bootstrap) {
  check_arguments(values, bootstrap);
  const Table table(values);
  const std::size_t n = table.draw_count();
  const std::size_t k = table.input_count();

  std::vector<std::uint32_t> draws(n);  // below 2^32, as checked
  std::vector<double> weights(n, 1.0);
  for (std::size_t j = 0; j < n; ++j)
    draws[j] = static_cast<std::uint32_t>(j);
  Sums sums(table);
  sums.accumulate(table, draws, weights);
  SobolIndices result;
  result.variance = variance_of(sums, n);
  result.inputs.resize(k);
  std::vector<double> first(k);
  std::vector<double> total(k);
  indices_of(sums, n, result.variance, first, total);
  for (std::size_t i = 0; i < k; ++i) {
    result.inputs[i].first = first[i];
    result.inputs[i].total = total[i];
  }

  // A resample is summarised by the draws it holds, in ascending order, and how many times it
  // holds each: its sums are then passes over the table in order, and skip the draws it misses
  // (a share of (1 - 1/N)^N, about 37%). Nothing is allocated inside the loop.
  const std::size_t resamples = bootstrap.resamples;
  std::vector<double> resampled_first(resamples * k);
  std::vector<double> resampled_total(resamples * k);
  std::vector<std::uint32_t> counts(n);
  for (std::uint32_t r = 0; r < bootstrap.resamples; ++r) {
    random::Stream stream(
        random::StreamKey{bootstrap.key.seed, bootstrap.key.scenario, r, bootstrap.key.input});
    std::fill(counts.begin(), counts.end(), 0u);
    for (std::size_t j = 0; j < n; ++j) {
      const auto drawn = static_cast<std::size_t>(stream.uniform() * static_cast<double>(n));
      ++counts[std::min(drawn, n - 1)];
    }
    std::size_t held = 0;
    for (std::size_t j = 0; j < n; ++j) {
      draws[held] = static_cast<std::uint32_t>(j);
      weights[held] = counts[j];
      held += counts[j] != 0;
    }
    sums.accumulate(table, std::span(draws).first(held), std::span(weights).first(held));
    const double variance = variance_of(sums, n);
    const std::span<double> first_out(&resampled_first[r * k], k);
    const std::span<double> total_out(&resampled_total[r * k], k);
    // A resample of few distinct draws can have an output that does not vary; its indices are
    // undefined and left out of the quantiles.
    if (variance > 0.0) {
      indices_of(sums, n, variance, first_out, total_out);
    } else {
      std::fill(first_out.begin(), first_out.end(), std::nan(""));
      std::fill(total_out.begin(), total_out.end(), std::nan(""));
    }
  }

  std::vector<double> column;
  for (std::size_t i = 0; i < k; ++i) {
    column.resize(resamples);
    for (std::size_t r = 0; r < resamples; ++r)
      column[r] = resampled_first[r * k + i];
    result.inputs[i].first_ci = percentile_interval(column, bootstrap.level);
    column.resize(resamples);
    for (std::size_t r = 0; r < resamples; ++r)
      column[r] = resampled_total[r * k + i];
    result.inputs[i].total_ci = percentile_interval(column, bootstrap.level);
  }
  return result;
}

std::vector<std::string> sobol_warnings(const SobolIndices& indices,
                                        std::span<const std::string> names) {
  if (names.size() != indices.inputs.size()) {
    std::ostringstream message;
    message << "sobol_warnings: there are " << names.size() << " names, but must be "
            << indices.inputs.size() << ", one per input";
    throw std::invalid_argument(message.str());
  }
  std::vector<std::string> warnings;
  for (std::size_t i = 0; i < names.size(); ++i) {
    const std::size_t before = warnings.size();
    const SobolIndex& index = indices.inputs[i];
    if (index.first_ci.upper < 0.0) {
      std::ostringstream sentence;
      sentence << names[i] << ": ";
      describe(sentence, "first-order", index.first, index.first_ci);
      sentence << " wholly below 0" << kRemedy;
      warnings.push_back(sentence.str());
    }
    if (index.total_ci.lower > 1.0) {
      std::ostringstream sentence;
      sentence << names[i] << ": ";
      describe(sentence, "total", index.total, index.total_ci);
      sentence << " wholly above 1" << kRemedy;
      warnings.push_back(sentence.str());
    }
    if (index.first_ci.lower > index.total_ci.upper) {
      std::ostringstream sentence;
      sentence << names[i] << ": ";
      describe(sentence, "first-order", index.first, index.first_ci);
      sentence << " wholly above that of the total index, " << short_number(index.total) << " ["
               << short_number(index.total_ci.lower) << ", " << short_number(index.total_ci.upper)
               << "]" << kRemedy;
      warnings.push_back(sentence.str());
    }
    // A wide interval matters only for an input the checks above have not already flagged.
    const double first_width = index.first_ci.upper - index.first_ci.lower;
    const double total_width = index.total_ci.upper - index.total_ci.lower;
    if (warnings.size() == before && std::max(first_width, total_width) > kWideInterval) {
      const bool first = first_width >= total_width;
      std::ostringstream sentence;
      sentence << names[i] << ": ";
      describe(sentence, first ? "first-order" : "total", first ? index.first : index.total,
               first ? index.first_ci : index.total_ci);
      sentence << ", wider than " << kWideInterval << kRemedy;
      warnings.push_back(sentence.str());
    }
  }
  return warnings;
}

}  // namespace darkfigure::sensitivity
