#include "cli/commands.hpp"

#include <unistd.h>

#include <boost/program_options.hpp>
#include <cctype>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>
#include <mutex>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "darkfigure/analysis/analysis.hpp"
#include "darkfigure/analysis/sensitivity.hpp"
#include "darkfigure/core/error.hpp"
#include "darkfigure/core/text.hpp"
#include "darkfigure/distributions/distribution.hpp"
#include "darkfigure/expression/builtins.hpp"
#include "darkfigure/inference/likelihood.hpp"
#include "darkfigure/report/estimates.hpp"
#include "darkfigure/report/html.hpp"
#include "darkfigure/report/number_format.hpp"
#include "darkfigure/report/plots.hpp"
#include "darkfigure/report/publication.hpp"
#include "darkfigure/report/sensitivity_result.hpp"
#include "darkfigure/report/writer.hpp"
#include "darkfigure/scenario/scenario.hpp"

namespace darkfigure::cli {
namespace po = boost::program_options;
namespace {

using core::InputError;

/// The limits of the scenario file (draws at most 1e12, a seed that fits TOML's signed integers),
/// and a thread count no machine this runs on comes near.
constexpr std::uint64_t kMaxDraws = 1'000'000'000'000;
constexpr std::uint64_t kMaxSeed = (std::uint64_t{1} << 63) - 1;
constexpr std::uint64_t kMaxThreads = 1024;

/// Parses a command's arguments; FILE... are the positional arguments.
po::variables_map parse(const std::vector<std::string>& arguments,
                        const po::options_description& options) {
  po::options_description all;
  all.add(options).add_options()("file", po::value<std::vector<std::string>>());
  po::positional_options_description positional;
  positional.add("file", -1);
  // No abbreviated options: a script that says --draw should fail, not silently mean --draws.
  const int style = po::command_line_style::default_style & ~po::command_line_style::allow_guessing;
  po::variables_map values;
  try {
    po::store(
        po::command_line_parser(arguments).options(all).positional(positional).style(style).run(),
        values);
  } catch (const po::unknown_option& error) {
    std::vector<std::string> names;
    for (const auto& option : options.options())
      names.push_back("--" + option->long_name());
    const auto nearest = core::nearest_spelling(error.get_option_name(), names);
    throw InputError("unknown option " + error.get_option_name(), std::nullopt,
                     nearest ? "did you mean " + *nearest + "?" : "see the command's --help");
  }
  po::notify(values);
  return values;
}

/// A count such as "1000000", "1_000_000" or "1e7": a whole number in [minimum, maximum].
/// Plain digits are read exactly; scientific notation only where the double is a whole number
/// below 2^53, so that no count is silently rounded.
std::uint64_t parse_count(const std::string& option, const std::string& text, std::uint64_t minimum,
                          std::uint64_t maximum, const char* example) {
  std::string digits;
  for (const char c : text) {
    if (c != '_') digits += c;
  }
  const char* const first = digits.data();
  const char* const last = first + digits.size();
  std::uint64_t count = 0;
  auto [end, error] = std::from_chars(first, last, count);
  bool whole = error == std::errc() && end == last;
  if (!whole && error != std::errc::result_out_of_range) {
    double value = 0.0;
    const auto parsed = std::from_chars(first, last, value);
    whole = parsed.ec == std::errc() && parsed.ptr == last && value >= 0.0 && value < 0x1p53 &&
            value == std::floor(value);
    if (whole) count = static_cast<std::uint64_t>(value);
  }
  if (!whole || count < minimum || count > maximum) {
    throw InputError("--" + option + " is \"" + text + "\", but must be a whole number from " +
                         std::to_string(minimum) + " to " + std::to_string(maximum),
                     std::nullopt, "for example --" + option + " " + example);
  }
  return count;
}

/// A memory size such as "512M", "1.5G", "2GiB", "4gb" or "1e9" (bytes): a number with an
/// optional binary unit K, M, G or T, in either case, optionally followed by B or iB.
std::uint64_t parse_memory(const std::string& text) {
  const auto unit_start = text.find_first_not_of("0123456789.eE+_");
  const std::string number_text = text.substr(0, unit_start);
  std::string unit;
  if (unit_start != std::string::npos) {
    for (const char c : text.substr(unit_start))
      unit += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  for (const std::string suffix : {"ib", "b"}) {
    if (unit.size() > suffix.size() && unit.ends_with(suffix)) {
      unit.resize(unit.size() - suffix.size());
      break;
    }
  }
  double scale = 0.0;
  if (unit.empty()) {
    scale = 1.0;
  } else if (unit.size() == 1) {
    const auto power = std::string_view("kmgt").find(unit[0]);
    if (power != std::string_view::npos) scale = std::ldexp(1.0, 10 * static_cast<int>(power + 1));
  }
  std::string digits;
  for (const char c : number_text) {
    if (c != '_') digits += c;
  }
  double value = 0.0;
  const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  const double bytes = value * scale;
  if (digits.empty() || error != std::errc() || end != digits.data() + digits.size() ||
      scale == 0.0 || !(bytes >= 0.0 && bytes < 0x1p63)) {
    throw InputError("--memory is \"" + text + "\", but must be a size such as 512M or 4G",
                     std::nullopt,
                     "units are K, M, G and T (powers of 1024); a plain number counts bytes");
  }
  return static_cast<std::uint64_t>(bytes);
}

std::vector<double> parse_levels(const std::string& text) {
  std::vector<double> levels;
  std::stringstream stream(text);
  std::string item;
  while (std::getline(stream, item, ',')) {
    double level = 0.0;
    const auto first = item.find_first_not_of(' ');
    const auto last = item.find_last_not_of(' ');
    const std::string trimmed =
        first == std::string::npos ? "" : item.substr(first, last - first + 1);
    const auto [end, error] =
        std::from_chars(trimmed.data(), trimmed.data() + trimmed.size(), level);
    if (trimmed.empty() || error != std::errc() || end != trimmed.data() + trimmed.size()) {
      throw InputError("--quantiles has \"" + item + "\", which is not a number", std::nullopt,
                       "write the levels separated by commas, e.g. --quantiles 0.05,0.5,0.95");
    }
    levels.push_back(level);
  }
  return scenario::checked_quantile_levels(std::move(levels));
}

/// Adds the options that say how scenarios are sampled, shared by run and report.
void add_run_options(po::options_description& options) {
  options.add_options()("draws,n", po::value<std::string>(),
                        "draws per scenario (overrides the file; report: the draws of a "
                        "[sensitivity] table stay), e.g. 1e6")("seed,s", po::value<std::string>(),
                                                               "random seed (overrides the file)")(
      "threads,t", po::value<std::string>(), "worker threads; default: all cores")(
      "memory,m", po::value<std::string>(),
      "memory for stored draws per scenario, e.g. 4G; past it quantiles come from histograms "
      "with a stated error bound; default: half the physical memory")(
      "min-ess", po::value<std::string>(),
      "conditioned scenarios: add draws until the effective sample size reaches this "
      "(overrides [inference] min_ess), e.g. 10000")(
      "max-draws", po::value<std::string>(),
      "cap on the draws while reaching --min-ess (overrides [inference] max_draws); default: "
      "100 times the draws")(
      "design", po::value<std::string>(),
      "sampling design: mc, lhs (Latin hypercube) or sobol (overrides [sampling] design)")(
      "replicates", po::value<std::string>(),
      "independent randomisations of an lhs or sobol design, whose spread gives the standard "
      "errors (overrides [sampling] replicates); default: 8");
}

/// The options of add_run_options as given.
analysis::RunOptions run_options_of(const po::variables_map& values) {
  analysis::RunOptions run_options;
  if (values.count("draws"))
    run_options.draws =
        parse_count("draws", values["draws"].as<std::string>(), 1, kMaxDraws, "1e6");
  if (values.count("seed"))
    run_options.seed = parse_count("seed", values["seed"].as<std::string>(), 0, kMaxSeed, "2023");
  if (values.count("threads")) {
    run_options.threads = static_cast<unsigned>(
        parse_count("threads", values["threads"].as<std::string>(), 1, kMaxThreads, "2"));
  }
  if (values.count("memory")) {
    run_options.memory_budget = parse_memory(values["memory"].as<std::string>());
  }
  if (values.count("min-ess")) {
    run_options.min_ess = static_cast<double>(
        parse_count("min-ess", values["min-ess"].as<std::string>(), 1, kMaxDraws, "10000"));
  }
  if (values.count("max-draws")) {
    run_options.max_draws =
        parse_count("max-draws", values["max-draws"].as<std::string>(), 1, kMaxDraws, "1e8");
  }
  if (values.count("design")) {
    const std::string name = values["design"].as<std::string>();
    run_options.design = sampling::find_design(name);
    if (!run_options.design) {
      throw InputError("--design is \"" + name + "\", but must be mc, lhs or sobol");
    }
  }
  if (values.count("replicates")) {
    run_options.replicates = static_cast<std::uint32_t>(parse_count(
        "replicates", values["replicates"].as<std::string>(), 2, sampling::kMaxReplicates, "10"));
  }
  return run_options;
}

std::vector<std::filesystem::path> files_of(const po::variables_map& values,
                                            const std::string& command) {
  if (!values.count("file")) {
    throw InputError("darkfigure " + command + " needs at least one scenario file", std::nullopt,
                     "e.g. darkfigure " + command + " scenarios/kazakhstan-2023.toml");
  }
  std::vector<std::filesystem::path> files;
  for (const auto& file : values["file"].as<std::vector<std::string>>())
    files.emplace_back(file);
  return files;
}

/// Progress on stderr, only when it is a terminal: one line, rewritten in place at most ten
/// times a second. Blocks report from every worker, hence the lock.
class Progress {
 public:
  Progress() : enabled_(::isatty(STDERR_FILENO) == 1) {}

  bool enabled() const { return enabled_; }

  void show(const std::string& line) {
    if (!enabled_) return;
    const std::lock_guard lock(mutex_);
    std::cerr << "\r\033[K" << line << std::flush;
    last_ = std::chrono::steady_clock::now();
  }

  void show_throttled(const std::string& prefix, std::uint64_t finished, std::uint64_t total) {
    if (!enabled_) return;
    const std::lock_guard lock(mutex_);
    const auto now = std::chrono::steady_clock::now();
    if (finished != total && now - last_ < std::chrono::milliseconds(100)) return;
    last_ = now;
    std::cerr << "\r\033[K" << prefix << ": " << (100 * finished / total) << "%" << std::flush;
  }

  void clear() {
    if (enabled_) std::cerr << "\r\033[K" << std::flush;
  }

 private:
  bool enabled_;
  std::mutex mutex_;
  std::chrono::steady_clock::time_point last_{};
};

/// Throws unless every scenario has its own name, which names its files in --out.
void check_distinct_names(const std::vector<scenario::Scenario>& scenarios) {
  std::set<std::string> names;
  for (const auto& scenario : scenarios) {
    if (!names.insert(scenario.name).second) {
      throw InputError("two scenarios are named \"" + scenario.name +
                           "\", so their results would overwrite each other in --out",
                       std::nullopt, "give each a distinct [scenario] name");
    }
  }
}

/// Runs every scenario (each point of a sweep) in order on the pool, with a progress line.
/// With `level`, each scenario's quantiles also include those of an interval at that coverage.
std::vector<report::ScenarioResult> sample_all(const std::vector<scenario::Scenario>& scenarios,
                                               const analysis::RunOptions& run_options,
                                               engine::ThreadPool& pool,
                                               std::optional<double> level = std::nullopt) {
  Progress progress;
  std::vector<report::ScenarioResult> results;
  for (std::size_t i = 0; i < scenarios.size(); ++i) {
    const auto& scenario = scenarios[i];
    analysis::RunOptions options = run_options;
    if (level) {
      std::vector<double> levels = options.quantiles.value_or(scenario.quantiles);
      for (const double extra : report::interval_levels(*level)) {
        if (std::none_of(levels.begin(), levels.end(),
                         [&](double given) { return std::abs(given - extra) < 1e-12; }))
          levels.push_back(extra);
      }
      std::sort(levels.begin(), levels.end());
      options.quantiles = std::move(levels);
    }
    const std::string prefix = "darkfigure: [" + std::to_string(i + 1) + "/" +
                               std::to_string(scenarios.size()) + "] " + scenario.name +
                               ": sampling " +
                               report::display_count(options.draws.value_or(scenario.draws)) +
                               " draws on " + std::to_string(pool.size()) + " threads";
    progress.show(prefix);
    engine::BlockProgress on_block;
    if (progress.enabled()) {
      on_block = [&](std::uint64_t finished, std::uint64_t total) {
        progress.show_throttled(prefix, finished, total);
      };
    }
    for (auto& result : analysis::run_points(scenario, options, pool, on_block))
      results.push_back(std::move(result));
  }
  progress.clear();
  return results;
}

/// Runs a sensitivity study of a scenario with a progress line headed by `prefix`.
std::vector<report::SensitivityResult> study_with_progress(
    const scenario::Scenario& scenario, const analysis::SensitivityOptions& study,
    engine::ThreadPool& pool, Progress& progress, const std::string& prefix) {
  progress.show(prefix);
  engine::BlockProgress on_block;
  if (progress.enabled()) {
    on_block = [&](std::uint64_t finished, std::uint64_t total) {
      progress.show_throttled(prefix, finished, total);
    };
  }
  return analysis::sensitivity(scenario, study, pool, on_block);
}

/// Writes DIR/STEM.{txt,csv,md,json,tex} for each run of consecutive results with the same stem
/// (the points of a sweep share one set of files), rendered by render(format, results).
template <typename Result, typename Stem, typename Render>
void write_grouped(const std::filesystem::path& directory, const std::vector<Result>& results,
                   const Stem& stem, const Render& render) {
  std::filesystem::create_directories(directory);
  std::vector<report::OutputFile> files;
  for (std::size_t first = 0; first < results.size();) {
    std::size_t last = first + 1;
    while (last < results.size() && stem(results[last]) == stem(results[first]))
      ++last;
    const std::span<const Result> group(results.data() + first, last - first);
    for (const auto format : {report::Format::Table, report::Format::Csv, report::Format::Markdown,
                              report::Format::Json, report::Format::Latex}) {
      files.push_back(
          {directory / (stem(group.front()) + "." + std::string(report::file_extension(format))),
           render(format, group)});
    }
    first = last;
  }
  report::write_files_atomically(files);
}

/// Loads the scenario files of a command that samples: each must have inputs to draw.
std::vector<scenario::Scenario> load_sampled(const std::vector<std::filesystem::path>& files,
                                             const std::string& command) {
  auto scenarios = analysis::load_all(files);
  for (const auto& scenario : scenarios) {
    if (scenario.inputs.empty()) {
      throw InputError(scenario.file + " has no [inputs], so there is nothing to sample",
                       std::nullopt,
                       "darkfigure estimate " + scenario.file +
                           " estimates its [capture_recapture] data sets; darkfigure " + command +
                           " needs inputs, e.g. total = \"estimate(NAME)\"");
    }
  }
  return scenarios;
}

/// Prints the results on stdout: kExitOk, or kExitInternal when they cannot be written.
int print(const std::string& text) {
  std::cout << text << std::flush;
  if (std::cout) return kExitOk;
  std::cerr << "darkfigure: error: cannot write the results to standard output\n";
  return kExitInternal;
}

}  // namespace

int run_command(const std::vector<std::string>& arguments) {
  po::options_description options("darkfigure run FILE... [options]");
  options.add_options()("help,h", "this help");
  add_run_options(options);
  options.add_options()(
      "quantiles,q", po::value<std::string>(),
      "quantile levels, comma-separated (overrides the file), e.g. 0.05,0.5,0.95")(
      "format,f", po::value<std::string>()->default_value("table"),
      "what to print: table, csv, md, json or latex")(
      "out,o", po::value<std::string>(),
      "also write each scenario's results to DIR/NAME.{txt,csv,md,json,tex}")(
      "save-draws", po::value<std::string>(),
      "write every draw's random inputs, outputs and (conditioned runs) weight to this CSV file");
  const auto values = parse(arguments, options);
  if (values.count("help")) {
    std::cout << "Samples each scenario file and prints its interval table.\n\n" << options;
    return kExitOk;
  }

  const auto format = report::parse_format(values["format"].as<std::string>());
  if (!format) {
    throw InputError("--format is \"" + values["format"].as<std::string>() +
                     "\", but must be table, csv, md, json or latex");
  }
  analysis::RunOptions run_options = run_options_of(values);
  if (values.count("quantiles")) {
    run_options.quantiles = parse_levels(values["quantiles"].as<std::string>());
  }
  const auto files = files_of(values, "run");
  if (values.count("save-draws")) {
    if (files.size() > 1) {
      throw InputError("--save-draws writes the draws of one scenario, but " +
                           std::to_string(files.size()) + " files were given",
                       std::nullopt, "run each scenario on its own with its --save-draws file");
    }
    run_options.save_draws = values["save-draws"].as<std::string>();
  }
  const auto scenarios = load_sampled(files, "run");
  if (values.count("out")) check_distinct_names(scenarios);

  engine::ThreadPool pool(run_options.threads);
  const std::vector<report::ScenarioResult> results = sample_all(scenarios, run_options, pool);

  const auto provenance = analysis::provenance();
  if (values.count("out")) {
    write_grouped(
        values["out"].as<std::string>(), results,
        [](const report::ScenarioResult& result) { return result.name; },
        [&](report::Format each, std::span<const report::ScenarioResult> group) {
          return report::render(each, group, provenance);
        });
  }
  // The table carries its warnings; other formats are read by programs, so people see them here.
  if (*format != report::Format::Table) {
    for (const auto& result : results) {
      for (const std::string& warning : result.warnings)
        std::cerr << "darkfigure: warning: " << result.name << ": " << warning << '\n';
    }
  }
  return print(report::render(*format, results, provenance));
}

int sensitivity_command(const std::vector<std::string>& arguments) {
  po::options_description options("darkfigure sensitivity FILE... --method METHOD [options]");
  options.add_options()("help,h", "this help")(
      "method", po::value<std::string>(),
      "sobol (first-order and total indices), src (standardised regression coefficients), prcc "
      "(partial rank correlations) or tornado (each input at its 10th and 90th percentile)")(
      "output", po::value<std::string>(),
      "the derived quantity to study; default: every numeric output")(
      "inputs", po::value<std::string>(),
      "the inputs to study, comma-separated; default: every random input")(
      "draws,n", po::value<std::string>(),
      "sobol: the base sample N (N times inputs + 2 model evaluations); src, prcc: the draws "
      "regressed; tornado: the draws of each run; default: the scenario's draws")(
      "seed,s", po::value<std::string>(), "random seed (overrides the file)")(
      "threads,t", po::value<std::string>(), "worker threads; default: all cores")(
      "format,f", po::value<std::string>()->default_value("table"),
      "what to print: table, csv, md, json or latex")(
      "out,o", po::value<std::string>(),
      "also write each scenario's study to DIR/NAME-METHOD.{txt,csv,md,json,tex}")(
      "quantile", po::value<std::string>(),
      "tornado: the output's quantile of interest; default: 0.5 (the median)")(
      "bootstrap", po::value<std::string>(),
      "sobol: bootstrap resamples of the 95% intervals; default: 1000")(
      "design", po::value<std::string>(),
      "sampling design: mc, lhs or sobol (overrides [sampling] design)")(
      "replicates", po::value<std::string>(),
      "independent randomisations of an lhs or sobol design (overrides [sampling] replicates)")(
      "memory,m", po::value<std::string>(),
      "memory for stored values, e.g. 4G; default: half the physical memory");
  const auto values = parse(arguments, options);
  if (values.count("help")) {
    std::cout << "Studies which inputs drive each output's uncertainty.\n\n" << options;
    return kExitOk;
  }
  const auto format = report::parse_format(values["format"].as<std::string>());
  if (!format) {
    throw InputError("--format is \"" + values["format"].as<std::string>() +
                     "\", but must be table, csv, md, json or latex");
  }
  if (!values.count("method")) {
    throw InputError("darkfigure sensitivity needs --method", std::nullopt,
                     "--method sobol, src, prcc or tornado");
  }
  analysis::SensitivityOptions study;
  const std::string method = values["method"].as<std::string>();
  const auto found = analysis::find_method(method);
  if (!found) {
    const std::vector<std::string> methods = {"sobol", "src", "prcc", "tornado"};
    const auto nearest = core::nearest_spelling(method, methods);
    throw InputError("--method is \"" + method + "\", but must be sobol, src, prcc or tornado",
                     std::nullopt, nearest ? "did you mean " + *nearest + "?" : "");
  }
  study.method = *found;
  if (values.count("output")) study.output = values["output"].as<std::string>();
  if (values.count("inputs")) {
    study.inputs.emplace();
    const std::string text = values["inputs"].as<std::string>();
    if (text.empty() || text.back() == ',') {
      throw InputError("--inputs has an empty name", std::nullopt,
                       "separate the names by commas, e.g. --inputs reporting_rate,crisis_uptake");
    }
    std::stringstream list(text);
    std::string name;
    while (std::getline(list, name, ',')) {
      const auto first = name.find_first_not_of(' ');
      const auto last = name.find_last_not_of(' ');
      if (first == std::string::npos) {
        throw InputError(
            "--inputs has an empty name", std::nullopt,
            "separate the names by commas, e.g. --inputs reporting_rate,crisis_uptake");
      }
      study.inputs->push_back(name.substr(first, last - first + 1));
    }
    if (study.inputs->empty()) throw InputError("--inputs names no input");
  }
  if (values.count("draws"))
    study.draws = parse_count("draws", values["draws"].as<std::string>(), 1, kMaxDraws, "32768");
  if (values.count("seed"))
    study.seed = parse_count("seed", values["seed"].as<std::string>(), 0, kMaxSeed, "2023");
  unsigned threads = 0;
  if (values.count("threads")) {
    threads = static_cast<unsigned>(
        parse_count("threads", values["threads"].as<std::string>(), 1, kMaxThreads, "2"));
  }
  if (values.count("quantile")) {
    const std::string text = values["quantile"].as<std::string>();
    if (study.method != analysis::SensitivityMethod::tornado) {
      throw InputError("--quantile chooses a tornado's quantile, but --method is " + method,
                       std::nullopt, "leave --quantile out, or use --method tornado");
    }
    const std::vector<double> levels = parse_levels(text);
    if (levels.size() != 1) {
      throw InputError("--quantile is \"" + text + "\", but must be one level", std::nullopt,
                       "e.g. --quantile 0.9");
    }
    study.quantile = levels.front();
  }
  if (values.count("bootstrap")) {
    if (study.method != analysis::SensitivityMethod::sobol) {
      throw InputError("--bootstrap sets the resamples of Sobol intervals, but --method is " +
                       method);
    }
    study.bootstrap = static_cast<std::uint32_t>(
        parse_count("bootstrap", values["bootstrap"].as<std::string>(), 100, 100'000, "2000"));
  }
  if (values.count("design")) {
    const std::string name = values["design"].as<std::string>();
    study.design = sampling::find_design(name);
    if (!study.design)
      throw InputError("--design is \"" + name + "\", but must be mc, lhs or sobol");
  }
  if (values.count("replicates")) {
    study.replicates = static_cast<std::uint32_t>(parse_count(
        "replicates", values["replicates"].as<std::string>(), 2, sampling::kMaxReplicates, "10"));
  }
  if (values.count("memory"))
    study.memory_budget = parse_memory(values["memory"].as<std::string>());

  const auto scenarios = load_sampled(files_of(values, "sensitivity"), "sensitivity");
  if (values.count("out")) check_distinct_names(scenarios);
  engine::ThreadPool pool(threads);
  Progress progress;
  std::vector<report::SensitivityResult> results;
  for (std::size_t i = 0; i < scenarios.size(); ++i) {
    const std::string prefix = "darkfigure: [" + std::to_string(i + 1) + "/" +
                               std::to_string(scenarios.size()) + "] " + scenarios[i].name + ": " +
                               method + " on " + std::to_string(pool.size()) + " threads";
    for (auto& result : study_with_progress(scenarios[i], study, pool, progress, prefix))
      results.push_back(std::move(result));
  }
  progress.clear();
  if (*format != report::Format::Table) {
    for (const auto& result : results) {
      for (const std::string& warning : result.warnings)
        std::cerr << "darkfigure: warning: " << result.scenario << ": " << result.output << ": "
                  << warning << '\n';
    }
  }
  const auto provenance = analysis::provenance();
  if (values.count("out")) {
    write_grouped(
        values["out"].as<std::string>(), results,
        [&](const report::SensitivityResult& result) { return result.scenario + "-" + method; },
        [&](report::Format each, std::span<const report::SensitivityResult> group) {
          return report::render_sensitivity(each, group, provenance);
        });
  }
  return print(report::render_sensitivity(*format, results, provenance));
}

int report_command(const std::vector<std::string>& arguments) {
  po::options_description options("darkfigure report FILE... --out DIR [options]");
  options.add_options()("help,h", "this help")(
      "out,o", po::value<std::string>(),
      "the directory to write summary.{csv,md,tex,json}, report.html and plots/*.vl.json to")(
      "level", po::value<std::string>()->default_value("0.95"),
      "coverage of the uncertainty intervals, e.g. 0.9");
  add_run_options(options);
  const auto values = parse(arguments, options);
  if (values.count("help")) {
    std::cout << "Runs each scenario file and the sensitivity studies its [sensitivity] table "
                 "asks for, and publishes them: interval tables (CSV, Markdown, LaTeX, JSON), "
                 "Vega-Lite figures and one self-contained HTML report. Prints the interval "
                 "table.\n\n"
              << options;
    return kExitOk;
  }
  if (!values.count("out")) {
    throw InputError("darkfigure report needs --out DIR", std::nullopt,
                     "e.g. darkfigure report scenarios/kazakhstan-2023.toml --out results");
  }
  const std::string level_text = values["level"].as<std::string>();
  double level = 0.0;
  const auto [end, error] =
      std::from_chars(level_text.data(), level_text.data() + level_text.size(), level);
  if (error != std::errc() || end != level_text.data() + level_text.size() || !(level > 0.0) ||
      !(level < 1.0)) {
    throw InputError("--level is \"" + level_text + "\", but must be a number between 0 and 1",
                     std::nullopt, "e.g. --level 0.9 for 90% intervals");
  }
  const analysis::RunOptions run_options = run_options_of(values);
  const std::filesystem::path out = values["out"].as<std::string>();
  // The report embeds these scripts: find them before sampling anything.
  const auto vega_directory = report::find_vega_directory();
  if (!vega_directory) {
    throw InputError(
        "cannot find the Vega, Vega-Lite and Vega-Embed scripts that report.html embeds",
        std::nullopt,
        "run `npm ci` in web/ (scripts/quickstart.sh does), or set DARKFIGURE_VEGA_DIR to a "
        "node_modules directory that holds vega, vega-lite and vega-embed");
  }
  const report::VegaScripts scripts = report::read_vega_scripts(*vega_directory);
  // Find a bad --out now, not after the sampling.
  if (std::filesystem::exists(out) && !std::filesystem::is_directory(out)) {
    throw InputError("--out " + out.string() + " is not a directory", std::nullopt,
                     "name a directory, new or existing, for the report");
  }
  const auto scenarios = load_sampled(files_of(values, "report"), "report");
  check_distinct_names(scenarios);

  engine::ThreadPool pool(run_options.threads);
  report::Publication publication;
  publication.level = level;
  publication.results = sample_all(scenarios, run_options, pool, level);
  Progress progress;
  for (std::size_t i = 0; i < scenarios.size(); ++i) {
    for (const auto& study : analysis::scenario_studies(scenarios[i], run_options)) {
      const std::string prefix = "darkfigure: " + scenarios[i].name + ": " +
                                 std::string(analysis::method_name(study.method)) +
                                 (study.output ? " of " + *study.output : std::string()) + " on " +
                                 std::to_string(pool.size()) + " threads";
      for (auto& result : study_with_progress(scenarios[i], study, pool, progress, prefix))
        publication.sensitivity.push_back(std::move(result));
    }
  }
  progress.clear();
  publication.provenance = analysis::provenance();

  const std::vector<report::IntervalRow> rows =
      report::interval_rows(publication.results, publication.level);
  const std::vector<report::Plot> plots = report::plots(publication);
  std::vector<report::OutputFile> files = {
      {out / "summary.csv", report::render_summary(report::SummaryFormat::Csv, publication)},
      {out / "summary.md", report::render_summary(report::SummaryFormat::Markdown, publication)},
      {out / "summary.tex", report::render_summary(report::SummaryFormat::Latex, publication)},
      {out / "summary.json", report::render_summary(report::SummaryFormat::Json, publication)},
      {out / "report.html", report::render_html(publication, rows, plots, scripts)}};
  std::set<std::filesystem::path> plot_files;
  for (const report::Plot& plot : plots) {
    const auto path = out / "plots" / (plot.name + ".vl.json");
    plot_files.insert(path);
    files.push_back({path, plot.spec});
  }
  std::filesystem::create_directories(out / "plots");
  report::write_files_atomically(files);
  // The plots directory holds this report's figures only: those of an earlier report go.
  for (const auto& entry : std::filesystem::directory_iterator(out / "plots")) {
    const std::string name = entry.path().filename().string();
    if (entry.is_regular_file() && name.ends_with(".vl.json") &&
        !plot_files.contains(entry.path())) {
      std::error_code ignored;
      std::filesystem::remove(entry.path(), ignored);
    }
  }
  std::cerr << "darkfigure: wrote " << (out / "report.html").string()
            << ", summary.{csv,md,tex,json} and " << plots.size() << " figures in "
            << (out / "plots").string() << "\n";
  return print(report::render_summary(report::SummaryFormat::Table, publication));
}

int check_command(const std::vector<std::string>& arguments) {
  po::options_description options("darkfigure check FILE... [options]");
  options.add_options()("help,h", "this help");
  const auto values = parse(arguments, options);
  if (values.count("help")) {
    std::cout << "Parses and resolves each scenario file and prints the model in dependency "
                 "order, without sampling.\n\n"
              << options;
    return kExitOk;
  }
  const auto scenarios = analysis::load_all(files_of(values, "check"));
  for (std::size_t i = 0; i < scenarios.size(); ++i) {
    if (i > 0) std::cout << '\n';
    std::cout << scenario::describe(scenarios[i]);
    for (const std::string& warning : scenarios[i].warnings)
      std::cerr << "darkfigure: warning: " << warning << '\n';
  }
  return kExitOk;
}

int estimate_command(const std::vector<std::string>& arguments) {
  po::options_description options("darkfigure estimate FILE... [options]");
  options.add_options()("help,h", "this help")("format,f",
                                               po::value<std::string>()->default_value("table"),
                                               "what to print: table, csv, md or json");
  const auto values = parse(arguments, options);
  if (values.count("help")) {
    std::cout << "Estimates the total of each [capture_recapture] data set: log-linear models of "
                 "several lists (Lincoln-Petersen and Chapman for two), or Chao, Zelterman and "
                 "the zero-truncated Poisson for one register. Prints the people seen, the "
                 "estimate with its standard error and interval, the model with its deviance, "
                 "degrees of freedom, AIC and BIC, and the alternative models.\n\n"
              << options;
    return kExitOk;
  }
  const std::string format_name = values["format"].as<std::string>();
  const auto format = report::parse_format(format_name);
  if (!format || *format == report::Format::Latex) {
    throw InputError("--format is \"" + format_name + "\", but must be table, csv, md or json");
  }
  const auto scenarios = analysis::load_all(files_of(values, "estimate"));
  std::map<std::string, std::string> seen;
  for (const auto& scenario : scenarios) {
    if (scenario.capture_recapture.empty()) {
      throw InputError(scenario.file + " has no [capture_recapture] data set", std::nullopt,
                       "a data set is a table [capture_recapture.NAME] with lists and histories, "
                       "or frequencies");
    }
    for (const auto& data : scenario.capture_recapture) {
      const auto [found, inserted] = seen.emplace(data.name, scenario.file);
      if (!inserted) {
        throw InputError("data set \"" + data.name + "\" is in both " + found->second + " and " +
                             scenario.file + ", so one would hide the other in the results",
                         std::nullopt, "rename one of them, or estimate the files one at a time");
      }
    }
  }
  // The table carries its data sets' warnings; other formats are read by programs.
  if (*format != report::Format::Table) {
    for (const auto& scenario : scenarios) {
      for (const std::string& warning : scenario.warnings)
        std::cerr << "darkfigure: warning: " << warning << '\n';
    }
  }
  return print(report::render_estimates(*format, scenarios, analysis::provenance()));
}

int list_command(const std::vector<std::string>& arguments) {
  po::options_description options("darkfigure list distributions|likelihoods|functions");
  options.add_options()("help,h", "this help");
  const auto values = parse(arguments, options);
  const auto what = values.count("file") ? values["file"].as<std::vector<std::string>>()
                                         : std::vector<std::string>{};
  if (values.count("help")) {
    std::cout << "Prints the distribution families of [inputs] and [[prior]], the likelihoods of "
                 "[[observe]] or the functions of formulas.\n\n"
              << options;
    return kExitOk;
  }
  if (what.size() == 1 && what[0] == "distributions") {
    for (const auto& family : distributions::families()) {
      std::printf("%-40s %s\n", std::string(family.signature).c_str(),
                  std::string(family.doc).c_str());
    }
    return kExitOk;
  }
  if (what.size() == 1 && what[0] == "likelihoods") {
    for (const auto& family : inference::likelihood_families()) {
      std::printf("%-40s %s\n", std::string(family.signature).c_str(),
                  std::string(family.doc).c_str());
    }
    return kExitOk;
  }
  if (what.size() == 1 && what[0] == "functions") {
    for (const auto& builtin : expression::builtins()) {
      std::printf("%-24s %s\n", std::string(builtin.signature).c_str(),
                  std::string(builtin.doc).c_str());
    }
    return kExitOk;
  }
  throw InputError("darkfigure list needs one of: distributions, likelihoods, functions",
                   std::nullopt, "e.g. darkfigure list distributions");
}

}  // namespace darkfigure::cli
