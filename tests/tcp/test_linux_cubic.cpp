// CUBIC as Linux computes it (net/ipv4/tcp_cubic.c, tcp_cong.c). Every
// expected value below is worked out from Linux's formulas with its integer
// arithmetic: packets, jiffies (HZ = 250, 4 ms), time in 2^-10 s.
//   cube_factor = 2^40 / 410 = 2681735677, cube_rtt_scale = 410,
//   beta_scale = 8 * 1741 / 3 / 307 = 15,
//   t = ((jiffies - epoch_start + usecs_to_jiffies(delay_min)) << 10) / 250,
//   target = origin -/+ (410 * |t - K|^3 >> 40),
//   cnt = cwnd / (target - cwnd), or 100 * cwnd when target <= cwnd,
//   Reno emulation: tcp_cwnd += 1 per (cwnd * 15 >> 3) packets acknowledged,
//   cnt = min(cnt, cwnd / (tcp_cwnd - cwnd)) when tcp_cwnd > cwnd,
//   cnt = max(cnt, 2); tcp_cong_avoid_ai adds 1 packet per cnt acknowledged.

#include <catch2/catch.hpp>

#include "wiresim/tcp/cubic.hpp"
#include "wiresim/tcp/linux_cubic.hpp"
#include "wiresim/tcp/profile.hpp"

using namespace wiresim;
using namespace wiresim::literals;
using wiresim::tcp::LinuxCubic;

namespace {
constexpr std::uint32_t kMss = 1000;

/// The start of jiffy j.
Time jiffy(std::uint32_t j) { return Time::zero() + Duration::milliseconds(std::int64_t{4} * j); }

LinuxCubic established(std::uint32_t cwnd_pkts, bool hystart = false) {
  LinuxCubic c;
  c.init(Time::zero(), kMss, cwnd_pkts * kMss);
  c.set_hystart(hystart);
  return c;
}
}  // namespace

