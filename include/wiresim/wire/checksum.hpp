#pragma once
/// The Internet checksum (RFC 1071): 16-bit one's complement of the one's
/// complement sum of the data taken as big-endian 16-bit words.

#include <cstddef>
#include <cstdint>
#include <span>

namespace wiresim::wire {

/// Incremental checksum accumulator. `add` treats successive spans as one
/// contiguous byte stream, so an odd-length span is continued correctly by
/// the next call. Sums 32 bytes at a time in vector lanes (AVX2 when the CPU
/// has it, SSE2 otherwise), then 8 bytes at a time (RFC 1071 §2 (B) byte
/// order independence, (C) parallel summation). The result is the same on
/// every path: integer sums in a different order.
class Checksum {
 public:
  /// Appends bytes to the summed stream.
  void add(std::span<const std::uint8_t> data);
  /// Adds one 16-bit word (host order). Words are added independently of
  /// the stream position: for pseudo-header fields, added at even offsets.
  void add_u16(std::uint16_t v) { add_folded(v); }
  /// Adds a 32-bit value as two 16-bit words (host order).
  void add_u32(std::uint32_t v) { add_folded(v); }

  /// The folded one's complement sum (not complemented), host order.
  [[nodiscard]] std::uint16_t sum() const;
  /// The checksum to store: ~sum(), host order, ready for write_u16.
  /// Over data that includes a correct checksum field it is 0.
  [[nodiscard]] std::uint16_t finish() const { return static_cast<std::uint16_t>(~sum()); }

 private:
  /// acc_ + v with the end-around carry of one's complement addition.
  void add_folded(std::uint64_t v) {
    acc_ += v;
    acc_ += static_cast<std::uint64_t>(acc_ < v);
  }

  std::uint64_t acc_ = 0;  ///< one's complement sum, modulo 2^64 - 1 with end-around carry
  bool odd_ = false;       ///< an odd number of bytes were added: next byte is a low byte
};

namespace detail {
/// The plain (not folded) sum of the native-order 16-bit words of `blocks`
/// 16-byte blocks at p, with portable vectors. Exposed for tests.
[[nodiscard]] std::uint64_t sum_blocks_portable(const std::uint8_t* p, std::size_t blocks);
#if defined(__x86_64__)
/// The same over 32-byte blocks with AVX2: call only if the CPU has AVX2.
[[nodiscard]] std::uint64_t sum_blocks_avx2(const std::uint8_t* p, std::size_t blocks);
#endif
}  // namespace detail

/// The checksum of one contiguous buffer.
[[nodiscard]] std::uint16_t internet_checksum(std::span<const std::uint8_t> data);

}  // namespace wiresim::wire
