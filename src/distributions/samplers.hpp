#pragma once

// The samplers shared by several families, inline because they run once per draw. Each takes its
// random numbers from the Stream it is given, in an order fixed by the code (never by the
// unspecified order of evaluation of function arguments), so draws are reproducible.

#include <algorithm>
#include <cmath>
#include <cstdint>

#include <boost/random/normal_distribution.hpp>
#include <boost/random/poisson_distribution.hpp>

#include "darkfigure/random/stream.hpp"

namespace darkfigure::distributions::detail {

/// A standard normal draw by Boost.Random's ziggurat (Marsaglia & Tsang 2000, 128 layers, with
/// Doornik's fix): usually one 64-bit word and no transcendental function. It keeps no state
/// between calls, so a draw depends on the stream alone.
inline double standard_normal(random::Stream& stream) {
  return boost::random::normal_distribution<double>()(stream);
}

/// Gamma(shape, 1) draws by Marsaglia & Tsang (2000), "A simple method for generating gamma
/// variables", ACM TOMS 26(3):363-372. Shapes below 1 draw Gamma(shape + 1) and multiply by
/// U^(1/shape) (their note in section 6); log_draw() does that in log space, because for tiny
/// shapes the draw itself often underflows to 0.
class GammaSampler {
 public:
  explicit GammaSampler(double shape) noexcept
      : boosted_(shape < 1.0),
        d_((boosted_ ? shape + 1.0 : shape) - 1.0 / 3.0),
        c_(1.0 / std::sqrt(9.0 * d_)),
        inverse_shape_(1.0 / shape) {}

  /// A draw, >= 0 (0 only where the true value lies below the smallest double).
  double draw(random::Stream& stream) const {
    const double g = marsaglia_tsang(stream);
    return boosted_ ? g * std::pow(stream.uniform(), inverse_shape_) : g;
  }

  /// The log of a draw, always finite.
  double log_draw(random::Stream& stream) const {
    const double log_g = std::log(marsaglia_tsang(stream));
    return boosted_ ? log_g + std::log(stream.uniform()) * inverse_shape_ : log_g;
  }

 private:
  /// A Gamma(d + 1/3) draw, d >= 2/3.
  double marsaglia_tsang(random::Stream& stream) const {
    for (;;) {
      double x = 0.0;
      double v = 0.0;
      do {
        x = standard_normal(stream);
        v = 1.0 + c_ * x;
      } while (v <= 0.0);
      v = v * v * v;
      const double u = stream.uniform();
      const double x2 = x * x;
      // The squeeze accepts about 98% of the candidates without a logarithm.
      if (u < 1.0 - 0.0331 * x2 * x2) return d_ * v;
      if (std::log(u) < 0.5 * x2 + d_ * (1.0 - v + std::log(v))) return d_ * v;
    }
  }

  bool boosted_;
  double d_;
  double c_;
  double inverse_shape_;
};

/// Beta(alpha, beta) draws as X / (X + Y), X ~ Gamma(alpha), Y ~ Gamma(beta). When a shape is
/// below 1 both gammas may underflow to 0 (and X / (X + Y) be 0/0), so the ratio is then taken
/// from their logarithms, 1 / (1 + exp(log Y - log X)): finite and in [0, 1] for any shapes.
class BetaSampler {
 public:
  BetaSampler(double alpha, double beta) noexcept
      : x_(alpha), y_(beta), in_log_space_(alpha < 1.0 || beta < 1.0) {}

  double operator()(random::Stream& stream) const {
    if (in_log_space_) {
      const double log_x = x_.log_draw(stream);
      const double log_y = y_.log_draw(stream);
      return 1.0 / (1.0 + std::exp(log_y - log_x));
    }
    const double x = x_.draw(stream);
    const double y = y_.draw(stream);
    return x / (x + y);
  }

 private:
  GammaSampler x_;
  GammaSampler y_;
  bool in_log_space_;
};

/// Poisson(mean) draws, mean > 0: Boost.Random's inversion below a mean of 10 and PTRD above
/// (Hoermann 1993, "The transformed rejection method for generating Poisson random variables").
/// PTRD's acceptance test loses about mean * 1e-16 in log space to cancellation, so above a mean
/// of 1e10 the normal approximation round(mean + sqrt(mean) * z) takes over: its own error there
/// (skewness 1e-5) is as small, and no sample of realistic size can show either.
class PoissonSampler {
 public:
  static constexpr double kNormalAbove = 1e10;

  explicit PoissonSampler(double mean) noexcept
      : mean_(mean),
        sd_(std::sqrt(mean)),
        normal_(mean > kNormalAbove),
        boost_(normal_ ? 1.0 : mean) {}

  double operator()(random::Stream& stream) const {
    if (normal_) return std::max(0.0, std::round(mean_ + sd_ * standard_normal(stream)));
    return static_cast<double>(boost_(stream));
  }

 private:
  double mean_;
  double sd_;
  bool normal_;
  boost::random::poisson_distribution<std::int64_t, double> boost_;
};

}  // namespace darkfigure::distributions::detail
