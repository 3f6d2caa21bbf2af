#include "darkfigure/distributions/inverse_cdf.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <numeric>
#include <string_view>
#include <utility>
#include <vector>

namespace darkfigure::distributions {
namespace {

constexpr double kInfinity = std::numeric_limits<double>::infinity();

/// The tails left to the exact quantile: u below kTail or above 1 - kTail, one draw in 5e9. The
/// cut of UNU.RAN's HINV, as the far tails would need many pieces for almost no draws.
constexpr double kTail = 1e-10;
/// The most cdf and quantile evaluations while building, about four per piece (a knot and three
/// checks): bounds the build time and the table's size. Shapes that need more get no table
/// (gamma(0.001, 5), whose values above u = 0.5 span 10^-300 up to 10).
constexpr std::size_t kMaxEvaluations = std::size_t{1} << 16;
/// The most pieces left exact because splitting stopped reducing their error: beyond it the cdf's
/// rounding defeats the tolerance across the board (Boost.Math's gamma(1e8, 1)) and the table is
/// dropped for quantile() rather than built at the full budget.
constexpr int kMaxStalls = 64;
/// How often a piece of the starting partition is split at most; one that still misses the
/// tolerance then is left exact. Each split shortens a piece by at least an eighth in probability,
/// and mostly by half.
constexpr int kMaxDepth = 60;
/// The u-error a piece must keep to at its check points: a margin below kUError for the cdf's
/// rounding and for the error between the check points.
constexpr double kCheckError = 0.75 * InverseCdf::kUError;
/// The largest u-error a piece may miss by for the cdf's own rounding to be blamed when splitting
/// stops reducing it.
constexpr double kRoundingError = 1e-9;
/// The widest piece in probability: wider ones are split without checking, since a cubic over a
/// wide stretch could pass at its check points by chance (HINV_MAX_U_LENGTH in UNU.RAN).
constexpr double kMaxWidth = 0.05;
/// The most counts of a discrete table (the cdf is evaluated at each while building).
constexpr double kMaxCounts = 65536.0;
/// 2^53: above it neighbouring counts are not all doubles.
constexpr double kLargestCount = 9007199254740992.0;

double below(double x) {
  return std::nextafter(x, -kInfinity);
}
double above(double x) {
  return std::nextafter(x, kInfinity);
}

enum class Method { kQuantile, kHermite, kCounts };

/// Which families pay for a table: those whose Boost.Math quantile takes microseconds.
Method method_of(std::string_view family) {
  for (const std::string_view slow : {"beta", "beta_mean_sd", "pert", "gamma"}) {
    if (family == slow) return Method::kHermite;
  }
  for (const std::string_view slow : {"poisson", "binomial", "negbinomial"}) {
    if (family == slow) return Method::kCounts;
  }
  return Method::kQuantile;
}

/// A guide table over ascending levels l_0 <= ... <= l_n with l_0 < l_n (Chen and Asau 1974,
/// "On generating random variates from an empirical distribution", AIIE Transactions 6(2)): the
/// smallest k with l_k >= u, for u in (l_0, l_n], in a multiplication and a short walk.
class GuideTable {
 public:
  explicit GuideTable(std::vector<double> levels)
      : levels_(std::move(levels)),
        last_(levels_.size() - 1),
        scale_(static_cast<double>(last_) / (levels_.back() - levels_.front())),
        start_(last_ + 1) {
    // start_[j] is the smallest k whose level falls in bucket j or later. As bucket() is monotone,
    // every u of bucket j has its answer at or after start_[j], even where the product rounds.
    std::size_t k = 0;
    for (std::size_t j = 0; j <= last_; ++j) {
      while (k < last_ && bucket(levels_[k]) < j)
        ++k;
      start_[j] = static_cast<std::uint32_t>(k);
    }
  }

  /// Whether u lies in (l_0, l_n] and below 1, where 1 is quantile()'s upper end of the support.
  bool covers(double u) const { return u > levels_.front() && u <= levels_.back() && u < 1.0; }

  /// The smallest k with l_k >= u, for u in (l_0, l_n]: at least 1.
  std::size_t reaching(double u) const {
    std::size_t k = start_[bucket(u)];
    while (levels_[k] < u)
      ++k;
    return k;
  }

  double level(std::size_t k) const { return levels_[k]; }

 private:
  std::size_t bucket(double u) const {
    return std::min(static_cast<std::size_t>((u - levels_.front()) * scale_), last_);
  }

