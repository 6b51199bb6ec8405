// Linux's sender, as the linux profile models it: new data leaves in GSO
// packets of tcp_tso_autosize segments (2 at the lab's rates) and
// __tcp_transmit_skb forces PSH on every packet of more than one segment,
// so about every second segment of a bulk transfer carries PSH (the
// reference captures: 38 of 73 server data segments). tcp_mark_push and
// forced_push (test_linux_receiver.cpp) add theirs.

#include "linux_harness.hpp"

namespace wiresim::tcp::test {
namespace {

using wire::TcpTimestamps;

using namespace linux_tests;  // NOLINT(google-build-using-namespace): the shared linux setup

/// Active open (linux_client) with the peer `rtt` away; later segments
/// of ours carry the third ACK's window, 63 << 10.
void open(Harness& h, Duration rtt) {
  linux_client(h, 10, 65160, rtt);
  h.our_win = 63;
}

/// Our i-th full data segment (0-based) with `flags`, sent at TSval
/// `tsval`, echoing `tsecr` (the SYN-ACK's 5000, later ACKs' 5001).
Seg ours(std::uint32_t i, std::uint8_t flags, std::uint32_t tsval, std::uint32_t tsecr = 5000) {
  return {.flags = flags, .seq = kIss + 1 + i * kSeg, .ack = kIrs + 1, .data = bytes(kSeg, i * kSeg),
          .ts = TcpTimestamps{tsval, tsecr}};
}

/// The peer's ACK of our first `n` segments, TSval 5001.
Seg ack_of(std::uint32_t n, std::uint32_t tsecr) {
  return {.seq = kIrs + 1, .ack = kIss + 1 + n * kSeg, .win = 64, .ts = TcpTimestamps{5001, tsecr}};
}

TEST_CASE("linux GSO: the initial window leaves in 2-segment packets, PSH on every second segment",
          "[tcp][linux][psh][gso]") {
  Harness h(linux_profile(), kIss, 1460, kTsOffset);
  open(h, 40_ms);
  // tcp_update_pacing_rate: 1448 * 10 / 40 ms * 200 % = 724000 B/s; >> 10
  // = 707 bytes, less than a segment: tcp_min_tso_segs, 2.
  h.app_send(bytes(11 * kSeg));
  for (std::uint32_t i = 0; i < 10; ++i) {
    h.expect_reply(ours(i, i % 2 == 1 ? kAck | kPsh : std::uint8_t{kAck}, kTsOffset + 40));
  }
  h.expect_nothing();  // cwnd 10: the 11th waits
  h.advance(40_ms);
  h.send(ack_of(10, kTsOffset + 40));
  // The last segment of the write, alone: PSH by tcp_mark_push, not GSO.
  h.expect_reply(ours(10, kAck | kPsh, kTsOffset + 80, 5001));
  h.expect_nothing();
}

TEST_CASE("linux GSO: a segment the congestion window leaves alone carries no PSH",
          "[tcp][linux][psh][gso]") {
  TcpProfile p = linux_profile();
  p.initial_cwnd_segments = 3;
  Harness h(p, kIss, 1460, kTsOffset);
  open(h, 40_ms);
  h.app_send(bytes(6 * kSeg));
  // cwnd_quota 3: a packet of two (PSH), then one of a single segment.
  h.expect_reply(ours(0, kAck, kTsOffset + 40));
  h.expect_reply(ours(1, kAck | kPsh, kTsOffset + 40));
  h.expect_reply(ours(2, kAck, kTsOffset + 40));
  h.expect_nothing();
  h.advance(40_ms);
  h.send(ack_of(3, kTsOffset + 40));
  // cwnd 6: two packets of the three left; the write's end is pushed.
  h.expect_reply(ours(3, kAck, kTsOffset + 80, 5001));
  h.expect_reply(ours(4, kAck | kPsh, kTsOffset + 80, 5001));
  h.expect_reply(ours(5, kAck | kPsh, kTsOffset + 80, 5001));
  h.expect_nothing();
}

TEST_CASE("linux GSO: a corked partial tail stays out of the packet, the uncork pushes it alone",
          "[tcp][linux][psh][gso]") {
  Harness h(linux_profile(), kIss, 1460, kTsOffset);
  open(h, 40_ms);
  h.c().set_cork(h.now, true);
  h.app_send(bytes(2 * kSeg + 300));
  h.expect_reply(ours(0, kAck, kTsOffset + 40));
  h.expect_reply(ours(1, kAck | kPsh, kTsOffset + 40));
  h.expect_nothing();
  h.c().set_cork(h.now, false);
  h.expect_reply({.flags = kAck | kPsh, .seq = kIss + 1 + 2 * kSeg, .ack = kIrs + 1,
                  .data = bytes(300, 2 * kSeg), .ts = TcpTimestamps{kTsOffset + 40, 5000}});
  h.expect_nothing();
}

TEST_CASE("linux GSO: on a short path packets carry more (tcp_tso_rtt_log), one PSH per packet",
          "[tcp][linux][psh][gso]") {
  Harness h(linux_profile(), kIss, 1460, kTsOffset);
  open(h, 1_ms);
  // 1448 * 10 / 1 ms * 200 % >> 10 = 28281 bytes, and min_rtt 1000 us >> 9
  // = 1 adds 65536 >> 1: 61049 bytes, 42 segments, more than the 10 of the
  // initial window: one packet, PSH on its last segment only.
  h.app_send(bytes(11 * kSeg));
  for (std::uint32_t i = 0; i < 10; ++i) {
    h.expect_reply(ours(i, i == 9 ? kAck | kPsh : std::uint8_t{kAck}, kTsOffset + 1));
  }
  h.expect_nothing();
}

TEST_CASE("linux GSO: a resent packet's last segment does not inherit its PSH", "[tcp][linux][psh][gso]") {
  Harness h(linux_profile(), kIss, 1460, kTsOffset);
  open(h, 40_ms);
  h.app_send(bytes(4 * kSeg));
  h.expect_reply(ours(0, kAck, kTsOffset + 40));
  h.expect_reply(ours(1, kAck | kPsh, kTsOffset + 40));
  h.expect_reply(ours(2, kAck, kTsOffset + 40));
  h.expect_reply(ours(3, kAck | kPsh, kTsOffset + 40));
  h.advance(40_ms);
  // Segment 1 is lost: the peer acknowledges segment 0 and SACKs 2 and 3.
  h.send({.seq = kIrs + 1, .ack = kIss + 1 + kSeg, .win = 64, .ts = TcpTimestamps{5001, kTsOffset + 40}});
  h.send({.seq = kIrs + 1, .ack = kIss + 1 + kSeg, .win = 64, .ts = TcpTimestamps{5001, kTsOffset + 40},
          .sacks = {sack(kIss + 1 + 2 * kSeg, kIss + 1 + 4 * kSeg)}});
  // RACK resends it once the reordering window has passed: __tcp_transmit_skb
  // set PSH on the clone it sent, the skb resent alone is one segment.
  h.advance(100_ms);
  REQUIRE_FALSE(h.out.empty());
  const Sent& resent = h.out.front();
  CHECK(resent.header.seq == wire::SeqNum{kIss + 1 + kSeg});
  CHECK(resent.payload == bytes(kSeg, kSeg));
  CHECK_FALSE(resent.header.has(kPsh));
}

TEST_CASE("linux GSO: forced_push marks whole skbs of size_goal, half the peer's largest window",
          "[tcp][linux][psh][gso]") {
  Harness h(linux_profile(), kIss, 1460, kTsOffset);
  // A peer without window scaling and a 7-segment window: max_window / 2 =
  // 5068, so an skb holds 3 segments (tcp_xmit_size_goal) and forced_push
  // marks the end of every second skb: segments 6, 12, ... (1-based).
  h.c().open_active(h.now);
  h.advance(40_ms);
  h.send({.flags = kSyn | kAck, .seq = kIrs, .ack = kIss + 1, .win = 7 * kSeg, .mss = 1460,
          .sack_perm = true, .ts = TcpTimestamps{5000, kTsOffset}});
  h.out.clear();
  h.app_send(bytes(15 * kSeg));
  std::vector<bool> psh;
  for (int round = 0; round < 3; ++round) {
    for (const Sent& s : h.out) psh.push_back(s.header.has(kPsh));
    const wire::SeqNum una = h.out.back().header.seq + static_cast<std::uint32_t>(h.out.back().payload.size());
    h.out.clear();
    h.advance(40_ms);
    h.send({.seq = kIrs + 1, .ack = una.raw(), .win = 7 * kSeg, .ts = TcpTimestamps{5001, kTsOffset}});
  }
  // Each round the window takes 7 segments: packets of 2, 2, 2 and 1; GSO
  // marks the second of each pair, forced_push segment 12, the write's end
  // segment 15. The lone 7th and 14th carry none.
  const std::vector<bool> want = {false, true,  false, true,  false, true, false,  // 1-7
                                  false, true,  false, true,  true,  true, false,  // 8-14
                                  true};
  CHECK(psh == want);
}

TEST_CASE("linux slow start: cwnd limiting once in a window counts for the whole window (tcp_cwnd_validate)",
          "[tcp][linux][cwnd]") {
  // An 18-segment response, as the lab's Myhead.jpg: IW10 leaves at once
  // (cwnd-limited), the first flight's ACKs (2, 2, 2, 4 segments, as the
  // captures' client sends them) raise cwnd 10 -> 12 -> 14 -> 16 -> 20 and
  // let out the last 8 while cwnd still limits sending. Their ACKs (2 and
  // 6) come when only 8 are out, but Linux remembers the cwnd-limited
  // moment until SND.UNA passes the SND.NXT it had then, so slow start
  // grows on them too: 20 -> 22 -> 28 (the real server starts the png with
  // 28 in curl-seq_d20_l0). Judged per ACK by the flight before it (8 <
  // 20 / 2), cwnd would stay 20.
  for (const bool per_window : {true, false}) {
    INFO("cwnd_validation_per_window " << per_window);
    TcpProfile p = linux_profile();
    p.cwnd_validation_per_window = per_window;
    Harness h(p, kIss, 1460, kTsOffset);
    open(h, 40_ms);
    h.app_send(bytes(18 * kSeg));
    CHECK(h.out.size() == 10);
    h.out.clear();
    h.advance(40_ms);
    const std::uint32_t first_acks[] = {2, 4, 6, 10};
    const std::size_t sends[] = {4, 4, 0, 0};
    for (std::size_t i = 0; i < 4; ++i) {
      h.send(ack_of(first_acks[i], kTsOffset + 40));
      CHECK(h.out.size() == sends[i]);
      h.out.clear();
    }
    CHECK(h.c().congestion().cwnd == 20 * kSeg);
    h.advance(40_ms);
    h.send(ack_of(12, kTsOffset + 40));
    h.send(ack_of(18, kTsOffset + 40));
    CHECK(h.c().congestion().cwnd == (per_window ? 28 : 20) * kSeg);
  }
}

TEST_CASE("windows keeps PSH on the segment that empties the send queue: no GSO packets",
          "[tcp][psh][gso]") {
  CHECK_FALSE(windows_profile().gso);
  CHECK(linux_profile().gso);
  CHECK(linux_6_1_profile().gso);
}

}  // namespace
}  // namespace wiresim::tcp::test
