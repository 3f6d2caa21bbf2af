#include "darkfigure/report/draws_csv.hpp"

#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <bit>
#include <catch2/catch.hpp>
#include <cmath>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <limits>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "darkfigure/core/error.hpp"
#include "darkfigure/random/stream.hpp"

using darkfigure::core::InputError;
using darkfigure::report::DrawsCsv;
namespace fs = std::filesystem;

namespace {

/// A fresh directory under the system's temporary directory, removed with everything in it.
class TemporaryDirectory {
 public:
  TemporaryDirectory() {
    static std::atomic<int> count = 0;
    path_ = fs::temp_directory_path() /
            ("darkfigure-draws-csv-" + std::to_string(::getpid()) + "-" + std::to_string(count++));
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  TemporaryDirectory(const TemporaryDirectory&) = delete;
  TemporaryDirectory& operator=(const TemporaryDirectory&) = delete;
  ~TemporaryDirectory() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }

  const fs::path& path() const { return path_; }

  /// The names of the entries in the directory, sorted.
  std::vector<std::string> entries() const {
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(path_))
      names.push_back(entry.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
  }

 private:
  fs::path path_;
};

std::string read(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

using Columns = std::vector<std::vector<double>>;

void write(DrawsCsv& csv, std::uint64_t block, std::uint64_t first_draw, const Columns& columns) {
  const std::vector<std::span<const double>> spans(columns.begin(), columns.end());
  csv.write_block(block, first_draw, spans);
}

/// The comma-separated fields of each line after the header.
std::vector<std::vector<std::string>> rows_of(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream lines(text);
  std::string line;
  std::getline(lines, line);
  while (std::getline(lines, line)) {
    std::vector<std::string> fields;
    std::istringstream items(line);
    std::string item;
    while (std::getline(items, item, ','))
      fields.push_back(item);
    rows.push_back(std::move(fields));
  }
  return rows;
}

std::optional<InputError> error_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const InputError& error) {
    return error;
  }
  return std::nullopt;
}

}  // namespace

