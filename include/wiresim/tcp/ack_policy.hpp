#pragma once
/// When a receiver acknowledges, as Linux decides it (net/ipv4/tcp_input.c
/// tcp_event_data_recv, __tcp_ack_snd_check; tcp_output.c
/// tcp_send_delayed_ack, tcp_event_ack_sent; tcp_timer.c
/// tcp_delack_timer_handler; include/net/inet_connection_sock.h icsk_ack):
///
/// - quick-ACK mode: the first data segment of a connection, or one after
///   a gap longer than the RTO, allows up to min(rcv_wnd / (2 rcv_mss), 16)
///   immediate ACKs (tcp_incr_quickack, TCP_MAX_QUICKACKS); a segment that
///   grows the window (tcp_grow_window) allows one more. Quick-ACK mode is
///   off while the connection is interactive ("pingpong": we sent data
///   within an ACK timeout of the last data received).
/// - otherwise an ACK goes out when more than one full segment is unacked
///   and the window we would offer did not shrink, or the delayed-ACK timer
///   fires after the ACK timeout (ato): TCP_ATO_MIN (40 ms) at first, then
///   estimated from the gaps between arrivals, at most the RTT and
///   TCP_DELACK_MAX (200 ms).
///
/// This part keeps the icsk_ack state; the connection calls it at the
/// points Linux does and asks it whether and when to ACK.

#include <cstdint>

#include "wiresim/core/time.hpp"
#include "wiresim/tcp/profile.hpp"

namespace wiresim::tcp {

class AckPolicy {
 public:
  explicit AckPolicy(const TcpProfile& p) : p_(p), ato_(Duration::zero()) {}

  /// tcp_initialize_rcv_mss: the first guess of the peer's segment size,
  /// min(advmss, mss, rcv_wnd / 2, 536), at least TCP_MIN_MSS (88).
  void init_rcv_mss(std::uint32_t advmss, std::uint32_t mss, std::uint32_t rcv_wnd);
  /// tcp_measure_rcv_mss: a segment of `len` payload bytes. Returns true
  /// when it raised the estimate with a segment of another size (Linux
  /// then re-derives its window scaling ratio).
  bool measure_rcv_mss(std::uint32_t len, std::uint32_t advmss, std::uint32_t tcp_header_len);
  /// tcp_event_data_recv: in-order data arrived at `now`. The ACK timeout
  /// follows the arrival gaps; the first data, or data after a gap longer
  /// than `rto`, enters quick-ACK mode for a window of `rcv_wnd` bytes.
  void on_data(Time now, Duration rto, std::uint32_t rcv_wnd);
  /// tcp_enter_quickack_mode: out-of-order or duplicate data, or a
  /// window that must be announced: ACK at once for a while.
  void enter_quickack(std::uint32_t rcv_wnd);
  /// tcp_grow_window raised rcv_ssthresh: icsk_ack.quick |= 1.
  void allow_one_quick() { quick_ |= 1u; }
  /// __tcp_select_window found the free space below half the buffer.
  void quick_off() { quick_ = 0; }
  /// tcp_in_quickack_mode.
  [[nodiscard]] bool in_quickack() const { return quick_ > 0 && !pingpong(); }
  [[nodiscard]] bool pingpong() const { return pingpong_ >= p_.pingpong_thresh; }
  /// We sent data at `now` (tcp_event_data_sent): a reply within an ACK
  /// timeout of the last data received makes the connection interactive.
  void on_data_sent(Time now);
  /// Our FIN follows the peer's in the same exchange (tcp_fin: pingpong on).
  void enter_pingpong() { pingpong_ = std::max(pingpong_, p_.pingpong_thresh); }
  /// tcp_event_ack_sent -> tcp_dec_quickack_mode: an ACK of new data left;
  /// `scheduled` says whether one was owed.
  void on_ack_sent(bool scheduled);
  /// tcp_send_delayed_ack: how long an owed ACK may wait. `srtt` is the
  /// smoothed RTT, zero before the first sample.
  [[nodiscard]] Duration delay(Duration srtt) const;
  /// tcp_delack_timer_handler: the delayed ACK was due. Outside pingpong
  /// the ACK timeout doubles (at most `rto`); in pingpong, pingpong ends
  /// and the timeout falls back to TCP_ATO_MIN.
  void on_delack_timeout(Duration rto);
  /// A small segment was pushed (ICSK_ACK_PUSHED / PUSHED2, set by
  /// tcp_measure_rcv_mss): tcp_cleanup_rbuf ACKs it once the app read it.
  [[nodiscard]] bool pushed() const { return pushed_; }
  [[nodiscard]] bool pushed2() const { return pushed2_; }

  [[nodiscard]] std::uint32_t rcv_mss() const { return rcv_mss_; }
  [[nodiscard]] std::uint32_t quick() const { return quick_; }
  [[nodiscard]] Duration ato() const { return ato_; }

 private:
  void incr_quickack(std::uint32_t rcv_wnd, std::uint32_t max_quickacks);

  const TcpProfile& p_;
  std::uint32_t rcv_mss_ = 536;       ///< icsk_ack.rcv_mss
  std::uint32_t last_seg_size_ = 0;   ///< icsk_ack.last_seg_size
  std::uint32_t quick_ = 0;           ///< icsk_ack.quick: immediate ACKs left
  std::uint32_t pingpong_ = 0;        ///< icsk_ack.pingpong
  Duration ato_;                      ///< icsk_ack.ato; zero until the first data
  Time lrcvtime_{};                   ///< icsk_ack.lrcvtime: the last data received
  bool pushed_ = false;               ///< ICSK_ACK_PUSHED
  bool pushed2_ = false;              ///< ICSK_ACK_PUSHED2
};

}  // namespace wiresim::tcp
