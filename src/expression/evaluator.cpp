// The block evaluator: one tight loop per opcode over the first `count` rows. The loops take
// __restrict pointers (the builder guarantees an instruction never writes a column it reads) and
// inline the scalar operations of operations.hpp, so GCC vectorises the arithmetic, comparisons,
// selects, min/max, abs and sqrt at -O3 without -march. Transcendental functions, pow and the
// rounding functions stay calls into libm, one per element.
//
// This file is compiled with -fno-math-errno (see CMakeLists.txt): sqrt of a negative number then
// needs no errno branch and vectorises. The results are the same IEEE values either way.

#include <cstring>
#include <string>

#include "darkfigure/core/error.hpp"
#include "darkfigure/core/text.hpp"
#include "darkfigure/expression/program.hpp"
#include "operations.hpp"

namespace darkfigure::expression {
namespace {

using detail::Op;

template <class F>
void map1(double* __restrict out, const double* __restrict a, std::size_t count, F f) {
  for (std::size_t i = 0; i < count; ++i)
    out[i] = f(a[i]);
}

template <class F>
void map2(double* __restrict out, const double* __restrict a, const double* __restrict b,
          std::size_t count, F f) {
  for (std::size_t i = 0; i < count; ++i)
    out[i] = f(a[i], b[i]);
}

template <class F>
void map3(double* __restrict out, const double* __restrict a, const double* __restrict b,
          const double* __restrict c, std::size_t count, F f) {
  for (std::size_t i = 0; i < count; ++i)
    out[i] = f(a[i], b[i], c[i]);
}

/// Runs one instruction over the first `count` rows of the columns.
void execute(const Program::Instruction& instruction, BlockColumns columns, std::size_t count) {
  double* out = columns.column(instruction.destination);
  const double* a = columns.column(instruction.arguments[0]);
  const double* b = columns.column(instruction.arguments[1]);
  const double* c = columns.column(instruction.arguments[2]);
  switch (instruction.op) {
    case Op::Copy:
      if (count > 0) std::memcpy(out, a, count * sizeof(double));
      break;
    case Op::Negate:
      map1(out, a, count, [](double x) { return -x; });
      break;
    case Op::Add:
      map2(out, a, b, count, [](double x, double y) { return x + y; });
      break;
    case Op::Subtract:
      map2(out, a, b, count, [](double x, double y) { return x - y; });
      break;
    case Op::Multiply:
      map2(out, a, b, count, [](double x, double y) { return x * y; });
      break;
    case Op::Divide:
      map2(out, a, b, count, [](double x, double y) { return x / y; });
      break;
    case Op::Power:
      map2(out, a, b, count, [](double x, double y) { return std::pow(x, y); });
      break;
    case Op::Less:
      map2(out, a, b, count, detail::op_less);
      break;
    case Op::LessEqual:
      map2(out, a, b, count, detail::op_less_equal);
      break;
    case Op::Greater:
      map2(out, a, b, count, detail::op_greater);
      break;
    case Op::GreaterEqual:
      map2(out, a, b, count, detail::op_greater_equal);
      break;
    case Op::Equal:
      map2(out, a, b, count, detail::op_equal);
      break;
    case Op::NotEqual:
      map2(out, a, b, count, detail::op_not_equal);
      break;
    case Op::And:
      map2(out, a, b, count, detail::op_and);
      break;
    case Op::Or:
      map2(out, a, b, count, detail::op_or);
      break;
    case Op::Not:
      map1(out, a, count, detail::op_not);
      break;
    case Op::Select:
      map3(out, a, b, c, count, detail::op_select);
      break;
    case Op::Min:
      map2(out, a, b, count, detail::op_min);
      break;
    case Op::Max:
      map2(out, a, b, count, detail::op_max);
      break;
    case Op::Abs:
      map1(out, a, count, [](double x) { return std::fabs(x); });
      break;
    case Op::Sqrt:
      map1(out, a, count, [](double x) { return std::sqrt(x); });
      break;
    case Op::Exp:
      map1(out, a, count, [](double x) { return std::exp(x); });
      break;
    case Op::Log:
      map1(out, a, count, [](double x) { return std::log(x); });
      break;
    case Op::Log10:
      map1(out, a, count, [](double x) { return std::log10(x); });
      break;
    case Op::Floor:
      map1(out, a, count, [](double x) { return std::floor(x); });
      break;
    case Op::Ceil:
      map1(out, a, count, [](double x) { return std::ceil(x); });
      break;
    case Op::Round:
      map1(out, a, count, [](double x) { return std::round(x); });
      break;
    case Op::Sin:
      map1(out, a, count, [](double x) { return std::sin(x); });
      break;
    case Op::Cos:
      map1(out, a, count, [](double x) { return std::cos(x); });
      break;
    case Op::Tan:
      map1(out, a, count, [](double x) { return std::tan(x); });
      break;
    case Op::Clamp:
      map3(out, a, b, c, count, detail::op_clamp);
      break;
  }
}

}  // namespace

void Program::prepare(BlockColumns columns, std::size_t count) const {
  DARKFIGURE_CHECK(count <= columns.stride);
  for (const auto& [slot, value] : constants_) {
    double* column = columns.column(slot);
    for (std::size_t i = 0; i < count; ++i)
      column[i] = value;
  }
}

void Program::run(BlockColumns columns, std::size_t count) const {
  DARKFIGURE_CHECK(count <= columns.stride);
  // Running the block in L1-sized tiles (every instruction over rows 0..255, then 256..511, ...)
  // was measured and gained nothing: the loops are bound by division and libm calls, not memory.
  for (const Instruction& instruction : code_)
    execute(instruction, columns, count);
}

std::string Program::disassemble() const {
  std::string out;
  for (const auto& [slot, value] : constants_) {
    out += 's' + std::to_string(slot) + " = const " + core::shortest_decimal(value) + '\n';
  }
  for (const Instruction& instruction : code_) {
    const detail::OpInfo info = detail::op_info(instruction.op);
    out += 's' + std::to_string(instruction.destination) + " = ";
    out += info.mnemonic;
    for (std::size_t i = 0; i < info.arity; ++i) {
      out += " s" + std::to_string(instruction.arguments[i]);
    }
    out += '\n';
  }
  return out;
}

}  // namespace darkfigure::expression
