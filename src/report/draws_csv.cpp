#include "darkfigure/report/draws_csv.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <map>
#include <mutex>
#include <optional>
#include <string_view>
#include <system_error>
#include <tuple>
#include <utility>

#include "darkfigure/core/error.hpp"
#include "darkfigure/core/text.hpp"
#include "writers.hpp"

namespace darkfigure::report {
namespace {

/// The longest shortest-round-trip text of a double: sign, 17 digits, point and "e-308".
constexpr std::size_t kDoubleChars = 24;
/// The longest decimal std::uint64_t.
constexpr std::size_t kIndexChars = 20;
/// Big enough that a block of rows reaches the disk in a few system calls.
constexpr std::size_t kFileBuffer = std::size_t{1} << 20;
/// Attempts at a temporary name not taken yet, before giving up.
constexpr int kTemporaryAttempts = 100;

struct FileCloser {
  void operator()(std::FILE* file) const noexcept { std::fclose(file); }
};
using File = std::unique_ptr<std::FILE, FileCloser>;

std::string header(const std::vector<std::string>& names) {
  std::string text = "draw";
  for (const auto& name : names)
    text += ',' + detail::csv_field(name);
  return text + '\n';
}

/// `value` at `out` in the shortest text that std::strtod reads back to the same bits. NaN and
/// the infinities are spelled "NaN", "Inf" and "-Inf", which R, Python and strtod all read (R
/// takes "nan" and "inf" for text); a NaN is "NaN" whatever its sign bit, since x86 arithmetic
/// makes NaNs with the sign set and "-NaN" would suggest a meaning it does not have.
char* put_value(char* out, double value) {
  const std::string_view special = std::isnan(value)                                   ? "NaN"
                                   : value == std::numeric_limits<double>::infinity()  ? "Inf"
                                   : value == -std::numeric_limits<double>::infinity() ? "-Inf"
                                                                                       : "";
  if (!special.empty()) return std::copy(special.begin(), special.end(), out);
  const auto result = std::to_chars(out, out + kDoubleChars, value);
  DARKFIGURE_CHECK(result.ec == std::errc{});
  return result.ptr;
}

/// The rows of draws first_draw, first_draw + 1, ...: the index, then a value per column.
std::string format_rows(std::uint64_t first_draw,
                        std::span<const std::span<const double>> columns) {
  const std::size_t rows = columns.empty() ? 0 : columns.front().size();
  for (const auto& column : columns)
    DARKFIGURE_CHECK(column.size() == rows);
  // Formatting into room for the longest possible row, then cutting to what was used, keeps the
  // loop free of capacity checks.
  std::string text(rows * (kIndexChars + columns.size() * (1 + kDoubleChars) + 1), '\0');
  char* out = text.data();
  for (std::size_t row = 0; row < rows; ++row) {
    out = std::to_chars(out, out + kIndexChars, first_draw + row).ptr;
    for (const auto& column : columns) {
      *out++ = ',';
      out = put_value(out, column[row]);
    }
    *out++ = '\n';
  }
  text.resize(static_cast<std::size_t>(out - text.data()));
  return text;
}

/// What the user can do about a file that cannot be written, by the error's code.
std::string hint_for(int error) {
  switch (error) {
    case ENOENT:
      return "create the directory first, or save the draws elsewhere";
    case EACCES:
    case EPERM:
    case EROFS:
      return "save the draws in a directory you can write to";
    case ENOSPC:
    case EDQUOT:
    case EFBIG:
      return "a run writes about 20 bytes per draw and column: free disk space or save the draws "
             "on another disk";
    default:
      return {};
  }
}

core::InputError write_error(const std::filesystem::path& path, std::string_view reason,
                             std::string hint) {
  return core::InputError(
      "cannot write draws to " + core::quoted(path.string()) + ": " + std::string(reason),
      std::nullopt, std::move(hint));
}

core::InputError write_error(const std::filesystem::path& path, int error) {
  // A short write without errno set has no better description than an input/output error.
  if (error == 0) error = EIO;
  return write_error(path, std::generic_category().message(error), hint_for(error));
}

/// Opens a file beside `path` that nothing else uses: the process id tells runs apart, and
/// exclusive creation finds a second writer to the same path within one run.
std::pair<File, std::filesystem::path> open_temporary(const std::filesystem::path& path) {
  const std::string base = path.string() + ".tmp-" + std::to_string(::getpid());
  for (int attempt = 0; attempt < kTemporaryAttempts; ++attempt) {
    std::filesystem::path temporary = attempt == 0 ? base : base + '-' + std::to_string(attempt);
    errno = 0;
    if (File file{std::fopen(temporary.c_str(), "wbx")}) return {std::move(file), temporary};
    if (errno != EEXIST) throw write_error(path, errno);
  }
  throw write_error(path, EEXIST);
}

}  // namespace

struct DrawsCsv::State {
  /// A block that arrived before one of its predecessors.
  struct Pending {
    std::uint64_t first_draw;
    std::uint64_t rows;
    std::string text;
  };

