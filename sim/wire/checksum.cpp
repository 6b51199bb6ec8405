#include "wiresim/wire/checksum.hpp"

#include <algorithm>
#include <bit>
#include <cstring>
#include <limits>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

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

/// The one's complement sum (end-around carry, modulo 2^64 - 1) of `n`
/// bytes at p taken as native-order 8-byte words, the last one padded with
/// zero bytes after the data: the native-order 16-bit words summed in four
/// parallel lanes (RFC 1071 §2 (B) byte order independence, (C) parallel
/// summation), an odd last byte as the first byte of a zero-padded word.
std::uint64_t sum_words64(const std::uint8_t* p, std::size_t n) {
  std::uint64_t acc = 0;
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    std::uint64_t w = 0;
    std::memcpy(&w, p + i, sizeof w);
    acc = add_carry(acc, w);
  }
  if (i == n) return acc;
  const std::size_t rest = n - i;  // 1-7 bytes left
  std::uint64_t w = 0;
  if (n >= 8) {
    // The last 8 bytes of the span, loaded once and shifted so that only
    // the `rest` uncounted ones remain where a zero-padded load would put
    // them: no branch on the length (which varies from call to call and
    // mispredicted) and no narrow stores read back as one word.
    std::memcpy(&w, p + n - 8, sizeof w);
    const unsigned drop = static_cast<unsigned>(8 * (8 - rest));
    w = std::endian::native == std::endian::little ? w >> drop : w << drop;
    return add_carry(acc, w);
  }
  // Shorter than a word: the bytes placed by shifts in a register.
  std::size_t at = 0;
  const auto put = [&](std::uint64_t v, std::size_t bytes) {
    const std::size_t shift = std::endian::native == std::endian::little ? 8 * at : 8 * (8 - at - bytes);
    w |= v << shift;
    at += bytes;
  };
  if ((rest & 4) != 0) {
    std::uint32_t v = 0;
    std::memcpy(&v, p + i, sizeof v);
    put(v, sizeof v);
  }
  if ((rest & 2) != 0) {
    std::uint16_t v = 0;
    std::memcpy(&v, p + i + at, sizeof v);
    put(v, sizeof v);
  }
  if ((rest & 1) != 0) put(p[i + at], 1);
  return add_carry(acc, w);
}

/// 16 bytes as four 32-bit lanes (SSE2, or plain integers elsewhere).
typedef std::uint32_t Vec16 __attribute__((vector_size(16)));  // NOLINT(modernize-use-using)

/// Blocks summed before the 32-bit lanes are moved into 64 bits: a lane
/// changes by at most 65536 per block, so 4096 blocks stay within 2^28.
constexpr std::size_t kFlushBlocks = 4096;

/// Native-order 16-bit words of `blocks` 16-byte blocks at p, summed as
/// plain integers (RFC 1071 §2 (C) parallel summation): each 32-bit lane
/// adds its low and its high half into two vector accumulators, moved into
/// 64 bits every kFlushBlocks blocks. GCC/clang vector extensions: SSE2 on
/// x86-64, plain integer code where there are no vectors.
std::uint64_t sum_blocks16(const std::uint8_t* p, std::size_t blocks) {
  std::uint64_t total = 0;
  while (blocks > 0) {
    const std::size_t n = std::min(blocks, kFlushBlocks);
    Vec16 lo{};
    Vec16 hi{};
    for (std::size_t i = 0; i < n; ++i) {
      Vec16 v;
      std::memcpy(&v, p + i * sizeof(Vec16), sizeof(Vec16));
      lo += v & 0xffffU;
      hi += v >> 16U;
    }
    const Vec16 s = lo + hi;  // each < 2^28: no overflow
    for (std::size_t l = 0; l < 4; ++l) total += s[l];
    p += n * sizeof(Vec16);
    blocks -= n;
  }
  return total;
}

}  // namespace

