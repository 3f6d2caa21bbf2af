#include <catch2/catch.hpp>

#include <algorithm>
#include <bit>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "darkfigure/core/text.hpp"
#include "darkfigure/expression/ast.hpp"
#include "darkfigure/expression/program.hpp"

using darkfigure::expression::BlockColumns;
using darkfigure::expression::evaluate_constant;
using darkfigure::expression::parse;
using darkfigure::expression::Program;
using darkfigure::expression::ProgramBuilder;

namespace {

constexpr std::size_t kDraws = 4096;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

/// Inputs x, y, z in slots 0 to 2; every formula computes slot 3.
Program compile(std::string_view formula) {
  ProgramBuilder builder(
      [](std::string_view name) -> std::optional<std::size_t> {
        if (name == "x") return 0;
        if (name == "y") return 1;
        if (name == "z") return 2;
        return std::nullopt;
      },
      4);
  builder.add(parse(formula), 3);
  return std::move(builder).finish();
}

struct Inputs {
  std::vector<double> x, y, z;
};

/// Slot 3 after running `formula` over the inputs as one block.
std::vector<double> run(std::string_view formula, const Inputs& in) {
  const Program program = compile(formula);
  const std::size_t count = in.x.size();
  std::vector<double> data(program.slot_count() * count);
  const BlockColumns columns{data.data(), count};
  std::copy(in.x.begin(), in.x.end(), columns.column(0));
  std::copy(in.y.begin(), in.y.end(), columns.column(1));
  std::copy(in.z.begin(), in.z.end(), columns.column(2));
  program.prepare(columns, count);
  program.run(columns, count);
  return {columns.column(3), columns.column(3) + count};
}

double run1(std::string_view formula, double x, double y = 0.0, double z = 0.0) {
  return run(formula, Inputs{{x}, {y}, {z}}).at(0);
}

/// Bit for bit, except that any NaN equals any NaN.
bool same(double a, double b) {
  return (std::isnan(a) && std::isnan(b)) ||
         std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b);
}

/// Random inputs with the awkward values mixed in: NaN, infinities, signed zeros, halves (for
/// round), integers, large and tiny numbers, and rows where y equals x (for == and <=).
Inputs random_inputs(std::uint64_t seed) {
  std::mt19937_64 engine(seed);
  std::uniform_real_distribution<double> uniform(-10.0, 10.0);
  std::uniform_int_distribution<int> pick(0, 19);
  const auto draw = [&]() -> double {
    switch (pick(engine)) {
      case 0:
        return kNaN;
      case 1:
        return kInf;
      case 2:
        return -kInf;
      case 3:
        return 0.0;
      case 4:
        return -0.0;
      case 5:
        return std::round(uniform(engine)) + 0.5;
      case 6:
        return std::round(uniform(engine));
      case 7:
        return uniform(engine) * 1e6;
      case 8:
        return uniform(engine) * 1e-6;
      default:
        return uniform(engine);
    }
  };
  Inputs in;
  for (std::size_t i = 0; i < kDraws; ++i) {
    in.x.push_back(draw());
    in.y.push_back(i % 7 == 0 ? in.x.back() : draw());
    in.z.push_back(draw());
  }
  return in;
}

bool any_nan(double a, double b) {
  return std::isnan(a) || std::isnan(b);
}
double truth(bool value) {
  return value ? 1.0 : 0.0;
}

/// `value`, hidden from the optimiser: GCC turns std::pow(x, 2.0) into x * x, which can differ
/// from the C library's pow (what the evaluator calls) in the last bit.
double runtime(double value) {
  volatile double hidden = value;
  return hidden;
}

/// The language's rules written out plainly, one operation at a time.
struct Case {
  const char* formula;
  std::function<double(double, double, double)> reference;
};

