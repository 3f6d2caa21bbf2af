#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "darkfigure/core/error.hpp"
#include "darkfigure/scenario/scenario.hpp"

namespace darkfigure::scenario {
namespace {

/// One row of tests/data/bad/expectations.tsv.
struct Expectation {
  std::string file;
  std::uint32_t line = 0;
  std::uint32_t column = 0;
  std::string message;
};

const std::filesystem::path kBad = std::filesystem::path(DARKFIGURE_TEST_DATA_DIR) / "bad";

std::vector<Expectation> read_expectations() {
  std::ifstream in(kBad / "expectations.tsv");
  REQUIRE(in.good());
  std::string row;
  std::getline(in, row);
  CHECK(row == "file\tline\tcolumn\tmessage substring");
  std::vector<Expectation> expectations;
  while (std::getline(in, row)) {
    if (row.empty()) continue;
    std::vector<std::string> fields;
    std::size_t begin = 0;
    for (std::size_t tab = row.find('\t'); tab != std::string::npos; tab = row.find('\t', begin)) {
      fields.push_back(row.substr(begin, tab - begin));
      begin = tab + 1;
    }
    fields.push_back(row.substr(begin));
    INFO("row: " << row);
    REQUIRE(fields.size() == 4);
    expectations.push_back({fields[0], static_cast<std::uint32_t>(std::stoul(fields[1])),
                            static_cast<std::uint32_t>(std::stoul(fields[2])), fields[3]});
  }
  return expectations;
}

TEST_CASE("every bad scenario of the catalogue fails where its manifest says") {
  const auto expectations = read_expectations();
  CHECK(expectations.size() >= 24);
  for (const auto& expected : expectations) {
    const std::string path = (kBad / expected.file).string();
    INFO("file: " << path);
    std::optional<core::InputError> caught;
    try {
      load(path);
    } catch (const core::InputError& error) {
      caught = error;
    }
    REQUIRE(caught.has_value());
    INFO("error:\n" << core::format_error(*caught));
    REQUIRE(caught->where().has_value());
    CHECK(caught->where()->file == path);
    CHECK(caught->where()->line == expected.line);
    CHECK(caught->where()->column == expected.column);
    CHECK_THAT(caught->message(), Catch::Contains(expected.message));
    const std::string prefix = path + ":" + std::to_string(expected.line) + ":" +
                               std::to_string(expected.column) + ": error: ";
    CHECK_THAT(core::format_error(*caught), Catch::StartsWith(prefix));
  }
}

TEST_CASE("the manifest lists every file of the catalogue exactly once") {
  std::multiset<std::string> listed;
  for (const auto& expected : read_expectations())
    listed.insert(expected.file);
  std::set<std::string> present;
  for (const auto& entry : std::filesystem::directory_iterator(kBad)) {
    const std::string name = entry.path().filename().string();
    if (name != "expectations.tsv") present.insert(name);
  }
  for (const auto& name : present) {
    INFO("file: " << name);
    CHECK(listed.count(name) == 1);
  }
  for (const auto& name : listed) {
    INFO("listed: " << name);
    CHECK(present.count(name) == 1);
  }
}

}  // namespace
}  // namespace darkfigure::scenario
