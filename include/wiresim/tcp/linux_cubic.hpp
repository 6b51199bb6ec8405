#pragma once
/// CUBIC as Linux computes it (net/ipv4/tcp_cubic.c, "CUBIC TCP v2.3", with
/// tcp_cong.c's tcp_slow_start and tcp_cong_avoid_ai): the window in whole
/// packets with the snd_cwnd_cnt credit, beta = 717/1024, time in jiffies
/// (bictcp_update) scaled to 1/1024 s (BICTCP_HZ), the cube root by table
/// lookup and one Newton step (cubic_root), the Reno-emulation window
/// tcp_cwnd with beta_scale, and HyStart (ack train and delay increase).
///
/// The base class keeps cwnd and ssthresh in bytes: here they are always
/// whole packets times the SMSS (a cwnd another part set to a fraction is
/// taken as floor(cwnd / SMSS) packets). Module parameters are Linux's
/// defaults: fast_convergence=1, beta=717, bic_scale=41, tcp_friendliness=1,
/// hystart=1, hystart_detect=3, hystart_low_window=16,
/// hystart_ack_delta_us=2000, initial_ssthresh=0.

#include <cstdint>

#include "wiresim/tcp/congestion_control.hpp"

namespace wiresim::tcp {

class LinuxCubic final : public CongestionControl {
 public:
  /// CONFIG_HZ of Debian's kernels (the jiffy is 4 ms; TcpProfile::rto_granularity).
  static constexpr std::uint32_t kHz = 250;
  static constexpr std::uint32_t kBetaScale = 1024;  ///< BICTCP_BETA_SCALE
  static constexpr std::uint32_t kBeta = 717;        ///< beta = 717/1024 ~ 0.7
  static constexpr std::uint32_t kBicScale = 41;     ///< C = 41/1024 * 10 ~ 0.4
  static constexpr std::uint32_t kBicHz = 10;        ///< BICTCP_HZ: time unit 2^-10 s
  /// cube_rtt_scale = bic_scale * 10 (cubictcp_register).
  static constexpr std::uint32_t kCubeRttScale = kBicScale * 10;
  /// beta_scale = 8 (1024 + beta) / 3 / (1024 - beta) = 15: the Reno-emulation
  /// window grows one packet per (cwnd * 15 / 8) packets acknowledged.
  static constexpr std::uint32_t kFriendlyScale = 8 * (kBetaScale + kBeta) / 3 / (kBetaScale - kBeta);
  /// cube_factor = 2^(10 + 3 * BICTCP_HZ) / (bic_scale * 10): K^3 per packet of W_max - cwnd.
  static constexpr std::uint64_t kCubeFactor = (std::uint64_t{1} << (10 + 3 * kBicHz)) / (kBicScale * 10);
  static constexpr std::uint32_t kHystartLowWindow = 16;       ///< packets
  static constexpr std::uint32_t kHystartAckDeltaUs = 2000;
  static constexpr std::uint32_t kHystartMinSamples = 8;       ///< HYSTART_MIN_SAMPLES
  static constexpr std::uint32_t kHystartDelayMinUs = 4000;    ///< HYSTART_DELAY_MIN
  static constexpr std::uint32_t kHystartDelayMaxUs = 16000;   ///< HYSTART_DELAY_MAX
  /// sk_gso_max_size (GSO_LEGACY_MAX_SIZE) for hystart_ack_delay, bytes.
  static constexpr std::uint64_t kGsoMaxSize = 65536;

  /// tcp_cubic.c cubic_root: cbrt(a) from a 64-entry table of the top bits
  /// and one Newton-Raphson step (average error ~0.2 %).
  [[nodiscard]] static std::uint32_t cubic_root(std::uint64_t a);

  [[nodiscard]] std::string_view name() const override { return "cubic"; }
  /// cubictcp_init: bictcp_reset (and the first HyStart round starts with
  /// the first RTT sample).
  void init(Time now, std::uint32_t mss, std::uint32_t initial_cwnd_bytes) override;
  /// cubictcp_cong_avoid: tcp_slow_start below ssthresh (cwnd += acked
  /// packets, up to ssthresh), the rest through bictcp_update and
  /// tcp_cong_avoid_ai. `acked_bytes` counts as ceil(acked_bytes / SMSS)
  /// packets (Linux's acked_sacked: each segment one packet).
  void on_ack(Time now, std::uint32_t acked_bytes, std::uint32_t bytes_in_flight,
              std::optional<Duration> rtt) override;
  /// cubictcp_recalc_ssthresh: the epoch ends; W_max (last_max_cwnd) is
  /// cwnd, or cwnd (1024 + 717) / 2048 when below the previous W_max (fast
  /// convergence); ssthresh = max(cwnd * 717 / 1024, 2) packets. From cwnd,
  /// not the flight.
  void recalc_ssthresh(Time now, std::uint32_t bytes_in_flight) override;
  /// tcp_enter_loss on a fresh timeout: ssthresh as above, then
  /// cubictcp_state(TCP_CA_Loss) resets everything (W_max = 0, delay_min,
  /// HyStart); cwnd = 1 packet. A repeated timeout holds ssthresh.
  void on_rto(Time now, std::uint32_t bytes_in_flight) override;
  /// cubictcp_acked: delay_min and HyStart (hystart_update).
  void on_rtt_sample(Time now, Duration rtt, wire::SeqNum snd_una, wire::SeqNum snd_nxt) override;
  void set_hystart(bool on) override { hystart_ = on; }
  /// tcp_event_data_sent: lsndtime; on CA_EVENT_TX_START (nothing in flight)
  /// cubictcp_cwnd_event shifts epoch_start by the idle time.
  void on_data_sent(Time now, bool idle) override;

