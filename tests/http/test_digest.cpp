// body_digest is XXH64 with seed 0: the published values (and those of
// libxxhash 0.8.1), over every path of the algorithm: no 32-byte stripe,
// stripes, and the 8-, 4- and 1-byte tails.

#include <catch2/catch.hpp>

#include <string>

#include "wiresim/http/digest.hpp"

using wiresim::http::body_digest;

TEST_CASE("body_digest is XXH64 with seed 0", "[http][digest]") {
  CHECK(body_digest("") == 0xef46db3751d8e999ULL);
  CHECK(body_digest("a") == 0xd24ec4f1a98c6e5bULL);
  CHECK(body_digest("abc") == 0x44bc2cf5ad770999ULL);
  CHECK(body_digest("Nobody inspects the spammish repetition") == 0xfbcea83c8a378bf1ULL);
  std::string bytes;
  for (int i = 0; i < 4; ++i) {
    for (int b = 0; b < 256; ++b) bytes += static_cast<char>(b);
  }
  bytes += "xyz12345678";  // 1035 bytes: 32 stripes, then 8 + 1 + 1 + 1
  CHECK(body_digest(bytes) == 0xf6f9db472c88eb53ULL);
}

TEST_CASE("body_digest sees every byte and the length", "[http][digest]") {
  std::string bytes(100, 'x');
  const auto base = body_digest(bytes);
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    std::string changed = bytes;
    changed[i] = 'y';
    INFO(i);
    CHECK(body_digest(changed) != base);
  }
  CHECK(body_digest(bytes + '\0') != base);
  CHECK(body_digest(std::string_view(bytes).substr(1)) != base);
}