  /// Appends `text` to the file; on failure records the error and throws it.
  void append(const std::filesystem::path& path, std::string_view text) {
    errno = 0;
    if (std::fwrite(text.data(), 1, text.size(), file.get()) != text.size()) fail(path, errno);
  }

  /// Records that the file is incomplete and throws the error.
  [[noreturn]] void fail(const std::filesystem::path& path, int error) {
    failure = write_error(path, error);
    throw *failure;
  }

  std::size_t column_count = 0;
  std::filesystem::path temporary;
  std::vector<char> buffer;  ///< the file's buffer: declared first, so it outlives the file
  File file;

  std::mutex mutex;
  std::uint64_t next_block = 0;
  std::uint64_t next_draw = 0;
  std::map<std::uint64_t, Pending> pending;
  /// The first failed write: the file is incomplete, so every later call fails with it too.
  std::optional<core::InputError> failure;
  bool committed = false;
};

DrawsCsv::DrawsCsv(std::filesystem::path path, std::vector<std::string> names)
    : path_(std::move(path)), state_(std::make_unique<State>()) {
  // Found now rather than at commit(), after a long run. The rename replaces what is at `path`,
  // so that must be a regular file: never a directory, nor a device or a pipe such as /dev/null.
  std::error_code ignored;
  const auto status = std::filesystem::status(path_, ignored);
  if (std::filesystem::is_directory(status)) throw write_error(path_, EISDIR);
  if (std::filesystem::exists(status) && !std::filesystem::is_regular_file(status)) {
    throw write_error(path_, "not a regular file",
                      "the draws are written beside the path and renamed onto it, so the path "
                      "must be a regular file or not exist yet");
  }
  State& state = *state_;
  state.column_count = names.size();
  std::tie(state.file, state.temporary) = open_temporary(path_);
  try {
    state.buffer.resize(kFileBuffer);
    std::setvbuf(state.file.get(), state.buffer.data(), _IOFBF, state.buffer.size());
    state.append(path_, header(names));
  } catch (...) {
    state.file.reset();
    std::filesystem::remove(state.temporary, ignored);
    throw;
  }
}

DrawsCsv::~DrawsCsv() {
  if (state_->committed) return;
  state_->file.reset();
  std::error_code ignored;
  std::filesystem::remove(state_->temporary, ignored);
}

void DrawsCsv::write_block(std::uint64_t block, std::uint64_t first_draw,
                           std::span<const std::span<const double>> columns) {
  State& state = *state_;
  DARKFIGURE_CHECK(columns.size() == state.column_count);
  const std::uint64_t rows = columns.empty() ? 0 : columns.front().size();
  std::string text = format_rows(first_draw, columns);

  const std::lock_guard lock(state.mutex);
  if (state.failure) throw *state.failure;
  DARKFIGURE_CHECK(!state.committed);
  DARKFIGURE_CHECK(block >= state.next_block && !state.pending.contains(block));
  if (block != state.next_block) {
    state.pending.emplace(block, State::Pending{first_draw, rows, std::move(text)});
    return;
  }
  // Each block starts where its predecessor ended, so the draw column has no gaps either.
  DARKFIGURE_CHECK(first_draw == state.next_draw);
  state.append(path_, text);
  state.next_draw += rows;
  ++state.next_block;
  for (auto next = state.pending.begin();
       next != state.pending.end() && next->first == state.next_block;
       next = state.pending.erase(next)) {
    DARKFIGURE_CHECK(next->second.first_draw == state.next_draw);
    state.append(path_, next->second.text);
    state.next_draw += next->second.rows;
    ++state.next_block;
  }
}

void DrawsCsv::commit() {
  State& state = *state_;
  const std::lock_guard lock(state.mutex);
  if (state.failure) throw *state.failure;
  DARKFIGURE_CHECK(!state.committed);
  // A block still waiting means that one before it was never handed in.
  DARKFIGURE_CHECK(state.pending.empty());
  errno = 0;
  if (std::fflush(state.file.get()) != 0) state.fail(path_, errno);
  // Closing can still report the error of a write the system had deferred.
  errno = 0;
  if (std::fclose(state.file.release()) != 0) state.fail(path_, errno);
  std::error_code error;
  std::filesystem::rename(state.temporary, path_, error);
  if (error) state.fail(path_, error.value());
  state.committed = true;
}

}  // namespace darkfigure::report