const std::vector<Case>& cases() {
  static const std::vector<Case> kCases = {
      {"-x", [](double x, double, double) { return -x; }},
      {"x + y", [](double x, double y, double) { return x + y; }},
      {"x - y", [](double x, double y, double) { return x - y; }},
      {"x * y", [](double x, double y, double) { return x * y; }},
      {"x / y", [](double x, double y, double) { return x / y; }},
      {"x / 8", [](double x, double, double) { return x / runtime(8.0); }},
      {"x / 2^1023", [](double x, double, double) { return x / runtime(std::ldexp(1.0, 1023)); }},
      {"x / -2^-1022",
       [](double x, double, double) { return x / runtime(-std::ldexp(1.0, -1022)); }},
      {"x / 2^-1074", [](double x, double, double) { return x / runtime(std::ldexp(1.0, -1074)); }},
      {"x ^ y", [](double x, double y, double) { return std::pow(x, y); }},
      {"pow(x, y)", [](double x, double y, double) { return std::pow(x, y); }},
      {"x < y", [](double x, double y, double) { return any_nan(x, y) ? kNaN : truth(x < y); }},
      {"x <= y", [](double x, double y, double) { return any_nan(x, y) ? kNaN : truth(x <= y); }},
      {"x > y", [](double x, double y, double) { return any_nan(x, y) ? kNaN : truth(x > y); }},
      {"x >= y", [](double x, double y, double) { return any_nan(x, y) ? kNaN : truth(x >= y); }},
      {"x == y", [](double x, double y, double) { return any_nan(x, y) ? kNaN : truth(x == y); }},
      {"x != y", [](double x, double y, double) { return any_nan(x, y) ? kNaN : truth(x != y); }},
      {"x and y", [](double x, double y,
                     double) { return any_nan(x, y) ? kNaN : truth(x != 0.0 && y != 0.0); }},
      {"x or y", [](double x, double y,
                    double) { return any_nan(x, y) ? kNaN : truth(x != 0.0 || y != 0.0); }},
      {"not x", [](double x, double, double) { return std::isnan(x) ? kNaN : truth(x == 0.0); }},
      {"if(x, y, z)",
       [](double x, double y, double z) { return std::isnan(x) ? kNaN
                                                 : x != 0.0    ? y
                                                               : z; }},
      {"min(x, y)",
       [](double x, double y, double) { return any_nan(x, y) ? kNaN : std::min(x, y); }},
      {"max(x, y)",
       [](double x, double y, double) { return any_nan(x, y) ? kNaN : std::max(x, y); }},
      {"min(x, y, z)",
       [](double x, double y, double z) {
         return any_nan(x, y) || std::isnan(z) ? kNaN : std::min({x, y, z});
       }},
      {"max(x, y, z)",
       [](double x, double y, double z) {
         return any_nan(x, y) || std::isnan(z) ? kNaN : std::max({x, y, z});
       }},
      {"clamp(x, y, z)",
       [](double x, double low, double high) {
         if (std::isnan(x) || any_nan(low, high) || low > high) return kNaN;
         return x < low ? low : x > high ? high : x;
       }},
      {"abs(x)", [](double x, double, double) { return std::fabs(x); }},
      {"sqrt(x)", [](double x, double, double) { return std::sqrt(x); }},
      {"exp(x)", [](double x, double, double) { return std::exp(x); }},
      {"log(x)", [](double x, double, double) { return std::log(x); }},
      {"log10(x)", [](double x, double, double) { return std::log10(x); }},
      {"floor(x)", [](double x, double, double) { return std::floor(x); }},
      {"ceil(x)", [](double x, double, double) { return std::ceil(x); }},
      {"round(x)", [](double x, double, double) { return std::round(x); }},
      {"sin(x)", [](double x, double, double) { return std::sin(x); }},
      {"cos(x)", [](double x, double, double) { return std::cos(x); }},
      {"tan(x)", [](double x, double, double) { return std::tan(x); }},
      {"x", [](double x, double, double) { return x; }},
      {"(x + y) * z - x / y", [](double x, double y, double z) { return (x + y) * z - x / y; }},
      {"x * 2.5 + 1", [](double x, double, double) { return x * 2.5 + 1.0; }},
      {"-x ^ 2", [](double x, double, double) { return -std::pow(x, runtime(2.0)); }},
      {"if(x > y, sqrt(x), -y)",
       [](double x, double y, double) { return any_nan(x, y) ? kNaN
                                               : x > y       ? std::sqrt(x)
                                                             : -y; }},
  };
  return kCases;
}