  // ---- inspection (struct bictcp and tcp_sock fields) ----
  [[nodiscard]] std::uint32_t snd_cwnd() const { return pkts(cwnd_); }        ///< packets
  [[nodiscard]] std::uint32_t snd_ssthresh() const { return pkts(ssthresh_); }  ///< packets
  [[nodiscard]] std::uint32_t snd_cwnd_cnt() const { return snd_cwnd_cnt_; }
  [[nodiscard]] std::uint32_t cnt() const { return cnt_; }
  [[nodiscard]] std::uint32_t last_max_cwnd() const { return last_max_cwnd_; }
  [[nodiscard]] std::uint32_t bic_k() const { return bic_k_; }              ///< 2^-10 s
  [[nodiscard]] std::uint32_t origin_point() const { return origin_point_; }  ///< packets
  [[nodiscard]] std::uint32_t delay_min_us() const { return delay_min_us_; }
  [[nodiscard]] std::uint32_t tcp_cwnd() const { return tcp_cwnd_; }
  [[nodiscard]] std::uint32_t ack_cnt() const { return ack_cnt_; }
  [[nodiscard]] bool in_epoch() const { return epoch_; }
  [[nodiscard]] std::uint32_t epoch_start() const { return epoch_start_; }  ///< jiffies
  [[nodiscard]] bool hystart_found() const { return found_; }
  /// tcp_jiffies32 at `t`.
  [[nodiscard]] static std::uint32_t jiffies(Time t);

 private:
  [[nodiscard]] std::uint32_t pkts(std::uint32_t bytes) const { return bytes / mss_; }
  void set_cwnd_pkts(std::uint64_t p);
  void reset();  ///< bictcp_reset
  std::uint32_t slow_start(std::uint32_t acked);
  void update(Time now, std::uint32_t cwnd, std::uint32_t acked);  ///< bictcp_update
  void cong_avoid_ai(std::uint32_t w, std::uint32_t acked);
  void hystart_reset(Time now, wire::SeqNum snd_nxt);
  void hystart_update(Time now, std::uint32_t delay_us, wire::SeqNum snd_una, wire::SeqNum snd_nxt);
  [[nodiscard]] std::uint32_t hystart_ack_delay_us() const;
  void update_pacing_rate(std::optional<Duration> srtt);

  // struct bictcp
  std::uint32_t cnt_ = 0;            ///< increase cwnd by 1 after this many packets
  std::uint32_t last_max_cwnd_ = 0;  ///< W_max, packets
  std::uint32_t last_cwnd_ = 0;
  std::uint32_t last_time_ = 0;      ///< jiffies
  std::uint32_t origin_point_ = 0;   ///< bic_origin_point, packets
  std::uint32_t bic_k_ = 0;          ///< 2^-10 s
  std::uint32_t delay_min_us_ = 0;   ///< 0: no sample yet
  /// epoch_start in jiffies; Linux uses 0 for "no epoch", here `epoch_`
  /// (our clock starts at 0, Linux's jiffies at -300 s).
  std::uint32_t epoch_start_ = 0;
  bool epoch_ = false;
  std::uint32_t ack_cnt_ = 0;
  std::uint32_t tcp_cwnd_ = 0;       ///< Reno-emulation window, packets
  bool found_ = false;
  bool round_started_ = false;       ///< a HyStart round is under way
  std::uint32_t round_start_us_ = 0;
  wire::SeqNum end_seq_{};
  std::uint32_t last_ack_us_ = 0;
  std::uint32_t curr_rtt_us_ = 0xffffffffu;
  std::uint32_t sample_cnt_ = 0;
  // tcp_sock
  std::uint32_t snd_cwnd_cnt_ = 0;
  std::uint32_t lsndtime_ = 0;       ///< jiffies of the last data sent
  std::uint64_t pacing_rate_ = 0;    ///< sk_pacing_rate, bytes/s; 0 before the first RTT
  bool hystart_ = true;
  bool in_rto_ = false;              ///< last event was a timeout with no ACK since
};

}  // namespace wiresim::tcp
