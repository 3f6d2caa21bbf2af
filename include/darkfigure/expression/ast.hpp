#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace darkfigure::expression {

/// A formula that cannot be parsed or compiled. offset() and length() index the formula text, so
/// the scenario layer can turn them into a file position.
class FormulaError : public std::runtime_error {
 public:
  FormulaError(std::string message, std::size_t offset, std::size_t length = 1,
               std::string hint = {});

  std::size_t offset() const noexcept { return offset_; }
  std::size_t length() const noexcept { return length_; }
  const std::string& hint() const noexcept { return hint_; }

 private:
  std::size_t offset_;
  std::size_t length_;
  std::string hint_;
};

enum class NodeKind {
  Number,  ///< a literal, or the constants pi, e and inf (text holds "pi", "e" or "inf")
  Name,    ///< a quantity of the scenario (text holds the name)
  Unary,   ///< text is "-" or "not"; one child
  Binary,  ///< text is the operator: + - * / ^ < <= > >= == != and or; two children
  Call,    ///< text is the function name (a builtin or, in a distribution call, a family)
  List,    ///< [a, b, ...]: only allowed as an argument of a distribution call
};

/// A node of a formula's syntax tree, with the byte range it covers in the formula text.
struct Node {
  NodeKind kind = NodeKind::Number;
  double number = 0.0;
  std::string text;
  std::vector<Node> children;
  std::size_t offset = 0;
  std::size_t length = 0;
};

/// Parses a formula or a distribution call. Grammar (lowest precedence first):
///   or  <  and  <  not  <  comparison (< <= > >= == !=, non-associative)  <  + -  <  * /
///   <  unary -  <  ^ (right-associative, binds tighter than unary minus: -2^2 = -4)
///   <  number | name | pi | e | inf | name(args) | (expr) | [list]
/// Numbers accept '_' between digits (67_500) and exponents (4.7e6). Calls to any name parse (the
/// scenario layer parses distribution calls with it); ProgramBuilder accepts only builtins.
/// Throws FormulaError at the first offending character; for a '(' or '[' left open at the end of
/// the formula, at that '(' or '['.
Node parse(std::string_view formula);

/// True when `text` is exactly one name as formulas read it: a letter or '_', then letters,
/// digits and '_'.
bool is_name(std::string_view text) noexcept;

/// True when the value of the tree is a truth value (0, 1, or NaN): its top is a comparison or a
/// logical operator.
bool is_truth_valued(const Node& root) noexcept;

/// Every Name node of the tree in source order (pi, e and inf are numbers, not names).
std::vector<const Node*> names_in(const Node& root);

/// The value of an expression without names or lists (numbers, pi, e, operators, builtins),
/// computed exactly as a Program would compute it. Throws FormulaError at the first name or list,
/// unknown function or wrong argument count.
double evaluate_constant(const Node& root);

/// The tree in prefix form, for tests and `darkfigure check`: "(/ (neg a) 2)", calls as
/// "(min a b)", lists as "[1 2 3]"; numbers print as the shortest decimal that reads back exactly.
std::string to_string(const Node& root);

}  // namespace darkfigure::expression
