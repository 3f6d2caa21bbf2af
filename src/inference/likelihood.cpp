#include "darkfigure/inference/likelihood.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <iterator>
#include <limits>
#include <optional>

#include <boost/math/distributions/beta.hpp>
#include <boost/math/distributions/negative_binomial.hpp>
#include <boost/math/special_functions/gamma.hpp>

#include "darkfigure/distributions/parameters.hpp"
#include "distributions/math.hpp"

namespace darkfigure::inference {
namespace {

namespace dd = distributions::detail;

constexpr double kInfinity = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

/// The largest poisson and negbinomial mean and binomial n, as the distributions module's
/// poisson lambda. Up to here Boost.Math's count cdfs stay within 2e-6 and 50 ms a call near the
/// mean (their continued fractions take about sqrt(mean) steps); at binomial(2^53, 0.5) it is
/// 6e-5, and a beta cdf with both shapes at 1e20 takes 2 s, at 1e200 longer than minutes.
constexpr double kLargestCount = 1e15;

/// The largest beta shape, for the same reason.
constexpr double kLargestShape = 1e15;

/// Above this mean the Poisson cdf does not come from Boost.Math 1.74, whose gamma_q(k + 1, mean)
/// takes, for mean > 1000 and k + 1 <= mean + 50, an asymptotic series that needs about
/// sqrt(74 mean) terms near the mean: 30 us at mean 1e6, 5 ms at 1e9, and above 1.3e10 it stops
/// at its limit of 10^6 terms with a wrong sum (mean 1e12 gives P(K <= mean - 1) = 0.34, not 0.5).
constexpr double kLargestBoostPoissonMean = 1e6;

/// negative_binomial.cpp's switch to Poisson(mean): where dispersion > this times the mean.
constexpr double kNegativeBinomialPoissonAbove = 1e10;

/// 1 / sqrt(eps): see NegativeBinomialModel::make().
constexpr double kInverseSqrtEpsilon = 67108864.0;

/// Below this ratio of dispersion to mean, the success probability dispersion / (dispersion +
/// mean) that Boost.Math takes is subnormal or 0 as a double, and the mass at 0 (close to 1)
/// comes out 0. Such draws are computed in long double, whose exponent range holds it.
constexpr double kSmallestDispersionRatio = 1e-290;

static_assert(std::numeric_limits<long double>::min_exponent10 < -700,
              "negbinomial with a tiny dispersion needs a long double wider than double");

constexpr LikelihoodFamily kFamilies[] = {
    {"poisson", "poisson(mean)",
     "a count of independent events, such as reported cases, with expected value mean (0 to "
     "1e15)",
     1, true},
    {"binomial", "binomial(n, p)",
     "a count of successes among n trials (a whole number, 0 to 1e15), each with probability p "
     "in [0, 1]",
     2, true},
    {"normal", "normal(mean, sd)",
     "a measurement with additive normal error: mean and standard deviation sd > 0", 2, false},
    {"negbinomial", "negbinomial(mean, dispersion)",
     "an over-dispersed count with mean 0 to 1e15 and variance mean + mean^2 / dispersion (> 0)", 2,
     true},
    {"beta", "beta(alpha, beta)",
     "an observed share strictly between 0 and 1, with shapes alpha and beta above 0 (to 1e15)", 2,
     false},
    {"lognormal", "lognormal(mu, sigma)",
     "a positive measurement with multiplicative error: log(value) is normal(mu, sigma > 0)", 2,
     false},
};

/// The families of kFamilies, in the same order.
enum class Kind { poisson, binomial, normal, negbinomial, beta, lognormal };

constexpr Kind kKinds[] = {Kind::poisson,     Kind::binomial, Kind::normal,
                           Kind::negbinomial, Kind::beta,     Kind::lognormal};

static_assert(std::size(kKinds) == std::size(kFamilies));

/// The kind of the family called `family.name`, if there is one.
std::optional<Kind> kind_of(const LikelihoodFamily& family) noexcept {
  for (std::size_t i = 0; i < std::size(kFamilies); ++i) {
    if (kFamilies[i].name == family.name) return kKinds[i];
  }
  return std::nullopt;
}

bool is_count(double x) {
  return x >= 0.0 && x < kInfinity && x == std::floor(x);
}

/// A scale or shape parameter: a normal double (as the distributions take it: a subnormal one
/// overflows in its reciprocal, and Boost.Math's negbinomial mass at 0 comes out inf), finite.
bool is_scale(double x) {
  return x >= std::numeric_limits<double>::min() && x < kInfinity;
}

/// A poisson or negbinomial mean.
bool is_mean(double x) {
  return x >= 0.0 && x <= kLargestCount;
}

/// value_problem() of a known family, without allocating.
std::string_view problem_of(Kind kind, double value) noexcept {
  if (!std::isfinite(value)) return "must be finite";
  switch (kind) {
    case Kind::poisson:
    case Kind::binomial:
    case Kind::negbinomial:
      if (!is_count(value)) return "must be a whole number of at least 0";
      break;
    case Kind::normal:
      break;
    case Kind::beta:
      if (!(value > 0.0 && value < 1.0)) return "must lie strictly between 0 and 1";
      break;
    case Kind::lognormal:
      if (!(value > 0.0)) return "must be above 0";
      break;
  }
  return {};
}

/// The log mass at y of the point mass at 0: poisson and negbinomial with mean 0.
double zero_log_pdf(double y) {
  return y == 0.0 ? 0.0 : -kInfinity;
}

/// P(Y <= k) of the point mass at 0.
double zero_cdf(double k) {
  return k >= 0.0 ? 1.0 : 0.0;
}

/// P(K <= k) for K ~ Poisson(mean) with mean > kLargestBoostPoissonMean: P(Gamma(k + 1) > mean)
/// by the Wilson-Hilferty approximation, (G / a)^(1/3) normal with mean 1 - 1/(9a) and variance
/// 1/(9a), whose absolute error is about 5e-3 / mean (at most 5e-9 here). cbrt(mean / a) - 1 is
/// taken as d / (c^2 + c + 1) so that it keeps its digits near the mean.
double large_mean_poisson_cdf(double k, double mean) {
  if (!(k >= 0.0)) return 0.0;
  const double a = std::floor(k) + 1.0;
  const double d = (mean - a) / a;
  const double c = std::cbrt(1.0 + d);
  const double z = (d / (c * c + c + 1.0) + 1.0 / (9.0 * a)) * 3.0 * std::sqrt(a);
  return 0.5 * std::erfc(z * std::sqrt(0.5));
}

/// P(Y < y) + P(Y = y) / 2 for a count Y with model.cdf() and model.log_pdf(), for any y.
template <class Model>
double count_mid_cdf(const Model& model, double y) {
  if (std::isnan(y)) return y;
  if (y == kInfinity) return 1.0;
  const double below = model.cdf(std::ceil(y) - 1.0);
  return is_count(y) ? below + 0.5 * std::exp(model.log_pdf(y)) : below;
}

// A model holds one draw's parameters: make() builds it when they lie in the family's domain.
// log_pdf() takes a value without a value_problem(); mid_cdf() takes any value.

/// poisson(mean): mean 0 is the point mass at 0, which Boost.Math rejects.
struct PoissonModel {
  static constexpr std::size_t kArity = 1;
  dd::Poisson poisson;

