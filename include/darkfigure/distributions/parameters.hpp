#pragma once

// The checked parameters of each family, as Distribution holds them in a std::variant. An
// implementation detail: public only because Distribution is a value type. Each struct is built
// by Distribution::make(), which checks the arguments, and implements the operations Distribution
// forwards to it (in src/distributions/<family>.cpp):
//
//   sample(stream)    one draw
//   fill(stream, out) out.size() draws, the same numbers as that many sample() calls
//   quantile(p)       p in [0, 1]; 0 gives the lower end of the support, 1 the upper
//   cdf(x)            P(X <= x), for any x
//   log_pdf(x)        log density (log mass for counts); -inf outside the support
//   mean(), variance()

#include <cstdint>
#include <span>
#include <variant>
#include <vector>

#include "darkfigure/random/stream.hpp"

namespace darkfigure::distributions::detail {

/// uniform(min, max).
struct Uniform {
  double min;
  double max;

  double sample(random::Stream& stream) const;
  void fill(random::Stream& stream, std::span<double> out) const;
  double quantile(double p) const;
  double cdf(double x) const;
  double log_pdf(double x) const;
  double mean() const;
  double variance() const;
};

/// normal(mean, sd) as mu, sigma.
struct Normal {
  double mu;
  double sigma;

  double sample(random::Stream& stream) const;
  void fill(random::Stream& stream, std::span<double> out) const;
  double quantile(double p) const;
  double cdf(double x) const;
  double log_pdf(double x) const;
  double mean() const;
  double variance() const;
};

/// shift + exp(normal(mu, sigma)): lognormal(mu, sigma, shift) and lognormal_ci(p5, p95).
struct Lognormal {
  double mu;
  double sigma;
  double shift = 0.0;

  double sample(random::Stream& stream) const;
  void fill(random::Stream& stream, std::span<double> out) const;
  double quantile(double p) const;
  double cdf(double x) const;
  double log_pdf(double x) const;
  double mean() const;
  double variance() const;
};

/// min + range * Beta(alpha, beta): beta and beta_mean_sd (min 0, range 1), pert.
struct Beta {
  double alpha;
  double beta;
  double min = 0.0;
  double range = 1.0;

  double sample(random::Stream& stream) const;
  void fill(random::Stream& stream, std::span<double> out) const;
  double quantile(double p) const;
  double cdf(double x) const;
  double log_pdf(double x) const;
  double mean() const;
  double variance() const;
};

/// gamma(shape, scale).
struct Gamma {
  double shape;
  double scale;

  double sample(random::Stream& stream) const;
  void fill(random::Stream& stream, std::span<double> out) const;
  double quantile(double p) const;
  double cdf(double x) const;
  double log_pdf(double x) const;
  double mean() const;
  double variance() const;
};

/// triangular(min, mode, max).
struct Triangular {
  double min;
  double mode;
  double max;

  double sample(random::Stream& stream) const;
  void fill(random::Stream& stream, std::span<double> out) const;
  double quantile(double p) const;
  double cdf(double x) const;
  double log_pdf(double x) const;
  double mean() const;
  double variance() const;
};

/// poisson(lambda).
struct Poisson {
  double lambda;

  double sample(random::Stream& stream) const;
  void fill(random::Stream& stream, std::span<double> out) const;
  double quantile(double p) const;
  double cdf(double x) const;
  double log_pdf(double x) const;
  double mean() const;
  double variance() const;
};

/// binomial(n, p).
struct Binomial {
  std::int64_t n;
  double p;

  double sample(random::Stream& stream) const;
  void fill(random::Stream& stream, std::span<double> out) const;
  double quantile(double level) const;
  double cdf(double x) const;
  double log_pdf(double x) const;
  double mean() const;
  double variance() const;
};

/// truncnormal(mean, sd, low, high) as mu, sigma, low, high, with what sampling and the cdf need
/// precomputed. Above the mean (a > 0) the tail probabilities are upper ones, Q(z) = 1 - Phi(z),
/// for accuracy.
struct TruncatedNormal {
  double mu;
  double sigma;
  double low;
  double high;
  double a;         ///< (low - mu) / sigma
  double b;         ///< (high - mu) / sigma
  bool upper_tail;  ///< a > 0: tail_a = Q(a), otherwise Phi(a)
  double tail_a;
  double mass;        ///< Phi(b) - Phi(a) >= 1e-300
  bool by_rejection;  ///< mass > 0.25: draw normals until one lands in [a, b]

  double sample(random::Stream& stream) const;
  void fill(random::Stream& stream, std::span<double> out) const;
  double quantile(double p) const;
  double cdf(double x) const;
  double log_pdf(double x) const;
  double mean() const;
  double variance() const;
};

/// negbinomial(mean, dispersion) as R's mu and size: variance mu + mu^2 / size.
struct NegativeBinomial {
  double mu;
  double size;

  double sample(random::Stream& stream) const;
  void fill(random::Stream& stream, std::span<double> out) const;
  double quantile(double p) const;
  double cdf(double x) const;
  double log_pdf(double x) const;
  double mean() const;
  double variance() const;
};

/// exponential(rate).
struct Exponential {
  double rate;

  double sample(random::Stream& stream) const;
  void fill(random::Stream& stream, std::span<double> out) const;
  double quantile(double p) const;
  double cdf(double x) const;
  double log_pdf(double x) const;
  double mean() const;
  double variance() const;
};

/// discrete([values], [weights]): distinct values in ascending order, each with a positive
/// probability; cumulative[i] = P(X <= values[i]), and cumulative.back() == 1 exactly.
struct Discrete {
  std::vector<double> values;
  std::vector<double> probabilities;
  std::vector<double> cumulative;

  double sample(random::Stream& stream) const;
  void fill(random::Stream& stream, std::span<double> out) const;
  double quantile(double p) const;
  double cdf(double x) const;
  double log_pdf(double x) const;
  double mean() const;
  double variance() const;
};

using Parameters = std::variant<Uniform, Normal, Lognormal, Beta, Gamma, Triangular, Poisson,
                                Binomial, TruncatedNormal, NegativeBinomial, Exponential, Discrete>;

}  // namespace darkfigure::distributions::detail
