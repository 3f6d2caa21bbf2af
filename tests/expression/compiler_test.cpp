#include <catch2/catch.hpp>

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "darkfigure/expression/ast.hpp"
#include "darkfigure/expression/program.hpp"

using darkfigure::expression::FormulaError;
using darkfigure::expression::parse;
using darkfigure::expression::Program;
using darkfigure::expression::ProgramBuilder;

namespace {

/// A builder over named slots given in order: {"x", "y"} puts x in s0 and y in s1.
class Model {
 public:
  explicit Model(std::initializer_list<std::string_view> names) {
    for (const std::string_view name : names) {
      const std::size_t slot = slots_.size();
      slots_.emplace(std::string(name), slot);
    }
  }

  ProgramBuilder builder() const {
    return ProgramBuilder(
        [this](std::string_view name) -> std::optional<std::size_t> {
          const auto found = slots_.find(std::string(name));
          if (found == slots_.end()) return std::nullopt;
          return found->second;
        },
        slots_.size());
  }

  std::size_t slot(std::string_view name) const { return slots_.at(std::string(name)); }

  /// The program computing each {name, formula} in order.
  Program compile(
      std::initializer_list<std::pair<std::string_view, std::string_view>> formulas) const {
    ProgramBuilder builder = this->builder();
    for (const auto& [name, formula] : formulas)
      builder.add(parse(formula), slot(name));
    return std::move(builder).finish();
  }

  /// The error adding `formula` into slot `name` throws; fails the test when it throws none.
  FormulaError error(std::string_view name, std::string_view formula) const {
    ProgramBuilder builder = this->builder();
    try {
      builder.add(parse(formula), slot(name));
    } catch (const FormulaError& error) {
      return error;
    }
    FAIL("compiling \"" << formula << "\" did not throw");
    return FormulaError("", 0);
  }

 private:
  std::map<std::string, std::size_t, std::less<>> slots_;
};

const Model kXyz{"x", "y", "z", "out", "out2"};

}  // namespace

TEST_CASE("compiler: the reference model") {
  Model model{"cases_per_victim", "reporting_rate", "crisis_uptake", "population", "baseline",
              "victims_police",   "victims_crisis", "victims",       "prevalence", "exceeds"};
  const Program program = model.compile({
      {"victims_police", "67500 / cases_per_victim / reporting_rate"},
      {"victims_crisis", "4400 / crisis_uptake"},
      {"victims", "(victims_police + victims_crisis) / 2"},
      {"prevalence", "victims / population"},
      {"exceeds", "prevalence > baseline"},
  });
  CHECK(program.disassemble() ==
        "s11 = const 67500\n"
        "s12 = const 4400\n"
        "s13 = const 0.5\n"
        "s10 = div s11 s0\n"
        "s5 = div s10 s1\n"
        "s6 = div s12 s2\n"
        "s10 = add s5 s6\n"
        "s7 = mul s10 s13\n"
        "s8 = div s7 s3\n"
        "s9 = gt s8 s4\n");
  CHECK(program.slot_count() == 14);  // 10 named, 1 temporary, 3 constants
}

TEST_CASE("compiler: constant subexpressions are folded, nothing is reassociated") {
  const Model& model = kXyz;
  CHECK(model.compile({{"out", "x * (4400 / 2)"}}).disassemble() ==
        "s5 = const 2200\n"
        "s3 = mul s0 s5\n");
  CHECK(model.compile({{"out", "-2^2 + x"}}).disassemble() ==
        "s5 = const -4\n"
        "s3 = add s5 s0\n");
  CHECK(model.compile({{"out", "x * min(2 * pi, 7, sqrt(49))"}}).disassemble() ==
        "s5 = const 6.283185307179586\n"
        "s3 = mul s0 s5\n");
  // (x * 2) * 3 is not x * 6 in floating point, so it stays two multiplications.
  CHECK(model.compile({{"out", "x * 2 * 3"}}).disassemble() ==
        "s6 = const 2\n"
        "s7 = const 3\n"
        "s5 = mul s0 s6\n"
        "s3 = mul s5 s7\n");
}

