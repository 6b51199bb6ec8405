// RACK-TLP (RFC 8985 §6 RACK, §7 TLP) as Linux does it
// (net/ipv4/tcp_recovery.c; tcp_output.c tcp_schedule_loss_probe and
// tcp_send_loss_probe; tcp_input.c tcp_process_tlp_ack). This file holds
// the segment list and RACK's detection; the connection decides when to
// call it (connection_rack.cpp).

#include "wiresim/tcp/rack_tlp.hpp"

#include <algorithm>

namespace wiresim::tcp {

using wire::SeqNum;

namespace {
/// tcp_skb_sent_after: sent later, or at the same time and ending later.
bool sent_after(Time t1, Time t2, SeqNum end1, SeqNum end2) { return t1 > t2 || (t1 == t2 && end1 > end2); }
}  // namespace

void RackTlp::split_at(SeqNum at) {
  const auto it = std::find_if(segs_.begin(), segs_.end(), [&](const SentSegment& s) { return s.end > at; });
  if (it == segs_.end() || it->seq >= at) return;
  SentSegment tail = *it;
  tail.seq = at;
  it->end = at;
  if (tail.ever_retransmitted) ++retrans_in_list_;
  if (tail.lost) ++lost_count_;
  segs_.insert(it + 1, tail);
}

void RackTlp::on_send(SeqNum seq, SeqNum end, Time now, bool retransmission) {
  if (!(seq < end)) return;
  const SeqNum top = segs_.empty() ? seq : segs_.back().end;
  if (retransmission && !segs_.empty()) {
    split_at(seq);
    split_at(seq_min(end, top));
    for (SentSegment& s : segs_) {
      if (s.end <= seq) continue;
      if (s.seq >= end) break;
      if (!s.ever_retransmitted) ++retrans_in_list_;
      if (s.lost) --lost_count_;
      s.xmit = now;
      s.ever_retransmitted = true;
      s.retrans = true;
      s.lost = false;
    }
  }
  // The part beyond everything recorded is new data (a FIN may extend a record).
  const SeqNum from = segs_.empty() ? seq : seq_max(seq, top);
  if (from < end) segs_.push_back(SentSegment{from, end, now, false, false, false, false});
}

void RackTlp::advance(const SentSegment& s, Time now) {
  // tcp_rack_advance: an RTT shorter than min_rtt cannot belong to a
  // retransmission; the original was delivered (ambiguous: skip).
  const Duration rtt = now - s.xmit;
  if (s.ever_retransmitted && min_rtt_ && rtt < *min_rtt_) return;
  if (!s.ever_retransmitted && (!min_rtt_ || rtt < *min_rtt_)) min_rtt_ = rtt;
  advanced_ = true;
  rtt_ = rtt;
  if (!xmit_ts_ || sent_after(s.xmit, *xmit_ts_, s.end, end_seq_)) {
    xmit_ts_ = s.xmit;
    end_seq_ = s.end;
  }
}

RackDelivery RackTlp::on_ack(Time now, SeqNum snd_una, const SackScoreboard& sb,
                             SeqNum prior_fack) {
  RackDelivery d;
  std::optional<Time> newest;
  const auto deliver = [&](const SentSegment& s) {
    ++d.delivered_segments;
    if (!s.ever_retransmitted) {
      d.original_delivered = true;
      if (s.end <= prior_fack) reord_seen_ = true;  // below SND.UNA: never, as in Linux
      if (!newest || s.xmit > *newest) newest = s.xmit;
    }
    advance(s, now);
  };
  // Cumulatively acknowledged (a record cut by SND.UNA is trimmed).
  while (!segs_.empty() && segs_.front().seq < snd_una) {
    SentSegment& s = segs_.front();
    if (s.end > snd_una) {
      s.seq = snd_una;
      break;
    }
    if (!s.sacked) deliver(s);
    if (s.ever_retransmitted) --retrans_in_list_;
    if (s.lost) --lost_count_;
    segs_.pop_front();
  }
  if (!sb.empty()) sack_delivered(sb, deliver, d);
  if (newest) d.rtt_sample = now - *newest;
  return d;
}

template <typename Deliver>
void RackTlp::sack_delivered(const SackScoreboard& sb, Deliver& deliver, RackDelivery& d) {
  // Newly SACKed: a record wholly inside a SACKed range (ranges and records
  // are both sorted; one pass over each).
  const auto ranges = sb.ranges();
  std::size_t r = 0;
  for (SentSegment& s : segs_) {
    if (s.sacked) continue;
    while (r < ranges.size() && ranges[r].right < s.end) ++r;
    if (r == ranges.size()) break;
    if (ranges[r].left > s.seq) continue;
    s.sacked = true;
    d.newly_sacked = true;
    if (s.lost) {
      s.lost = false;
      --lost_count_;
    }
    s.retrans = false;
    deliver(s);
  }
}

void RackTlp::clear() {
  segs_.clear();
  retrans_in_list_ = lost_count_ = 0;
}

Duration RackTlp::reo_wnd(bool in_recovery, std::uint32_t sacked_segments, std::optional<Duration> srtt) const {
  if (!reord_seen_) {
    // "If reordering has not been observed, be aggressive during the
    // recovery or starting the recovery by DUPACK threshold."
    if (in_recovery || sacked_segments >= SackScoreboard::kDupThresh) return Duration::zero();
  }
  const Duration base = min_rtt_ ? *min_rtt_ / 4 * static_cast<std::int64_t>(reo_wnd_steps_) : Duration::zero();
  return srtt ? std::min(base, *srtt) : base;
}

RackTlp::Detection RackTlp::detect_loss(Time now, Duration reo_wnd, bool force) {
  Detection det;
  if (!xmit_ts_ || (!advanced_ && !force)) return det;
  advanced_ = false;
  det.ran = true;
  Duration wait = Duration::zero();
  for (SentSegment& s : segs_) {
    // Skip those marked lost and not yet retransmitted, and delivered ones.
    if (s.sacked || (s.lost && !s.retrans)) continue;
    if (!sent_after(*xmit_ts_, s.xmit, end_seq_, s.end)) {
      // Without retransmissions in the list, sequence order is send order:
      // nothing further can have been sent before RACK.xmit_ts.
      if (retrans_in_list_ == 0) break;
      continue;
    }
    // RFC 8985 §6.2 step 5: lost once RACK.rtt + reo_wnd has passed since it was sent.
    const Duration remaining = rtt_ + reo_wnd - (now - s.xmit);
    if (remaining <= Duration::zero()) {
      s.lost = true;
      s.retrans = false;  // a retransmission lost again (tcp_mark_skb_lost)
      ++lost_count_;
      ++det.newly_lost;
    } else {
      wait = std::max(wait, remaining);
    }
  }
  if (wait > Duration::zero()) det.reo_timeout = now + wait + kTimerSlack;
  return det;
}

void RackTlp::mark_all_lost() {
  for (SentSegment& s : segs_) {
    if (s.sacked || s.lost) continue;
    s.lost = true;
    s.retrans = false;
    ++lost_count_;
  }
}

void RackTlp::unmark_lost() {
  for (SentSegment& s : segs_) s.lost = false;
  lost_count_ = 0;
  advanced_ = true;  // "Force RACK to re-exam losses"
}

void RackTlp::on_dsack() {
  reo_wnd_steps_ = std::min(kMaxReoWndSteps, reo_wnd_steps_ + 1);
  reo_wnd_persist_ = kReoWndPersist;
}

void RackTlp::on_recovery_end() {
  if (reo_wnd_persist_ > 0) --reo_wnd_persist_;
  if (reo_wnd_persist_ == 0) reo_wnd_steps_ = 1;
}

std::uint32_t RackTlp::pipe() const {
  std::uint32_t n = 0;
  for (const SentSegment& s : segs_) {
    if (s.sacked) continue;
    // A retransmitted segment is no longer marked lost here (on_send), so
    // it counts once, as Linux's "lost + retransmitted" does.
    if (!s.lost) n += static_cast<std::uint32_t>(s.end - s.seq);
  }
  return n;
}

std::uint32_t RackTlp::pipe_segments() const {
  std::uint32_t n = 0;
  for (const SentSegment& s : segs_) n += (s.sacked || s.lost) ? 0 : 1;
  return n;
}

const SentSegment* RackTlp::next_lost() const {
  if (lost_count_ == 0) return nullptr;
  for (const SentSegment& s : segs_) {
    if (s.lost && !s.retrans && !s.sacked) return &s;
  }
  return nullptr;
}

}  // namespace wiresim::tcp
