#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "darkfigure/expression/ast.hpp"

namespace darkfigure::expression {

/// The columns of one block of draws: column `slot` starts at data + slot * stride.
struct BlockColumns {
  double* data = nullptr;
  std::size_t stride = 0;
  double* column(std::size_t slot) const noexcept { return data + slot * stride; }
};

/// A flat program of column instructions. Each instruction reads whole columns and writes one,
/// so the evaluator runs tight loops over a block instead of walking a tree per draw. An
/// instruction never writes a column it reads.
///
/// Semantics: IEEE double arithmetic; comparisons, and, or, not give 1 or 0, and NaN when an
/// operand is NaN; truth is "nonzero"; min and max propagate NaN; if(c, a, b) computes both a and
/// b over the block, then takes a where c is nonzero, b where c is 0 and NaN where c is NaN, so the
/// branch not taken never shows through.
class Program {
 public:
  /// The opcode of an instruction; the evaluator has one loop per opcode. Defined with the scalar
  /// meaning of each opcode in src/expression/operations.hpp.
  enum class Op : std::uint8_t;

  struct Instruction {
    Op op;
    std::uint32_t destination;
    std::uint32_t arguments[3];  ///< the first arity(op) are read; the others are 0
  };

  /// Columns the program needs: named quantities, then temporaries, then constants.
  std::size_t slot_count() const noexcept { return slot_count_; }

  /// Fills the first `count` rows of the constant columns; call once for each set of columns
  /// before run() with at most that count.
  void prepare(BlockColumns columns, std::size_t count) const;

  /// Runs every instruction over the first `count` draws of the columns (count <= stride). Rows
  /// from `count` on are not touched. Never throws: NaN and infinities flow into the columns.
  void run(BlockColumns columns, std::size_t count) const;

  /// The constant slots, then the instructions in order, one a line, for tests and
  /// `darkfigure check`:
  ///
  ///     s11 = const 67500
  ///     s10 = div s11 s0
  ///     s5 = div s10 s1
  ///
  /// Constants print as the shortest decimal that reads back exactly; mnemonics are copy neg add
  /// sub mul div pow lt le gt ge eq ne and or not select min max abs sqrt exp log log10 floor ceil
  /// round sin cos tan clamp, followed by the argument slots.
  std::string disassemble() const;

 private:
  friend class ProgramBuilder;
  std::vector<Instruction> code_;
  std::vector<std::pair<std::uint32_t, double>> constants_;  ///< slot, value
  std::size_t slot_count_ = 0;
};

/// Compiles formulas, one destination slot at a time, into a Program.
///
/// Constant subexpressions are folded with the evaluator's own scalar operations, so folding never
/// changes a result (4400 / 2 becomes the constant 2200; a * 2 * 3 is not reassociated). Division
/// by a power of two becomes multiplication by its reciprocal, which is exact (x / 2 is x * 0.5
/// for every double x) and several times faster. Equal constants share a slot. Temporaries take
/// the slots after the named ones; a temporary is free again once an instruction has read it, and
/// the lowest free one is taken first. The last instruction of a formula writes its destination
/// directly; a formula that is a bare name or constant becomes a copy.
class ProgramBuilder {
 public:
  /// `slot_of` maps a quantity's name to its slot; slots [0, named_slots) are the named quantities.
  ProgramBuilder(std::function<std::optional<std::size_t>(std::string_view)> slot_of,
                 std::size_t named_slots);

  /// Appends code that computes `formula` into slot `destination`. Add formulas in dependency
  /// order. Throws FormulaError for an unknown name or function, a wrong argument count (hint: the
  /// signature), or a list outside a distribution call; the builder is then unchanged.
  void add(const Node& formula, std::size_t destination);

  /// The finished program.
  Program finish() &&;

 private:
  class Compiler;  // program_builder.cpp

  std::function<std::optional<std::size_t>(std::string_view)> slot_of_;
  std::size_t named_slots_;
  Program program_;
  std::vector<double> constants_;  ///< values by constant index, in order of first use
  std::vector<std::uint32_t> free_temporaries_;
  std::uint32_t temporary_count_ = 0;
};

}  // namespace darkfigure::expression
