#include "darkfigure/expression/builtins.hpp"

#include <array>
#include <string>
#include <vector>

#include "darkfigure/core/error.hpp"
#include "darkfigure/core/text.hpp"
#include "semantics.hpp"

namespace darkfigure::expression {
namespace {

// The one table: name, arity, signature, documentation. Its opcodes are in builtin_op() below.
constexpr std::array kBuiltins = {
    Builtin{"min", 2, kAnyArity, "min(a, b, ...)", "the smallest argument; NaN if any is NaN"},
    Builtin{"max", 2, kAnyArity, "max(a, b, ...)", "the largest argument; NaN if any is NaN"},
    Builtin{"abs", 1, 1, "abs(x)", "the absolute value of x"},
    Builtin{"sqrt", 1, 1, "sqrt(x)", "the square root of x; NaN for x < 0"},
    Builtin{"exp", 1, 1, "exp(x)", "e raised to the power x"},
    Builtin{"log", 1, 1, "log(x)", "the natural logarithm of x; -inf at 0, NaN for x < 0"},
    Builtin{"log10", 1, 1, "log10(x)", "the base-10 logarithm of x; -inf at 0, NaN for x < 0"},
    Builtin{"pow", 2, 2, "pow(x, y)", "x raised to the power y, the same as x ^ y"},
    Builtin{"floor", 1, 1, "floor(x)", "the largest integer not above x"},
    Builtin{"ceil", 1, 1, "ceil(x)", "the smallest integer not below x"},
    Builtin{"round", 1, 1, "round(x)",
            "the nearest integer, halves away from zero: round(2.5) = 3, round(-2.5) = -3"},
    Builtin{"clamp", 3, 3, "clamp(x, low, high)",
            "x limited to [low, high]; NaN if low > high or any argument is NaN"},
    Builtin{"sin", 1, 1, "sin(x)", "the sine of x radians"},
    Builtin{"cos", 1, 1, "cos(x)", "the cosine of x radians"},
    Builtin{"tan", 1, 1, "tan(x)", "the tangent of x radians"},
    Builtin{"if", 3, 3, "if(cond, a, b)",
            "a where cond is nonzero, b where it is 0, NaN where it is NaN; the branch not taken "
            "never shows through"},
};

std::string join_names() {
  std::string names;
  for (const Builtin& builtin : kBuiltins) {
    if (!names.empty()) names += ", ";
    names += builtin.name;
  }
  return names;
}

using core::quoted;

std::string arity_text(std::size_t count) {
  return std::to_string(count) + (count == 1 ? " argument" : " arguments");
}

}  // namespace

std::span<const Builtin> builtins() noexcept {
  return kBuiltins;
}

const Builtin* find_builtin(std::string_view name) noexcept {
  for (const Builtin& builtin : kBuiltins) {
    if (builtin.name == name) return &builtin;
  }
  return nullptr;
}

bool is_constant(std::string_view name) noexcept {
  return name == "pi" || name == "e" || name == "inf";
}

bool is_reserved(std::string_view name) noexcept {
  return find_builtin(name) != nullptr || is_constant(name) || name == "and" || name == "or" ||
         name == "not" || name == "if";
}

namespace detail {

const Builtin& checked_builtin(const Node& call) {
  const Builtin* builtin = find_builtin(call.text);
  if (builtin == nullptr) {
    std::vector<std::string> names;
    for (const Builtin& candidate : kBuiltins)
      names.emplace_back(candidate.name);
    const auto nearest = core::nearest_spelling(call.text, names);
    throw FormulaError(
        "unknown function " + quoted(call.text), call.offset, call.text.size(),
        nearest ? "did you mean " + quoted(*nearest) + "?" : "the functions are " + join_names());
  }
  const std::size_t count = call.children.size();
  if (count < builtin->min_arity || count > builtin->max_arity) {
    std::string expected;
    if (builtin->min_arity == builtin->max_arity) {
      expected = arity_text(builtin->min_arity);
    } else if (builtin->max_arity == kAnyArity) {
      expected = "at least " + arity_text(builtin->min_arity);
    } else {
      expected = std::to_string(builtin->min_arity) + " to " + arity_text(builtin->max_arity);
    }
    throw FormulaError(
        std::string(builtin->name) + " takes " + expected + ", but got " + std::to_string(count),
        call.offset, call.length, std::string(builtin->signature));
  }
  return *builtin;
}

void reject_list(const Node& list) {
  throw FormulaError("a list is only allowed as an argument of a distribution call", list.offset,
                     list.length,
                     "lists give the values and weights of inputs such as "
                     "discrete([1, 2, 3], [0.2, 0.3, 0.5])");
}

Op builtin_op(const Builtin& builtin) noexcept {
  const std::string_view name = builtin.name;
  if (name == "min") return Op::Min;
  if (name == "max") return Op::Max;
  if (name == "abs") return Op::Abs;
  if (name == "sqrt") return Op::Sqrt;
  if (name == "exp") return Op::Exp;
  if (name == "log") return Op::Log;
  if (name == "log10") return Op::Log10;
  if (name == "pow") return Op::Power;
  if (name == "floor") return Op::Floor;
  if (name == "ceil") return Op::Ceil;
  if (name == "round") return Op::Round;
  if (name == "clamp") return Op::Clamp;
  if (name == "sin") return Op::Sin;
  if (name == "cos") return Op::Cos;
  if (name == "tan") return Op::Tan;
  DARKFIGURE_CHECK(name == "if");
  return Op::Select;
}

Op unary_op(std::string_view text) noexcept {
  if (text == "-") return Op::Negate;
  DARKFIGURE_CHECK(text == "not");
  return Op::Not;
}

Op binary_op(std::string_view text) noexcept {
  if (text == "+") return Op::Add;
  if (text == "-") return Op::Subtract;
  if (text == "*") return Op::Multiply;
  if (text == "/") return Op::Divide;
  if (text == "^") return Op::Power;
  if (text == "<") return Op::Less;
  if (text == "<=") return Op::LessEqual;
  if (text == ">") return Op::Greater;
  if (text == ">=") return Op::GreaterEqual;
  if (text == "==") return Op::Equal;
  if (text == "!=") return Op::NotEqual;
  if (text == "and") return Op::And;
  DARKFIGURE_CHECK(text == "or");
  return Op::Or;
}

}  // namespace detail
}  // namespace darkfigure::expression
