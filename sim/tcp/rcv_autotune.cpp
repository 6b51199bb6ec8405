// Linux's receive window and receive-buffer autotuning (dynamic
// right-sizing): tcp_select_initial_window, tcp_init_buffer_space,
// tcp_measure_rcv_mss's scaling ratio, tcp_grow_window,
// __tcp_select_window, tcp_rcv_rtt_measure_ts, tcp_rcv_space_adjust and
// tcp_rcvbuf_grow (net/ipv4/tcp_input.c, tcp_output.c, Linux 6.18).

#include "wiresim/tcp/rcv_autotune.hpp"

#include <algorithm>
#include <bit>

namespace wiresim::tcp {

namespace {

constexpr std::uint32_t kRmemToWinScale = 8;         ///< TCP_RMEM_TO_WIN_SCALE
constexpr std::uint32_t kDefaultScalingRatio = 128;  ///< TCP_DEFAULT_SCALING_RATIO: half
constexpr std::uint32_t kInitCwnd = 10;              ///< TCP_INIT_CWND
constexpr std::uint32_t kCoreRmemMax = 212992;       ///< net.core.rmem_max default
constexpr std::uint32_t kSkbDataAlign = 64;          ///< SKB_DATA_ALIGN: SMP_CACHE_BYTES
constexpr std::uint8_t kMaxWscale = 14;              ///< TCP_MAX_WSCALE

std::uint32_t align_up(std::uint32_t v, std::uint32_t a) { return (v + a - 1) / a * a; }

}  // namespace

InitialWindow select_initial_window(std::uint32_t space, std::uint32_t mss, std::uint8_t wscale) {
  InitialWindow w;
  if (mss > 0 && space > mss) space = space / mss * mss;  // rounddown(space, mss)
  w.rcv_wnd = std::min<std::uint32_t>(space, 65535);      // no tcp_workaround_signed_windows
  w.window_clamp = std::uint32_t{65535} << std::min(wscale, kMaxWscale);
  return w;
}

std::uint8_t linux_window_scale(std::uint32_t rmem_max) {
  const std::uint32_t space = std::max(rmem_max, kCoreRmemMax);
  const int shift = static_cast<int>(std::bit_width(space)) - 1 - 15;  // ilog2(space) - 15
  return static_cast<std::uint8_t>(std::clamp(shift, 0, int{kMaxWscale}));
}

RcvAutotune::RcvAutotune(const TcpProfile& p)
    : p_(p), rcvbuf_(p.rcv_buf), scaling_ratio_(kDefaultScalingRatio) {}

std::uint32_t RcvAutotune::win_from_space(std::int64_t space) const {
  if (space <= 0) return 0;
  if (p_.truesize_scaling_ratio) {
    return static_cast<std::uint32_t>((static_cast<std::uint64_t>(space) * scaling_ratio_) >> kRmemToWinScale);
  }
  const int adv = p_.adv_win_scale;  // Linux before 6.6
  const auto s = static_cast<std::uint64_t>(space);
  return static_cast<std::uint32_t>(adv <= 0 ? s >> -adv : s - (s >> adv));
}

std::uint32_t RcvAutotune::space_from_win(std::uint32_t win) const {
  if (p_.truesize_scaling_ratio) {
    return static_cast<std::uint32_t>((std::uint64_t{win} << kRmemToWinScale) / scaling_ratio_);
  }
  const int adv = p_.adv_win_scale;
  const auto w = std::uint64_t{win};
  return static_cast<std::uint32_t>(adv <= 0 ? w << -adv : w * (1u << adv) / ((1u << adv) - 1));
}

std::uint32_t RcvAutotune::truesize(std::uint32_t frame_len) const {
  return align_up(frame_len + p_.rx_skb_headroom, kSkbDataAlign) + p_.rx_skb_overhead;
}

std::uint32_t RcvAutotune::init_syn(std::uint32_t mss, std::uint8_t wscale) {
  const InitialWindow w = select_initial_window(full_space(), mss, wscale);
  window_clamp_ = w.window_clamp;
  rcv_ssthresh_ = w.rcv_wnd;
  return w.rcv_wnd;
}

void RcvAutotune::init_buffer_space(std::uint32_t advmss, Time now, std::uint64_t copied) {
  advmss_ = advmss;
  const std::uint32_t maxwin = full_space();
  const std::uint32_t app_win = p_.app_win;
  if (window_clamp_ >= maxwin) {
    window_clamp_ = maxwin;
    if (app_win > 0 && maxwin > 4 * advmss) {
      window_clamp_ = std::max(maxwin - (app_win < 32 ? maxwin >> app_win : 0), 4 * advmss);
    }
  }
  // "Force reservation of one segment."
  if (app_win > 0 && window_clamp_ > 2 * advmss && window_clamp_ + advmss > maxwin) {
    window_clamp_ = std::max(2 * advmss, maxwin - advmss);
  }
  const std::uint32_t syn_wnd = rcv_ssthresh_;
  rcv_ssthresh_ = std::min(rcv_ssthresh_, window_clamp_);
  rcvq_space_ = std::min({rcv_ssthresh_, syn_wnd, kInitCwnd * advmss});
  rcvq_time_ = now;
  rcvq_seq_ = copied;
}

void RcvAutotune::set_window_clamp(std::uint32_t val, std::uint32_t rcv_wnd) {
  const std::uint32_t clamp = std::max<std::uint32_t>(2304 / 2, val);  // SOCK_MIN_RCVBUF / 2
  if (clamp == window_clamp_) return;
  const std::uint32_t old = window_clamp_;
  window_clamp_ = clamp;
  if (clamp < old) {
    rcv_ssthresh_ = std::min(rcv_ssthresh_, clamp);  // __tcp_adjust_rcv_ssthresh
  } else {
    rcv_ssthresh_ = std::max(std::min(rcv_wnd, clamp), rcv_ssthresh_);
  }
}

void RcvAutotune::on_new_rcv_mss(std::uint32_t len, std::uint32_t frame_len, std::uint32_t rcv_wnd) {
  if (!p_.truesize_scaling_ratio) return;
  const std::uint32_t old = scaling_ratio_;
  const std::uint32_t ratio = (len << kRmemToWinScale) / truesize(frame_len);
  scaling_ratio_ = std::clamp<std::uint32_t>(ratio, 1, 255);
  if (scaling_ratio_ == old) return;
  set_window_clamp(win_from_space(rcvbuf_), rcv_wnd);
  rcvq_space_ = std::min(rcvq_space_, window_clamp_);
}

bool RcvAutotune::grow_window(std::uint32_t len, std::uint32_t frame_len, std::uint32_t held) {
  const auto space = static_cast<std::uint32_t>(std::max<std::int64_t>(0, std::int64_t{full_space()} - held));
  const std::int64_t room = std::int64_t{std::min(window_clamp_, space)} - rcv_ssthresh_;
  if (room <= 0) return false;
  const std::uint32_t ts = truesize(frame_len);
  std::uint32_t incr = 0;
  if (win_from_space(ts) <= len) {
    incr = 2 * advmss_;
  } else {  // __tcp_grow_window: a segment with a heavy truesize grows it only while small
    std::uint32_t t = win_from_space(ts) >> 1;
    std::uint32_t window = win_from_space(p_.rcv_buf_max) >> 1;
    while (rcv_ssthresh_ <= window && incr == 0) {
      if (t <= len) incr = 2 * std::min(len, advmss_);
      t >>= 1;
      window >>= 1;
    }
  }
  if (incr == 0) return false;
  incr = std::max(incr, 2 * len);
  rcv_ssthresh_ += static_cast<std::uint32_t>(std::min<std::int64_t>(room, incr));
  return true;
}

std::uint32_t RcvAutotune::select(std::uint32_t held, std::uint32_t rcv_mss, std::uint8_t wscale,
                                  bool& quick_off) const {
  const std::uint32_t allowed = full_space();
  std::int64_t free_space = std::int64_t{allowed} - held;
  const std::uint32_t full = std::min(window_clamp_, allowed);
  std::int64_t mss = rcv_mss;
  if (mss > full) {
    mss = full;
    if (mss <= 0) return 0;
  }
  const std::uint32_t unit = std::uint32_t{1} << wscale;
  if (free_space < full / 2) {
    quick_off = true;
    free_space = std::max<std::int64_t>(0, free_space) / unit * unit;
    if (free_space < allowed / 16 || free_space < mss) return 0;
  }
  free_space = std::min<std::int64_t>(free_space, rcv_ssthresh_);
  if (wscale > 0) return align_up(static_cast<std::uint32_t>(free_space), unit);
  // Without window scaling: a multiple of the MSS.
  return static_cast<std::uint32_t>(free_space / mss * mss);
}

void RcvAutotune::rcv_rtt_sample(std::uint32_t tsecr, Duration rtt) {
  if (tsecr == rcv_rtt_last_tsecr_) return;
  rcv_rtt_last_tsecr_ = tsecr;
  const std::int64_t us = rtt.ns() / 1000;
  if (us <= 0) return;
  const auto sample = static_cast<std::uint32_t>(std::min<std::int64_t>(us, 0x0fffffff));
  const std::uint32_t m = sample << 3;
  if (rcv_rtt_us8_ == 0 || m < rcv_rtt_us8_) {  // tcp_rcv_rtt_update(win_dep = 0)
    rcv_rtt_us8_ = m;
  } else {
    rcv_rtt_us8_ = rcv_rtt_us8_ - (rcv_rtt_us8_ >> 3) + sample;
  }
}

void RcvAutotune::space_adjust(Time now, std::uint64_t copied, std::uint32_t inq, std::uint32_t ooo) {
  const std::int64_t time_us = (now - rcvq_time_).ns() / 1000;
  if (rcv_rtt_us8_ == 0 || time_us < (rcv_rtt_us8_ >> 3)) return;
  const std::int64_t got = static_cast<std::int64_t>(copied - rcvq_seq_) - inq;
  rcvq_seq_ = copied;
  rcvq_time_ = now;
  if (got <= std::int64_t{rcvq_space_}) return;
  // tcp_rcvbuf_grow
  const std::uint32_t oldval = std::max<std::uint32_t>(rcvq_space_, 1);
  const auto newval = static_cast<std::uint32_t>(std::min<std::int64_t>(got, 0x7fffffff));
  rcvq_space_ = newval;
  if (!p_.moderate_rcvbuf) return;
  std::uint64_t rcvwin = std::uint64_t{newval} << 1;  // "DRS is always one RTT late."
  // "slow start: allow the sender to double its rate": grow = rcvwin *
  // (newval - oldval) / oldval, then rcvwin += grow << 1, in this order
  // (the quotient is doubled, not the dividend: they round differently).
  const std::uint64_t grow = rcvwin * (newval - oldval) / oldval;
  rcvwin += grow << 1;
  rcvwin += ooo;
  const std::uint64_t want = std::min<std::uint64_t>(rcvwin, 0xffffffffu);
  const std::uint32_t rcvbuf = std::min(space_from_win(static_cast<std::uint32_t>(want)), p_.rcv_buf_max);
  if (rcvbuf > rcvbuf_) {
    rcvbuf_ = rcvbuf;
    window_clamp_ = win_from_space(rcvbuf_);  // "Make the window clamp follow along."
  }
}

}  // namespace wiresim::tcp
