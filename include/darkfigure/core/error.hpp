#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>

namespace darkfigure::core {

/// A place in a source file: 1-based line and column (column counts bytes).
struct SourceLocation {
  std::string file;
  std::uint32_t line = 0;
  std::uint32_t column = 0;
  std::string line_text;  ///< the whole offending line, without its newline
};

/// An error in what the user gave (scenario file, command line): exit code 2.
///
/// Printed by format_error() as
///
///     kz.toml:12:33: error: reporting_rate: beta_mean_sd sd is 0.6, but must be below ...
///        12 | reporting_rate = "beta_mean_sd(0.5, 0.6)"
///           |                                 ^
///     hint: ...
class InputError : public std::runtime_error {
 public:
  explicit InputError(std::string message, std::optional<SourceLocation> where = std::nullopt,
                      std::string hint = {});

  const std::string& message() const noexcept { return message_; }
  const std::optional<SourceLocation>& where() const noexcept { return where_; }
  const std::string& hint() const noexcept { return hint_; }

 private:
  std::string message_;
  std::optional<SourceLocation> where_;
  std::string hint_;
};

/// The multi-line rendering of an input error shown above, ending with a newline.
std::string format_error(const InputError& error);

/// Aborts with a message: an internal invariant failed, which is a bug, never a user error.
[[noreturn]] void fail_invariant(const char* condition, const char* file, int line);

}  // namespace darkfigure::core

/// Checks an internal invariant in every build type (not a user-input check).
#define DARKFIGURE_CHECK(condition)   \
  ((condition) ? static_cast<void>(0) \
               : ::darkfigure::core::fail_invariant(#condition, __FILE__, __LINE__))
