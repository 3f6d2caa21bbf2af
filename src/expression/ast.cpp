#include "darkfigure/expression/ast.hpp"

#include <string>
#include <utility>

#include "darkfigure/core/text.hpp"
#include "operations.hpp"
#include "semantics.hpp"

namespace darkfigure::expression {

FormulaError::FormulaError(std::string message, std::size_t offset, std::size_t length,
                           std::string hint)
    : std::runtime_error(std::move(message)),
      offset_(offset),
      length_(length),
      hint_(std::move(hint)) {}

namespace {

void collect_names(const Node& node, std::vector<const Node*>& names) {
  if (node.kind == NodeKind::Name) names.push_back(&node);
  for (const Node& child : node.children)
    collect_names(child, names);
}

void append(const Node& node, std::string& out) {
  switch (node.kind) {
    case NodeKind::Number:
      out += node.text.empty() ? core::shortest_decimal(node.number) : node.text;
      return;
    case NodeKind::Name:
      out += node.text;
      return;
    case NodeKind::List:
      out += '[';
      for (std::size_t i = 0; i < node.children.size(); ++i) {
        if (i > 0) out += ' ';
        append(node.children[i], out);
      }
      out += ']';
      return;
    case NodeKind::Unary:
    case NodeKind::Binary:
    case NodeKind::Call:
      break;
  }
  out += '(';
  out += node.kind == NodeKind::Unary && node.text == "-" ? "neg" : node.text;
  for (const Node& child : node.children) {
    out += ' ';
    append(child, out);
  }
  out += ')';
}

// Children are evaluated strictly left to right, so the error reported is the leftmost one.
double evaluate(const Node& node) {
  switch (node.kind) {
    case NodeKind::Number:
      return node.number;
    case NodeKind::Name:
      throw FormulaError("expected a constant, but \"" + node.text + "\" is a name", node.offset,
                         node.length,
                         "only numbers, pi, e, operators and builtin functions are allowed here");
    case NodeKind::List:
      detail::reject_list(node);
    case NodeKind::Unary:
      return detail::apply(detail::unary_op(node.text), evaluate(node.children.at(0)));
    case NodeKind::Binary: {
      const double left = evaluate(node.children.at(0));
      const double right = evaluate(node.children.at(1));
      return detail::apply(detail::binary_op(node.text), left, right);
    }
    case NodeKind::Call:
      break;
  }
  const detail::Op op = detail::builtin_op(detail::checked_builtin(node));
  double arguments[3] = {0.0, 0.0, 0.0};
  double result = 0.0;
  for (std::size_t i = 0; i < node.children.size(); ++i) {
    const double value = evaluate(node.children[i]);
    if (op == detail::Op::Min || op == detail::Op::Max) {
      // Folded left to right, exactly as the compiler chains the binary instruction.
      result = i == 0 ? value : detail::apply(op, result, value);
    } else {
      arguments[i] = value;
    }
  }
  if (op == detail::Op::Min || op == detail::Op::Max) return result;
  return detail::apply(op, arguments[0], arguments[1], arguments[2]);
}

}  // namespace

bool is_truth_valued(const Node& root) noexcept {
  // Comparisons and logical operators are the contiguous opcodes Less .. Not.
  const auto truth = [](detail::Op op) { return op >= detail::Op::Less && op <= detail::Op::Not; };
  if (root.kind == NodeKind::Binary) return truth(detail::binary_op(root.text));
  if (root.kind == NodeKind::Unary) return truth(detail::unary_op(root.text));
  return false;
}

std::vector<const Node*> names_in(const Node& root) {
  std::vector<const Node*> names;
  collect_names(root, names);
  return names;
}

double evaluate_constant(const Node& root) {
  return evaluate(root);
}

std::string to_string(const Node& root) {
  std::string out;
  append(root, out);
  return out;
}

}  // namespace darkfigure::expression