TEST_CASE("compiler: division by a power of two becomes an exact multiplication") {
  const Model& model = kXyz;
  CHECK(model.compile({{"out", "x / 4"}}).disassemble() ==
        "s5 = const 0.25\n"
        "s3 = mul s0 s5\n");
  CHECK(model.compile({{"out", "x / -0.5"}}).disassemble() ==
        "s5 = const -2\n"
        "s3 = mul s0 s5\n");
  // 1/3 is not a double and 1/0 is not finite: these stay divisions, as does a constant dividend.
  CHECK(model.compile({{"out", "x / 3"}}).disassemble() ==
        "s5 = const 3\n"
        "s3 = div s0 s5\n");
  CHECK(model.compile({{"out", "x / 0"}}).disassemble() ==
        "s5 = const 0\n"
        "s3 = div s0 s5\n");
  CHECK(model.compile({{"out", "2 / x"}}).disassemble() ==
        "s5 = const 2\n"
        "s3 = div s5 s0\n");
  // 2^-1074, the smallest subnormal, has no finite reciprocal.
  CHECK(model.compile({{"out", "x / 2^-1074"}}).disassemble() ==
        "s5 = const 5e-324\n"
        "s3 = div s0 s5\n");
}

TEST_CASE("compiler: equal constants share a slot") {
  const Model& model = kXyz;
  CHECK(model.compile({{"out", "x * 2 + y * 2"}, {"out2", "z - 2"}}).disassemble() ==
        "s7 = const 2\n"
        "s5 = mul s0 s7\n"
        "s6 = mul s1 s7\n"
        "s3 = add s5 s6\n"
        "s4 = sub s2 s7\n");
}

TEST_CASE("compiler: temporaries are reused once read") {
  const Model& model = kXyz;
  const Program program =
      model.compile({{"out", "(x + y) * (y + z) + (x - z) * (x / z)"}, {"out2", "x * y + z"}});
  CHECK(program.disassemble() ==
        "s5 = add s0 s1\n"
        "s6 = add s1 s2\n"
        "s7 = mul s5 s6\n"
        "s5 = sub s0 s2\n"
        "s6 = div s0 s2\n"
        "s8 = mul s5 s6\n"
        "s3 = add s7 s8\n"
        "s5 = mul s0 s1\n"
        "s4 = add s5 s2\n");
  CHECK(program.slot_count() == 9);  // 5 named, 4 temporaries
}

TEST_CASE("compiler: a bare name or constant becomes a copy") {
  const Model& model = kXyz;
  CHECK(model.compile({{"out", "y"}}).disassemble() == "s3 = copy s1\n");
  CHECK(model.compile({{"out", "(4400 / 2)"}}).disassemble() ==
        "s5 = const 2200\n"
        "s3 = copy s5\n");
}

TEST_CASE("compiler: builtins, if and min/max chains") {
  const Model& model = kXyz;
  CHECK(model.compile({{"out", "if(x > y, x, -y)"}}).disassemble() ==
        "s5 = gt s0 s1\n"
        "s6 = neg s1\n"
        "s3 = select s5 s0 s6\n");
  CHECK(model.compile({{"out", "min(x, y, z)"}}).disassemble() ==
        "s5 = min s0 s1\n"
        "s3 = min s5 s2\n");
  CHECK(model.compile({{"out", "clamp(x ^ 2, 0, 1) + pow(y, 3)"}}).disassemble() ==
        "s7 = const 2\n"
        "s8 = const 0\n"
        "s9 = const 1\n"
        "s10 = const 3\n"
        "s5 = pow s0 s7\n"
        "s6 = clamp s5 s8 s9\n"
        "s5 = pow s1 s10\n"
        "s3 = add s6 s5\n");
  CHECK(model.compile({{"out", "not x and y or z"}}).disassemble() ==
        "s5 = not s0\n"
        "s6 = and s5 s1\n"
        "s3 = or s6 s2\n");
}

