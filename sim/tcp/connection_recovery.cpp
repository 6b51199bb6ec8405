// The fifth step of segment arrival in ESTABLISHED and later (RFC 9293
// §3.10.7.4), and what ACKs drive: RTT samples (RFC 6298, RFC 7323 §4),
// congestion control (RFC 5681), fast retransmit with NewReno recovery
// (RFC 6582) or SACK-based recovery (RFC 6675). With RACK-TLP (RFC 8985,
// connection_rack.cpp) RACK's marks replace the duplicate-ACK rules; F-RTO
// and undo follow in connection_undo.cpp. With PRR (TcpProfile::prr) each
// ACK ends as Linux's tcp_ack does, in tcp_cong_control: a reduction under
// way (SACK recovery, ECN's CWR) sets cwnd by PRR (RFC 6937,
// tcp_cwnd_reduction), otherwise the congestion control may grow it.

#include <algorithm>

#include "wiresim/tcp/connection.hpp"

namespace wiresim::tcp {

using wire::SeqNum;

/// Fifth step, ESTABLISHED and the states after it.
bool Connection::process_ack(const Seg& s) {
  const SeqNum ack = s.h.ack;
  if (ack > tcb_.snd_max) {  // acknowledges something not yet sent: ACK and drop
    ack_now_ = true;
    return false;
  }
  if (ack < tcb_.snd_una - tcb_.max_snd_wnd) {  // RFC 5961 §5.2: challenge ACK and drop
    ack_now_ = true;
    return false;
  }
  const std::uint32_t sacked_before = scoreboard_.sacked_bytes();
  const SeqNum prior_una = tcb_.snd_una;
  const Recovery prior_recovery = recovery_;
  const std::uint32_t flight_before = outstanding();
  acked_data_ = newly_lost_ = 0;
  const SeqNum prior_fack = scoreboard_.highest_sacked_or(tcb_.snd_una);
  const wire::SackBlock dsack = find_dsack(s);
  if (opt_.sack && s.h.sack_count > 0) {
    scoreboard_.update(seq_max(ack, tcb_.snd_una),
                       std::span<const wire::SackBlock>(s.h.sack_blocks.data(), s.h.sack_count));
  }
  const std::uint32_t newly_sacked = scoreboard_.sacked_bytes() > sacked_before
                                         ? scoreboard_.sacked_bytes() - sacked_before
                                         : 0;
  const bool dup = is_duplicate_ack(s, newly_sacked);  // before the window update: rule (e)
  // What this ACK delivered (tcp_clean_rtx_queue, tcp_sacktag_write_queue);
  // its RTT sample reaches the congestion control first (pkts_acked).
  const RackDelivery delivered = rack_.on_ack(now_, seq_max(ack, tcb_.snd_una), scoreboard_, prior_fack);
  if (delivered.rtt_sample) cc_->on_rtt_sample(now_, *delivered.rtt_sample, ack, tcb_.snd_nxt);
  if (dsack.left != dsack.right) on_dsack(dsack, prior_una);  // tcp_check_dsack, before recovery decisions
  if (ack > tcb_.snd_una) {
    on_new_ack(s);
  } else if (dup) {
    on_duplicate_ack();
  }
  after_ack(s, prior_una, delivered, dsack, dup);
  ecn_on_ack(s);
  if (profile_.prr) cong_control(prior_una, prior_recovery, flight_before, delivered.delivered_segments, newly_sacked);
  update_send_window(s);
  if (!fin_acked()) return true;
  if (state_ == TcpState::kClosing) transition(TcpEvent::kRcvAckOfFin);  // -> TIME-WAIT
  if (state_ == TcpState::kLastAck) {
    transition(TcpEvent::kRcvAckOfFin);  // -> CLOSED
    return false;
  }
  return true;
}

/// SND.WND follows segments that are newer (SND.WL1, SND.WL2) than the one
/// it was last taken from (§3.10.7.4 fifth, ESTABLISHED).
void Connection::update_send_window(const Seg& s) {
  if (s.h.ack < tcb_.snd_una) return;
  if (tcb_.snd_wl1 < s.h.seq || (tcb_.snd_wl1 == s.h.seq && tcb_.snd_wl2 <= s.h.ack)) {
    tcb_.snd_wnd = static_cast<std::uint32_t>(s.h.window) << opt_.snd_wscale;
    tcb_.max_snd_wnd = std::max(tcb_.max_snd_wnd, tcb_.snd_wnd);
    tcb_.snd_wl1 = s.h.seq;
    tcb_.snd_wl2 = s.h.ack;
  }
}

/// RFC 5681 §2 DUPLICATE ACKNOWLEDGMENT (a)-(e); with SACK, RFC 6675 §2
/// also counts any ACK at SND.UNA that SACKs new data.
bool Connection::is_duplicate_ack(const Seg& s, std::uint32_t newly_sacked) const {
  if (s.h.ack != tcb_.snd_una || outstanding() == 0) return false;
  if (s.has(wire::kSyn) || s.has(wire::kFin)) return false;
  if (opt_.sack && newly_sacked > 0) return true;
  return s.payload_len == 0 &&
         (static_cast<std::uint32_t>(s.h.window) << opt_.snd_wscale) == tcb_.snd_wnd;
}

/// SND.UNA < SEG.ACK =< SND.MAX: new data (or our SYN or FIN) acknowledged.
void Connection::on_new_ack(const Seg& s) {
  const SeqNum ack = s.h.ack;
  const auto acked = static_cast<std::uint32_t>(ack - tcb_.snd_una);
  const std::uint32_t flight_before = outstanding();
  const SeqNum base = data_base();
  const SeqNum data_hi = seq_min(ack, data_end());
  const std::size_t freed = data_hi > base ? static_cast<std::size_t>(data_hi - base) : 0;
  send_buf_.consume(freed);
  tcb_.snd_una = ack;
  tcb_.snd_nxt = seq_max(tcb_.snd_nxt, ack);
  high_rxt_ = seq_max(high_rxt_, ack);
  retries_ = 0;
  take_rtt_sample(s);
  acked_data_ = static_cast<std::uint32_t>(freed);
  if (recovery_ != Recovery::kNone) {
    on_ack_in_recovery(s, acked);
  } else {
    dupacks_ = 0;
    // With PRR the growth waits for cong_control, after loss detection.
    if (!profile_.prr && freed > 0 && cwnd_limited(flight_before)) {
      cc_->on_ack(now_, static_cast<std::uint32_t>(freed), flight_before, rtt_.srtt());
    }
  }
  // RFC 6298 §5.2 / §5.3: stop the timer when all is acknowledged, else restart it.
  if (tcb_.snd_una == tcb_.snd_max) {
    rto_at_ = Time::max();
  } else {
    arm_rto();
  }
  if (freed > 0 && want_writable_ && send_space() > 0) {
    want_writable_ = false;
    emit_event(ConnectionEvent::kWritable);
  }
}

/// cwnd grows only while it limits sending (RFC 7661 §4.1; Linux
/// tcp_is_cwnd_limited): in slow start while the flight was more than half
/// of it, in congestion avoidance while the flight filled it; with
/// TcpProfile::cwnd_validation_per_window, as Linux judges it per window
/// (window_cwnd_limited). A connection
/// limited by the receiver's window or the app keeps its cwnd.
bool Connection::cwnd_limited(std::uint32_t flight_before) const {
  if (profile_.cwnd_validation_per_window) return window_cwnd_limited();
  const std::uint32_t cwnd = cc_->cwnd();
  if (cwnd < cc_->ssthresh()) return cwnd < 2 * flight_before;
  return flight_before + smss() >= cwnd;
}

/// tcp_cwnd_validate at the end of a sending pass (tcp_write_xmit): when
/// the window it tracks is over (SND.UNA reached the SND.NXT it began at),
/// when cwnd limits sending now, or when the flight grew past the window's
/// largest while not cwnd-limited, a new window begins with what is true
/// now. So one cwnd-limited moment counts for its whole window.
void Connection::cwnd_validate() {
  const std::uint32_t flight = flight_size();
  const bool limited = flight >= cc_->cwnd();
  if (tcb_.snd_una >= cwnd_usage_seq_ || limited || (!is_cwnd_limited_ && flight > max_flight_)) {
    is_cwnd_limited_ = limited;
    max_flight_ = flight;
    cwnd_usage_seq_ = tcb_.snd_nxt;
  }
}

/// tcp_is_cwnd_limited: cwnd limited sending in the current window, or, in
/// slow start, cwnd is below twice the window's largest flight.
bool Connection::window_cwnd_limited() const {
  if (is_cwnd_limited_) return true;
  const std::uint32_t cwnd = cc_->cwnd();
  if (cwnd < cc_->ssthresh()) return cwnd < 2 * max_flight_;
  return false;
}

/// RFC 6298 §3 with Karn's rule: the timed segment gives a sample unless it
/// was retransmitted; otherwise, with timestamps, TSecr gives one (RFC 7323
/// §4.1, valid even for retransmitted data).
void Connection::take_rtt_sample(const Seg& s) {
  if (rtt_probe_ && s.h.ack >= rtt_probe_->end) {
    rtt_.on_sample(now_ - rtt_probe_->sent, tcb_.snd_una.raw(), tcb_.snd_nxt.raw());
    rtt_probe_.reset();
    return;
  }
  if (!opt_.timestamps || !s.h.timestamps || s.h.timestamps->tsecr == 0) return;
  const std::uint32_t ms = ts_clock() - s.h.timestamps->tsecr;
  if (ms < 0x8000'0000u) rtt_.on_sample(Duration::milliseconds(ms), tcb_.snd_una.raw(), tcb_.snd_nxt.raw());
}

/// A duplicate ACK: count it; the third (or, with SACK, IsLost(SND.UNA))
/// starts recovery, unless it is about data sent before the last recovery
/// or timeout ended (RFC 6582 §3.2 step 2: "recover").
void Connection::on_duplicate_ack() {
  ++counters_.dup_acks_received;
  ++dupacks_;
  if (recovery_ == Recovery::kNewReno) {
    cc_->set_cwnd(cc_->cwnd() + smss());  // RFC 6582 §3.2 step 4: inflate
    return;
  }
  if (recovery_ == Recovery::kSack) return;  // RFC 6675: pipe accounts for it
  if (rack_active()) return;                 // RACK decides (connection_rack.cpp)
  const bool lost = dupacks_ >= SackScoreboard::kDupThresh ||
                    (opt_.sack && scoreboard_.is_lost(tcb_.snd_una, smss()));
  if (lost && tcb_.snd_una >= recover_) enter_recovery();
}

/// RFC 6582 §3.2 step 2 / RFC 6675 §5 step 4: remember the recovery point,
/// reduce the window (with SACK and PRR step by step, cong_control) and
/// retransmit the first unacknowledged segment.
void Connection::enter_recovery() {
  ++counters_.fast_recoveries;
  begin_undo_episode(0);
  recover_ = tcb_.snd_max;
  if (profile_.prr && opt_.sack) {
    begin_cwnd_reduction(outstanding());
  } else {
    prr_.end();
    cc_->on_fast_loss(now_, outstanding());
  }
  if (opt_.sack) {
    recovery_ = Recovery::kSack;
    high_rxt_ = tcb_.snd_una;
  } else {
    recovery_ = Recovery::kNewReno;
    cc_->set_cwnd(cc_->ssthresh() + SackScoreboard::kDupThresh * smss());
  }
  const SeqNum end = hole_end(tcb_.snd_una);
  send_segment_at(tcb_.snd_una, end, SendReason::kFast);
  high_rxt_ = seq_max(high_rxt_, seq_min(end, tcb_.snd_una + smss()));
}

/// New data acknowledged during recovery. A full ACK (covering "recover")
/// ends it; a NewReno partial ACK resends the next hole and deflates cwnd
/// (RFC 6582 §3.2 step 5). SACK recovery sends from output() (RFC 6675).
void Connection::on_ack_in_recovery(const Seg& s, std::uint32_t acked) {
  if (tcb_.snd_una >= recover_) return exit_recovery(s);
  if (recovery_ == Recovery::kSack && rack_active()) return;  // RACK marks the next losses
  if (recovery_ == Recovery::kSack) {
    // No SACK information above SND.UNA: NextSeg() has nothing to offer, so
    // resend the first hole as NewReno would (cf. RFC 6675 §4 rule 4).
    if (scoreboard_.empty() && high_rxt_ <= tcb_.snd_una) {
      const SeqNum end = hole_end(tcb_.snd_una);
      send_segment_at(tcb_.snd_una, end, SendReason::kSack);
      high_rxt_ = seq_max(high_rxt_, seq_min(end, tcb_.snd_una + smss()));
    }
    return;
  }
  send_segment_at(tcb_.snd_una, hole_end(tcb_.snd_una), SendReason::kPartialAck);
  const std::uint32_t mss = smss();
  const std::uint32_t cwnd = cc_->cwnd();
  std::uint32_t deflated = cwnd > acked ? cwnd - acked : 0;
  if (acked >= mss) deflated += mss;
  cc_->set_cwnd(std::max(deflated, mss));
}

/// Full ACK: NewReno sets cwnd = min(ssthresh, FlightSize + SMSS) (RFC 6582
/// §3.2 step 3, option 1); SACK recovery ends with cwnd = ssthresh (PRR's
/// tcp_end_cwnd_reduction); unless the recovery proves spurious
/// (tcp_try_undo_recovery: DSACK, timestamps).
void Connection::exit_recovery(const Seg& s) {
  const std::uint32_t mss = smss();
  const Recovery was = recovery_;
  recovery_ = Recovery::kNone;
  dupacks_ = 0;
  rack_.on_recovery_end();
  if (try_undo_recovery(s)) return;
  if (was == Recovery::kNewReno) {
    cc_->set_cwnd(std::min(cc_->ssthresh(), std::max(outstanding(), mss) + mss));
  } else if (prr_.active()) {
    end_cwnd_reduction();
  } else {
    cc_->set_cwnd(std::max(cc_->ssthresh(), mss));
  }
}

/// tcp_init_cwnd_reduction, once per episode (a recovery that begins
/// during CWR continues its reduction, tcp_enter_recovery): ssthresh from
/// the congestion control, PRR's counters from zero, CWR queued for the
/// peer (tcp_ecn_queue_cwr). cwnd stays; cong_control walks it down.
void Connection::begin_cwnd_reduction(std::uint32_t bytes_in_flight) {
  if (prr_.active()) return;
  prr_.begin(cc_->cwnd() / smss());
  cc_->recalc_ssthresh(now_, bytes_in_flight);
  if (opt_.ecn) ecn_.queue_cwr = true;
}

/// tcp_end_cwnd_reduction: cwnd = ssthresh when CWR or a recovery that was
/// not undone ends.
void Connection::end_cwnd_reduction() {
  prr_.end();
  if (cc_->ssthresh() != 0xffffffffu) cc_->set_cwnd(std::max(cc_->ssthresh(), smss()));
}

/// tcp_cong_control at the end of an ACK (TcpProfile::prr): in a reduction
/// PRR sets cwnd = packets in flight + sndcnt (tcp_cwnd_reduction, RFC 6937
/// §3); otherwise, if the ACK advanced SND.UNA over data and cwnd limits
/// sending (tcp_may_raise_cwnd, tcp_is_cwnd_limited), the congestion
/// control grows cwnd by what was acknowledged or SACKed. A NewReno
/// (no-SACK) recovery keeps RFC 6582's own window arithmetic.
void Connection::cong_control(SeqNum prior_una, Recovery prior_recovery, std::uint32_t flight_before,
                              std::uint32_t delivered_pkts, std::uint32_t newly_sacked) {
  const bool advanced = tcb_.snd_una > prior_una;
  if (prr_.active()) {
    const std::uint32_t mss = smss();
    const auto cwnd = prr_.on_ack(cc_->ssthresh() / mss, packets_in_flight(), delivered_pkts, newly_lost_, advanced);
    // Linux never lets cwnd reach 0 (tcp_snd_cwnd_set warns on it).
    if (cwnd) cc_->set_cwnd(static_cast<std::uint32_t>(std::min<std::uint64_t>(
        std::uint64_t{std::max<std::uint32_t>(*cwnd, 1)} * mss, 0xffffffffu)));
    return;
  }
  if (prior_recovery == Recovery::kNewReno || recovery_ == Recovery::kNewReno) return;
  const std::uint32_t acked = acked_data_ + newly_sacked;
  if (advanced && acked_data_ > 0 && cwnd_limited(flight_before)) cc_->on_ack(now_, acked, flight_before, rtt_.srtt());
}

/// tcp_packets_in_flight() in segments: RACK's list, or RFC 6675's pipe in
/// whole segments when recovery runs without RACK.
std::uint32_t Connection::packets_in_flight() const {
  if (recovery_ == Recovery::kSack && !rack_active()) {
    const std::uint32_t mss = smss();
    return (scoreboard_.pipe(tcb_.snd_una, tcb_.snd_max, high_rxt_, mss) + mss - 1) / mss;
  }
  return rack_.pipe_segments();
}

/// A data segment is about to leave (tcp_event_data_sent): the congestion
/// control hears of it (CA_EVENT_TX_START when nothing was in flight) and
/// PRR counts it (prr_out).
void Connection::note_data_sent() {
  // Nothing outstanding: idle. (After a timeout Linux also counts the
  // segments marked lost out of the flight, but the timeout has reset the
  // congestion control's epoch then, so the event changes nothing.)
  cc_->on_data_sent(now_, outstanding() == 0);
  prr_.on_sent(1);
}

/// RFC 6675 §5 (C): while cwnd - pipe >= 1 SMSS, send what NextSeg()
/// picks: a lost segment (rule 1), else new data (rule 2), else an
/// un-SACKed one not yet deemed lost (rule 3).
bool Connection::sack_recovery_output() {
  const std::uint32_t mss = smss();
  bool sent = false;
  while (true) {
    const std::uint32_t pipe = scoreboard_.pipe(tcb_.snd_una, tcb_.snd_max, high_rxt_, mss);
    if (cc_->cwnd() < pipe + mss) break;
    const auto next = scoreboard_.next_seg(tcb_.snd_una, tcb_.snd_max, high_rxt_, mss);
    bool progress = false;
    if (next && next->rule == 1) {
      progress = resend_range(next->seq, next->len);
    } else if (send_new_segment(mss)) {
      progress = true;  // rule 2: new data
    } else if (next) {
      progress = resend_range(next->seq, next->len);  // rule 3
    }
    if (!progress) break;
    sent = true;
  }
  return sent;
}

/// Resends [seq, seq + len) in SACK recovery and moves HighRxt past it.
bool Connection::resend_range(SeqNum seq, std::uint32_t len) {
  high_rxt_ = seq_max(high_rxt_, seq + len);
  return send_segment_at(seq, seq + len, SendReason::kSack);
}

/// SACKed bytes inside [from, to).
std::uint32_t Connection::sacked_between(SeqNum from, SeqNum to) const {
  std::uint32_t n = 0;
  for (const wire::SackBlock& b : scoreboard_.ranges()) {
    const SeqNum lo = seq_max(b.left, from);
    const SeqNum hi = seq_min(b.right, to);
    if (lo < hi) n += static_cast<std::uint32_t>(hi - lo);
  }
  return n;
}

/// Where the un-SACKed run starting at `from` ends: the next SACKed byte,
/// or SND.MAX.
SeqNum Connection::hole_end(SeqNum from) const {
  for (const wire::SackBlock& b : scoreboard_.ranges()) {
    if (b.right > from) return b.left > from ? seq_min(b.left, tcb_.snd_max) : from;
  }
  return tcb_.snd_max;
}

/// `from`, or the end of the SACKed range holding it (capped at SND.MAX).
SeqNum Connection::skip_sacked(SeqNum from) const {
  for (const wire::SackBlock& b : scoreboard_.ranges()) {
    if (b.left <= from && from < b.right) return seq_min(b.right, tcb_.snd_max);
  }
  return from;
}

}  // namespace wiresim::tcp
