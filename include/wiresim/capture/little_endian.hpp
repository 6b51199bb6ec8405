#pragma once
/// Little-endian field access for capture file formats (pcap files written
/// by wiresim and every pcapng block it writes are little-endian). Fields are
/// read and written at named byte offsets, never through packed structs.
///
/// Preconditions: `off + width <= s.size()`; callers check lengths once per
/// record or block.

#include <cassert>
#include <cstddef>
#include <cstdint>
#include <span>

namespace wiresim::capture {

/// The little-endian 16-bit value at s[off], s[off + 1].
[[nodiscard]] inline std::uint16_t read_le16(std::span<const std::uint8_t> s, std::size_t off) {
  assert(off + 2 <= s.size());
  return static_cast<std::uint16_t>(s[off] | (s[off + 1] << 8));
}

/// The little-endian 32-bit value at s[off .. off + 3].
[[nodiscard]] inline std::uint32_t read_le32(std::span<const std::uint8_t> s, std::size_t off) {
  assert(off + 4 <= s.size());
  return std::uint32_t{s[off]} | (std::uint32_t{s[off + 1]} << 8) | (std::uint32_t{s[off + 2]} << 16) |
         (std::uint32_t{s[off + 3]} << 24);
}

/// The little-endian 64-bit value at s[off .. off + 7].
[[nodiscard]] inline std::uint64_t read_le64(std::span<const std::uint8_t> s, std::size_t off) {
  return std::uint64_t{read_le32(s, off)} | (std::uint64_t{read_le32(s, off + 4)} << 32);
}

/// Writes v little-endian at s[off], s[off + 1].
inline void write_le16(std::span<std::uint8_t> s, std::size_t off, std::uint16_t v) {
  assert(off + 2 <= s.size());
  s[off] = static_cast<std::uint8_t>(v);
  s[off + 1] = static_cast<std::uint8_t>(v >> 8);
}

/// Writes v little-endian at s[off .. off + 3].
inline void write_le32(std::span<std::uint8_t> s, std::size_t off, std::uint32_t v) {
  assert(off + 4 <= s.size());
  s[off] = static_cast<std::uint8_t>(v);
  s[off + 1] = static_cast<std::uint8_t>(v >> 8);
  s[off + 2] = static_cast<std::uint8_t>(v >> 16);
  s[off + 3] = static_cast<std::uint8_t>(v >> 24);
}

/// Writes v little-endian at s[off .. off + 7].
inline void write_le64(std::span<std::uint8_t> s, std::size_t off, std::uint64_t v) {
  write_le32(s, off, static_cast<std::uint32_t>(v));
  write_le32(s, off + 4, static_cast<std::uint32_t>(v >> 32));
}

}  // namespace wiresim::capture
