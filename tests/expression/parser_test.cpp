#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <numbers>
#include <random>
#include <string>
#include <string_view>

#include "darkfigure/expression/ast.hpp"

using darkfigure::expression::evaluate_constant;
using darkfigure::expression::FormulaError;
using darkfigure::expression::names_in;
using darkfigure::expression::Node;
using darkfigure::expression::NodeKind;
using darkfigure::expression::parse;
using darkfigure::expression::to_string;

namespace {

std::string tree(std::string_view formula) {
  return to_string(parse(formula));
}

/// The error parse() throws for `formula`; fails the test when it throws none.
FormulaError parse_error(std::string_view formula) {
  try {
    parse(formula);
  } catch (const FormulaError& error) {
    return error;
  }
  FAIL("parse(\"" << formula << "\") did not throw");
  return FormulaError("", 0);
}

FormulaError constant_error(std::string_view formula) {
  try {
    evaluate_constant(parse(formula));
  } catch (const FormulaError& error) {
    return error;
  }
  FAIL("evaluate_constant(\"" << formula << "\") did not throw");
  return FormulaError("", 0);
}

}  // namespace

TEST_CASE("parse: precedence and associativity") {
  struct Case {
    const char* formula;
    const char* expected;
  };
  const Case cases[] = {
      {"a + b * c", "(+ a (* b c))"},
      {"a * b + c", "(+ (* a b) c)"},
      {"a - b - c", "(- (- a b) c)"},
      {"a / b / c", "(/ (/ a b) c)"},
      {"a / b * c", "(* (/ a b) c)"},
      {"(a + b) * c", "(* (+ a b) c)"},
      {"-2^2", "(neg (^ 2 2))"},
      {"2^3^2", "(^ 2 (^ 3 2))"},
      {"2^-1", "(^ 2 (neg 1))"},
      {"(-2)^2", "(^ (neg 2) 2)"},
      {"-a * b", "(* (neg a) b)"},
      {"a * -b", "(* a (neg b))"},
      {"- -a", "(neg (neg a))"},
      {"-a / 2", "(/ (neg a) 2)"},
      {"a < b and c > d", "(and (< a b) (> c d))"},
      {"not a == b", "(not (== a b))"},
      {"not a and b", "(and (not a) b)"},
      {"not not a", "(not (not a))"},
      {"a or b and c", "(or a (and b c))"},
      {"a and b or c and d", "(or (and a b) (and c d))"},
      {"a or b or c", "(or (or a b) c)"},
      {"a + b <= c * d", "(<= (+ a b) (* c d))"},
      {"a >= b", "(>= a b)"},
      {"a != b", "(!= a b)"},
      {"(a < b) < c", "(< (< a b) c)"},
      {"if(a > 0, a, -a)", "(if (> a 0) a (neg a))"},
      {"min(a, b, c)", "(min a b c)"},
      {"beta(4, 16)", "(beta 4 16)"},
      {"f()", "(f)"},
      {"discrete([1, 2, 3], [0.2, 0.3, 0.5])", "(discrete [1 2 3] [0.2 0.3 0.5])"},
      {"[]", "[]"},
      {"uniform(-pi, pi)", "(uniform (neg pi) pi)"},
      {"pi * e ^ 2", "(* pi (^ e 2))"},
      {"x_1 + _y + Z9", "(+ (+ x_1 _y) Z9)"},
      {"  a\t+\r\nb  ", "(+ a b)"},
      {"and_x + or_y + note", "(+ (+ and_x or_y) note)"},
  };
  for (const Case& c : cases) {
    INFO("formula: " << c.formula);
    CHECK(tree(c.formula) == c.expected);
  }
}