namespace detail {

std::uint64_t sum_blocks_portable(const std::uint8_t* p, std::size_t blocks) { return sum_blocks16(p, blocks); }

#if defined(__x86_64__)
/// 32-byte blocks with AVX2 in three instructions each: flipping a word's
/// top bit turns u into the signed u - 32768, so that vpmaddwd against ones
/// adds adjacent words into 32-bit lanes as (u0 + u1 - 65536); the 65536
/// per lane and block is added back when the lanes are moved into 64 bits.
/// Two accumulators, so consecutive blocks do not wait on each other.
[[gnu::target("avx2")]] std::uint64_t sum_blocks_avx2(const std::uint8_t* p, std::size_t blocks) {
  const __m256i flip = _mm256_set1_epi16(std::numeric_limits<std::int16_t>::min());
  const __m256i ones = _mm256_set1_epi16(1);
  std::int64_t total = 0;
  while (blocks > 0) {
    const std::size_t n = std::min(blocks, kFlushBlocks);
    __m256i a = _mm256_setzero_si256();
    __m256i b = _mm256_setzero_si256();
    std::size_t i = 0;
    __m256i v;
    __m256i w;
    for (; i + 2 <= n; i += 2) {
      std::memcpy(&v, p + i * sizeof v, sizeof v);
      std::memcpy(&w, p + (i + 1) * sizeof w, sizeof w);
      a = _mm256_add_epi32(a, _mm256_madd_epi16(_mm256_xor_si256(v, flip), ones));
      b = _mm256_add_epi32(b, _mm256_madd_epi16(_mm256_xor_si256(w, flip), ones));
    }
    if (i < n) {
      std::memcpy(&v, p + i * sizeof v, sizeof v);
      a = _mm256_add_epi32(a, _mm256_madd_epi16(_mm256_xor_si256(v, flip), ones));
    }
    // The sixteen signed lanes (each within +-2^28) widened to 64 bits and
    // added in vector registers.
    const __m256i wide = _mm256_add_epi64(
        _mm256_add_epi64(_mm256_cvtepi32_epi64(_mm256_castsi256_si128(a)),
                         _mm256_cvtepi32_epi64(_mm256_extracti128_si256(a, 1))),
        _mm256_add_epi64(_mm256_cvtepi32_epi64(_mm256_castsi256_si128(b)),
                         _mm256_cvtepi32_epi64(_mm256_extracti128_si256(b, 1))));
    const __m128i half = _mm_add_epi64(_mm256_castsi256_si128(wide), _mm256_extracti128_si256(wide, 1));
    total += _mm_cvtsi128_si64(half) + _mm_extract_epi64(half, 1);
    total += static_cast<std::int64_t>(n) * 8 * 65536;
    p += n * sizeof(__m256i);
    blocks -= n;
  }
  return static_cast<std::uint64_t>(total);
}
#endif

}  // namespace detail

namespace {

/// Spans shorter than this are summed 8 bytes at a time: headers and ACKs
/// (20-60 bytes) skip the vector kernels and their lane reduction.
constexpr std::size_t kBulkMin = 64;

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

/// The span's native-order sum in 64 bits (a plain vector sum is below
/// 2^64 for any span, so adding it with end-around carry is exact), folded
/// to 16 bits and byte-swapped once into the big-endian accumulator.
void Checksum::add(std::span<const std::uint8_t> data) {
  if (data.empty()) return;
  if (odd_) {  // completes the word whose high byte came last time
    add_folded(data[0]);
    data = data.subspan(1);
    odd_ = false;
    if (data.empty()) return;
  }
  std::size_t i = 0;
  std::uint64_t native = 0;
  if (data.size() >= kBulkMin) native = sum_bulk(data.data(), data.size(), i);
  native = add_carry(native, sum_words64(data.data() + i, data.size() - i));
  const std::uint16_t s = fold(native);
  add_folded(std::endian::native == std::endian::little ? swap16(s) : s);
  odd_ = (data.size() & 1U) != 0;
}

std::uint16_t Checksum::sum() const { return fold(acc_); }

std::uint16_t internet_checksum(std::span<const std::uint8_t> data) {
  Checksum c;
  c.add(data);
  return c.finish();
}

}  // namespace wiresim::wire
