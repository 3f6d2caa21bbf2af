#pragma once

#include <cmath>

namespace darkfigure::estimators::detail {

/// log(N! / (N - n)!), the log of the ways n people seen can be drawn from a total N, accurate
/// where N is far above n too: lgamma's difference loses the digits there, Stirling's series
/// with the difference of logs as log1p(n / (N - n)) keeps them.
inline double log_falling(double total, double n) {
  const double unseen = total - n;
  if (unseen < 1e3 || total < 1e7) return std::lgamma(total + 1.0) - std::lgamma(unseen + 1.0);
  // lgamma(x + 1) = (x + 1/2) log x - x + log(2 pi) / 2 + 1 / (12 x) - 1 / (360 x^3) + ...,
  // whose next term is below 1e-15 at x >= 1000.
  const auto remainder = [](double x) { return 1.0 / (12.0 * x) - 1.0 / (360.0 * x * x * x); };
  return (unseen + 0.5) * std::log1p(n / unseen) + n * std::log(total) - n + remainder(total) -
         remainder(unseen);
}

}  // namespace darkfigure::estimators::detail
