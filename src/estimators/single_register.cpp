#include "darkfigure/estimators/single_register.hpp"

#include <algorithm>
#include <array>
#include <boost/math/distributions/chi_squared.hpp>
#include <boost/math/tools/minima.hpp>
#include <boost/math/tools/roots.hpp>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "estimators/log_falling.hpp"
#include "estimators/resampling.hpp"

namespace darkfigure::estimators {
namespace {

using detail::log_falling;

/// In the order of RegisterMethod.
constexpr std::array<std::string_view, 3> kMethodNames = {"chao", "zelterman", "ztp"};

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInfinity = std::numeric_limits<double>::infinity();

/// A profile likelihood still within the level's bound at this total has no finite upper end:
/// no register is that large, and the search by doubling stops here.
constexpr double kLargestTotal = 1e30;

/// The Poisson tail mass left to the last cell of the ztp's bootstrap: beyond it, the resamples
/// would differ from the model's in fewer than one draw in 10^12.
constexpr double kBootstrapTail = 1e-12;

/// The frequencies as the estimators read them.
struct Frequencies {
  std::vector<double> f;   ///< f[x - 1]: the people seen exactly x times, up to the largest x seen
  double n = 0.0;          ///< the people seen at least once
  double sightings = 0.0;  ///< sum of x f_x

