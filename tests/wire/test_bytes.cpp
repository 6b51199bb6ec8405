#include <array>
#include <cstdint>
#include <string>

#include <catch2/catch.hpp>

#include "wiresim/wire/bytes.hpp"
#include "wiresim/wire/result.hpp"

using namespace wiresim::wire;

TEST_CASE("big-endian reads", "[wire][bytes]") {
  const std::array<std::uint8_t, 6> b{0x00, 0x12, 0x34, 0x56, 0x78, 0x9a};
  CHECK(read_u16(b, 0) == 0x0012);
  CHECK(read_u16(b, 4) == 0x789a);
  CHECK(read_u32(b, 1) == 0x12345678U);
  CHECK(read_u32(b, 2) == 0x3456789aU);
}

TEST_CASE("big-endian writes", "[wire][bytes]") {
  std::array<std::uint8_t, 6> b{};
  write_u16(b, 0, 0xabcd);
  write_u32(b, 2, 0x01020304U);
  CHECK(b == std::array<std::uint8_t, 6>{0xab, 0xcd, 0x01, 0x02, 0x03, 0x04});
}

TEST_CASE("Result holds a value or an error", "[wire][result]") {
  const Result<int> good = 7;
  REQUIRE(good.ok());
  CHECK(good.value() == 7);
  const Result<int> bad = ParseError::kTruncated;
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error() == ParseError::kTruncated);
  CHECK_THROWS(bad.value());
  CHECK(std::string{to_string(ParseError::kBadDataOffset)} ==
        "TCP data offset below 5 or beyond the segment");
}
