#include "wiresim/wire/checksum.hpp"

#include <bit>
#include <cstring>

namespace wiresim::wire {
namespace {

/// v + w with the end-around carry of one's complement addition.
std::uint64_t add_carry(std::uint64_t v, std::uint64_t w) {
  v += w;
  return v + static_cast<std::uint64_t>(v < w);
}

/// Folds a 64-bit one's complement sum to 16 bits.
std::uint16_t fold(std::uint64_t s) {
  s = (s & 0xffffffffU) + (s >> 32);
  while ((s >> 16) != 0) s = (s & 0xffffU) + (s >> 16);
  return static_cast<std::uint16_t>(s);
}

std::uint16_t swap16(std::uint16_t v) { return static_cast<std::uint16_t>((v << 8) | (v >> 8)); }

/// The big-endian one's complement sum of the whole 8-byte words at p,
/// folded to 16 bits. Loads in native order; on little-endian hosts the sum
/// of byte-swapped words is the byte-swapped sum (RFC 1071 §2 (B)). Two
/// independent 128-bit accumulators (RFC 1071 §2 (C) parallel summation):
/// the high half of each counts the carries out of the low half, which an
/// end-around carry adds back at the end, so the loop carries no dependency
/// through a flag (compiles to add/adc pairs).
std::uint16_t sum_words64(const std::uint8_t* p, std::size_t words) {
  __extension__ using Wide = unsigned __int128;
  Wide a = 0;
  Wide b = 0;
  std::size_t i = 0;
  for (; i + 2 <= words; i += 2) {
    std::uint64_t w[2];
    std::memcpy(w, p + 8 * i, sizeof w);
    a += w[0];
    b += w[1];
  }
  if (i < words) {
    std::uint64_t w = 0;
    std::memcpy(&w, p + 8 * i, sizeof w);
    a += w;
  }
  a += b;  // at most 2^64 words each: no overflow of 128 bits
  const std::uint16_t s = fold(add_carry(static_cast<std::uint64_t>(a), static_cast<std::uint64_t>(a >> 64)));
  return std::endian::native == std::endian::little ? swap16(s) : s;
}

}  // namespace

void Checksum::add(std::span<const std::uint8_t> data) {
  if (data.empty()) return;
  if (odd_) {  // completes the word whose high byte came last time
    add_folded(data[0]);
    data = data.subspan(1);
    odd_ = false;
  }
  const std::size_t words = data.size() / 8;
  add_folded(sum_words64(data.data(), words));
  std::size_t i = words * 8;
  for (; i + 2 <= data.size(); i += 2) {
    add_folded(static_cast<std::uint64_t>((data[i] << 8) | data[i + 1]));
  }
  if (i < data.size()) {
    add_folded(static_cast<std::uint64_t>(data[i]) << 8);
    odd_ = true;
  }
}

std::uint16_t Checksum::sum() const { return fold(acc_); }

std::uint16_t internet_checksum(std::span<const std::uint8_t> data) {
  Checksum c;
  c.add(data);
  return c.finish();
}

}  // namespace wiresim::wire