/// The formula with x, y and z replaced by literals for the given values.
std::string substitute(std::string_view formula, double x, double y, double z) {
  const auto literal = [](double value) -> std::string {
    if (std::isnan(value)) return "(0 / 0)";
    if (std::isinf(value)) return value > 0 ? "(1 / 0)" : "(-1 / 0)";
    return '(' + darkfigure::core::shortest_decimal(value) + ')';
  };
  std::string out;
  for (std::size_t i = 0; i < formula.size();) {
    std::size_t end = i;
    while (end < formula.size() &&
           (std::isalnum(static_cast<unsigned char>(formula[end])) || formula[end] == '_')) {
      ++end;
    }
    if (end == i) {
      out += formula[i++];
      continue;
    }
    const std::string_view word = formula.substr(i, end - i);
    out += word == "x"   ? literal(x)
           : word == "y" ? literal(y)
           : word == "z" ? literal(z)
                         : std::string(word);
    i = end;
  }
  return out;
}

}  // namespace

TEST_CASE("evaluator: every operation and builtin matches a scalar reference") {
  const Inputs in = random_inputs(20240611);
  for (const Case& c : cases()) {
    INFO("formula: " << c.formula);
    const std::vector<double> result = run(c.formula, in);
    std::size_t mismatches = 0;
    for (std::size_t i = 0; i < kDraws; ++i) {
      const double expected = c.reference(in.x[i], in.y[i], in.z[i]);
      if (!same(result[i], expected)) {
        if (++mismatches <= 3) {
          UNSCOPED_INFO("draw " << i << ": x=" << in.x[i] << " y=" << in.y[i] << " z=" << in.z[i]
                                << " computed " << result[i] << ", expected " << expected);
        }
      }
    }
    CHECK(mismatches == 0);
  }
}

TEST_CASE("evaluator: folded constants equal what the evaluator computes") {
  // Folding must give the bits the columns would have held: every case over a grid of awkward
  // values, once folded by the compiler, once by evaluate_constant, once run over columns.
  const double grid[] = {kNaN, kInf, -kInf, 0.0, -0.0,  1.0,   -1.0,
                         2.5,  -2.5, 0.1,   3.0, 1e300, 1e-300};
  for (const Case& c : cases()) {
    INFO("formula: " << c.formula);
    const bool uses_z = std::string_view(c.formula).find('z') != std::string_view::npos;
    Inputs in;
    for (const double x : grid) {
      for (const double y : grid) {
        for (const double z : {kNaN, -kInf, -0.0, 1.0, -2.5, 3.0}) {
          in.x.push_back(x);
          in.y.push_back(y);
          in.z.push_back(z);
          if (!uses_z) break;
        }
      }
    }
    const std::vector<double> columns = run(c.formula, in);
    std::size_t mismatches = 0;
    for (std::size_t i = 0; i < columns.size(); ++i) {
      const std::string constant = substitute(c.formula, in.x[i], in.y[i], in.z[i]);
      const Program folded = compile(constant);
      REQUIRE(folded.slot_count() == 5);  // x, y, z, the result and the one constant
      std::vector<double> data(folded.slot_count(), 0.0);
      folded.prepare({data.data(), 1}, 1);
      folded.run({data.data(), 1}, 1);
      const double by_evaluate_constant = evaluate_constant(parse(constant));
      if (!same(data[3], columns[i]) || !same(by_evaluate_constant, columns[i])) {
        if (++mismatches <= 3) {
          UNSCOPED_INFO(constant << ": folded " << data[3] << ", evaluate_constant "
                                 << by_evaluate_constant << ", columns " << columns[i]);
        }
      }
    }
    CHECK(mismatches == 0);
  }
}

