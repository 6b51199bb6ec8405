// Loss detection and recovery as Linux does it: RACK's reordering window
// and time-based loss marking (RFC 8985 §6), the tail loss probe (§7),
// F-RTO after a spurious timeout (RFC 5682 §3) and the DSACK undo of a
// spurious fast recovery (RFC 3708, Linux tcp_try_undo_dsack).

#include "connection_harness.hpp"

namespace wiresim::tcp::test {
namespace {

constexpr std::uint32_t kSeg = 1460;

/// test_profile() with SACK and RACK-TLP (Linux's defaults for loss detection).
TcpProfile rack_profile() {
  TcpProfile p = test_profile();
  p.sack = true;
  p.loss_detection = LossDetection::kRackTlp;
  p.undo = true;
  return p;
}

/// Data segment i (0-based) of the stream starting at kIss + 1.
Seg data_seg(std::uint32_t i, std::uint8_t flags = kAck) {
  return {.flags = flags, .seq = kIss + 1 + i * kSeg, .ack = kIrs + 1, .data = bytes(kSeg, i * kSeg)};
}

/// The start of segment i.
std::uint32_t at(std::uint32_t i) { return kIss + 1 + i * kSeg; }

/// The peer's ACK of everything before segment i, SACKing segments [from, to) if given.
Seg ack_upto(std::uint32_t i, std::vector<std::pair<std::uint32_t, std::uint32_t>> sacked = {}) {
  Seg s{.seq = kIrs + 1, .ack = at(i)};
  for (const auto& [from, to] : sacked) s.sacks.push_back(sack(at(from), at(to)));
  return s;
}

/// Established with SACK and the peer's SYN,ACK `rtt` after our SYN: SRTT = rtt.
void established_after(Harness& h, Duration rtt) {
  h.c().open_active(h.now);
  h.expect_reply({.flags = kSyn, .seq = kIss, .ack = 0, .mss = 1460, .sack_perm = true});
  h.advance(rtt);
  h.send({.flags = kSyn | kAck, .seq = kIrs, .ack = kIss + 1, .mss = 1460, .sack_perm = true});
  h.expect_reply({.seq = kIss + 1, .ack = kIrs + 1});
  REQUIRE(h.c().negotiated().sack);
  h.take_events();
}

/// The app writes segments [first, first + n); all leave at once, PSH on the last.
void send_segments(Harness& h, std::uint32_t first, std::uint32_t n) {
  h.app_send(bytes(n * kSeg, first * kSeg));
  for (std::uint32_t i = first; i < first + n; ++i) {
    h.expect_reply(data_seg(i, i + 1 == first + n ? kAck | kPsh : std::uint8_t{kAck}));
  }
  h.expect_nothing();
}

/// Established at a 100 ms RTT, then one round trip of two segments so
/// that RACK has its min_rtt (100 ms). SRTT 100 ms, RTO 250 ms after it.
void warmed_up(Harness& h) {
  established_after(h, 100_ms);
  send_segments(h, 0, 2);
  h.advance(100_ms);
  h.send(ack_upto(2));
  h.expect_nothing();
  REQUIRE(h.c().rack().min_rtt() == 100_ms);
  REQUIRE(h.c().congestion().rto == 250_ms);
}

TEST_CASE("RACK: a segment reordered within min_rtt/4 is not resent", "[tcp][rack]") {
  Harness h(rack_profile());
  warmed_up(h);
  const Time t1 = h.now;
  send_segments(h, 2, 4);
  h.advance(100_ms);
  h.send(ack_upto(2, {{3, 4}}));  // segment 3 arrived, 2 not (yet): wait reo_wnd = 25 ms
  h.expect_nothing();
  CHECK_FALSE(h.c().in_recovery());
  CHECK_FALSE(h.c().rack().reordering_seen());
  h.advance(20_ms);
  h.send(ack_upto(4));  // segment 2 was only late
  CHECK(h.c().rack().reordering_seen());  // reo_wnd is never 0 again
  h.expect_nothing_until(t1 + 200_ms);
  CHECK_FALSE(h.c().in_recovery());
  CHECK(h.c().counters().fast_recoveries == 0);
  CHECK(h.c().counters().retransmits_fast + h.c().counters().retransmits_sack == 0);
}

TEST_CASE("RACK: a segment missing past RACK.rtt + min_rtt/4 is resent then, by the reorder timer",
          "[tcp][rack]") {
  Harness h(rack_profile());
  warmed_up(h);
  const Time t1 = h.now;
  send_segments(h, 2, 4);
  h.advance(100_ms);
  h.send(ack_upto(2, {{3, 4}}));
  // Sent at t1, RACK.rtt 100 ms, reo_wnd 25 ms, plus Linux's 2 ms timer slack.
  h.expect_nothing_until(t1 + 127_ms - 1_ns);
  h.expect_reply_at(t1 + 127_ms, data_seg(2));
  CHECK(h.c().in_recovery());
  CHECK(h.c().counters().retransmits_fast == 1);
  h.expect_nothing();
  h.advance(100_ms);
  h.send(ack_upto(6));
  CHECK_FALSE(h.c().in_recovery());
  CHECK(h.c().counters().rto_expiries == 0);
}

TEST_CASE("RACK: with DupThresh segments SACKed the window is 0: resent on that ACK", "[tcp][rack]") {
  Harness h(rack_profile());
  warmed_up(h);
  send_segments(h, 2, 5);
  h.advance(100_ms);
  h.send(ack_upto(2, {{3, 4}}));
  h.send(ack_upto(2, {{3, 5}}));
  h.expect_nothing();
  h.send(ack_upto(2, {{3, 6}}));  // three SACKed: RACK marks segment 2 lost now
  h.expect_reply(data_seg(2));
  CHECK(h.c().in_recovery());
  h.expect_nothing();
}

TEST_CASE("TLP: 2 SRTT + 2 ms after the last ACK the last segment is probed, then RACK repairs the rest",
          "[tcp][tlp]") {
  Harness h(rack_profile());
  warmed_up(h);
  const Time t1 = h.now;
  send_segments(h, 2, 4);
  h.advance(100_ms);
  h.send(ack_upto(4));  // segments 4 and 5 are lost; SRTT 100 ms, RTO 212.5 ms
  REQUIRE(h.c().congestion().rto == Duration::microseconds(212'500));
  h.expect_nothing_until(t1 + 302_ms - 1_ns);
  h.expect_reply_at(t1 + 302_ms, data_seg(5, kAck | kPsh));  // PTO = 2 SRTT + 2 ms: the last segment
  CHECK(h.c().counters().loss_probes == 1);
  CHECK(h.c().counters().retransmits_tlp == 1);
  CHECK(h.c().counters().rto_expiries == 0);
  CHECK_FALSE(h.c().in_recovery());
  h.advance(100_ms);
  h.send(ack_upto(4, {{5, 6}}));  // the probe arrived: RACK marks segment 4 lost
  h.expect_reply(data_seg(4));
  CHECK(h.c().in_recovery());
  h.advance(100_ms);
  h.send(ack_upto(6));
  CHECK_FALSE(h.c().in_recovery());
  CHECK(h.c().counters().rto_expiries == 0);
  CHECK(h.c().next_deadline() == Time::max());
}

TEST_CASE("TLP: with one segment in flight the probe waits min(2 SRTT + min RTO, RTO) and keeps cwnd",
          "[tcp][tlp]") {
  Harness h(rack_profile());
  warmed_up(h);
  const Time t1 = h.now;
  send_segments(h, 2, 3);
  h.advance(100_ms);
  h.send(ack_upto(4));  // the last segment is lost
  const std::uint32_t cwnd = h.c().congestion().cwnd;
  // 2 SRTT + 200 ms = 400 ms is later than the RTO (212.5 ms): the probe goes then.
  h.expect_nothing_until(t1 + Duration::microseconds(312'500) - 1_ns);
  h.expect_reply_at(t1 + Duration::microseconds(312'500), data_seg(4, kAck | kPsh));
  CHECK(h.c().counters().retransmits_tlp == 1);
  CHECK(h.c().counters().rto_expiries == 0);
  h.advance(100_ms);
  h.send(ack_upto(5));  // the probe repaired it: no timeout, no collapse
  CHECK(h.c().congestion().cwnd == cwnd);
  CHECK(h.c().counters().rto_expiries == 0);
  CHECK(h.c().next_deadline() == Time::max());
  // No D-SACK came: the original was lost. Once an ACK goes beyond the
  // probe, cwnd is reduced once (RFC 8985 §7.4.2; Linux CWR): NewReno halves it.
  send_segments(h, 5, 2);
  h.advance(100_ms);
  h.send(ack_upto(7));
  CHECK(h.c().congestion().ssthresh == cwnd / 2);
  CHECK(h.c().congestion().cwnd == cwnd / 2);
  CHECK(h.c().counters().fast_recoveries == 0);
}

TEST_CASE("TLP: new data the congestion window holds back is the probe", "[tcp][tlp]") {
  Harness h(rack_profile());
  established_after(h, 100_ms);  // SRTT 100 ms, RTO 300 ms
  const Time t0 = h.now;
  h.app_send(bytes(12 * kSeg));  // IW 10: two segments wait
  for (std::uint32_t i = 0; i < 10; ++i) h.expect_reply(data_seg(i));
  h.expect_nothing_until(t0 + 202_ms - 1_ns);
  h.expect_reply_at(t0 + 202_ms, data_seg(10));
  CHECK(h.c().counters().loss_probes == 1);
  CHECK(h.c().counters().retransmits_tlp == 0);
}

TEST_CASE("F-RTO: after a spurious timeout new data goes out, and the ACK of data not sent again undoes it",
          "[tcp][frto]") {
  TcpProfile p = rack_profile();
  p.loss_detection = LossDetection::kDupAck;  // no probe before the RTO
  p.frto = true;
  p.undo = false;                             // F-RTO decides alone
  Harness h(p);
  established_after(h, 100_ms);  // RTO 300 ms
  const Time t0 = h.now;
  send_segments(h, 0, 4);
  const std::uint32_t cwnd = h.c().congestion().cwnd;
  h.expect_reply_at(t0 + 300_ms, data_seg(0));  // RTO: the first segment again, cwnd 1 SMSS
  CHECK(h.c().in_loss());
  CHECK(h.c().congestion().cwnd == kSeg);
  h.app_send(bytes(2 * kSeg, 4 * kSeg));
  h.expect_nothing();
  h.advance(20_ms);
  h.send(ack_upto(1));  // the ACK of the original (step 2b): two new segments, not segment 1
  h.expect_reply(data_seg(4));
  h.expect_reply(data_seg(5, kAck | kPsh));
  h.expect_nothing();
  CHECK(h.c().in_loss());
  h.send(ack_upto(2));  // segment 1 was never resent: the timeout was spurious (step 3b)
  CHECK_FALSE(h.c().in_loss());
  CHECK(h.c().counters().undos == 1);
  CHECK(h.c().congestion().cwnd == cwnd);
  CHECK(h.c().congestion().ssthresh == 0xffffffffu);
  h.expect_nothing();
  CHECK(h.c().counters().retransmits_timeout == 1);
}

TEST_CASE("F-RTO: a duplicate ACK after the new data means the loss was real: go back N", "[tcp][frto]") {
  TcpProfile p = rack_profile();
  p.loss_detection = LossDetection::kDupAck;
  p.sack = false;
  p.frto = true;  // RFC 5682 §2, the basic algorithm without SACK
  Harness h(p);
  h.established();
  const Time t0 = h.now;
  h.app_send(bytes(4 * kSeg));
  for (std::uint32_t i = 0; i < 4; ++i) h.expect_reply(data_seg(i, i == 3 ? kAck | kPsh : std::uint8_t{kAck}));
  h.expect_reply_at(t0 + 200_ms, data_seg(0));
  h.app_send(bytes(2 * kSeg, 4 * kSeg));
  h.send(ack_upto(1));
  h.expect_reply(data_seg(4));
  h.expect_reply(data_seg(5, kAck | kPsh));
  h.send(ack_upto(1));  // step 3a: segment 1 is really lost
  h.expect_reply(data_seg(1));
  CHECK(h.c().in_loss());
  CHECK(h.c().counters().undos == 0);
}

TEST_CASE("DSACK: a fast recovery whose only resend is reported duplicate is undone (RFC 3708)",
          "[tcp][rack][dsack]") {
  Harness h(rack_profile());
  warmed_up(h);
  send_segments(h, 2, 8);
  h.advance(100_ms);
  // Segment 3 missing, three SACKed: resent. The ACK first took slow start
  // from 10 to 11 segments (segment 2 acknowledged): that cwnd is remembered.
  h.send(ack_upto(3, {{4, 7}}));
  h.expect_reply(data_seg(3));
  REQUIRE(h.c().in_recovery());
  const std::uint32_t cwnd = 11 * kSeg;
  CHECK(h.c().congestion().cwnd < cwnd);
  h.send(ack_upto(10));  // the original was only delayed
  CHECK_FALSE(h.c().in_recovery());
  CHECK(h.c().counters().undos == 0);
  CHECK(h.c().rack().reo_wnd_steps() == 1);
  h.send({.seq = kIrs + 1, .ack = at(10), .sacks = {sack(at(3), at(4))}});  // D-SACK of the resend
  CHECK(h.c().counters().undos == 1);
  CHECK(h.c().congestion().cwnd == cwnd);
  CHECK(h.c().rack().reo_wnd_steps() == 2);  // RFC 8985 §6.2 step 4: the window widens
}

TEST_CASE("DSACK: the receiver reports a duplicate segment in the first SACK block (RFC 2883 §4.1)",
          "[tcp][dsack]") {
  TcpProfile p = rack_profile();
  Harness h(p);
  h.c().open_passive(h.now);
  h.send({.flags = kSyn, .seq = kIrs, .ack = 0, .mss = 1460, .sack_perm = true});
  h.expect_reply({.flags = kSyn | kAck, .seq = kIss, .ack = kIrs + 1, .mss = 1460, .sack_perm = true});
  h.send({.seq = kIrs + 1, .ack = kIss + 1});
  h.take_events();
  h.send({.flags = kAck | kPsh, .seq = kIrs + 1, .ack = kIss + 1, .data = "hello"});
  h.advance(40_ms);
  h.expect_reply({.seq = kIss + 1, .ack = kIrs + 6, .win = kOurWin - 5});  // delayed ACK
  h.send({.flags = kAck | kPsh, .seq = kIrs + 1, .ack = kIss + 1, .data = "hello"});  // again
  h.expect_reply({.seq = kIss + 1, .ack = kIrs + 6, .win = kOurWin - 5, .sacks = {sack(kIrs + 1, kIrs + 6)}});
  h.send({.flags = kAck | kPsh, .seq = kIrs + 6, .ack = kIss + 1, .data = "x"});
  h.advance(40_ms);
  h.expect_reply({.seq = kIss + 1, .ack = kIrs + 7, .win = kOurWin - 6});  // once only
}

}  // namespace
}  // namespace wiresim::tcp::test

namespace wiresim::tcp::test {
namespace {

TEST_CASE("Eifel: an ACK echoing a timestamp older than the resend undoes the timeout (RFC 3522, RFC 4015)",
          "[tcp][undo][timestamps]") {
  TcpProfile p = rack_profile();
  p.timestamps = true;
  p.loss_detection = LossDetection::kDupAck;
  p.frto = false;  // the timestamps alone decide
  for (const bool original_echoed : {true, false}) {
    Harness h(p);
    h.advance(1000_ms);  // TSval counts milliseconds: 1000 now
    h.c().open_active(h.now);
    h.advance(100_ms);
    h.send({.flags = kSyn | kAck, .seq = kIrs, .ack = kIss + 1, .mss = 1460, .sack_perm = true,
            .ts = wire::TcpTimestamps{7, 1000}});
    REQUIRE(h.c().negotiated().timestamps);
    h.out.clear();
    constexpr std::uint32_t kTsSeg = 1448;  // 1460 less the timestamp option
    h.app_send(bytes(4 * kTsSeg));  // TSval 1100; SRTT 100 ms, RTO 300 ms
    REQUIRE(h.out.size() == 4);
    const std::uint32_t cwnd = h.c().congestion().cwnd;
    h.out.clear();
    h.run_until(h.now + 300_ms);  // RTO: segment 0 again, TSval 1400
    REQUIRE(h.out.size() == 1);
    CHECK(h.out.front().header.seq == wire::SeqNum{at(0)});
    CHECK(h.out.front().header.timestamps->tsval == 1400);
    REQUIRE(h.c().in_loss());
    h.out.clear();
    h.advance(10_ms);
    const std::uint32_t echoed = original_echoed ? 1100 : 1400;
    h.send({.seq = kIrs + 1, .ack = kIss + 1 + kTsSeg, .ts = wire::TcpTimestamps{8, echoed}});
    if (original_echoed) {  // the original arrived: the timeout was spurious
      CHECK_FALSE(h.c().in_loss());
      CHECK(h.c().counters().undos == 1);
      CHECK(h.c().congestion().cwnd == cwnd);
    } else {  // the resend arrived: a real loss, slow start from one segment
      CHECK(h.c().in_loss());
      CHECK(h.c().counters().undos == 0);
      CHECK(h.c().congestion().cwnd == 2 * kTsSeg);
    }
  }
}

}  // namespace
}  // namespace wiresim::tcp::test
