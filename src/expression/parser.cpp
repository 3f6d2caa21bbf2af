// Recursive descent over the grammar documented at parse() in ast.hpp, one function per precedence
// level. Tokens are read lazily, one ahead, so the first error reported is the leftmost one.

#include <algorithm>
#include <charconv>
#include <cstddef>
#include <limits>
#include <numbers>
#include <string>
#include <string_view>
#include <system_error>
#include <tuple>
#include <utility>

#include "darkfigure/core/text.hpp"
#include "darkfigure/expression/ast.hpp"

namespace darkfigure::expression {
namespace {

/// Nesting of parentheses, calls, lists and prefix operators the parser will follow; deeper
/// formulas would only risk the stack.
constexpr std::size_t kMaxDepth = 200;
/// Height of the tree (long chains like a+a+...+a count too), which bounds the recursion of every
/// later pass over the tree.
constexpr std::size_t kMaxHeight = 2000;

enum class TokenKind { End, Number, Name, Symbol };

struct Token {
  TokenKind kind = TokenKind::End;
  std::string_view text;
  std::size_t offset = 0;
  double number = 0.0;

  std::size_t end() const noexcept { return offset + text.size(); }
};

bool is_digit(char c) noexcept {
  return c >= '0' && c <= '9';
}
bool is_name_start(char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool is_name_char(char c) noexcept {
  return is_name_start(c) || is_digit(c);
}
}  // namespace

bool is_name(std::string_view text) noexcept {
  return !text.empty() && is_name_start(text.front()) &&
         std::all_of(text.begin(), text.end(), is_name_char);
}

namespace {

bool is_space(char c) noexcept {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

using core::quoted;

/// True for text of the form  digits [. [digits]] | . digits,  then optionally  e [+-] digits,
/// where digits may have single '_' between two digits (67_500).
bool is_valid_number(std::string_view text) noexcept {
  std::size_t k = 0;
  const auto digits = [&] {
    if (k == text.size() || !is_digit(text[k])) return false;
    ++k;
    while (k < text.size()) {
      if (is_digit(text[k])) {
        ++k;
      } else if (text[k] == '_' && k + 1 < text.size() && is_digit(text[k + 1])) {
        k += 2;
      } else {
        break;
      }
    }
    return true;
  };
  const bool integer_part = digits();
  bool fraction_part = false;
  if (k < text.size() && text[k] == '.') {
    ++k;
    fraction_part = digits();
  }
  if (!integer_part && !fraction_part) return false;
  if (k < text.size() && (text[k] == 'e' || text[k] == 'E')) {
    ++k;
    if (k < text.size() && (text[k] == '+' || text[k] == '-')) ++k;
    if (!digits()) return false;
  }
  return k == text.size();
}

constexpr std::string_view kNumberForms =
    "numbers look like 67500, 67_500, 4.7e6, .5 or 1e-3 ('_' only between two digits)";

class Parser {
 public:
  explicit Parser(std::string_view formula) : formula_(formula) { advance(); }

  Node parse_formula() {
    if (token_.kind == TokenKind::End) {
      throw FormulaError("empty formula", 0, 0, "write a number, a name or an expression");
    }
    Parsed result = parse_or();
    if (token_.kind != TokenKind::End) {
      if (is_symbol(")")) {
        throw FormulaError("unexpected \")\" without a matching \"(\"", token_.offset, 1);
      }
      throw FormulaError("unexpected " + quoted(token_.text) + " after a complete expression",
                         token_.offset, token_.text.size(), "is an operator missing before it?");
    }
    return std::move(result.node);
  }

 private:
  /// A parsed operand with the range it covers including enclosing parentheses, which is the
  /// range an enclosing operator's node spans.
  struct Parsed {
    Node node;
    std::size_t begin = 0;
    std::size_t end = 0;
    std::size_t height = 1;
  };

  /// Counts the nesting of recursive constructs for the depth limit.
  class Nest {
   public:
    Nest(Parser& parser, const Token& at) : parser_(parser) {
      if (++parser_.depth_ > kMaxDepth) {
        throw FormulaError("formula nests too deeply", at.offset, at.text.size(),
                           "split it into several derived quantities");
      }
    }
    ~Nest() { --parser_.depth_; }
    Nest(const Nest&) = delete;
    Nest& operator=(const Nest&) = delete;

   private:
    Parser& parser_;
  };

  // ---- tokens

  void advance() {
    std::size_t i = position_;
    while (i < formula_.size() && is_space(formula_[i]))
      ++i;
    token_ = Token{TokenKind::End, formula_.substr(i, 0), i, 0.0};
    if (i < formula_.size()) {
      const char c = formula_[i];
      if (is_digit(c) || (c == '.' && i + 1 < formula_.size() && is_digit(formula_[i + 1]))) {
        lex_number(i);
      } else if (is_name_start(c)) {
        std::size_t j = i + 1;
        while (j < formula_.size() && is_name_char(formula_[j]))
          ++j;
        token_ = Token{TokenKind::Name, formula_.substr(i, j - i), i, 0.0};
      } else {
        lex_symbol(i);
      }
    }
    position_ = token_.end();
  }

  void lex_number(std::size_t begin) {
    // Take the whole run a reader would see as one word ("1.2.3", "2x", "1e+"), then check it,
    // so a malformed number is reported as one piece instead of as a confusing later error.
    std::size_t j = begin;
    while (j < formula_.size()) {
      const char c = formula_[j];
      const bool exponent_sign =
          (c == '+' || c == '-') && (formula_[j - 1] == 'e' || formula_[j - 1] == 'E') &&
          formula_.substr(begin, j - 1 - begin).find_first_not_of("0123456789_.") ==
              std::string_view::npos;
      if (!is_name_char(c) && c != '.' && !exponent_sign) break;
      ++j;
    }
    const std::string_view text = formula_.substr(begin, j - begin);
    if (!is_valid_number(text)) {
      throw FormulaError("malformed number " + quoted(text), begin, text.size(),
                         std::string(kNumberForms));
    }
    std::string digits;
    for (const char c : text) {
      if (c != '_') digits += c;
    }
    double value = 0.0;
    const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (error == std::errc::result_out_of_range) {
      throw FormulaError("number " + quoted(text) + " is out of the range of a double", begin,
                         text.size(), "doubles reach about 1.8e308 and down to about 4.9e-324");
    }
    if (error != std::errc() || end != digits.data() + digits.size()) {
      throw FormulaError("malformed number " + quoted(text), begin, text.size(),
                         std::string(kNumberForms));
    }
    token_ = Token{TokenKind::Number, text, begin, value};
  }

  void lex_symbol(std::size_t i) {
    const std::string_view rest = formula_.substr(i);
    for (const std::string_view two : {"<=", ">=", "==", "!="}) {
      if (rest.starts_with(two)) {
        token_ = Token{TokenKind::Symbol, rest.substr(0, 2), i, 0.0};
        return;
      }
    }
    const char c = rest.front();
    if (std::string_view("+-*/^()[],<>").find(c) != std::string_view::npos) {
      token_ = Token{TokenKind::Symbol, rest.substr(0, 1), i, 0.0};
      return;
    }
    switch (c) {
      case '=':
        throw FormulaError("unexpected \"=\"", i, 1, "compare with \"==\"");
      case '!':
        throw FormulaError("unexpected \"!\"", i, 1, "write \"not x\", or \"a != b\" to compare");
      case '&':
        throw FormulaError("unexpected " + quoted(rest.substr(0, rest.starts_with("&&") ? 2 : 1)),
                           i, rest.starts_with("&&") ? 2 : 1, "write \"and\"");
      case '|':
        throw FormulaError("unexpected " + quoted(rest.substr(0, rest.starts_with("||") ? 2 : 1)),
                           i, rest.starts_with("||") ? 2 : 1, "write \"or\"");
      default:
        break;
    }
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f) {
      static constexpr char kHex[] = "0123456789abcdef";
      const std::string code = {'0', 'x', kHex[byte >> 4], kHex[byte & 0xf]};
      throw FormulaError("unexpected control character " + code, i, 1);
    }
    // A UTF-8 sequence is reported whole, so the message shows the character the user typed.
    std::size_t length = 1;
    if (byte >= 0xc0) {
      length = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : 2;
      length = std::min(length, rest.size());
    }
    throw FormulaError("unexpected character " + quoted(rest.substr(0, length)), i, length);
  }

  bool is_symbol(std::string_view symbol) const noexcept {
    return token_.kind == TokenKind::Symbol && token_.text == symbol;
  }
  bool is_keyword(std::string_view keyword) const noexcept {
    return token_.kind == TokenKind::Name && token_.text == keyword;
  }
  bool is_comparison() const noexcept {
    return token_.kind == TokenKind::Symbol &&
           (token_.text == "<" || token_.text == "<=" || token_.text == ">" ||
            token_.text == ">=" || token_.text == "==" || token_.text == "!=");
  }

  std::string_view source(const Parsed& parsed) const {
    return formula_.substr(parsed.begin, parsed.end - parsed.begin);
  }

  // ---- nodes

  Parsed leaf(NodeKind kind, const Token& token, double number, std::string text) const {
    Parsed parsed;
    parsed.node.kind = kind;
    parsed.node.number = number;
    parsed.node.text = std::move(text);
    parsed.node.offset = token.offset;
    parsed.node.length = token.text.size();
    parsed.begin = token.offset;
    parsed.end = token.end();
    return parsed;
  }

  Parsed unary(const Token& op, std::string text, Parsed operand) const {
    Parsed parsed;
    parsed.node.kind = NodeKind::Unary;
    parsed.node.text = std::move(text);
    parsed.node.offset = op.offset;
    parsed.node.length = operand.end - op.offset;
    parsed.begin = op.offset;
    parsed.end = operand.end;
    parsed.height = check_height(operand.height + 1, op);
    parsed.node.children.push_back(std::move(operand.node));
    return parsed;
  }

  Parsed binary(const Token& op, Parsed left, Parsed right) const {
    Parsed parsed;
    parsed.node.kind = NodeKind::Binary;
    parsed.node.text = std::string(op.text);
    parsed.node.offset = left.begin;
    parsed.node.length = right.end - left.begin;
    parsed.begin = left.begin;
    parsed.end = right.end;
    parsed.height = check_height(std::max(left.height, right.height) + 1, op);
    parsed.node.children.push_back(std::move(left.node));
    parsed.node.children.push_back(std::move(right.node));
    return parsed;
  }

  static std::size_t check_height(std::size_t height, const Token& at) {
    if (height > kMaxHeight) {
      throw FormulaError("formula nests too deeply", at.offset, at.text.size(),
                         "split it into several derived quantities");
    }
    return height;
  }

  // ---- grammar, lowest precedence first

  Parsed parse_or() {
    Parsed left = parse_and();
    while (is_keyword("or")) {
      const Token op = token_;
      advance();
      left = binary(op, std::move(left), parse_and());
    }
    return left;
  }

  Parsed parse_and() {
    Parsed left = parse_not();
    while (is_keyword("and")) {
      const Token op = token_;
      advance();
      left = binary(op, std::move(left), parse_not());
    }
    return left;
  }

  Parsed parse_not() {
    if (!is_keyword("not")) return parse_comparison();
    const Token op = token_;
    const Nest nest(*this, op);
    advance();
    return unary(op, "not", parse_not());
  }

  Parsed parse_comparison() {
    Parsed left = parse_additive();
    if (!is_comparison()) return left;
    const Token op = token_;
    advance();
    Parsed right = parse_additive();
    if (is_comparison()) throw chained_comparison(left, op, right);
    return binary(op, std::move(left), std::move(right));
  }

  FormulaError chained_comparison(const Parsed& left, const Token& op, const Parsed& middle) {
    const Token second = token_;
    std::string hint = "combine comparisons with \"and\": a < b and b < c";
    try {
      advance();
      const Parsed right = parse_additive();
      hint = "write \"" + std::string(source(left)) + ' ' + std::string(op.text) + ' ' +
             std::string(source(middle)) + " and " + std::string(source(middle)) + ' ' +
             std::string(second.text) + ' ' + std::string(source(right)) + '"';
    } catch (const FormulaError&) {
      // The rest does not parse either; the chained comparison comes first, so report it with
      // the generic hint.
    }
    return FormulaError("comparisons cannot be chained", second.offset, second.text.size(),
                        std::move(hint));
  }

  Parsed parse_additive() {
    Parsed left = parse_multiplicative();
    while (is_symbol("+") || is_symbol("-")) {
      const Token op = token_;
      advance();
      left = binary(op, std::move(left), parse_multiplicative());
    }
    return left;
  }

  Parsed parse_multiplicative() {
    Parsed left = parse_unary();
    while (is_symbol("*") || is_symbol("/")) {
      const Token op = token_;
      advance();
      if (op.text == "*" && is_symbol("*")) {
        throw FormulaError("unexpected \"*\"", token_.offset, 1, "write powers as a ^ b");
      }
      left = binary(op, std::move(left), parse_unary());
    }
    return left;
  }

  Parsed parse_unary() {
    if (!is_symbol("-")) return parse_power();
    const Token op = token_;
    const Nest nest(*this, op);
    advance();
    return unary(op, "-", parse_unary());
  }

  Parsed parse_power() {
    Parsed base = parse_primary();
    if (!is_symbol("^")) return base;
    const Token op = token_;
    const Nest nest(*this, op);
    advance();
    // The exponent is a unary expression: right-associative (2^3^2 = 2^9) and 2^-1 is allowed.
    return binary(op, std::move(base), parse_unary());
  }

  Parsed parse_primary() {
    const Token token = token_;
    switch (token.kind) {
      case TokenKind::End:
        throw FormulaError("expected a number, a name or \"(\", but the formula ends here",
                           token.offset, 0);
      case TokenKind::Number:
        advance();
        return leaf(NodeKind::Number, token, token.number, {});
      case TokenKind::Name:
        return parse_name();
      case TokenKind::Symbol:
        break;
    }
    if (is_symbol("(")) {
      const Nest nest(*this, token);
      advance();
      Parsed inner = parse_or();
      inner.end = close(")", token, "an operator", "is an operator missing before it?");
      inner.begin = token.offset;
      return inner;
    }
    if (is_symbol("[")) return parse_list();
    throw expected_operand();
  }

  FormulaError expected_operand() const {
    return FormulaError("expected a number, a name or \"(\", but found " + quoted(token_.text),
                        token_.offset, token_.text.size());
  }

  Parsed parse_name() {
    const Token name = token_;
    if (name.text == "and" || name.text == "or" || name.text == "not") {
      throw FormulaError(
          "expected a number, a name or \"(\", but found the keyword " + quoted(name.text),
          name.offset, name.text.size(),
          name.text == "not" ? "put \"not ...\" in parentheses" : "");
    }
    advance();
    if (is_symbol("(")) return parse_call(name);
    if (name.text == "pi") return leaf(NodeKind::Number, name, std::numbers::pi, "pi");
    if (name.text == "e") return leaf(NodeKind::Number, name, std::numbers::e, "e");
    if (name.text == "inf") {
      return leaf(NodeKind::Number, name, std::numeric_limits<double>::infinity(), "inf");
    }
    if (name.text == "if") {
      throw FormulaError("expected \"(\" after if", name.offset, name.text.size(),
                         "if(cond, a, b)");
    }
    return leaf(NodeKind::Name, name, 0.0, std::string(name.text));
  }

  Parsed parse_call(const Token& name) {
    const Token open = token_;
    const Nest nest(*this, open);
    advance();
    Parsed call;
    call.node.kind = NodeKind::Call;
    call.node.text = std::string(name.text);
    call.node.offset = name.offset;
    call.begin = name.offset;
    std::tie(call.height, call.end) = parse_items(call.node, ")", open);
    call.node.length = call.end - call.begin;
    return call;
  }

  Parsed parse_list() {
    const Token open = token_;
    const Nest nest(*this, open);
    advance();
    Parsed list;
    list.node.kind = NodeKind::List;
    list.node.offset = open.offset;
    list.begin = open.offset;
    std::tie(list.height, list.end) = parse_items(list.node, "]", open);
    list.node.length = list.end - list.begin;
    return list;
  }

  /// Parses `item, item, ...` up to the closing symbol into `parent`'s children; returns the
  /// height of the parent and the end of its range.
  std::pair<std::size_t, std::size_t> parse_items(Node& parent, std::string_view closing,
                                                  const Token& open) {
    std::size_t height = 1;
    if (!is_symbol(closing)) {
      while (true) {
        Parsed item = parse_or();
        height = check_height(std::max(height, item.height + 1), open);
        parent.children.push_back(std::move(item.node));
        if (!is_symbol(",")) break;
        advance();
      }
    }
    const std::size_t end = close(closing, open, "\",\"", "separate items with \",\"");
    return {height, end};
  }

  /// Consumes the closing symbol of `open` and returns the end of its range. At the end of the
  /// formula the error points at the unclosed opening symbol; elsewhere at what was found.
  std::size_t close(std::string_view closing, const Token& open, std::string_view alternative,
                    std::string_view hint) {
    if (is_symbol(closing)) {
      const std::size_t end = token_.end();
      advance();
      return end;
    }
    if (token_.kind == TokenKind::End) {
      throw FormulaError("missing " + quoted(closing) + " to close this " + quoted(open.text),
                         open.offset, 1, "the formula ends before it is closed");
    }
    throw FormulaError("expected " + quoted(closing) + " or " + std::string(alternative) +
                           ", but found " + quoted(token_.text),
                       token_.offset, token_.text.size(), std::string(hint));
  }

  std::string_view formula_;
  std::size_t position_ = 0;
  std::size_t depth_ = 0;
  Token token_;
};

}  // namespace

Node parse(std::string_view formula) {
  return Parser(formula).parse_formula();
}

}  // namespace darkfigure::expression
