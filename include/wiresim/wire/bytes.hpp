#pragma once
/// Big-endian (network order) field access for wire formats. Fields are read
/// and written at named byte offsets, never through packed structs.
///
/// Preconditions: `off + width <= s.size()`. Views check their length once
/// in `check()`, so accessors built on these helpers stay in bounds.

#include <cassert>
#include <cstddef>
#include <cstdint>
#include <span>

namespace wiresim::wire {

/// The big-endian 16-bit value at s[off], s[off + 1].
[[nodiscard]] inline std::uint16_t read_u16(std::span<const std::uint8_t> s, std::size_t off) {
  assert(off + 2 <= s.size());
  return static_cast<std::uint16_t>((s[off] << 8) | s[off + 1]);
}

/// The big-endian 32-bit value at s[off .. off + 3].
[[nodiscard]] inline std::uint32_t read_u32(std::span<const std::uint8_t> s, std::size_t off) {
  assert(off + 4 <= s.size());
  return (std::uint32_t{s[off]} << 24) | (std::uint32_t{s[off + 1]} << 16) |
         (std::uint32_t{s[off + 2]} << 8) | std::uint32_t{s[off + 3]};
}

/// Writes v big-endian at s[off], s[off + 1].
inline void write_u16(std::span<std::uint8_t> s, std::size_t off, std::uint16_t v) {
  assert(off + 2 <= s.size());
  s[off] = static_cast<std::uint8_t>(v >> 8);
  s[off + 1] = static_cast<std::uint8_t>(v);
}

/// Writes v big-endian at s[off .. off + 3].
inline void write_u32(std::span<std::uint8_t> s, std::size_t off, std::uint32_t v) {
  assert(off + 4 <= s.size());
  s[off] = static_cast<std::uint8_t>(v >> 24);
  s[off + 1] = static_cast<std::uint8_t>(v >> 16);
  s[off + 2] = static_cast<std::uint8_t>(v >> 8);
  s[off + 3] = static_cast<std::uint8_t>(v);
}

}  // namespace wiresim::wire
