#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <system_error>

#include "darkfigure/core/digest.hpp"
#include "darkfigure/scenario/scenario.hpp"

namespace darkfigure::scenario {
namespace {

struct CloseFile {
  void operator()(std::FILE* file) const noexcept { std::fclose(file); }
};

[[noreturn]] void fail_reading(const std::string& name, int error) {
  throw core::InputError("cannot read \"" + name + "\": " + std::generic_category().message(error));
}

}  // namespace

/// Far more than any scenario needs; a larger file is a mistake (a data file, a disk image).
constexpr std::size_t kLargestFile = std::size_t{16} << 20;

Scenario load(const std::filesystem::path& file) {
  const std::string name = file.string();
  // A FIFO or a device (/dev/zero) would block or never end: only files and, for the operating
  // system's own message, directories are opened.
  std::error_code status_error;
  const auto status = std::filesystem::status(file, status_error);
  if (!status_error && !std::filesystem::is_regular_file(status) &&
      !std::filesystem::is_directory(status)) {
    throw core::InputError("cannot read \"" + name + "\": not a regular file");
  }
  errno = 0;
  const std::unique_ptr<std::FILE, CloseFile> stream(std::fopen(name.c_str(), "rb"));
  if (!stream) fail_reading(name, errno);
  std::string text;
  char buffer[1 << 16];
  std::size_t count = 0;
  while ((count = std::fread(buffer, 1, sizeof buffer, stream.get())) > 0) {
    text.append(buffer, count);
    if (text.size() > kLargestFile) {
      throw core::InputError("cannot read \"" + name +
                             "\": larger than 16 MiB, which is no scenario");
    }
  }
  // A directory opens on POSIX systems; reading it is what fails (EISDIR).
  if (std::ferror(stream.get())) fail_reading(name, errno);
  Scenario scenario = parse(text, name);
  scenario.sha256 = core::sha256_hex(text);
  return scenario;
}

}  // namespace darkfigure::scenario
