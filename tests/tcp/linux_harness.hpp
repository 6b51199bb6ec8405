#pragma once
/// Shared setup of the linux-profile segment tests (test_linux_receiver,
/// test_linux_sender, test_linux_stretch_ack): an active open as Linux 6.18
/// makes it, an interactive (pingpong) keep-alive connection, and the
/// segments of a response on it.

#include <cstdint>

#include "connection_harness.hpp"

namespace wiresim::tcp::test::linux_tests {

inline constexpr std::uint32_t kTsOffset = 1000;
inline constexpr std::uint32_t kSeg = 1448;  ///< 1460 - 12 bytes of timestamps

/// Active open with the linux profile: the SYN at 0, the peer's SYN-ACK
/// (window `peer_win`, scale `peer_ws`) `rtt` later, our third ACK. The
/// SYN-ACK gives the first RTT sample: SRTT = rtt.
inline void linux_client(Harness& h, std::uint8_t peer_ws = 10, std::uint16_t peer_win = 65160,
                         Duration rtt = Duration::milliseconds(40)) {
  using K = wire::TcpOptionKind;
  h.c().open_active(h.now);
  h.expect_reply({.flags = kSyn, .seq = kIss, .ack = 0, .win = 64240, .mss = 1460, .ws = 10,
                  .sack_perm = true, .ts = wire::TcpTimestamps{kTsOffset, 0},
                  .layout = wire::TcpOptionLayout::of({K::kMss, K::kSackPermitted, K::kTimestamps,
                                                       K::kNop, K::kWindowScale})});
  h.advance(rtt);
  h.send({.flags = kSyn | kAck, .seq = kIrs, .ack = kIss + 1, .win = peer_win, .mss = 1460, .ws = peer_ws,
          .sack_perm = true, .ts = wire::TcpTimestamps{5000, kTsOffset}});
  // rcv_ssthresh = min(64240, window_clamp 65536 - advmss 1448) = 64088,
  // aligned up to 1 << 10: 64512 = 63 << 10.
  const auto tsval = kTsOffset + static_cast<std::uint32_t>(rtt.ms());
  h.expect_reply({.seq = kIss + 1, .ack = kIrs + 1, .win = 63, .ts = wire::TcpTimestamps{tsval, 5000}});
}

/// linux_client, then a 100-byte request, its 100-byte response 40 ms
/// later and a second request 1 ms after that: the connection is
/// interactive (pingpong, no quick ACKs), as a browser's or curl's
/// keep-alive connection is from its second request on. `out` is
/// cleared, 40 ms later.
inline void interactive_client(Harness& h) {
  linux_client(h);
  h.app_send(bytes(100));
  h.advance(Duration::milliseconds(40));
  h.send({.flags = kAck | kPsh, .seq = kIrs + 1, .ack = kIss + 101, .data = bytes(100),
          .ts = wire::TcpTimestamps{5040, kTsOffset + 40}});
  h.app_read();
  h.advance(Duration::milliseconds(1));
  h.app_send(bytes(100));  // a reply 1 ms later: pingpong
  REQUIRE(h.c().ack_policy().pingpong());
  h.advance(Duration::milliseconds(40));
  h.out.clear();
}

/// The i-th full segment of the response to interactive_client's second
/// request (an IW10 flight).
inline Seg reply_seg(std::uint32_t i) {
  return {.seq = kIrs + 101 + i * kSeg, .ack = kIss + 201, .data = bytes(kSeg, 100 + i * kSeg),
          .ts = wire::TcpTimestamps{5081, kTsOffset + 81}};
}

}  // namespace wiresim::tcp::test::linux_tests
