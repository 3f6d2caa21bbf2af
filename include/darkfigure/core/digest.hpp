#pragma once

#include <string>
#include <string_view>

namespace darkfigure::core {

/// The SHA-256 digest of the bytes, as 64 lower-case hexadecimal digits (FIPS 180-4), so that a
/// published figure names exactly the scenario text it came from:
///
///     sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
std::string sha256_hex(std::string_view bytes);

}  // namespace darkfigure::core
