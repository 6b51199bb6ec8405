// CUBIC as Linux 6.x computes it: net/ipv4/tcp_cubic.c (bictcp_update,
// cubic_root, cubictcp_cong_avoid, cubictcp_recalc_ssthresh,
// cubictcp_state, cubictcp_cwnd_event, cubictcp_acked, hystart_update,
// hystart_ack_delay) and net/ipv4/tcp_cong.c (tcp_slow_start,
// tcp_cong_avoid_ai), with tcp_update_pacing_rate's rate for HyStart.
// The integer widths and wrap-arounds are Linux's (u32 windows, u64 time).

#include "wiresim/tcp/linux_cubic.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <limits>

namespace wiresim::tcp {

namespace {
constexpr std::uint32_t kNsPerJiffy = 1'000'000'000 / LinuxCubic::kHz;
constexpr std::uint32_t kUsPerJiffy = 1'000'000 / LinuxCubic::kHz;

/// usecs_to_jiffies: rounded up.
std::uint32_t usecs_to_jiffies(std::uint32_t us) { return (us + kUsPerJiffy - 1) / kUsPerJiffy; }

/// fls64: the 1-based position of the highest set bit, 0 for 0.
std::uint32_t fls64(std::uint64_t a) { return static_cast<std::uint32_t>(std::bit_width(a)); }

/// after(a, b) on 32-bit sequence-like counters (jiffies).
bool after32(std::uint32_t a, std::uint32_t b) { return static_cast<std::int32_t>(a - b) > 0; }

/// tcp_update_pacing_rate's ratios (sysctl_tcp_pacing_ss_ratio / _ca_ratio), percent.
constexpr std::uint64_t kPacingSsRatio = 200;
constexpr std::uint64_t kPacingCaRatio = 120;
}  // namespace

std::uint32_t LinuxCubic::jiffies(Time t) { return static_cast<std::uint32_t>(t.ns() / kNsPerJiffy); }

std::uint32_t LinuxCubic::cubic_root(std::uint64_t a) {
  // The table of cubic_root: for x in [0, 63], v[x] = cbrt(x << 18) - 1,
  // refined by hand (Willy Tarreau); cbrt(x) = (v[x] + 10) >> 6.
  static constexpr std::array<std::uint8_t, 64> kV = {
      0,   54,  54,  54,  118, 118, 118, 118, 123, 129, 134, 138, 143, 147, 151, 156,
      157, 161, 164, 168, 170, 173, 176, 179, 181, 185, 187, 190, 192, 194, 197, 199,
      200, 202, 204, 206, 209, 211, 213, 215, 217, 219, 221, 222, 224, 225, 227, 229,
      231, 232, 234, 236, 237, 239, 240, 242, 244, 245, 246, 248, 250, 251, 252, 254};
  std::uint32_t b = fls64(a);
  if (b < 7) return (std::uint32_t{kV[static_cast<std::size_t>(a)]} + 35) >> 6;  // a in [0, 63]
  b = ((b * 84) >> 8) - 1;  // ~ b / 3 - 1
  const auto top = static_cast<std::uint32_t>(a >> (b * 3));
  std::uint32_t x = static_cast<std::uint32_t>((std::uint32_t{kV[top]} + 10) << b) >> 6;
  // One Newton-Raphson step x = (2x + a / x^2) / 3, with x (x - 1) for x^2
  // and * 341 / 1024 for / 3, as Linux.
  x = 2 * x + static_cast<std::uint32_t>(a / (std::uint64_t{x} * (x - 1)));
  return static_cast<std::uint32_t>((std::uint64_t{x} * 341) >> 10);
}

void LinuxCubic::reset() {
  cnt_ = last_max_cwnd_ = last_cwnd_ = last_time_ = origin_point_ = bic_k_ = 0;
  delay_min_us_ = epoch_start_ = ack_cnt_ = tcp_cwnd_ = 0;
  epoch_ = false;
  found_ = false;
}

void LinuxCubic::init(Time now, std::uint32_t mss, std::uint32_t initial_cwnd_bytes) {
  mss_ = std::max<std::uint32_t>(mss, 1);
  cwnd_ = initial_cwnd_bytes;
  ssthresh_ = std::numeric_limits<std::uint32_t>::max();  // TCP_INFINITE_SSTHRESH
  reset();
  round_started_ = false;
  snd_cwnd_cnt_ = 0;
  lsndtime_ = jiffies(now);
  pacing_rate_ = 0;
  in_rto_ = false;
}

void LinuxCubic::set_cwnd_pkts(std::uint64_t p) {
  const std::uint64_t clamp = std::numeric_limits<std::uint32_t>::max() / mss_;  // snd_cwnd_clamp in bytes
  cwnd_ = static_cast<std::uint32_t>(std::min(p, clamp) * mss_);
}

std::uint32_t LinuxCubic::slow_start(std::uint32_t acked) {
  // tcp_slow_start: cwnd grows by the packets acknowledged, up to ssthresh;
  // what is left over goes to congestion avoidance.
  const std::uint32_t cwnd = snd_cwnd();
  const std::uint32_t grown = static_cast<std::uint32_t>(
      std::min<std::uint64_t>(std::uint64_t{cwnd} + acked, snd_ssthresh()));
  set_cwnd_pkts(grown);
  return acked - (grown - cwnd);
}

void LinuxCubic::update(Time now, std::uint32_t cwnd, std::uint32_t acked) {
  ack_cnt_ += acked;  // packets acknowledged in this epoch
  const std::uint32_t j = jiffies(now);
  if (last_cwnd_ == cwnd && static_cast<std::int32_t>(j - last_time_) <= static_cast<std::int32_t>(kHz / 32)) return;
  // cnt is recomputed at most once per jiffy (a reduction ends the epoch and forces it).
  if (!(epoch_ && j == last_time_)) {
    last_cwnd_ = cwnd;
    last_time_ = j;
    if (!epoch_) {
      epoch_ = true;
      epoch_start_ = j;
      ack_cnt_ = acked;
      tcp_cwnd_ = cwnd;
      if (last_max_cwnd_ <= cwnd) {
        bic_k_ = 0;
        origin_point_ = cwnd;
      } else {
        // K = cbrt((W_max - cwnd) / C) in 2^-10 s: cube_factor = 2^40 / 410.
        bic_k_ = cubic_root(kCubeFactor * (last_max_cwnd_ - cwnd));
        origin_point_ = last_max_cwnd_;
      }
    }
    // t = time since the epoch began plus delay_min (the target one RTT
    // ahead), in 2^-10 s.
    std::uint64_t t = static_cast<std::uint64_t>(static_cast<std::int64_t>(static_cast<std::int32_t>(j - epoch_start_)));
    t += usecs_to_jiffies(delay_min_us_);
    t = (t << kBicHz) / kHz;
    const std::uint64_t offs = t < bic_k_ ? bic_k_ - t : t - bic_k_;
    // C (t - K)^3 packets: 410 offs^3 >> 40 (u64, truncated to u32 as Linux).
    const auto delta = static_cast<std::uint32_t>((kCubeRttScale * offs * offs * offs) >> (10 + 3 * kBicHz));
    const std::uint32_t bic_target = t < bic_k_ ? origin_point_ - delta : origin_point_ + delta;
    cnt_ = bic_target > cwnd ? cwnd / (bic_target - cwnd) : 100 * cwnd;
    // No W_max yet (after a timeout, or never a loss): at least 5 % per RTT.
    if (last_max_cwnd_ == 0 && cnt_ > 20) cnt_ = 20;
  }
  // TCP friendliness: the Reno-emulation window grows one packet per
  // cwnd * beta_scale / 8 packets acknowledged; cwnd follows it when ahead.
  const std::uint32_t step = std::max<std::uint32_t>((cwnd * kFriendlyScale) >> 3, 1);
  if (ack_cnt_ > step) {
    const std::uint32_t n = (ack_cnt_ - 1) / step;  // the `while (ack_cnt > delta)` loop, at once
    ack_cnt_ -= n * step;
    tcp_cwnd_ += n;
  }
  if (tcp_cwnd_ > cwnd) {
    const std::uint32_t max_cnt = cwnd / (tcp_cwnd_ - cwnd);
    cnt_ = std::min(cnt_, max_cnt);
  }
  // At most one packet per 2 acknowledged: 1.5 x per RTT.
  cnt_ = std::max<std::uint32_t>(cnt_, 2);
}

void LinuxCubic::cong_avoid_ai(std::uint32_t w, std::uint32_t acked) {
  // tcp_cong_avoid_ai: cwnd += acked / w, the remainder kept in snd_cwnd_cnt;
  // credit earned at a larger w is applied gently first.
  std::uint64_t cwnd = snd_cwnd();
  if (snd_cwnd_cnt_ >= w) {
    snd_cwnd_cnt_ = 0;
    ++cwnd;
  }
  snd_cwnd_cnt_ += acked;
  if (snd_cwnd_cnt_ >= w) {
    const std::uint32_t delta = snd_cwnd_cnt_ / w;
    snd_cwnd_cnt_ -= delta * w;
    cwnd += delta;
  }
  set_cwnd_pkts(cwnd);
}

void LinuxCubic::on_ack(Time now, std::uint32_t acked_bytes, std::uint32_t bytes_in_flight,
                        std::optional<Duration> rtt) {
  in_rto_ = false;
  std::uint32_t acked = (acked_bytes + mss_ - 1) / mss_;
  if (acked > 0) {
    // cubictcp_cong_avoid (the caller checked tcp_is_cwnd_limited).
    if (snd_cwnd() < snd_ssthresh()) acked = slow_start(acked);
    if (acked > 0) {
      update(now, snd_cwnd(), acked);
      cong_avoid_ai(cnt_, acked);
    }
  }
  const std::uint32_t packets_out = (bytes_in_flight + mss_ - 1) / mss_;
  if (rtt) {
    // tcp_update_pacing_rate at the end of tcp_cong_control: 200 % of
    // cwnd / SRTT in slow start (below ssthresh / 2), else 120 %.
    const std::uint64_t ratio = snd_cwnd() < snd_ssthresh() / 2 ? kPacingSsRatio : kPacingCaRatio;
    const std::uint64_t srtt_us8 = static_cast<std::uint64_t>(std::max<std::int64_t>(rtt->us(), 0)) << 3;
    std::uint64_t rate = std::uint64_t{mss_} * ((1'000'000 / 100) << 3) * ratio *
                         std::max(snd_cwnd(), packets_out);
    if (srtt_us8 > 0) rate /= srtt_us8;
    pacing_rate_ = rate;
  }
}

void LinuxCubic::recalc_ssthresh(Time /*now*/, std::uint32_t /*bytes_in_flight*/) {
  in_rto_ = false;
  snd_cwnd_cnt_ = 0;  // tcp_init_cwnd_reduction
  epoch_ = false;     // end of epoch
  const std::uint32_t cwnd = snd_cwnd();
  // W_max and fast convergence: a W_max below the last one releases
  // bandwidth, W_max = cwnd (1 + beta) / 2.
  last_max_cwnd_ = cwnd < last_max_cwnd_ ? cwnd * (kBetaScale + kBeta) / (2 * kBetaScale) : cwnd;
  ssthresh_ = std::max<std::uint32_t>(cwnd * kBeta / kBetaScale, 2) * mss_;
}

void LinuxCubic::on_rto(Time now, std::uint32_t bytes_in_flight) {
  // tcp_enter_loss: a fresh timeout takes ssthresh from the ssthresh hook;
  // a repeated one keeps it. Then cubictcp_state(TCP_CA_Loss): bictcp_reset
  // and a new HyStart round (started with the next sample here).
  if (!in_rto_) recalc_ssthresh(now, bytes_in_flight);
  in_rto_ = true;
  reset();
  round_started_ = false;
  snd_cwnd_cnt_ = 0;
  cwnd_ = mss_;
}

void LinuxCubic::on_data_sent(Time now, bool idle) {
  const std::uint32_t j = jiffies(now);
  if (idle && epoch_) {
    // cubictcp_cwnd_event(CA_EVENT_TX_START): application-limited for a
    // while; shift the epoch so that cwnd stays on the cubic curve.
    const auto delta = static_cast<std::int32_t>(j - lsndtime_);
    if (delta > 0) {
      epoch_start_ += static_cast<std::uint32_t>(delta);
      if (after32(epoch_start_, j)) epoch_start_ = j;
    }
  }
  lsndtime_ = j;
}

void LinuxCubic::hystart_reset(Time now, wire::SeqNum snd_nxt) {
  // bictcp_hystart_reset: a round ends when SND.NXT of its start is acknowledged.
  round_started_ = true;
  round_start_us_ = last_ack_us_ = static_cast<std::uint32_t>(now.ns() / 1000);
  end_seq_ = snd_nxt;
  curr_rtt_us_ = 0xffffffffu;
  sample_cnt_ = 0;
}

std::uint32_t LinuxCubic::hystart_ack_delay_us() const {
  // hystart_ack_delay: 4 GSO bursts at the pacing rate, at most 1 ms.
  if (pacing_rate_ == 0) return 0;
  return static_cast<std::uint32_t>(std::min<std::uint64_t>(1000, kGsoMaxSize * 4 * 1'000'000 / pacing_rate_));
}

void LinuxCubic::hystart_update(Time now, std::uint32_t delay_us, wire::SeqNum snd_una, wire::SeqNum snd_nxt) {
  if (!round_started_ || snd_una > end_seq_) hystart_reset(now, snd_nxt);
  if (snd_cwnd() < kHystartLowWindow) return;
  const auto now_us = static_cast<std::uint32_t>(now.ns() / 1000);
  // Ack train: ACKs no more than 2 ms apart still arriving delay_min / 2
  // after the round began (threshold halved: no pacing qdisc,
  // sk_pacing_status == SK_PACING_NONE).
  if (static_cast<std::int32_t>(now_us - last_ack_us_) <= static_cast<std::int32_t>(kHystartAckDeltaUs)) {
    last_ack_us_ = now_us;
    const std::uint32_t threshold = (delay_min_us_ + hystart_ack_delay_us()) >> 1;
    if (now_us - round_start_us_ > threshold) {
      found_ = true;
      ssthresh_ = snd_cwnd() * mss_;
    }
  }
  // Delay increase: the smallest of the round's first 8 samples exceeds
  // delay_min by delay_min / 8, clamped to [4, 16] ms.
  curr_rtt_us_ = std::min(curr_rtt_us_, delay_us);
  if (sample_cnt_ < kHystartMinSamples) {
    ++sample_cnt_;
    return;
  }
  const std::uint32_t thresh = std::clamp(delay_min_us_ >> 3, kHystartDelayMinUs, kHystartDelayMaxUs);
  if (curr_rtt_us_ > delay_min_us_ + thresh) {
    found_ = true;
    ssthresh_ = snd_cwnd() * mss_;
  }
}

void LinuxCubic::on_rtt_sample(Time now, Duration rtt, wire::SeqNum snd_una, wire::SeqNum snd_nxt) {
  // cubictcp_acked. Samples in the first second of an epoch (just after a
  // recovery) are discarded.
  if (epoch_ && static_cast<std::int32_t>(jiffies(now) - epoch_start_) < static_cast<std::int32_t>(kHz)) return;
  const std::int64_t us = std::clamp<std::int64_t>(rtt.us(), 1, std::numeric_limits<std::uint32_t>::max());
  const auto delay = static_cast<std::uint32_t>(us);
  if (delay_min_us_ == 0 || delay_min_us_ > delay) delay_min_us_ = delay;
  if (!found_ && snd_cwnd() < snd_ssthresh() && hystart_) hystart_update(now, delay, snd_una, snd_nxt);
}

}  // namespace wiresim::tcp
