#pragma once

// The exact Sobol indices of the standard test functions, shared by the tests of the estimators
// (tests/sensitivity) and of whole studies (tests/analysis).

#include <cmath>
#include <numbers>
#include <vector>

namespace darkfigure::sensitivity::testing {

/// The exact first-order and total index of each input of a test function.
struct ExactIndices {
  std::vector<double> first;
  std::vector<double> total;
};

/// The Ishigami function y = sin x1 + a sin^2 x2 + b x3^4 sin x1 with x_i ~ uniform(-pi, pi)
/// (Ishigami and Homma 1990), whose partial variances are V1 = (1 + b pi^4 / 5)^2 / 2,
/// V2 = a^2 / 8, V3 = 0 and V13 = b^2 pi^8 (1/18 - 1/50) over V = a^2 / 8 + b pi^4 / 5 +
/// b^2 pi^8 / 18 + 1/2: for a = 7, b = 0.1, S = (0.3139, 0.4424, 0), ST = (0.5576, 0.4424, 0.2437).
inline constexpr double kIshigamiA = 7.0;
inline constexpr double kIshigamiB = 0.1;

inline ExactIndices ishigami_indices() {
  const double a = kIshigamiA;
  const double b = kIshigamiB;
  const double pi4 = std::pow(std::numbers::pi, 4);
  const double pi8 = std::pow(std::numbers::pi, 8);
  const double v = a * a / 8.0 + b * pi4 / 5.0 + b * b * pi8 / 18.0 + 0.5;
  const double v1 = (1.0 + b * pi4 / 5.0) * (1.0 + b * pi4 / 5.0) / 2.0;
  const double v2 = a * a / 8.0;
  const double v13 = b * b * pi8 * (1.0 / 18.0 - 1.0 / 50.0);
  return {{v1 / v, v2 / v, 0.0}, {(v1 + v13) / v, v2 / v, v13 / v}};
}

/// The coefficients of Sobol's G function, prod_i (|4 x_i - 2| + a_i) / (1 + a_i) with
/// x_i ~ uniform(0, 1): from an input that dominates to two that barely matter.
inline const std::vector<double> kG = {0.0, 1.0, 4.5, 9.0, 99.0, 99.0};

/// Its exact indices: V_i = 1 / (3 (1 + a_i)^2), V = prod (1 + V_i) - 1, S_i = V_i / V and
/// ST_i = V_i prod_{j != i} (1 + V_j) / V.
inline ExactIndices g_function_indices() {
  std::vector<double> partial;
  double product = 1.0;
  for (const double a : kG) {
    partial.push_back(1.0 / (3.0 * (1.0 + a) * (1.0 + a)));
    product *= 1.0 + partial.back();
  }
  const double v = product - 1.0;
  ExactIndices exact;
  for (const double v_i : partial) {
    exact.first.push_back(v_i / v);
    exact.total.push_back(v_i * product / (1.0 + v_i) / v);
  }
  return exact;
}

}  // namespace darkfigure::sensitivity::testing
