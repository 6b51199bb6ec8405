#include "wiresim/wire/checksum.hpp"

#include <algorithm>
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
/// of byte-swapped words is the byte-swapped sum (RFC 1071 §2 (B)). For the
/// short tails the vector loop leaves.
std::uint16_t sum_words64(const std::uint8_t* p, std::size_t words) {
  std::uint64_t acc = 0;
  for (std::size_t i = 0; i < words; ++i) {
    std::uint64_t w = 0;
    std::memcpy(&w, p + 8 * i, sizeof w);
    acc = add_carry(acc, w);
  }
  const std::uint16_t s = fold(acc);
  return std::endian::native == std::endian::little ? swap16(s) : s;
}

/// Vectors of 32-bit lanes: 16 bytes (SSE2, or plain integers elsewhere)
/// and 32 bytes (one AVX2 register).
typedef std::uint32_t Vec16 __attribute__((vector_size(16)));  // NOLINT(modernize-use-using)
typedef std::uint32_t Vec32 __attribute__((vector_size(32)));  // NOLINT(modernize-use-using)

/// Native-order 16-bit words of `blocks` blocks of sizeof(V) bytes at p,
/// summed as plain integers (RFC 1071 §2 (C) parallel summation): each
/// 32-bit lane adds its low and its high half into two vector accumulators,
/// which cannot overflow within kFlushBlocks blocks (65535 * 4096 < 2^32);
/// then they are added into 64 bits. GCC/clang vector extensions: the
/// compiler emits SSE2, AVX2 or plain integer code depending on the target.
template <typename V>
[[gnu::always_inline]] inline std::uint64_t sum_blocks(const std::uint8_t* p, std::size_t blocks) {
  constexpr std::size_t kLanes = sizeof(V) / sizeof(std::uint32_t);
  constexpr std::size_t kFlushBlocks = 4096;
  std::uint64_t total = 0;
  while (blocks > 0) {
    const std::size_t n = std::min(blocks, kFlushBlocks);
    V lo{};
    V hi{};
    for (std::size_t i = 0; i < n; ++i) {
      V v;
      std::memcpy(&v, p + i * sizeof(V), sizeof(V));
      lo += v & 0xffffU;
      hi += v >> 16U;
    }
    const V s = lo + hi;  // each < 2^28: no overflow
    for (std::size_t l = 0; l < kLanes; ++l) total += s[l];
    p += n * sizeof(V);
    blocks -= n;
  }
  return total;
}

}  // namespace

namespace detail {

std::uint64_t sum_blocks_portable(const std::uint8_t* p, std::size_t blocks) { return sum_blocks<Vec16>(p, blocks); }

#if defined(__x86_64__)
[[gnu::target("avx2")]] std::uint64_t sum_blocks_avx2(const std::uint8_t* p, std::size_t blocks) {
  return sum_blocks<Vec32>(p, blocks);
}
#endif

}  // namespace detail

namespace {

/// The plain sum of the native-order 16-bit words of the first
/// `bytes / 32 * 32` bytes at p; sets `done` to that count. AVX2 when the
/// CPU has it (the sum is the same either way: integer adds in any order).
std::uint64_t sum_bulk(const std::uint8_t* p, std::size_t bytes, std::size_t& done) {
  const std::size_t blocks = bytes / 32;
  done = blocks * 32;
#if defined(__x86_64__)
  if (__builtin_cpu_supports("avx2")) return detail::sum_blocks_avx2(p, blocks);
#endif
  return detail::sum_blocks_portable(p, blocks * 2);
}

}  // namespace

void Checksum::add(std::span<const std::uint8_t> data) {
  if (data.empty()) return;
  if (odd_) {  // completes the word whose high byte came last time
    add_folded(data[0]);
    data = data.subspan(1);
    odd_ = false;
  }
  std::size_t i = 0;
  const std::uint64_t bulk = sum_bulk(data.data(), data.size(), i);
  if (i > 0) {
    const std::uint16_t s = fold(bulk);  // 0 only for all-zero data, as the one's complement sum
    add_folded(std::endian::native == std::endian::little ? swap16(s) : s);
  }
  const std::size_t words = (data.size() - i) / 8;
  add_folded(sum_words64(data.data() + i, words));
  i += words * 8;
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
