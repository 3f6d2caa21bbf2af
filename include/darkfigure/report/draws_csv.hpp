#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace darkfigure::report {

/// Writes every draw of a run to a CSV file, the audit trail of a run: a header `draw,NAME,...`
/// (a name quoted as RFC 4180 asks if it holds a comma, a quote or a line break), then one row per
/// draw with its 0-based index and each column's value in full precision: the shortest decimal
/// that std::strtod reads back to the same double, as std::to_chars writes it ("0.1", "1e-300",
/// "-0", "1.5e+07"), with "NaN" for every NaN whatever its sign, "Inf" and "-Inf". Lines end in
/// "\n". Blocks of rows may be handed in from many threads in any order: each is formatted by its
/// caller and written once every earlier block is, so memory holds only the blocks in flight. The
/// rows go to a temporary file beside `path` (named `path` + ".tmp-<pid>"), renamed into place
/// by commit(); destroyed without commit(), the temporary file is removed, so no partial file is
/// ever left at `path`.
///
///     DrawsCsv csv("draws.csv", {"reporting_rate", "victims"});
///     csv.write_block(0, 0, columns);  // columns[j] holds the block's values of column j
///     csv.commit();
///
/// gives
///
///     draw,reporting_rate,victims
///     0,0.25,158712.5
///     1,0.3125,1.5e+07
///     ...
class DrawsCsv {
 public:
  /// Opens the temporary file and writes the header; throws core::InputError when the file cannot
  /// be created or `path` exists but is not a regular file (a directory, a device, a pipe).
  DrawsCsv(std::filesystem::path path, std::vector<std::string> names);
  DrawsCsv(const DrawsCsv&) = delete;
  DrawsCsv& operator=(const DrawsCsv&) = delete;
  ~DrawsCsv();

  /// Writes block `block` (blocks are numbered 0, 1, ... without gaps), whose first row is draw
  /// `first_draw`, the draw after the last row of block `block - 1`; there is one column per name
  /// and every column has the same length. Thread-safe. Throws core::InputError when the disk
  /// write fails, and again at every later call once one has.
  void write_block(std::uint64_t block, std::uint64_t first_draw,
                   std::span<const std::span<const double>> columns);

  /// Checks that every block handed in has been written (a gap is a bug and aborts), flushes and
  /// moves the file into place; throws core::InputError when the flush or the rename fails.
  void commit();

  /// Where commit() puts the file.
  const std::filesystem::path& path() const noexcept { return path_; }

 private:
  struct State;
  std::filesystem::path path_;
  std::unique_ptr<State> state_;
};

}  // namespace darkfigure::report