TEST_CASE("parse: numbers") {
  struct Case {
    const char* formula;
    double value;
  };
  const Case cases[] = {
      {"67_500", 67500.0},
      {"4.7e6", 4.7e6},
      {".5", 0.5},
      {"1e-3", 1e-3},
      {"1E+3", 1000.0},
      {"1_000.000_5", 1000.0005},
      {"2.", 2.0},
      {"0.1", 0.1},
      {"1e1_0", 1e10},
      {"007", 7.0},
      {"1.7976931348623157e308", 1.7976931348623157e308},
  };
  for (const Case& c : cases) {
    INFO("formula: " << c.formula);
    const Node node = parse(c.formula);
    CHECK(node.kind == NodeKind::Number);
    CHECK(node.number == c.value);
    CHECK(node.text.empty());
    CHECK(node.offset == 0);
    CHECK(node.length == std::string_view(c.formula).size());
  }
  CHECK(tree("67_500") == "67500");
  CHECK(tree("1e-3") == "0.001");
}

TEST_CASE("parse: inf is a number, so bounds can be unbounded") {
  const Node inf = parse("-inf");
  CHECK(evaluate_constant(inf) == -std::numeric_limits<double>::infinity());
  CHECK(names_in(parse("inf")).empty());
}

TEST_CASE("parse: pi and e are numbers, not names") {
  const Node pi = parse("pi");
  CHECK(pi.kind == NodeKind::Number);
  CHECK(pi.text == "pi");
  CHECK(pi.number == std::numbers::pi);
  const Node e = parse("e");
  CHECK(e.kind == NodeKind::Number);
  CHECK(e.text == "e");
  CHECK(e.number == std::numbers::e);
  CHECK(names_in(parse("pi * r ^ 2 + e")).size() == 1);
  // Only the bare words: longer names and calls are not the constants.
  CHECK(parse("pie").kind == NodeKind::Name);
  CHECK(parse("e(1)").kind == NodeKind::Call);
}

TEST_CASE("parse: nodes carry their source range") {
  const Node root = parse("(a + b) * c");
  CHECK(root.offset == 0);
  CHECK(root.length == 11);
  REQUIRE(root.children.size() == 2);
  CHECK(root.children[0].offset == 1);  // the sum itself, without its parentheses
  CHECK(root.children[0].length == 5);
  CHECK(root.children[1].offset == 10);
  CHECK(root.children[1].length == 1);

  const Node call = parse("x + clamp(a, 0, 1)").children.at(1);
  CHECK(call.kind == NodeKind::Call);
  CHECK(call.offset == 4);
  CHECK(call.length == 14);

  const Node negation = parse(" -x");
  CHECK(negation.offset == 1);
  CHECK(negation.length == 2);

  const Node list = parse("f([1, 2])").children.at(0);
  CHECK(list.kind == NodeKind::List);
  CHECK(list.offset == 2);
  CHECK(list.length == 6);
}

TEST_CASE("names_in: every name in source order, repeats included") {
  const Node root = parse("a + f(b, [c, pi]) * a - e");
  const auto names = names_in(root);
  REQUIRE(names.size() == 4);
  CHECK(names[0]->text == "a");
  CHECK(names[0]->offset == 0);
  CHECK(names[1]->text == "b");
  CHECK(names[2]->text == "c");
  CHECK(names[3]->text == "a");
  CHECK(names[3]->offset == 20);
}

