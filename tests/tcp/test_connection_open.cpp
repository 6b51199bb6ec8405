// Opening a connection: the arrows of RFC 9293 Figure 5 from CLOSED, LISTEN,
// SYN-SENT and SYN-RECEIVED, and SYN retransmission.

#include "connection_harness.hpp"

namespace wiresim::tcp::test {
namespace {

using CE = ConnectionEvent;

TEST_CASE("CLOSED -> SYN-SENT: active open sends a SYN", "[tcp][open]") {
  Harness h;
  h.syn_sent();
  h.expect_nothing();
  CHECK(h.c().tcb().snd_nxt == wire::SeqNum{kIss + 1});
}

TEST_CASE("CLOSED -> LISTEN: passive open sends nothing", "[tcp][open]") {
  Harness h;
  h.listen();
  CHECK(h.c().next_deadline() == Time::max());
}

TEST_CASE("SYN-SENT -> ESTABLISHED on SYN,ACK", "[tcp][open]") {
  Harness h;
  h.established();
  CHECK(h.c().tcb().snd_una == wire::SeqNum{kIss + 1});
  CHECK(h.c().tcb().irs == wire::SeqNum{kIrs});
  CHECK(h.c().tcb().rcv_nxt == wire::SeqNum{kIrs + 1});
  CHECK(h.c().tcb().snd_wnd == kPeerWin);
  CHECK(h.c().next_deadline() == Time::max());  // nothing outstanding, no timer
}

TEST_CASE("LISTEN -> SYN-RECEIVED on SYN, SYN-RECEIVED -> ESTABLISHED on its ACK", "[tcp][open]") {
  Harness h;
  h.established_passive();
  CHECK(h.c().passive_open());
  CHECK(h.c().tcb().snd_una == wire::SeqNum{kIss + 1});
}

TEST_CASE("SYN-SENT -> SYN-RECEIVED -> ESTABLISHED: simultaneous open", "[tcp][open]") {
  Harness h;
  h.syn_sent();
  h.send({.flags = kSyn, .seq = kIrs, .ack = 0, .mss = 1460});
  h.expect_reply({.flags = kSyn | kAck, .seq = kIss, .ack = kIrs + 1, .mss = 1460});
  CHECK(h.state() == TcpState::kSynReceived);
  CHECK(h.take_events().empty());
  // RFC 9293 Figure 8, line 6: the peer's SYN,ACK crosses ours and
  // acknowledges our SYN.
  h.send({.flags = kSyn | kAck, .seq = kIrs, .ack = kIss + 1, .win = 3000, .mss = 1460});
  CHECK(h.state() == TcpState::kEstablished);
  CHECK(h.take_events() == std::vector{CE::kConnected});
  CHECK(h.c().tcb().snd_una == wire::SeqNum{kIss + 1});
  CHECK(h.c().tcb().snd_wnd == 3000);
  h.expect_nothing();
  h.app_send("x");
  h.expect_reply({.flags = kAck | kPsh, .seq = kIss + 1, .ack = kIrs + 1, .data = "x"});
}

TEST_CASE("SYN-RECEIVED -> ESTABLISHED in a simultaneous open completed by a plain ACK",
          "[tcp][open]") {
  Harness h;
  h.syn_sent();
  h.send({.flags = kSyn, .seq = kIrs, .ack = 0, .mss = 1460});
  h.expect_reply({.flags = kSyn | kAck, .seq = kIss, .ack = kIrs + 1, .mss = 1460});
  h.send({.seq = kIrs + 1, .ack = kIss + 1});
  CHECK(h.state() == TcpState::kEstablished);
  CHECK(h.take_events() == std::vector{CE::kConnected});
  h.expect_nothing();
}

TEST_CASE("SYN-RECEIVED -> LISTEN on RST for a passive open", "[tcp][open][rst]") {
  Harness h;
  h.syn_received();
  h.send({.flags = kRst, .seq = kIrs + 1, .ack = 0});
  CHECK(h.state() == TcpState::kListen);
  CHECK(h.take_events() == std::vector{CE::kClosed});
  CHECK(h.c().error() == ConnectionError::kNone);
  h.expect_nothing();
  CHECK(h.c().next_deadline() == Time::max());
}

TEST_CASE("SYN-RECEIVED -> CLOSED on RST for an active (simultaneous) open", "[tcp][open][rst]") {
  Harness h;
  h.syn_sent();
  h.send({.flags = kSyn, .seq = kIrs, .ack = 0, .mss = 1460});
  h.expect_reply({.flags = kSyn | kAck, .seq = kIss, .ack = kIrs + 1, .mss = 1460});
  h.send({.flags = kRst, .seq = kIrs + 1, .ack = 0});
  CHECK(h.state() == TcpState::kClosed);
  CHECK(h.take_events() == std::vector{CE::kRefused, CE::kClosed});
}

TEST_CASE("SYN-SENT -> CLOSED on RST,ACK: connection refused", "[tcp][open][rst]") {
  Harness h;
  h.syn_sent();
  h.send({.flags = kRst | kAck, .seq = 0, .ack = kIss + 1, .win = 0});
  CHECK(h.state() == TcpState::kClosed);
  CHECK(h.c().error() == ConnectionError::kRefused);
  CHECK(h.take_events() == std::vector{CE::kRefused, CE::kClosed});
  h.expect_nothing();
}

TEST_CASE("SYN-SENT ignores an RST without an acceptable ACK", "[tcp][open][rst]") {
  Harness h;
  h.syn_sent();
  h.send({.flags = kRst, .seq = 0, .ack = 0, .win = 0});
  CHECK(h.state() == TcpState::kSynSent);
  h.send({.flags = kRst | kAck, .seq = 0, .ack = kIss + 7, .win = 0});
  CHECK(h.state() == TcpState::kSynSent);
  h.expect_nothing();
}

TEST_CASE("SYN-SENT answers a bad ACK with <SEQ=SEG.ACK><CTL=RST>", "[tcp][open][rst]") {
  Harness h;
  h.syn_sent();
  h.send({.flags = kSyn | kAck, .seq = kIrs, .ack = kIss + 77, .mss = 1460});
  h.expect_reply({.flags = kRst, .seq = kIss + 77, .ack = 0, .win = 0});
  CHECK(h.state() == TcpState::kSynSent);
}

TEST_CASE("SYN-SENT -> CLOSED on close", "[tcp][open][close]") {
  Harness h;
  h.syn_sent();
  h.c().shutdown_write(h.now);
  CHECK(h.state() == TcpState::kClosed);
  CHECK(h.take_events() == std::vector{CE::kClosed});
  h.expect_nothing_until(Time::from_ns(0) + 100_s);
}

TEST_CASE("LISTEN -> CLOSED on close", "[tcp][open][close]") {
  Harness h;
  h.listen();
  h.c().close(h.now);
  CHECK(h.state() == TcpState::kClosed);
  h.expect_nothing();
}

TEST_CASE("LISTEN answers an ACK with an RST and ignores an RST", "[tcp][open][rst]") {
  Harness h;
  h.listen();
  h.send({.seq = kIrs, .ack = 4242});
  h.expect_reply({.flags = kRst, .seq = 4242, .ack = 0, .win = 0});
  h.send({.flags = kRst, .seq = kIrs, .ack = 0});
  h.expect_nothing();
  CHECK(h.state() == TcpState::kListen);
}

TEST_CASE("SYN-RECEIVED answers an unacceptable ACK with an RST", "[tcp][open][rst]") {
  Harness h;
  h.syn_received();
  h.send({.seq = kIrs + 1, .ack = kIss + 5});
  h.expect_reply({.flags = kRst, .seq = kIss + 5, .ack = 0, .win = 0});
  CHECK(h.state() == TcpState::kSynReceived);
}

TEST_CASE("SYN-RECEIVED resends the SYN,ACK when the SYN is retransmitted", "[tcp][open][rto]") {
  Harness h;
  h.syn_received();
  h.advance(300_ms);
  h.send({.flags = kSyn, .seq = kIrs, .ack = 0, .mss = 1460});
  h.expect_reply({.flags = kSyn | kAck, .seq = kIss, .ack = kIrs + 1, .mss = 1460});
  CHECK(h.state() == TcpState::kSynReceived);
}

TEST_CASE("SYN is retransmitted at 1, 3, 7, 15, 31, 63 s and the connect times out at 127 s",
          "[tcp][open][rto]") {
  Harness h;
  h.syn_sent();
  const Seg syn{.flags = kSyn, .seq = kIss, .ack = 0, .mss = 1460};
  for (const std::int64_t at : {1, 3, 7, 15, 31, 63}) {
    h.expect_reply_at(Time::from_ns(0) + Duration::seconds(at), syn);
  }
  h.expect_nothing_until(Time::from_ns(0) + 127_s);
  CHECK(h.state() == TcpState::kClosed);
  CHECK(h.c().error() == ConnectionError::kTimedOut);
  CHECK(h.take_events() == std::vector{CE::kTimedOut, CE::kClosed});
  CHECK(h.c().counters().retransmits_timeout == 6);
  CHECK(h.c().counters().rto_expiries == 7);
}

TEST_CASE("SYN,ACK after a retransmitted SYN gives no RTT sample (Karn)", "[tcp][open][rto]") {
  Harness h;
  h.syn_sent();
  h.expect_reply_at(Time::from_ns(0) + 1_s, {.flags = kSyn, .seq = kIss, .ack = 0, .mss = 1460});
  h.advance(100_ms);
  h.send({.flags = kSyn | kAck, .seq = kIrs, .ack = kIss + 1, .mss = 1460});
  h.expect_reply({.seq = kIss + 1, .ack = kIrs + 1});
  CHECK_FALSE(h.c().congestion().srtt.has_value());
}

TEST_CASE("SYN,ACK gives the first RTT sample (RFC 6298 §2.2)", "[tcp][open][rto]") {
  Harness h;
  h.syn_sent();
  h.advance(100_ms);
  h.send({.flags = kSyn | kAck, .seq = kIrs, .ack = kIss + 1, .mss = 1460});
  h.expect_reply({.seq = kIss + 1, .ack = kIrs + 1});
  REQUIRE(h.c().congestion().srtt.has_value());
  CHECK(*h.c().congestion().srtt == 100_ms);
  CHECK(h.c().congestion().rto == 300_ms);  // SRTT + 4 * RTTVAR = 100 + 4 * 50
}

TEST_CASE("data sent with the SYN,ACK is delivered", "[tcp][open][data]") {
  Harness h;
  h.syn_sent();
  h.send({.flags = kSyn | kAck, .seq = kIrs, .ack = kIss + 1, .data = "hello", .mss = 1460});
  h.expect_reply({.seq = kIss + 1, .ack = kIrs + 6, .win = kOurWin - 5});
  CHECK(h.take_events() == std::vector{CE::kConnected, CE::kReadable});
  CHECK(h.app_read() == "hello");
}

TEST_CASE("data queued in SYN-SENT goes out with the handshake's ACK", "[tcp][open][data]") {
  Harness h;
  h.syn_sent();
  h.app_send("early");
  h.expect_nothing();
  h.send({.flags = kSyn | kAck, .seq = kIrs, .ack = kIss + 1, .mss = 1460});
  h.expect_reply({.flags = kAck | kPsh, .seq = kIss + 1, .ack = kIrs + 1, .data = "early"});
  h.expect_nothing();
}

}  // namespace
}  // namespace wiresim::tcp::test
