#include "darkfigure/core/digest.hpp"

#include <catch2/catch.hpp>
#include <string>

using darkfigure::core::sha256_hex;

// The test vectors of FIPS 180-4 (NIST, Secure Hash Standard, examples for SHA-256).
TEST_CASE("sha256_hex gives the FIPS 180-4 digests") {
  CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  CHECK(sha256_hex(std::string(1'000'000, 'a')) ==
        "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST_CASE("sha256_hex reads every byte, zeros included") {
  const std::string with_zero("a\0b", 3);
  CHECK(sha256_hex(with_zero) != sha256_hex("ab"));
  CHECK(sha256_hex(with_zero).size() == 64);
}
