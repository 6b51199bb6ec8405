#pragma once
/// Linux's receive window: the initial windows of tcp_select_initial_window,
/// the window tcp_select_window offers (rcv_ssthresh grown by
/// tcp_grow_window), and receive-buffer autotuning (dynamic right-sizing,
/// tcp_rcv_space_adjust / tcp_rcvbuf_grow), all in net/ipv4/tcp_input.c and
/// tcp_output.c of Linux 6.18. One small part of the connection
/// (DESIGN.md "Where the next parts go"); the connection calls it where
/// Linux does: at the SYN, when the connection is established
/// (tcp_init_buffer_space), per data segment (tcp_event_data_recv), when
/// it chooses a window, and when the application reads.
///
/// Memory: Linux charges each queued segment its skb->truesize. We charge
/// the bytes held (in order and out of order) at the truesize of a full
/// segment: tcp_space() = win_from_space(rcvbuf - rmem) ~ win_from_space(rcvbuf) - held.

#include <cstdint>

#include "wiresim/core/time.hpp"
#include "wiresim/tcp/profile.hpp"

namespace wiresim::tcp {

/// What tcp_select_initial_window returns (net/ipv4/tcp_output.c).
struct InitialWindow {
  std::uint32_t rcv_wnd = 0;       ///< the window of our SYN / SYN-ACK (bytes, unscaled)
  std::uint32_t window_clamp = 0;  ///< the most we will ever offer (bytes)
};

/// tcp_select_initial_window: `space` (tcp_full_space) rounded down to
/// whole `mss`, at most 65535 (a SYN's window is not scaled); the clamp is
/// 65535 << wscale.
[[nodiscard]] InitialWindow select_initial_window(std::uint32_t space, std::uint32_t mss, std::uint8_t wscale);

/// The shift tcp_select_initial_window offers for a receive buffer that may
/// grow to `rmem_max` (tcp_rmem[2]): ilog2(max(rmem_max, net.core.rmem_max)) - 15,
/// clamped to 0..14 (RFC 7323 §2.3). 33554432 gives 10, 6291456 gives 7.
[[nodiscard]] std::uint8_t linux_window_scale(std::uint32_t rmem_max);

class RcvAutotune {
 public:
  explicit RcvAutotune(const TcpProfile& p);

  /// tcp_win_from_space: the window `space` bytes of buffer memory carry
  /// (6.6+: space * scaling_ratio / 256; before: space - space >> adv_win_scale).
  [[nodiscard]] std::uint32_t win_from_space(std::int64_t space) const;
  /// tcp_space_from_win: the inverse.
  [[nodiscard]] std::uint32_t space_from_win(std::uint32_t win) const;
  /// tcp_full_space: the window of the whole buffer.
  [[nodiscard]] std::uint32_t full_space() const { return win_from_space(rcvbuf_); }

  /// Our SYN or SYN-ACK: the initial window for segments of `mss` payload
  /// bytes (tcp_connect_init / tcp_openreq_init_rwin). Returns its window.
  std::uint32_t init_syn(std::uint32_t mss, std::uint8_t wscale);
  /// tcp_init_buffer_space, when the connection is established: the clamp
  /// keeps one `advmss` segment in reserve (tcp_app_win) and rcv_ssthresh
  /// starts below it; DRS starts measuring from `copied` at `now`.
  void init_buffer_space(std::uint32_t advmss, Time now, std::uint64_t copied);

  /// tcp_measure_rcv_mss (6.6+): a segment of `len` payload bytes that is
  /// at least rcv_mss and not equal to it re-derives scaling_ratio from
  /// its truesize, and the window clamp with it (tcp_set_window_clamp).
  void on_new_rcv_mss(std::uint32_t len, std::uint32_t frame_len, std::uint32_t rcv_wnd);
  /// tcp_grow_window, for a data segment of `len` payload bytes (>= 128):
  /// rcv_ssthresh grows by 2 * advmss while the buffer has room. Returns
  /// true when it grew (Linux then sets icsk_ack.quick |= 1).
  bool grow_window(std::uint32_t len, std::uint32_t frame_len, std::uint32_t held);

  /// __tcp_select_window: the window to offer with `held` bytes in the
  /// buffer, for a peer sending `rcv_mss` byte segments, aligned to the
  /// window scale. `quick_off` is set when the free space fell below half
  /// the buffer (Linux leaves quick-ACK mode then).
  [[nodiscard]] std::uint32_t select(std::uint32_t held, std::uint32_t rcv_mss, std::uint8_t wscale,
                                     bool& quick_off) const;

  /// tcp_rcv_rtt_measure_ts: a data segment of at least rcv_mss bytes
  /// echoing our timestamp `tsecr`, `rtt` after we sent it.
  void rcv_rtt_sample(std::uint32_t tsecr, Duration rtt);
  /// tcp_rcv_space_adjust, after the application read: once per receive
  /// RTT, if it read more than last time, grow the buffer to twice that
  /// plus the slow-start growth (tcp_rcvbuf_grow, Linux 6.18), up to
  /// tcp_rmem[2]. `copied` counts bytes read since the start, `inq` bytes
  /// still unread, `ooo` bytes held beyond rcv.nxt.
  void space_adjust(Time now, std::uint64_t copied, std::uint32_t inq, std::uint32_t ooo);

  [[nodiscard]] std::uint32_t rcvbuf() const { return rcvbuf_; }
  [[nodiscard]] std::uint32_t window_clamp() const { return window_clamp_; }
  [[nodiscard]] std::uint32_t rcv_ssthresh() const { return rcv_ssthresh_; }
  [[nodiscard]] std::uint32_t scaling_ratio() const { return scaling_ratio_; }
  [[nodiscard]] std::uint32_t rcv_rtt_us() const { return rcv_rtt_us8_ >> 3; }
  [[nodiscard]] std::uint32_t rcvq_space() const { return rcvq_space_; }

 private:
  /// The kernel memory a received frame of `frame_len` bytes takes: a tun
  /// device's build_skb() buffer, SKB_DATA_ALIGN(NET_SKB_PAD + len) plus the
  /// aligned sk_buff and skb_shared_info (2176 bytes for a 1514-byte frame).
  [[nodiscard]] std::uint32_t truesize(std::uint32_t frame_len) const;
  void set_window_clamp(std::uint32_t val, std::uint32_t rcv_wnd);

  const TcpProfile& p_;
  std::uint32_t rcvbuf_;               ///< sk_rcvbuf (bytes)
  std::uint32_t window_clamp_ = 0;     ///< tp->window_clamp
  std::uint32_t rcv_ssthresh_ = 0;     ///< tp->rcv_ssthresh
  std::uint32_t advmss_ = 536;
  std::uint32_t scaling_ratio_;        ///< tp->scaling_ratio, window bytes per 256 buffer bytes
  std::uint32_t rcv_rtt_us8_ = 0;      ///< tp->rcv_rtt_est.rtt_us (<< 3)
  std::uint32_t rcv_rtt_last_tsecr_ = 0;
  std::uint32_t rcvq_space_ = 0;       ///< tp->rcvq_space.space
  std::uint64_t rcvq_seq_ = 0;         ///< tp->rcvq_space.seq, as bytes copied
  Time rcvq_time_{};
};

}  // namespace wiresim::tcp