  std::vector<double> levels_;
  std::size_t last_;
  double scale_;
  std::vector<std::uint32_t> start_;
};

/// A point of the cdf: x, u = F(x) and the density f(x).
struct Knot {
  double x;
  double u;
  double density;
};

/// The inverse cdf on (u_k, u_k+1] as x(t) = a + t (b + t (c + t d)), t = (u - u_k) / (u_k+1 -
/// u_k).
struct Piece {
  double inverse_width;  ///< 1 / (u_k+1 - u_k)
  double a;              ///< x_k
  double b;
  double c;
  double d;
  double end;  ///< x_k+1: with a, the bounds a value is clamped into
  bool exact;  ///< the cubic misses the tolerance here: quantile() instead
};

/// Hermite's cubic through (u_k, x_k) and (u_k+1, x_k+1) with the slopes 1 / f of the inverse cdf
/// (Hormann and Leydold 2003). Slopes within [0, 3 (x_k+1 - x_k)] keep it monotone
/// (Fritsch and Carlson 1980, as HINV checks); outside, or where f is 0, the chord is used, and the
/// error check decides whether it is close enough.
Piece fit(const Knot& left, const Knot& right) {
  const double dx = right.x - left.x;
  const double du = right.u - left.u;
  double m0 = du / left.density;
  double m1 = du / right.density;
  if (!(m0 >= 0.0 && m0 <= 3.0 * dx && m1 >= 0.0 && m1 <= 3.0 * dx)) {
    m0 = dx;
    m1 = dx;
  }
  return {1.0 / du, left.x, m0, 3.0 * dx - 2.0 * m0 - m1, m0 + m1 - 2.0 * dx, right.x, false};
}

/// The piece's value at u in (u_k, u_k+1], given u - u_k: within [x_k, x_k+1] whatever the
/// rounding, so the pieces together stay monotone and inside the support.
double evaluate(const Piece& piece, double offset) {
  const double t = offset * piece.inverse_width;
  const double x = piece.a + t * (piece.b + t * (piece.c + t * piece.d));
  return std::clamp(x, piece.a, piece.end);
}

/// Builds the cubic table of a continuous distribution by HINV's adaptive splitting.
class HermiteBuilder {
 public:
  explicit HermiteBuilder(const Distribution& distribution)
      : distribution_(distribution),
        lower_(distribution.quantile(0.0)),
        upper_(distribution.quantile(1.0)) {}

  /// The levels u_0 < ... < u_n and the n pieces between them; no pieces if the quantiles do not
  /// give two distinct points of the cdf, or past the budget or the stalls allowed.
  std::pair<std::vector<double>, std::vector<Piece>> build() {
    const std::vector<Knot> start = starting_knots();
    if (start.size() < 2) return {};
    std::vector<Interval> pending;
    for (std::size_t k = start.size() - 1; k-- > 0;)
      pending.push_back({start[k], start[k + 1], 0, kInfinity, kInfinity});
    std::vector<double> levels{start.front().u};
    std::vector<Piece> pieces;
    int stalls = 0;
    // Depth first, left half first: the pieces come out in ascending order.
    while (!pending.empty()) {
      if (evaluations_ > kMaxEvaluations || stalls > kMaxStalls) return {};
      const Interval interval = pending.back();
      pending.pop_back();
      Piece piece = fit(interval.left, interval.right);
      const Check check = check_piece(piece, interval.left, interval.right);
      if (!check.passed && stalled(interval, check)) {
        ++stalls;
      } else if (!check.passed && interval.depth < kMaxDepth) {
        const Knot middle = split_knot(interval, check);
        // A cdf that falls somewhere within its rounding cannot be split consistently there.
        if (middle.x > interval.left.x && middle.x < interval.right.x &&
            middle.u >= interval.left.u && middle.u <= interval.right.u) {
          pending.push_back(
              {middle, interval.right, interval.depth + 1, check.error, interval.parent_error});
          pending.push_back(
              {interval.left, middle, interval.depth + 1, check.error, interval.parent_error});
          continue;
        }
      }
      piece.exact = !check.passed || !std::isfinite(piece.inverse_width);
      levels.push_back(interval.right.u);
      pieces.push_back(piece);
    }
    return {std::move(levels), std::move(pieces)};
  }

 private:
  /// A stretch of the cdf between two knots, with the u-errors its parent and grandparent missed
  /// by (infinite for the starting stretches and for those split unchecked).
  struct Interval {
    Knot left;
    Knot right;
    int depth;
    double parent_error;
    double grandparent_error;
  };

  struct Check {
    bool passed;
    double error;     ///< the u-error where the piece missed; infinite if split unchecked
    double x_middle;  ///< the value at t = 1/2 and its cdf, if the piece missed there; else NaN
    double u_middle;
  };

  /// The distribution's cdf and quantile, counted against the budget.
  double cdf(double x) const {
    ++evaluations_;
    return distribution_.cdf(x);
  }
  double quantile(double u) const {
    ++evaluations_;
    return distribution_.quantile(u);
  }
  Knot knot(double x) const { return {x, cdf(x), std::exp(distribution_.log_pdf(x))}; }

