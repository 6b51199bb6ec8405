#pragma once
/// Which way a captured frame crossed the capture point.

#include <cstdint>
#include <string_view>

namespace wiresim::capture {

/// Values equal the inbound/outbound bits (0-1) of pcapng epb_flags
/// (draft-ietf-opsawg-pcapng §4.3.1): 0 = not available, 1 = inbound,
/// 2 = outbound.
enum class Direction : std::uint8_t { kUnknown = 0, kInbound = 1, kOutbound = 2 };

[[nodiscard]] constexpr std::string_view to_string(Direction d) {
  switch (d) {
    case Direction::kInbound: return "inbound";
    case Direction::kOutbound: return "outbound";
    case Direction::kUnknown: break;
  }
  return "unknown";
}

}  // namespace wiresim::capture
