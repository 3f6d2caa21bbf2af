#pragma once

// The opcodes of a Program and the scalar meaning of each. The evaluator's column loops, constant
// folding and evaluate_constant() all call these same inline functions, so a folded constant is
// bit-identical to what the evaluator would have computed for it.

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <limits>
#include <string_view>

#include "darkfigure/expression/program.hpp"

namespace darkfigure::expression {

enum class Program::Op : std::uint8_t {
  Copy,
  Negate,
  Add,
  Subtract,
  Multiply,
  Divide,
  Power,
  // Less .. Not, contiguous, give truth values (is_truth_valued relies on the order).
  Less,
  LessEqual,
  Greater,
  GreaterEqual,
  Equal,
  NotEqual,
  And,
  Or,
  Not,
  Select,
  Min,
  Max,
  Abs,
  Sqrt,
  Exp,
  Log,
  Log10,
  Floor,
  Ceil,
  Round,
  Sin,
  Cos,
  Tan,
  Clamp,
};

namespace detail {

using Op = Program::Op;

/// The mnemonic disassemble() prints and the number of columns the instruction reads.
struct OpInfo {
  std::string_view mnemonic;
  std::uint8_t arity;
};

/// Indexed by Op, in the order of its enumerators.
inline constexpr OpInfo kOpInfo[] = {
    {"copy", 1}, {"neg", 1}, {"add", 2},    {"sub", 2},   {"mul", 2},  {"div", 2},   {"pow", 2},
    {"lt", 2},   {"le", 2},  {"gt", 2},     {"ge", 2},    {"eq", 2},   {"ne", 2},    {"and", 2},
    {"or", 2},   {"not", 1}, {"select", 3}, {"min", 2},   {"max", 2},  {"abs", 1},   {"sqrt", 1},
    {"exp", 1},  {"log", 1}, {"log10", 1},  {"floor", 1}, {"ceil", 1}, {"round", 1}, {"sin", 1},
    {"cos", 1},  {"tan", 1}, {"clamp", 3},
};
static_assert(std::size(kOpInfo) == static_cast<std::size_t>(Op::Clamp) + 1);

constexpr OpInfo op_info(Op op) noexcept {
  return kOpInfo[static_cast<std::size_t>(op)];
}

inline constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// NaN honesty: a comparison or logical operator with a NaN operand gives NaN, never a valid-looking
// 0 or 1. Written as selects on `x != x` so that GCC turns them into vector masks.
inline double truth(bool value) noexcept {
  return value ? 1.0 : 0.0;
}
inline bool either_nan(double a, double b) noexcept {
  return (a != a) | (b != b);
}

inline double op_less(double a, double b) noexcept {
  return either_nan(a, b) ? kNaN : truth(a < b);
}
inline double op_less_equal(double a, double b) noexcept {
  return either_nan(a, b) ? kNaN : truth(a <= b);
}
inline double op_greater(double a, double b) noexcept {
  return either_nan(a, b) ? kNaN : truth(a > b);
}
inline double op_greater_equal(double a, double b) noexcept {
  return either_nan(a, b) ? kNaN : truth(a >= b);
}
inline double op_equal(double a, double b) noexcept {
  return either_nan(a, b) ? kNaN : truth(a == b);
}
inline double op_not_equal(double a, double b) noexcept {
  return either_nan(a, b) ? kNaN : truth(a != b);
}

// Truth is "nonzero"; and/or do not short-circuit: `0 and NaN` is NaN.
inline double op_and(double a, double b) noexcept {
  return either_nan(a, b) ? kNaN : truth((a != 0.0) & (b != 0.0));
}
inline double op_or(double a, double b) noexcept {
  return either_nan(a, b) ? kNaN : truth((a != 0.0) | (b != 0.0));
}
inline double op_not(double a) noexcept {
  return a != a ? kNaN : truth(a == 0.0);
}

/// if(condition, then, otherwise): NaN when the condition is NaN; the branch not taken never
/// shows through, whatever it holds.
inline double op_select(double condition, double then, double otherwise) noexcept {
  return condition != condition ? kNaN : (condition != 0.0 ? then : otherwise);
}

// min and max propagate NaN (unlike std::fmin/fmax, which drop it) and otherwise agree with
// std::min/std::max, ties included (min(-0.0, 0.0) is -0.0, the first argument). When only `a` is
// NaN the comparison is false and `a` is kept; when `b` is NaN, `b` is taken.
inline double op_min(double a, double b) noexcept {
  return (b < a) | (b != b) ? b : a;
}
inline double op_max(double a, double b) noexcept {
  return (a < b) | (b != b) ? b : a;
}

/// clamp(x, low, high): low where x < low, high where x > high, else x; NaN when any argument is
/// NaN or low > high (a contradiction in the model, which must show up as a counted NaN rather
/// than as an arbitrary bound). Written as plain selects so that it vectorises.
inline double op_clamp(double x, double low, double high) noexcept {
  const double above_low = x < low ? low : x;  // a NaN x stays NaN through both selects
  const double clamped = above_low > high ? high : above_low;
  return low <= high ? clamped : kNaN;
}

/// The scalar result of `op` on its arguments (those beyond its arity are ignored).
inline double apply(Op op, double a, double b = 0.0, double c = 0.0) noexcept {
  switch (op) {
    case Op::Copy:
      return a;
    case Op::Negate:
      return -a;
    case Op::Add:
      return a + b;
    case Op::Subtract:
      return a - b;
    case Op::Multiply:
      return a * b;
    case Op::Divide:
      return a / b;
    case Op::Power:
      return std::pow(a, b);
    case Op::Less:
      return op_less(a, b);
    case Op::LessEqual:
      return op_less_equal(a, b);
    case Op::Greater:
      return op_greater(a, b);
    case Op::GreaterEqual:
      return op_greater_equal(a, b);
    case Op::Equal:
      return op_equal(a, b);
    case Op::NotEqual:
      return op_not_equal(a, b);
    case Op::And:
      return op_and(a, b);
    case Op::Or:
      return op_or(a, b);
    case Op::Not:
      return op_not(a);
    case Op::Select:
      return op_select(a, b, c);
    case Op::Min:
      return op_min(a, b);
    case Op::Max:
      return op_max(a, b);
    case Op::Abs:
      return std::fabs(a);
    case Op::Sqrt:
      return std::sqrt(a);
    case Op::Exp:
      return std::exp(a);
    case Op::Log:
      return std::log(a);
    case Op::Log10:
      return std::log10(a);
    case Op::Floor:
      return std::floor(a);
    case Op::Ceil:
      return std::ceil(a);
    case Op::Round:
      return std::round(a);  // half away from zero
    case Op::Sin:
      return std::sin(a);
    case Op::Cos:
      return std::cos(a);
    case Op::Tan:
      return std::tan(a);
    case Op::Clamp:
      return op_clamp(a, b, c);
  }
  return kNaN;
}

}  // namespace detail
}  // namespace darkfigure::expression
