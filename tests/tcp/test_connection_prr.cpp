// Proportional Rate Reduction (RFC 6937) as Linux 6.x runs it
// (tcp_init_cwnd_reduction, tcp_cwnd_reduction, tcp_end_cwnd_reduction):
// the PRR arithmetic on its own, then segment by segment in a RACK
// recovery (RFC 6937 §3's example: one loss in a window of 20, ssthresh
// 10), in ECN's CWR, and with a spurious recovery that is undone.

#include "connection_harness.hpp"
#include "wiresim/tcp/prr.hpp"

namespace wiresim::tcp::test {
namespace {

using wire::kCwr;
using wire::kEce;
constexpr std::uint32_t kSeg = 1460;

/// test_profile() with SACK, RACK-TLP, undo and PRR (Linux's recovery).
TcpProfile prr_profile(std::uint32_t iw = 10) {
  TcpProfile p = test_profile();
  p.sack = true;
  p.loss_detection = LossDetection::kRackTlp;
  p.undo = true;
  p.prr = true;
  p.initial_cwnd_segments = iw;
  return p;
}

Seg data_seg(std::uint32_t i, std::uint8_t flags = kAck) {
  return {.flags = flags, .seq = kIss + 1 + i * kSeg, .ack = kIrs + 1, .data = bytes(kSeg, i * kSeg)};
}

std::uint32_t at(std::uint32_t i) { return kIss + 1 + i * kSeg; }

/// The peer's ACK of everything before segment i, SACKing [from, to) if given.
Seg ack_upto(std::uint32_t i, std::vector<std::pair<std::uint32_t, std::uint32_t>> sacked = {},
             std::uint8_t flags = kAck) {
  Seg s{.flags = flags, .seq = kIrs + 1, .ack = at(i)};
  for (const auto& [from, to] : sacked) s.sacks.push_back(sack(at(from), at(to)));
  return s;
}

/// Established with SACK at a 100 ms RTT, then one round trip of segments
/// 0 and 1 (RACK's min_rtt 100 ms; cwnd unchanged: it did not limit them).
void warmed_up(Harness& h) {
  h.c().open_active(h.now);
  h.expect_reply({.flags = kSyn, .seq = kIss, .ack = 0, .mss = 1460, .sack_perm = true});
  h.advance(100_ms);
  h.send({.flags = kSyn | kAck, .seq = kIrs, .ack = kIss + 1, .mss = 1460, .sack_perm = true});
  h.expect_reply({.seq = kIss + 1, .ack = kIrs + 1});
  h.take_events();
  h.app_send(bytes(2 * kSeg));
  h.expect_reply(data_seg(0));
  h.expect_reply(data_seg(1, kAck | kPsh));
  h.advance(100_ms);
  h.send(ack_upto(2));
  h.expect_nothing();
}

/// The app writes segments [first, first + n); all leave, PSH on the last.
void send_segments(Harness& h, std::uint32_t first, std::uint32_t n) {
  h.app_send(bytes(n * kSeg, first * kSeg));
  for (std::uint32_t i = first; i < first + n; ++i) {
    h.expect_reply(data_seg(i, i + 1 == first + n ? kAck | kPsh : std::uint8_t{kAck}));
  }
  h.expect_nothing();
}

}  // namespace

TEST_CASE("PRR: proportional above ssthresh, conservation below, +1 when SND.UNA advances (SSRB)", "[tcp][prr]") {
  Prr p;
  p.begin(20);
  // Nothing delivered: no change.
  CHECK_FALSE(p.on_ack(10, 19, 0, 0, false).has_value());
  // Flight 16 > ssthresh 10: sndcnt = ceil(10 * 1 / 20) - 0 = 1.
  CHECK(p.on_ack(10, 16, 1, 0, false) == 17u);
  p.on_sent(1);
  // ceil(10 * 2 / 20) - 1 = 0.
  CHECK(p.on_ack(10, 16, 1, 0, false) == 16u);
  // ceil(10 * 3 / 20) - 1 = 1.
  CHECK(p.on_ack(10, 15, 1, 0, false) == 16u);
  p.on_sent(1);
  CHECK(p.delivered() == 3);
  CHECK(p.out() == 2);
  // Flight 6 < ssthresh 10: max(prr_delivered - prr_out, delivered) = 2,
  // +1 as SND.UNA advanced without new losses, within ssthresh - flight.
  CHECK(p.on_ack(10, 6, 1, 0, true) == 9u);
  // The same ACK with a new loss: conservation only (CRB).
  Prr q;
  q.begin(20);
  q.on_sent(1);
  CHECK(q.on_ack(10, 6, 1, 1, true) == 7u);
  CHECK(q.on_ack(10, 6, 1, 0, false) == 7u);  // PRR-CRB: max(prr_delivered 2 - prr_out 1, 1) = 1
  // Delivery not yet answered is banked: max(6 - 1, 4) + 1, but never above ssthresh.
  CHECK(q.on_ack(10, 9, 4, 0, true) == 10u);
  CHECK(q.on_ack(10, 2, 1, 0, true) == 9u);  // flight 2 + (max(7 - 1, 1) + 1 = 7, within ssthresh - flight = 8)
  // Forced fast retransmit: the first sndcnt is at least 1.
  Prr r;
  r.begin(100);
  CHECK(r.on_ack(10, 90, 1, 0, false) == 91u);  // ceil(10 / 100) = 1
  r.end();
  CHECK_FALSE(r.on_ack(10, 90, 1, 0, false).has_value());
}

TEST_CASE("PRR recovery (RFC 6937 §3 example): one loss in 20, one segment every other ACK down to ssthresh",
          "[tcp][prr][rack]") {
  Harness h(prr_profile(20));
  warmed_up(h);
  REQUIRE(h.c().congestion().cwnd == 20 * kSeg);
  send_segments(h, 2, 20);  // segments 2..21; segment 2 will be lost
  h.advance(100_ms);
  // ACK k SACKs segments 3 .. 2 + k. Below DupThresh RACK waits (reo_wnd).
  h.send(ack_upto(2, {{3, 4}}));
  h.send(ack_upto(2, {{3, 5}}));
  h.expect_nothing();
  // The third: RACK marks segment 2 lost; recovery with ssthresh = 20 / 2
  // (NewReno), prior_cwnd 20. Segment 2 goes out at once (prr_out 1); PRR
  // on this ACK: flight 16 + the resend = 17, prr_delivered 1,
  // sndcnt = ceil(10 * 1 / 20) - 1 = 0, cwnd = 17.
  h.send(ack_upto(2, {{3, 6}}));
  h.expect_reply(data_seg(2));
  h.expect_nothing();
  REQUIRE(h.c().in_recovery());
  CHECK(h.c().congestion().ssthresh == 10 * kSeg);
  CHECK(h.c().congestion().cwnd == 17 * kSeg);
  // New data from now on (written earlier, segments 22 and 23 would have
  // gone out on ACKs 1 and 2: flight 19 < cwnd 20).
  h.app_send(bytes(20 * kSeg, 22 * kSeg));  // segments 22..41
  h.expect_nothing();
  // ACKs 4..19, each delivering one SACKed segment. After ACK k the flight
  // is 20 - k + new segments sent, prr_delivered = k - 2, prr_out = 1 +
  // new. While the flight exceeds ssthresh (through ACK 14):
  // sndcnt = ceil((k - 2) / 2) - prr_out: 0, 1, 0, 1, ... (k = 4, 5, ...).
  // ACK 15: flight 10 = ssthresh: min(0, ...) = 0. ACKs 16-19: flight 9,
  // sndcnt = min(ssthresh - flight, max(prr_delivered - prr_out, 1)) = 1.
  const std::uint32_t sends[] = {0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 0, 1, 1, 1, 1};
  std::uint32_t next_new = 22;
  for (std::uint32_t k = 4; k <= 19; ++k) {
    INFO("ACK " << k);
    h.send(ack_upto(2, {{3, 3 + k}}));
    for (std::uint32_t i = 0; i < sends[k - 4]; ++i) h.expect_reply(data_seg(next_new++));
    h.expect_nothing();
  }
  CHECK(next_new == 31);  // 9 new segments: the flight is ssthresh
  CHECK(h.c().congestion().cwnd == 10 * kSeg);
  // The resend's ACK ends the recovery: cwnd = ssthresh
  // (tcp_end_cwnd_reduction), then this ACK's congestion avoidance
  // (tcp_cong_control): + SMSS^2 / cwnd = 146 bytes; one segment fits.
  h.send(ack_upto(22));
  CHECK_FALSE(h.c().in_recovery());
  CHECK(h.c().congestion().cwnd == 10 * kSeg + 146);
  h.expect_reply(data_seg(31));
  h.expect_nothing();
  CHECK(h.c().counters().retransmits_fast + h.c().counters().retransmits_sack == 1);
}

TEST_CASE("PRR without PRR: the same loss drops cwnd to ssthresh at once", "[tcp][prr][rack]") {
  TcpProfile p = prr_profile(20);
  p.prr = false;
  Harness h(p);
  warmed_up(h);
  send_segments(h, 2, 20);
  h.advance(100_ms);
  h.send(ack_upto(2, {{3, 4}}));
  h.send(ack_upto(2, {{3, 5}}));
  h.send(ack_upto(2, {{3, 6}}));
  h.expect_reply(data_seg(2));
  CHECK(h.c().congestion().cwnd == 10 * kSeg);
  h.app_send(bytes(20 * kSeg, 22 * kSeg));
  h.expect_nothing();
  // Nothing more until the flight (17) falls below 10: ACK 11.
  for (std::uint32_t k = 4; k <= 10; ++k) {
    h.send(ack_upto(2, {{3, 3 + k}}));
    h.expect_nothing();
  }
  h.send(ack_upto(2, {{3, 14}}));
  h.expect_reply(data_seg(22));
}

TEST_CASE("PRR in ECN's CWR: cwnd walks down to ssthresh over the window, CWR on the first new segment",
          "[tcp][prr][ecn]") {
  TcpProfile p = test_profile();
  p.ecn = EcnMode::kOn;
  p.prr = true;
  Harness h(p);
  h.c().open_active(h.now);
  h.expect_reply({.flags = kSyn | kEce | kCwr, .seq = kIss, .ack = 0, .mss = 1460});
  h.send({.flags = kSyn | kAck | kEce, .seq = kIrs, .ack = kIss + 1, .mss = 1460});
  h.expect_reply({.seq = kIss + 1, .ack = kIrs + 1});
  h.take_events();
  h.app_send(bytes(20 * kSeg));
  for (std::uint32_t i = 0; i < 10; ++i) h.expect_reply(data_seg(i));  // IW10
  // ECE on the ACK of segments 0-1: tcp_enter_cwr before any growth:
  // ssthresh = flight 8 / 2 = 4 segments (NewReno), prior_cwnd 10. PRR on
  // this ACK: flight 8 > 4, prr_delivered 2: sndcnt = ceil(4 * 2 / 10) = 1.
  h.send(ack_upto(2, {}, kAck | kEce));
  CHECK(h.c().counters().ecn_reductions == 1);
  CHECK(h.c().congestion().ssthresh == 4 * kSeg);
  CHECK(h.c().congestion().cwnd == 9 * kSeg);
  h.expect_reply(data_seg(10, kAck | kCwr));
  h.expect_nothing();
  // Each further ACK delivers one segment: for prr_delivered d = 3..9,
  // ceil(4 * d / 10) - prr_out = 1, 0, 0, 1, 0, 1, 0 while the flight
  // exceeds 4; at d = 10 the flight is 4 = ssthresh: nothing.
  struct Step {
    std::uint32_t ack, sends, cwnd_segs;
  };
  const Step steps[] = {{3, 1, 9}, {4, 0, 8}, {5, 0, 7}, {6, 1, 7}, {7, 0, 6}, {8, 1, 6}, {9, 0, 5}, {10, 0, 4}};
  std::uint32_t next_new = 11;
  for (const Step& st : steps) {
    INFO("ACK of segments before " << st.ack);
    h.send(ack_upto(st.ack));
    for (std::uint32_t i = 0; i < st.sends; ++i) h.expect_reply(data_seg(next_new++));
    h.expect_nothing();
    CHECK(h.c().congestion().cwnd == st.cwnd_segs * kSeg);
  }
  CHECK(h.c().counters().ecn_reductions == 1);
  // The ACK above the CWR window's end (segment 10, sent after the ECE):
  // tcp_end_cwnd_reduction, cwnd = ssthresh = 4 segments, then congestion
  // avoidance on the same ACK (+ 1460^2 / 5840 = 365): one segment fits.
  h.send(ack_upto(11));
  CHECK(h.c().congestion().cwnd == 4 * kSeg + 365);
  h.expect_reply(data_seg(14));
  h.expect_nothing();
  // A new ECE now starts a new reduction.
  h.send(ack_upto(12, {}, kAck | kEce));
  CHECK(h.c().counters().ecn_reductions == 2);
}

TEST_CASE("PRR and undo: a DSACKed recovery restores the cwnd before it, whatever PRR had reached",
          "[tcp][prr][dsack]") {
  Harness h(prr_profile());
  warmed_up(h);
  send_segments(h, 2, 8);
  h.advance(100_ms);
  // Segment 3 missing, three SACKed, segment 2 acknowledged: recovery
  // begins before any growth (tcp_cong_control comes after
  // tcp_fastretrans_alert), prior cwnd 10. ssthresh = 7 / 2 segments =
  // 5110 bytes (3 packets); PRR: delivered 4 (one acknowledged, three
  // SACKed), flight 4 (segments 7-9 and the resend): sndcnt =
  // ceil(3 * 4 / 10) - prr_out 1 = 1: cwnd 5 segments. No new data.
  h.send(ack_upto(3, {{4, 7}}));
  h.expect_reply(data_seg(3));
  h.expect_nothing();
  REQUIRE(h.c().in_recovery());
  CHECK(h.c().congestion().cwnd == 5 * kSeg);
  // The original was only delayed: the recovery ends, cwnd = ssthresh,
  // and congestion avoidance adds nothing on this ACK: the window's sending
  // was never cwnd-limited (8 segments out under a cwnd of 10, and
  // retransmissions do not count: tcp_cwnd_validate runs after
  // tcp_write_xmit only), so tcp_is_cwnd_limited says no.
  h.send(ack_upto(10));
  CHECK_FALSE(h.c().in_recovery());
  CHECK(h.c().congestion().cwnd == 5110);
  h.send({.seq = kIrs + 1, .ack = at(10), .sacks = {sack(at(3), at(4))}});  // D-SACK of the resend
  CHECK(h.c().counters().undos == 1);
  CHECK(h.c().congestion().cwnd == 10 * kSeg);
  CHECK(h.c().congestion().ssthresh == 0xffffffffu);
}

}  // namespace wiresim::tcp::test
