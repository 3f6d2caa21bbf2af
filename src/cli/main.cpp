// darkfigure: Monte Carlo estimates of under-reported harms. The only place that knows argv.

#include <boost/program_options/errors.hpp>
#include <exception>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "cli/commands.hpp"
#include "darkfigure/core/error.hpp"
#include "darkfigure/version.hpp"

namespace {

constexpr const char* kUsage = R"(usage: darkfigure COMMAND [OPTIONS]

Monte Carlo estimates of under-reported harms from scenario files.

commands:
  run FILE...                  sample scenarios and print their interval tables
  check FILE...                parse and resolve scenarios, print the model; no sampling
  estimate FILE...             capture-recapture estimates of the [capture_recapture] data
                               sets: multiple systems, Lincoln-Petersen, single register
  sensitivity FILE... --method sobol|src|prcc|tornado
                               which inputs drive each output's uncertainty
  report FILE... --out DIR     run scenarios and their [sensitivity] studies and publish
                               them: tables (CSV, Markdown, LaTeX, JSON), Vega-Lite
                               figures and one self-contained HTML report
  list distributions|likelihoods|functions
                               print the distribution families, the likelihoods of
                               [[observe]] or the functions of formulas

options:
  -h, --help                   this help (`darkfigure COMMAND --help` for a command's options)
  --version                    the version

exit codes: 0 ok, 2 bad usage or bad scenario, 1 internal failure.
)";

int dispatch(const std::vector<std::string>& arguments) {
  using namespace darkfigure::cli;
  if (arguments.empty()) {
    std::cerr << "error: no command given\n\n" << kUsage;
    return kExitUsage;
  }
  const std::string& command = arguments.front();
  const std::vector<std::string> rest(arguments.begin() + 1, arguments.end());
  if (command == "-h" || command == "--help" || command == "help") {
    std::cout << kUsage;
    return kExitOk;
  }
  if (command == "--version") {
    std::cout << "darkfigure " << darkfigure::kVersion << '\n';
    return kExitOk;
  }
  if (command == "run") return run_command(rest);
  if (command == "check") return check_command(rest);
  if (command == "estimate") return estimate_command(rest);
  if (command == "sensitivity") return sensitivity_command(rest);
  if (command == "report") return report_command(rest);
  if (command == "list") return list_command(rest);
  throw darkfigure::core::InputError(
      "unknown command \"" + command + "\"", std::nullopt,
      "the commands are run, check, sensitivity, report and list; see darkfigure --help");
}

}  // namespace

int main(int argc, char** argv) {
  using namespace darkfigure::cli;
  try {
    return dispatch(std::vector<std::string>(argv + 1, argv + argc));
  } catch (const darkfigure::core::InputError& error) {
    std::cerr << darkfigure::core::format_error(error);
    return kExitUsage;
  } catch (const boost::program_options::error& error) {
    std::cerr << "error: " << error.what() << "\nhint: see darkfigure --help\n";
    return kExitUsage;
  } catch (const std::filesystem::filesystem_error& error) {
    std::cerr << "error: " << error.what() << '\n';
    return kExitUsage;
  } catch (const std::exception& error) {
    std::cerr << "darkfigure: internal error: " << error.what() << '\n';
    return kExitInternal;
  }
}