TEST_CASE("compiler: every operation has its mnemonic") {
  const std::pair<const char*, const char*> cases[] = {
      {"x", "copy s0"},           {"-x", "neg s0"},
      {"x + y", "add s0 s1"},     {"x - y", "sub s0 s1"},
      {"x * y", "mul s0 s1"},     {"x / y", "div s0 s1"},
      {"x ^ y", "pow s0 s1"},     {"pow(x, y)", "pow s0 s1"},
      {"x < y", "lt s0 s1"},      {"x <= y", "le s0 s1"},
      {"x > y", "gt s0 s1"},      {"x >= y", "ge s0 s1"},
      {"x == y", "eq s0 s1"},     {"x != y", "ne s0 s1"},
      {"x and y", "and s0 s1"},   {"x or y", "or s0 s1"},
      {"not x", "not s0"},        {"if(x, y, z)", "select s0 s1 s2"},
      {"min(x, y)", "min s0 s1"}, {"max(x, y)", "max s0 s1"},
      {"abs(x)", "abs s0"},       {"sqrt(x)", "sqrt s0"},
      {"exp(x)", "exp s0"},       {"log(x)", "log s0"},
      {"log10(x)", "log10 s0"},   {"floor(x)", "floor s0"},
      {"ceil(x)", "ceil s0"},     {"round(x)", "round s0"},
      {"sin(x)", "sin s0"},       {"cos(x)", "cos s0"},
      {"tan(x)", "tan s0"},       {"clamp(x, y, z)", "clamp s0 s1 s2"},
  };
  for (const auto& [formula, instruction] : cases) {
    INFO("formula: " << formula);
    CHECK(kXyz.compile({{"out", formula}}).disassemble() ==
          "s3 = " + std::string(instruction) + '\n');
  }
}

TEST_CASE("compiler: a formula reading its own destination goes through a temporary") {
  const Model& model = kXyz;
  CHECK(model.compile({{"out", "out + 1"}}).disassemble() ==
        "s6 = const 1\n"
        "s5 = add s3 s6\n"
        "s3 = copy s5\n");
}

TEST_CASE("compiler: errors") {
  const FormulaError function = kXyz.error("out", "x + sqr(y)");
  CHECK(std::string(function.what()) == "unknown function \"sqr\"");
  CHECK(function.offset() == 4);
  CHECK(function.length() == 3);
  CHECK(function.hint() == "did you mean \"sqrt\"?");

  const FormulaError far = kXyz.error("out", "beta(4, 16)");
  CHECK(std::string(far.what()) == "unknown function \"beta\"");
  CHECK_THAT(far.hint(), Catch::StartsWith("the functions are min, max, abs"));

  const FormulaError clamp = kXyz.error("out", "x + clamp(x, 1)");
  CHECK(std::string(clamp.what()) == "clamp takes 3 arguments, but got 2");
  CHECK(clamp.offset() == 4);
  CHECK(clamp.hint() == "clamp(x, low, high)");

  CHECK(std::string(kXyz.error("out", "min(x)").what()) ==
        "min takes at least 2 arguments, but got 1");
  CHECK(std::string(kXyz.error("out", "sqrt(x, y)").what()) == "sqrt takes 1 argument, but got 2");
  CHECK(std::string(kXyz.error("out", "if(x, y)").what()) == "if takes 3 arguments, but got 2");

  const FormulaError list = kXyz.error("out", "x * [1, 2]");
  CHECK(list.offset() == 4);
  CHECK(list.length() == 6);
  CHECK_THAT(list.what(), Catch::Contains("only allowed as an argument of a distribution call"));

  const FormulaError name = kXyz.error("out", "x + w");
  CHECK(std::string(name.what()) == "unknown name \"w\"");
  CHECK(name.offset() == 4);
  CHECK(name.length() == 1);

  const FormulaError function_as_name = kXyz.error("out", "sqrt + 1");
  CHECK(function_as_name.hint() == "\"sqrt\" is a function: call it as sqrt(x)");

  // The leftmost problem comes first.
  CHECK(kXyz.error("out", "w + sqr(v)").offset() == 0);
  CHECK(kXyz.error("out", "sqr(v)").offset() == 0);
  CHECK(kXyz.error("out", "min(v, sqr(x))").offset() == 4);
}

TEST_CASE("compiler: a failed add leaves the builder unchanged") {
  const Model& model = kXyz;
  ProgramBuilder builder = model.builder();
  builder.add(parse("x * 2"), model.slot("out"));
  CHECK_THROWS_AS(builder.add(parse("(x + 3) * (y + 4) * sqr(z)"), model.slot("out2")),
                  FormulaError);
  builder.add(parse("y - 2"), model.slot("out2"));
  CHECK(std::move(builder).finish().disassemble() ==
        "s5 = const 2\n"
        "s3 = mul s0 s5\n"
        "s4 = sub s1 s5\n");
}

TEST_CASE("compiler: an empty program") {
  const Program empty = kXyz.builder().finish();
  CHECK(empty.disassemble().empty());
  CHECK(empty.slot_count() == 5);
  const Program default_constructed;
  CHECK(default_constructed.slot_count() == 0);
  default_constructed.run({}, 0);
}
