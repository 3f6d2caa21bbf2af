#pragma once

#include <cctype>
#include <cstddef>
#include <string>
#include <string_view>

namespace darkfigure::report::detail {

/// Text set in LaTeX as it reads: \ & % $ # _ { } ~ ^ < > | escaped so that they print as
/// themselves in any font encoding, and line breaks, which would end a table row or a comment,
/// turned into spaces.
inline std::string latex_text(std::string_view text) {
  std::string escaped;
  for (const char c : text) {
    switch (c) {
      case '\\':
        escaped += "\\textbackslash{}";
        break;
      case '&':
      case '%':
      case '$':
      case '#':
      case '_':
      case '{':
      case '}':
        escaped += '\\';
        escaped += c;
        break;
      case '~':
        escaped += "\\textasciitilde{}";
        break;
      case '^':
        escaped += "\\textasciicircum{}";
        break;
      case '<':
        escaped += "\\textless{}";
        break;
      case '>':
        escaped += "\\textgreater{}";
        break;
      case '|':
        escaped += "\\textbar{}";
        break;
      case '\n':
      case '\r':
        escaped += ' ';
        break;
      default:
        escaped += c;
    }
  }
  return escaped;
}

/// Numbers as display_number writes them, in LaTeX: escaped as latex_text, and a hyphen that
/// starts a number ("-2,540", "[-0.81, 0.2]", "-inf") set as a minus sign, which is longer.
inline std::string latex_number(std::string_view text) {
  const std::string escaped = latex_text(text);
  std::string out;
  for (std::size_t i = 0; i < escaped.size(); ++i) {
    const char c = escaped[i];
    const bool starts =
        i == 0 || escaped[i - 1] == ' ' || escaped[i - 1] == '(' || escaped[i - 1] == '[';
    const bool before_number =
        i + 1 < escaped.size() && (std::isdigit(static_cast<unsigned char>(escaped[i + 1])) ||
                                   escaped[i + 1] == '.' || escaped[i + 1] == 'i');
    out += c == '-' && starts && before_number ? std::string("$-$") : std::string(1, c);
  }
  return out;
}

}  // namespace darkfigure::report::detail
