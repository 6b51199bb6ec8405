// Timeouts (RFC 9293 §3.10.8): retransmission (RFC 6298), persist
// (§3.8.6.1), delayed ACK (§3.8.6.3), TIME-WAIT (§3.4.2) and keep-alive
// (§3.8.4, when the application switches it on). Deadlines are
// plain times; the host calls on_timer() at next_deadline().

#include <algorithm>

#include "wiresim/tcp/connection.hpp"

namespace wiresim::tcp {

using wire::SeqNum;

void Connection::on_timer(Time now) {
  now_ = now;
  if (time_wait_at_ <= now) on_time_wait_timeout();
  if (reo_at_ <= now) on_reo_timeout();
  if (pto_at_ <= now) on_pto_timeout();
  if (rto_at_ <= now) on_rto_timeout();
  if (persist_at_ <= now) on_persist_timeout();
  if (delack_at_ <= now) on_delayed_ack_timeout();
  if (comp_ack_at_ <= now) on_compressed_ack_timeout();
  if (keepalive_at_ <= now) on_keepalive_timeout();
  finish();
}

Time Connection::next_deadline() const {
  // A tree of pairwise minima of the plain nanosecond counts (conditional
  // moves, no branches: which timer is earliest changes from segment to
  // segment and mispredicted), not std::min over an initializer list,
  // which g++ -O2 builds as a copy and a loop. This runs after every
  // segment and timer.
  const auto lo = [](std::int64_t x, std::int64_t y) { return x < y ? x : y; };
  const std::int64_t a = lo(lo(rto_at_.ns(), persist_at_.ns()), lo(delack_at_.ns(), time_wait_at_.ns()));
  const std::int64_t b = lo(lo(keepalive_at_.ns(), pto_at_.ns()), lo(reo_at_.ns(), comp_ack_at_.ns()));
  return Time::from_ns(lo(a, b));
}

void Connection::arm_rto() { rto_at_ = now_ + rtt_.rto(); }

void Connection::cancel_timers() {
  rto_at_ = persist_at_ = delack_at_ = time_wait_at_ = keepalive_at_ = Time::max();
  pto_at_ = reo_at_ = comp_ack_at_ = Time::max();
  probing_ = false;
  persist_backoff_ = 0;
}

/// After every event: RFC 6298 §5.1/§5.2 (the timer runs exactly while
/// data is outstanding) and the persist timer while a zero window blocks
/// queued data (§3.8.6.1).
void Connection::update_timers() {
  if (state_ == TcpState::kClosed || state_ == TcpState::kListen ||
      state_ == TcpState::kTimeWait) {
    return;
  }
  if (tcb_.snd_wnd == 0 && persist_wanted()) {  // persist_wanted's first test, without the call
    if (persist_at_ == Time::max()) persist_at_ = now_ + persist_interval();
    rto_at_ = pto_at_ = reo_at_ = Time::max();
    return;
  }
  persist_at_ = Time::max();
  persist_backoff_ = 0;
  probing_ = false;
  if (outstanding() == 0) {
    rto_at_ = pto_at_ = reo_at_ = Time::max();
  } else if (rto_at_ == Time::max()) {
    arm_rto();
  }
  if (!tlp_allowed()) pto_at_ = Time::max();
}

/// A zero send window with data (or a FIN) waiting and nothing else in
/// flight to bring a window update, or a probe already outstanding.
bool Connection::persist_wanted() const {
  if (!can_send_data() || tcb_.snd_wnd != 0) return false;
  if (probing_) return true;
  const bool unsent = data_end() > tcb_.snd_nxt || (fin_seq_ && tcb_.snd_nxt <= *fin_seq_);
  return unsent && outstanding() == 0;
}

/// RTO-based, doubling per unanswered probe, capped at max_rto.
Duration Connection::persist_interval() const {
  Duration d = std::max(rtt_.rto(), profile_.min_rto);
  for (std::uint32_t i = 0; i < persist_backoff_ && d < profile_.max_rto; ++i) d = d * 2;
  return std::min(d, profile_.max_rto);
}

/// RFC 6298 §5.4-§5.6: resend the earliest unacknowledged segment, back
/// off, restart the timer; the congestion window falls to one segment
/// (RFC 5681 §3.1) and sending resumes go-back-N from SND.UNA.
void Connection::on_rto_timeout() {
  cause_ = TransitionCause::timer("rto");
  rto_at_ = Time::max();
  ++counters_.rto_expiries;
  if (state_ == TcpState::kSynSent || state_ == TcpState::kSynReceived) return on_syn_timeout();
  if (outstanding() == 0) return;
  if (retries_ >= profile_.data_retries) {
    return fail(ConnectionError::kTimedOut, TcpEvent::kRetriesExhausted);  // RFC 9293 §3.8.3 R2
  }
  enter_loss();
  ++retries_;
  // FlightSize less what the peer SACKed: what the network still holds. After
  // a recovery that sent new data this is far below SND.MAX - SND.UNA.
  cc_->on_rto(now_, flight_size());
  rtt_.backoff();
  recovery_ = Recovery::kNone;
  dupacks_ = 0;
  recover_ = tcb_.snd_max;  // RFC 6582 §3.2 step 1 after a timeout
  high_rxt_ = tcb_.snd_una;
  rtt_probe_.reset();
  tcb_.snd_nxt = tcb_.snd_una;
  send_segment_at(tcb_.snd_una, tcb_.snd_max, SendReason::kTimeout);
  if (rto_at_ == Time::max()) arm_rto();
}

/// The SYN or SYN-ACK went unanswered: resend it with backoff, up to
/// syn_retries times.
void Connection::on_syn_timeout() {
  if (retries_ >= profile_.syn_retries) {
    return fail(ConnectionError::kTimedOut, TcpEvent::kRetriesExhausted);
  }
  ++retries_;
  rtt_.backoff();
  send_syn();
}

/// §3.8.6.1: send one octet beyond the zero window (or resend the one
/// still unacknowledged), then wait twice as long.
void Connection::on_persist_timeout() {
  cause_ = TransitionCause::timer("persist");
  persist_at_ = Time::max();
  if (!persist_wanted()) return;
  probing_ = true;
  const SeqNum seq = outstanding() > 0 ? tcb_.snd_una : tcb_.snd_nxt;
  send_segment_at(seq, seq + 1, SendReason::kProbe);
  ++persist_backoff_;
  persist_at_ = now_ + persist_interval();
}

void Connection::set_keepalive(Time now, std::optional<KeepAlive> k) {
  now_ = now;
  keepalive_ = k;
  idle_since_ = std::max(idle_since_, now);
  keepalive_unanswered_ = 0;
  keepalive_at_ = keepalive_deadline();
}

/// Keep-alive watches a synchronized connection with nothing in flight:
/// while data or a FIN is outstanding (or a zero window is probed) the
/// retransmission and persist timers already notice a dead peer.
Time Connection::keepalive_deadline() const {
  if (!keepalive_ || !is_synchronized(state_) || state_ == TcpState::kTimeWait || outstanding() > 0 ||
      persist_at_ != Time::max()) {
    return Time::max();
  }
  return keepalive_unanswered_ == 0 ? idle_since_ + keepalive_->idle : last_keepalive_ + keepalive_->interval;
}

/// RFC 1122 §4.2.3.6: a probe one below SND.NXT, which the peer cannot
/// accept and so must acknowledge; after `probes` unanswered ones, give up
/// with an RST, as Linux does (tcp_keepalive_timer).
void Connection::on_keepalive_timeout() {
  keepalive_at_ = Time::max();
  if (keepalive_deadline() > now_) return;  // heard from the peer, sent data or closed meanwhile
  cause_ = TransitionCause::timer("keepalive");
  if (keepalive_unanswered_ >= keepalive_->probes) {
    send_rst(tcb_.snd_nxt, true);
    return fail(ConnectionError::kKeepAliveTimedOut, TcpEvent::kRetriesExhausted);
  }
  ++keepalive_unanswered_;
  ++counters_.keepalive_probes;
  last_keepalive_ = now_;
  wire::TcpRepr h = make_header(wire::kAck, tcb_.snd_nxt - 1);
  fill_ack_fields(h);
  transmit(h, {});
}

/// The delayed ACK is due; Linux also adapts its ACK timeout
/// (tcp_delack_timer_handler, AckPolicy::on_delack_timeout).
void Connection::on_delayed_ack_timeout() {
  delack_at_ = Time::max();
  if (profile_.ack_mode == AckMode::kLinux) {
    if (!ack_scheduled_) return;
    ack_.on_delack_timeout(rtt_.rto());
  }
  ack_now_ = true;
}

/// tcp_compressed_ack_kick: the held-back duplicate ACKs go as one.
void Connection::on_compressed_ack_timeout() {
  comp_ack_at_ = Time::max();
  if (compressed_ack_ > 0) ack_now_ = true;
}

void Connection::on_time_wait_timeout() {
  cause_ = TransitionCause::timer("time-wait");
  time_wait_at_ = Time::max();
  transition(TcpEvent::kTimeWaitTimeout);
}

}  // namespace wiresim::tcp
