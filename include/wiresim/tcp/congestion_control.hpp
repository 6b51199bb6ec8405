#pragma once
/// Congestion control behind a small interface, one file per algorithm
/// (DESIGN.md style note 7). All windows are in bytes.

#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>

#include "wiresim/core/time.hpp"
#include "wiresim/wire/seq_num.hpp"

namespace wiresim::tcp {

/// Decides cwnd growth and the reaction to loss. Fast-recovery bookkeeping
/// (dupacks, recovery point, the window inflation of RFC 6582, the RFC 6675
/// pipe) belongs to the connection; it may adjust cwnd with set_cwnd().
class CongestionControl {
 public:
  virtual ~CongestionControl() = default;

  /// "newreno" or "cubic".
  [[nodiscard]] virtual std::string_view name() const = 0;
  /// Once, when the connection is established. `mss` = effective sender MSS
  /// (SMSS, bytes); cwnd = initial_cwnd_bytes, ssthresh = "infinite"
  /// (RFC 5681 §3.1).
  virtual void init(Time now, std::uint32_t mss, std::uint32_t initial_cwnd_bytes) = 0;
  /// New data cumulatively acknowledged while NOT in loss recovery.
  /// `acked_bytes`: bytes newly acknowledged by this ACK; `bytes_in_flight`:
  /// flight before this ACK; `rtt`: the connection's current smoothed RTT
  /// (RttEstimator::srtt()) if known: CUBIC's W_cubic(t + RTT) target
  /// (RFC 9438 §4.2) uses it and remembers the last value given.
  virtual void on_ack(Time now, std::uint32_t acked_bytes, std::uint32_t bytes_in_flight,
                      std::optional<Duration> rtt) = 0;
  /// A congestion event (loss or ECE) begins a reduction: sets ssthresh
  /// (RFC 5681 eq. 4 for NewReno, beta = 0.7 for CUBIC, RFC 9438 §4.6; the
  /// congestion_ops ssthresh() hook Linux's tcp_init_cwnd_reduction calls)
  /// and the algorithm's own state; leaves cwnd, which the connection then
  /// walks down (PRR, RFC 6937) or sets (on_fast_loss).
  virtual void recalc_ssthresh(Time now, std::uint32_t bytes_in_flight) = 0;
  /// Loss detected by duplicate ACKs or SACK without PRR: recalc_ssthresh,
  /// then cwnd = ssthresh. Once per recovery episode (RFC 6582 §3.2 step 2).
  void on_fast_loss(Time now, std::uint32_t bytes_in_flight) {
    recalc_ssthresh(now, bytes_in_flight);
    cwnd_ = ssthresh_;
  }
  /// Retransmission timeout: ssthresh as above, cwnd = 1 MSS (the loss window,
  /// RFC 5681 §3.1). When called again with no on_ack() or on_fast_loss() in
  /// between (the same data timing out again), ssthresh is held (RFC 5681 §3.1).
  virtual void on_rto(Time now, std::uint32_t bytes_in_flight) = 0;

  /// Congestion window, bytes.
  [[nodiscard]] std::uint32_t cwnd() const { return cwnd_; }
  /// Slow-start threshold, bytes; 0xffffffff until the first loss.
  [[nodiscard]] std::uint32_t ssthresh() const { return ssthresh_; }
  /// For the connection's recovery inflation/deflation (RFC 6582 §3.2).
  void set_cwnd(std::uint32_t c) { cwnd_ = c; }
  /// For an undo of a spurious reduction (RFC 4015 §3.2; Linux
  /// tcp_undo_cwnd_reduction restores ssthresh).
  void set_ssthresh(std::uint32_t s) { ssthresh_ = s; }
  /// The RTT of the newest never-resent segment this ACK delivered (Linux's
  /// pkts_acked sample), before on_ack(); `snd_una` is this ACK's cumulative
  /// point and `snd_nxt` the next sequence number to send. HyStart uses it.
  virtual void on_rtt_sample(Time /*now*/, Duration /*rtt*/, wire::SeqNum /*snd_una*/, wire::SeqNum /*snd_nxt*/) {}
  /// HyStart on or off (only CUBIC has it).
  virtual void set_hystart(bool /*on*/) {}
  /// A data segment is about to leave (Linux tcp_event_data_sent); `idle`:
  /// nothing was in flight (tcp_packets_in_flight() == 0), Linux's
  /// CA_EVENT_TX_START.
  virtual void on_data_sent(Time /*now*/, bool /*idle*/) {}

 protected:
  std::uint32_t cwnd_ = 0;
  std::uint32_t ssthresh_ = 0xffffffffu;
  std::uint32_t mss_ = 1460;
};

/// Which algorithm the name "cubic" stands for (TcpProfile::cubic_model).
enum class CubicModel : std::uint8_t {
  kRfc9438,  ///< RFC 9438 in bytes and microseconds (Cubic)
  kLinux,    ///< Linux net/ipv4/tcp_cubic.c in packets and jiffies (LinuxCubic)
};

/// "newreno" or "cubic" (as `cubic` says); nullptr for any other name.
std::unique_ptr<CongestionControl> make_congestion_control(std::string_view name,
                                                           CubicModel cubic = CubicModel::kRfc9438);

}  // namespace wiresim::tcp
