// RACK-TLP (RFC 8985) in the connection, at the points Linux calls it:
//   every ACK          tcp_ack: tcp_rack_advance (RackTlp::on_ack), then
//                      tcp_process_tlp_ack (§7.4), then tcp_fastretrans_alert
//                      (tcp_identify_packet_loss -> tcp_rack_mark_lost, §6.2;
//                      loss found: tcp_enter_recovery), then the PTO is
//                      rescheduled (tcp_set_xmit_timer, §7.2);
//   new data sent      tcp_write_xmit -> tcp_schedule_loss_probe (§7.2);
//   reorder timer      tcp_rack_reo_timeout (§6.3);
//   PTO expiry         tcp_send_loss_probe (§7.3).
// Recovery then resends what RACK marked lost while cwnd - pipe allows
// (tcp_xmit_retransmit_queue), new data after it. RACK needs SACK: without
// it the connection keeps the duplicate-ACK rules of connection_recovery.cpp.

#include <algorithm>

#include "wiresim/tcp/connection.hpp"

namespace wiresim::tcp {

using wire::SeqNum;

/// RFC 2883 §4 (Linux tcp_check_dsack): the first SACK block is a D-SACK
/// when it lies below the cumulative ACK or inside the second block.
wire::SackBlock Connection::find_dsack(const Seg& s) const {
  constexpr wire::SackBlock kNone{};
  if (!opt_.sack || s.h.sack_count == 0) return kNone;
  const wire::SackBlock& b0 = s.h.sack_blocks[0];
  if (!(b0.left < b0.right)) return kNone;
  if (b0.left < s.h.ack) return b0;
  if (s.h.sack_count > 1) {
    const wire::SackBlock& b1 = s.h.sack_blocks[1];
    if (b0.right <= b1.right && b0.left >= b1.left) return b0;
  }
  return kNone;
}

/// Everything an ACK drives beyond the cumulative point: the segment list,
/// DSACK, TLP episode, F-RTO and undo, RACK loss marking and the PTO.
void Connection::after_ack(const Seg& s, SeqNum prior_una, const RackDelivery& d,
                           const wire::SackBlock& dsack, bool dup) {
  const bool advanced = tcb_.snd_una > prior_una;
  if (outstanding() == 0) rack_.clear();
  if (rack_active()) {
    const bool pure_dup = !advanced && s.payload_len == 0 && !d.newly_sacked &&
                          (static_cast<std::uint32_t>(s.h.window) << opt_.snd_wscale) == tcb_.snd_wnd;
    process_tlp_ack(s.h.ack, dsack.left != dsack.right, pure_dup);
  }
  if (loss_state_) {
    process_loss(s, advanced, d, dup);
  } else if (recovery_ == Recovery::kNone) {
    try_undo_dsack();  // a late DSACK may still undo a finished recovery
  } else if (undo_.all_dsacked()) {
    try_undo_dsack();
  }
  if (rack_active()) rack_detect(false);
  if (advanced && tlp_allowed()) schedule_loss_probe(true);
}

/// tcp_rack_mark_lost: run RACK; a loss found outside recovery starts one
/// (tcp_time_to_recover: lost_out != 0; tcp_enter_recovery).
void Connection::rack_detect(bool force) {
  const bool recovering = recovery_ != Recovery::kNone || loss_state_;
  const std::uint32_t mss = std::max<std::uint32_t>(smss(), 1);
  const std::uint32_t sacked_segments = (scoreboard_.sacked_bytes() + mss - 1) / mss;
  const Duration reo = rack_.reo_wnd(recovering, sacked_segments, rtt_.srtt());
  const RackTlp::Detection det = rack_.detect_loss(now_, reo, force);
  if (det.ran) reo_at_ = det.reo_timeout;
  newly_lost_ += det.newly_lost;  // rs->losses, for PRR
  if (rack_.any_lost() && !recovering) enter_rack_recovery();
}

/// tcp_enter_recovery with RACK's marks: ssthresh from the congestion
/// control and, with PRR (TcpProfile::prr), cwnd walked down ACK by ACK
/// (cong_control), else cwnd = ssthresh at once; the recovery point
/// SND.MAX. The first marked segment goes out at once whatever the window
/// (PRR's fast_rexmit allowance, RFC 6937 §3; RFC 6675 §5 step 4.2), the
/// others from output() as cwnd - pipe allows.
void Connection::enter_rack_recovery() {
  ++counters_.fast_recoveries;
  std::uint32_t retrans_in_flight = 0;
  for (const SentSegment& seg : rack_.segments()) retrans_in_flight += seg.retrans ? 1 : 0;
  begin_undo_episode(retrans_in_flight);
  recover_ = tcb_.snd_max;
  if (profile_.prr) {
    begin_cwnd_reduction(outstanding());
  } else {
    cc_->on_fast_loss(now_, outstanding());
  }
  recovery_ = Recovery::kSack;
  high_rxt_ = tcb_.snd_una;
  pto_at_ = Time::max();
  rack_.tlp_high_seq.reset();
  first_recovery_rxt_ = true;
  if (const SentSegment* lost = rack_.next_lost()) {
    high_rxt_ = seq_max(high_rxt_, lost->end);
    if (send_segment_at(lost->seq, lost->end, SendReason::kFast)) first_recovery_rxt_ = false;
  }
}

/// tcp_xmit_retransmit_queue: while cwnd exceeds the flight (lost segments
/// no longer count, resent ones do), resend the first segment marked lost,
/// then new data.
bool Connection::rack_recovery_output() {
  const std::uint32_t mss = smss();
  bool sent = false;
  while (cc_->cwnd() >= rack_.pipe() + mss) {
    bool progress = false;
    if (const SentSegment* lost = rack_.next_lost()) {
      const SendReason why = first_recovery_rxt_ ? SendReason::kFast : SendReason::kSack;
      high_rxt_ = seq_max(high_rxt_, lost->end);
      progress = send_segment_at(lost->seq, lost->end, why);
      if (progress) first_recovery_rxt_ = false;
    } else {
      progress = send_new_segment(mss);
    }
    if (!progress) break;
    sent = true;
  }
  return sent;
}

/// RFC 8985 §7.4 as tcp_process_tlp_ack: once the ACK reaches TLP.end_seq
/// the episode ends; an ACK beyond it after a resent probe, with no DSACK
/// saying both copies arrived, means the probe repaired a loss: reduce cwnd
/// once (CWR: ssthresh from the congestion control, cwnd = ssthresh).
void Connection::process_tlp_ack(SeqNum ack, bool dsack, bool pure_dup) {
  if (!rack_.tlp_high_seq || ack < *rack_.tlp_high_seq) return;
  if (!rack_.tlp_retrans || dsack) {
    rack_.tlp_high_seq.reset();  // new data probed, or both copies arrived
  } else if (ack > *rack_.tlp_high_seq) {
    rack_.tlp_high_seq.reset();
    // tcp_init_cwnd_reduction: ssthresh from the window (the flight is all
    // but acknowledged by now), then tcp_end_cwnd_reduction: cwnd = ssthresh.
    prr_.end();
    cc_->on_fast_loss(now_, cc_->cwnd());
  } else if (pure_dup) {
    rack_.tlp_high_seq.reset();  // a pure duplicate: original and probe arrived
  }
}

/// RFC 8985 §7.2 as tcp_schedule_loss_probe: PTO = 2 SRTT, plus Linux's
/// minimum RTO as the delayed-ACK allowance when one segment is in flight
/// (else 2 ms of timer slack); 1 s without an RTT sample; never later than
/// the RTO would fire (from now when the ACK just restarted it).
void Connection::schedule_loss_probe(bool advancing_rto) {
  if (!tlp_allowed()) return;
  Duration pto = profile_.initial_rto;
  if (const auto srtt = rtt_.srtt()) {
    const bool one_segment = rack_.segments().size() == 1;
    pto = *srtt * 2 + (one_segment ? profile_.min_rto : RackTlp::kTimerSlack);
  }
  const Duration rto_left = advancing_rto ? rtt_.rto() : (rto_at_ == Time::max() ? rtt_.rto() : rto_at_ - now_);
  if (rto_left > Duration::zero()) pto = std::min(pto, rto_left);
  pto_at_ = now_ + pto;
}

/// RFC 8985 §7.3 as tcp_send_loss_probe: one segment of new data if the
/// peer's window takes it, else the last segment sent again; at most one
/// probe outstanding. Either way the RTO restarts from now.
void Connection::on_pto_timeout() {
  pto_at_ = Time::max();
  if (!tlp_allowed()) return;
  cause_ = TransitionCause::timer("tlp");
  if (rack_.tlp_high_seq) return;  // one probe per episode: the RTO stays
  rack_.tlp_retrans = false;
  bool sent = send_new_data_probe();
  if (!sent) {
    const SentSegment* last = rack_.last();
    if (last == nullptr) return;
    sent = send_segment_at(last->seq, last->end, SendReason::kTlp);
    rack_.tlp_retrans = sent;
  }
  if (!sent) return;
  rack_.tlp_high_seq = tcb_.snd_max;
  ++counters_.loss_probes;
  arm_rto();
}

/// The new-data probe: the next segment, with Nagle off and cwnd ignored,
/// if the send window has room for all of it (tcp_snd_wnd_test).
bool Connection::send_new_data_probe() {
  if (tcb_.snd_nxt < tcb_.snd_max) return false;
  const SeqNum nxt = tcb_.snd_nxt;
  const SeqNum end = data_end();
  const bool fin_pending = fin_seq_ && nxt <= *fin_seq_;
  const std::uint32_t avail = end > nxt ? static_cast<std::uint32_t>(end - nxt) : 0;
  if (avail == 0 && !fin_pending) return false;
  const std::uint32_t len = std::min(avail, smss());
  if (nxt + len > tcb_.snd_una + tcb_.snd_wnd) return false;
  const bool fin = fin_pending && nxt + len == *fin_seq_;
  return send_segment_at(nxt, nxt + len + (fin ? 1u : 0u), SendReason::kNew);
}

/// RFC 8985 §6.3 as tcp_rack_reo_timeout: the reordering window has passed
/// for segments RACK was waiting on; losses found start recovery.
void Connection::on_reo_timeout() {
  reo_at_ = Time::max();
  if (!rack_active() || outstanding() == 0) return;
  cause_ = TransitionCause::timer("rack");
  rack_detect(true);
}

}  // namespace wiresim::tcp