  /// Knots at quantiles from 1e-10 to 1 - 1e-10, a few per decade in the tails, with ascending x
  /// and u: Boost.Math's quantile costs a few cdf evaluations, and these spare the splitting most
  /// of its way down the tails. The outer two move out by an ulp or a few where the cdf there has
  /// not reached the tail level yet, so that a tail that lies within an ulp of an end of the
  /// support is inside the table (beta(0.05, 0.05) has 8% of its mass within 1e-16 of 1).
  std::vector<Knot> starting_knots() const {
    constexpr int kMaxSteps = 4;
    std::vector<double> xs;
    for (const double level : {kTail, 1e-8, 1e-6, 1e-4, 1e-3, 0.01, 0.05, 0.15, 0.3, 0.5, 0.7, 0.85,
                               0.95, 0.99, 0.999, 1.0 - 1e-4, 1.0 - 1e-6, 1.0 - 1e-8, 1.0 - kTail})
      xs.push_back(quantile(level));
    for (int step = 0; step < kMaxSteps && xs.front() > lower_ && cdf(xs.front()) > kTail; ++step)
      xs.front() = below(xs.front());
    for (int step = 0; step < kMaxSteps && xs.back() < upper_ && cdf(xs.back()) < 1.0 - kTail;
         ++step)
      xs.back() = above(xs.back());
    std::vector<Knot> knots;
    for (const double x : xs) {
      if (!std::isfinite(x)) continue;
      const Knot next = knot(x);
      if (knots.empty() || (next.x > knots.back().x && next.u > knots.back().u))
        knots.push_back(next);
    }
    return knots;
  }

  /// Whether the piece is close enough: its u-error at t = 1/2, 1/4 and 3/4 within kCheckError.
  /// HINV checks t = 1/2 only, where the error of a cubic with exact slopes peaks; slopes off by a
  /// common factor add an error that vanishes there and peaks near 1/4 and 3/4 (the log density of
  /// beta_mean_sd(1e-6, 1e-7), a difference of lgamma terms near 2e9, is off by 1e-7). A piece no
  /// wider than kUError in u needs no check, as the cdf is monotone and values are clamped into
  /// [x_k, x_k+1]; nor does one between neighbouring doubles, whose values are the two doubles next
  /// to the true quantile.
  Check check_piece(const Piece& piece, const Knot& left, const Knot& right) const {
    constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
    const double width = right.u - left.u;
    if (width <= InverseCdf::kUError || right.x == above(left.x)) return {true, 0.0, kNaN, kNaN};
    if (width > kMaxWidth) return {false, kInfinity, kNaN, kNaN};
    // The density within the piece is about the largest of these (poles lie at the knots' side).
    const double density = std::max({left.density, right.density, width / (right.x - left.x)});
    for (const double t : {0.5, 0.25, 0.75}) {
      const double offset = t * width;
      const double target = left.u + offset;
      const double x = evaluate(piece, offset);
      const double u = cdf(x);
      if (!close_enough(x, u, target, density * (above(x) - below(x)))) {
        const bool middle = t == 0.5;
        return {false, std::abs(u - target), middle ? x : kNaN, middle ? u : kNaN};
      }
    }
    return {true, 0.0, kNaN, kNaN};
  }

  /// Whether x, whose cdf is `cdf_x`, is a close enough value for `target`: |F(x) - u| within
  /// kCheckError, or, where two ulps of x move F by about as much as that (`step`, estimated from
  /// the density), x the double nearest the quantile.
  bool close_enough(double x, double cdf_x, double target, double step) const {
    const double error = std::abs(cdf_x - target);
    if (error <= kCheckError) return true;
    if (!(error <= 4.0 * step)) return false;
    const double before = cdf(below(x));
    const double after = cdf(above(x));
    return target >= 0.5 * (before + cdf_x) && target <= 0.5 * (cdf_x + after);
  }

  /// Whether a piece that missed has stopped improving: a small error that has not halved in two
  /// generations. The cubic's error shrinks with the width (with its fourth power where the slopes
  /// are exact), so what remains is the cdf's own rounding (Boost.Math's beta(1e6, 1e6) errs by
  /// 1e-12), which no split removes.
  static bool stalled(const Interval& interval, const Check& check) {
    return check.error <= kRoundingError && check.error > 0.5 * interval.grandparent_error;
  }