TEST_CASE("parse: errors point at the offending character") {
  struct Case {
    const char* formula;
    std::size_t offset;
    const char* message;  // a substring of what()
  };
  const Case cases[] = {
      {"", 0, "empty formula"},
      {"   ", 0, "empty formula"},
      {"a $ b", 2, "unexpected character \"$\""},
      {"a + \xc3\x97 b", 4, "unexpected character \"\xc3\x97\""},
      {"a +", 3, "the formula ends here"},
      {"a + )", 4, "but found \")\""},
      {"(a + b", 0, "missing \")\" to close this \"(\""},
      {"x * (a + (b)", 4, "missing \")\""},
      {"f(a, (b)", 1, "missing \")\""},
      {"[1, 2", 0, "missing \"]\""},
      {"(a + b c)", 7, "expected \")\" or an operator, but found \"c\""},
      {"f(a b)", 4, "expected \")\" or \",\""},
      {"f(a,)", 4, "but found \")\""},
      {"a b", 2, "after a complete expression"},
      {"a)", 1, "without a matching"},
      {"1.2.3", 0, "malformed number \"1.2.3\""},
      {"x + 1_", 4, "malformed number \"1_\""},
      {"1__0", 0, "malformed number"},
      {"1._5", 0, "malformed number"},
      {"1e", 0, "malformed number \"1e\""},
      {"1e+", 0, "malformed number \"1e+\""},
      {"2x", 0, "malformed number \"2x\""},
      {"0x10", 0, "malformed number"},
      {"y * 1e999", 4, "out of the range"},
      {"a < b < c", 6, "comparisons cannot be chained"},
      {"a == b != c", 7, "comparisons cannot be chained"},
      {"a = b", 2, "unexpected \"=\""},
      {"a && b", 2, "unexpected \"&&\""},
      {"a || b", 2, "unexpected \"||\""},
      {"!a", 0, "unexpected \"!\""},
      {"a ** 2", 3, "unexpected \"*\""},
      {"if + 1", 0, "expected \"(\" after if"},
      {"a and", 5, "the formula ends here"},
      {"and a", 0, "the keyword \"and\""},
      {"a + not b", 4, "the keyword \"not\""},
      {"a\x01", 1, "control character 0x01"},
  };
  for (const Case& c : cases) {
    INFO("formula: " << c.formula);
    const FormulaError error = parse_error(c.formula);
    CHECK(error.offset() == c.offset);
    CHECK_THAT(error.what(), Catch::Contains(c.message));
  }
}

TEST_CASE("parse: error lengths and hints") {
  const FormulaError number = parse_error("x + 1.2.3 * y");
  CHECK(number.length() == 5);
  CHECK_THAT(number.hint(), Catch::Contains("67_500"));

  const FormulaError chained = parse_error("a < b + 1 < c");
  CHECK(chained.length() == 1);
  CHECK(chained.hint() == "write \"a < b + 1 and b + 1 < c\"");
  CHECK(parse_error("a < b <").hint() == "combine comparisons with \"and\": a < b and b < c");

  CHECK(parse_error("a = b").hint() == "compare with \"==\"");
  CHECK(parse_error("a && b").hint() == "write \"and\"");
  CHECK(parse_error("a ** b").hint() == "write powers as a ^ b");
  CHECK(parse_error("a + \xc3\x97 b").length() == 2);
  CHECK(parse_error("(a").length() == 1);
  CHECK(parse_error("a +").length() == 0);
}

TEST_CASE("parse: nesting beyond the limit is an error, not a crash") {
  const std::string deep = std::string(5000, '(') + "1" + std::string(5000, ')');
  CHECK_THAT(parse_error(deep).what(), Catch::Contains("nests too deeply"));
  CHECK_THAT(parse_error(std::string(5000, '-') + "1").what(), Catch::Contains("nests too deeply"));
  std::string chain = "1";
  for (int i = 0; i < 5000; ++i)
    chain += "+1";
  CHECK_THAT(parse_error(chain).what(), Catch::Contains("nests too deeply"));
  // Ordinary depth is fine.
  CHECK(evaluate_constant(parse(std::string(50, '(') + "1" + std::string(50, ')'))) == 1.0);
}

TEST_CASE("evaluate_constant: distribution arguments and constant formulas") {
  const Node call = parse("uniform(-pi, pi)");
  REQUIRE(call.children.size() == 2);
  CHECK(evaluate_constant(call.children[0]) == -std::numbers::pi);
  CHECK(evaluate_constant(call.children[1]) == std::numbers::pi);

  CHECK(evaluate_constant(parse("2^-1")) == 0.5);
  CHECK(evaluate_constant(parse("-2^2")) == -4.0);
  CHECK(evaluate_constant(parse("2^3^2")) == 512.0);
  CHECK(evaluate_constant(parse("4400 / 2")) == 2200.0);
  CHECK(evaluate_constant(parse("67_500 / 1.5 / 0.2")) == 67500.0 / 1.5 / 0.2);
  CHECK(evaluate_constant(parse("min(3, 1, 2) + max(1, 5, 2)")) == 6.0);
  CHECK(evaluate_constant(parse("if(1 > 2, 10, 20)")) == 20.0);
  CHECK(evaluate_constant(parse("round(2.5) - round(-2.5)")) == 6.0);
  CHECK(evaluate_constant(parse("clamp(5, 0, 1)")) == 1.0);
  CHECK(evaluate_constant(parse("e")) == std::numbers::e);
  CHECK(evaluate_constant(parse("log(e)")) == std::log(std::numbers::e));
  CHECK(evaluate_constant(parse("1 < 2 and not 0")) == 1.0);
  CHECK(std::isnan(evaluate_constant(parse("sqrt(-1)"))));
  CHECK(std::isnan(evaluate_constant(parse("1 < 0 / 0"))));
}

