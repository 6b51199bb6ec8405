/// ECN in TCP, RFC 3168 §6.1, as Linux net/ipv4/tcp_input.c and
/// tcp_output.c run it (tcp_ecn_send_syn, tcp_ecn_rcv_syn,
/// tcp_ecn_rcv_synack, tcp_ecn_make_synack, tcp_ecn_send,
/// tcp_ecn_accept_cwr, __tcp_ecn_check_ce, tcp_enter_cwr):
///   - an ECN-setup SYN carries ECE and CWR; the SYN-ACK that accepts it
///     carries ECE only; a retransmitted SYN carries neither (RFC 3168
///     §6.1.1.1, Linux tcp_ecn_clear_syn with tcp_ecn_fallback=1);
///   - new data goes out ECT(0); retransmissions and pure ACKs Not-ECT (§6.1.5);
///   - a CE-marked data segment makes the receiver set ECE on every ACK
///     until a data segment with CWR arrives (§6.1.3);
///   - ECE makes the sender reduce cwnd as for a loss, once per window of
///     data, and set CWR on its next new data segment (§6.1.2); with PRR
///     (TcpProfile::prr) cwnd walks down to ssthresh over that window as in
///     Linux's CWR state (tcp_enter_cwr, tcp_cwnd_reduction,
///     tcp_end_cwnd_reduction), else it drops at once.

#include "wiresim/tcp/connection.hpp"

namespace wiresim::tcp {

using wire::IpEcn;
using wire::SeqNum;
using wire::TcpRepr;

std::uint8_t Connection::ecn_syn_flags(bool syn_ack, bool first) const {
  if (syn_ack) return opt_.ecn ? std::uint8_t{wire::kEce} : std::uint8_t{0};
  if (profile_.ecn != EcnMode::kOn || !first) return 0;
  return static_cast<std::uint8_t>(wire::kEce | wire::kCwr);
}

void Connection::ecn_negotiate(const TcpRepr& syn) {
  const bool ece = syn.has(wire::kEce);
  const bool cwr = syn.has(wire::kCwr);
  if (syn.has(wire::kAck)) {
    // tcp_ecn_rcv_synack: our SYN asked, the SYN-ACK has ECE and not CWR.
    opt_.ecn = profile_.ecn == EcnMode::kOn && ece && !cwr;
  } else {
    // tcp_ecn_create_request / tcp_ecn_rcv_syn: an ECN-setup SYN has both.
    opt_.ecn = profile_.ecn != EcnMode::kOff && ece && cwr;
  }
}

IpEcn Connection::ecn_on_send(TcpRepr& h, std::size_t payload_len) {
  if (!opt_.ecn || h.has(wire::kSyn) || h.has(wire::kRst)) return IpEcn::kNotEct;
  if (ecn_.demand_cwr && h.has(wire::kAck)) h.flags |= wire::kEce;
  // New data: at or beyond SND.MAX (tcp_ecn_send: !before(seq, snd_nxt)).
  if (payload_len == 0 || h.seq < tcb_.snd_max) return IpEcn::kNotEct;
  if (ecn_.queue_cwr) {
    ecn_.queue_cwr = false;
    h.flags |= wire::kCwr;
  }
  return IpEcn::kEct0;
}

void Connection::ecn_on_data(const Seg& s) {
  if (!opt_.ecn || s.payload_len == 0) return;
  if (s.has(wire::kCwr)) ecn_.demand_cwr = false;  // tcp_ecn_accept_cwr
  if (s.ip_ecn != IpEcn::kCe) return;
  ++counters_.ce_received;
  // __tcp_ecn_check_ce: the first CE of an episode is acknowledged at once
  // ("better not delay acks, sender can have a very low cwnd").
  if (!ecn_.demand_cwr) ack_now_ = true;
  ecn_.demand_cwr = true;
}

void Connection::ecn_on_ack(const Seg& s) {
  if (!opt_.ecn) return;
  // tcp_fastretrans_alert in TCP_CA_CWR: once something above high_seq is
  // acknowledged, tcp_end_cwnd_reduction (cwnd = ssthresh) and Open.
  if (in_cwr() && ecn_.cwr_until && tcb_.snd_una > *ecn_.cwr_until) end_cwnd_reduction();
  if (!s.has(wire::kEce) || s.has(wire::kSyn)) return;
  // Reduced in this window already. As Linux's TCP_CA_CWR, the window
  // lasts until something *above* its end is acknowledged: the ACK of the
  // data just before our CWR segment still carries ECE.
  if (ecn_.cwr_until && tcb_.snd_una <= *ecn_.cwr_until) return;
  ecn_.cwr_until = tcb_.snd_max;
  ecn_.queue_cwr = true;  // tcp_init_cwnd_reduction: tcp_ecn_queue_cwr
  // A recovery or a timeout has reduced the window already (tcp_enter_cwr
  // only from Open or Disorder); CWR still tells the receiver.
  if (recovery_ != Recovery::kNone || loss_state_) return;
  ++counters_.ecn_reductions;
  undo_.reset();  // tcp_enter_cwr: undo_marker = 0, a congestion signal is never undone
  // tcp_enter_cwr: ssthresh from the congestion control; with PRR cwnd
  // follows tcp_cwnd_reduction from this ACK on and becomes ssthresh when
  // the window ends; without, cwnd = ssthresh at once (RFC 3168 §6.1.2).
  if (profile_.prr) {
    begin_cwnd_reduction(flight_size());
    return;
  }
  cc_->on_fast_loss(now_, flight_size());
}

}  // namespace wiresim::tcp
