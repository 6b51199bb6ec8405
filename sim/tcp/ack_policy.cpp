// Linux's ACK engine (icsk_ack): quick-ACK mode, the ACK timeout and the
// delayed-ACK timer. net/ipv4/tcp_input.c (tcp_incr_quickack,
// tcp_enter_quickack_mode, tcp_measure_rcv_mss, tcp_event_data_recv),
// tcp_output.c (tcp_event_data_sent, tcp_send_delayed_ack,
// tcp_event_ack_sent), tcp_timer.c (tcp_delack_timer_handler), Linux 6.18.

#include "wiresim/tcp/ack_policy.hpp"

#include <algorithm>

namespace wiresim::tcp {

namespace {
constexpr std::uint32_t kMssDefault = 536;  ///< TCP_MSS_DEFAULT
constexpr std::uint32_t kMinMss = 88;       ///< TCP_MIN_MSS
constexpr std::uint32_t kTcpHeader = 20;    ///< sizeof(struct tcphdr)
}  // namespace

void AckPolicy::init_rcv_mss(std::uint32_t advmss, std::uint32_t mss, std::uint32_t rcv_wnd) {
  std::uint32_t hint = std::min(advmss, mss);
  hint = std::min(hint, rcv_wnd / 2);
  hint = std::min(hint, kMssDefault);
  rcv_mss_ = std::max(hint, kMinMss);
}

bool AckPolicy::measure_rcv_mss(std::uint32_t len, std::uint32_t advmss, std::uint32_t tcp_header_len) {
  const std::uint32_t lss = last_seg_size_;
  last_seg_size_ = 0;
  if (len >= rcv_mss_) {
    const bool other_size = len != rcv_mss_;
    rcv_mss_ = std::min(len, advmss);
    return other_size;
  }
  // A short segment: a run of equal short segments is the peer's MSS;
  // otherwise it was pushed (the ACK may be due once the app reads it).
  const std::uint32_t wire_len = len + tcp_header_len;
  if (wire_len >= kMssDefault + kTcpHeader) {
    last_seg_size_ = len;
    if (len == lss) {
      rcv_mss_ = len;
      return false;
    }
  }
  if (pushed_) pushed2_ = true;
  pushed_ = true;
  return false;
}

void AckPolicy::incr_quickack(std::uint32_t rcv_wnd, std::uint32_t max_quickacks) {
  std::uint32_t quickacks = rcv_wnd / (2 * std::max<std::uint32_t>(rcv_mss_, 1));
  if (quickacks == 0) quickacks = 2;
  quickacks = std::min(quickacks, max_quickacks);
  quick_ = std::max(quick_, quickacks);
}

void AckPolicy::enter_quickack(std::uint32_t rcv_wnd) {
  incr_quickack(rcv_wnd, p_.max_quickacks);
  pingpong_ = 0;  // inet_csk_exit_pingpong_mode
  ato_ = p_.delayed_ack;
}

void AckPolicy::on_data(Time now, Duration rto, std::uint32_t rcv_wnd) {
  if (ato_ == Duration::zero()) {
    // The first data segment: initialise the delayed-ACK engine.
    incr_quickack(rcv_wnd, p_.max_quickacks);
    ato_ = p_.delayed_ack;
  } else {
    const Duration m = now - lrcvtime_;
    if (m <= p_.delayed_ack / 2) {
      ato_ = ato_ / 2 + p_.delayed_ack / 2;  // the fastest case
    } else if (m < ato_) {
      ato_ = std::min(ato_ / 2 + m, rto);
    } else if (m > rto) {
      incr_quickack(rcv_wnd, p_.max_quickacks);  // the sender failed to restart its window
    }
  }
  lrcvtime_ = now;
}

void AckPolicy::on_data_sent(Time now) {
  if (now - lrcvtime_ < ato_) ++pingpong_;  // inet_csk_inc_pingpong_cnt
}

void AckPolicy::on_ack_sent(bool scheduled) {
  if (quick_ > 0) {
    const std::uint32_t pkts = scheduled ? 1 : 0;
    if (pkts >= quick_) {
      quick_ = 0;
      ato_ = p_.delayed_ack;  // leaving quick-ACK mode deflates the ACK timeout
    } else {
      quick_ -= pkts;
    }
  }
  pushed_ = pushed2_ = false;  // inet_csk_clear_xmit_timer(ICSK_TIME_DACK) clears pending
}

Duration AckPolicy::delay(Duration srtt) const {
  Duration ato = ato_;
  if (ato > p_.delayed_ack) {
    Duration max_ato = Duration::milliseconds(500);  // HZ / 2
    if (pingpong() || pushed_) max_ato = p_.delack_max;
    if (srtt > Duration::zero()) max_ato = std::min(max_ato, std::max(srtt, p_.delayed_ack));
    ato = std::min(ato, max_ato);
  }
  return std::min(ato, p_.delack_max);
}

void AckPolicy::on_delack_timeout(Duration rto) {
  if (!pingpong()) {
    ato_ = std::min(ato_ * 2, rto);  // delayed ACK missed: inflate the ACK timeout
  } else {
    pingpong_ = 0;  // missed in pingpong: leave it
    ato_ = p_.delayed_ack;
  }
}

}  // namespace wiresim::tcp
