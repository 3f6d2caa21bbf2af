// Invalid calls, after Stan's test/prob tables: each names the argument at fault and says, in the
// one wording "<family> <parameter> is <value>, but must be <constraint>", what it must be.

#include <limits>
#include <set>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "cases.hpp"

namespace darkfigure::distributions::testing {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr std::size_t kWholeCall = ParameterError::kWholeCall;

std::vector<double> list(std::initializer_list<double> values) {
  return values;
}

struct InvalidCall {
  Call call;
  std::size_t argument;  ///< the index ParameterError::argument() must give
  std::string message;   ///< a part of the message
};

const std::vector<InvalidCall>& invalid_calls() {
  static const std::vector<InvalidCall> calls = {
      {{"beta", {4.0, 16.0, 1.0}},
       kWholeCall,
       "beta takes 2 arguments (beta(alpha, beta)), but got 3"},
      {{"poisson", {}}, kWholeCall, "poisson takes 1 argument (poisson(lambda)), but got 0"},
      {{"discrete", {}},
       kWholeCall,
       "discrete takes 1 or 2 arguments (discrete([values], [weights])), but got 0"},
      {{"truncnormal", {0.0, 1.0, 2.0}},
       kWholeCall,
       "truncnormal takes 4 arguments (truncnormal(mean, sd, low, high)), but got 3"},

      {{"uniform", {2.0, 1.0}}, 1, "uniform max is 1, but must be greater than min = 2"},
      {{"uniform", {1.0, 1.0}}, 1, "uniform max is 1, but must be greater than min = 1"},
      {{"uniform", {kNaN, 1.0}}, 0, "uniform min is NaN, but must be a number"},
      {{"uniform", {0.0, kInf}}, 1, "uniform max is inf, but must be finite"},
      {{"uniform", {-1e308, 1e308}},
       1,
       "uniform max is 1e+308, but must be within the largest double (1.8e+308) of min = -1e+308"},
      {{"normal", {0.0, 0.0}}, 1, "normal sd is 0, but must be positive"},
      {{"normal", {list({1.0}), 1.0}}, 0, "normal mean is a list, but must be a number"},
      {{"normal", {-kInf, 1.0}}, 0, "normal mean is -inf, but must be finite"},
      {{"lognormal", {0.0, -1.0}}, 1, "lognormal sigma is -1, but must be positive"},
      {{"beta", {-1.0, 16.0}}, 0, "beta alpha is -1, but must be positive"},
      {{"beta", {4.0, 0.0}}, 1, "beta beta is 0, but must be positive"},
      {{"beta_mean_sd", {0.3, 0.6}},
       1,
       "beta_mean_sd sd is 0.6, but must be below sqrt(mean*(1-mean)) = 0.458"},
      {{"beta_mean_sd", {0.5, 0.5}},
       1,
       "beta_mean_sd sd is 0.5, but must be below sqrt(mean*(1-mean)) = 0.5"},
      {{"beta_mean_sd", {1.2, 0.1}},
       0,
       "beta_mean_sd mean is 1.2, but must be strictly between 0 and 1"},
      {{"beta_mean_sd", {0.0, 0.1}},
       0,
       "beta_mean_sd mean is 0, but must be strictly between 0 and 1"},
      {{"beta_mean_sd", {0.5, 0.0}}, 1, "beta_mean_sd sd is 0, but must be positive"},
      {{"gamma", {0.0, 1.0}}, 0, "gamma shape is 0, but must be positive"},
      {{"gamma", {2.0, -3.0}}, 1, "gamma scale is -3, but must be positive"},
      {{"triangular", {0.0, 5.0, 3.0}},
       1,
       "triangular mode is 5, but must be between min = 0 and max = 3"},
      {{"triangular", {3.0, 3.0, 3.0}}, 2, "triangular max is 3, but must be greater than min = 3"},
      {{"pert", {0.0, -1.0, 3.0}}, 1, "pert mode is -1, but must be between min = 0 and max = 3"},
      {{"pert", {5.0, 5.0, 1.0}}, 2, "pert max is 1, but must be greater than min = 5"},
      {{"poisson", {0.0}}, 0, "poisson lambda is 0, but must be positive"},
      {{"poisson", {list({1.0, 2.0})}}, 0, "poisson lambda is a list, but must be a number"},
      {{"binomial", {2.5, 0.5}}, 0, "binomial n is 2.5, but must be a whole number >= 0"},
      {{"binomial", {-1.0, 0.5}}, 0, "binomial n is -1, but must be a whole number >= 0"},
      {{"binomial", {1e13, 0.5}}, 0, "binomial n is 1e+13, but must be at most 1e+12"},
      {{"poisson", {1e16}}, 0, "poisson lambda is 1e+16, but must be at most 1e+15"},
      {{"beta", {1e-310, 1.0}}, 0, "beta alpha is 1e-310, but must be at least 2.2e-308"},
      {{"gamma", {1.0, 1e-310}}, 1, "gamma scale is 1e-310, but must be at least 2.2e-308"},
      {{"binomial", {10.0, 1.5}}, 1, "binomial p is 1.5, but must be between 0 and 1"},
      {{"truncnormal", {0.0, 0.0, -1.0, 1.0}}, 1, "truncnormal sd is 0, but must be positive"},
      {{"truncnormal", {0.0, 1.0, 2.0, 1.0}},
       3,
       "truncnormal high is 1, but must be greater than low = 2"},
      {{"truncnormal", {0.0, 1.0, kNaN, 1.0}}, 2, "truncnormal low is NaN, but must be a number"},
      {{"truncnormal", {kInf, 1.0, 0.0, 1.0}}, 0, "truncnormal mean is inf, but must be finite"},
      {{"truncnormal", {0.0, 1.0, 40.0, kInf}},
       2,
       "truncnormal low is 40, but must be such that [low, high] = [40, inf] holds at least "
       "1e-300 of the probability of normal(0, 1), not 0"},
      {{"truncnormal", {0.0, 1.0, -kInf, -40.0}}, 3, "truncnormal high is -40, but must be such"},
      {{"lognormal_ci", {0.0, 10.0}}, 0, "lognormal_ci p5 is 0, but must be positive"},
      {{"lognormal_ci", {5.0, 2.0}}, 1, "lognormal_ci p95 is 2, but must be greater than p5 = 5"},
      {{"negbinomial", {0.0, 1.0}}, 0, "negbinomial mean is 0, but must be positive"},
      {{"negbinomial", {10.0, -2.0}}, 1, "negbinomial dispersion is -2, but must be positive"},
      {{"exponential", {0.0}}, 0, "exponential rate is 0, but must be positive"},
      {{"exponential", {-kInf}}, 0, "exponential rate is -inf, but must be finite"},
      {{"discrete", {3.0}},
       0,
       "discrete values is 3, but must be a list of numbers such as [1, 2, 3]"},
      {{"discrete", {list({})}}, 0, "discrete values has no entries, but must have at least one"},
      {{"discrete", {list({1.0, kInf})}}, 0, "discrete value 2 is inf, but must be finite"},
      {{"discrete", {list({1.0, 2.0, 3.0}), list({1.0, 2.0})}},
       1,
       "discrete weights has 2 entries, but must have as many as values (3)"},
      {{"discrete", {list({1.0, 2.0}), list({1.0, -1.0})}},
       1,
       "discrete weight 2 is -1, but must be finite and >= 0"},
      {{"discrete", {list({1.0, 2.0}), list({0.0, 0.0})}},
       1,
       "discrete weights add up to 0, but must add up to a positive finite number"},
      {{"discrete", {list({1.0, 2.0}), list({1e308, 1e308})}},
       1,
       "discrete weights add up to inf, but must add up to a positive finite number"},
      {{"discrete", {list({1.0, 2.0}), 5.0}},
       1,
       "discrete weights is 5, but must be a list of numbers such as [1, 2, 3]"},
  };
  return calls;
}

TEST_CASE("invalid parameters are reported for the argument at fault, with its value") {
  for (const InvalidCall& invalid : invalid_calls()) {
    INFO(invalid.call.family << " with " << invalid.call.arguments.size()
                             << " arguments, expecting " << invalid.message);
    try {
      (void)invalid.call.make();
      FAIL("no ParameterError");
    } catch (const ParameterError& error) {
      CHECK_THAT(error.what(), Catch::Contains(invalid.message));
      CHECK(error.argument() == invalid.argument);
    }
  }
}

TEST_CASE("the invalid calls cover every family") {
  std::set<std::string_view> covered;
  for (const InvalidCall& invalid : invalid_calls())
    covered.insert(invalid.call.family);
  for (const Family& family : families()) {
    INFO(family.name);
    CHECK(covered.count(family.name) == 1);
  }
}

TEST_CASE("the beta_mean_sd message is exactly the documented one") {
  try {
    (void)Distribution::make("beta_mean_sd", std::vector<Argument>{0.3, 0.6});
    FAIL("no ParameterError");
  } catch (const ParameterError& error) {
    CHECK(std::string(error.what()) ==
          "beta_mean_sd sd is 0.6, but must be below sqrt(mean*(1-mean)) = 0.458");
    CHECK(error.argument() == 1);
  }
}

TEST_CASE("an unknown family is a ParameterError with the nearest name as a hint") {
  try {
    (void)Distribution::make("betta", std::vector<Argument>{4.0, 16.0});
    FAIL("no ParameterError");
  } catch (const ParameterError& error) {
    CHECK(std::string(error.what()) == "unknown distribution \"betta\"");
    CHECK(error.argument() == kWholeCall);
    CHECK(error.hint() == "did you mean beta?");
  }
  CHECK_THROWS_AS(Distribution::make("", std::vector<Argument>{}), ParameterError);
}

TEST_CASE("the family table lists every family once, in the documented order") {
  std::vector<std::string_view> names;
  for (const Family& family : families()) {
    names.push_back(family.name);
    CHECK(find_family(family.name) == &family);
    CHECK(family.signature.substr(0, family.name.size() + 1) == std::string(family.name) + "(");
    CHECK(family.min_arity >= 1);
    CHECK(family.min_arity <= family.max_arity);
    CHECK(!family.doc.empty());
  }
  CHECK(names == std::vector<std::string_view>{"uniform", "normal", "lognormal", "beta",
                                               "beta_mean_sd", "gamma", "triangular", "pert",
                                               "poisson", "binomial", "truncnormal", "lognormal_ci",
                                               "negbinomial", "exponential", "discrete"});
  CHECK(find_family("betta") == nullptr);
}

}  // namespace
}  // namespace darkfigure::distributions::testing
