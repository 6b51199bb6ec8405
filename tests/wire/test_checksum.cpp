#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <vector>

#include <catch2/catch.hpp>

#include "wiresim/wire/checksum.hpp"

using namespace wiresim::wire;

namespace {

/// Straightforward RFC 1071 §4.1 reference: 16 bits at a time.
std::uint16_t reference_sum(const std::vector<std::uint8_t>& d) {
  std::uint32_t s = 0;
  for (std::size_t i = 0; i < d.size(); i += 2) {
    const std::uint32_t lo = i + 1 < d.size() ? d[i + 1] : 0U;
    s += (std::uint32_t{d[i]} << 8) | lo;
    s = (s & 0xffffU) + (s >> 16);
  }
  return static_cast<std::uint16_t>(s);
}

/// Deterministic test bytes (an LCG; not a simulation RNG).
std::vector<std::uint8_t> pattern(std::size_t n, std::uint32_t seed) {
  std::vector<std::uint8_t> v(n);
  for (auto& b : v) {
    seed = seed * 1664525U + 1013904223U;
    b = static_cast<std::uint8_t>(seed >> 24);
  }
  return v;
}

std::span<const std::uint8_t> sub(const std::vector<std::uint8_t>& v, std::size_t from,
                                  std::size_t to) {
  return std::span<const std::uint8_t>(v).subspan(from, to - from);
}

}  // namespace

TEST_CASE("RFC 1071 section 3 worked example", "[wire][checksum]") {
  const std::array<std::uint8_t, 8> bytes{0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7};
  Checksum c;
  c.add(bytes);
  CHECK(c.sum() == 0xddf2);
  CHECK(c.finish() == 0x220d);
  CHECK(internet_checksum(bytes) == 0x220d);
}

TEST_CASE("checksum of empty and all-zero data", "[wire][checksum]") {
  CHECK(Checksum{}.finish() == 0xffff);
  const std::array<std::uint8_t, 3> zeros{};
  CHECK(internet_checksum(zeros) == 0xffff);
}

TEST_CASE("odd lengths pad with a zero byte", "[wire][checksum]") {
  const std::array<std::uint8_t, 3> b{0x12, 0x34, 0x56};  // 0x1234 + 0x5600
  CHECK(internet_checksum(b) == static_cast<std::uint16_t>(~0x6834U));
}

TEST_CASE("data that contains its checksum sums to zero", "[wire][checksum]") {
  std::array<std::uint8_t, 10> b{0x45, 0x00, 0x00, 0x1c, 0xab, 0xcd, 0x00, 0x00, 0x40, 0x06};
  const std::uint16_t c = internet_checksum(b);
  b[6] = static_cast<std::uint8_t>(c >> 8);
  b[7] = static_cast<std::uint8_t>(c);
  CHECK(internet_checksum(b) == 0);
}

TEST_CASE("carries: long runs of 0xff bytes", "[wire][checksum]") {
  for (const std::size_t n : {8U, 9U, 64U, 1500U, 65535U}) {
    const std::vector<std::uint8_t> v(n, 0xff);
    Checksum c;
    c.add(v);
    CHECK(c.sum() == reference_sum(v));
  }
}

TEST_CASE("8-byte fast path equals the reference for every length", "[wire][checksum]") {
  for (std::size_t n = 0; n <= 300; ++n) {
    const auto v = pattern(n, static_cast<std::uint32_t>(n));
    Checksum c;
    c.add(v);
    INFO("length " << n);
    CHECK(c.sum() == reference_sum(v));
  }
}

TEST_CASE("incremental adds equal one add at every split point", "[wire][checksum]") {
  for (std::size_t n = 0; n <= 40; ++n) {
    const auto v = pattern(n, 99U + static_cast<std::uint32_t>(n));
    const std::uint16_t whole = reference_sum(v);
    for (std::size_t i = 0; i <= n; ++i) {
      for (std::size_t j = i; j <= n; ++j) {
        Checksum c;
        c.add(sub(v, 0, i));
        c.add(sub(v, i, j));
        c.add(sub(v, j, n));
        INFO("length " << n << " split at " << i << ", " << j);
        REQUIRE(c.sum() == whole);
      }
    }
  }
}

TEST_CASE("byte-at-a-time adds equal one add", "[wire][checksum]") {
  const auto v = pattern(1031, 5);
  Checksum c;
  for (const std::uint8_t b : v) c.add(std::span<const std::uint8_t>(&b, 1));
  CHECK(c.sum() == reference_sum(v));
}

TEST_CASE("add_u16 and add_u32 add whole words", "[wire][checksum]") {
  Checksum words;
  words.add_u32(0x0a000001U);  // 10.0.0.1
  words.add_u16(0x0006);
  const std::array<std::uint8_t, 6> bytes{0x0a, 0x00, 0x00, 0x01, 0x00, 0x06};
  Checksum stream;
  stream.add(bytes);
  CHECK(words.sum() == stream.sum());
  CHECK(words.sum() == 0x0a07);
}

namespace {

/// The plain sum of native-order 16-bit words, one word at a time.
std::uint64_t plain_native_sum(std::span<const std::uint8_t> d) {
  std::uint64_t s = 0;
  for (std::size_t i = 0; i + 1 < d.size(); i += 2) {
    std::uint16_t w = 0;
    std::memcpy(&w, d.data() + i, sizeof w);
    s += w;
  }
  return s;
}

}  // namespace

TEST_CASE("vector kernels: plain word sums, across the lane flush", "[wire][checksum]") {
  // 4096 blocks is where the kernels move their 32-bit lanes into 64 bits;
  // all-0xff data is the largest sum a lane can collect.
  for (const std::uint32_t seed : {0U, 1U, 2U}) {
    for (const std::size_t blocks : {0U, 1U, 2U, 45U, 4095U, 4096U, 4097U, 8192U, 12289U}) {
      auto v = seed == 0 ? std::vector<std::uint8_t>(blocks * 32, 0xff) : pattern(blocks * 32, seed);
      INFO("seed " << seed << ", " << blocks << " blocks of 32 bytes");
      CHECK(detail::sum_blocks_portable(v.data(), blocks * 2) == plain_native_sum(v));
#if defined(__x86_64__)
      if (__builtin_cpu_supports("avx2")) CHECK(detail::sum_blocks_avx2(v.data(), blocks) == plain_native_sum(v));
#endif
    }
  }
}

TEST_CASE("long and misaligned spans equal the reference", "[wire][checksum]") {
  const auto big = pattern((std::size_t{2} << 20) + 64, 7);
  for (const std::size_t n : {31U, 32U, 33U, 63U, 64U, 65U, 1448U, 1449U, 9000U, 200001U, 2U << 20U}) {
    for (std::size_t offset = 0; offset < 4; ++offset) {
      const std::vector<std::uint8_t> v(big.begin() + static_cast<std::ptrdiff_t>(offset),
                                        big.begin() + static_cast<std::ptrdiff_t>(offset + n));
      Checksum c;
      c.add(sub(big, offset, offset + n));
      INFO("length " << n << " at offset " << offset);
      CHECK(c.sum() == reference_sum(v));
    }
  }
  const std::vector<std::uint8_t> ones((std::size_t{2} << 20) + 1, 0xff);
  Checksum c;
  c.add(ones);
  CHECK(c.sum() == reference_sum(ones));
}