  static std::optional<PoissonModel> make(const double* p) {
    if (!is_mean(p[0])) return std::nullopt;
    return PoissonModel{{p[0]}};
  }
  double log_pdf(double y) const {
    return poisson.lambda == 0.0 ? zero_log_pdf(y) : poisson.log_pdf(y);
  }
  double cdf(double k) const {
    if (poisson.lambda == 0.0) return zero_cdf(k);
    if (poisson.lambda > kLargestBoostPoissonMean) return large_mean_poisson_cdf(k, poisson.lambda);
    return poisson.cdf(k);
  }
  double mid_cdf(double y) const { return count_mid_cdf(*this, y); }
};

/// binomial(n, p): p = 0 and p = 1 are point masses, which Binomial handles.
struct BinomialModel {
  static constexpr std::size_t kArity = 2;
  dd::Binomial binomial;

  static std::optional<BinomialModel> make(const double* p) {
    if (!(is_count(p[0]) && p[0] <= kLargestCount && p[1] >= 0.0 && p[1] <= 1.0)) {
      return std::nullopt;
    }
    return BinomialModel{{static_cast<std::int64_t>(p[0]), p[1]}};
  }
  double log_pdf(double y) const { return binomial.log_pdf(y); }
  double cdf(double k) const { return binomial.cdf(k); }
  double mid_cdf(double y) const { return count_mid_cdf(*this, y); }
};

struct NormalModel {
  static constexpr std::size_t kArity = 2;
  dd::Normal normal;

