#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <utility>

#include "darkfigure/core/error.hpp"
#include "darkfigure/core/text.hpp"
#include "darkfigure/expression/builtins.hpp"
#include "darkfigure/expression/program.hpp"
#include "operations.hpp"
#include "semantics.hpp"

namespace darkfigure::expression {
namespace {

using detail::Op;

/// While building, a constant argument is its index with this bit set; finish() gives the constants
/// their slots after the temporaries, whose number is known only then.
constexpr std::uint32_t kConstantTag = std::uint32_t{1} << 31;

using core::quoted;

}  // namespace

class ProgramBuilder::Compiler {
 public:
  explicit Compiler(ProgramBuilder& builder) : builder_(builder) {}

  /// Where a compiled subexpression's value is.
  struct Operand {
    enum class Kind { Slot, Temporary, Constant };
    Kind kind = Kind::Constant;
    std::uint32_t slot = 0;  ///< Slot (a named quantity) and Temporary (freed once read)
    double value = 0.0;      ///< Constant (not yet in a slot: it may still be folded)
  };

  /// Compiles `node`. The instruction producing the result writes `target` when one is given,
  /// unless that instruction reads `target` itself.
  Operand compile(const Node& node, std::optional<std::uint32_t> target) {
    switch (node.kind) {
      case NodeKind::Number:
        return constant(node.number);
      case NodeKind::Name:
        return named(node);
      case NodeKind::List:
        detail::reject_list(node);
      case NodeKind::Unary: {
        const Operand argument = compile(node.children.at(0), std::nullopt);
        return emit(detail::unary_op(node.text), {&argument, 1}, target);
      }
      case NodeKind::Binary: {
        // Two statements: the left operand is compiled (and checked) first.
        const Operand left = compile(node.children.at(0), std::nullopt);
        Operand right = compile(node.children.at(1), std::nullopt);
        Op op = detail::binary_op(node.text);
        if (op == Op::Divide && left.kind != Operand::Kind::Constant &&
            right.kind == Operand::Kind::Constant) {
          if (const std::optional<double> reciprocal = exact_reciprocal(right.value)) {
            op = Op::Multiply;
            right = constant(*reciprocal);
          }
        }
        const Operand arguments[] = {left, right};
        return emit(op, arguments, target);
      }
      case NodeKind::Call:
        break;
    }
    const Op op = detail::builtin_op(detail::checked_builtin(node));
    const std::size_t count = node.children.size();
    if (op == Op::Min || op == Op::Max) {
      // min(a, b, c) = min(min(a, b), c): NaN anywhere still comes through.
      Operand result = compile(node.children[0], std::nullopt);
      for (std::size_t i = 1; i < count; ++i) {
        const Operand next = compile(node.children[i], std::nullopt);
        const Operand arguments[] = {result, next};
        result = emit(op, arguments, i + 1 == count ? target : std::nullopt);
      }
      return result;
    }
    Operand arguments[3];
    for (std::size_t i = 0; i < count; ++i)
      arguments[i] = compile(node.children[i], std::nullopt);
    return emit(op, {arguments, count}, target);
  }

  /// Appends `destination = copy value`, unless the value is already there.
  void copy_into(const Operand& value, std::uint32_t destination) {
    const std::uint32_t source = argument_slot(value);
    release(value);
    if (source == destination) return;
    builder_.program_.code_.push_back({Op::Copy, destination, {source, 0, 0}});
  }

 private:
  static Operand constant(double value) { return {Operand::Kind::Constant, 0, value}; }

  Operand named(const Node& node) const {
    const std::optional<std::size_t> slot = builder_.slot_of_(node.text);
    if (!slot) {
      std::string hint;
      if (const Builtin* builtin = find_builtin(node.text)) {
        hint = quoted(node.text) + " is a function: call it as " + std::string(builtin->signature);
      }
      throw FormulaError("unknown name " + quoted(node.text), node.offset, node.length,
                         std::move(hint));
    }
    DARKFIGURE_CHECK(*slot < builder_.named_slots_);
    return {Operand::Kind::Slot, static_cast<std::uint32_t>(*slot), 0.0};
  }

