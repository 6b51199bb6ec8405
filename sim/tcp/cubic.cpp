#include "wiresim/tcp/cubic.hpp"

#include <algorithm>
#include <limits>

namespace wiresim::tcp {

namespace {
__extension__ using U128 = unsigned __int128;

constexpr std::uint64_t kMaxWindow = std::numeric_limits<std::uint32_t>::max();
/// Microseconds cubed per second cubed.
constexpr U128 kUs3PerS3 = U128{1'000'000'000'000'000'000ULL};
/// |t - K| is clamped to 1000 s so that C (t-K)^3 * SMSS stays below 2^127
/// and the result below 2^62 for any 32-bit SMSS.
constexpr std::int64_t kMaxCubicOffsetUs = 1'000'000'000;

std::uint32_t clamp_window(std::uint64_t w) {
  return static_cast<std::uint32_t>(std::min(w, kMaxWindow));
}

/// The largest v with v^3 <= x (x < 2^126).
std::uint64_t cbrt_floor(U128 x) {
  std::uint64_t lo = 0;
  std::uint64_t hi = std::uint64_t{1} << 42;
  while (lo < hi) {
    const std::uint64_t mid = lo + (hi - lo + 1) / 2;
    if (U128{mid} * mid * mid <= x) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
}  // namespace

void Cubic::init(Time /*now*/, std::uint32_t mss, std::uint32_t initial_cwnd_bytes) {
  mss_ = std::max<std::uint32_t>(mss, 1);
  cwnd_ = initial_cwnd_bytes;
  ssthresh_ = std::numeric_limits<std::uint32_t>::max();
  w_max_ = cwnd_prior_ = w_est_ = epoch_cwnd_ = 0;
  k_us_ = 0;
  epoch_start_.reset();
  rtt_ = Duration::zero();
  cubic_credit_ = est_credit_ = 0;
  reset_w_max_ = in_rto_ = false;
  found_ = round_started_ = false;
  curr_rtt_.reset();
  delay_min_.reset();
  sample_cnt_ = 0;
}

void Cubic::hystart_reset(Time now, wire::SeqNum snd_nxt) {
  // bictcp_hystart_reset: a new round starts; it ends when this SND.NXT is acknowledged.
  round_started_ = true;
  round_start_ = last_ack_ = now;
  end_seq_ = snd_nxt;
  curr_rtt_.reset();
  sample_cnt_ = 0;
}

Duration Cubic::hystart_ack_delay() const {
  // hystart_ack_delay: the time 4 GSO-sized bursts (64 KiB each) take at
  // the pacing rate, at most 1 ms. Linux paces at 200 % of cwnd/SRTT in
  // slow start (tcp_update_pacing_rate).
  if (rtt_ <= Duration::zero() || cwnd_ == 0) return Duration::zero();
  const std::int64_t rate = std::int64_t{2} * cwnd_ * 1'000'000'000 / rtt_.ns();  // bytes per second
  if (rate <= 0) return Duration::milliseconds(1);
  const std::int64_t us = std::int64_t{65536} * 4 * 1'000'000 / rate;
  return std::min(Duration::microseconds(us), Duration::milliseconds(1));
}

void Cubic::on_rtt_sample(Time now, Duration rtt, wire::SeqNum snd_una, wire::SeqNum snd_nxt) {
  // cubictcp_acked: delay_min follows the smallest sample; HyStart runs in
  // slow start from hystart_low_window segments until it fires once.
  if (rtt <= Duration::zero()) rtt = Duration::microseconds(1);
  if (!delay_min_ || rtt < *delay_min_) delay_min_ = rtt;
  if (!hystart_ || found_ || cwnd_ >= ssthresh_ || cwnd_ < kHystartLowWindow * mss_) return;
  // hystart_update.
  if (!round_started_ || snd_una > end_seq_) hystart_reset(now, snd_nxt);
  if (now - last_ack_ <= kHystartAckDelta) {
    // ACK train: ACKs still arriving closely spaced half a minimum RTT
    // after the round began (no pacing: threshold halved).
    last_ack_ = now;
    const Duration threshold = (*delay_min_ + hystart_ack_delay()) / 2;
    if (now - round_start_ > threshold) {
      found_ = true;
      ssthresh_ = cwnd_;
      return;
    }
  }
  // Delay increase: the round's smallest of 8 samples exceeds delay_min by
  // delay_min/8, clamped to [4, 16] ms.
  if (!curr_rtt_ || rtt < *curr_rtt_) curr_rtt_ = rtt;
  if (sample_cnt_ < kHystartMinSamples) {
    ++sample_cnt_;
    return;
  }
  const Duration thresh = std::clamp(*delay_min_ / 8, kHystartDelayMin, kHystartDelayMax);
  if (*curr_rtt_ > *delay_min_ + thresh) {
    found_ = true;
    ssthresh_ = cwnd_;
  }
}

std::int64_t Cubic::w_cubic(std::int64_t t_us) const {
  if (!epoch_start_) return w_max_;
  // RFC 9438 eq. 1: C (t-K)^3 segments = 4 d^3 mss / (10 * 10^18) bytes for d in us.
  const std::int64_t d = std::clamp(t_us - k_us_, -kMaxCubicOffsetUs, kMaxCubicOffsetUs);
  const std::uint64_t mag = static_cast<std::uint64_t>(d < 0 ? -d : d);
  const U128 delta = U128{mag} * mag * mag * kCNum * mss_ / (kUs3PerS3 * kCDen);
  const auto delta64 = static_cast<std::int64_t>(delta);  // < 2^62 by the clamp
  return d < 0 ? std::int64_t{w_max_} - delta64 : std::int64_t{w_max_} + delta64;
}

void Cubic::start_epoch(Time now) {
  // RFC 9438 §4.2: t counts from the start of congestion avoidance.
  epoch_start_ = now;
  epoch_cwnd_ = cwnd_;
  if (reset_w_max_ || w_max_ <= cwnd_) {
    // RFC 9438 §4.8 (after a timeout) and §4.10 (no W_max yet); K = 0 also
    // when cwnd_epoch > W_max (§4.2).
    w_max_ = cwnd_;
    k_us_ = 0;
  } else {
    // RFC 9438 eq. 2: K = cbrt((W_max - cwnd_epoch) / C), in microseconds.
    const U128 diff = w_max_ - cwnd_;
    k_us_ = static_cast<std::int64_t>(cbrt_floor(diff * kCDen * kUs3PerS3 / (U128{kCNum} * mss_)));
  }
  reset_w_max_ = false;
  w_est_ = cwnd_;  // RFC 9438 §4.3
  cubic_credit_ = est_credit_ = 0;
}

std::uint32_t Cubic::cubic_target(Time now) const {
  // RFC 9438 §4.2: W_cubic(t + RTT) bounded to [cwnd, 1.5 cwnd].
  const std::int64_t t_us = (now - *epoch_start_ + rtt_).us();
  const std::int64_t w = w_cubic(t_us);
  const std::int64_t upper = std::int64_t{cwnd_} + cwnd_ / 2;
  return static_cast<std::uint32_t>(std::clamp(w, std::int64_t{cwnd_}, upper));
}

void Cubic::grow_reno_friendly(std::uint32_t acked_bytes) {
  // RFC 9438 §4.3 eq. 4 in bytes: W_est += alpha * acked * SMSS / cwnd, with
  // alpha = 9/17 until W_est reaches cwnd_prior, then 1. The remainder carries.
  const std::uint64_t alpha_num = w_est_ >= cwnd_prior_ ? kAlphaDen : kAlphaNum;
  const std::uint64_t den = std::uint64_t{kAlphaDen} * std::max<std::uint32_t>(cwnd_, 1);
  est_credit_ += alpha_num * acked_bytes * mss_;
  w_est_ = clamp_window(std::uint64_t{w_est_} + est_credit_ / den);
  est_credit_ %= den;
}

void Cubic::on_ack(Time now, std::uint32_t acked_bytes, std::uint32_t /*bytes_in_flight*/,
                   std::optional<Duration> rtt) {
  in_rto_ = false;
  if (rtt) rtt_ = *rtt;
  if (acked_bytes == 0) return;
  if (cwnd_ < ssthresh_) {
    // RFC 9438 §4.10: Reno slow start (RFC 5681 §3.1, L = 2*SMSS); it ends any epoch.
    epoch_start_.reset();
    k_us_ = 0;
    const std::uint64_t inc = std::min<std::uint64_t>(acked_bytes, std::uint64_t{kAbcLimitSegments} * mss_);
    cwnd_ = clamp_window(cwnd_ + inc);
    return;
  }
  if (!epoch_start_) start_epoch(now);
  grow_reno_friendly(acked_bytes);
  if (w_cubic((now - *epoch_start_).us()) < std::int64_t{w_est_}) {
    // RFC 9438 §4.3: the Reno-friendly region (never shrinking cwnd on an ACK).
    cwnd_ = std::max(cwnd_, w_est_);
    return;
  }
  // RFC 9438 §4.4 and §4.5: cwnd += (target - cwnd) / cwnd per SMSS acknowledged.
  const std::uint32_t cwnd = std::max<std::uint32_t>(cwnd_, 1);
  cubic_credit_ += std::uint64_t{cubic_target(now) - cwnd_} * acked_bytes;
  cwnd_ = clamp_window(std::uint64_t{cwnd_} + cubic_credit_ / cwnd);
  cubic_credit_ %= cwnd;
}

void Cubic::reduce(std::uint32_t bytes_in_flight) {
  // RFC 9438 §4.7 fast convergence: W_max = cwnd (1 + beta) / 2 = 17/20 cwnd.
  w_max_ = cwnd_ < w_max_ ? static_cast<std::uint32_t>(std::uint64_t{cwnd_} * 17 / 20) : cwnd_;
  // RFC 9438 §4.6.
  cwnd_prior_ = cwnd_;
  const auto reduced = static_cast<std::uint32_t>(std::uint64_t{bytes_in_flight} * kBetaNum / kBetaDen);
  ssthresh_ = std::max(reduced, 2 * mss_);
  epoch_start_.reset();
  k_us_ = 0;
}

void Cubic::recalc_ssthresh(Time /*now*/, std::uint32_t bytes_in_flight) {
  in_rto_ = false;
  reduce(bytes_in_flight);
}

void Cubic::on_rto(Time /*now*/, std::uint32_t bytes_in_flight) {
  // cubictcp_state(TCP_CA_Loss): HyStart starts over (bictcp_reset).
  found_ = round_started_ = false;
  // RFC 5681 §3.1: a repeated timeout of the same data holds ssthresh.
  if (!in_rto_) {
    reduce(bytes_in_flight);
    reset_w_max_ = true;  // RFC 9438 §4.8
  }
  in_rto_ = true;
  cwnd_ = mss_;
}

}  // namespace wiresim::tcp
