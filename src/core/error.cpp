#include "darkfigure/core/error.hpp"

#include <cstdio>
#include <cstdlib>
#include <string>

namespace darkfigure::core {

InputError::InputError(std::string message, std::optional<SourceLocation> where, std::string hint)
    : std::runtime_error(message),
      message_(std::move(message)),
      where_(std::move(where)),
      hint_(std::move(hint)) {}

std::string format_error(const InputError& error) {
  std::string out;
  if (const auto& where = error.where()) {
    out += where->file;
    if (where->line > 0) {
      out += ':' + std::to_string(where->line) + ':' + std::to_string(where->column);
    }
    out += ": ";
  }
  out += "error: " + error.message() + '\n';
  if (const auto& where = error.where(); where && where->line > 0) {
    const std::string number = std::to_string(where->line);
    const std::string gutter(number.size(), ' ');
    out += ' ' + number + " | " + where->line_text + '\n';
    // Tabs stay tabs so that the caret lines up under the offending byte in a terminal.
    std::string pad;
    for (std::size_t i = 0; i + 1 < where->column && i < where->line_text.size(); ++i) {
      pad += where->line_text[i] == '\t' ? '\t' : ' ';
    }
    out += ' ' + gutter + " | " + pad + "^\n";
  }
  if (!error.hint().empty()) out += "hint: " + error.hint() + '\n';
  return out;
}

void fail_invariant(const char* condition, const char* file, int line) {
  std::fprintf(stderr, "darkfigure: internal error: check failed: %s (%s:%d)\n", condition, file,
               line);
  std::abort();
}

}  // namespace darkfigure::core