  /// f_x, 0 beyond the largest count seen.
  double count(std::size_t x) const { return x <= f.size() ? f[x - 1] : 0.0; }
};

/// `frequencies` checked against the contract of estimate_register, trailing zeros dropped.
Frequencies checked(std::span<const double> frequencies) {
  if (frequencies.empty()) {
    throw EstimationError("there are no frequencies, but f1 at least must be given",
                          "give the people seen once as f1, those seen twice as f2, and so on");
  }
  Frequencies data;
  for (std::size_t i = 0; i < frequencies.size(); ++i) {
    const double f = frequencies[i];
    const char* constraint = !std::isfinite(f)    ? "finite"
                             : f < 0.0            ? ">= 0"
                             : f != std::floor(f) ? "a whole number"
                                                  : nullptr;
    if (constraint != nullptr) {
      std::ostringstream message;
      message << "frequency f" << i + 1 << " is " << f << ", but must be " << constraint;
      throw EstimationError(message.str());
    }
    data.n += f;
    data.sightings += static_cast<double>(i + 1) * f;
  }
  if (data.n == 0.0) {
    throw EstimationError("every frequency is 0, but someone must have been seen",
                          "give the people seen once as f1, those seen twice as f2, and so on");
  }
  const auto last =
      std::find_if(frequencies.rbegin(), frequencies.rend(), [](double f) { return f > 0.0; });
  data.f.assign(frequencies.begin(), last.base());
  return data;
}

/// f log(p), 0 where f is 0 whatever p is (an empty cell of probability 0).
double weighted_log(double f, double log_p) {
  return f == 0.0 ? 0.0 : f * log_p;
}

/// A method's fit, with what its interval and bootstrap need.
struct Fitted {
  ModelFit fit;
  /// The Poisson mean the method estimates for the people seen rarely: infinite for Zelterman's
  /// estimator when nobody was seen once.
  double lambda = kNaN;
  std::vector<std::string> warnings;
};

/// Chao (1987): the lower bound n + f1^2 / (2 f2), with Chao's (1987) variance
/// f2 [(f1/f2)^4 / 4 + (f1/f2)^3 + (f1/f2)^2 / 2]. With f2 = 0, the bias-corrected form
/// n + f1 (f1 - 1) / (2 (f2 + 1)) (Chao 2005) and its variance f1 (f1 - 1) / 2 +
/// f1 (2 f1 - 1)^2 / 4 - f1^4 / (4 N) (Chao 1987; as SpadeR's SpecAbunChao1 computes both, here
/// without the species-sampling factor (n - 1) / n).
Fitted fit_chao(const Frequencies& data) {
  const double f1 = data.count(1);
  const double f2 = data.count(2);
  Fitted result;
  double variance = 0.0;
  if (f2 > 0.0) {
    const double ratio = f1 / f2;
    result.fit.model = "chao";
    result.fit.estimate = data.n + f1 * f1 / (2.0 * f2);
    variance = f2 * (std::pow(ratio, 4) / 4.0 + std::pow(ratio, 3) + ratio * ratio / 2.0);
    result.lambda = 2.0 * f2 / f1;
  } else {
    result.fit.model = "chao (bias-corrected)";
    result.fit.estimate = data.n + f1 * (f1 - 1.0) / 2.0;
    variance = f1 * (f1 - 1.0) / 2.0 + f1 * std::pow(2.0 * f1 - 1.0, 2) / 4.0 -
               std::pow(f1, 4) / (4.0 * result.fit.estimate);
    result.lambda = 0.0;
    result.warnings.push_back("f2 = 0: Chao's bias-corrected form n + f1 (f1 - 1) / 2 is used");
  }
  result.fit.se = std::sqrt(std::max(0.0, variance));
  return result;
}

/// The total n / (1 - exp(-lambda)) that the people seen imply when each is missed with
/// probability exp(-lambda) (Horvitz-Thompson).
double horvitz_thompson(double n, double lambda) {
  return n / -std::expm1(-lambda);
}

/// The conditional variance of the Horvitz-Thompson total (Böhning 2008, Statistical Methodology
/// 5: 410-423; van der Heijden et al. 2003): n p0 / (1 - p0)^2 for the people missed at a known
/// lambda, plus (dN / dlambda)^2 var(lambda) for the estimated lambda, p0 = exp(-lambda).
double horvitz_thompson_variance(double n, double lambda, double lambda_variance) {
  const double p0 = std::exp(-lambda);
  const double seen = -std::expm1(-lambda);
  const double slope = -n * p0 / (seen * seen);
  return n * p0 / (seen * seen) + slope * slope * lambda_variance;
}

/// Zelterman (1988): lambda = 2 f2 / f1 from the people seen once and twice alone, the total
/// n / (1 - exp(-lambda)). var(lambda) = lambda^2 (1 / f1 + 1 / f2) by the delta method on
/// log(f2 / f1), in Böhning's (2008) conditional variance.
Fitted fit_zelterman(const Frequencies& data) {
  const double f1 = data.count(1);
  const double f2 = data.count(2);
  Fitted result;
  result.fit.model = "zelterman";
  if (f1 == 0.0) {
    std::ostringstream warning;
    warning << "f1 = 0: nobody was seen exactly once, so Zelterman's estimate is the n = " << data.n
            << " people seen";
    result.warnings.push_back(warning.str());
    result.fit.estimate = data.n;
    result.fit.se = 0.0;
    result.lambda = kInfinity;
    return result;
  }
  if (f2 == 0.0) {
    throw EstimationError(
        "f2 = 0: nobody was seen exactly twice, so Zelterman's lambda = 2 f2 / f1 is 0 and the "
        "unseen count grows without bound",
        "use method = \"chao\", whose bias-corrected form needs no f2");
  }
  result.lambda = 2.0 * f2 / f1;
  result.fit.estimate = horvitz_thompson(data.n, result.lambda);
  const double lambda_variance = result.lambda * result.lambda * (1.0 / f1 + 1.0 / f2);
  result.fit.se = std::sqrt(horvitz_thompson_variance(data.n, result.lambda, lambda_variance));
  return result;
}

/// The mean lambda / (1 - exp(-lambda)) of a Poisson truncated at zero, 1 at lambda = 0.
double truncated_mean(double lambda) {
  return lambda == 0.0 ? 1.0 : lambda / -std::expm1(-lambda);
}

/// The zero-truncated Poisson: lambda by maximum likelihood, which equates the truncated mean to
/// the mean count seen; the Horvitz-Thompson total with Böhning's (2008) conditional variance,
/// var(lambda) the inverse Fisher information of the truncated Poisson,
/// lambda (1 - p0)^2 / (n (1 - p0 - lambda p0)). The goodness of fit is G^2 over the classes 1 to
/// m, the largest count seen, each expected as exactly x (n p_x / (1 - p0); the expected count
/// beyond m is left out, as Rcapture's closedp.0 does), with m - 2 degrees of freedom. AIC and BIC
/// are those of the truncated Poisson's log-likelihood, one parameter, BIC with log(n).
Fitted fit_ztp(const Frequencies& data) {
  const double mean = data.sightings / data.n;
  if (mean == 1.0) {
    std::ostringstream message;
    message << "everyone was seen exactly once (f1 = n = " << data.n
            << "), so the fitted Poisson mean is 0 and the unseen count grows without bound";
    throw EstimationError(message.str(),
                          "use method = \"chao\", whose bias-corrected form needs no f2");
  }
  // lambda / (1 - exp(-lambda)) rises from 1 at 0 and exceeds lambda, so the root lies in
  // (0, mean].
  const auto score = [mean](double lambda) { return truncated_mean(lambda) - mean; };
  boost::math::tools::eps_tolerance<double> tolerance(std::numeric_limits<double>::digits - 3);
  std::uintmax_t iterations = 200;
  const auto [below, above] = boost::math::tools::toms748_solve(score, 0.0, mean, 1.0 - mean,
                                                                score(mean), tolerance, iterations);
  const double lambda = (below + above) / 2.0;

  Fitted result;
  result.fit.model = "ztp";
  result.lambda = lambda;
  const double p0 = std::exp(-lambda);
  const double seen = -std::expm1(-lambda);
  result.fit.estimate = horvitz_thompson(data.n, lambda);
  const double lambda_variance = lambda * seen * seen / (data.n * (seen - lambda * p0));
  result.fit.se = std::sqrt(horvitz_thompson_variance(data.n, lambda, lambda_variance));

  double loglik = 0.0;
  double deviance = 0.0;
  for (std::size_t x = 1; x <= data.f.size(); ++x) {
    const double k = static_cast<double>(x);
    const double log_p = k * std::log(lambda) - lambda - std::lgamma(k + 1.0) - std::log(seen);
    loglik += weighted_log(data.f[x - 1], log_p);
    deviance += weighted_log(data.f[x - 1], std::log(data.f[x - 1]) - std::log(data.n) - log_p);
  }
  result.fit.deviance = 2.0 * deviance;
  result.fit.df = static_cast<int>(data.f.size()) - 2;
  result.fit.aic = -2.0 * loglik + 2.0;
  result.fit.bic = -2.0 * loglik + std::log(data.n);
  return result;
}

/// The fit of `method`; throws EstimationError where its estimate does not exist.
Fitted fit(const Frequencies& data, RegisterMethod method) {
  switch (method) {
    case RegisterMethod::chao:
      return fit_chao(data);
    case RegisterMethod::zelterman:
      return fit_zelterman(data);
    case RegisterMethod::ztp:
      return fit_ztp(data);
  }
  throw std::invalid_argument("estimate_register: unknown method");
}

/// The likelihood interval {t in [floor, ceiling] : 2 (l(top) - l(t)) <= critical} of a
/// log-likelihood l that rises to its maximum at `top` and falls beyond it. An end stays at floor
/// or ceiling where l there is still within the bound; an infinite ceiling is approached by
/// doubling the distance from the top, and the upper end is infinite where l is still within the
/// bound at kLargestTotal.
std::pair<double, double> likelihood_ends(const std::function<double(double)>& loglik, double top,
                                          double floor, double ceiling, double critical) {
  const double peak = loglik(top);
  const auto excess = [&](double t) { return 2.0 * (peak - loglik(t)) - critical; };
  const auto root = [&](double inside, double outside) {
    boost::math::tools::eps_tolerance<double> tolerance(40);
    std::uintmax_t iterations = 200;
    const auto [a, b] = boost::math::tools::toms748_solve(
        excess, std::min(inside, outside), std::max(inside, outside), tolerance, iterations);
    return (a + b) / 2.0;
  };
  const double lower = excess(floor) <= 0.0 ? floor : root(top, floor);
  if (std::isfinite(ceiling)) return {lower, excess(ceiling) <= 0.0 ? ceiling : root(top, ceiling)};
  double inside = top;
  double step = std::max(top - floor, 1.0);
  while (excess(top + step) <= 0.0) {
    if (top + step > kLargestTotal) return {lower, kInfinity};
    inside = top + step;
    step *= 2.0;
  }
  return {lower, root(inside, top + step)};
}

/// Where a profile log-likelihood of the total that rises and then falls peaks in [floor, inf),
/// searched from `anchor`, a point estimate near the peak.
double peak_of(const std::function<double(double)>& loglik, double floor, double anchor) {
  const double at_anchor = loglik(anchor);
  double ceiling = 2.0 * anchor + 1.0;
  while (loglik(ceiling) >= at_anchor && ceiling < kLargestTotal)
    ceiling *= 2.0;
  const auto [at, value] =
      boost::math::tools::brent_find_minima([&](double t) { return -loglik(t); }, floor, ceiling,
                                            std::numeric_limits<double>::digits / 2);
  return at;
}

/// The profile likelihood interval of the zero-truncated Poisson's total. The full likelihood
/// L(N, lambda) = N! / (N - n)! exp(-lambda)^(N - n) prod_x p_x^f_x (Sanathanan 1972) is
/// exp(-N lambda) lambda^S up to constants, S = sum of x f_x, so lambda(N) = S / N maximises it
/// for each N and the profile is log(N! / (N - n)!) + S log(S / N) - S.
std::pair<double, double> ztp_profile(const Frequencies& data, double estimate, double critical) {
  const double n = data.n;
  const double s = data.sightings;
  const std::function<double(double)> loglik = [n, s](double total) {
    return log_falling(total, n) + s * std::log(s / total) - s;
  };
  return likelihood_ends(loglik, peak_of(loglik, n, estimate), n, kInfinity, critical);
}

/// The profile likelihood interval of Chao's total. Chao's lower bound is the maximum likelihood
/// estimate of the people seen at most twice, N' = f0 + f1 + f2, when their counts are Poisson
/// restricted to 0, 1 and 2: cells with probabilities proportional to 1, lambda, lambda^2 / 2.
/// For each N' the multinomial likelihood peaks at the lambda solving
/// (f1 + 2 f2)(1 + lambda + lambda^2 / 2) = N' lambda (1 + lambda); the interval of N' maps to the
/// total by adding the people seen 3 times or more, held fixed.
std::pair<double, double> chao_profile(const Frequencies& data, double estimate, double critical) {
  const double f1 = data.count(1);
  const double f2 = data.count(2);
  const double rare = f1 + f2;
  const double sightings = f1 + 2.0 * f2;
  const std::function<double(double)> loglik = [=](double total) {
    // The quadratic (N' - a/2) lambda^2 + (N' - a) lambda - a = 0, a = f1 + 2 f2, solved in the
    // form without cancellation; lambda is infinite at N' = f2 when f1 = 0.
    const double b = total - sightings;
    const double lambda =
        2.0 * sightings / (b + std::sqrt(b * b + 4.0 * (total - sightings / 2.0) * sightings));
    const double log_q0 = -std::log1p(lambda + lambda * lambda / 2.0);
    const double log_q1 = -std::log1p(1.0 / lambda + lambda / 2.0);
    const double log_q2 = -std::log1p(2.0 / lambda + 2.0 / (lambda * lambda));
    return log_falling(total, rare) + weighted_log(total - rare, log_q0) +
           weighted_log(f1, log_q1) + weighted_log(f2, log_q2);
  };
  const double others = data.n - rare;
  const auto [lower, upper] =
      likelihood_ends(loglik, peak_of(loglik, rare, estimate - others), rare, kInfinity, critical);
  return {lower + others, upper + others};
}

/// The profile likelihood interval of Zelterman's total: given f1 + f2, f2 is binomial with
/// success probability q = lambda / (2 + lambda), whose likelihood interval of q maps through
/// lambda = 2 q / (1 - q) to N(lambda) = n / (1 - exp(-lambda)), decreasing in lambda. The people
/// seen, n, are held fixed: the interval carries lambda's uncertainty alone and leaves out the
/// binomial variation of n given N, the first term n p0 / (1 - p0)^2 of Böhning's (2008)
/// variance. It is therefore narrower than the Wald and log-normal intervals, which include it.
std::pair<double, double> zelterman_profile(const Frequencies& data, double critical) {
  const double f1 = data.count(1);
  const double f2 = data.count(2);
  const std::function<double(double)> loglik = [f1, f2](double q) {
    return weighted_log(f2, std::log(q)) + weighted_log(f1, std::log1p(-q));
  };
  // Without anyone seen once or twice the likelihood is flat: no total is ruled out.
  if (f1 + f2 == 0.0) return {data.n, kInfinity};
  // The ends stay where the log-likelihood is finite: q = 1 only when nobody was seen once.
  const double ceiling = f1 == 0.0 ? 1.0 : std::nextafter(1.0, 0.0);
  const auto [q_lower, q_upper] = likelihood_ends(
      loglik, f2 / (f1 + f2), std::numeric_limits<double>::min(), ceiling, critical);
  const auto total = [&](double q) { return horvitz_thompson(data.n, 2.0 * q / (1.0 - q)); };
  return {total(q_upper), total(q_lower)};
}

/// The expected counts of the classes 0, 1, 2, ... that the parametric bootstrap draws from. The
/// ztp's are its Poisson's, the last class holding the tail beyond it. Chao's and Zelterman's
/// estimators model only the people seen once and twice, so their bootstrap keeps the classes
/// seen at their observed counts and adds the estimated unseen count as class 0: Chao's fitted
/// Poisson on the classes 0, 1, 2 reproduces f1 and f2 exactly, and Zelterman's estimator is built
/// to stand apart from the shape of the counts beyond 2.
std::vector<double> bootstrap_cells(const Frequencies& data, const Fitted& fitted,
                                    RegisterMethod method) {
  const double total = fitted.fit.estimate;
  std::vector<double> cells;
  if (method == RegisterMethod::ztp) {
    // In logs, so that a large lambda's exp(-lambda) does not vanish; the cap on x stops the loop
    // should rounding keep the mass from reaching 1 - kBootstrapTail.
    const double lambda = fitted.lambda;
    const double last =
        std::max(static_cast<double>(data.f.size()), lambda + 50.0 * std::sqrt(lambda) + 50.0);
    double mass = 0.0;
    for (double x = 0.0;
         x <= static_cast<double>(data.f.size()) || (1.0 - mass > kBootstrapTail && x <= last);
         x += 1.0) {
      const double p = std::exp(x * std::log(lambda) - lambda - std::lgamma(x + 1.0));
      cells.push_back(total * p);
      mass += p;
    }
    cells.back() += total * std::max(0.0, 1.0 - mass);
  } else {
    cells.push_back(total - data.n);
    cells.insert(cells.end(), data.f.begin(), data.f.end());
  }
  for (double& cell : cells)
    cell /= total;
  return cells;
}

/// Whether `method`'s estimate on `data` is infinite: Zelterman's when someone was seen once but
/// nobody twice, the ztp's when everyone was seen exactly once.
bool unbounded(const Frequencies& data, RegisterMethod method) {
  switch (method) {
    case RegisterMethod::chao:
      return false;
    case RegisterMethod::zelterman:
      return data.count(1) > 0.0 && data.count(2) == 0.0;
    case RegisterMethod::ztp:
      return data.sightings == data.n;
  }
  return false;
}

/// The parametric bootstrap: `settings.resamples` multinomial draws of round(N) people into the
/// fitted model's classes, on the stream of (seed, name), each re-estimated by the same method
/// without the people drawn into class 0. A draw whose unseen count grows without bound enters
/// the resamples as +infinity, so that the percentiles see it as the largest total; a draw in
/// which nobody was seen has no estimate and is counted in failed_resamples. Throws
/// EstimationError when round(N) exceeds kMaxBootstrapTotal.
void bootstrap(const Frequencies& data, const Fitted& fitted, RegisterMethod method,
               const IntervalSettings& settings, Estimate& result) {
  const std::vector<double> probabilities = bootstrap_cells(data, fitted, method);
  std::vector<double> counts(probabilities.size());
  random::Stream stream = detail::bootstrap_stream(settings.seed, settings.name);
  const double total = std::round(fitted.fit.estimate);
  result.resamples.reserve(settings.resamples);
  std::uint32_t infinite = 0;
  for (std::uint32_t r = 0; r < settings.resamples; ++r) {
    detail::multinomial(stream, total, probabilities, counts);
    try {
      const Frequencies drawn = checked(std::span<const double>(counts).subspan(1));
      if (unbounded(drawn, method)) {
        result.resamples.push_back(kInfinity);
        ++infinite;
      } else {
        // A resample can see fewer people than the data, but the total is never below them.
        result.resamples.push_back(std::max(data.n, fit(drawn, method).fit.estimate));
      }
    } catch (const EstimationError&) {
      ++result.failed_resamples;
    }
  }
  if (infinite > 0) {
    std::ostringstream warning;
    warning << infinite << " of " << settings.resamples << " bootstrap resamples have an infinite "
            << register_method_name(method) << " estimate ("
            << (method == RegisterMethod::ztp ? "everyone in them was seen exactly once"
                                              : "someone in them was seen once, nobody twice")
            << ") and count as +infinity in the percentiles";
    result.warnings.push_back(warning.str());
  }
  if (result.failed_resamples > 0) {
    std::ostringstream warning;
    warning << result.failed_resamples << " of " << settings.resamples
            << " bootstrap resamples have no " << register_method_name(method)
            << " estimate and are left out: in them nobody was seen";
    result.warnings.push_back(warning.str());
  }
}

/// The percentile interval of the bootstrap's resamples. With fewer than two resamples left there
/// is no interval: both ends are NaN.
std::pair<double, double> bootstrap_ends(const IntervalSettings& settings, Estimate& result) {
  if (result.resamples.size() < 2) {
    std::ostringstream warning;
    warning << "the interval has no ends: " << result.resamples.size() << " of "
            << settings.resamples << " bootstrap resamples have an estimate, but it needs 2";
    result.warnings.push_back(warning.str());
    return {kNaN, kNaN};
  }
  const auto ends = percentile_interval(result.resamples, settings.level);
  if (std::isnan(ends.first) || std::isnan(ends.second)) {
    result.warnings.push_back("the bootstrap's percentiles are not numbers: the interval has none");
  } else if (std::isinf(ends.second)) {
    result.warnings.push_back(
        "the interval's upper end is infinite: about (1 - level) / 2 or more of the bootstrap "
        "resamples have an infinite estimate");
  }
  return ends;
}

/// The interval of `settings` around the chosen fit, into `result`.
void set_interval(const Frequencies& data, const Fitted& fitted, RegisterMethod method,
                  const IntervalSettings& settings, Estimate& result) {
  const double n = data.n;
  const double estimate = fitted.fit.estimate;
  const double se = fitted.fit.se;
  std::pair<double, double> ends;
  switch (settings.method) {
    case IntervalMethod::wald:
      ends = wald_interval(n, estimate, se, settings.level);
      break;
    case IntervalMethod::lognormal:
      ends = lognormal_interval(n, estimate, se, settings.level);
      break;
    case IntervalMethod::profile: {
      const double critical =
          boost::math::quantile(boost::math::chi_squared_distribution<>(1.0), settings.level);
      if (method == RegisterMethod::ztp) {
        ends = ztp_profile(data, estimate, critical);
      } else if (method == RegisterMethod::zelterman) {
        ends = zelterman_profile(data, critical);
        result.warnings.push_back(
            "zelterman's profile interval is that of lambda with the n people seen held fixed: "
            "it leaves out the sampling variation of n, so it is narrower than the Wald and "
            "log-normal intervals");
      } else if (data.count(2) > 0.0) {
        ends = chao_profile(data, estimate, critical);
      } else {
        // Without people seen twice the likelihood rises for ever as the unseen count grows:
        // it has no maximum to profile from.
        result.warnings.push_back(
            "f2 = 0: Chao's model has no profile likelihood maximum, so the log-normal interval "
            "is used");
        ends = lognormal_interval(n, estimate, se, settings.level);
      }
      if (std::isinf(ends.second)) {
        result.warnings.push_back(
            "the interval's upper end is infinite: the profile likelihood stays within the "
            "level's bound however large the total");
      }
      break;
    }
    case IntervalMethod::bootstrap:
      bootstrap(data, fitted, method, settings, result);
      ends = bootstrap_ends(settings, result);
      break;
  }
  result.lower = ends.first;
  result.upper = ends.second;
}

}  // namespace

std::string_view register_method_name(RegisterMethod method) noexcept {
  return kMethodNames[static_cast<std::size_t>(method)];
}

std::optional<RegisterMethod> find_register_method(std::string_view name) noexcept {
  for (std::size_t i = 0; i < kMethodNames.size(); ++i) {
    if (kMethodNames[i] == name) return static_cast<RegisterMethod>(i);
  }
  return std::nullopt;
}

std::vector<std::string> register_method_names() {
  return {kMethodNames.begin(), kMethodNames.end()};
}

Estimate estimate_register(std::span<const double> frequencies, RegisterMethod method,
                           const IntervalSettings& settings) {
  check_interval_settings(settings);
  const Frequencies data = checked(frequencies);
  const Fitted chosen = [&] {
    try {
      return fit(data, method);
    } catch (const EstimationError& error) {
      throw EstimationError(std::string(register_method_name(method)) + ": " + error.what(),
                            error.hint());
    }
  }();

  Estimate result;
  result.n_observed = data.n;
  result.fit = chosen.fit;
  result.method = settings.method;
  result.level = settings.level;
  result.warnings = chosen.warnings;
  set_interval(data, chosen, method, settings, result);

  result.alternatives.push_back(chosen.fit);
  std::vector<ModelFit> without_estimate;
  for (std::size_t i = 0; i < kMethodNames.size(); ++i) {
    const auto other = static_cast<RegisterMethod>(i);
    const std::string_view name = kMethodNames[i];
    if (other == method) continue;
    try {
      result.alternatives.push_back(fit(data, other).fit);
    } catch (const EstimationError& error) {
      ModelFit missing;
      missing.model = std::string(name);
      missing.problem = std::string("the estimate does not exist: ") + error.what();
      without_estimate.push_back(std::move(missing));
    }
  }
  result.alternatives.insert(result.alternatives.end(), without_estimate.begin(),
                             without_estimate.end());
  return result;
}

}  // namespace darkfigure::estimators