TEST_CASE("evaluator: NaN is never turned into a valid-looking 0 or 1") {
  for (const char* formula : {"x < y", "x <= y", "x > y", "x >= y", "x == y", "x != y"}) {
    INFO("formula: " << formula);
    CHECK(std::isnan(run1(formula, kNaN, 1.0)));
    CHECK(std::isnan(run1(formula, 1.0, kNaN)));
    CHECK(std::isnan(run1(formula, kNaN, kNaN)));
  }
  CHECK(std::isnan(run1("x == x", kNaN)));
  CHECK(std::isnan(run1("x != x", kNaN)));
  CHECK(std::isnan(run1("x and y", 0.0, kNaN)));  // no short-circuit
  CHECK(std::isnan(run1("x and y", kNaN, 0.0)));
  CHECK(std::isnan(run1("x or y", 1.0, kNaN)));
  CHECK(std::isnan(run1("x or y", kNaN, 1.0)));
  CHECK(std::isnan(run1("not x", kNaN)));
  CHECK(std::isnan(run1("if(x, y, z)", kNaN, 1.0, 2.0)));
  CHECK(std::isnan(run1("min(x, y)", kNaN, 1.0)));
  CHECK(std::isnan(run1("min(x, y)", 1.0, kNaN)));
  CHECK(std::isnan(run1("max(x, y)", kNaN, 1.0)));
  CHECK(std::isnan(run1("max(x, y)", 1.0, kNaN)));
  CHECK(std::isnan(run1("min(x, y, z)", 1.0, 2.0, kNaN)));
  CHECK(std::isnan(run1("max(z, x, y)", 1.0, 2.0, kNaN)));
  CHECK(std::isnan(run1("clamp(x, y, z)", kNaN, 0.0, 1.0)));
  CHECK(std::isnan(run1("clamp(x, y, z)", 0.5, kNaN, 1.0)));
  CHECK(std::isnan(run1("clamp(x, y, z)", 0.5, 2.0, 1.0)));  // low > high
  CHECK(std::isnan(run1("x + 0 / 0", 1.0)));
}

TEST_CASE("evaluator: truth is nonzero, comparisons give 0 or 1") {
  CHECK(run1("x and y", -0.5, kInf) == 1.0);
  CHECK(run1("x and y", -0.0, 1.0) == 0.0);
  CHECK(run1("x or y", 0.0, -0.0) == 0.0);
  CHECK(run1("not x", -3.0) == 0.0);
  CHECK(run1("not x", -0.0) == 1.0);
  CHECK(run1("if(x, y, z)", -2.0, 10.0, 20.0) == 10.0);
  CHECK(run1("if(x, y, z)", 0.0, 10.0, 20.0) == 20.0);
  CHECK(run1("x < y", -kInf, kInf) == 1.0);
  CHECK(run1("x == y", 0.0, -0.0) == 1.0);
  CHECK(run1("round(x)", 2.5) == 3.0);
  CHECK(run1("round(x)", -2.5) == -3.0);
  CHECK(run1("round(x)", 0.49999999999999994) == 0.0);
  CHECK(run1("-x ^ 2", 3.0) == -9.0);
}

TEST_CASE("evaluator: if() never lets the branch not taken show through") {
  CHECK(run1("if(x, y, z)", 1.0, 5.0, kNaN) == 5.0);
  CHECK(run1("if(x, y, z)", 0.0, kNaN, 5.0) == 5.0);
  CHECK(run1("if(x, y, z)", 1.0, 5.0, kInf) == 5.0);
  CHECK(run1("if(x > 0, sqrt(x), 0)", -4.0) == 0.0);
  CHECK(run1("if(y != 0, x / y, 0)", 1.0, 0.0) == 0.0);
  CHECK(run1("if(x > 0, log(x), -1)", 0.0) == -1.0);
}