  /// The knot to split a piece at. The cubic's value at t = 1/2 splits it nearly in half in
  /// probability and has its cdf computed already; HINV takes it where it lies near the middle in
  /// x, here where its cdf lies in the middle three quarters of the piece. Otherwise the exact
  /// quantile at the middle in u, so that every split at least shortens the piece by an eighth and
  /// the error shrinks steadily; the middle in x only where that quantile is not inside the piece.
  Knot split_knot(const Interval& interval, const Check& check) const {
    const Knot& left = interval.left;
    const Knot& right = interval.right;
    const double eighth = (right.u - left.u) / 8.0;
    if (check.x_middle > left.x && check.x_middle < right.x && check.u_middle >= left.u + eighth &&
        check.u_middle <= right.u - eighth) {
      return {check.x_middle, check.u_middle, std::exp(distribution_.log_pdf(check.x_middle))};
    }
    const double x = quantile(std::midpoint(left.u, right.u));
    return knot(x > left.x && x < right.x ? x : std::midpoint(left.x, right.x));
  }

  const Distribution& distribution_;
  double lower_;
  double upper_;
  /// The cdf and quantile evaluations so far.
  mutable std::size_t evaluations_ = 0;
};

}  // namespace

/// The cubic pieces: piece k covers (u_k, u_k+1] of the guide's levels.
struct InverseCdf::HermiteTable {
  GuideTable guide;
  std::vector<Piece> pieces;

  double operator()(const Distribution& distribution, double u) const {
    if (!guide.covers(u)) {
      // The tails, and 0, 1 and NaN. Kept beyond the table's ends, as the exact quantile is kept
      // within its piece below, so that values ascend with u even where the cdf's rounding puts
      // Boost.Math's quantile an ulp off.
      const double x = distribution.quantile(u);
      return u <= guide.level(0) ? std::min(x, pieces.front().a) : std::max(x, pieces.back().end);
    }
    const std::size_t k = guide.reaching(u) - 1;
    const Piece& piece = pieces[k];
    if (piece.exact) return std::clamp(distribution.quantile(u), piece.a, piece.end);
    return evaluate(piece, u - guide.level(k));
  }
};

/// The cdf at the counts first - 1, first, ..., last as the guide's levels: the count for u in
/// (cdf(first - 1), cdf(last)] is first - 1 + the smallest k with level k >= u.
struct InverseCdf::CountTable {
  GuideTable guide;
  double first;

  double operator()(const Distribution& distribution, double u) const {
    if (!guide.covers(u)) return distribution.quantile(u);
    return first - 1.0 + static_cast<double>(guide.reaching(u));
  }
};

InverseCdf::InverseCdf(Distribution distribution) : distribution_(std::move(distribution)) {
  switch (method_of(distribution_.family())) {
    case Method::kQuantile:
      break;
    case Method::kHermite: {
      auto [levels, pieces] = HermiteBuilder(distribution_).build();
      if (pieces.empty()) break;
      hermite_ = std::make_shared<const HermiteTable>(
          HermiteTable{GuideTable(std::move(levels)), std::move(pieces)});
      break;
    }
    case Method::kCounts: {
      // The counts between the 1e-10 quantiles of these families span several standard
      // deviations (13 for large means), so a spread this wide rules the table out before
      // Boost.Math's quantile, which takes 30 ms at poisson(1e12), is asked for them.
      if (!(distribution_.variance() < kMaxCounts * kMaxCounts)) break;
      // From the count below quantile(1e-10), whose cdf is 0 where that quantile is 0, so that a
      // mass at 0 above the tail level (poisson(0.5) has 61% there) is inside the table.
      const double first = distribution_.quantile(kTail);
      const double last = distribution_.quantile(1.0 - kTail);
      if (!(first >= 0.0 && last >= first && last - first < kMaxCounts && last < kLargestCount)) {
        break;
      }
      std::vector<double> levels;
      for (double x = first - 1.0; x <= last; x += 1.0)
        levels.push_back(distribution_.cdf(x));
      // A cdf whose rounding makes it fall somewhere, or that is flat over the whole table, gets
      // no table: the search assumes ascending levels.
      if (!std::is_sorted(levels.begin(), levels.end()) || !(levels.front() < levels.back())) {
        break;
      }
      counts_ =
          std::make_shared<const CountTable>(CountTable{GuideTable(std::move(levels)), first});
      break;
    }
  }
}

double InverseCdf::operator()(double u) const {
  if (hermite_) return (*hermite_)(distribution_, u);
  if (counts_) return (*counts_)(distribution_, u);
  return distribution_.quantile(u);
}

void InverseCdf::transform(std::span<double> values) const {
  // One branch per call, then a tight loop.
  if (hermite_) {
    for (double& value : values)
      value = (*hermite_)(distribution_, value);
  } else if (counts_) {
    for (double& value : values)
      value = (*counts_)(distribution_, value);
  } else {
    for (double& value : values)
      value = distribution_.quantile(value);
  }
}

}  // namespace darkfigure::distributions
