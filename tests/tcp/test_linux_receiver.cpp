// Linux's receiver, as the linux profile models it (Linux 6.18, the
// reference captures' kernel): the initial windows and window scale of
// tcp_select_initial_window, the window tcp_select_window offers as
// rcv_ssthresh grows (RcvAutotune), quick ACKs and pingpong (AckPolicy),
// the RTO of tcp_rtt_estimator and PSH by tcp_mark_push / forced_push.

#include "linux_harness.hpp"
#include "wiresim/tcp/rcv_autotune.hpp"
#include "wiresim/tcp/rtt_estimator.hpp"

namespace wiresim::tcp::test {
namespace {

using K = wire::TcpOptionKind;
using wire::TcpOptionLayout;
using wire::TcpTimestamps;

using namespace linux_tests;  // NOLINT(google-build-using-namespace): the shared linux setup

/// The peer's i-th full data segment (0-based), echoing TSval `tsecr`.
Seg data_seg(std::uint32_t i, std::uint32_t tsecr, std::uint32_t tsval = 5001) {
  return {.seq = kIrs + 1 + i * kSeg, .ack = kIss + 1, .data = bytes(kSeg, i * kSeg),
          .ts = TcpTimestamps{tsval, tsecr}};
}

TEST_CASE("linux window scale follows tcp_rmem[2]: 32 MiB gives 10, Debian 12's 6 MiB 7",
          "[tcp][linux][window]") {
  CHECK(linux_window_scale(33554432) == 10);
  CHECK(linux_window_scale(6291456) == 7);
  CHECK(linux_window_scale(4096) == 2);  // net.core.rmem_max 212992 still counts
  CHECK(linux_profile().window_scale == 10);
  CHECK(linux_6_1_profile().window_scale == 7);
}

TEST_CASE("tcp_select_initial_window: the buffer's window in whole segments, at most 65535",
          "[tcp][linux][window]") {
  // tcp_rmem[1] 131072 carries a 65536-byte window (half, tcp_adv_win_scale 1).
  CHECK(select_initial_window(65536, 1460, 10).rcv_wnd == 64240);  // a SYN: 44 x 1460
  CHECK(select_initial_window(65536, 1448, 10).rcv_wnd == 65160);  // a SYN-ACK with timestamps: 45 x 1448
  CHECK(select_initial_window(65536, 1448, 10).window_clamp == 65535u << 10);
  CHECK(select_initial_window(200000, 1000, 0).rcv_wnd == 65535);
}

TEST_CASE("linux handshake windows: SYN 64240, third ACK 63 << 10", "[tcp][linux][window]") {
  Harness h(linux_profile(), kIss, 1460, kTsOffset);
  linux_client(h);
  CHECK(h.c().rcv_autotune().window_clamp() == 64088);
  CHECK(h.c().rcv_autotune().rcv_ssthresh() == 64088);
}

TEST_CASE("linux SYN-ACK window 65160 (MSS less the timestamps), shift 10, first ACK 65536",
          "[tcp][linux][window]") {
  Harness h(linux_profile(), kIss, 1460, kTsOffset);
  h.listen();
  h.send({.flags = kSyn, .seq = kIrs, .ack = 0, .win = 64240, .mss = 1460, .ws = 10, .sack_perm = true,
          .ts = TcpTimestamps{777, 0}});
  h.expect_reply({.flags = kSyn | kAck, .seq = kIss, .ack = kIrs + 1, .win = 65160, .mss = 1460, .ws = 10,
                  .sack_perm = true, .ts = TcpTimestamps{kTsOffset, 777},
                  .layout = TcpOptionLayout::of({K::kMss, K::kSackPermitted, K::kTimestamps,
                                                 K::kNop, K::kWindowScale})});
  h.advance(40_ms);
  h.send({.seq = kIrs + 1, .ack = kIss + 1, .win = 63, .ts = TcpTimestamps{817, kTsOffset}});
  h.expect_nothing();
  // A 433-byte request: the first data enters quick-ACK mode. The window
  // it would offer (rcv_ssthresh 65536 - 1460 = 64076, aligned: 64512)
  // is less than what is still open of the SYN-ACK's (65160 - 433), which
  // Linux never takes back: ALIGN(64727, 1024) = 65536.
  h.send({.flags = kAck | kPsh, .seq = kIrs + 1, .ack = kIss + 1, .win = 63, .data = bytes(433),
          .ts = TcpTimestamps{818, kTsOffset}});
  h.expect_reply({.seq = kIss + 1, .ack = kIrs + 434, .win = 64, .ts = TcpTimestamps{kTsOffset + 40, 818}});
}

TEST_CASE("Debian 12's 6.1: shift 7, the third ACK keeps the SYN's 64240 open (502 << 7)",
          "[tcp][linux][window]") {
  Harness h(linux_6_1_profile(), kIss, 1460, kTsOffset);
  h.c().open_active(h.now);
  h.expect_reply({.flags = kSyn, .seq = kIss, .ack = 0, .win = 64240, .mss = 1460, .ws = 7,
                  .sack_perm = true, .ts = TcpTimestamps{kTsOffset, 0},
                  .layout = TcpOptionLayout::of({K::kMss, K::kSackPermitted, K::kTimestamps,
                                                 K::kNop, K::kWindowScale})});
  h.send({.flags = kSyn | kAck, .seq = kIrs, .ack = kIss + 1, .mss = 1460, .ws = 7, .sack_perm = true,
          .ts = TcpTimestamps{5000, kTsOffset}});
  // rcv_ssthresh 64088 aligned to 128 is 64128, less than the 64240 the
  // SYN offered: tcp_select_window keeps ALIGN(64240, 128) = 64256.
  h.expect_reply({.seq = kIss + 1, .ack = kIrs + 1, .win = 502, .ts = TcpTimestamps{kTsOffset, 5000}});
}

TEST_CASE("quick ACKs: the first data segments are acknowledged one by one as the window grows",
          "[tcp][linux][ack][autotune]") {
  Harness h(linux_profile(), kIss, 1460, kTsOffset);
  linux_client(h);
  h.advance(40_ms);
  // The first full segment sets the scaling ratio from its truesize
  // (1448 * 256 / 2176 = 170): window_clamp = 131072 * 170 / 256 = 87040.
  // Each segment then raises rcv_ssthresh by 2 x advmss (tcp_grow_window)
  // and earns one more quick ACK; the offered window follows it, less the
  // unread bytes: 67408, 70304, 73200, 76096 aligned up to 1 KiB (the
  // reference captures show the same 70656 and 76800 after 2 and 4).
  const std::uint16_t wins[] = {66, 69, 72, 75};
  for (std::uint32_t i = 0; i < 4; ++i) {
    h.send(data_seg(i, kTsOffset + 40));
    h.expect_reply({.seq = kIss + 1, .ack = kIrs + 1 + (i + 1) * kSeg, .win = wins[i],
                    .ts = TcpTimestamps{kTsOffset + 80, 5001}});
  }
  CHECK(h.c().rcv_autotune().scaling_ratio() == 170);
  CHECK(h.c().rcv_autotune().window_clamp() == 87040);
  CHECK(h.c().rcv_autotune().rcv_ssthresh() == 76096);
  CHECK(h.c().ack_policy().in_quickack());
}

TEST_CASE("a one-segment response is acknowledged at once", "[tcp][linux][ack]") {
  Harness h(linux_profile(), kIss, 1460, kTsOffset);
  linux_client(h);
  h.app_send(bytes(433));
  h.out.clear();
  h.advance(40_ms);
  h.send({.flags = kAck | kPsh, .seq = kIrs + 1, .ack = kIss + 434, .data = bytes(665),
          .ts = TcpTimestamps{5040, kTsOffset + 40}});
  REQUIRE(h.out.size() == 1);
  CHECK(h.out.front().header.ack == wire::SeqNum{kIrs + 666});
  CHECK(h.out.front().at == h.now);
  CHECK(h.c().ack_policy().quick() == 15);  // 64512 / (2 x 665) > 16 quick ACKs; one used
}

TEST_CASE("pingpong: after a reply within the ACK timeout, every second segment is acknowledged",
          "[tcp][linux][ack]") {
  Harness h(linux_profile(), kIss, 1460, kTsOffset);
  linux_client(h);
  h.app_send(bytes(433));
  h.advance(40_ms);
  h.send({.flags = kAck | kPsh, .seq = kIrs + 1, .ack = kIss + 434, .data = bytes(665),
          .ts = TcpTimestamps{5040, kTsOffset + 40}});
  h.app_read();
  h.advance(15_ms);  // the next request, 15 ms after the response: < ato (40 ms)
  h.app_send(bytes(300));
  CHECK(h.c().ack_policy().pingpong());
  h.advance(40_ms);
  h.out.clear();
  const std::uint32_t base = kIrs + 666;
  for (std::uint32_t i = 0; i < 6; ++i) {
    h.send({.seq = base + i * kSeg, .ack = kIss + 734, .data = bytes(kSeg, i * kSeg),
            .ts = TcpTimestamps{5100, kTsOffset + 95}});
  }
  // Not in quick-ACK mode: an ACK when more than one segment is
  // unacknowledged and the window has not shrunk (__tcp_ack_snd_check).
  REQUIRE(h.out.size() == 3);
  CHECK(h.out[0].header.ack == wire::SeqNum{base + 2 * kSeg});
  CHECK(h.out[1].header.ack == wire::SeqNum{base + 4 * kSeg});
  CHECK(h.out[2].header.ack == wire::SeqNum{base + 6 * kSeg});
}

TEST_CASE("a lone segment in pingpong waits for the delayed ACK: the ACK timeout, then pingpong ends",
          "[tcp][linux][ack]") {
  Harness h(linux_profile(), kIss, 1460, kTsOffset);
  linux_client(h);
  h.app_send(bytes(100));
  h.advance(40_ms);
  h.send({.flags = kAck | kPsh, .seq = kIrs + 1, .ack = kIss + 101, .data = bytes(100),
          .ts = TcpTimestamps{5040, kTsOffset + 40}});
  h.app_read();
  h.advance(1_ms);
  h.app_send(bytes(100));  // a reply 1 ms later: pingpong
  h.advance(40_ms);
  h.out.clear();
  const Time arrival = h.now;
  h.send({.flags = kAck | kPsh, .seq = kIrs + 101, .ack = kIss + 201, .data = bytes(100),
          .ts = TcpTimestamps{5081, kTsOffset + 81}});
  h.app_read();
  h.expect_nothing();
  // ato: 40 ms at the first data; the second came 41 ms later (> ato):
  // it stays 40 ms, within the srtt bound max(40 ms, TCP_DELACK_MIN).
  h.expect_reply_at(arrival + 40_ms, {.seq = kIss + 201, .ack = kIrs + 201, .win = 63,
                                      .ts = TcpTimestamps{kTsOffset + 161, 5081}});
  CHECK_FALSE(h.c().ack_policy().pingpong());
}

TEST_CASE("SACK compression: three duplicate ACKs at once, the rest as one ACK 1.1 ms later",
          "[tcp][linux][ack][sack]") {
  // __tcp_ack_snd_check with tcp_comp_sack_nr 44: the first
  // TCP_FASTRETRANS_THRESH duplicate ACKs for one rcv_nxt go at once; the
  // later ones wait min(1 ms, 5 % of the receive RTT 40 ms = 2 ms) plus
  // the hrtimer slack of 100 us. The reference capture curl-seq_d20_l2_s3
  // shows the same: three, then one 1.14 ms later covering five more.
  Harness h(linux_profile(), kIss, 1460, kTsOffset);
  interactive_client(h);
  const std::uint32_t base = kIrs + 101;
  // Segment 0 in order: a receive-RTT sample of 40 ms (its TSecr), its ACK
  // delayed. Segment 1 is lost; 2..9 arrive 10 us apart.
  h.send(reply_seg(0));
  h.app_read();
  CHECK(h.c().rcv_autotune().rcv_rtt_us() == 40000);
  h.expect_nothing();
  h.advance(Duration::microseconds(10));
  const Time first = h.now;
  for (std::uint32_t i = 2; i <= 9; ++i) {
    h.send(reply_seg(i));
    h.app_read();
    if (i < 9) h.advance(Duration::microseconds(10));
  }
  REQUIRE(h.out.size() == 3);
  for (std::uint32_t i = 0; i < 3; ++i) {
    INFO("duplicate ACK " << i);
    CHECK(h.out[i].header.ack == wire::SeqNum{base + kSeg});
    CHECK(h.out[i].at == first + Duration::microseconds(10 * i));
    REQUIRE(h.out[i].header.sack_count == 1);
    CHECK(h.out[i].header.sack_blocks[0].right == wire::SeqNum{base + (i + 3) * kSeg});
  }
  // The fourth (at first + 30 us) armed the timer: first + 30 us + 1.1 ms.
  const Time due = first + Duration::microseconds(30) + Duration::microseconds(1100);
  h.advance(due - Duration::nanoseconds(1) - h.now);
  REQUIRE(h.out.size() == 3);
  h.advance(Duration::nanoseconds(1));
  REQUIRE(h.out.size() == 4);
  CHECK(h.out[3].at == due);
  CHECK(h.out[3].header.ack == wire::SeqNum{base + kSeg});
  REQUIRE(h.out[3].header.sack_count == 1);
  CHECK(h.out[3].header.sack_blocks[0].left == wire::SeqNum{base + 2 * kSeg});
  CHECK(h.out[3].header.sack_blocks[0].right == wire::SeqNum{base + 10 * kSeg});
  // The resent segment fills the hole: acknowledged at once (ICSK_ACK_NOW).
  h.send(reply_seg(1));
  REQUIRE(h.out.size() == 5);
  CHECK(h.out[4].at == h.now);
  CHECK(h.out[4].header.ack == wire::SeqNum{base + 10 * kSeg});
  CHECK(h.out[4].header.sack_count == 0);
}

TEST_CASE("SACK compression: a segment that needs a third SACK block first sends the held-back ACK",
          "[tcp][linux][ack][sack]") {
  // tcp_sack_new_ofo_skb: a new block while two exist
  // (TCP_SACK_BLOCKS_EXPECTED) calls tcp_sack_compress_send_ack.
  Harness h(linux_profile(), kIss, 1460, kTsOffset);
  interactive_client(h);
  const std::uint32_t base = kIrs + 101;
  // Lost: 0, 3 and 6. Arrive: 1, 2 (two immediate), 4 (a second block, the
  // third immediate), 5 (held), 7 (a third block: the held ACK goes first).
  for (const std::uint32_t i : {1u, 2u, 4u, 5u}) h.send(reply_seg(i));
  REQUIRE(h.out.size() == 3);
  h.send(reply_seg(7));
  REQUIRE(h.out.size() == 4);
  CHECK(h.out[3].at == h.now);
  REQUIRE(h.out[3].header.sack_count == 2);  // as it stood before segment 7
  CHECK(h.out[3].header.sack_blocks[0].left == wire::SeqNum{base + 4 * kSeg});
  CHECK(h.out[3].header.sack_blocks[0].right == wire::SeqNum{base + 6 * kSeg});
  // Segment 7 itself is held in turn: it goes with the timer.
  h.advance(2_ms);
  REQUIRE(h.out.size() == 5);
  REQUIRE(h.out[4].header.sack_count == 3);
  CHECK(h.out[4].header.sack_blocks[0].left == wire::SeqNum{base + 7 * kSeg});
}

TEST_CASE("no SACK compression in the windows profile: every out-of-order segment is acknowledged",
          "[tcp][ack][sack]") {
  CHECK(windows_profile().comp_sack_nr == 0);
  CHECK(linux_profile().comp_sack_nr == 44);
  CHECK(linux_6_1_profile().comp_sack_nr == 44);
}

TEST_CASE("tcp_rcvbuf_grow, step by step as Linux's own trace shows it (6.18, 50 ms RTT)",
          "[tcp][linux][window][autotune]") {
  // The trace in the commit message of Linux's "tcp: fix too slow
  // tcp_rcvbuf_grow() action" (Eric Dumazet, Oct 2025, in 6.18): a 20 s
  // CUBIC flow over 50 ms, tcp_rmem "4096 131072 67000000", scaling_ratio
  // 219. Each tcp:tcp_rcvbuf_grow event prints what the application read
  // in the last receive RTT (copied), what it left unread (inq), and the
  // sk_rcvbuf / window_clamp the previous event set; these are the next
  // line's values, computed by the kernel.
  TcpProfile p = linux_profile();
  p.rcv_buf_max = 67000000;
  p.rx_skb_headroom = 0;
  p.rx_skb_overhead = 150;  // truesize 1536 + 150 for a 1514-byte frame: ratio (1448 << 8) / 1686 = 219
  RcvAutotune a(p);
  a.init_syn(4096, 10);
  a.init_buffer_space(4096, Time{}, 0);
  REQUIRE(a.rcvq_space() == 40960);  // 10 x advmss, the trace's first "space"
  a.on_new_rcv_mss(1448, 1514, 65535);
  REQUIRE(a.scaling_ratio() == 219);
  CHECK(a.rcvbuf() == 131072);
  CHECK(a.window_clamp() == 112128);  // the trace's first line
  a.rcv_rtt_sample(1, Duration::milliseconds(50));

  struct Step {
    std::uint32_t copied, inq, rcvbuf, window_clamp;
  };
  const Step steps[] = {
      {49152, 0, 160875, 137623},          {86016, 0, 502741, 430079},
      {139264, 0, 728690, 623371},         {307200, 0, 2450338, 2096187},
      {618496, 0, 4376503, 3743961},       {1261568, 0, 9082648, 7769921},
      {2478080, 24576, 16574936, 14179339}, {4915200, 114688, 32695050, 27969593},
      {9830400, 114688, 67000000, 57316406},  // tcp_rmem[2] caps it
  };
  std::uint64_t read = 0;
  Time t{};
  for (const Step& s : steps) {
    t = t + Duration::microseconds(50300);  // each measure a receive RTT after the last
    read += s.copied;
    a.space_adjust(t, read, s.inq, 0);
    INFO("copied " << s.copied << " inq " << s.inq);
    CHECK(a.rcvq_space() == s.copied - s.inq);
    CHECK(a.rcvbuf() == s.rcvbuf);
    CHECK(a.window_clamp() == s.window_clamp);
  }
}

TEST_CASE("tcp_rcv_space_adjust: once per receive RTT, and only what was read and not left unread counts",
          "[tcp][linux][window][autotune]") {
  const TcpProfile p = linux_profile();  // RcvAutotune keeps a reference to it
  RcvAutotune a(p);
  a.init_syn(1448, 10);
  a.init_buffer_space(1448, Time{}, 0);
  a.on_new_rcv_mss(1448, 1514, 65535);  // tun truesize 2176: ratio 170, clamp 87040 as in the captures
  REQUIRE(a.window_clamp() == 87040);
  REQUIRE(a.rcvq_space() == 14480);
  const auto at = [](int ms) { return Time{} + Duration::milliseconds(ms); };
  a.space_adjust(at(45), 40000, 0, 0);
  CHECK(a.rcvq_space() == 14480);  // no receive RTT measured yet: nothing, not even a new measure
  a.rcv_rtt_sample(1, Duration::milliseconds(40));
  a.space_adjust(at(45), 14480, 0, 0);  // no more than last time: a new measure starts
  a.space_adjust(at(50), 30000, 0, 0);  // 5 ms later: not a whole receive RTT
  CHECK(a.rcvq_space() == 14480);
  // curl-seq_d20_l0's png: curl's first 16 KiB read of a 28-segment flight
  // leaves 24160 bytes unread, so only 30000 - 14480 + 16384 - 24160 count.
  a.space_adjust(at(90), 46384, 24160, 0);
  CHECK(a.rcvq_space() == 14480);
  CHECK(a.rcvbuf() == 131072);
  // The next flight's first read: 24160 + 16384 read, 18890 unread. More
  // than last time, but twice it plus the slow-start growth (86220 bytes of
  // window) still fits sk_rcvbuf at ratio 170: the buffer and the clamp stay.
  a.space_adjust(at(130), 46384 + 24160 + 16384, 18890, 0);
  CHECK(a.rcvq_space() == 21654);
  CHECK(a.rcvbuf() == 131072);
  CHECK(a.window_clamp() == 87040);
  // Had the whole flight been read at once, the buffer would have grown.
  RcvAutotune b = a;
  b.space_adjust(at(170), 46384 + 24160 + 16384 + 18890 + 35274, 0, 0);
  CHECK(b.rcvq_space() == 54164);
  // rcvwin 2 x 54164 = 108328, grow 108328 x 32510 / 21654 = 162637,
  // rcvwin + 2 x 162637 = 433602 bytes of window: (433602 << 8) / 170.
  CHECK(b.rcvbuf() == 652953);
  CHECK(b.window_clamp() == 433601);  // 652953 x 170 >> 8
}

TEST_CASE("linux RTO: SRTT + max(mdev, 200 ms) in whole 4 ms jiffies", "[tcp][linux][rto]") {
  RttEstimator r(1_s, 200_ms, 120_s, 4_ms, RttEstimator::Mode::kLinux);
  CHECK(r.rto() == 1_s);
  r.on_sample(40_ms, 1, 2);
  CHECK(r.rto() == 240_ms);  // rttvar = max(2 x 40 ms, tcp_rto_min)
  r.on_sample(41_ms, 3, 4);
  CHECK(*r.srtt() == Duration::microseconds(40125));
  CHECK(r.rto() == 244_ms);  // 240.125 ms, rounded up to a jiffy: 61 x 4 ms
  // RFC 6298 with the same floor would give max(40 + 4 x 10, 200) = 200 ms.
  RttEstimator rfc(1_s, 200_ms, 120_s);
  rfc.on_sample(40_ms);
  rfc.on_sample(41_ms);
  CHECK(rfc.rto() == 200_ms);
}

TEST_CASE("linux RTO: a large deviation raises RTTVAR above the floor, then it decays per round trip",
          "[tcp][linux][rto]") {
  RttEstimator r(1_s, 200_ms, 120_s, 1_ms, RttEstimator::Mode::kLinux);
  r.on_sample(200_ms, 1, 10);  // mdev = 400 ms: rttvar 400 ms
  CHECK(r.rto() == 600_ms);
  r.on_sample(200_ms, 5, 10);   // same round trip (SND.UNA has not passed 10): mdev 300, rttvar stays
  CHECK(r.rto() == 600_ms);
  r.on_sample(200_ms, 11, 20);  // a new round trip: mdev_max (400) is not below rttvar yet; it restarts at 200
  CHECK(r.rto() == 600_ms);
  r.on_sample(200_ms, 21, 30);  // the next: rttvar -= (400 - 200) / 4
  CHECK(r.rto() == 550_ms);
}

TEST_CASE("linux PSH: the end of each write, and forced_push past half the peer's largest window",
          "[tcp][linux][psh]") {
  TcpProfile p = linux_profile();
  p.gso = false;  // tcp_mark_push alone; GSO packets' PSH: test_linux_sender.cpp
  Harness h(p, kIss, 1460, kTsOffset);
  // A peer without window scaling and a 4-segment window: max_window / 2 = 2896.
  h.c().open_active(h.now);
  h.out.clear();
  h.send({.flags = kSyn | kAck, .seq = kIrs, .ack = kIss + 1, .win = 4 * kSeg, .mss = 1460,
          .sack_perm = true, .ts = TcpTimestamps{5000, kTsOffset}});
  h.out.clear();
  h.app_send(bytes(10 * kSeg));
  std::vector<bool> psh;
  for (int round = 0; round < 3; ++round) {
    for (const Sent& s : h.out) psh.push_back(s.header.has(kPsh));
    const wire::SeqNum una = h.out.back().header.seq + static_cast<std::uint32_t>(h.out.back().payload.size());
    h.out.clear();
    h.send({.seq = kIrs + 1, .ack = una.raw(), .win = 4 * kSeg, .ts = TcpTimestamps{5001, kTsOffset}});
  }
  // forced_push marks the skb that takes write_seq past pushed_seq + 2896;
  // pushed_seq starts at the ISS on an active open (tcp_connect_init):
  // segments 2, 5 and 8; the write's end marks segment 10.
  const std::vector<bool> want = {false, true, false, false, true, false, false, true, false, true};
  CHECK(psh == want);
}

TEST_CASE("linux PSH: two writes, two pushes", "[tcp][linux][psh]") {
  Harness h(linux_profile(), kIss, 1460, kTsOffset);
  linux_client(h);
  h.c().set_nagle(false);
  h.app_send(bytes(2 * kSeg));
  h.app_send(bytes(kSeg + 100, 2 * kSeg));
  std::vector<bool> psh;
  for (const Sent& s : h.out) psh.push_back(s.header.has(kPsh));
  CHECK(psh == std::vector<bool>{false, true, false, true});
}

}  // namespace
}  // namespace wiresim::tcp::test
