#pragma once
/// CUBIC congestion control (RFC 9438), in integer arithmetic: windows in
/// bytes, times in microseconds, C = 0.4 and beta_cubic = 0.7 as exact
/// fractions. What "cubic" means in the `windows` profile (CUBIC is Windows'
/// default since Windows 10 1709, documented by name only, so it follows
/// the RFC); Linux's own integer arithmetic is LinuxCubic (linux_cubic.hpp).

#include <cstdint>

#include "wiresim/tcp/congestion_control.hpp"

namespace wiresim::tcp {

class Cubic final : public CongestionControl {
 public:
  /// beta_cubic = 7/10 (RFC 9438 §4.6).
  static constexpr std::uint32_t kBetaNum = 7, kBetaDen = 10;
  /// C = 4/10 segments per second cubed (RFC 9438 §5.1).
  static constexpr std::uint32_t kCNum = 4, kCDen = 10;
  /// alpha_cubic = 3 (1 - beta) / (1 + beta) = 9/17 (RFC 9438 §4.3).
  static constexpr std::uint32_t kAlphaNum = 9, kAlphaDen = 17;
  /// Appropriate byte counting limit L in slow start, in SMSS (as NewReno).
  static constexpr std::uint32_t kAbcLimitSegments = 2;

  [[nodiscard]] std::string_view name() const override { return "cubic"; }
  void init(Time now, std::uint32_t mss, std::uint32_t initial_cwnd_bytes) override;
  /// Slow start below ssthresh; above it the cubic window of RFC 9438 §4.2
  /// with the Reno-friendly region of §4.3 (cwnd = max(W_cubic target, W_est)).
  void on_ack(Time now, std::uint32_t acked_bytes, std::uint32_t bytes_in_flight,
              std::optional<Duration> rtt) override;
  /// RFC 9438 §4.6 and §4.7 (fast convergence): ssthresh = max(0.7*flight, 2*SMSS).
  void recalc_ssthresh(Time now, std::uint32_t bytes_in_flight) override;
  /// RFC 9438 §4.8: ssthresh as for fast loss, cwnd = 1 SMSS; the next
  /// congestion-avoidance stage starts with K = 0 and W_max = its first cwnd.
  void on_rto(Time now, std::uint32_t bytes_in_flight) override;

  /// HyStart (Linux tcp_cubic.c, hystart_detect = ACK train | delay): feeds
  /// the round's RTT samples; may end slow start (ssthresh = cwnd).
  void on_rtt_sample(Time now, Duration rtt, wire::SeqNum snd_una, wire::SeqNum snd_nxt) override;
  void set_hystart(bool on) override { hystart_ = on; }

  /// HyStart constants of tcp_cubic.c: it acts from 16 segments of cwnd
  /// (hystart_low_window); ACKs closer than 2 ms form a train
  /// (hystart_ack_delta_us); the delay test takes the smallest of the first
  /// 8 samples of a round (HYSTART_MIN_SAMPLES) against delay_min plus
  /// delay_min/8 clamped to [4, 16] ms (HYSTART_DELAY_THRESH).
  static constexpr std::uint32_t kHystartLowWindow = 16;
  static constexpr Duration kHystartAckDelta = Duration::microseconds(2000);
  static constexpr std::uint32_t kHystartMinSamples = 8;
  static constexpr Duration kHystartDelayMin = Duration::microseconds(4000);
  static constexpr Duration kHystartDelayMax = Duration::microseconds(16000);
  /// Whether HyStart ended the current slow start.
  [[nodiscard]] bool hystart_found() const { return found_; }

  /// W_max in bytes: cwnd just before the last reduction (after fast convergence).
  [[nodiscard]] std::uint32_t w_max() const { return w_max_; }
  /// K of the current congestion-avoidance epoch, microseconds (RFC 9438 eq. 2);
  /// zero outside an epoch.
  [[nodiscard]] std::int64_t k_us() const { return k_us_; }
  /// W_est of the Reno-friendly region, bytes (RFC 9438 §4.3).
  [[nodiscard]] std::uint32_t w_est() const { return w_est_; }
  /// RFC 9438 eq. 1 in bytes, W_cubic(t) = C (t - K)^3 + W_max, for `t_us`
  /// microseconds since the start of the current epoch (no epoch: W_max).
  [[nodiscard]] std::int64_t w_cubic(std::int64_t t_us) const;

 private:
  void start_epoch(Time now);
  void reduce(std::uint32_t bytes_in_flight);
  void grow_reno_friendly(std::uint32_t acked_bytes);
  [[nodiscard]] std::uint32_t cubic_target(Time now) const;

  std::uint32_t w_max_ = 0;         ///< bytes
  std::uint32_t cwnd_prior_ = 0;    ///< cwnd at the last reduction, bytes
  std::uint32_t w_est_ = 0;         ///< bytes
  std::uint32_t epoch_cwnd_ = 0;    ///< cwnd_epoch, bytes
  std::int64_t k_us_ = 0;
  std::optional<Time> epoch_start_; ///< unset outside congestion avoidance
  Duration rtt_ = Duration::zero(); ///< last smoothed RTT given to on_ack
  std::uint64_t cubic_credit_ = 0;  ///< fractional cwnd growth, bytes * cwnd
  std::uint64_t est_credit_ = 0;    ///< fractional W_est growth, bytes * 17 * cwnd
  bool reset_w_max_ = false;        ///< after an RTO (RFC 9438 §4.8)
  // HyStart state (struct bictcp: round_start, last_ack, end_seq, curr_rtt,
  // sample_cnt, delay_min, found)
  void hystart_reset(Time now, wire::SeqNum snd_nxt);
  [[nodiscard]] Duration hystart_ack_delay() const;
  bool hystart_ = false;
  bool found_ = false;
  bool round_started_ = false;
  Time round_start_{};
  Time last_ack_{};
  wire::SeqNum end_seq_{};
  std::optional<Duration> curr_rtt_;
  std::uint32_t sample_cnt_ = 0;
  std::optional<Duration> delay_min_;
  bool in_rto_ = false;             ///< last event was a timeout with no ACK since
};

}  // namespace wiresim::tcp
