#pragma once
/// NewReno congestion control: the window rules of RFC 5681 §3.1 (the
/// recovery procedure of RFC 6582 is the connection's).

#include "wiresim/tcp/congestion_control.hpp"

namespace wiresim::tcp {

class NewReno final : public CongestionControl {
 public:
  /// Appropriate byte counting limit L in slow start (RFC 3465 §2.2), in SMSS.
  static constexpr std::uint32_t kAbcLimitSegments = 2;

  [[nodiscard]] std::string_view name() const override { return "newreno"; }
  void init(Time now, std::uint32_t mss, std::uint32_t initial_cwnd_bytes) override;
  /// Slow start while cwnd < ssthresh: cwnd += min(acked, L) (RFC 5681 eq. 2
  /// with L = 2*SMSS); otherwise cwnd += max(1, SMSS*SMSS/cwnd) (eq. 3).
  void on_ack(Time now, std::uint32_t acked_bytes, std::uint32_t bytes_in_flight,
              std::optional<Duration> rtt) override;
  /// ssthresh = max(flight/2, 2*SMSS) (RFC 5681 eq. 4).
  void recalc_ssthresh(Time now, std::uint32_t bytes_in_flight) override;
  /// ssthresh per eq. 4 (held on a repeated timeout), cwnd = 1 SMSS.
  void on_rto(Time now, std::uint32_t bytes_in_flight) override;

 private:
  [[nodiscard]] std::uint32_t half_flight(std::uint32_t bytes_in_flight) const;

  bool in_rto_ = false;  ///< last event was a timeout with no ACK since
};

}  // namespace wiresim::tcp
