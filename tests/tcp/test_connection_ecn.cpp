// ECN in TCP (RFC 3168 §6.1): the ECN-setup handshake as each mode
// negotiates it, ECT(0) on new data only, ECE echoed until CWR, and one
// cwnd reduction per window of data on ECE.

#include "connection_harness.hpp"

namespace wiresim::tcp::test {
namespace {

using wire::IpEcn;
using wire::kCwr;
using wire::kEce;
constexpr std::uint32_t kSeg = 1460;

TcpProfile ecn_profile(EcnMode mode) {
  TcpProfile p = test_profile();
  p.ecn = mode;
  return p;
}

/// Data segment i (0-based) we send, starting at kIss + 1.
Seg data_seg(std::uint32_t i, std::uint8_t flags = kAck) {
  return {.flags = flags, .seq = kIss + 1 + i * kSeg, .ack = kIrs + 1, .data = bytes(kSeg, i * kSeg)};
}

/// The peer's ACK of everything before our segment i.
Seg ack_upto(std::uint32_t i, std::uint8_t flags = kAck) {
  return {.flags = flags, .seq = kIrs + 1, .ack = kIss + 1 + i * kSeg};
}

/// Active open from an `on` profile, the peer accepting ECN.
void established_ecn(Harness& h) {
  h.c().open_active(h.now);
  h.expect_reply({.flags = kSyn | kEce | kCwr, .seq = kIss, .ack = 0, .mss = 1460});
  h.send({.flags = kSyn | kAck | kEce, .seq = kIrs, .ack = kIss + 1, .mss = 1460});
  REQUIRE(h.c().negotiated().ecn);
  h.expect_reply({.seq = kIss + 1, .ack = kIrs + 1});
  REQUIRE(h.take_events() == std::vector{ConnectionEvent::kConnected});
}

/// Passive open (Linux's default mode) from the peer's ECN-setup SYN.
void established_passive_ecn(Harness& h) {
  h.c().open_passive(h.now);
  h.send({.flags = kSyn | kEce | kCwr, .seq = kIrs, .ack = 0, .mss = 1460});
  h.expect_reply({.flags = kSyn | kAck | kEce, .seq = kIss, .ack = kIrs + 1, .mss = 1460});
  h.send({.seq = kIrs + 1, .ack = kIss + 1});
  REQUIRE(h.c().negotiated().ecn);
  REQUIRE(h.take_events() == std::vector{ConnectionEvent::kConnected});
}

}  // namespace

TEST_CASE("ECN on: the SYN asks with ECE and CWR, a SYN-ACK with ECE alone agrees", "[tcp][ecn]") {
  Harness h(ecn_profile(EcnMode::kOn));
  established_ecn(h);
  h.app_send("data");
  CHECK(h.out.front().ecn == IpEcn::kEct0);  // new data is ECN-capable
  h.expect_reply({.flags = kAck | wire::kPsh, .seq = kIss + 1, .ack = kIrs + 1, .data = "data"});
  h.send({.seq = kIrs + 1, .ack = kIss + 5, .data = "reply"});
  h.advance(40_ms);  // the delayed ACK
  REQUIRE(!h.out.empty());
  CHECK(h.out.front().ecn == IpEcn::kNotEct);  // a pure ACK is not (RFC 3168 §6.1.4)
  h.expect_reply({.seq = kIss + 5, .ack = kIrs + 6, .win = kOurWin - 5});
}

TEST_CASE("ECN on: a SYN-ACK with ECE and CWR, or without ECE, leaves ECN off", "[tcp][ecn]") {
  for (const std::uint8_t extra : {std::uint8_t{kEce | kCwr}, std::uint8_t{0}}) {
    Harness h(ecn_profile(EcnMode::kOn));
    h.c().open_active(h.now);
    h.expect_reply({.flags = kSyn | kEce | kCwr, .seq = kIss, .ack = 0, .mss = 1460});
    h.send({.flags = static_cast<std::uint8_t>(kSyn | kAck | extra), .seq = kIrs, .ack = kIss + 1, .mss = 1460});
    CHECK_FALSE(h.c().negotiated().ecn);
    h.expect_reply({.seq = kIss + 1, .ack = kIrs + 1});
    h.app_send("x");
    CHECK(h.out.front().ecn == IpEcn::kNotEct);
  }
}

TEST_CASE("ECN on: a retransmitted SYN carries neither ECE nor CWR (RFC 3168 §6.1.1.1)", "[tcp][ecn]") {
  Harness h(ecn_profile(EcnMode::kOn));
  h.c().open_active(h.now);
  h.expect_reply({.flags = kSyn | kEce | kCwr, .seq = kIss, .ack = 0, .mss = 1460});
  h.expect_reply_at(h.now + 1000_ms, {.flags = kSyn, .seq = kIss, .ack = 0, .mss = 1460});
}

TEST_CASE("ECN passive (Linux tcp_ecn=2): never asks, accepts an ECN-setup SYN", "[tcp][ecn]") {
  Harness active(ecn_profile(EcnMode::kPassive));
  active.syn_sent();  // a plain SYN
  Harness h(ecn_profile(EcnMode::kPassive));
  established_passive_ecn(h);
}

TEST_CASE("ECN off (Windows): an ECN-setup SYN is answered without ECE", "[tcp][ecn]") {
  Harness h(ecn_profile(EcnMode::kOff));
  h.c().open_passive(h.now);
  h.send({.flags = kSyn | kEce | kCwr, .seq = kIrs, .ack = 0, .mss = 1460});
  h.expect_reply({.flags = kSyn | kAck, .seq = kIss, .ack = kIrs + 1, .mss = 1460});
  CHECK_FALSE(h.c().negotiated().ecn);
}

TEST_CASE("ECN receiver: a CE mark is echoed with ECE at once and until CWR", "[tcp][ecn]") {
  Harness h(ecn_profile(EcnMode::kPassive));
  established_passive_ecn(h);
  const auto peer = [](std::uint32_t i, std::uint8_t flags, IpEcn ecn) {
    return Seg{.flags = flags, .seq = kIrs + 1 + i * kSeg, .ack = kIss + 1, .data = bytes(kSeg, i * kSeg),
               .ip_ecn = ecn};
  };
  // CE on the first segment: acknowledged at once (no delayed ACK), with ECE.
  h.send(peer(0, kAck, IpEcn::kCe));
  h.expect_reply({.flags = kAck | kEce, .seq = kIss + 1, .ack = kIrs + 1 + kSeg, .win = kOurWin - kSeg});
  CHECK(h.c().counters().ce_received == 1);
  // Unmarked segments: every ACK still carries ECE.
  h.send(peer(1, kAck, IpEcn::kEct0));
  h.send(peer(2, kAck, IpEcn::kEct0));
  h.expect_reply({.flags = kAck | kEce, .seq = kIss + 1, .ack = kIrs + 1 + 3 * kSeg, .win = kOurWin - 3 * kSeg});
  // CWR ends the echo.
  h.send(peer(3, kAck | kCwr, IpEcn::kEct0));
  h.send(peer(4, kAck, IpEcn::kEct0));
  h.expect_reply({.seq = kIss + 1, .ack = kIrs + 1 + 5 * kSeg, .win = kOurWin - 5 * kSeg});
  CHECK(h.c().ecn().demand_cwr == false);
}

TEST_CASE("ECN sender: ECE reduces cwnd once per window and the next new data carries CWR", "[tcp][ecn]") {
  Harness h(ecn_profile(EcnMode::kOn));
  established_ecn(h);
  h.app_send(bytes(20 * kSeg));
  for (std::uint32_t i = 0; i < 10; ++i) {  // IW10
    CHECK(h.out.front().ecn == IpEcn::kEct0);
    h.expect_reply(data_seg(i));
  }
  h.expect_nothing();
  REQUIRE(h.c().congestion().cwnd == 10 * kSeg);
  // ECE acknowledging two segments: slow start adds 2 SMSS, then the
  // reduction: ssthresh = FlightSize / 2 = 8 * 1460 / 2, cwnd = ssthresh.
  h.send(ack_upto(2, kAck | kEce));
  CHECK(h.c().congestion().ssthresh == 4 * kSeg);
  CHECK(h.c().congestion().cwnd == 4 * kSeg);
  CHECK(h.c().counters().ecn_reductions == 1);
  CHECK(h.c().counters().fast_recoveries == 0);  // not a loss: nothing resent
  h.expect_nothing();                            // 8 segments in flight > cwnd
  // More ECE in the same window of data: no second reduction.
  h.send(ack_upto(5, kAck | kEce));
  CHECK(h.c().counters().ecn_reductions == 1);
  CHECK(h.c().congestion().ssthresh == 4 * kSeg);
  // Room for new data once the flight is below cwnd: the first carries CWR.
  h.send(ack_upto(8));
  REQUIRE(!h.out.empty());
  CHECK(h.out.front().ecn == IpEcn::kEct0);
  h.expect_reply(data_seg(10, kAck | kCwr));
  while (!h.out.empty()) {
    CHECK((h.out.front().header.flags & kCwr) == 0);  // CWR once
    h.out.pop_front();
  }
  // ECE after the reduced window was acknowledged: a new reduction.
  h.send(ack_upto(11, kAck | kEce));
  CHECK(h.c().counters().ecn_reductions == 2);
}

TEST_CASE("ECN sender: retransmissions are not ECN-capable (RFC 3168 §6.1.5)", "[tcp][ecn]") {
  Harness h(ecn_profile(EcnMode::kOn));
  established_ecn(h);
  h.app_send("data");
  CHECK(h.out.front().ecn == IpEcn::kEct0);
  h.expect_reply({.flags = kAck | wire::kPsh, .seq = kIss + 1, .ack = kIrs + 1, .data = "data"});
  h.run_until(h.now + 1000_ms);  // the RTO (initial 1 s: no RTT sample yet)
  REQUIRE(!h.out.empty());
  CHECK(h.out.front().ecn == IpEcn::kNotEct);
  h.expect_reply({.flags = kAck | wire::kPsh, .seq = kIss + 1, .ack = kIrs + 1, .data = "data"});
}

}  // namespace wiresim::tcp::test