TEST_CASE("Linux cubic_root: table lookup and one Newton step", "[tcp][cubic][linux]") {
  CHECK(LinuxCubic::kCubeFactor == 2'681'735'677);
  CHECK(LinuxCubic::kFriendlyScale == 15);
  CHECK(LinuxCubic::cubic_root(0) == 0);
  // a < 64: (v[a] + 35) >> 6 = (190 + 35) >> 6.
  CHECK(LinuxCubic::cubic_root(27) == 3);
  // fls64(1000) = 10, b = (10 * 84 >> 8) - 1 = 2, v[1000 >> 6 = 15] = 156:
  // x = (166 << 2) >> 6 = 10; x = 2 * 10 + 1000 / (10 * 9) = 31; 31 * 341 >> 10 = 10.
  CHECK(LinuxCubic::cubic_root(1000) == 10);
  // K for W_max - cwnd = 30: a = 80452070310, fls64 = 37, b = 11, v[9] = 129:
  // x = (139 << 11) >> 6 = 4448; x = 8896 + a / (4448 * 4447) = 8896 + 4067;
  // 12963 * 341 >> 10 = 4316 (4.215 s; cbrt(30 / 0.4) = 4.217 s).
  CHECK(LinuxCubic::cubic_root(LinuxCubic::kCubeFactor * 30) == 4316);
}

TEST_CASE("Linux CUBIC loss: ssthresh = cwnd * 717 / 1024, W_max with fast convergence",
          "[tcp][cubic][linux]") {
  LinuxCubic c = established(100);
  c.on_fast_loss(jiffy(1000), 0);  // the flight does not matter: Linux takes cwnd
  CHECK(c.last_max_cwnd() == 100);     // the first loss: W_max = cwnd
  CHECK(c.snd_ssthresh() == 70);       // 100 * 717 / 1024 = 70.02
  CHECK(c.ssthresh() == 70 * kMss);
  CHECK(c.cwnd() == 70 * kMss);
  CHECK_FALSE(c.in_epoch());
  // A loss below the last W_max: W_max = 80 * (1024 + 717) / 2048 = 68.01.
  c.set_cwnd(80 * kMss);
  c.on_fast_loss(jiffy(2000), 0);
  CHECK(c.last_max_cwnd() == 68);
  CHECK(c.snd_ssthresh() == 56);  // 80 * 717 / 1024 = 56.01
  // At or above it: no fast convergence.
  c.set_cwnd(90 * kMss);
  c.on_fast_loss(jiffy(3000), 0);
  CHECK(c.last_max_cwnd() == 90);
  CHECK(c.snd_ssthresh() == 63);  // 90 * 717 / 1024 = 63.02
  // Never below 2 packets.
  c.set_cwnd(2 * kMss);
  c.on_fast_loss(jiffy(4000), 0);
  CHECK(c.snd_ssthresh() == 2);
}

TEST_CASE("Linux CUBIC epoch: cwnd per ACK from K, origin_point and cnt", "[tcp][cubic][linux]") {
  LinuxCubic c = established(100);
  c.on_rtt_sample(jiffy(990), 100_ms, wire::SeqNum{1}, wire::SeqNum{1});  // delay_min = 100 ms
  REQUIRE(c.delay_min_us() == 100'000);
  c.on_fast_loss(jiffy(1000), 0);  // cwnd 70, W_max 100
  // One packet acknowledged per ACK, ACK k at jiffy 1000 + k.
  const auto ack = [&](std::uint32_t k) { c.on_ack(jiffy(1000 + k), kMss, 70 * kMss, 100_ms); };
  ack(1);
  // The epoch starts: K = cubic_root(cube_factor * (100 - 70)) = 4316,
  // origin 100. t = ((0 + 25) << 10) / 250 = 102; |t - K| = 4214;
  // 410 * 4214^3 >> 40 = 27: target 73, cnt = 70 / 3 = 23. ack_cnt = 1,
  // tcp_cwnd = 70. snd_cwnd_cnt = 1.
  CHECK(c.in_epoch());
  CHECK(c.epoch_start() == 1001);
  CHECK(c.bic_k() == 4316);
  CHECK(c.origin_point() == 100);
  CHECK(c.cnt() == 23);
  CHECK(c.tcp_cwnd() == 70);
  CHECK(c.snd_cwnd() == 70);
  CHECK(c.snd_cwnd_cnt() == 1);
  // cnt is recomputed only when cwnd changed or more than HZ / 32 = 7
  // jiffies passed: ACKs 2-8 keep cnt 23 and bank snd_cwnd_cnt.
  for (std::uint32_t k = 2; k <= 8; ++k) ack(k);
  CHECK(c.cnt() == 23);
  CHECK(c.snd_cwnd_cnt() == 8);
  CHECK(c.snd_cwnd() == 70);
  // ACK 17 (8 jiffies after ACK 9's recomputation): t = ((16 + 25) << 10)
  // / 250 = 167, |t - K| = 4149, 410 * 4149^3 >> 40 = 26: target 74,
  // cnt = 70 / 4 = 17, and snd_cwnd_cnt reaches 17: cwnd 71.
  for (std::uint32_t k = 9; k <= 17; ++k) ack(k);
  CHECK(c.cnt() == 17);
  CHECK(c.snd_cwnd() == 71);
  CHECK(c.snd_cwnd_cnt() == 0);
  // Further along the concave curve, then the plateau at W_max = 100 (cnt
  // = 100 * cwnd) around t = K (1079 jiffies), then the convex side.
  struct Point {
    std::uint32_t k, cwnd, cwnd_cnt, cnt;
  };
  const Point points[] = {{70, 74, 2, 18},      {140, 78, 9, 19},   {280, 86, 6, 28},   {500, 94, 25, 31},
                          {1000, 100, 210, 10000}, {1500, 102, 25, 10200}, {2000, 117, 7, 23}};
  std::uint32_t k = 17;
  for (const Point& p : points) {
    while (k < p.k) ack(++k);
    INFO("ACK " << p.k);
    CHECK(c.snd_cwnd() == p.cwnd);
    CHECK(c.snd_cwnd_cnt() == p.cwnd_cnt);
    CHECK(c.cnt() == p.cnt);
  }
}

TEST_CASE("Linux CUBIC Reno-friendly region: tcp_cwnd ahead of the cubic curve sets cnt",
          "[tcp][cubic][linux]") {
  LinuxCubic c = established(10);
  c.on_rtt_sample(jiffy(990), 10_ms, wire::SeqNum{1}, wire::SeqNum{1});
  c.on_fast_loss(jiffy(1000), 0);  // cwnd 7, W_max 10
  const auto ack = [&](std::uint32_t k) { c.on_ack(jiffy(1000 + k), kMss, 7 * kMss, 10_ms); };
  ack(1);
  // K = cubic_root(cube_factor * 3) = 2003 (1.96 s), t = (3 << 10) / 250 =
  // 12: 410 * 1991^3 >> 40 = 2, target 8, cnt = 7 / 1 = 7.
  CHECK(c.bic_k() == 2003);
  CHECK(c.cnt() == 7);
  for (std::uint32_t k = 2; k <= 7; ++k) ack(k);
  CHECK(c.snd_cwnd() == 8);  // 7 acknowledged
  // Then target = cwnd = 8: cnt = 100 * 8 on the cubic curve, which stays
  // near W_max = 10 until t = K. The Reno emulation grows one packet per
  // (cwnd * 15 >> 3) acknowledged (13 at cwnd 7, 15 at 8), and whenever
  // tcp_cwnd passes cwnd, cnt = cwnd / (tcp_cwnd - cwnd) lets cwnd follow.
  for (std::uint32_t k = 8; k <= 14; ++k) ack(k);
  CHECK(c.cnt() == 800);
  CHECK(c.tcp_cwnd() == 7);
  for (std::uint32_t k = 15; k <= 400; ++k) ack(k);
  // 400 ACKs (1.6 s) in, still before K: pure CUBIC would hold about 10
  // packets; Reno's line has reached 22.
  CHECK(c.tcp_cwnd() == 22);
  CHECK(c.snd_cwnd() == 22);
  CHECK(c.snd_cwnd_cnt() == 4);
}

TEST_CASE("Linux CUBIC slow start: cwnd += acked up to ssthresh, the rest to the cubic epoch",
          "[tcp][cubic][linux]") {
  LinuxCubic c = established(10);
  c.on_rtt_sample(jiffy(990), 40_ms, wire::SeqNum{1}, wire::SeqNum{1});
  c.set_ssthresh(12 * kMss);
  // A stretch ACK of 5 packets: no L = 2 limit in Linux's tcp_slow_start:
  // cwnd 10 -> 12, and 3 packets left for congestion avoidance: no W_max,
  // so K = 0, origin 12, target 12 (410 * 40^3 >> 40 = 0), cnt = 100 * 12
  // capped at 20 while no loss has been seen.
  c.on_ack(jiffy(1000), 5 * kMss, 10 * kMss, 40_ms);
  CHECK(c.snd_cwnd() == 12);
  CHECK(c.snd_cwnd_cnt() == 3);
  CHECK(c.cnt() == 20);
  CHECK(c.last_max_cwnd() == 0);
  CHECK(c.bic_k() == 0);
  CHECK(c.origin_point() == 12);
  // A sub-MSS acknowledgement counts one packet.
  c.on_ack(jiffy(1001), 1, 10 * kMss, 40_ms);
  CHECK(c.snd_cwnd_cnt() == 4);
}

TEST_CASE("Linux CUBIC after idle: CA_EVENT_TX_START shifts the epoch by the idle time",
          "[tcp][cubic][linux]") {
  LinuxCubic c = established(100);
  c.on_fast_loss(jiffy(1000), 0);
  c.on_data_sent(jiffy(1000), false);
  c.on_ack(jiffy(1001), kMss, 70 * kMss, 100_ms);
  REQUIRE(c.epoch_start() == 1001);
  c.on_data_sent(jiffy(1002), false);  // data in flight: no event
  CHECK(c.epoch_start() == 1001);
  // 500 jiffies later, sending from idle: epoch_start += now - lsndtime.
  c.on_data_sent(jiffy(1502), true);
  CHECK(c.epoch_start() == 1501);
  // Never beyond now.
  c.on_data_sent(jiffy(1503), true);
  CHECK(c.epoch_start() == 1502);
}

TEST_CASE("Linux CUBIC timeout: ssthresh once, then bictcp_reset: no W_max, cwnd 1",
          "[tcp][cubic][linux]") {
  LinuxCubic c = established(100);
  c.on_fast_loss(jiffy(1000), 0);  // W_max 100
  c.set_cwnd(80 * kMss);
  c.on_rto(jiffy(1100), 0);
  CHECK(c.snd_ssthresh() == 56);  // 80 * 717 / 1024
  CHECK(c.last_max_cwnd() == 0);  // cubictcp_state(TCP_CA_Loss)
  CHECK(c.snd_cwnd() == 1);
  c.on_rto(jiffy(1200), 0);  // the same data again: ssthresh held
  CHECK(c.snd_ssthresh() == 56);
}

TEST_CASE("Linux HyStart: the round's minimum of 8 samples over delay_min + 5 ms ends slow start",
          "[tcp][cubic][linux][hystart]") {
  for (const std::uint32_t late_ms : {46u, 44u}) {
    LinuxCubic c = established(10, true);
    // Round 1: 10 ACKs 3 ms apart (no ACK train: more than 2 ms), 40 ms
    // RTT each; the first one starts the round (end_seq = SND.NXT 10001).
    // HyStart acts from cwnd 16 (the 7th ACK): samples 7-10 counted.
    std::uint32_t una = 1;
    Time now = Time::zero() + 40_ms;
    const auto ack = [&](Duration rtt, std::uint32_t snd_nxt) {
      una += kMss;
      c.on_rtt_sample(now, rtt, wire::SeqNum{una}, wire::SeqNum{snd_nxt});
      c.on_ack(now, kMss, 10 * kMss, 40_ms);
      now += 3_ms;
    };
    for (int i = 0; i < 10; ++i) ack(40_ms, 10'001);
    REQUIRE(c.snd_cwnd() == 20);
    REQUIRE(c.delay_min_us() == 40'000);
    REQUIRE_FALSE(c.hystart_found());
    // Round 2 (SND.UNA passed 10001): the threshold is delay_min +
    // clamp(40 ms / 8, 4 ms, 16 ms) = 45 ms; the 9th sample compares.
    for (int i = 0; i < 8; ++i) ack(Duration::milliseconds(late_ms), 30'001);
    CHECK_FALSE(c.hystart_found());
    CHECK(c.snd_cwnd() == 28);
    ack(Duration::milliseconds(late_ms), 30'001);
    INFO("RTT " << late_ms << " ms");
    if (late_ms > 45) {
      CHECK(c.hystart_found());
      CHECK(c.snd_ssthresh() == 28);  // ssthresh = cwnd when found; no slow start after
      CHECK(c.snd_cwnd() == 28);
      CHECK(c.snd_cwnd_cnt() == 1);
    } else {
      CHECK_FALSE(c.hystart_found());
      CHECK(c.snd_cwnd() == 29);
    }
  }
}

TEST_CASE("Profiles: linux's cubic is tcp_cubic.c with PRR, windows' RFC 9438 without", "[tcp][cubic][linux]") {
  using namespace wiresim::tcp;
  for (const TcpProfile& p : {linux_profile(), linux_6_1_profile()}) {
    CHECK(p.cubic_model == CubicModel::kLinux);
    CHECK(p.prr);
    const auto cc = make_congestion_control(p.congestion_control, p.cubic_model);
    CHECK(dynamic_cast<const LinuxCubic*>(cc.get()) != nullptr);
  }
  const TcpProfile w = windows_profile();
  CHECK(w.cubic_model == CubicModel::kRfc9438);
  CHECK_FALSE(w.prr);
  const auto cc = make_congestion_control(w.congestion_control, w.cubic_model);
  CHECK(dynamic_cast<const Cubic*>(cc.get()) != nullptr);
}
