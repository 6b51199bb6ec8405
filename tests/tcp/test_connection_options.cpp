// TCP options: the linux and windows SYN layouts, SYN-ACK echoing only
// what the peer offered, MSS negotiation (RFC 9293 §3.7.1), window scaling
// and timestamps (RFC 7323), SACK blocks (RFC 2018).

#include "connection_harness.hpp"

namespace wiresim::tcp::test {
namespace {

using K = wire::TcpOptionKind;
using wire::TcpOptionLayout;
using wire::TcpTimestamps;

constexpr std::uint32_t kTsOffset = 1000;

/// The bare protocol with window scaling (shift 7, as a 6 MiB tcp_rmem[2] gives).
TcpProfile ws_profile() {
  TcpProfile p = test_profile();
  p.window_scaling = true;
  p.window_scale = 7;
  p.rcv_buf = 131072;
  return p;
}

/// The same with timestamps (RFC 7323 §3-§4 mechanics).
TcpProfile ts_profile() {
  TcpProfile p = ws_profile();
  p.timestamps = true;
  return p;
}

TEST_CASE("linux SYN: MSS, SACK_PERM, TS, NOP, WS 10", "[tcp][options][profile]") {
  Harness h(linux_profile(), kIss, 1460, kTsOffset);
  h.c().open_active(h.now);
  h.expect_reply({.flags = kSyn, .seq = kIss, .ack = 0, .win = 64240, .mss = 1460, .ws = 10,
                  .sack_perm = true, .ts = TcpTimestamps{kTsOffset, 0},
                  .layout = TcpOptionLayout::of({K::kMss, K::kSackPermitted, K::kTimestamps,
                                                 K::kNop, K::kWindowScale})});
  REQUIRE(h.out.empty());
}

TEST_CASE("windows SYN: MSS, NOP, WS 8, NOP, NOP, SACK_PERM, no timestamps", "[tcp][options][profile]") {
  Harness h(windows_profile());
  h.c().open_active(h.now);
  h.expect_reply({.flags = kSyn, .seq = kIss, .ack = 0, .win = 64240, .mss = 1460, .ws = 8,
                  .sack_perm = true,
                  .layout = TcpOptionLayout::of({K::kMss, K::kNop, K::kWindowScale, K::kNop,
                                                 K::kNop, K::kSackPermitted})});
}

TEST_CASE("linux SYN-ACK to a full offer: MSS, SACK_PERM, TS echoing the SYN, NOP, WS",
          "[tcp][options][profile]") {
  Harness h(linux_profile(), kIss, 1460, kTsOffset);
  h.listen();
  h.advance(5_ms);
  h.send({.flags = kSyn, .seq = kIrs, .ack = 0, .mss = 1460, .ws = 8, .sack_perm = true,
          .ts = TcpTimestamps{777, 0}});
  h.expect_reply({.flags = kSyn | kAck, .seq = kIss, .ack = kIrs + 1, .win = 65160, .mss = 1460,
                  .ws = 10, .sack_perm = true, .ts = TcpTimestamps{kTsOffset + 5, 777},
                  .layout = TcpOptionLayout::of({K::kMss, K::kSackPermitted, K::kTimestamps,
                                                 K::kNop, K::kWindowScale})});
  CHECK(h.c().negotiated().snd_wscale == 8);
  CHECK(h.c().negotiated().rcv_wscale == 10);
  CHECK(h.c().negotiated().sack);
  CHECK(h.c().negotiated().timestamps);
}

TEST_CASE("a SYN-ACK carries only the options the SYN offered", "[tcp][options]") {
  Harness h(linux_profile());
  h.listen();
  SECTION("MSS only") {
    h.send({.flags = kSyn, .seq = kIrs, .ack = 0, .mss = 1460});
    h.expect_reply({.flags = kSyn | kAck, .seq = kIss, .ack = kIrs + 1, .mss = 1460});
    CHECK_FALSE(h.c().negotiated().sack);
    CHECK_FALSE(h.c().negotiated().timestamps);
    CHECK(h.c().negotiated().rcv_wscale == 0);
  }
  SECTION("no timestamps (a Windows client): Linux's generic layout") {
    h.send({.flags = kSyn, .seq = kIrs, .ack = 0, .mss = 1460, .ws = 8, .sack_perm = true});
    h.expect_reply({.flags = kSyn | kAck, .seq = kIss, .ack = kIrs + 1, .mss = 1460, .ws = 10,
                    .sack_perm = true,
                    .layout = TcpOptionLayout::of({K::kMss, K::kNop, K::kNop, K::kSackPermitted,
                                                   K::kNop, K::kWindowScale})});
  }
}

TEST_CASE("send MSS = min(peer's MSS, our MTU-derived MSS)", "[tcp][options][mss]") {
  SECTION("the peer's is smaller") {
    Harness h;
    h.syn_sent();
    h.send({.flags = kSyn | kAck, .seq = kIrs, .ack = kIss + 1, .mss = 1000});
    h.expect_reply({.seq = kIss + 1, .ack = kIrs + 1});
    h.app_send(bytes(1500));
    h.expect_reply({.seq = kIss + 1, .ack = kIrs + 1, .data = bytes(1000)});
    h.expect_reply({.flags = kAck | kPsh, .seq = kIss + 1001, .ack = kIrs + 1, .data = bytes(500, 1000)});
  }
  SECTION("ours is smaller: advertised in the SYN and used") {
    Harness h(test_profile(), kIss, 1200);
    h.c().open_active(h.now);
    h.expect_reply({.flags = kSyn, .seq = kIss, .ack = 0, .mss = 1200});
    h.send({.flags = kSyn | kAck, .seq = kIrs, .ack = kIss + 1, .mss = 1460});
    h.expect_reply({.seq = kIss + 1, .ack = kIrs + 1});
    h.app_send(bytes(1300));
    h.expect_reply({.seq = kIss + 1, .ack = kIrs + 1, .data = bytes(1200)});
  }
}

TEST_CASE("without an MSS option the send MSS is 536", "[tcp][options][mss]") {
  Harness h;
  h.syn_sent();
  h.send({.flags = kSyn | kAck, .seq = kIrs, .ack = kIss + 1});
  h.expect_reply({.seq = kIss + 1, .ack = kIrs + 1});
  CHECK(h.c().negotiated().send_mss == 536);
  h.app_send(bytes(600));
  h.expect_reply({.seq = kIss + 1, .ack = kIrs + 1, .data = bytes(536)});
}

TEST_CASE("window scaling: SYN windows unscaled, later windows scaled both ways",
          "[tcp][options][wscale]") {
  Harness h(ws_profile());
  h.c().open_active(h.now);
  h.expect_reply({.flags = kSyn, .seq = kIss, .ack = 0, .win = 64240, .mss = 1460, .ws = 7});
  h.send({.flags = kSyn | kAck, .seq = kIrs, .ack = kIss + 1, .win = 65535, .mss = 1460, .ws = 3});
  CHECK(h.c().tcb().snd_wnd == 65535);  // the SYN's window is not scaled
  h.expect_reply({.seq = kIss + 1, .ack = kIrs + 1, .win = 131072 >> 7});
  h.send({.seq = kIrs + 1, .ack = kIss + 1, .win = 100});
  CHECK(h.c().tcb().snd_wnd == 800);
  h.send({.seq = kIrs + 1, .ack = kIss + 1, .data = bytes(1000)});
  // Unread bytes shrink the window; its field counts 128-byte units and the
  // right edge never moves left, so it rounds up (Linux tcp_select_window).
  h.expect_nothing();
  h.advance(40_ms);
  h.expect_reply({.seq = kIss + 1, .ack = kIrs + 1001, .win = (131072 - 1000 + 127) >> 7});
}

TEST_CASE("a receive buffer smaller than one scale unit offers one unit, never a zero window for ever",
          "[tcp][options][wscale]") {
  // issue 13: rcv_buf 100 with WS=256 advertised a zero window for ever
  // (100 >> 8 == 0). Linux __tcp_select_window rounds a window up to the
  // scale unit while at least half the buffer is free.
  TcpProfile p = ws_profile();
  p.rcv_buf = 100;
  Harness h(p);
  h.our_win = 1;  // one 128-byte unit
  h.c().open_active(h.now);
  h.expect_reply({.flags = kSyn, .seq = kIss, .ack = 0, .win = 100, .mss = 1460, .ws = 7});
  h.send({.flags = kSyn | kAck, .seq = kIrs, .ack = kIss + 1, .win = 65535, .mss = 1460, .ws = 3});
  h.expect_reply({.seq = kIss + 1, .ack = kIrs + 1});
  // The peer fills each window; the app reads it; the window opens again.
  for (std::uint32_t i = 0; i < 4; ++i) {
    INFO("window " << i);
    h.send({.seq = kIrs + 1 + 128 * i, .ack = kIss + 1, .data = bytes(128, 128 * i)});
    CHECK(h.app_read() == bytes(128, 128 * i));
    h.advance(500_ms);
    REQUIRE_FALSE(h.out.empty());
    const Sent& last = h.out.back();
    CHECK(last.header.ack == wire::SeqNum{kIrs + 1 + 128 * (i + 1)});
    CHECK(last.header.window == 1);
    h.out.clear();
  }
}

TEST_CASE("a window scale above 14 is taken as 14 (RFC 7323 §2.3)", "[tcp][options][wscale]") {
  Harness h(ws_profile());
  h.c().open_active(h.now);
  h.expect_reply({.flags = kSyn, .seq = kIss, .ack = 0, .win = 64240, .mss = 1460, .ws = 7});
  h.send({.flags = kSyn | kAck, .seq = kIrs, .ack = kIss + 1, .mss = 1460, .ws = 15});
  h.expect_reply({.seq = kIss + 1, .ack = kIrs + 1, .win = 131072 >> 7});
  CHECK(h.c().negotiated().snd_wscale == 14);
  h.send({.seq = kIrs + 1, .ack = kIss + 1, .win = 2});
  CHECK(h.c().tcb().snd_wnd == 2u << 14);
}

TEST_CASE("no window scaling unless both SYNs carry it", "[tcp][options][wscale]") {
  Harness h(ws_profile());
  h.c().open_active(h.now);
  h.expect_reply({.flags = kSyn, .seq = kIss, .ack = 0, .win = 64240, .mss = 1460, .ws = 7});
  h.send({.flags = kSyn | kAck, .seq = kIrs, .ack = kIss + 1, .mss = 1460});
  h.expect_reply({.seq = kIss + 1, .ack = kIrs + 1, .win = 65535});  // capped, unscaled
  CHECK(h.c().negotiated().rcv_wscale == 0);
  h.send({.seq = kIrs + 1, .ack = kIss + 1, .win = 100});
  CHECK(h.c().tcb().snd_wnd == 100);
}

/// Linux, established at t = 0 with timestamps (TSval = ms + kTsOffset).
void ts_established(Harness& h) {
  h.c().open_active(h.now);
  h.out.clear();
  h.send({.flags = kSyn | kAck, .seq = kIrs, .ack = kIss + 1, .mss = 1460, .ws = 7,
          .sack_perm = true, .ts = TcpTimestamps{5000, kTsOffset}});
  h.expect_reply({.seq = kIss + 1, .ack = kIrs + 1, .win = 1024, .ts = TcpTimestamps{kTsOffset, 5000}});
}

TEST_CASE("timestamps: TSval is the ms clock plus an offset, TSecr echoes TS.Recent",
          "[tcp][options][timestamps]") {
  Harness h(ts_profile(), kIss, 1460, kTsOffset);
  ts_established(h);
  h.advance(50_ms);
  h.app_send("x");
  h.expect_reply({.flags = kAck | kPsh, .seq = kIss + 1, .ack = kIrs + 1, .win = 1024, .data = "x",
                  .ts = TcpTimestamps{kTsOffset + 50, 5000}});
  h.advance(30_ms);
  h.send({.seq = kIrs + 1, .ack = kIss + 2, .win = 1000, .data = "y", .ts = TcpTimestamps{5080, kTsOffset + 50}});
  h.advance(40_ms);
  h.expect_reply({.seq = kIss + 2, .ack = kIrs + 2, .win = 1024, .ts = TcpTimestamps{kTsOffset + 120, 5080}});
  CHECK(*h.c().congestion().srtt == 30_ms * 1 / 8);  // 7/8 * 0 + 1/8 * 30 ms
}

TEST_CASE("timestamps give an RTT sample even for a retransmission (RFC 7323 §4)",
          "[tcp][options][timestamps][rto]") {
  Harness h(ts_profile(), kIss, 1460, kTsOffset);
  ts_established(h);  // RTT 0: RTO 200 ms
  h.app_send("x");
  h.expect_reply({.flags = kAck | kPsh, .seq = kIss + 1, .ack = kIrs + 1, .win = 1024, .data = "x",
                  .ts = TcpTimestamps{kTsOffset, 5000}});
  h.expect_reply_at(Time::from_ns(0) + 200_ms,
                    {.flags = kAck | kPsh, .seq = kIss + 1, .ack = kIrs + 1, .win = 1024,
                     .data = "x", .ts = TcpTimestamps{kTsOffset + 200, 5000}});
  h.advance(48_ms);
  h.send({.seq = kIrs + 1, .ack = kIss + 2, .win = 1000, .ts = TcpTimestamps{5300, kTsOffset + 200}});
  // 248 ms on the clock, echo of 200: R = 48 ms; the backoff is reset.
  CHECK(*h.c().congestion().srtt == 6_ms);
  CHECK(h.c().congestion().rto == 200_ms);
}

TEST_CASE("SACK blocks report out-of-order data, most recent first (RFC 2018 §4)",
          "[tcp][options][sack]") {
  TcpProfile p = test_profile();
  p.sack = true;
  Harness h(p);
  h.c().open_active(h.now);
  h.expect_reply({.flags = kSyn, .seq = kIss, .ack = 0, .mss = 1460, .sack_perm = true});
  h.send({.flags = kSyn | kAck, .seq = kIrs, .ack = kIss + 1, .mss = 1460, .sack_perm = true});
  h.expect_reply({.seq = kIss + 1, .ack = kIrs + 1});
  h.send({.seq = kIrs + 1001, .ack = kIss + 1, .data = bytes(500)});
  h.expect_reply({.seq = kIss + 1, .ack = kIrs + 1, .sacks = {sack(kIrs + 1001, kIrs + 1501)}});
  h.send({.seq = kIrs + 3001, .ack = kIss + 1, .data = bytes(500)});
  h.expect_reply({.seq = kIss + 1, .ack = kIrs + 1,
                  .sacks = {sack(kIrs + 3001, kIrs + 3501), sack(kIrs + 1001, kIrs + 1501)}});
  h.send({.seq = kIrs + 1501, .ack = kIss + 1, .data = bytes(100)});  // grows the older block
  h.expect_reply({.seq = kIss + 1, .ack = kIrs + 1,
                  .sacks = {sack(kIrs + 1001, kIrs + 1601), sack(kIrs + 3001, kIrs + 3501)}});
  h.send({.seq = kIrs + 1, .ack = kIss + 1, .data = bytes(1000)});
  h.expect_reply({.seq = kIss + 1, .ack = kIrs + 1601, .win = kOurWin - 1600,
                  .sacks = {sack(kIrs + 3001, kIrs + 3501)}});
}

}  // namespace
}  // namespace wiresim::tcp::test

