#include <catch2/catch.hpp>

#include <set>
#include <string>
#include <string_view>

#include "darkfigure/expression/builtins.hpp"

using darkfigure::expression::Builtin;
using darkfigure::expression::builtins;
using darkfigure::expression::find_builtin;
using darkfigure::expression::is_reserved;
using darkfigure::expression::kAnyArity;

namespace {

// The functions the scenario language promises (DESIGN.md, "Formulas (contract)").
constexpr std::string_view kContractFunctions[] = {"min",   "max",   "abs", "sqrt",  "exp",
                                                   "log",   "log10", "pow", "floor", "ceil",
                                                   "round", "clamp", "sin", "cos",   "tan"};

}  // namespace

TEST_CASE("builtins: every function of the language is in the table") {
  for (const std::string_view name : kContractFunctions) {
    INFO("function: " << name);
    const Builtin* builtin = find_builtin(name);
    REQUIRE(builtin != nullptr);
    CHECK(builtin->name == name);
    CHECK(builtin->signature.starts_with(std::string(name) + "("));
    CHECK_FALSE(builtin->doc.empty());
    CHECK(builtin->min_arity >= 1);
    CHECK(builtin->min_arity <= builtin->max_arity);
  }
  REQUIRE(find_builtin("if") != nullptr);
  CHECK(find_builtin("if")->signature == "if(cond, a, b)");
}

TEST_CASE("builtins: arities") {
  CHECK(find_builtin("min")->min_arity == 2);
  CHECK(find_builtin("min")->max_arity == kAnyArity);
  CHECK(find_builtin("max")->min_arity == 2);
  CHECK(find_builtin("max")->max_arity == kAnyArity);
  CHECK(find_builtin("clamp")->min_arity == 3);
  CHECK(find_builtin("clamp")->max_arity == 3);
  CHECK(find_builtin("clamp")->signature == "clamp(x, low, high)");
  CHECK(find_builtin("pow")->max_arity == 2);
  CHECK(find_builtin("sqrt")->max_arity == 1);
  CHECK(find_builtin("if")->min_arity == 3);
}

TEST_CASE("builtins: names are unique and find_builtin finds each") {
  std::set<std::string_view> seen;
  for (const Builtin& builtin : builtins()) {
    CHECK(seen.insert(builtin.name).second);
    CHECK(find_builtin(builtin.name) == &builtin);
  }
  CHECK(seen.size() == std::size(kContractFunctions) + 1);  // and if
  CHECK(find_builtin("sqr") == nullptr);
  CHECK(find_builtin("beta") == nullptr);
  CHECK(find_builtin("") == nullptr);
  CHECK(find_builtin("MIN") == nullptr);
}

TEST_CASE("builtins: reserved names") {
  for (const Builtin& builtin : builtins())
    CHECK(is_reserved(builtin.name));
  for (const std::string_view word : {"pi", "e", "inf", "and", "or", "not", "if"}) {
    INFO("word: " << word);
    CHECK(is_reserved(word));
  }
  for (const std::string_view word : {"x", "population", "beta", "uniform", "E", "pi2", "note"}) {
    INFO("word: " << word);
    CHECK_FALSE(is_reserved(word));
  }
}

TEST_CASE("builtins: constants") {
  for (const std::string_view word : {"pi", "e", "inf"})
    CHECK(darkfigure::expression::is_constant(word));
  for (const std::string_view word : {"and", "sqrt", "x", "Inf"}) {
    CHECK_FALSE(darkfigure::expression::is_constant(word));
  }
}