  Operand emit(Op op, std::span<const Operand> arguments, std::optional<std::uint32_t> target) {
    DARKFIGURE_CHECK(arguments.size() == detail::op_info(op).arity);
    const bool all_constant = std::all_of(arguments.begin(), arguments.end(), [](const Operand& a) {
      return a.kind == Operand::Kind::Constant;
    });
    if (all_constant) {
      double values[3] = {0.0, 0.0, 0.0};
      for (std::size_t i = 0; i < arguments.size(); ++i)
        values[i] = arguments[i].value;
      return constant(detail::apply(op, values[0], values[1], values[2]));
    }
    Program::Instruction instruction{op, 0, {0, 0, 0}};
    bool reads_target = false;
    for (std::size_t i = 0; i < arguments.size(); ++i) {
      instruction.arguments[i] = argument_slot(arguments[i]);
      reads_target = reads_target || (target && instruction.arguments[i] == *target);
    }
    // The destination is chosen before the arguments' temporaries are freed, so an instruction
    // never writes a column it reads and the evaluator may use __restrict pointers.
    const bool to_target = target && !reads_target;
    instruction.destination = to_target ? *target : allocate();
    for (const Operand& argument : arguments)
      release(argument);
    builder_.program_.code_.push_back(instruction);
    return {to_target ? Operand::Kind::Slot : Operand::Kind::Temporary, instruction.destination,
            0.0};
  }

  /// 1 / divisor when that is exact (the divisor is a power of two), so that x / divisor and
  /// x * (1 / divisor) are the same real number and round to the same double, for every x. A
  /// multiplication is several times cheaper than a division.
  static std::optional<double> exact_reciprocal(double divisor) {
    if (!std::isfinite(divisor) || divisor == 0.0) return std::nullopt;
    int exponent = 0;
    if (std::fabs(std::frexp(divisor, &exponent)) != 0.5) return std::nullopt;
    const double reciprocal = 1.0 / divisor;
    if (!std::isfinite(reciprocal) || reciprocal * divisor != 1.0) return std::nullopt;
    if (std::fabs(std::frexp(reciprocal, &exponent)) != 0.5) return std::nullopt;
    return reciprocal;
  }

  std::uint32_t argument_slot(const Operand& operand) {
    if (operand.kind != Operand::Kind::Constant) return operand.slot;
    // Equal constants share a slot; compared bit for bit, so 0 and -0 stay apart.
    auto& constants = builder_.constants_;
    const auto same = std::find_if(constants.begin(), constants.end(), [&](double value) {
      return std::bit_cast<std::uint64_t>(value) == std::bit_cast<std::uint64_t>(operand.value);
    });
    const auto index = static_cast<std::uint32_t>(same - constants.begin());
    if (same == constants.end()) constants.push_back(operand.value);
    return kConstantTag | index;
  }

  std::uint32_t allocate() {
    auto& free = builder_.free_temporaries_;
    if (free.empty()) {
      return static_cast<std::uint32_t>(builder_.named_slots_ + builder_.temporary_count_++);
    }
    const auto lowest = std::min_element(free.begin(), free.end());
    const std::uint32_t slot = *lowest;
    free.erase(lowest);
    return slot;
  }

  void release(const Operand& operand) {
    if (operand.kind == Operand::Kind::Temporary)
      builder_.free_temporaries_.push_back(operand.slot);
  }

  ProgramBuilder& builder_;
};

ProgramBuilder::ProgramBuilder(std::function<std::optional<std::size_t>(std::string_view)> slot_of,
                               std::size_t named_slots)
    : slot_of_(std::move(slot_of)), named_slots_(named_slots) {
  DARKFIGURE_CHECK(named_slots_ < kConstantTag / 2);
}

void ProgramBuilder::add(const Node& formula, std::size_t destination) {
  DARKFIGURE_CHECK(destination < named_slots_);
  const std::size_t code_size = program_.code_.size();
  const std::size_t constant_count = constants_.size();
  const std::uint32_t temporary_count = temporary_count_;
  const std::vector<std::uint32_t> free_temporaries = free_temporaries_;
  try {
    Compiler compiler(*this);
    const auto target = static_cast<std::uint32_t>(destination);
    const Compiler::Operand result = compiler.compile(formula, target);
    compiler.copy_into(result, target);
  } catch (...) {
    program_.code_.resize(code_size);
    constants_.resize(constant_count);
    temporary_count_ = temporary_count;
    free_temporaries_ = free_temporaries;
    throw;
  }
  // Every temporary is read exactly once, so all are free again between formulas.
  DARKFIGURE_CHECK(free_temporaries_.size() == temporary_count_);
}

Program ProgramBuilder::finish() && {
  const auto first_constant = static_cast<std::uint32_t>(named_slots_ + temporary_count_);
  for (Program::Instruction& instruction : program_.code_) {
    for (std::size_t i = 0; i < detail::op_info(instruction.op).arity; ++i) {
      std::uint32_t& argument = instruction.arguments[i];
      if (argument & kConstantTag) argument = first_constant + (argument & ~kConstantTag);
    }
  }
  program_.constants_.clear();
  for (std::size_t i = 0; i < constants_.size(); ++i) {
    program_.constants_.emplace_back(first_constant + static_cast<std::uint32_t>(i), constants_[i]);
  }
  program_.slot_count_ = first_constant + constants_.size();
  return std::move(program_);
}

}  // namespace darkfigure::expression
