// F-RTO (RFC 5682 §3, the SACK-enhanced algorithm, as Linux tcp_frto=2
// runs it in tcp_process_loss) and the undo of spurious retransmissions
// (DSACK: RFC 2883 §4, RFC 3708; timestamps: Eifel detection RFC 3522,
// response RFC 4015), at the points Linux's tcp_input.c takes them:
//   RTO                 tcp_enter_loss: remember cwnd/ssthresh, mark all lost,
//                       arm F-RTO on a fresh timeout;
//   ACK after an RTO    tcp_process_loss: undo if the timestamps or F-RTO
//                       prove the timeout spurious, else F-RTO step 2b
//                       (send new data) or go back N;
//   end of a recovery   tcp_try_undo_recovery (timestamps, DSACK);
//   DSACK at any time   tcp_try_undo_dsack (RFC 3708: all resends DSACKed).

#include <algorithm>

#include "wiresim/tcp/connection.hpp"

namespace wiresim::tcp {

using wire::SeqNum;

/// The TSecr of an ACK, if timestamps are in use (Linux rcv_tsecr).
std::optional<std::uint32_t> Connection::echoed_tsval(const Seg& s) const {
  if (!opt_.timestamps || !s.h.timestamps || s.h.timestamps->tsecr == 0) return std::nullopt;
  return s.h.timestamps->tsecr;
}

/// tcp_init_undo and the prior cwnd/ssthresh (tcp_current_ssthresh: outside
/// a reduction, max(ssthresh, 3/4 cwnd); still "infinite" in the first slow
/// start). `retrans_in_flight`: resends already out (Linux retrans_out).
void Connection::begin_undo_episode(std::uint32_t retrans_in_flight) {
  const std::uint32_t cwnd = cc_->cwnd();
  undo_.begin(tcb_.snd_una, cwnd, std::max(cc_->ssthresh(), cwnd / 2 + cwnd / 4), retrans_in_flight);
}

/// A D-SACK (RFC 2883): RACK widens its reordering window (RFC 8985 §6.2
/// step 4) and, for resends of the current episode, one fewer to account for.
void Connection::on_dsack(const wire::SackBlock& b, SeqNum prior_una) {
  if (rack_active()) rack_.on_dsack();
  if (!profile_.undo) return;
  // Below the cumulative ACK only if it was already acknowledged before (tcp_check_dsack).
  if (b.right > prior_una && b.left < prior_una) return;
  const std::uint32_t mss = std::max<std::uint32_t>(smss(), 1);
  const auto len = static_cast<std::uint32_t>(b.right - b.left);
  undo_.on_dsack(b.right, (len + mss - 1) / mss);
}

/// tcp_undo_cwnd_reduction: cwnd and ssthresh back to their values before
/// the episode (RFC 4015 §3.2); after a timeout the loss marks are
/// forgotten too (`unmark_loss`) and RACK looks at the queue again.
void Connection::undo_cwnd_reduction(bool unmark_loss) {
  ++counters_.undos;
  prr_.end();  // the reduction is over, whatever PRR had reached
  cc_->set_cwnd(std::max(cc_->cwnd(), undo_.prior_cwnd));
  if (undo_.prior_ssthresh > cc_->ssthresh()) cc_->set_ssthresh(undo_.prior_ssthresh);
  undo_.reset();
  if (unmark_loss) rack_.unmark_lost();
}

/// tcp_try_undo_recovery, at the end of a recovery or after a timeout:
/// undo if every resend was DSACKed or the timestamps show the originals
/// arrived.
bool Connection::try_undo_recovery(const Seg& s) {
  if (!profile_.undo || !undo_.may_undo(echoed_tsval(s))) return false;
  undo_cwnd_reduction(false);
  return true;
}

/// tcp_try_undo_loss: after an RTO, undo when F-RTO found the timeout
/// spurious, or by timestamps/DSACK; the connection leaves the loss state.
bool Connection::try_undo_loss(const Seg& s, bool frto_undo) {
  if (!frto_undo && (!profile_.undo || !undo_.may_undo(echoed_tsval(s)))) return false;
  undo_cwnd_reduction(true);
  loss_state_ = false;
  frto_ = false;
  retries_ = 0;
  // The resends stop: what is still outstanding was sent once and is not
  // known lost (RACK looks at it again).
  tcb_.snd_nxt = tcb_.snd_max;
  return true;
}

/// tcp_try_undo_dsack (RFC 3708 §3): every resend of the episode was
/// DSACKed, so the reduction was not needed.
/// A recovery under way ends (tcp_try_to_open); RACK starts another if it
/// still holds segments marked lost.
void Connection::try_undo_dsack() {
  if (!profile_.undo || !undo_.all_dsacked()) return;
  undo_cwnd_reduction(false);
  if (recovery_ == Recovery::kNone) return;
  recovery_ = Recovery::kNone;
  dupacks_ = 0;
  rack_.on_recovery_end();
}

/// tcp_enter_loss: on a fresh timeout remember cwnd/ssthresh for an undo;
/// everything un-SACKed is lost; F-RTO (RFC 5682 §3 step 1) when enabled
/// and the timeout did not interrupt a fast recovery.
void Connection::enter_loss() {
  const bool new_episode = (!loss_state_ && recovery_ == Recovery::kNone) || !(recover_ > tcb_.snd_una);
  if (new_episode) begin_undo_episode(0);
  frto_ = profile_.frto && (recovery_ == Recovery::kNone || retries_ > 0);
  loss_state_ = true;
  prr_.end();  // tcp_enter_loss: TCP_CA_Loss replaces CWR or Recovery
  rack_.mark_all_lost();
  rack_.tlp_high_seq.reset();
  pto_at_ = reo_at_ = Time::max();
}

/// tcp_process_loss: an ACK while recovering from a timeout.
void Connection::process_loss(const Seg& s, bool advanced, const RackDelivery& d, bool dup) {
  const bool recovered = tcb_.snd_una >= recover_;
  if (advanced && try_undo_loss(s, false)) return;
  if (frto_) {
    // Step 3.b: never-resent data (s)acked: the timeout was spurious.
    if (d.original_delivered && try_undo_loss(s, true)) return;
    if (tcb_.snd_max > recover_) {
      if (d.newly_sacked || dup) {  // step 3.a: the loss was real: go back N from the first hole
        frto_ = false;
        tcb_.snd_nxt = tcb_.snd_una;
      }
    } else if (advanced && !recovered) {
      recover_ = tcb_.snd_max;
      // Step 2.b: send new data instead of resending; none: go back N.
      if (frto_send_new_data()) return;
      frto_ = false;
    }
  }
  if (recovered) {
    try_undo_recovery(s);
    loss_state_ = false;
    frto_ = false;
  }
}

/// RFC 5682 §3 step 2.b: transmit new (never sent) segments, as many as
/// the congestion window (grown by this ACK) allows, instead of resending.
/// False when there is no new data or no window for it.
bool Connection::frto_send_new_data() {
  const SeqNum resume = tcb_.snd_nxt;
  const SeqNum before = tcb_.snd_max;
  tcb_.snd_nxt = tcb_.snd_max;
  std::uint32_t room = std::max(cc_->cwnd(), smss());
  while (room > 0) {
    const SeqNum from = tcb_.snd_nxt;
    if (!send_new_segment(room)) break;
    const auto len = static_cast<std::uint32_t>(tcb_.snd_nxt - from);
    room = room > len ? room - len : 0;
  }
  if (tcb_.snd_max > before) return true;
  tcb_.snd_nxt = resume;
  return false;
}

}  // namespace wiresim::tcp