  static std::optional<NormalModel> make(const double* p) {
    if (!(std::isfinite(p[0]) && is_scale(p[1]))) return std::nullopt;
    return NormalModel{{p[0], p[1]}};
  }
  double log_pdf(double y) const { return normal.log_pdf(y); }
  double mid_cdf(double y) const { return normal.cdf(y); }
};

/// negbinomial(mean, dispersion), computed in one of four ways.
struct NegativeBinomialModel {
  enum class Way {
    zero,     ///< mean 0: the point mass at 0
    poisson,  ///< Poisson(mean), see make()
    wide,     ///< dispersion < kSmallestDispersionRatio * mean: Boost.Math in long double
    boost,    ///< NegativeBinomial
  };
  static constexpr std::size_t kArity = 2;
  dd::NegativeBinomial negative_binomial;
  Way way;

  /// Boost.Math takes p = dispersion / (dispersion + mean), whose 1 - p = mean / (dispersion +
  /// mean) carries a relative rounding error of eps * dispersion / mean: it moves the counts by
  /// about eps * dispersion / sqrt(mean) standard deviations (3 at mean 1e15, dispersion 1e24).
  /// Poisson(mean) instead has a variance short by a fraction mean / dispersion. It is taken where
  /// that is the smaller error, dispersion > mean^0.75 / sqrt(eps), and wherever
  /// NegativeBinomial would take it.
  static std::optional<NegativeBinomialModel> make(const double* p) {
    const double mean = p[0];
    const double dispersion = p[1];
    if (!(is_mean(mean) && is_scale(dispersion))) return std::nullopt;
    Way way = Way::boost;
    if (mean == 0.0) {
      way = Way::zero;
    } else if (dispersion < kSmallestDispersionRatio * mean) {
      way = Way::wide;
    } else if (dispersion > kNegativeBinomialPoissonAbove * mean ||
               dispersion > std::pow(mean, 0.75) * kInverseSqrtEpsilon) {
      way = Way::poisson;
    }
    return NegativeBinomialModel{{mean, dispersion}, way};
  }

  double mean() const { return negative_binomial.mu; }
  double dispersion() const { return negative_binomial.size; }
  PoissonModel poisson() const { return {{mean()}}; }
  boost::math::negative_binomial_distribution<long double, dd::Policy> wide() const {
    const auto size = static_cast<long double>(dispersion());
    return {size, size / (size + static_cast<long double>(mean()))};
  }

  double log_pdf(double y) const {
    switch (way) {
      case Way::zero:
        return zero_log_pdf(y);
      case Way::poisson:
        return poisson().log_pdf(y);
      case Way::wide:
        return wide_log_pdf(y);
      case Way::boost:
        break;
    }
    return negative_binomial.log_pdf(y);
  }
  /// The log mass in long double, or from log space where even that underflows.
  double wide_log_pdf(double y) const {
    const long double mass = boost::math::pdf(wide(), static_cast<long double>(y));
    if (mass >= std::numeric_limits<long double>::min()) {
      return static_cast<double>(std::log(mass));
    }
    const double size = dispersion();
    return boost::math::lgamma(y + size, dd::Policy()) - boost::math::lgamma(size, dd::Policy()) -
           boost::math::lgamma(y + 1.0, dd::Policy()) - size * std::log1p(mean() / size) -
           y * std::log1p(size / mean());
  }
  double cdf(double k) const {
    switch (way) {
      case Way::zero:
        return zero_cdf(k);
      case Way::poisson:
        return poisson().cdf(k);
      case Way::wide:
        if (!(k >= 0.0)) return 0.0;
        return static_cast<double>(
            boost::math::cdf(wide(), std::floor(static_cast<long double>(k))));
      case Way::boost:
        break;
    }
    return negative_binomial.cdf(k);
  }
  double mid_cdf(double y) const { return count_mid_cdf(*this, y); }
};

/// beta(alpha, beta): the log of Boost.Math's density where that is a normal double, since
/// Beta::log_pdf's sum of log-gammas loses about alpha * 1e-16 to cancellation (5 at alpha =
/// beta = 1e15); Beta::log_pdf where the density underflows or overflows.
struct BetaModel {
  static constexpr std::size_t kArity = 2;
  dd::Beta beta;

  static std::optional<BetaModel> make(const double* p) {
    if (!(is_scale(p[0]) && is_scale(p[1]) && p[0] <= kLargestShape && p[1] <= kLargestShape)) {
      return std::nullopt;
    }
    return BetaModel{{p[0], p[1]}};
  }
  double log_pdf(double y) const {
    const double density = boost::math::pdf(
        boost::math::beta_distribution<double, dd::Policy>(beta.alpha, beta.beta), y);
    return density > 1e-290 && density < 1e290 ? std::log(density) : beta.log_pdf(y);
  }
  double mid_cdf(double y) const { return std::isnan(y) ? y : beta.cdf(y); }
};

struct LognormalModel {
  static constexpr std::size_t kArity = 2;
  dd::Lognormal lognormal;

