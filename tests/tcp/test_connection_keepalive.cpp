// Keep-alive (RFC 9293 §3.8.4, RFC 1122 §4.2.3.6): off unless the
// application asks; probes one below SND.NXT after an idle time, answered
// by the peer's ACK; an RST and a timeout after the last unanswered probe.

#include "connection_harness.hpp"

namespace wiresim::tcp::test {
namespace {

using CE = ConnectionEvent;

/// <SEQ=SND.NXT-1><ACK=RCV.NXT><CTL=ACK>, no data (Linux's probe).
const Seg kProbe{.seq = kIss, .ack = kIrs + 1};
/// The peer's answer: an ACK at its SND.NXT.
const Seg kAnswer{.seq = kIrs + 1, .ack = kIss + 1};

TEST_CASE("keep-alive is off by default: an idle connection stays silent", "[tcp][keepalive]") {
  Harness h;
  h.established();
  CHECK(h.c().next_deadline() == Time::max());
  h.expect_nothing_until(h.now + 3600_s);
  CHECK(h.state() == TcpState::kEstablished);
}

TEST_CASE("keep-alive probes after the idle time, and each answer restarts it", "[tcp][keepalive]") {
  Harness h;
  h.established();
  const Time t0 = h.now;
  h.c().set_keepalive(t0, KeepAlive{45_s, 45_s, 9});
  h.expect_nothing_until(t0 + 45_s - 1_ns);
  h.expect_reply_at(t0 + 45_s, kProbe);
  h.send(kAnswer);
  h.expect_nothing_until(t0 + 90_s - 1_ns);  // 45 s after the answer
  h.expect_reply_at(t0 + 90_s, kProbe);
  h.send(kAnswer);
  CHECK(h.c().counters().keepalive_probes == 2);
  CHECK(h.state() == TcpState::kEstablished);
  CHECK(h.take_events().empty());
}

TEST_CASE("keep-alive idle time counts from the last segment heard", "[tcp][keepalive]") {
  Harness h;
  h.established();
  const Time t0 = h.now;
  h.c().set_keepalive(t0, KeepAlive{10_s, 1_s, 3});
  h.advance(5_s);
  h.send({.flags = kAck | kPsh, .seq = kIrs + 1, .ack = kIss + 1, .data = "x"});
  h.expect_reply_at(t0 + 5_s + 40_ms, {.seq = kIss + 1, .ack = kIrs + 2, .win = kOurWin - 1});  // delayed ACK
  h.expect_nothing_until(t0 + 15_s - 1_ns);
  h.expect_reply_at(t0 + 15_s, {.seq = kIss, .ack = kIrs + 2, .win = kOurWin - 1});
}

TEST_CASE("no keep-alive probe while data is in flight: the retransmission timer watches", "[tcp][keepalive]") {
  Harness h;
  h.established();  // RTO 200 ms
  const Time t0 = h.now;
  h.c().set_keepalive(t0, KeepAlive{1_s, 1_s, 1});
  h.app_send("data");
  const Seg seg{.flags = kAck | kPsh, .seq = kIss + 1, .ack = kIrs + 1, .data = "data"};
  h.expect_reply(seg);
  h.expect_reply_at(t0 + 200_ms, seg);
  h.expect_reply_at(t0 + 600_ms, seg);
  h.expect_reply_at(t0 + 1400_ms, seg);  // past the 1 s idle time: a retransmission, not a probe
  h.send({.seq = kIrs + 1, .ack = kIss + 5});
  // Nothing in flight from here: the first probe one idle time after the ACK.
  h.expect_reply_at(t0 + 2400_ms, {.seq = kIss + 4, .ack = kIrs + 1});
  CHECK(h.c().counters().keepalive_probes == 1);
}

TEST_CASE("unanswered keep-alive probes end in an RST and a timeout", "[tcp][keepalive]") {
  Harness h;
  h.established();
  const Time t0 = h.now;
  h.c().set_keepalive(t0, KeepAlive{10_s, 1_s, 3});
  h.expect_reply_at(t0 + 10_s, kProbe);
  h.expect_reply_at(t0 + 11_s, kProbe);
  h.expect_reply_at(t0 + 12_s, kProbe);
  h.expect_reply_at(t0 + 13_s, {.flags = kRst | kAck, .seq = kIss + 1, .ack = kIrs + 1, .win = 0});
  CHECK(h.state() == TcpState::kClosed);
  CHECK(h.take_events() == std::vector{CE::kTimedOut, CE::kClosed});
  CHECK(h.c().error() == ConnectionError::kKeepAliveTimedOut);
  CHECK(h.c().counters().keepalive_probes == 3);
}

TEST_CASE("switching keep-alive off stops the probes", "[tcp][keepalive]") {
  Harness h;
  h.established();
  const Time t0 = h.now;
  h.c().set_keepalive(t0, KeepAlive{10_s, 1_s, 3});
  h.expect_reply_at(t0 + 10_s, kProbe);
  h.c().set_keepalive(h.now, std::nullopt);
  h.expect_nothing_until(t0 + 3600_s);
  CHECK(h.state() == TcpState::kEstablished);
}

TEST_CASE("a keep-alive probe from the peer is answered with an ACK at once", "[tcp][keepalive]") {
  Harness h;
  h.established();
  h.send({.seq = kIrs, .ack = kIss + 1});  // one below RCV.NXT: not acceptable
  h.expect_reply({.seq = kIss + 1, .ack = kIrs + 1});
  CHECK(h.state() == TcpState::kEstablished);
}

}  // namespace
}  // namespace wiresim::tcp::test