namespace wiresim::tcp::test {
namespace {

TEST_CASE("windows handshake windows as the lab's frames show: SYN-ACK 65535, third ACK 513 x 256",
          "[tcp][options][profile][windows]") {
  SECTION("server") {
    Harness h(windows_profile());
    h.listen();
    h.send({.flags = kSyn, .seq = kIrs, .ack = 0, .win = 64240, .mss = 1460, .ws = 8, .sack_perm = true});
    h.expect_reply({.flags = kSyn | kAck, .seq = kIss, .ack = kIrs + 1, .win = 65535, .mss = 1460, .ws = 8,
                    .sack_perm = true,
                    .layout = TcpOptionLayout::of({K::kMss, K::kNop, K::kWindowScale, K::kNop,
                                                   K::kNop, K::kSackPermitted})});
  }
  SECTION("client") {
    Harness h(windows_profile());
    h.c().open_active(h.now);
    h.out.clear();
    h.send({.flags = kSyn | kAck, .seq = kIrs, .ack = kIss + 1, .win = 65535, .mss = 1460, .ws = 8,
            .sack_perm = true});
    h.expect_reply({.seq = kIss + 1, .ack = kIrs + 1, .win = 513});
  }
}

TEST_CASE("windows delayed ACK: a lone segment is acknowledged after 200 ms, two at once",
          "[tcp][ack][profile][windows]") {
  Harness h(windows_profile());
  h.c().open_active(h.now);
  h.out.clear();
  h.send({.flags = kSyn | kAck, .seq = kIrs, .ack = kIss + 1, .win = 65535, .mss = 1460, .ws = 8,
          .sack_perm = true});
  h.out.clear();
  h.send({.flags = kAck | kPsh, .seq = kIrs + 1, .ack = kIss + 1, .data = bytes(100)});
  h.expect_nothing_until(Time::from_ns(0) + 199_ms);
  h.expect_reply_at(Time::from_ns(0) + 200_ms, {.seq = kIss + 1, .ack = kIrs + 101, .win = 513});
  h.send({.seq = kIrs + 101, .ack = kIss + 1, .data = bytes(1460)});
  h.expect_nothing();
  h.send({.seq = kIrs + 1561, .ack = kIss + 1, .data = bytes(1460)});
  h.expect_reply({.seq = kIss + 1, .ack = kIrs + 3021, .win = 502});  // the right edge never moves left
}

}  // namespace
}  // namespace wiresim::tcp::test