TEST_CASE("evaluator: run touches only the first count rows") {
  const Program program = compile("if(x > y, sqrt(x), -y) * 2 + clamp(z, 0, 1)");
  constexpr std::size_t kStride = 64;
  constexpr std::size_t kCount = 10;
  constexpr double kUntouched = 12345.0;
  std::vector<double> data(program.slot_count() * kStride, kUntouched);
  const BlockColumns columns{data.data(), kStride};
  const Inputs in = random_inputs(7);
  for (std::size_t i = 0; i < kCount; ++i) {
    columns.column(0)[i] = in.x[i];
    columns.column(1)[i] = in.y[i];
    columns.column(2)[i] = in.z[i];
  }
  program.prepare(columns, kCount);
  program.run(columns, kCount);
  for (std::size_t slot = 0; slot < program.slot_count(); ++slot) {
    for (std::size_t i = kCount; i < kStride; ++i) {
      INFO("slot " << slot << ", row " << i);
      REQUIRE(columns.column(slot)[i] == kUntouched);
    }
  }
  const std::vector<double> whole = run("if(x > y, sqrt(x), -y) * 2 + clamp(z, 0, 1)",
                                        Inputs{{in.x.begin(), in.x.begin() + kCount},
                                               {in.y.begin(), in.y.begin() + kCount},
                                               {in.z.begin(), in.z.begin() + kCount}});
  for (std::size_t i = 0; i < kCount; ++i)
    CHECK(same(columns.column(3)[i], whole[i]));

  // count 0 changes nothing at all.
  std::vector<double> untouched(program.slot_count() * kStride, kUntouched);
  const BlockColumns empty{untouched.data(), kStride};
  program.prepare(empty, 0);
  program.run(empty, 0);
  CHECK(std::all_of(untouched.begin(), untouched.end(), [](double v) { return v == kUntouched; }));
}

TEST_CASE("evaluator: the reference model") {
  // Inputs in slots 0..4 and derived quantities in slots 5..9, as the benchmark uses them.
  const char* names[] = {"cases_per_victim", "reporting_rate", "crisis_uptake",  "population",
                         "baseline",         "victims_police", "victims_crisis", "victims",
                         "prevalence",       "exceeds"};
  ProgramBuilder builder(
      [&](std::string_view name) -> std::optional<std::size_t> {
        for (std::size_t slot = 0; slot < std::size(names); ++slot) {
          if (name == names[slot]) return slot;
        }
        return std::nullopt;
      },
      std::size(names));
  builder.add(parse("67500 / cases_per_victim / reporting_rate"), 5);
  builder.add(parse("4400 / crisis_uptake"), 6);
  builder.add(parse("(victims_police + victims_crisis) / 2"), 7);
  builder.add(parse("victims / population"), 8);
  builder.add(parse("prevalence > baseline"), 9);
  const Program program = std::move(builder).finish();

  std::vector<double> data(program.slot_count() * kDraws);
  const BlockColumns columns{data.data(), kDraws};
  std::mt19937_64 engine(42);
  std::uniform_real_distribution<double> unit(0.01, 1.0);
  for (std::size_t i = 0; i < kDraws; ++i) {
    columns.column(0)[i] = 1.0 + unit(engine);
    columns.column(1)[i] = unit(engine);
    columns.column(2)[i] = unit(engine) * 0.05;
    columns.column(3)[i] = 4.7e6 + 1e5 * unit(engine);
    columns.column(4)[i] = unit(engine) * 0.5;
  }
  program.prepare(columns, kDraws);
  program.run(columns, kDraws);
  for (std::size_t i = 0; i < kDraws; ++i) {
    const double police = 67500.0 / columns.column(0)[i] / columns.column(1)[i];
    const double crisis = 4400.0 / columns.column(2)[i];
    const double victims = (police + crisis) / 2.0;
    const double prevalence = victims / columns.column(3)[i];
    REQUIRE(columns.column(5)[i] == police);
    REQUIRE(columns.column(6)[i] == crisis);
    REQUIRE(columns.column(7)[i] == victims);
    REQUIRE(columns.column(8)[i] == prevalence);
    REQUIRE(columns.column(9)[i] == (prevalence > columns.column(4)[i] ? 1.0 : 0.0));
  }
}
