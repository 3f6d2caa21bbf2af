// End-to-end tests of the darkfigure command line: exit codes, messages, output formats, files.

#include <sys/wait.h>
#include <unistd.h>
#include <algorithm>
#include <boost/math/constants/constants.hpp>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

struct Run {
  int exit_code;
  std::string out;
  std::string err;
};

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::string quoted(const std::string& argument) {
  std::string text = "'";
  for (const char c : argument)
    text += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return text + "'";
}

/// A fresh, empty directory for one test, apart from those of test processes running alongside.
fs::path scratch(const std::string& name) {
  const fs::path directory = fs::temp_directory_path() /
                             ("darkfigure-cli-test-" + std::to_string(::getpid()) + "-" + name);
  fs::remove_all(directory);
  fs::create_directories(directory);
  return directory;
}

Run darkfigure(const std::vector<std::string>& arguments) {
  static int counter = 0;
  const fs::path directory = scratch("run-" + std::to_string(counter++));
  std::string command = quoted(DARKFIGURE_BINARY);
  for (const auto& argument : arguments)
    command += ' ' + quoted(argument);
  command += " >" + quoted((directory / "out").string()) + " 2>" +
             quoted((directory / "err").string()) + " </dev/null";
  const int status = std::system(command.c_str());
  Run run{WIFEXITED(status) ? WEXITSTATUS(status) : -1, read_file(directory / "out"),
          read_file(directory / "err")};
  fs::remove_all(directory);
  return run;
}

std::string source_path(const std::string& relative) {
  return std::string(DARKFIGURE_SOURCE_DIR) + "/" + relative;
}

const std::string kReference = source_path("scenarios/examples/kz-multiplier.toml");

fs::path write_scenario(const fs::path& directory, const std::string& name,
                        const std::string& text) {
  const fs::path path = directory / name;
  std::ofstream(path) << text;
  return path;
}

}  // namespace

TEST_CASE("version and help exit 0") {
  CHECK(darkfigure({"--version"}).out.rfind("darkfigure ", 0) == 0);
  for (const auto& arguments : std::vector<std::vector<std::string>>{
           {"--help"}, {"run", "--help"}, {"check", "--help"}, {"list", "--help"}}) {
    const Run run = darkfigure(arguments);
    CAPTURE(arguments, run.err);
    CHECK(run.exit_code == 0);
    CHECK_FALSE(run.out.empty());
  }
}

TEST_CASE("run --format json follows the contract and matches the analytic means") {
  const Run run = darkfigure({"run", kReference, "--draws", "200000", "--format", "json"});
  REQUIRE(run.exit_code == 0);
  CHECK(run.err.empty());
  const json document = json::parse(run.out);
  CHECK(document["darkfigure"].is_string());
  CHECK(document["provenance"].is_object());
  REQUIRE(document["scenarios"].size() == 1);
  const json& scenario = document["scenarios"][0];
  CHECK(scenario["name"] == "kz-multiplier");
  CHECK(scenario["settings"]["draws"] == 200000);
  CHECK(scenario["settings"]["seed"] == 2023);
  CHECK(scenario["settings"]["threads"].is_number_integer());
  CHECK(scenario["diagnostics"].is_object());
  for (const char* name :
       {"victims_police", "victims_crisis", "victims", "prevalence", "exceeds"}) {
    const json& output = scenario["outputs"][name];
    CAPTURE(name);
    for (const char* key : {"mean", "sd", "mcse_mean"})
      CHECK(output[key].is_number());
    for (const char* level : {"0.025", "0.5", "0.975"})
      CHECK(output["quantiles"][level].is_number());
  }

  // E[4400 / p] for p ~ beta(13, 187) is 4400 (a + b - 1) / (a - 1); E[67500 / (c r)] for
  // c ~ uniform(1, 2) and r ~ beta(4, 16) is 67500 ln(2) (a + b - 1) / (a - 1).
  const double crisis_truth = 4400.0 * 199.0 / 12.0;
  const double police_truth = 67500.0 * boost::math::constants::ln_two<double>() * 19.0 / 3.0;
  for (const auto& [name, truth] :
       {std::pair{"victims_crisis", crisis_truth}, std::pair{"victims_police", police_truth}}) {
    const double mean = scenario["outputs"][name]["mean"];
    const double mcse = scenario["outputs"][name]["mcse_mean"];
    CAPTURE(name, mean, truth, mcse);
    CHECK(std::abs(mean - truth) < 4 * mcse);
  }
}

TEST_CASE("the outputs are bit-identical for 1, 2, 3 and 8 threads") {
  const auto outputs_with = [](const std::string& threads) {
    const Run run = darkfigure(
        {"run", kReference, "--draws", "100003", "--threads", threads, "--format", "json"});
    REQUIRE(run.exit_code == 0);
    const json document = json::parse(run.out);
    CHECK(document["scenarios"][0]["settings"]["threads"] == std::stoi(threads));
    return document["scenarios"][0]["outputs"].dump();
  };
  const std::string one = outputs_with("1");
  for (const std::string threads : {"2", "3", "8"}) {
    CAPTURE(threads);
    CHECK(outputs_with(threads) == one);
  }
}

