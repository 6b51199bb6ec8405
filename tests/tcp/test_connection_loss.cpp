// Loss: the retransmission timer (RFC 6298) with exact times, go-back-N
// after a timeout, fast retransmit and NewReno recovery (RFC 5681, RFC 6582),
// SACK-based recovery (RFC 6675).

#include "connection_harness.hpp"

namespace wiresim::tcp::test {
namespace {

using CE = ConnectionEvent;
constexpr std::uint32_t kSeg = 1460;

/// Data segment i (0-based) of a burst starting at kIss + 1.
Seg data_seg(std::uint32_t i, std::uint8_t flags = kAck) {
  return {.flags = flags, .seq = kIss + 1 + i * kSeg, .ack = kIrs + 1, .data = bytes(kSeg, i * kSeg)};
}

/// The peer's ACK of everything before segment i.
Seg ack_upto(std::uint32_t i) { return {.seq = kIrs + 1, .ack = kIss + 1 + i * kSeg}; }

/// Established with the peer's SYN,ACK `rtt` after our SYN.
void established_after(Harness& h, Duration rtt, bool sack = false) {
  h.c().open_active(h.now);
  h.expect_reply({.flags = kSyn, .seq = kIss, .ack = 0, .mss = 1460, .sack_perm = sack});
  h.advance(rtt);
  h.send({.flags = kSyn | kAck, .seq = kIrs, .ack = kIss + 1, .mss = 1460, .sack_perm = sack});
  h.expect_reply({.seq = kIss + 1, .ack = kIrs + 1});
  h.take_events();
}

/// Sends `n` full segments and checks they all go out at once.
void burst(Harness& h, std::uint32_t n) {
  h.app_send(bytes(n * kSeg));
  for (std::uint32_t i = 0; i < n; ++i) h.expect_reply(data_seg(i, i + 1 == n ? kAck | kPsh : std::uint8_t{kAck}));
  h.expect_nothing();
}

TEST_CASE("RTO at min_rto after a zero RTT, doubling, then the connection times out",
          "[tcp][rto]") {
  TcpProfile p = test_profile();
  p.data_retries = 3;
  Harness h(p);
  h.established();
  const Time t0 = h.now;
  h.app_send("data");
  const Seg seg{.flags = kAck | kPsh, .seq = kIss + 1, .ack = kIrs + 1, .data = "data"};
  h.expect_reply(seg);
  h.expect_reply_at(t0 + 200_ms, seg);
  h.expect_reply_at(t0 + 600_ms, seg);
  h.expect_reply_at(t0 + 1400_ms, seg);
  h.expect_nothing_until(t0 + 3000_ms - 1_ns);
  CHECK(h.state() == TcpState::kEstablished);
  h.advance(1_ns);
  CHECK(h.state() == TcpState::kClosed);
  CHECK(h.take_events() == std::vector{CE::kTimedOut, CE::kClosed});
  CHECK(h.c().counters().retransmits_timeout == 3);
  CHECK(h.c().counters().rto_expiries == 4);
}

TEST_CASE("RTO follows SRTT and RTTVAR (RFC 6298 §2) and Karn's rule", "[tcp][rto]") {
  Harness h;
  established_after(h, 100_ms);  // SRTT 100, RTTVAR 50: RTO 300 ms
  CHECK(h.c().congestion().rto == 300_ms);
  const Time t0 = h.now;
  h.app_send("a");
  h.expect_reply({.flags = kAck | kPsh, .seq = kIss + 1, .ack = kIrs + 1, .data = "a"});
  h.expect_reply_at(t0 + 300_ms, {.flags = kAck | kPsh, .seq = kIss + 1, .ack = kIrs + 1, .data = "a"});
  h.advance(50_ms);
  h.send({.seq = kIrs + 1, .ack = kIss + 2});  // ambiguous: no sample (Karn)
  CHECK(*h.c().congestion().srtt == 100_ms);
  CHECK(h.c().congestion().rto == 600_ms);  // the backoff stays until a new sample
  const Time t1 = h.now;
  h.app_send("b");
  h.expect_reply({.flags = kAck | kPsh, .seq = kIss + 2, .ack = kIrs + 1, .data = "b"});
  h.advance(50_ms);
  h.send({.seq = kIrs + 1, .ack = kIss + 3});  // R = 50 ms
  // SRTT = 7/8 * 100 + 1/8 * 50 = 93.75; RTTVAR = 3/4 * 50 + 1/4 * 50 = 50.
  CHECK(*h.c().congestion().srtt == Duration::microseconds(93'750));
  CHECK(h.c().congestion().rto == Duration::microseconds(293'750));
  (void)t1;
  const Time t2 = h.now;
  h.app_send("c");
  h.expect_reply({.flags = kAck | kPsh, .seq = kIss + 3, .ack = kIrs + 1, .data = "c"});
  h.expect_reply_at(t2 + Duration::microseconds(293'750),
                    {.flags = kAck | kPsh, .seq = kIss + 3, .ack = kIrs + 1, .data = "c"});
}

TEST_CASE("the timer restarts on each ACK of new data and stops when all is acknowledged",
          "[tcp][rto]") {
  Harness h;
  h.established();
  burst(h, 2);
  h.advance(150_ms);
  h.send(ack_upto(1));
  CHECK(h.c().next_deadline() == h.now + h.c().congestion().rto);  // RFC 6298 §5.3
  h.send(ack_upto(2));
  CHECK(h.c().next_deadline() == Time::max());  // §5.2
}

TEST_CASE("after an RTO, go-back-N from SND.UNA with a one-segment window", "[tcp][rto][cwnd]") {
  Harness h;
  h.established();
  burst(h, 4);
  const Time t0 = h.now;
  h.expect_reply_at(t0 + 200_ms, data_seg(0));  // cwnd = 1 MSS: only the first
  CHECK(h.c().congestion().cwnd == kSeg);
  CHECK(h.c().congestion().ssthresh == 2 * kSeg);  // max(FlightSize / 2, 2 SMSS)
  h.expect_nothing();
  h.advance(10_ms);
  h.send(ack_upto(1));  // slow start: cwnd 2 MSS, go on from SND.NXT
  h.expect_reply(data_seg(1));
  h.expect_reply(data_seg(2));
  h.expect_nothing();
  h.send(ack_upto(4));  // the peer had the rest: SND.NXT catches up
  h.expect_nothing();
  CHECK(h.c().counters().retransmits_timeout == 3);
  CHECK(h.c().next_deadline() == Time::max());
}

TEST_CASE("fast retransmit on the third duplicate ACK, recovery ends on the full ACK",
          "[tcp][fast]") {
  Harness h;
  h.established();
  burst(h, 10);
  h.send(ack_upto(1));
  h.send(ack_upto(1));
  h.send(ack_upto(1));
  h.expect_nothing();
  h.send(ack_upto(1));
  h.expect_reply(data_seg(1));
  CHECK(h.c().in_recovery());
  // ssthresh = FlightSize / 2 = 9 * 1460 / 2; cwnd = ssthresh + 3 SMSS (RFC 6582 §3.2).
  CHECK(h.c().congestion().ssthresh == 9 * kSeg / 2);
  CHECK(h.c().congestion().cwnd == 9 * kSeg / 2 + 3 * kSeg);
  h.send(ack_upto(1));
  CHECK(h.c().congestion().cwnd == 9 * kSeg / 2 + 4 * kSeg);  // inflated per duplicate
  h.send(ack_upto(10));
  CHECK_FALSE(h.c().in_recovery());
  CHECK(h.c().congestion().cwnd == 2 * kSeg);  // min(ssthresh, FlightSize + SMSS)
  CHECK(h.c().counters().retransmits_fast == 1);
  CHECK(h.c().counters().dup_acks_received == 4);
  CHECK(h.c().counters().fast_recoveries == 1);
  h.expect_nothing();
}

TEST_CASE("a duplicate ACK that changes the window is a window update, not a duplicate",
          "[tcp][fast]") {
  Harness h;
  h.established();
  burst(h, 4);
  h.send(ack_upto(1));
  for (std::uint16_t w = 60000; w < 60004; ++w) h.send({.seq = kIrs + 1, .ack = kIss + 1 + kSeg, .win = w});
  h.expect_nothing();
  CHECK(h.c().counters().dup_acks_received == 0);
}

TEST_CASE("NewReno: a partial ACK resends the next hole at once (RFC 6582)", "[tcp][newreno]") {
  Harness h;
  h.established();
  burst(h, 10);  // segments 1 and 4 are lost
  h.send(ack_upto(1));
  for (int i = 0; i < 3; ++i) h.send(ack_upto(1));  // for segments 2, 3, 5
  h.expect_reply(data_seg(1));
  for (int i = 0; i < 5; ++i) h.send(ack_upto(1));  // 6 .. 9 and one more
  h.expect_nothing();
  const std::uint32_t cwnd = h.c().congestion().cwnd;
  h.send(ack_upto(4));  // partial: covers the resent 1, stops at hole 4
  h.expect_reply(data_seg(4));
  CHECK(h.c().in_recovery());
  CHECK(h.c().congestion().cwnd == cwnd - 3 * kSeg + kSeg);  // deflate, add back one SMSS
  h.send(ack_upto(10));
  CHECK_FALSE(h.c().in_recovery());
  CHECK(h.c().counters().retransmits_fast == 2);
  CHECK(h.c().counters().retransmits_timeout == 0);
}

TEST_CASE("duplicate ACKs about data sent before an RTO do not trigger fast retransmit",
          "[tcp][fast][rto]") {
  Harness h;
  h.established();
  burst(h, 6);
  h.expect_reply_at(h.now + 200_ms, data_seg(0));
  for (int i = 0; i < 4; ++i) h.send({.seq = kIrs + 1, .ack = kIss + 1});  // "recover" guards
  h.expect_nothing();
  CHECK_FALSE(h.c().in_recovery());
}

TEST_CASE("SACK recovery resends what the scoreboard shows lost (RFC 6675)", "[tcp][sack]") {
  TcpProfile p = test_profile();
  p.sack = true;
  Harness h(p);
  established_after(h, Duration::zero(), true);
  REQUIRE(h.c().negotiated().sack);
  burst(h, 10);  // segments 1 and 4 are lost
  auto blocks = [](std::initializer_list<std::pair<std::uint32_t, std::uint32_t>> segs) {
    std::vector<wire::SackBlock> v;
    for (const auto& [from, to] : segs) v.push_back(sack(kIss + 1 + from * kSeg, kIss + 1 + to * kSeg));
    return v;
  };
  h.send(ack_upto(1));
  h.send({.seq = kIrs + 1, .ack = kIss + 1 + kSeg, .sacks = blocks({{2, 3}})});
  h.send({.seq = kIrs + 1, .ack = kIss + 1 + kSeg, .sacks = blocks({{2, 4}})});
  h.expect_nothing();
  h.send({.seq = kIrs + 1, .ack = kIss + 1 + kSeg, .sacks = blocks({{5, 6}, {2, 4}})});
  h.expect_reply(data_seg(1));  // third DupAck: the first hole
  CHECK(h.c().in_recovery());
  CHECK(h.c().congestion().cwnd == 9 * kSeg / 2);  // cwnd = ssthresh, no inflation
  // Segment 4 has two SACKed segments above it: not yet lost; pipe is too full.
  h.send({.seq = kIrs + 1, .ack = kIss + 1 + kSeg, .sacks = blocks({{5, 7}, {2, 4}})});
  h.expect_nothing();
  // Three above it: lost; pipe = 1 (resent 1) + 2 (8, 9) segments leaves room.
  h.send({.seq = kIrs + 1, .ack = kIss + 1 + kSeg, .sacks = blocks({{5, 8}, {2, 4}})});
  h.expect_reply(data_seg(4));
  h.expect_nothing();
  h.send(ack_upto(10));
  CHECK_FALSE(h.c().in_recovery());
  CHECK(h.c().congestion().cwnd == 9 * kSeg / 2);  // ssthresh
  CHECK(h.c().counters().retransmits_fast == 1);
  CHECK(h.c().counters().retransmits_sack == 1);
  CHECK(h.c().counters().retransmits_timeout == 0);
}

TEST_CASE("after an RTO, go-back-N skips what the peer SACKed", "[tcp][sack][rto]") {
  TcpProfile p = test_profile();
  p.sack = true;
  Harness h(p);
  established_after(h, Duration::zero(), true);
  burst(h, 4);
  h.send({.seq = kIrs + 1, .ack = kIss + 1, .sacks = {sack(kIss + 1 + kSeg, kIss + 1 + 2 * kSeg)}});
  h.expect_reply_at(h.now + 200_ms, data_seg(0));
  h.send(ack_upto(1));  // cwnd 2 MSS; segment 1 is SACKed: resend 2 and 3
  h.expect_reply(data_seg(2));
  h.expect_reply(data_seg(3, kAck | kPsh));
  h.expect_nothing();
}

}  // namespace
}  // namespace wiresim::tcp::test
