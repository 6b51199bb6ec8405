#pragma once
/// Proportional Rate Reduction (RFC 6937) as Linux 6.x runs it in the CWR
/// and Recovery states (net/ipv4/tcp_input.c: tcp_init_cwnd_reduction,
/// tcp_cwnd_reduction, tcp_end_cwnd_reduction). Instead of dropping cwnd to
/// ssthresh at once, each ACK lets out as much as it delivered times
/// ssthresh / prior_cwnd while the flight is above ssthresh (RFC 6937 §3
/// proportional part), and packet conservation below it, plus one packet
/// when SND.UNA advanced with no new loss (the slow-start reduction bound,
/// PRR-SSRB; otherwise PRR-CRB), at most up to ssthresh. Linux counts in
/// packets; so does this part (the connection converts).

#include <cstdint>
#include <optional>

namespace wiresim::tcp {

class Prr {
 public:
  /// tcp_init_cwnd_reduction: prior_cwnd = cwnd, prr_delivered = prr_out = 0.
  void begin(std::uint32_t cwnd_pkts);
  /// The reduction is over (tcp_end_cwnd_reduction, an undo, a timeout).
  void end() { active_ = false; }
  /// A data segment left during the reduction (tcp_write_xmit and
  /// tcp_xmit_retransmit_queue add to prr_out).
  void on_sent(std::uint32_t pkts) {
    if (active_) out_ += pkts;
  }
  /// tcp_cwnd_reduction for one ACK: `delivered` packets newly acknowledged
  /// or SACKed (nothing when 0), `in_flight` tcp_packets_in_flight() after
  /// the ACK, `newly_lost` packets this ACK marked lost, `una_advanced` it
  /// moved SND.UNA. Returns the new cwnd in packets: in_flight + sndcnt,
  /// with sndcnt at least 1 while nothing was sent yet (the fast retransmit).
  [[nodiscard]] std::optional<std::uint32_t> on_ack(std::uint32_t ssthresh, std::uint32_t in_flight,
                                                    std::uint32_t delivered, std::uint32_t newly_lost,
                                                    bool una_advanced);

  [[nodiscard]] bool active() const { return active_; }
  [[nodiscard]] std::uint32_t prior_cwnd() const { return prior_cwnd_; }  ///< packets
  [[nodiscard]] std::uint32_t delivered() const { return delivered_; }    ///< prr_delivered, packets
  [[nodiscard]] std::uint32_t out() const { return out_; }                ///< prr_out, packets

 private:
  bool active_ = false;
  std::uint32_t prior_cwnd_ = 0;
  std::uint32_t delivered_ = 0;
  std::uint32_t out_ = 0;
};

}  // namespace wiresim::tcp