TEST_CASE("past the memory budget quantiles come from histograms, within their stated bound") {
  const auto scenario_with = [](const std::vector<std::string>& options) {
    std::vector<std::string> arguments = {"run",    kReference, "--draws",
                                          "100003", "--format", "json"};
    arguments.insert(arguments.end(), options.begin(), options.end());
    const Run run = darkfigure(arguments);
    REQUIRE(run.exit_code == 0);
    return json::parse(run.out)["scenarios"][0];
  };
  const json exact = scenario_with({"--memory", "1G"});
  CHECK(exact["settings"]["quantile_method"] == "exact");
  CHECK(exact["settings"]["memory_budget"] == std::uint64_t{1} << 30);
  for (const auto& [size, bytes] :
       {std::pair{"1.5GiB", std::uint64_t{3} << 29}, std::pair{"4gb", std::uint64_t{4} << 30},
        std::pair{"512m", std::uint64_t{512} << 20},
        std::pair{"1e9", std::uint64_t{1'000'000'000}}}) {
    CAPTURE(size);
    CHECK(scenario_with({"--memory", size})["settings"]["memory_budget"] == bytes);
  }
  const json binned = scenario_with({"--memory", "1K", "--threads", "1"});
  CHECK(binned["settings"]["quantile_method"] == "histogram");
  for (const auto& [name, output] : binned["outputs"].items()) {
    const json& reference = exact["outputs"][name];
    CAPTURE(name);
    CHECK(output["mean"] == reference["mean"]);
    CHECK(output["sd"] == reference["sd"]);
    for (const auto& [level, value] : output["quantiles"].items()) {
      const double bound = output["quantile_error"][level];
      const double truth = reference["quantiles"][level];
      CAPTURE(level, value, truth, bound);
      CHECK(std::abs(static_cast<double>(value) - truth) <= bound);
      // Each bin spans at most 2^-12 of its values.
      CHECK(bound <= 0x1p-12 * std::abs(truth));
    }
  }
  for (const std::string threads : {"2", "3"}) {
    CAPTURE(threads);
    CHECK(scenario_with({"--memory", "1K", "--threads", threads})["outputs"] == binned["outputs"]);
  }
}

TEST_CASE("quantile levels from the command line are keyed by their shortest decimals") {
  const Run run = darkfigure(
      {"run", kReference, "--draws", "20000", "--quantiles", "0.9, 0.1,0.5", "--format", "json"});
  REQUIRE(run.exit_code == 0);
  const json quantiles = json::parse(run.out)["scenarios"][0]["outputs"]["victims"]["quantiles"];
  std::vector<std::string> keys;
  for (const auto& item : quantiles.items())
    keys.push_back(item.key());
  CHECK(keys == std::vector<std::string>{"0.1", "0.5", "0.9"});
  CHECK(quantiles["0.1"] < quantiles["0.5"]);
  CHECK(quantiles["0.5"] < quantiles["0.9"]);
}

TEST_CASE("the table, CSV and Markdown formats show every output") {
  const Run table = darkfigure({"run", kReference, "--draws", "20000"});
  REQUIRE(table.exit_code == 0);
  CHECK(table.out.find("estimate (95% UI)") != std::string::npos);
  const Run csv = darkfigure({"run", kReference, "--draws", "20000", "--format", "csv"});
  REQUIRE(csv.exit_code == 0);
  CHECK(csv.out.rfind("scenario,output,draws,seed,count,non_finite,mean,sd,mcse_mean,min,max,ess,"
                      "q0.025,q0.5,q0.975\n",
                      0) == 0);
  const Run markdown = darkfigure({"run", kReference, "--draws", "20000", "--format", "md"});
  REQUIRE(markdown.exit_code == 0);
  CHECK(markdown.out.find("| output | estimate (95% UI) |") != std::string::npos);
  for (const char* name :
       {"victims_police", "victims_crisis", "victims", "prevalence", "exceeds"}) {
    CAPTURE(name);
    CHECK(table.out.find(name) != std::string::npos);
    CHECK(csv.out.find(std::string("kz-multiplier,") + name + ",") != std::string::npos);
    CHECK(markdown.out.find(std::string("| ") + name + " |") != std::string::npos);
  }
}

TEST_CASE("the out directory gets each scenario's results and nothing else") {
  const fs::path directory = scratch("out");
  const fs::path out = directory / "results";
  const Run run = darkfigure(
      {"run", kReference, "--draws", "20000", "--format", "json", "--out", out.string()});
  REQUIRE(run.exit_code == 0);
  std::vector<std::string> files;
  for (const auto& entry : fs::directory_iterator(out))
    files.push_back(entry.path().filename());
  std::sort(files.begin(), files.end());
  CHECK(files == std::vector<std::string>{"kz-multiplier.csv", "kz-multiplier.json",
                                          "kz-multiplier.md", "kz-multiplier.tex",
                                          "kz-multiplier.txt"});
  CHECK(json::parse(read_file(out / "kz-multiplier.json"))["scenarios"][0]["outputs"] ==
        json::parse(run.out)["scenarios"][0]["outputs"]);
  fs::remove_all(directory);
}

TEST_CASE("several files run as several scenarios in one invocation") {
  const fs::path directory = scratch("several");
  const fs::path second = write_scenario(
      directory, "second.toml", "[inputs]\nx = \"normal(0, 1)\"\n[derived]\ny = \"2 * x\"\n");
  const Run run =
      darkfigure({"run", kReference, second.string(), "--draws", "10000", "--format", "json"});
  REQUIRE(run.exit_code == 0);
  const json document = json::parse(run.out);
  REQUIRE(document["scenarios"].size() == 2);
  CHECK(document["scenarios"][0]["name"] == "kz-multiplier");
  CHECK(document["scenarios"][1]["name"] == "second");
  CHECK(document["scenarios"][1]["outputs"].contains("y"));
  fs::remove_all(directory);
}

TEST_CASE("non-finite draws are excluded, counted and reported with their inputs") {
  const fs::path directory = scratch("nonfinite");
  const fs::path file = write_scenario(
      directory, "logs.toml", "[inputs]\nx = \"uniform(-1, 1)\"\n[derived]\ny = \"log(x)\"\n");
  const Run run = darkfigure({"run", file.string(), "--draws", "10000", "--format", "json"});
  REQUIRE(run.exit_code == 0);
  const json scenario = json::parse(run.out)["scenarios"][0];
  const std::uint64_t bad = scenario["outputs"]["y"]["non_finite"];
  const std::uint64_t good = scenario["outputs"]["y"]["count"];
  CHECK(bad + good == 10000);
  // About half of uniform(-1, 1) is negative: within 4 binomial standard errors of 5000.
  CHECK(std::abs(double(bad) - 5000.0) < 4 * std::sqrt(10000 * 0.25));
  const json& first = scenario["diagnostics"]["non_finite"]["y"];
  CHECK(first["count"] == bad);
  CHECK(first["first_inputs"]["x"].get<double>() <= 0.0);

  const Run table = darkfigure({"run", file.string(), "--draws", "10000"});
  CHECK(table.out.find("warning: y: ") != std::string::npos);
  fs::remove_all(directory);
}

TEST_CASE("check prints the model without sampling, and list prints the catalogues") {
  const Run check = darkfigure({"check", source_path("scenarios/kazakhstan-2023.toml")});
  REQUIRE(check.exit_code == 0);
  for (const char* name : {"reporting_rate", "victims_police", "prevalence_women"}) {
    CHECK(check.out.find(name) != std::string::npos);
  }
  const Run distributions = darkfigure({"list", "distributions"});
  REQUIRE(distributions.exit_code == 0);
  for (const char* family :
       {"uniform(", "normal(", "lognormal(", "beta(", "beta_mean_sd(", "gamma(", "triangular(",
        "pert(", "poisson(", "binomial(", "truncnormal(", "lognormal_ci(", "negbinomial(",
        "exponential(", "discrete("}) {
    CAPTURE(family);
    CHECK(distributions.out.find(family) != std::string::npos);
  }
  const Run functions = darkfigure({"list", "functions"});
  REQUIRE(functions.exit_code == 0);
  for (const char* function :
       {"min(", "max(", "abs(", "sqrt(", "exp(", "log(", "log10(", "pow(", "floor(", "ceil(",
        "round(", "clamp(", "sin(", "cos(", "tan(", "if("}) {
    CAPTURE(function);
    CHECK(functions.out.find(function) != std::string::npos);
  }
}

TEST_CASE("bad usage exits 2 with a message and prints nothing on stdout") {
  const std::vector<std::vector<std::string>> cases = {
      {},
      {"frobnicate"},
      {"run"},
      {"run", kReference, "--draw", "10"},
      {"run", kReference, "--draws", "0"},
      {"run", kReference, "--draws", "many"},
      {"run", kReference, "--seed", "-1"},
      {"run", kReference, "--threads", "0.5"},
      {"run", kReference, "--format", "xml"},
      {"run", kReference, "--quantiles", "0.5,1.5"},
      {"run", kReference, "--quantiles", "0.5,abc"},
      {"run", kReference, "--draws", "1e13"},
      {"run", kReference, "--memory", "lots"},
      {"run", kReference, "--memory", "-1G"},
      {"run", kReference, "--memory", "4X"},
      {"run", kReference, "--memory", "1e30"},
      {"run", kReference, "--threads", "4294967296"},
      {"run", kReference, "--design", "latin"},
      {"run", kReference, "--replicates", "1"},
      {"run", kReference, "--design", "lhs", "--draws", "5"},
      {"run", kReference, kReference, "--save-draws", "draws.csv"},
      {"run", kReference, "--seed", "9223372036854775808"},
      {"run", "does-not-exist.toml"},
      {"check", "/dev/zero"},
      {"check"},
      {"list"},
      {"list", "colours"},
  };
  for (const auto& arguments : cases) {
    const Run run = darkfigure(arguments);
    CAPTURE(arguments, run.err);
    CHECK(run.exit_code == 2);
    CHECK(run.out.empty());
    CHECK(run.err.find("error") != std::string::npos);
  }
}

TEST_CASE("every bad scenario of the catalogue exits 2 at its file:line:col and writes nothing") {
  const fs::path catalogue = fs::path(DARKFIGURE_TEST_DATA_DIR) / "bad";
  std::ifstream manifest(catalogue / "expectations.tsv");
  REQUIRE(manifest);
  std::string line;
  std::getline(manifest, line);  // header
  int files = 0;
  while (std::getline(manifest, line)) {
    if (line.empty()) continue;
    std::stringstream fields(line);
    std::string file, line_number, column, message;
    std::getline(fields, file, '\t');
    std::getline(fields, line_number, '\t');
    std::getline(fields, column, '\t');
    std::getline(fields, message);
    const std::string path = (catalogue / file).string();
    const fs::path out = scratch("bad-out");
    const Run run = darkfigure({"run", path, "--out", out.string()});
    CAPTURE(file, run.err);
    CHECK(run.exit_code == 2);
    CHECK(run.out.empty());
    CHECK(run.err.rfind(path + ":" + line_number + ":" + column + ": error: ", 0) == 0);
    CHECK(run.err.find(message) != std::string::npos);
    CHECK(fs::is_empty(out));
    fs::remove_all(out);
    ++files;
  }
  CHECK(files >= 20);
}

TEST_CASE("an unknown option is not guessed, and the nearest one is suggested") {
  const Run run = darkfigure({"run", kReference, "--draw", "10"});
  CHECK(run.exit_code == 2);
  CHECK(run.err == "error: unknown option --draw\nhint: did you mean --draws?\n");
}

TEST_CASE("a seed is read exactly, even beyond 2^53") {
  const Run run = darkfigure(
      {"run", kReference, "--draws", "100", "--seed", "9007199254740993", "--format", "json"});
  REQUIRE(run.exit_code == 0);
  CHECK(json::parse(run.out)["scenarios"][0]["settings"]["seed"].get<std::uint64_t>() ==
        9007199254740993ull);
}

TEST_CASE("results that cannot be written to standard output exit 1") {
  const std::string command = quoted(DARKFIGURE_BINARY) + " run " + quoted(kReference) +
                              " --draws 100 >/dev/full 2>/dev/null";
  const int status = std::system(command.c_str());
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 1);
}

TEST_CASE("a conditioned scenario reports its weights and conflicts in the table and JSON") {
  const std::string scenario = source_path("scenarios/kazakhstan-2023-conditioned.toml");
  const Run run = darkfigure({"run", scenario, "--draws", "40000", "--min-ess", "1e6",
                              "--max-draws", "40960", "--format", "json"});
  REQUIRE(run.exit_code == 0);
  const json document = json::parse(run.out);
  const json& result = document["scenarios"][0];
  CHECK(result["settings"]["conditioned"] == true);
  CHECK(result["settings"]["quantile_method"] == "weighted");
  const json& diagnostics = result["diagnostics"];
  const double ess = diagnostics["ess"];
  CHECK(ess > 1.0);
  CHECK(ess <= 40960.0);
  CHECK(diagnostics["max_weight_share"].get<double>() > 0.0);
  REQUIRE(diagnostics["observations"].size() == 2);
  for (const json& observation : diagnostics["observations"]) {
    const double tail = observation["tail_probability"];
    CHECK(tail >= 0.0);
    CHECK(tail <= 1.0);
    CHECK(observation["prior_predictive_cdf"].size() == 1);
  }
  REQUIRE(diagnostics["priors"].size() == 1);
  CHECK(diagnostics["priors"][0]["induced_density"] == "kernel");
  CHECK(diagnostics["priors"][0]["bandwidth"].get<double>() > 0.0);
  CHECK(result["outputs"]["victims"]["ess"].get<double>() == Approx(ess).epsilon(1e-12));
  // An effective sample size below min_ess is warned about, on stderr too, where a JSON reader
  // does not look.
  CHECK(diagnostics["min_ess"] == 1e6);
  REQUIRE(diagnostics["warnings"].size() >= 1);
  CHECK_THAT(diagnostics["warnings"][0].get<std::string>(), Catch::Contains("max_draws"));
  CHECK_THAT(run.err, Catch::Contains("warning: kz-2023-conditioned: "));

  const Run table = darkfigure({"run", scenario, "--draws", "40000", "--min-ess", "1"});
  REQUIRE(table.exit_code == 0);
  CHECK_THAT(table.out, Catch::Contains("conditioned on 2 observations and 1 prior"));
  CHECK_THAT(table.out, Catch::Contains("registered cases 2023"));
  CHECK_THAT(table.out, Catch::Contains("tail P"));
  CHECK_THAT(table.out, Catch::Contains("prior on prevalence_women"));
  CHECK(table.err.empty());
  const Run markdown =
      darkfigure({"run", scenario, "--draws", "40000", "--min-ess", "1", "--format", "md"});
  REQUIRE(markdown.exit_code == 0);
  CHECK_THAT(markdown.out, Catch::Contains("| 97.5% | ESS |"));
  CHECK_THAT(markdown.out, Catch::Contains("| registered cases 2023 | 67,500 |"));

  const Run likelihoods = darkfigure({"list", "likelihoods"});
  CHECK(likelihoods.exit_code == 0);
  for (const char* family :
       {"poisson(mean)", "binomial(n, p)", "normal(mean, sd)", "negbinomial(mean, dispersion)",
        "beta(alpha, beta)", "lognormal(mu, sigma)"}) {
    CHECK_THAT(likelihoods.out, Catch::Contains(family));
  }
}

TEST_CASE("an observation that no draw can explain exits 2 at the observation") {
  const fs::path directory = scratch("impossible");
  const fs::path file = write_scenario(directory, "impossible.toml", R"toml([inputs]
p = "beta(2, 3)"

[[observe]]
name = "survey"
value = 61
likelihood = "binomial(50, p)"
)toml");
  const Run run = darkfigure({"run", file.string(), "--out", (directory / "out").string()});
  CHECK(run.exit_code == 2);
  CHECK(run.out.empty());
  CHECK_THAT(run.err, Catch::Contains("impossible.toml:7:15: error: survey: the likelihood is "
                                      "zero in every one of 100000 draws"));
  CHECK(!fs::exists(directory / "out"));
  fs::remove_all(directory);
}

TEST_CASE("a design and its replicates from the command line reach the JSON and the table") {
  const Run lhs = darkfigure({"run", kReference, "--draws", "40000", "--design", "lhs",
                              "--replicates", "16", "--format", "json"});
  REQUIRE(lhs.exit_code == 0);
  const json settings = json::parse(lhs.out)["scenarios"][0]["settings"];
  CHECK(settings["design"] == "lhs");
  CHECK(settings["replicates"] == 16);
  CHECK(settings["mcse_method"] == "replicates");
  const Run table = darkfigure({"run", kReference, "--draws", "40000", "--design", "sobol"});
  REQUIRE(table.exit_code == 0);
  CHECK(table.out.find("note: Sobol design: mcse is the spread of 8 independently randomised "
                       "replicates of 5,000 draws each") != std::string::npos);
  // Bit-identical for any thread count under a design too.
  const Run one = darkfigure({"run", kReference, "--draws", "40000", "--design", "sobol",
                              "--threads", "1", "--format", "csv"});
  const Run three = darkfigure({"run", kReference, "--draws", "40000", "--design", "sobol",
                                "--threads", "3", "--format", "csv"});
  CHECK(one.out == three.out);
}

TEST_CASE("the draws export holds every draw, or nothing when the run fails") {
  const fs::path directory = scratch("save-draws");
  const fs::path path = directory / "draws.csv";
  const Run run = darkfigure({"run", kReference, "--draws", "5000", "--save-draws", path.string()});
  REQUIRE(run.exit_code == 0);
  std::ifstream in(path);
  std::string header;
  std::getline(in, header);
  CHECK(header.rfind("draw,", 0) == 0);
  std::size_t rows = 0;
  for (std::string line; std::getline(in, line);)
    ++rows;
  CHECK(rows == 5000);

  // A run that fails leaves no file behind, not even a temporary one.
  const fs::path bad = write_scenario(directory, "impossible.toml", R"toml(
[inputs]
p = "beta(2, 3)"
[[observe]]
name = "count"
value = 60
likelihood = "binomial(50, p)"
)toml");
  const fs::path second = directory / "second.csv";
  const Run failed = darkfigure({"run", bad.string(), "--save-draws", second.string()});
  CHECK(failed.exit_code == 2);
  CHECK_FALSE(fs::exists(second));
  const Run unwritable =
      darkfigure({"run", kReference, "--save-draws", (directory / "no" / "such.csv").string()});
  CHECK(unwritable.exit_code == 2);
  CHECK(unwritable.err.find("cannot write draws") != std::string::npos);
  std::size_t entries = 0;
  for ([[maybe_unused]] const auto& entry : fs::directory_iterator(directory))
    ++entries;
  CHECK(entries == 2);  // draws.csv and impossible.toml
}

namespace {

constexpr const char* kSwept = R"toml([scenario]
name = "swept"
draws = 20000
seed = 5

[inputs]
reported_cases = 67500
crisis_victims = 4400
reporting_rate = "beta(4, 16)"
crisis_uptake = "beta_mean_sd(0.02, 0.01)"

[derived]
victims = "(reported_cases / reporting_rate + crisis_victims / crisis_uptake) / 2"
above = "victims > 300000"

[sweep]
crisis_uptake = [0.02, 0.04, 0.065, 0.10]
)toml";

}  // namespace

TEST_CASE("a sweep over four values runs in one invocation and returns four result sets") {
  const fs::path directory = scratch("sweep");
  const fs::path file = write_scenario(directory, "swept.toml", kSwept);
  const Run run = darkfigure({"run", file.string(), "--format", "json", "--threads", "1"});
  REQUIRE(run.exit_code == 0);
  const json scenarios = json::parse(run.out)["scenarios"];
  REQUIRE(scenarios.size() == 4);
  const std::vector<double> uptakes = {0.02, 0.04, 0.065, 0.10};
  for (std::size_t p = 0; p < 4; ++p) {
    CHECK(scenarios[p]["name"] == "swept");
    CHECK(scenarios[p]["sweep"]["crisis_uptake"].get<double>() == uptakes[p]);
    // Common random numbers: the police route is the same at every point, so the mean moves by
    // exactly the change in crisis_victims / crisis_uptake / 2.
    const double mean = scenarios[p]["outputs"]["victims"]["mean"].get<double>();
    const double first = scenarios[0]["outputs"]["victims"]["mean"].get<double>();
    CHECK(mean - first == Approx(4400 / uptakes[p] / 2 - 4400 / 0.02 / 2).epsilon(1e-9));
  }
  // Points run side by side on 3 threads, one after another on 8: the same figures.
  const Run three = darkfigure({"run", file.string(), "--format", "csv", "--threads", "3"});
  const Run eight = darkfigure({"run", file.string(), "--format", "csv", "--threads", "8"});
  REQUIRE(three.exit_code == 0);
  CHECK(three.out == eight.out);
  // A memory budget that two points side by side would not fit: the points then run one after
  // another, each with the whole budget, and the figures stay the same.
  const Run tight_one =
      darkfigure({"run", file.string(), "--format", "csv", "--threads", "1", "--memory", "200K"});
  const Run tight_two =
      darkfigure({"run", file.string(), "--format", "csv", "--threads", "2", "--memory", "200K"});
  REQUIRE(tight_one.exit_code == 0);
  CHECK(tight_one.out == tight_two.out);
  CHECK(three.out.rfind("scenario,sweep,output,", 0) == 0);
  CHECK(three.out.find("swept,crisis_uptake=0.065,victims,") != std::string::npos);
  const Run table = darkfigure({"run", file.string()});
  CHECK(table.out.find("swept (crisis_uptake = 0.065)") != std::string::npos);
  // --out keeps the points of a sweep together in one set of files.
  const Run out = darkfigure({"run", file.string(), "--out", (directory / "out").string()});
  REQUIRE(out.exit_code == 0);
  CHECK(json::parse(read_file(directory / "out" / "swept.json"))["scenarios"].size() == 4);
  const Run draws =
      darkfigure({"run", file.string(), "--save-draws", (directory / "draws.csv").string()});
  CHECK(draws.exit_code == 2);
  CHECK(draws.err.find("--save-draws writes the draws of one run") != std::string::npos);
  CHECK_FALSE(fs::exists(directory / "draws.csv"));
  fs::remove_all(directory);
}

TEST_CASE("sensitivity --format json follows the contract for every method") {
  const fs::path directory = scratch("sensitivity");
  const fs::path file = write_scenario(directory, "ishigami.toml", R"toml([scenario]
name = "ishigami"
draws = 4096
seed = 3

[inputs]
x1 = "uniform(-pi, pi)"
x2 = "uniform(-pi, pi)"
x3 = "uniform(-pi, pi)"
fixed = 7

[derived]
y = "sin(x1) + fixed * sin(x2)^2 + 0.1 * x3^4 * sin(x1)"
)toml");
  const Run sobol = darkfigure({"sensitivity", file.string(), "--method", "sobol", "--format",
                                "json", "--bootstrap", "200"});
  REQUIRE(sobol.exit_code == 0);
  const json document = json::parse(sobol.out);
  CHECK(document.contains("darkfigure"));
  CHECK(document.contains("provenance"));
  const json study = document["sensitivity"][0];
  CHECK(study["scenario"] == "ishigami");
  CHECK(study["output"] == "y");
  CHECK(study["method"] == "sobol");
  CHECK(study["settings"]["draws"] == 4096);
  CHECK(study["settings"]["evaluations"] == 4096 * 5);
  REQUIRE(study["inputs"].size() == 3);
  for (const auto& [name, index] : study["inputs"].items()) {
    INFO(name);
    CHECK(index["first_ci"].size() == 2);
    CHECK(index["total_ci"].size() == 2);
    CHECK(index["total"].get<double>() >= index["total_ci"][0].get<double>());
    CHECK(index["total"].get<double>() <= index["total_ci"][1].get<double>());
  }
  // x2 has no interaction: its first-order and total indices agree within their intervals.
  CHECK(study["inputs"]["x2"]["first"].get<double>() ==
        Approx(study["inputs"]["x2"]["total"].get<double>()).margin(0.05));

  for (const std::string method : {"src", "prcc"}) {
    const Run regression = darkfigure(
        {"sensitivity", file.string(), "--method", method, "--format", "json", "--draws", "20000"});
    REQUIRE(regression.exit_code == 0);
    const json result = json::parse(regression.out)["sensitivity"][0];
    CHECK(result["method"] == method);
    CHECK(result.contains("r_squared"));
    CHECK(result["inputs"]["x1"].contains(method));
  }
  const Run tornado = darkfigure({"sensitivity", file.string(), "--method", "tornado", "--format",
                                  "json", "--quantile", "0.9"});
  REQUIRE(tornado.exit_code == 0);
  const json bars = json::parse(tornado.out)["sensitivity"][0]["inputs"];
  double previous = INFINITY;
  for (const auto& [name, bar] : bars.items()) {
    INFO(name);
    CHECK(bar["swing"].get<double>() ==
          Approx(std::abs(bar["high"].get<double>() - bar["low"].get<double>())));
    CHECK(bar["swing"].get<double>() <= previous);
    previous = bar["swing"].get<double>();
  }
  CHECK(bars["x1"]["low_input"].get<double>() ==
        Approx(-boost::math::constants::pi<double>() * 0.8));
  fs::remove_all(directory);
}

TEST_CASE("sensitivity rejects what does not fit with exit 2 and a hint") {
  const fs::path directory = scratch("sensitivity-errors");
  const fs::path file = write_scenario(directory, "swept.toml", kSwept);
  const auto fails = [&](const std::vector<std::string>& arguments, const std::string& message) {
    const Run run = darkfigure(arguments);
    INFO(run.err);
    CHECK(run.exit_code == 2);
    CHECK(run.out.empty());
    CHECK(run.err.find(message) != std::string::npos);
  };
  fails({"sensitivity", file.string()}, "needs --method");
  fails({"sensitivity", file.string(), "--method", "sobl"}, "did you mean sobol?");
  fails({"sensitivity", file.string(), "--method", "tornado", "--inputs", "reported_cases"},
        "reported_cases is fixed at 67500, so it has no spread to study");
  fails({"sensitivity", file.string(), "--method", "tornado", "--inputs", "reported_cases"},
        "swept.toml:7:1");
  fails({"sensitivity", file.string(), "--method", "src", "--inputs", "reportng_rate"},
        "did you mean reporting_rate?");
  fails({"sensitivity", file.string(), "--method", "sobol", "--output", "victim"},
        "did you mean victims?");
  fails({"sensitivity", file.string(), "--method", "sobol", "--output", "above"},
        "above is a truth value (0 or 1), not a number");
  fails({"sensitivity", file.string(), "--method", "sobol", "--quantile", "0.9"},
        "--quantile chooses a tornado's quantile");
  fs::remove_all(directory);
}

TEST_CASE("every scenario file of the repository passes check") {
  std::size_t checked = 0;
  for (const auto& entry : fs::recursive_directory_iterator(source_path("scenarios"))) {
    if (entry.path().extension() != ".toml") continue;
    INFO(entry.path());
    const Run check = darkfigure({"check", entry.path().string()});
    CHECK(check.exit_code == 0);
    CHECK(check.err.empty());
    ++checked;
  }
  CHECK(checked >= 8);
}

TEST_CASE("report publishes tables, figures and the HTML page, and prints the interval table") {
  const fs::path directory = scratch("report");
  const fs::path out = directory / "published";
  fs::create_directories(out / "plots");
  std::ofstream(out / "plots" / "histogram-gone-x.vl.json") << "{}";
  std::ofstream(out / "plots" / "notes.txt") << "kept";
  const Run run = darkfigure({"report", source_path("scenarios/kazakhstan-2023.toml"),
                              source_path("scenarios/examples/crisis-uptake-sweep.toml"), "--draws",
                              "8192", "--threads", "2", "--level", "0.9", "--out", out.string()});
  INFO(run.err);
  REQUIRE(run.exit_code == 0);
  CHECK(run.out.find("estimate (90% UI)") != std::string::npos);
  CHECK(run.out.find("kz-2023-national") != std::string::npos);
  CHECK(run.out.find("crisis_uptake = 0.02") != std::string::npos);
  for (const char* name :
       {"summary.csv", "summary.md", "summary.tex", "summary.json", "report.html"}) {
    CAPTURE(name);
    CHECK(fs::file_size(out / name) > 0);
  }
  const std::string latex = read_file(out / "summary.tex");
  CHECK(latex.find("\\toprule") != std::string::npos);
  CHECK(latex.find("\\bottomrule") != std::string::npos);

  // The JSON carries the provenance of every file and the sources of every input.
  const json document = json::parse(read_file(out / "summary.json"));
  CHECK(document["level"] == 0.9);
  const auto& files = document["provenance"]["scenarios"];
  REQUIRE(files.size() == 2);
  for (const auto& file : files) {
    CHECK(file["sha256"].get<std::string>().size() == 64);
    CHECK(file.contains("seed"));
  }
  bool found_source = false;
  for (const auto& scenario : document["scenarios"]) {
    for (const auto& input : scenario["inputs"]) {
      if (input.contains("source") && !input["source"].get<std::string>().empty())
        found_source = true;
    }
  }
  CHECK(found_source);
  // The scenario's [sensitivity] table ran: Sobol indices and a tornado of victims.
  REQUIRE(document["sensitivity"].size() == 2);
  CHECK(document["sensitivity"][0]["method"] == "sobol");
  CHECK(document["sensitivity"][1]["method"] == "tornado");

  // Figures: each a Vega-Lite specification with its data inline; an earlier report's go.
  std::vector<std::string> kinds;
  for (const auto& entry : fs::directory_iterator(out / "plots")) {
    const std::string name = entry.path().filename().string();
    if (!name.ends_with(".vl.json")) continue;
    const json spec = json::parse(read_file(entry.path()));
    CHECK(spec["$schema"].get<std::string>().find("vega-lite") != std::string::npos);
    kinds.push_back(name.substr(0, name.find('-')));
  }
  for (const char* kind : {"histogram", "forest", "sobol", "tornado", "convergence"}) {
    CAPTURE(kind);
    CHECK(std::count(kinds.begin(), kinds.end(), kind) > 0);
  }
  CHECK_FALSE(fs::exists(out / "plots" / "histogram-gone-x.vl.json"));
  CHECK(fs::exists(out / "plots" / "notes.txt"));

  // The page embeds the scripts and loads nothing.
  const std::string html = read_file(out / "report.html");
  CHECK(html.find("vegaEmbed") != std::string::npos);
  CHECK(html.find("<script src=") == std::string::npos);
  fs::remove_all(directory);
}

TEST_CASE("report refuses bad usage and bad scenarios with exit 2 and writes nothing") {
  const fs::path directory = scratch("report-bad");
  const fs::path out = directory / "published";
  const Run no_out = darkfigure({"report", kReference});
  CHECK(no_out.exit_code == 2);
  CHECK(no_out.err.find("--out") != std::string::npos);
  for (const char* level : {"0", "1", "95", "x", "0.9x"}) {
    CAPTURE(level);
    const Run bad = darkfigure({"report", kReference, "--level", level, "--out", out.string()});
    CHECK(bad.exit_code == 2);
    CHECK(bad.err.find("--level") != std::string::npos);
  }
  const fs::path file = write_scenario(directory, "not-a-directory", "text");
  const Run file_out = darkfigure({"report", kReference, "--out", file.string()});
  CHECK(file_out.exit_code == 2);
  CHECK(file_out.err.find("is not a directory") != std::string::npos);
  const fs::path broken = write_scenario(directory, "broken.toml", "[inputs]\nx = \"beta(1)\"\n");
  const Run bad = darkfigure({"report", kReference, broken.string(), "--out", out.string()});
  CHECK(bad.exit_code == 2);
  CHECK(bad.err.find("broken.toml:2:") != std::string::npos);
  CHECK_FALSE(fs::exists(out / "summary.csv"));
  CHECK_FALSE(fs::exists(out / "report.html"));
  fs::remove_all(directory);
}

TEST_CASE("run --format latex prints a booktabs interval table") {
  const Run run = darkfigure({"run", kReference, "--draws", "4096", "--format", "latex"});
  REQUIRE(run.exit_code == 0);
  CHECK(run.out.find("\\toprule") != std::string::npos);
  CHECK(run.out.find("\\midrule") != std::string::npos);
  CHECK(run.out.find("\\bottomrule") != std::string::npos);
  CHECK(run.out.find("victims\\_police") != std::string::npos);
  CHECK(run.out.find("95\\% UI") != std::string::npos);
}

TEST_CASE("estimate prints each data set in every format, the JSON as the contract writes it") {
  const std::string registers = source_path("scenarios/examples/three-registers.toml");
  const std::string repeats = source_path("scenarios/examples/repeat-apprehensions.toml");
  const Run run = darkfigure({"estimate", registers, repeats, "--format", "json"});
  REQUIRE(run.exit_code == 0);
  const json document = json::parse(run.out);
  const json& estimates = document["estimates"];
  REQUIRE(estimates.size() == 3);
  const json& lists = estimates["registers"];
  CHECK(lists["n_observed"] == 848.0);
  for (const char* key : {"estimate", "se", "deviance"})
    CHECK(lists[key].is_number());
  CHECK(lists["df"] == 2);
  CHECK(lists["model"] == "police:crisis");
  REQUIRE(lists["ci"].size() == 2);
  CHECK(lists["ci"][0] < lists["estimate"]);
  CHECK(lists["ci"][1] > lists["estimate"]);
  // Every hierarchical model of three lists, the chosen one first, the rest by BIC.
  const json& alternatives = lists["alternatives"];
  REQUIRE(alternatives.size() == 8);
  CHECK(alternatives[0]["model"] == lists["model"]);
  CHECK(alternatives[0]["estimate"] == lists["estimate"]);
  for (std::size_t i = 1; i < alternatives.size(); ++i)
    CHECK(alternatives[i - 1]["bic"].get<double>() <= alternatives[i]["bic"].get<double>());
  // The zero-truncated Poisson of van der Heijden et al. (2003) as Rcapture prints it:
  // abundance 7079.9, stderr 365.8, deviance 61.811 on 4 df.
  const json& ztp = estimates["police_ztp"];
  CHECK(std::abs(ztp["estimate"].get<double>() - 7079.9) <= 0.05);
  CHECK(std::abs(ztp["se"].get<double>() - 365.8) <= 0.05);
  CHECK(std::abs(ztp["deviance"].get<double>() - 61.811) <= 0.0005);
  CHECK(ztp["df"] == 4);
  CHECK(estimates["police_repeats"]["resamples"] == 4000);
  CHECK(document["provenance"]["version"].is_string());

  const Run table = darkfigure({"estimate", registers});
  REQUIRE(table.exit_code == 0);
  CHECK_THAT(table.out, Catch::Contains("registers (" + registers +
                                        "): 3 lists (police, crisis, health), 848 people seen"));
  CHECK_THAT(table.out, Catch::Contains("95% profile likelihood interval"));
  CHECK_THAT(table.out, Catch::Contains("chosen by BIC among 8 models"));
  const Run csv = darkfigure({"estimate", registers, repeats, "--format", "csv"});
  REQUIRE(csv.exit_code == 0);
  CHECK(std::count(csv.out.begin(), csv.out.end(), '\n') == 1 + 8 + 3 + 3);
  CHECK(csv.out.rfind("scenario,data_set,method,model,chosen,n_observed,estimate,se,lower,", 0) ==
        0);
  const Run markdown = darkfigure({"estimate", repeats, "--format", "md"});
  REQUIRE(markdown.exit_code == 0);
  CHECK_THAT(markdown.out, Catch::Contains("### police_repeats (repeat-apprehensions)"));
  CHECK_THAT(markdown.out, Catch::Contains("| ztp | 7,080 | 365.8 | 61.81 | 4 |"));
}

TEST_CASE("estimate refuses what it cannot estimate with exit 2") {
  const fs::path directory = scratch("estimate-usage");
  const std::string registers = source_path("scenarios/examples/three-registers.toml");
  const Run latex = darkfigure({"estimate", registers, "--format", "latex"});
  CHECK(latex.exit_code == 2);
  CHECK_THAT(latex.err, Catch::Contains("must be table, csv, md or json"));
  const Run none = darkfigure({"estimate", kReference});
  CHECK(none.exit_code == 2);
  CHECK_THAT(none.err, Catch::Contains("has no [capture_recapture] data set"));
  CHECK(none.out.empty());
  const fs::path copy = write_scenario(directory, "copy.toml", read_file(registers));
  const Run twice = darkfigure({"estimate", registers, copy.string()});
  CHECK(twice.exit_code == 2);
  CHECK_THAT(twice.err, Catch::Contains("data set \"registers\" is in both"));
  // A file of data sets alone is for estimate, not for the commands that sample.
  const fs::path data = write_scenario(directory, "data.toml", R"toml([capture_recapture.lists]
lists = ["police", "crisis"]
histories = { "10" = 412, "01" = 96, "11" = 9 }
)toml");
  CHECK(darkfigure({"estimate", data.string()}).exit_code == 0);
  for (const std::vector<std::string>& command :
       {std::vector<std::string>{"run"}, {"report"}, {"sensitivity", "--method", "tornado"}}) {
    std::vector<std::string> arguments = command;
    arguments.insert(arguments.end(), {data.string(), "--out", directory.string()});
    const Run sampled = darkfigure(arguments);
    CAPTURE(command.front());
    CHECK(sampled.exit_code == 2);
    CHECK_THAT(sampled.err, Catch::Contains("has no [inputs], so there is nothing to sample"));
  }
  // The catalogue's capture-recapture mistakes stop estimate at the same place as run.
  const fs::path catalogue = fs::path(DARKFIGURE_TEST_DATA_DIR) / "bad";
  int files = 0;
  for (const auto& entry : fs::directory_iterator(catalogue)) {
    if (entry.path().filename().string().rfind("cr-", 0) != 0) continue;
    const Run run = darkfigure({"estimate", entry.path().string()});
    CAPTURE(entry.path().string(), run.err);
    CHECK(run.exit_code == 2);
    CHECK(run.out.empty());
    CHECK(run.err.rfind(entry.path().string() + ":", 0) == 0);
    ++files;
  }
  CHECK(files >= 25);
}

TEST_CASE("estimate(NAME) carries the estimator's uncertainty into intervals and studies") {
  const std::string registers = source_path("scenarios/examples/three-registers.toml");
  const json estimate = json::parse(
      darkfigure({"estimate", registers, "--format", "json"}).out)["estimates"]["registers"];
  const Run run = darkfigure({"run", registers, "--format", "json"});
  REQUIRE(run.exit_code == 0);
  const json document = json::parse(run.out);
  const json& reachable = document["scenarios"][0]["outputs"]["reachable"];
  // Reports say where the input comes from: the data set's source and what its estimate is.
  const json& input = document["scenarios"][0]["inputs"][0];
  CHECK(input["value"] == "estimate(registers)");
  CHECK_THAT(input["source"].get<std::string>(), Catch::Contains("three services"));
  CHECK_THAT(input["note"].get<std::string>(),
             Catch::StartsWith("capture-recapture estimate 2,592 (95% profile interval"));
  // The draws' median and central 95% are the estimate and the log-normal interval of Chao
  // (1987), within 4 Monte Carlo standard errors of each quantile.
  const double n = estimate["n_observed"];
  const double unseen = estimate["estimate"].get<double>() - n;
  const double se = estimate["se"];
  const double c = std::exp(1.959963984540054 * std::sqrt(std::log1p(se * se / (unseen * unseen))));
  const std::vector<std::pair<std::string, double>> expected = {
      {"0.025", n + unseen / c}, {"0.5", n + unseen}, {"0.975", n + unseen * c}};
  for (const auto& [level, value] : expected) {
    CAPTURE(level);
    const double mcse = reachable["quantile_mcse"][level];
    CHECK(std::abs(reachable["quantiles"][level].get<double>() - value) < 4.0 * mcse);
  }
  // The study apportions the uncertainty of victims = reachable / (1 - never_reach): on the log
  // scale the estimate's variance is about 0.0093 and never_reach's about 0.0025, so the estimate
  // carries most of it.
  const Run sobol = darkfigure({"sensitivity", registers, "--method", "sobol", "--output",
                                "victims", "--draws", "8192", "--format", "json"});
  REQUIRE(sobol.exit_code == 0);
  const json study = json::parse(sobol.out);
  const json& inputs = study["sensitivity"][0]["inputs"];
  CHECK(inputs["reachable"]["text"] == "estimate(registers)");
  CHECK(inputs["reachable"]["first_ci"][0].get<double>() > 0.5);
  CHECK(inputs["never_reach"]["first_ci"][1].get<double>() < 0.5);
  const Run tornado = darkfigure(
      {"sensitivity", registers, "--method", "tornado", "--output", "victims", "--format", "json"});
  REQUIRE(tornado.exit_code == 0);
  const json swings = json::parse(tornado.out);
  const json& swing = swings["sensitivity"][0]["inputs"]["reachable"];
  CHECK(swing["high"].get<double>() > swing["low"].get<double>());
}