TEST_CASE("the draws file has a header, then each draw's index and values") {
  TemporaryDirectory directory;
  const auto path = directory.path() / "draws.csv";
  DrawsCsv csv(path, {"reporting_rate", "victims", "weight"});
  CHECK(csv.path() == path);
  write(csv, 0, 0, {{0.25, 0.1, -0.0}, {158'712.5, 1.5e7, 1000.0}, {1.0, 1e-300, 0.0}});
  write(csv, 1, 3, {{0.3125}, {std::numeric_limits<double>::infinity()}, {2.0}});
  csv.commit();
  // The shortest form is scientific wherever that is shorter: 1.5e7 and 1e-300.
  CHECK(read(path) ==
        "draw,reporting_rate,victims,weight\n"
        "0,0.25,158712.5,1\n"
        "1,0.1,1.5e+07,1e-300\n"
        "2,-0,1000,0\n"
        "3,0.3125,Inf,2\n");
}

TEST_CASE("names with a comma, a quote or a line break are quoted in the header") {
  TemporaryDirectory directory;
  const auto path = directory.path() / "draws.csv";
  DrawsCsv csv(path, {"plain_1", "a,b", "say \"x\"", "two\nlines"});
  csv.commit();
  CHECK(read(path) == "draw,plain_1,\"a,b\",\"say \"\"x\"\"\",\"two\nlines\"\n");
}

TEST_CASE("every value reads back with strtod to the same bits") {
  const double infinity = std::numeric_limits<double>::infinity();
  std::vector<double> tricky = {0.1,
                                1e-300,
                                5e-324,
                                -0.0,
                                0.0,
                                1.7976931348623157e308,
                                -1.7976931348623157e308,
                                2.2250738585072014e-308,
                                123456789012345678.0,
                                1.0 / 3.0,
                                9007199254740993.0,
                                std::nan(""),
                                -std::nan(""),
                                infinity,
                                -infinity};
  // Random bit patterns reach every exponent, subnormals and NaNs included.
  darkfigure::random::Stream stream({20'260'101, 1, 2, 3});
  Columns columns(4);
  for (auto& column : columns) {
    column = tricky;
    for (int i = 0; i < 25'000; ++i)
      column.push_back(std::bit_cast<double>(stream()));
  }
  TemporaryDirectory directory;
  const auto path = directory.path() / "draws.csv";
  {
    DrawsCsv csv(path, {"a", "b", "c", "d"});
    write(csv, 0, 0, columns);
    csv.commit();
  }
  const auto rows = rows_of(read(path));
  REQUIRE(rows.size() == columns[0].size());
  for (std::size_t row = 0; row < rows.size(); ++row) {
    REQUIRE(rows[row].size() == 1 + columns.size());
    CHECK(rows[row][0] == std::to_string(row));
    for (std::size_t j = 0; j < columns.size(); ++j) {
      const std::string& text = rows[row][1 + j];
      const double expected = columns[j][row];
      char* end = nullptr;
      const double parsed = std::strtod(text.c_str(), &end);
      INFO("row " << row << ", column " << j << ": \"" << text << "\"");
      CHECK(end == text.c_str() + text.size());
      if (std::isnan(expected)) {
        CHECK(text == "NaN");
        CHECK(std::isnan(parsed));
      } else {
        if (std::isinf(expected)) CHECK(text == (expected > 0 ? "Inf" : "-Inf"));
        CHECK(std::bit_cast<std::uint64_t>(parsed) == std::bit_cast<std::uint64_t>(expected));
      }
    }
  }
}

TEST_CASE("blocks handed in out of order are written in block order") {
  // Block b holds draws 3b, 3b + 1, 3b + 2 (the last block only one), each with value draw + 0.25.
  const auto block_columns = [](std::uint64_t block, std::uint64_t blocks) {
    const std::uint64_t rows = block + 1 == blocks ? 1 : 3;
    Columns columns(1);
    for (std::uint64_t row = 0; row < rows; ++row)
      columns[0].push_back(static_cast<double>(3 * block + row) + 0.25);
    return columns;
  };
  const auto expected = [](std::uint64_t blocks) {
    std::string text = "draw,x\n";
    for (std::uint64_t draw = 0; draw < 3 * (blocks - 1) + 1; ++draw)
      text += std::to_string(draw) + ',' + std::to_string(draw) + ".25\n";
    return text;
  };
  TemporaryDirectory directory;
  const auto path = directory.path() / "draws.csv";

  SECTION("one thread after another, in the order 3, 0, 2, 1") {
    DrawsCsv csv(path, {"x"});
    for (const std::uint64_t block : {3, 0, 2, 1}) {
      std::thread worker([&] { write(csv, block, 3 * block, block_columns(block, 4)); });
      worker.join();
    }
    csv.commit();
    CHECK(read(path) == expected(4));
  }

  SECTION("four threads at once, each from its last block down") {
    constexpr std::uint64_t kBlocks = 200;
    constexpr std::uint64_t kThreads = 4;
    DrawsCsv csv(path, {"x"});
    std::vector<std::thread> workers;
    for (std::uint64_t t = 0; t < kThreads; ++t) {
      workers.emplace_back([&, t] {
        for (std::uint64_t block = kBlocks - kThreads + t + 1; block-- > 0;) {
          if (block % kThreads == t) write(csv, block, 3 * block, block_columns(block, kBlocks));
        }
      });
    }
    for (auto& worker : workers)
      worker.join();
    csv.commit();
    CHECK(read(path) == expected(kBlocks));
  }
  CHECK(directory.entries() == std::vector<std::string>{"draws.csv"});
}

TEST_CASE("commit() moves the file into place, replacing an earlier one") {
  TemporaryDirectory directory;
  const auto path = directory.path() / "draws.csv";
  std::ofstream(path) << "an earlier run";
  DrawsCsv csv(path, {"x"});
  write(csv, 0, 0, {{1.0}});
  // Until commit(), the rows are in a temporary file and the earlier file is untouched.
  CHECK(directory.entries() ==
        std::vector<std::string>{"draws.csv", "draws.csv.tmp-" + std::to_string(::getpid())});
  CHECK(read(path) == "an earlier run");
  csv.commit();
  CHECK(read(path) == "draw,x\n0,1\n");
  CHECK(directory.entries() == std::vector<std::string>{"draws.csv"});
}

TEST_CASE("without commit() no file is left, neither at the path nor beside it") {
  TemporaryDirectory directory;
  const auto path = directory.path() / "draws.csv";
  {
    DrawsCsv csv(path, {"x", "y"});
    write(csv, 1, 2, {{1.0}, {2.0}});
    write(csv, 0, 0, {{3.0, 4.0}, {5.0, 6.0}});
    CHECK(directory.entries().size() == 1);
    CHECK_FALSE(fs::exists(path));
  }
  CHECK(directory.entries().empty());
}

TEST_CASE("two files for the same path do not share a temporary file") {
  TemporaryDirectory directory;
  const auto path = directory.path() / "draws.csv";
  DrawsCsv first(path, {"x"});
  DrawsCsv second(path, {"y"});
  write(first, 0, 0, {{1.0}});
  write(second, 0, 0, {{2.0}});
  CHECK(directory.entries().size() == 2);
  second.commit();
  CHECK(read(path) == "draw,y\n0,2\n");
  first.commit();
  CHECK(read(path) == "draw,x\n0,1\n");
  CHECK(directory.entries() == std::vector<std::string>{"draws.csv"});
}

TEST_CASE("a path that cannot be written throws an InputError") {
  TemporaryDirectory directory;

  const auto missing = directory.path() / "missing" / "draws.csv";
  const auto error = error_of([&] { DrawsCsv csv(missing, {"x"}); });
  REQUIRE(error.has_value());
  CHECK(error->message() ==
        "cannot write draws to \"" + missing.string() + "\": No such file or directory");
  CHECK(error->hint() == "create the directory first, or save the draws elsewhere");

  const auto taken = directory.path() / "taken.csv";
  fs::create_directories(taken);
  const auto directory_error = error_of([&] { DrawsCsv csv(taken, {"x"}); });
  REQUIRE(directory_error.has_value());
  CHECK(directory_error->message() ==
        "cannot write draws to \"" + taken.string() + "\": Is a directory");

  // A pipe (or a device such as /dev/null) would be replaced by the rename, not written to.
  const auto pipe = directory.path() / "pipe.csv";
  REQUIRE(::mkfifo(pipe.c_str(), 0600) == 0);
  const auto pipe_error = error_of([&] { DrawsCsv csv(pipe, {"x"}); });
  REQUIRE(pipe_error.has_value());
  CHECK(pipe_error->message() ==
        "cannot write draws to \"" + pipe.string() + "\": not a regular file");
  CHECK(fs::is_fifo(pipe));
  CHECK(directory.entries() == std::vector<std::string>{"pipe.csv", "taken.csv"});
}

TEST_CASE("a failed disk write throws an InputError and leaves no file") {
  // A file size limit makes writes fail as a full disk does (with EFBIG instead of ENOSPC).
  rlimit old_limit{};
  REQUIRE(::getrlimit(RLIMIT_FSIZE, &old_limit) == 0);
  const auto old_handler = std::signal(SIGXFSZ, SIG_IGN);
  rlimit limit = old_limit;
  limit.rlim_cur = 100'000;
  REQUIRE(::setrlimit(RLIMIT_FSIZE, &limit) == 0);

  TemporaryDirectory directory;
  const auto path = directory.path() / "draws.csv";
  std::optional<InputError> error;
  {
    DrawsCsv csv(path, {"x"});
    const Columns columns(1, std::vector<double>(4096, 0.123456789));
    error = error_of([&] {
      for (std::uint64_t block = 0; block < 1000; ++block)
        write(csv, block, 4096 * block, columns);
      csv.commit();
    });
    // Once a write has failed, the file is incomplete for good.
    CHECK(error_of([&] { csv.commit(); }).has_value());
  }
  ::setrlimit(RLIMIT_FSIZE, &old_limit);
  std::signal(SIGXFSZ, old_handler);

  REQUIRE(error.has_value());
  CHECK(error->message() == "cannot write draws to \"" + path.string() + "\": File too large");
  CHECK_FALSE(error->hint().empty());
  CHECK(directory.entries().empty());
}
