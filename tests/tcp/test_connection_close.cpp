// Closing, resets and the checks of RFC 9293 §3.10.7.4 / RFC 5961 in the
// synchronized states: the remaining arrows of Figure 5.

#include "connection_harness.hpp"

namespace wiresim::tcp::test {
namespace {

using CE = ConnectionEvent;
const Time kT0 = Time::from_ns(0);

TEST_CASE("ESTABLISHED -> FIN-WAIT-1 -> FIN-WAIT-2 -> TIME-WAIT -> CLOSED after 2*MSL",
          "[tcp][close]") {
  Harness h;
  h.time_wait();
  CHECK(h.take_events() == std::vector{CE::kPeerClosed});
  // TIME-WAIT lasts 2 * MSL = 60 s with the linux profile.
  CHECK(h.c().next_deadline() == kT0 + 60_s);
  h.expect_nothing_until(kT0 + 60_s - 1_ns);
  CHECK(h.state() == TcpState::kTimeWait);
  h.advance(1_ns);
  CHECK(h.state() == TcpState::kClosed);
  CHECK(h.take_events() == std::vector{CE::kClosed});
  h.expect_nothing();
}

TEST_CASE("ESTABLISHED -> CLOSE-WAIT -> LAST-ACK -> CLOSED", "[tcp][close]") {
  Harness h;
  h.last_ack();
  h.send({.seq = kIrs + 2, .ack = kIss + 2});
  CHECK(h.state() == TcpState::kClosed);
  CHECK(h.take_events() == std::vector{CE::kClosed});
  h.expect_nothing();
  CHECK(h.c().next_deadline() == Time::max());
}

TEST_CASE("FIN-WAIT-1 -> CLOSING -> TIME-WAIT: simultaneous close", "[tcp][close]") {
  Harness h;
  h.closing();
  CHECK(h.take_events() == std::vector{CE::kPeerClosed});
  h.send({.seq = kIrs + 2, .ack = kIss + 2});
  CHECK(h.state() == TcpState::kTimeWait);
  h.expect_nothing();
  CHECK(h.c().next_deadline() == h.now + 60_s);
}

TEST_CASE("FIN-WAIT-1 -> TIME-WAIT on a FIN that acknowledges our FIN", "[tcp][close]") {
  Harness h;
  h.fin_wait_1();
  h.send({.flags = kFin | kAck, .seq = kIrs + 1, .ack = kIss + 2});
  h.expect_reply({.seq = kIss + 2, .ack = kIrs + 2, .win = kOurWin - 1});
  CHECK(h.state() == TcpState::kTimeWait);
}

TEST_CASE("SYN-RECEIVED -> FIN-WAIT-1 on close: the FIN waits for the ACK of our SYN",
          "[tcp][close]") {
  Harness h;
  h.syn_received();
  h.c().shutdown_write(h.now);
  CHECK(h.state() == TcpState::kFinWait1);
  h.expect_nothing();
  h.send({.seq = kIrs + 1, .ack = kIss + 1});
  h.expect_reply({.flags = kFin | kAck, .seq = kIss + 1, .ack = kIrs + 1});
  CHECK(h.state() == TcpState::kFinWait1);
  h.send({.seq = kIrs + 1, .ack = kIss + 2});
  CHECK(h.state() == TcpState::kFinWait2);
}

TEST_CASE("SYN-RECEIVED -> CLOSE-WAIT on a FIN", "[tcp][close]") {
  Harness h;
  h.syn_received();
  h.send({.flags = kFin | kAck, .seq = kIrs + 1, .ack = kIss + 1});
  h.expect_reply({.seq = kIss + 1, .ack = kIrs + 2, .win = kOurWin - 1});
  CHECK(h.state() == TcpState::kCloseWait);
  CHECK(h.take_events() == std::vector{CE::kConnected, CE::kPeerClosed});
}

TEST_CASE("TIME-WAIT acknowledges a retransmitted FIN and restarts 2*MSL", "[tcp][close]") {
  Harness h;
  h.time_wait();
  h.advance(10_s);
  h.send({.flags = kFin | kAck, .seq = kIrs + 1, .ack = kIss + 2});
  h.expect_reply({.seq = kIss + 2, .ack = kIrs + 2});
  CHECK(h.c().next_deadline() == h.now + 60_s);
}

TEST_CASE("FIN is retransmitted with backoff and the connection times out", "[tcp][close][rto]") {
  TcpProfile p = test_profile();
  p.data_retries = 2;
  Harness h(p);
  h.fin_wait_1();
  // The handshake measured an RTT of 0: RTO = min_rto = 200 ms, doubling.
  const Seg fin{.flags = kFin | kAck, .seq = kIss + 1, .ack = kIrs + 1};
  h.expect_reply_at(kT0 + 200_ms, fin);
  h.expect_reply_at(kT0 + 600_ms, fin);
  h.expect_nothing_until(kT0 + 1400_ms - 1_ns);
  CHECK(h.state() == TcpState::kFinWait1);
  h.advance(1_ns);
  CHECK(h.state() == TcpState::kClosed);
  CHECK(h.take_events() == std::vector{CE::kTimedOut, CE::kClosed});
}

TEST_CASE("half-close: data keeps flowing to us in FIN-WAIT-2", "[tcp][close][data]") {
  Harness h;
  h.fin_wait_2();
  h.send({.flags = kAck | kPsh, .seq = kIrs + 1, .ack = kIss + 2, .data = "late data"});
  h.expect_nothing();  // delayed ACK
  CHECK(h.take_events() == std::vector{CE::kReadable});
  CHECK(h.app_read() == "late data");
  // Reading 9 bytes does not move the right edge (receiver SWS avoidance).
  h.expect_reply_at(h.now + 40_ms, {.seq = kIss + 2, .ack = kIrs + 10, .win = kOurWin - 9});
}

TEST_CASE("half-close: we keep sending in CLOSE-WAIT", "[tcp][close][data]") {
  Harness h;
  h.close_wait();
  h.app_send("reply");
  h.expect_reply({.flags = kAck | kPsh, .seq = kIss + 1, .ack = kIrs + 2, .data = "reply"});
  h.c().shutdown_write(h.now);
  h.expect_reply({.flags = kFin | kAck, .seq = kIss + 6, .ack = kIrs + 2});
  CHECK(h.state() == TcpState::kLastAck);
}

TEST_CASE("the FIN rides on the last data segment", "[tcp][close][data]") {
  Harness h;
  h.established();
  h.c().set_nagle(true);
  h.app_send("abc");
  h.expect_reply({.flags = kAck | kPsh, .seq = kIss + 1, .ack = kIrs + 1, .data = "abc"});
  h.app_send("def");  // held by Nagle: "abc" is unacknowledged
  h.expect_nothing();
  h.c().shutdown_write(h.now);
  h.expect_reply({.flags = kAck | kPsh | kFin, .seq = kIss + 4, .ack = kIrs + 1, .data = "def"});
}

TEST_CASE("abort in ESTABLISHED sends RST,ACK and closes", "[tcp][close][rst]") {
  Harness h;
  h.established();
  h.c().abort(h.now);
  h.expect_reply({.flags = kRst | kAck, .seq = kIss + 1, .ack = kIrs + 1, .win = 0});
  CHECK(h.state() == TcpState::kClosed);
  CHECK(h.take_events() == std::vector{CE::kClosed});
  h.send({.seq = kIrs + 1, .ack = kIss + 1});
  h.expect_reply({.flags = kRst, .seq = kIss + 1, .ack = 0, .win = 0});  // CLOSED: reset generation
}

TEST_CASE("close with unread data resets the connection (RFC 2525 §2.17)", "[tcp][close][rst]") {
  Harness h;
  h.established();
  h.send({.flags = kAck | kPsh, .seq = kIrs + 1, .ack = kIss + 1, .data = "unread"});
  h.c().close(h.now);
  h.expect_reply({.flags = kRst | kAck, .seq = kIss + 1, .ack = kIrs + 7, .win = 0});
  CHECK(h.state() == TcpState::kClosed);
}

TEST_CASE("data arriving after close resets the connection", "[tcp][close][rst]") {
  Harness h;
  h.established();
  h.c().close(h.now);
  h.expect_reply({.flags = kFin | kAck, .seq = kIss + 1, .ack = kIrs + 1});
  h.send({.flags = kAck | kPsh, .seq = kIrs + 1, .ack = kIss + 2, .data = "too late"});
  h.expect_reply({.flags = kRst | kAck, .seq = kIss + 2, .ack = kIrs + 1, .win = 0});
  CHECK(h.state() == TcpState::kClosed);
}

TEST_CASE("RST at RCV.NXT resets an ESTABLISHED connection", "[tcp][rst]") {
  Harness h;
  h.established();
  h.send({.flags = kRst, .seq = kIrs + 1, .ack = 0});
  CHECK(h.state() == TcpState::kClosed);
  CHECK(h.c().error() == ConnectionError::kReset);
  CHECK(h.take_events() == std::vector{CE::kReset, CE::kClosed});
  h.expect_nothing();
}

TEST_CASE("in-window RST not at RCV.NXT draws a challenge ACK (RFC 5961 §3.2)", "[tcp][rst]") {
  Harness h;
  h.established();
  h.send({.flags = kRst, .seq = kIrs + 100, .ack = 0});
  h.expect_reply({.seq = kIss + 1, .ack = kIrs + 1});
  CHECK(h.state() == TcpState::kEstablished);
}

TEST_CASE("out-of-window RST is dropped silently", "[tcp][rst]") {
  Harness h;
  h.established();
  h.send({.flags = kRst, .seq = kIrs + 100000, .ack = 0});
  h.send({.flags = kRst, .seq = kIrs, .ack = 0});
  h.expect_nothing();
  CHECK(h.state() == TcpState::kEstablished);
}

TEST_CASE("RST closes CLOSING, LAST-ACK and TIME-WAIT without an error", "[tcp][rst]") {
  Harness h;
  SECTION("CLOSING") { h.closing(); }
  SECTION("LAST-ACK") { h.last_ack(); }
  SECTION("TIME-WAIT") { h.time_wait(); }
  h.take_events();
  h.send({.flags = kRst, .seq = kIrs + 2, .ack = 0});
  CHECK(h.state() == TcpState::kClosed);
  CHECK(h.c().error() == ConnectionError::kNone);
  CHECK(h.take_events() == std::vector{CE::kClosed});
}

TEST_CASE("RST resets FIN-WAIT-1, FIN-WAIT-2 and CLOSE-WAIT", "[tcp][rst]") {
  Harness h;
  std::uint32_t seq = kIrs + 1;
  SECTION("FIN-WAIT-1") { h.fin_wait_1(); }
  SECTION("FIN-WAIT-2") { h.fin_wait_2(); }
  SECTION("CLOSE-WAIT") {
    h.close_wait();
    seq = kIrs + 2;
  }
  h.send({.flags = kRst, .seq = seq, .ack = 0});
  CHECK(h.state() == TcpState::kClosed);
  CHECK(h.c().error() == ConnectionError::kReset);
}

TEST_CASE("SYN in ESTABLISHED draws a challenge ACK (RFC 5961 §4)", "[tcp][rst]") {
  Harness h;
  h.established();
  h.send({.flags = kSyn, .seq = kIrs + 10, .ack = 0, .mss = 1460});
  h.expect_reply({.seq = kIss + 1, .ack = kIrs + 1});
  CHECK(h.state() == TcpState::kEstablished);
}

TEST_CASE("an unacceptable segment is answered with an ACK and dropped", "[tcp][seq]") {
  Harness h;
  h.established();
  SECTION("old data") {
    h.send({.flags = kAck | kPsh, .seq = kIrs - 10, .ack = kIss + 1, .data = "stale"});
  }
  SECTION("beyond the window") {
    h.send({.flags = kAck | kPsh, .seq = kIrs + 1 + 70000, .ack = kIss + 1, .data = "far"});
  }
  h.expect_reply({.seq = kIss + 1, .ack = kIrs + 1});
  CHECK(h.c().readable() == 0);
  CHECK(h.c().counters().bad_segments == 1);
}

TEST_CASE("the four cases of the acceptability test (RFC 9293 §3.10.7.4 Table 6)", "[tcp][seq]") {
  Harness h;
  h.established();
  SECTION("length 0, window > 0: RCV.NXT =< SEG.SEQ < RCV.NXT + RCV.WND") {
    h.send({.seq = kIrs + 1 + 64239, .ack = kIss + 1, .win = 1000});  // last in-window octet
    h.expect_nothing();
    CHECK(h.c().tcb().snd_wnd == 1000);
    h.send({.seq = kIrs + 1 + 64240, .ack = kIss + 1, .win = 2000});  // just beyond
    h.expect_reply({.seq = kIss + 1, .ack = kIrs + 1});
    CHECK(h.c().tcb().snd_wnd == 1000);
  }
  SECTION("length > 0, window > 0: either end in the window; the rest is trimmed") {
    h.send({.seq = kIrs - 2, .ack = kIss + 1, .data = "oldnew"});  // starts 3 octets early
    CHECK(h.app_read() == "new");
    h.send({.seq = kIrs + 4 + 64237, .ack = kIss + 1, .data = "abcdef"});  // ends past the edge
    CHECK(h.c().readable() == 0);
  }
  SECTION("window 0") {
    std::uint32_t seq = kIrs + 1;
    for (int i = 0; i < 44; ++i, seq += 1460) h.send({.seq = seq, .ack = kIss + 1, .data = bytes(1460)});
    h.out.clear();
    REQUIRE(h.c().tcb().rcv_wnd() == 0);
    // Length 0: acceptable only at RCV.NXT.
    h.send({.seq = seq, .ack = kIss + 1, .win = 3000});
    h.expect_nothing();
    CHECK(h.c().tcb().snd_wnd == 3000);
    h.send({.seq = seq + 1, .ack = kIss + 1, .win = 4000});
    h.expect_reply({.seq = kIss + 1, .ack = seq, .win = 0});
    CHECK(h.c().tcb().snd_wnd == 3000);
    // Length > 0: never acceptable; the text is dropped but, at RCV.NXT,
    // its ACK is still processed (the "special allowance").
    h.send({.seq = seq, .ack = kIss + 1, .win = 5000, .data = "z"});
    h.expect_reply({.seq = kIss + 1, .ack = seq, .win = 0});
    CHECK(h.c().tcb().snd_wnd == 5000);
    CHECK(h.c().readable() == 64240);
  }
}

TEST_CASE("SND.WND follows only newer segments (SND.WL1, SND.WL2)", "[tcp][seq][window]") {
  Harness h;
  h.established();
  h.send({.seq = kIrs + 201, .ack = kIss + 1, .win = 500, .data = "later"});  // out of order, newer
  h.expect_reply({.seq = kIss + 1, .ack = kIrs + 1});
  CHECK(h.c().tcb().snd_wnd == 500);
  CHECK(h.c().tcb().snd_wl1 == wire::SeqNum{kIrs + 201});
  h.send({.seq = kIrs + 1, .ack = kIss + 1, .win = 4000, .data = "earlier"});  // SEG.SEQ < SND.WL1
  CHECK(h.c().tcb().snd_wnd == 500);
  h.send({.seq = kIrs + 201, .ack = kIss + 1, .win = 600});  // same SEQ, SND.WL2 =< SEG.ACK
  CHECK(h.c().tcb().snd_wnd == 600);
}

TEST_CASE("an ACK of unsent data is answered with an ACK and dropped", "[tcp][seq]") {
  Harness h;
  h.established();
  h.send({.flags = kAck | kPsh, .seq = kIrs + 1, .ack = kIss + 500, .data = "x"});
  h.expect_reply({.seq = kIss + 1, .ack = kIrs + 1});
  CHECK(h.c().readable() == 0);
}

TEST_CASE("a segment without ACK is dropped in ESTABLISHED", "[tcp][seq]") {
  Harness h;
  h.established();
  h.send({.flags = kPsh, .seq = kIrs + 1, .ack = 0, .data = "noack"});
  h.expect_nothing();
  CHECK(h.c().readable() == 0);
}

TEST_CASE("delayed_fin_ack: the ACK of an in-order FIN waits for the delayed-ACK timer", "[tcp][close][delack]") {
  TcpProfile p = test_profile();
  p.delayed_fin_ack = true;
  Harness h(p);
  h.established();
  h.send({.flags = kFin | kAck, .seq = kIrs + 1, .ack = kIss + 1});
  CHECK(h.state() == TcpState::kCloseWait);
  CHECK(h.take_events() == std::vector{CE::kPeerClosed});
  h.expect_nothing_until(h.now + p.delayed_ack - 1_ns);
  h.expect_reply_at(h.now + 1_ns, {.seq = kIss + 1, .ack = kIrs + 2, .win = kOurWin - 1});
  h.expect_nothing();
}

TEST_CASE("delayed_fin_ack: a close before the timer fires sends one FIN,ACK that carries the ACK",
          "[tcp][close][delack]") {
  TcpProfile p = test_profile();
  p.delayed_fin_ack = true;
  Harness h(p);
  h.established();
  h.send({.flags = kFin | kAck, .seq = kIrs + 1, .ack = kIss + 1});
  h.expect_nothing();
  h.c().close(h.now);
  h.expect_reply({.flags = kFin | kAck, .seq = kIss + 1, .ack = kIrs + 2, .win = kOurWin - 1});
  CHECK(h.state() == TcpState::kLastAck);
  h.expect_nothing_until(h.now + p.delayed_ack + 1_ns);  // nothing left to acknowledge
}

TEST_CASE("delayed_fin_ack: a FIN in FIN-WAIT-2 is still acknowledged at once", "[tcp][close][delack]") {
  TcpProfile p = test_profile();
  p.delayed_fin_ack = true;
  Harness h(p);
  h.fin_wait_2();
  h.send({.flags = kFin | kAck, .seq = kIrs + 1, .ack = kIss + 2});
  h.expect_reply({.seq = kIss + 2, .ack = kIrs + 2, .win = kOurWin - 1});
  CHECK(h.state() == TcpState::kTimeWait);
}

}  // namespace
}  // namespace wiresim::tcp::test
