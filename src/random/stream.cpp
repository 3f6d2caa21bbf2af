#include "darkfigure/random/stream.hpp"

namespace darkfigure::random {

std::uint32_t stream_id(std::string_view name) noexcept {
  std::uint32_t hash = 2166136261u;
  for (const char c : name) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 16777619u;
  }
  return hash;
}

}  // namespace darkfigure::random
