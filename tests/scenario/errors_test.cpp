#include <catch2/catch.hpp>

#include <filesystem>
#include <string>

#include "scenario_testing.hpp"

namespace darkfigure::scenario {
namespace {

using testing::parsing_should_fail;

constexpr std::string_view kInput = "[inputs]\nx = 1\n";

std::string with_input(std::string_view rest) {
  return std::string(kInput) + std::string(rest);
}

TEST_CASE("TOML syntax errors are reported where toml++ finds them") {
  parsing_should_fail("[inputs]\na = 1\na = 2\n", 3, 5, "cannot redefine existing integer 'a'",
                      "only once");
  parsing_should_fail("[inputs]\na = 1\n[inputs]\nb = 2\n", 3, 1,
                      "cannot redefine existing table 'inputs'");
  parsing_should_fail("[inputs]\na = \n", 2, 5, "invalid TOML: expected value");
  parsing_should_fail("[inputs\na = 1\n", 1, 8, "invalid TOML: expected ']'");
  parsing_should_fail("[inputs]\na = \"x\\qy\"\n", 2, 8, "unknown escape sequence '\\q'");
  parsing_should_fail("[inputs]\nx = {a = 1,}\n", 2, 12, "dangling comma");
}

TEST_CASE("an unterminated string is reported at the end of its line or of the file") {
  parsing_should_fail("[inputs]\na = \"beta(1, 2)\nb = 1\n", 2, 16, "unterminated string",
                      "\"\"\"");
  parsing_should_fail("[inputs]\na = \"\"\"beta(1, 2)\n", 2, 18, "unterminated string");
}

TEST_CASE("toml++ positions count characters, error columns count bytes") {
  // "é" is two bytes: the value after it starts at byte column 28, character column 27.
  parsing_should_fail("[inputs]\nx = { note = \"é\", dist = \"betta(1, 2)\" }\n", 2, 28,
                      "x: unknown distribution \"betta\"", "did you mean \"beta\"?");
  parsing_should_fail("[inputs]\nx = \"é\" 2\n", 2, 10, "invalid TOML");
}

TEST_CASE("bytes that are not UTF-8 text are reported at the first bad byte") {
  parsing_should_fail(std::string("[inputs]\nab = \"\xc3\xa9\xff\"\n"), 2, 9,
                      "invalid UTF-8: byte 0xFF");
  parsing_should_fail(std::string("# \xc3\x28\n[inputs]\n"), 1, 3, "invalid UTF-8: byte 0xC3");
  // An overlong encoding of '/' and an encoded surrogate are not UTF-8 either.
  parsing_should_fail(std::string("# \xc0\xaf\n"), 1, 3, "byte 0xC0");
  parsing_should_fail(std::string("#\xed\xa0\x80\n"), 1, 2, "byte 0xED");
  parsing_should_fail(std::string("# \xf0\x9f\x98\n"), 1, 3, "byte 0xF0");
}

TEST_CASE("a NUL byte means the file is not text") {
  const std::string text("[inputs]\nx = 1\x00\x01 2\n", 19);
  std::optional<core::InputError> caught;
  try {
    parse(text, "test.toml");
  } catch (const core::InputError& error) {
    caught = error;
  }
  REQUIRE(caught.has_value());
  CHECK(caught->message() == "not a text file (contains a NUL byte)");
  REQUIRE(caught->where().has_value());
  CHECK(caught->where()->line == 2);
  CHECK(caught->where()->column == 6);
  // Control bytes are shown as dots, one for one, so that the caret stays in place.
  CHECK(caught->where()->line_text == "x = 1.. 2");
}

TEST_CASE("an empty or comment-only scenario has no inputs") {
  parsing_should_fail("", 1, 1, "empty scenario: no [inputs] table", "[inputs]");
  parsing_should_fail("\n  \n", 1, 1, "empty scenario: no [inputs] table");
  parsing_should_fail("# only a comment\n# and another\n", 1, 1,
                      "empty scenario: no [inputs] table");
  parsing_should_fail("[scenario]\nseed = 3\n", 1, 1, "no [inputs] table");
  parsing_should_fail("[scenario]\nseed = 3\n[inputs]\n", 3, 2, "[inputs] is empty",
                      "at least one input");
}

TEST_CASE("unknown tables and keys are reported at the key with the nearest spelling") {
  parsing_should_fail("[input]\nx = 1\n", 1, 2, "unknown table [input]", "did you mean [inputs]?");
  parsing_should_fail(with_input("[[observation]]\nname = \"police\"\n"), 3, 3,
                      "unknown table [[observation]]",
                      "[[observe]], [[prior]], [inference], [sampling], [correlation], [sweep] and "
                      "[capture_recapture]");
  parsing_should_fail(with_input("[samplng]\ndesign = \"lhs\"\n"), 3, 2, "unknown table [samplng]",
                      "did you mean [sampling]?");
  parsing_should_fail(with_input("[sampling]\nmethod = \"lhs\"\n"), 4, 1,
                      "unknown key \"method\" in [sampling]", "the keys are design, replicates");
  parsing_should_fail("draws = 10\n[inputs]\nx = 1\n", 1, 1,
                      "unknown key \"draws\" outside of any table", "belongs under [scenario]");
  parsing_should_fail("[scenario]\ndraw = 10\n[inputs]\nx = 1\n", 2, 1,
                      "unknown key \"draw\" in [scenario]", "did you mean \"draws\"?");
  parsing_should_fail(with_input("[outputs]\nquantile = [0.5]\n"), 4, 1,
                      "unknown key \"quantile\" in [outputs]", "did you mean \"quantiles\"?");
  parsing_should_fail("[inputs]\nx = { dist = \"beta(1, 2)\", sorce = \"s\" }\n", 2, 28,
                      "unknown key \"sorce\" in the table of x", "did you mean \"source\"?");
  parsing_should_fail("[scenario]\nwhatever = 1\n[inputs]\nx = 1\n", 2, 1,
                      "unknown key \"whatever\"", "the keys are name, title, source, draws, seed");
  parsing_should_fail("inputs = 3\n", 1, 10, "[inputs] must be a table (got an integer)");
}

TEST_CASE("[sampling] takes a known design and 2 to 10,000 replicates") {
  parsing_should_fail(with_input("[sampling]\ndesign = \"sobo\"\n"), 4, 10,
                      "unknown design \"sobo\"", "did you mean \"sobol\"?");
  parsing_should_fail(with_input("[sampling]\ndesign = \"latin\"\n"), 4, 10,
                      "unknown design \"latin\"", "\"mc\", \"lhs\" and \"sobol\"");
  parsing_should_fail(with_input("[sampling]\nreplicates = 1\n"), 4, 14,
                      "replicates is 1, but must be between 2 and 10_000");
  parsing_should_fail(with_input("[sampling]\nreplicates = 8.0\n"), 4, 14,
                      "replicates must be an integer");
  parsing_should_fail(with_input("[sampling]\ndesign = 1\n"), 4, 10,
                      "design must be a string (got an integer)");
}

TEST_CASE("settings of the wrong type or out of range are reported at the value") {
  parsing_should_fail("[scenario]\ndraws = \"many\"\n", 2, 9,
                      "draws must be an integer (got a string)", "draws = 100_000");
  parsing_should_fail("[scenario]\ndraws = 1.5\n", 2, 9,
                      "draws must be an integer (got a floating-point number)");
  parsing_should_fail("[scenario]\ndraws = 1e6\n", 2, 9, "draws must be an integer",
                      "write draws = 1_000_000");
  parsing_should_fail("[scenario]\ndraws = 0\n", 2, 9, "draws is 0, but must be at least 1");
  parsing_should_fail("[scenario]\ndraws = -5\n", 2, 9, "draws is -5, but must be at least 1");
  parsing_should_fail("[scenario]\ndraws = 2_000_000_000_000\n", 2, 9,
                      "draws is 2_000_000_000_000, but must be at most 1_000_000_000_000");
  parsing_should_fail("[scenario]\nseed = -1\n", 2, 8, "seed is -1, but must be at least 0");
  parsing_should_fail("[scenario]\nseed = true\n", 2, 8, "seed must be an integer (got a boolean)");
  parsing_should_fail("[scenario]\nname = 5\n", 2, 8, "name must be a string (got an integer)");
  parsing_should_fail("[scenario]\nname = \"2023 kz\"\n", 2, 8,
                      "scenario name \"2023 kz\" is not valid", "starts with a letter");
  parsing_should_fail("[scenario]\ntitle = [\"a\"]\n", 2, 9, "title must be a string");
}

TEST_CASE("settings are checked before inputs, and a valid one parses") {
  const Scenario scenario = parse(
      "[scenario]\nname = \"a-b_2\"\ndraws = 1_000_000_000_000\nseed = 0\n" + std::string(kInput),
      "x.toml");
  CHECK(scenario.name == "a-b_2");
  CHECK(scenario.draws == 1'000'000'000'000);
  CHECK(scenario.seed == 0);
}

TEST_CASE("quantity names must be identifiers, not reserved, and unique") {
  parsing_should_fail("[inputs]\ncrisis-uptake = 1\n", 2, 1,
                      "\"crisis-uptake\" is not a valid name", "crisis_uptake");
  parsing_should_fail("[inputs]\n2nd = 1\n", 2, 1, "\"2nd\" is not a valid name", "x_2nd");
  parsing_should_fail("[inputs]\nsqrt = 1\n", 2, 1,
                      "\"sqrt\" is a builtin function and cannot name a quantity");
  parsing_should_fail("[inputs]\npi = 3\n", 2, 1,
                      "\"pi\" is a constant and cannot name a quantity");
  parsing_should_fail("[inputs]\ninf = 1\n", 2, 1,
                      "\"inf\" is a constant and cannot name a quantity");
  parsing_should_fail("[inputs]\nx = 1\nnot = 2\n", 3, 1, "\"not\" is a keyword");
  parsing_should_fail("[inputs]\nx = 1\ny = 2\n[derived]\ny = \"x * 2\"\n", 5, 1,
                      "\"y\" is defined in both [inputs] and [derived]",
                      "the first definition is on line 3");
  parsing_should_fail("[derived]\ny = \"x * 2\"\n[inputs]\nx = 1\ny = 2\n", 5, 1,
                      "\"y\" is defined in both [derived] and [inputs]",
                      "the first definition is on line 2");
}

TEST_CASE("input values of the wrong type are reported at the value") {
  parsing_should_fail("[inputs]\nx = true\n", 2, 5,
                      "x must be a number, a string with a distribution call, or a table (got a "
                      "boolean)");
  parsing_should_fail("[inputs]\nx = [1, 2]\n", 2, 5, "(got an array)");
  parsing_should_fail("[inputs]\nx = inf\n", 2, 5, "x: the value is inf, but must be finite");
  parsing_should_fail("[inputs]\nx = { source = \"s\" }\n", 2, 1,
                      "x: the table has neither dist nor value");
  parsing_should_fail("[inputs]\nx = { dist = \"beta(1, 2)\", value = 3 }\n", 2, 28,
                      "x: give either dist or value, not both");
  parsing_should_fail("[inputs]\nx = { dist = 5 }\n", 2, 14,
                      "x: dist must be a string (got an integer)");
  parsing_should_fail("[inputs]\nx = { value = \"beta(1, 2)\" }\n", 2, 15,
                      "x: value must be a number (got a string)", "dist = ");
  parsing_should_fail("[inputs]\nx = { dist = \"beta(1, 2)\", note = 3 }\n", 2, 35,
                      "note must be a string (got an integer)");
}

TEST_CASE("distribution calls: unknown families, arity and parameters") {
  parsing_should_fail("[inputs]\nrate = \"betta(4, 16)\"\n", 2, 9,
                      "rate: unknown distribution \"betta\"", "did you mean \"beta\"?");
  parsing_should_fail("[inputs]\nrate = \"zzzzzzzz(4, 16)\"\n", 2, 9,
                      "rate: unknown distribution \"zzzzzzzz\"", "list distributions");
  parsing_should_fail("[inputs]\nrate = \"beta(4)\"\n", 2, 9,
                      "rate: beta takes 2 arguments, but 1 is given", "beta(alpha, beta)");
  parsing_should_fail("[inputs]\nrate = \"beta(4, 16, 3)\"\n", 2, 21,
                      "rate: beta takes 2 arguments, but 3 are given");
  parsing_should_fail("[inputs]\nreporting_rate = \"beta_mean_sd(0.5, 0.6)\"\n", 2, 37,
                      "reporting_rate: beta_mean_sd sd is 0.6, but must be below "
                      "sqrt(mean*(1-mean)) = 0.5");
  parsing_should_fail("[inputs]\nrate = \"beta(-1, 16)\"\n", 2, 14, "rate: beta alpha is -1");
  parsing_should_fail("[inputs]\nrate = \"uniform(3, 2)\"\n", 2, 20,
                      "rate: uniform max is 2, but must be greater than min = 3");
  parsing_should_fail("[inputs]\nsize = \"discrete([1, 2], [0.5])\"\n", 2, 26,
                      "size: discrete weights has 1 entries");
}

TEST_CASE("distribution arguments must be constants") {
  parsing_should_fail("[inputs]\na = 2\nrate = \"beta(a, 16)\"\n", 3, 14,
                      "rate: distribution arguments must be constants; inputs cannot depend on "
                      "other quantities",
                      "[derived]");
  parsing_should_fail("[inputs]\nrate = \"normal(2 * (1 + sd), 1)\"\n", 2, 25,
                      "distribution arguments must be constants");
  parsing_should_fail("[inputs]\nrate = \"normal(beta(1, 2), 1)\"\n", 2, 16,
                      "rate: a distribution argument cannot be another distribution");
  parsing_should_fail("[inputs]\ny = 1\nx = \"2 * y\"\n", 3, 10,
                      "x: inputs cannot depend on other quantities (\"y\" is not a constant)",
                      "move it to [derived]: x = \"2 * y\"");
  parsing_should_fail("[inputs]\nx = \"2 * beta(1, 2)\"\n", 2, 10,
                      "x: a distribution call must be the whole value of an input");
  parsing_should_fail("[inputs]\nx = \"1 / 0\"\n", 2, 6, "x: the value is inf, but must be finite");
  parsing_should_fail("[inputs]\nx = \"discrete([1, [2]], [0.5, 0.5])\"\n", 2, 19,
                      "x: lists cannot be nested");
}

TEST_CASE("formulas: unknown names, lists, distributions and types") {
  parsing_should_fail(with_input("[derived]\ny = \"x * reportng_rate\"\nreporting_rate = \"x\"\n"),
                      4, 10, "y: unknown name \"reportng_rate\"",
                      "did you mean \"reporting_rate\"?");
  parsing_should_fail(with_input("[derived]\ny = \"x * qqqqqqq\"\n"), 4, 10,
                      "y: unknown name \"qqqqqqq\"", "defined in [inputs] or [derived]");
  parsing_should_fail(with_input("[derived]\ny = \"x * [1, 2]\"\n"), 4, 10,
                      "y: a list is only allowed as an argument of a distribution call");
  parsing_should_fail(with_input("[derived]\ny = \"x * beta(1, 2)\"\n"), 4, 10,
                      "y: a distribution cannot appear in a formula", "beta_draw = \"beta(1, 2)\"");
  parsing_should_fail(with_input("[derived]\ny = 5\n"), 4, 5,
                      "y: a derived value must be a formula in a string (got an integer)");
}

TEST_CASE("cycles name every member and point at the first member's use of the next") {
  parsing_should_fail(with_input("[derived]\nb = \"c + x\"\na = \"x + b\"\nc = \"a * 2\"\n"), 4, 6,
                      "cycle in [derived]: b -> c -> a -> b", "one of them must be an input");
  parsing_should_fail(with_input("[derived]\na = \"1 + a\"\n"), 4, 10, "cycle in [derived]: a -> a",
                      "cannot be computed from itself");
  // d depends on the cycle without being part of it.
  parsing_should_fail(with_input("[derived]\nd = \"a + 1\"\na = \"x * b\"\nb = \"a\"\n"), 5, 10,
                      "cycle in [derived]: a -> b -> a");
}

TEST_CASE("formula positions map through escapes and multi-line strings") {
  // The \u002B escape stands for '+': the unknown name is at offset 6 of the value but at byte
  // column 17 of the line.
  parsing_should_fail(with_input("[derived]\ny = \"x\\u002Bx + zz\"\n"), 4, 17,
                      "unknown name \"zz\"");
  parsing_should_fail(with_input("[derived]\ny = 'x + zz'\n"), 4, 10, "unknown name \"zz\"");
  parsing_should_fail(with_input("[derived]\ny = \"\"\"\nx +\n   zz\"\"\"\n"), 6, 4,
                      "unknown name \"zz\"");
  parsing_should_fail(with_input("[derived]\ny = '''x + zz'''\n"), 4, 12, "unknown name \"zz\"");
  parsing_should_fail(with_input("[derived]\ny = \"\"\"x + \\\n    zz\"\"\"\n"), 5, 5,
                      "unknown name \"zz\"");
}

TEST_CASE("outputs: names and quantile levels are checked element by element") {
  const std::string base = "[inputs]\nvictims = \"uniform(1, 2)\"\n[outputs]\n";
  parsing_should_fail(base + "names = [\"victims\", \"victim\"]\n", 4, 21,
                      "unknown quantity \"victim\" in [outputs] names",
                      "did you mean \"victims\"?");
  parsing_should_fail(base + "names = [\"victims\", \"victims\"]\n", 4, 21,
                      "\"victims\" is listed twice");
  parsing_should_fail(base + "names = [\"victims\", 3]\n", 4, 21,
                      "names must hold strings (got an integer)");
  parsing_should_fail(base + "names = \"victims\"\n", 4, 9, "names must be an array");
  parsing_should_fail(base + "names = []\n", 4, 9, "names is empty");
  parsing_should_fail(base + "quantiles = [0.5, 0]\n", 4, 19, "quantile level 0 is outside (0, 1)");
  parsing_should_fail(base + "quantiles = [1.5]\n", 4, 14, "quantile level 1.5 is outside (0, 1)");
  parsing_should_fail(base + "quantiles = [-0.5]\n", 4, 14, "quantile level -0.5 is outside (0, 1)",
                      "strictly between 0 and 1");
  parsing_should_fail(base + "quantiles = [97.5]\n", 4, 14, "outside (0, 1)",
                      "write 0.975 for 97.5%");
  parsing_should_fail(base + "quantiles = [0.5, 0.1, 0.5]\n", 4, 24,
                      "quantile level 0.5 is listed twice");
  parsing_should_fail(base + "quantiles = [nan]\n", 4, 14, "quantile level NaN is not a finite");
  parsing_should_fail(base + "quantiles = [\"0.5\"]\n", 4, 14,
                      "quantiles must hold numbers (got a string)");
  parsing_should_fail(base + "quantiles = 0.5\n", 4, 13,
                      "quantiles must be an array of numbers (got a floating-point number)",
                      "quantiles = [0.5]");
  parsing_should_fail(base + "quantiles = []\n", 4, 13, "quantiles is empty");
}

TEST_CASE("load reports files it cannot read, naming them") {
  const auto message_of = [](const std::filesystem::path& path) {
    try {
      load(path);
    } catch (const core::InputError& error) {
      CHECK_FALSE(error.where().has_value());
      return error.message();
    }
    return std::string("no error");
  };
  const std::string missing = std::string(DARKFIGURE_TEST_DATA_DIR) + "/no-such-file.toml";
  CHECK(message_of(missing) == "cannot read \"" + missing + "\": No such file or directory");
  const std::string directory = std::string(DARKFIGURE_TEST_DATA_DIR) + "/good";
  CHECK(message_of(directory) == "cannot read \"" + directory + "\": Is a directory");
  CHECK(message_of("/dev/zero") == "cannot read \"/dev/zero\": not a regular file");
}

TEST_CASE("two inputs whose names hash to one random stream are an error") {
  // FNV-1a collisions found by search: both names hash to the same 32-bit stream id.
  parsing_should_fail(
      "[inputs]\nrate_1079599 = \"uniform(0, 1)\"\nrate_1262382 = \"uniform(0, 1)\"\n", 3, 1,
      "would share one random stream", "rename one of them");
}

TEST_CASE("an unknown name is not told to use the formula's own name") {
  const auto error = parsing_should_fail("[inputs]\nx = 1\n[derived]\nb = \"q + 1\"\n", 4, 6,
                                         "b: unknown name \"q\"");
  CHECK(error.hint().find("\"b\"") == std::string::npos);
}

TEST_CASE("[[observe]], [[prior]] and [inference] errors point at the offending value") {
  const std::string observe = with_input("[[observe]]\nname = \"police\"\n");
  parsing_should_fail(observe + "value = 10\n", 3, 1, "[[observe]] has no likelihood",
                      "darkfigure list likelihoods");
  parsing_should_fail(observe + "likelihood = \"poisson(x)\"\n", 3, 1,
                      "police: [[observe]] has no value");
  parsing_should_fail(observe + "value = 10\nlikelihood = \"poison(x)\"\n", 6, 15,
                      "police: unknown likelihood \"poison\"", "did you mean \"poisson\"?");
  parsing_should_fail(observe + "value = 10\nlikelihood = \"poisson(x, 2)\"\n", 6, 26,
                      "police: poisson takes 1 parameters, but 2 are given", "poisson(mean)");
  parsing_should_fail(observe + "value = 10\nlikelihood = \"poisson(uniform(0, x))\"\n", 6, 23,
                      "a likelihood parameter is a formula");
  parsing_should_fail(observe + "value = 2.5\nlikelihood = \"poisson(x)\"\n", 5, 9,
                      "the observed value is 2.5, but under poisson it must be a whole number");
  parsing_should_fail(observe + "value = []\nlikelihood = \"poisson(x)\"\n", 5, 9,
                      "police: value is an empty array");
  parsing_should_fail(observe + "value = \"10\"\nlikelihood = \"poisson(x)\"\n", 5, 9,
                      "value must be a number or an array of numbers (got a string)");
  parsing_should_fail(observe + "value = 10\nlikelihood = \"poisson(x)\"\nweight = 2\n", 7, 1,
                      "unknown key \"weight\" in [[observe]]");
  parsing_should_fail(observe + "value = 1\nlikelihood = \"poisson(x)\"\n" +
                          "[[observe]]\nname = "
                          "\"police\"\nvalue = 1\nlikelihood = \"poisson(x)\"\n",
                      8, 8, "two [[observe]] tables are named \"police\"");
  parsing_should_fail(with_input("[observe]\nvalue = 1\n"), 3, 2,
                      "[observe] must be written [[observe]]");

  const std::string derived =
      "[inputs]\nx = \"uniform(0, 1)\"\nn = 5\n[derived]\ny = \"x > 0.5\"\n";
  parsing_should_fail(derived + "[[prior]]\non = \"n\"\ndist = \"beta(2, 2)\"\n", 7, 6,
                      "[[prior]]: n is fixed at 5");
  parsing_should_fail(derived + "[[prior]]\non = \"y\"\ndist = \"beta(2, 2)\"\n", 7, 6,
                      "[[prior]]: y is a truth value");
  parsing_should_fail(derived + "[[prior]]\non = \"x\"\ndist = \"poisson(2)\"\n", 8, 8,
                      "dist must be a continuous distribution");
  parsing_should_fail(derived + "[[prior]]\non = \"x\"\ndist = \"beta(2, 2)\"\npooling = 1.5\n", 9,
                      11, "pooling is 1.5, but must lie in [0, 1]");
  parsing_should_fail(derived + "[[prior]]\non = \"x\"\n", 6, 1, "[[prior]] on x has no dist");
  parsing_should_fail(derived +
                          "[[prior]]\non = \"x\"\ndist = \"beta(2, 2)\"\n[[prior]]\non = "
                          "\"x\"\ndist = \"beta(3, 3)\"\n",
                      10, 6, "[[prior]]: x has two priors");

  parsing_should_fail(with_input("[inference]\nmin_ess = 0\n"), 4, 11,
                      "min_ess is 0, but must be a finite number of at least 1");
  parsing_should_fail(with_input("[inference]\nresample_method = \"stratified\"\n"), 4, 19,
                      "unknown resample_method \"stratified\"");
  parsing_should_fail(with_input("[inference]\nresample = 0\n"), 4, 12,
                      "resample is 0, but must be at least 1");
  parsing_should_fail(with_input("[inference]\nmin_draws = 5\n"), 4, 1,
                      "unknown key \"min_draws\" in [inference]", "did you mean \"max_draws\"?");
}

}  // namespace
}  // namespace darkfigure::scenario
