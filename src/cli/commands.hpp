#pragma once

#include <string>
#include <vector>

namespace darkfigure::cli {

/// Exit codes of the command line (contract).
inline constexpr int kExitOk = 0;
inline constexpr int kExitInternal = 1;
inline constexpr int kExitUsage = 2;

/// The commands. Each takes the arguments after its name, writes results to stdout and
/// problems to stderr, and returns an exit code; user errors are thrown as core::InputError.
int run_command(const std::vector<std::string>& arguments);
int sensitivity_command(const std::vector<std::string>& arguments);
int report_command(const std::vector<std::string>& arguments);
int check_command(const std::vector<std::string>& arguments);
int estimate_command(const std::vector<std::string>& arguments);
int list_command(const std::vector<std::string>& arguments);

}  // namespace darkfigure::cli