TEST_CASE("evaluate_constant: errors at names, lists and bad calls") {
  const FormulaError name = constant_error("2 * (1 + rate)");
  CHECK(name.offset() == 9);
  CHECK(name.length() == 4);
  CHECK_THAT(name.what(), Catch::Contains("\"rate\" is a name"));

  // The leftmost problem is reported.
  CHECK(constant_error("a + b").offset() == 0);
  CHECK(constant_error("1 + b").offset() == 4);

  const FormulaError list = constant_error("1 + [1, 2]");
  CHECK(list.offset() == 4);
  CHECK_THAT(list.what(), Catch::Contains("list"));

  const FormulaError function = constant_error("sqr(2)");
  CHECK(function.offset() == 0);
  CHECK(std::string(function.what()) == "unknown function \"sqr\"");
  CHECK(function.hint() == "did you mean \"sqrt\"?");

  const FormulaError arity = constant_error("1 + clamp(1, 2)");
  CHECK(arity.offset() == 4);
  CHECK(std::string(arity.what()) == "clamp takes 3 arguments, but got 2");
  CHECK(arity.hint() == "clamp(x, low, high)");
}

TEST_CASE("parse: random input either parses or fails inside the formula") {
  // Pieces of valid and invalid formulas glued at random: the parser must never crash, and every
  // error range must lie inside the text so that callers can point a caret at it.
  const std::string_view pieces[] = {
      "a",   "b1", "_x",  "1",  "2.5", "1e-3", "67_500", ".5", "1_", "+", "-",   "*",
      "/",   "^",  "<",   "<=", "==",  "!=",   "(",      ")",  "[",  "]", ",",   " ",
      "and", "or", "not", "if", "pi",  "e",    "min",    "=",  "!",  "$", "\xc3"};
  std::mt19937 engine(12345);
  std::uniform_int_distribution<std::size_t> piece(0, std::size(pieces) - 1);
  std::uniform_int_distribution<int> length(0, 12);
  std::size_t parsed = 0;
  for (int round = 0; round < 20000; ++round) {
    std::string formula;
    for (int i = length(engine); i > 0; --i)
      formula += pieces[piece(engine)];
    try {
      const Node root = parse(formula);
      ++parsed;
      CHECK(root.offset + root.length <= formula.size());
      CHECK_FALSE(to_string(root).empty());
    } catch (const FormulaError& error) {
      INFO("formula: " << formula);
      CHECK(error.offset() + error.length() <= formula.size());
    }
  }
  CHECK(parsed > 100);
}

TEST_CASE("parse: is_name accepts exactly one formula name") {
  for (const std::string_view text : {"x", "_x", "reporting_rate", "a1"}) {
    CHECK(darkfigure::expression::is_name(text));
  }
  for (const std::string_view text : {"", "1a", "crisis-uptake", "a b", "\xc3\xa9"}) {
    CHECK_FALSE(darkfigure::expression::is_name(text));
  }
}

TEST_CASE("parse: truth-valued formulas are comparisons and logical operators") {
  using darkfigure::expression::is_truth_valued;
  for (const char* formula : {"a > b", "a == 1", "not a", "a and b", "a < 1 or b"}) {
    CHECK(is_truth_valued(parse(formula)));
  }
  for (const char* formula : {"a + b", "-a", "if(a, 1, 0)", "(a > b) * 2", "1"}) {
    CHECK_FALSE(is_truth_valued(parse(formula)));
  }
}
