#include <cerrno>
#include <cstdio>
#include <memory>
#include <system_error>

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

Scenario load(const std::filesystem::path& file) {
  const std::string name = file.string();
  errno = 0;
  const std::unique_ptr<std::FILE, CloseFile> stream(std::fopen(name.c_str(), "rb"));
  if (!stream) fail_reading(name, errno);
  std::string text;
  char buffer[1 << 16];
  std::size_t count = 0;
  while ((count = std::fread(buffer, 1, sizeof buffer, stream.get())) > 0) {
    text.append(buffer, count);
  }
  // A directory opens on POSIX systems; reading it is what fails (EISDIR).
  if (std::ferror(stream.get())) fail_reading(name, errno);
  return parse(text, name);
}

}  // namespace darkfigure::scenario