  static std::optional<LognormalModel> make(const double* p) {
    if (!(std::isfinite(p[0]) && is_scale(p[1]))) return std::nullopt;
    return LognormalModel{{p[0], p[1]}};
  }
  double log_pdf(double y) const { return lognormal.log_pdf(y); }
  double mid_cdf(double y) const { return std::isnan(y) ? y : lognormal.cdf(y); }
};

/// Calls `f` with a model of kind `kind` (its value unused), so that each family's loop is
/// compiled on its own.
template <class F>
auto with_model(Kind kind, F f) {
  switch (kind) {
    case Kind::poisson:
      return f(PoissonModel{});
    case Kind::binomial:
      return f(BinomialModel{});
    case Kind::normal:
      return f(NormalModel{});
    case Kind::negbinomial:
      return f(NegativeBinomialModel{});
    case Kind::beta:
      return f(BetaModel{});
    case Kind::lognormal:
      break;
  }
  return f(LognormalModel{});
}

/// Draw i's model, if its parameters are valid.
template <class Model>
std::optional<Model> model_at(std::span<const double* const> parameters, std::size_t i) {
  std::array<double, Model::kArity> row{};
  for (std::size_t k = 0; k < Model::kArity; ++k)
    row[k] = parameters[k][i];
  return Model::make(row.data());
}

/// add_log_likelihood() for one family. A NaN log density, which only a count above about 1e305
/// could give (log-gammas that overflow), is taken as -inf.
template <class Model>
LikelihoodTally add_with(bool values_possible, std::span<const double> values,
                         std::span<const double* const> parameters, std::span<double> out) {
  LikelihoodTally tally;
  for (std::size_t i = 0; i < out.size(); ++i) {
    const std::optional<Model> model = model_at<Model>(parameters, i);
    double sum = values_possible ? 0.0 : -kInfinity;
    if (model && values_possible) {
      for (const double y : values)
        sum += model->log_pdf(y);
    }
    if (!model) {
      ++tally.invalid;
      out[i] = -kInfinity;
    } else if (sum == -kInfinity || std::isnan(sum)) {
      ++tally.impossible;
      out[i] = -kInfinity;
    } else {
      out[i] += sum;
    }
  }
  return tally;
}

}  // namespace

std::span<const LikelihoodFamily> likelihood_families() noexcept {
  return kFamilies;
}

const LikelihoodFamily* find_likelihood(std::string_view name) noexcept {
  const auto* family = std::find_if(std::begin(kFamilies), std::end(kFamilies),
                                    [&](const LikelihoodFamily& f) { return f.name == name; });
  return family == std::end(kFamilies) ? nullptr : family;
}

std::string value_problem(const LikelihoodFamily& family, double value) {
  const std::optional<Kind> kind = kind_of(family);
  if (!kind) return "must be observed under a known likelihood family";
  return std::string(problem_of(*kind, value));
}

// A value with a value_problem() is impossible under every draw; a family that is not in the
// table, or fewer parameter columns than it takes, leaves no draw with valid parameters.
LikelihoodTally add_log_likelihood(const LikelihoodFamily& family, std::span<const double> values,
                                   std::span<const double* const> parameters,
                                   std::span<double> out) {
  const std::optional<Kind> kind = kind_of(family);
  return with_model(kind.value_or(Kind::poisson), [&]<class Model>(Model) {
    if (!kind || parameters.size() < Model::kArity) {
      std::fill(out.begin(), out.end(), -kInfinity);
      return LikelihoodTally{out.size(), 0};
    }
    const bool values_possible = std::all_of(
        values.begin(), values.end(), [&](double y) { return problem_of(*kind, y).empty(); });
    return add_with<Model>(values_possible, values, parameters, out);
  });
}

void predictive_cdf(const LikelihoodFamily& family, double value,
                    std::span<const double* const> parameters, std::span<double> out) {
  const std::optional<Kind> kind = kind_of(family);
  with_model(kind.value_or(Kind::poisson), [&]<class Model>(Model) {
    if (!kind || parameters.size() < Model::kArity) {
      std::fill(out.begin(), out.end(), kNaN);
      return;
    }
    for (std::size_t i = 0; i < out.size(); ++i) {
      const std::optional<Model> model = model_at<Model>(parameters, i);
      out[i] = model ? model->mid_cdf(value) : kNaN;
    }
  });
}

}  // namespace darkfigure::inference
