// What to send and how: new data within min(cwnd, snd_wnd) (RFC 5681,
// RFC 9293 §3.8.6), Nagle (RFC 9293 §3.7.4, Minshall's variant as Linux),
// sender and receiver silly-window avoidance (§3.8.6.2), ACKs, SYNs, RSTs.

#include <algorithm>

#include "wiresim/tcp/connection.hpp"

namespace wiresim::tcp {

using wire::SeqNum;
using wire::TcpRepr;

/// Sends whatever the state, the windows and the queues allow, then an ACK
/// if one is owed and nothing carried it.
void Connection::output() {
  if (can_send_data()) {
    if (recovery_ == Recovery::kSack) {
      if (rack_active()) {
        rack_recovery_output();
      } else {
        sack_recovery_output();
      }
    } else if (output_data()) {
      schedule_loss_probe(false);  // tcp_write_xmit: new data sent, PTO from now (RFC 8985 §7.2)
    }
  }
  const bool can_ack = peer_syn_seen_ && state_ != TcpState::kClosed &&
                       state_ != TcpState::kListen && state_ != TcpState::kSynSent;
  if (ack_now_ && can_ack) send_ack();
  ack_now_ = false;
}

bool Connection::output_data() {
  // Only worth its divisions when something may go (a receiver's output
  // pass after each data segment usually has nothing to send).
  const bool unsent = data_end() > tcb_.snd_nxt || (fin_seq_ && tcb_.snd_nxt <= *fin_seq_);
  if (!unsent) {
    if (profile_.cwnd_validation_per_window && flight_size() >= cc_->cwnd()) cwnd_validate();
    return false;
  }
  // tcp_write_xmit: tcp_tso_segs() once per call, then GSO packets of up
  // to that many segments (see ends_gso_packet).
  const std::uint32_t max_segs = profile_.gso ? tso_segs() : 1;
  std::uint32_t in_packet = 0;  // segments of the current packet already sent
  std::uint32_t mss = 0;        // the payload limit of a segment without SACK blocks, once known
  bool sent = false;
  while (true) {
    const std::uint32_t cwnd = cc_->cwnd();
    const std::uint32_t flight = flight_size();
    const std::uint32_t room = cwnd > flight ? cwnd - flight : 0;
    if (tcb_.snd_nxt < tcb_.snd_max) {  // a go-back-N resend: no GSO packet of its own
      in_packet = 0;
      if (!send_new_segment(room, &mss)) break;
      sent = true;
      continue;
    }
    if (in_packet == max_segs) in_packet = 0;
    const SeqNum nxt = tcb_.snd_nxt;
    const std::uint32_t len = new_segment_len(nxt, room, flight, &mss);
    if (len == 0) break;
    gso_push_ = in_packet > 0 && ends_gso_packet(in_packet + 1, max_segs, room, nxt, len, flight, &mss);
    const bool ok = send_segment_at(nxt, nxt + len, SendReason::kNew);
    gso_push_ = false;
    if (!ok) break;
    ++in_packet;
    sent = true;
  }
  if (profile_.cwnd_validation_per_window && (sent || flight_size() >= cc_->cwnd())) cwnd_validate();
  return sent;
}

/// One segment from SND.NXT if the windows, silly-window avoidance and
/// Nagle let it go. After an RTO (SND.NXT < SND.MAX) this resends, skipping
/// what the peer SACKed.
bool Connection::send_new_segment(std::uint32_t cwnd_room, std::uint32_t* mss_cache) {
  if (tcb_.snd_nxt < tcb_.snd_max) tcb_.snd_nxt = skip_sacked(tcb_.snd_nxt);
  const SeqNum nxt = tcb_.snd_nxt;
  const std::uint32_t len = new_segment_len(nxt, cwnd_room, flight_size(), mss_cache);
  return len > 0 && send_segment_at(nxt, nxt + len, SendReason::kNew);
}

std::uint32_t Connection::new_segment_len(SeqNum nxt, std::uint32_t cwnd_room, std::uint32_t flight,
                                          std::uint32_t* mss_cache) const {
  const SeqNum end = data_end();
  const std::uint32_t avail = end > nxt ? static_cast<std::uint32_t>(end - nxt) : 0;
  const bool fin_pending = fin_seq_ && nxt <= *fin_seq_;
  if (avail == 0 && !fin_pending) return 0;
  const SeqNum right = tcb_.snd_una + tcb_.snd_wnd;
  const std::uint32_t rwnd_room = right > nxt ? static_cast<std::uint32_t>(right - nxt) : 0;
  const std::uint32_t room = std::min(rwnd_room, cwnd_room);
  if (room == 0) return 0;  // nothing fits, not even a FIN
  std::uint32_t mss = mss_cache != nullptr ? *mss_cache : 0;
  if (mss == 0) {
    mss = data_payload_limit();
    // A SACK-less limit holds for the rest of an output pass; with SACK
    // blocks it is taken again (a DSACK block goes out once).
    if (mss_cache != nullptr && !(opt_.sack && (dsack_pending_ || rcv_buf_.has_out_of_order()))) *mss_cache = mss;
  }
  const std::uint32_t len = std::min({avail, room, mss});
  if (len < std::min(avail, mss)) {
    // A runt forced by a window: RFC 9293 §3.8.6.2.1 sends it only when
    // nothing is in flight or it is at least half the largest window seen.
    const bool cwnd_limited = cwnd_room < rwnd_room;
    if (flight > 0 && (cwnd_limited || len < tcb_.max_snd_wnd / 2)) return 0;
  } else if (len > 0 && len < mss && !nagle_allows()) {
    return 0;
  }
  const bool fin = fin_pending && nxt + len == *fin_seq_ && room > len;
  if (len == 0 && !fin) return 0;
  return len + (fin ? 1u : 0u);
}

/// tcp_write_xmit (net/ipv4/tcp_output.c) sends the write queue in GSO
/// packets of up to tcp_tso_segs() segments each, as many as the
/// congestion window (cwnd_quota), the peer's window and Nagle or TCP_CORK
/// for a partial tail allow (tcp_mss_split_point); __tcp_transmit_skb
/// forces PSH on every packet of more than one segment
/// (tcp_skb_pcount(skb) > 1), and tcp_gso_segment leaves it on the last
/// segment only. It sets PSH on the clone it transmits, not on the queued
/// skb: a later retransmission does not inherit it. Whether the segment
/// about to go from `nxt` with `len` bytes of sequence space, the k-th
/// (k >= 2) of its packet, is the packet's last: the packet is full, or no
/// data segment may follow it now (by the rules send_new_segment applies).
/// Not modelled: tcp_tso_should_defer holding back a packet the window
/// would cut short.
bool Connection::ends_gso_packet(std::uint32_t k, std::uint32_t max_segs, std::uint32_t cwnd_room, SeqNum nxt,
                                 std::uint32_t len, std::uint32_t flight, std::uint32_t* mss) const {
  if (k >= max_segs) return true;
  if (fin_seq_ && nxt + len > *fin_seq_) return true;  // it carries the FIN
  const SeqNum next = nxt + len;
  const std::uint32_t after = new_segment_len(next, cwnd_room - std::min(cwnd_room, len), flight + len, mss);
  return after == 0 || (fin_seq_ && next == *fin_seq_);  // nothing, or a bare FIN, follows
}

/// Bytes an skb of the write queue takes before tcp_sendmsg_locked starts
/// the next (tcp_send_mss / tcp_xmit_size_goal, net/ipv4/tcp.c): one
/// segment without GSO; with it, tcp_bound_to_half_wnd(gso_max_size) in
/// whole segments: half the peer's largest window, at most gso_max_size.
std::uint32_t Connection::size_goal() const {
  const std::uint32_t mss = smss();
  if (!profile_.gso) return mss;
  std::uint32_t goal = profile_.gso_max_size;
  const std::uint32_t max_window = tcb_.max_snd_wnd;
  const std::uint32_t cutoff = max_window > 536 ? max_window / 2 : max_window;  // TCP_MSS_DEFAULT
  if (cutoff > 0 && goal > cutoff) goal = std::max(cutoff, 68 - tcp_header_len());
  return std::max(goal / std::max<std::uint32_t>(mss, 1) * mss, mss);
}

/// Segments per GSO packet: tcp_tso_segs / tcp_tso_autosize
/// (net/ipv4/tcp_output.c), sk_pacing_rate >> sk_pacing_shift bytes, plus
/// gso_max_size >> (min_rtt_us >> tcp_tso_rtt_log) on short paths, at most
/// gso_max_size, at least tcp_min_tso_segs segments. The pacing rate is
/// tcp_update_pacing_rate's (net/ipv4/tcp_input.c, after every ACK):
/// mss * max(cwnd, packets_out) / srtt, times tcp_pacing_ss_ratio % while
/// cwnd < ssthresh / 2, else tcp_pacing_ca_ratio %; unbounded before the
/// first RTT sample. At 40 ms RTT a packet has 2 segments until cwnd
/// passes about 60 segments.
std::uint32_t Connection::tso_segs() const {
  const std::uint64_t mss = std::max<std::uint32_t>(smss(), 1);
  std::uint64_t bytes = profile_.gso_max_size;
  if (const auto srtt = rtt_.srtt()) {
    // In bytes rather than Linux's packets: cwnd is counted in bytes here.
    const std::uint64_t cwnd = cc_->cwnd();
    const bool slow_start = 2 * cwnd < cc_->ssthresh();
    const std::uint64_t ratio = slow_start ? profile_.pacing_ss_ratio : profile_.pacing_ca_ratio;
    const auto srtt_us = static_cast<std::uint64_t>(std::max<std::int64_t>(srtt->us(), 1));
    // Bytes per second: (ratio / 100) * max(cwnd, packets_out) / (srtt_us / 1e6).
    const std::uint64_t rate = ratio * std::max<std::uint64_t>(cwnd, outstanding()) * 10'000 / srtt_us;
    bytes = rate >> profile_.pacing_shift;
    // tcp_min_rtt: RACK's minimum over delivered data; before any, the
    // handshake's one sample, which SRTT still equals.
    const Duration min_rtt = rack_.min_rtt().value_or(*srtt);
    const auto r = static_cast<std::uint64_t>(std::max<std::int64_t>(min_rtt.us(), 0)) >> profile_.tso_rtt_log;
    if (r < 32) bytes += profile_.gso_max_size >> r;
  }
  bytes = std::min<std::uint64_t>(bytes, profile_.gso_max_size);
  if (bytes < (profile_.min_tso_segs + 1) * mss) return profile_.min_tso_segs;  // the common case, no division
  return static_cast<std::uint32_t>(bytes / mss);
}

/// Nagle (RFC 9293 §3.7.4) as Linux applies it (Minshall's variant): a
/// sub-MSS segment waits only while an earlier sub-MSS segment is
/// unacknowledged. A closing connection pushes everything; a corked one
/// holds every partial segment (TCP_CORK, tcp_nagle_check).
bool Connection::nagle_allows() const {
  if (fin_seq_) return true;
  if (cork_) return false;  // TCP_NAGLE_CORK: a partial segment waits, whatever is in flight
  if (!nagle_) return true;
  return !(snd_sml_ > tcb_.snd_una);
}

/// Sends data in [seq, limit) (at most one MSS; the FIN too if it lies
/// below limit). Returns false if there was nothing to send.
bool Connection::send_segment_at(SeqNum seq, SeqNum limit, SendReason why) {
  TcpRepr h = make_header(wire::kAck, seq);
  fill_ack_fields(h);
  const SeqNum dend = data_end();
  const SeqNum stop = seq_min(limit, dend);
  std::uint32_t len = stop > seq ? static_cast<std::uint32_t>(stop - seq) : 0;
  len = std::min(len, max_payload(h));
  const bool fin = fin_seq_ && seq + len == *fin_seq_ && limit > *fin_seq_;
  if (len == 0 && !fin) return false;
  const bool resend = seq < tcb_.snd_max;
  const bool gso_push = gso_push_ && !resend;  // output_data: the last of a multi-segment GSO packet
  const bool marked = profile_.push == PushMode::kLinux ? pushed_segment(seq, len) : seq + len == dend;
  const bool push = marked || gso_push;
  if (len > 0 && push) h.flags = h.flags | wire::kPsh;
  if (fin) h.flags = h.flags | wire::kFin;
  const SeqNum end = seq + len + (fin ? 1u : 0u);
  if (why == SendReason::kProbe) {
    ++counters_.window_probes;
  } else if (resend) {
    report_retransmit(seq, len, why);
    if (why == SendReason::kFast || why == SendReason::kPartialAck) ++counters_.retransmits_fast;
    else if (why == SendReason::kSack) ++counters_.retransmits_sack;
    else if (why == SendReason::kTlp) ++counters_.retransmits_tlp;
    else ++counters_.retransmits_timeout;
    counters_.retransmitted_bytes += len;
    // tcp_retransmit_skb counts resends for undo; a loss probe does not.
    if (why != SendReason::kTlp) undo_.on_retransmit(opt_.timestamps ? std::optional(ts_clock()) : std::nullopt);
  }
  if (resend && rtt_probe_ && rtt_probe_->end > seq) rtt_probe_.reset();  // Karn
  if (!resend && !rtt_probe_) rtt_probe_ = RttProbe{end, now_};
  if (len > 0 && len < smss()) snd_sml_ = end;
  const SendBuffer::Slice payload = send_buf_.peek(static_cast<std::size_t>(seq - data_base()), len);
  transmit(h, payload);
  rack_.on_send(seq, end, now_, resend);
  tcb_.snd_nxt = seq_max(tcb_.snd_nxt, end);
  tcb_.snd_max = seq_max(tcb_.snd_max, end);
  if (rto_at_ == Time::max() && !probing_) arm_rto();  // RFC 6298 §5.1
  return true;
}

void Connection::report_retransmit(SeqNum seq, std::uint32_t len, SendReason why) {
  if (observer_ == nullptr) return;
  RetransmitInfo r;
  switch (why) {
    // With RACK-TLP every recovery resend is one RACK marked lost by time
    // (RFC 8985 §6.2), whichever duplicate ACKs came with it.
    case SendReason::kFast: r.cause = rack_active() ? RetransmitInfo::Cause::kRack : RetransmitInfo::Cause::kFast; break;
    case SendReason::kPartialAck: r.cause = RetransmitInfo::Cause::kPartialAck; break;
    case SendReason::kSack: r.cause = rack_active() ? RetransmitInfo::Cause::kRack : RetransmitInfo::Cause::kSack; break;
    case SendReason::kPeerSyn: r.cause = RetransmitInfo::Cause::kPeerSyn; break;
    case SendReason::kTlp: r.cause = RetransmitInfo::Cause::kTlp; break;
    default: r.cause = RetransmitInfo::Cause::kTimeout; break;  // the timer, or go-back-N after it
  }
  r.seq = seq.raw();
  r.len = len;
  r.backoff = rtt_.backoff_count();
  r.dup_acks = dupacks_;
  r.cwnd = cc_->cwnd();
  r.ssthresh = cc_->ssthresh();
  r.syn = seq == tcb_.iss;
  observer_->on_retransmit(now_, tuple_, r);
}

/// Our SYN or SYN-ACK, first sent or again (RFC 6298 §5 for the timer).
void Connection::send_syn(SendReason why) {
  (void)initial_rcv_wnd();  // chosen once, with the first SYN
  TcpRepr h = syn_header();
  const bool first = tcb_.snd_max == tcb_.iss;
  if (!first) {
    report_retransmit(tcb_.iss, 0, why);
    ++counters_.retransmits_timeout;
    rtt_probe_.reset();  // Karn: the ACK would be ambiguous
  }
  transmit(h, {});
  if (first) {
    tcb_.snd_nxt = tcb_.snd_max = tcb_.iss + 1;
    rtt_probe_ = RttProbe{tcb_.iss + 1, now_};
  }
  if (rto_at_ == Time::max()) arm_rto();
}

/// <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>, with SND.NXT as the peer knows it:
/// see ack_seq().
void Connection::send_ack() {
  TcpRepr h = make_header(wire::kAck, ack_seq());
  fill_ack_fields(h);
  transmit(h, {});
}

/// A reset from this connection (ABORT, data after close): <SEQ=seq><CTL=RST>
/// or <SEQ=seq><ACK=RCV.NXT><CTL=RST,ACK>.
void Connection::send_rst(SeqNum seq, bool with_ack) {
  TcpRepr h = make_header(with_ack ? (wire::kRst | wire::kAck) : std::uint8_t{wire::kRst}, seq);
  if (with_ack) {
    h.ack = tcb_.rcv_nxt;
    add_timestamp(h);
  }
  transmit(h, {});
}

/// §3.10.7.1 reset generation in answer to `s`.
void Connection::send_reset_reply(const Seg& s) {
  if (const auto r = reset_for(s.h, s.payload_len)) {
    TcpRepr h = *r;
    transmit(h, {});
  }
}

/// Every segment goes out here: counters, and an ACK-bearing one settles
/// what we owed (delayed-ACK state, Last.ACK.sent of RFC 7323 §4.3).
void Connection::transmit(TcpRepr& h, const SendBuffer::Slice& payload) {
  const wire::IpEcn ecn = ecn_on_send(h, payload.size());
  ++counters_.segments_sent;
  counters_.bytes_sent += payload.size();
  if (h.has(wire::kAck) && !h.has(wire::kRst)) {
    if (h.sack_count > 0) dsack_pending_.reset();  // a D-SACK block goes out once
    last_ack_sent_ = h.ack;
    ack_now_ = false;
    unacked_bytes_ = 0;
    delack_at_ = Time::max();
    if (profile_.ack_mode == AckMode::kLinux) ack_.on_ack_sent(ack_scheduled_);  // tcp_event_ack_sent
    ack_scheduled_ = false;
    compressed_ack_ = 0;  // tcp_event_ack_sent: the held-back ACKs are sent
    comp_ack_at_ = Time::max();
  }
  if (payload.size() > 0 && profile_.ack_mode == AckMode::kLinux) ack_.on_data_sent(now_);  // tcp_event_data_sent
  if (payload.size() > 0) note_data_sent();  // congestion control (connection_recovery.cpp)
  host_.transmit(*this, h, payload, ecn);
}

TcpRepr Connection::make_header(std::uint8_t flags, SeqNum seq) const {
  TcpRepr h;
  h.src_port = tuple_.local.port;
  h.dst_port = tuple_.remote.port;
  h.seq = seq;
  h.flags = flags;
  return h;
}

/// ACK number, window, timestamps and SACK blocks of a non-SYN segment.
void Connection::fill_ack_fields(TcpRepr& h) {
  h.ack = tcb_.rcv_nxt;
  h.window = select_window();
  add_timestamp(h);
  add_sack_blocks(h);
}

/// The window field to send (RFC 9293 §3.8.6.2.2 receiver SWS avoidance):
/// the right edge advances only by at least min(RCV.BUFF/2, MSS), never
/// moves left, and is rounded to the scale granularity (RFC 7323 §2.3).
/// Free space of less than one scale unit while at least half the buffer is
/// free (a buffer smaller than 1 << wscale, say rcv_buf 100 with WS=256) is
/// rounded up to one unit, as Linux does to "prevent zero window
/// announcement if 1<<rcv_wscale > mss" (__tcp_select_window: outside
/// memory pressure, ALIGN(window, 1 << rcv_wscale)); rounding down would
/// advertise a zero window for ever. rcv_slack_ holds the excess.
std::uint16_t Connection::select_window() {
  if (profile_.rcv_window == ReceiveWindowModel::kLinux) return select_window_linux();
  const unsigned shift = opt_.rcv_wscale;
  const std::uint32_t cur = tcb_.rcv_wnd();
  std::uint32_t wnd = free_receive_space();
  const std::uint32_t sws = std::min(profile_.rcv_buf / 2, rcv_mss_);
  if (wnd > cur && wnd - cur < sws) wnd = cur;
  if (wnd > 0 && (wnd >> shift) == 0 && wnd >= profile_.rcv_buf / 2) wnd = std::uint32_t{1} << shift;
  wnd = std::min(std::max(wnd, cur), std::uint32_t{65535} << shift);
  std::uint32_t field = wnd >> shift;
  if ((field << shift) < cur) field = std::min<std::uint32_t>((cur + (1u << shift) - 1) >> shift, 65535);
  tcb_.rcv_adv = seq_max(tcb_.rcv_adv, tcb_.rcv_nxt + (field << shift));
  return static_cast<std::uint16_t>(field);
}

/// tcp_select_window (net/ipv4/tcp_output.c): the window __tcp_select_window
/// offers, but never less than what is still open of the last one (the
/// right edge does not move left: ALIGN(cur_win, 1 << wscale)).
std::uint16_t Connection::select_window_linux() {
  const unsigned shift = opt_.rcv_wscale;
  const std::uint32_t cur = tcb_.rcv_wnd();
  bool quick_off = false;
  std::uint32_t wnd = autotune_.select(static_cast<std::uint32_t>(rcv_buf_.held()), ack_.rcv_mss(),
                                       static_cast<std::uint8_t>(shift), quick_off);
  if (quick_off) ack_.quick_off();
  const std::uint32_t unit = std::uint32_t{1} << shift;
  if (wnd < cur) wnd = (cur + unit - 1) / unit * unit;
  linux_rcv_wnd_ = wnd;
  const std::uint32_t field = std::min(wnd, std::uint32_t{65535} << shift) >> shift;
  tcb_.rcv_adv = seq_max(tcb_.rcv_adv, tcb_.rcv_nxt + (field << shift));
  return static_cast<std::uint16_t>(field);
}

/// The window of our SYN or SYN-ACK, chosen once: Linux's
/// tcp_select_initial_window over the buffer (tcp_connect_init for a SYN;
/// tcp_openreq_init_rwin for a SYN-ACK, with the MSS less the timestamp
/// option), or the profile's fixed field.
std::uint32_t Connection::initial_rcv_wnd() {
  if (syn_rcv_wnd_) return *syn_rcv_wnd_;
  const bool syn_ack = peer_syn_seen_;
  std::uint32_t w = 0;
  if (profile_.rcv_window == ReceiveWindowModel::kLinux) {
    std::uint32_t mss = std::min<std::uint32_t>(profile_.mss, mtu_mss_);
    if (syn_ack && opt_.timestamps) mss -= 12;  // TCPOLEN_TSTAMP_ALIGNED
    const bool ws = syn_ack ? ws_agreed_ : profile_.window_scaling;
    const auto wscale = static_cast<std::uint8_t>(ws ? std::min<std::uint8_t>(profile_.window_scale, 14) : 0);
    w = autotune_.init_syn(mss, wscale);
  } else {
    w = std::min<std::uint32_t>(syn_ack ? profile_.synack_window : profile_.syn_window, profile_.rcv_buf);
  }
  syn_rcv_wnd_ = w;
  return w;
}

/// The MSS we announced less the timestamp option on the active side
/// (tcp_rcv_synsent_state_process: advmss -= TCPOLEN_TSTAMP_ALIGNED); the
/// passive side keeps it whole (tcp_v4_syn_recv_sock).
std::uint32_t Connection::advmss() const {
  const std::uint32_t mss = std::min<std::uint32_t>(profile_.mss, mtu_mss_);
  return opt_.timestamps && !passive_ ? mss - 12 : mss;
}

/// Entering ESTABLISHED: tcp_init_buffer_space and tcp_initialize_rcv_mss.
void Connection::init_linux_receiver() {
  if (profile_.rcv_window == ReceiveWindowModel::kLinux) autotune_.init_buffer_space(advmss(), now_, copied_);
  ack_.init_rcv_mss(advmss(), smss(), syn_rcv_wnd_.value_or(profile_.rcv_buf));
}

/// tcp_cleanup_rbuf after the application read `copied` bytes: the ACK
/// tcp_input.c did not send (more than one segment unacknowledged, or a
/// pushed short segment now read), or a window that at least doubled.
void Connection::linux_cleanup_rbuf(std::size_t copied) {
  if (!peer_syn_seen_ || !is_synchronized(state_) || state_ == TcpState::kTimeWait) return;
  bool time_to_ack = false;
  if (ack_scheduled_) {
    const auto unacked = static_cast<std::uint32_t>(tcb_.rcv_nxt - last_ack_sent_);
    const bool drained = rcv_buf_.held() == 0;
    if (unacked > ack_.rcv_mss() ||
        (copied > 0 && (ack_.pushed2() || (ack_.pushed() && !ack_.pingpong())) && drained)) {
      time_to_ack = true;
    }
  }
  if (copied > 0 && !time_to_ack && !fin_received_ && profile_.rcv_window == ReceiveWindowModel::kLinux) {
    const std::uint32_t now_wnd = tcb_.rcv_wnd();
    if (2 * now_wnd <= autotune_.window_clamp()) {
      bool quick_off = false;
      const std::uint32_t w = autotune_.select(static_cast<std::uint32_t>(rcv_buf_.held()), ack_.rcv_mss(),
                                               opt_.rcv_wscale, quick_off);
      if (w > 0 && w >= 2 * now_wnd) time_to_ack = true;
    }
  }
  if (time_to_ack) ack_now_ = true;
}

/// tcp_push / tcp_mark_push (net/ipv4/tcp.c): a write without MSG_MORE
/// pushes its last byte; within the write, forced_push pushes the skb that
/// takes the queue past pushed_seq + max_window / 2 when it is full
/// (size_goal() bytes, skbs counted from pushed_seq).
void Connection::mark_push(SeqNum write_end) {
  if (profile_.push != PushMode::kLinux) return;
  const std::uint32_t skb = std::max<std::uint32_t>(size_goal(), 1);
  const std::uint32_t half = tcb_.max_snd_wnd / 2;
  const SeqNum start = seq_max(pushed_seq_, data_base());
  if (half > 0) {
    while (true) {
      const SeqNum due = pushed_seq_ + half + 1;  // after(write_seq, pushed_seq + half)
      if (due >= write_end) break;
      const std::uint32_t k = (static_cast<std::uint32_t>(due - start) + skb - 1) / skb;
      const SeqNum skb_end = start + k * skb;
      if (skb_end >= write_end) break;
      push_marks_.push_back(skb_end);
      pushed_seq_ = skb_end;
    }
  }
  push_marks_.push_back(write_end);
  pushed_seq_ = write_end;
}

/// A segment [seq, seq + len) carries PSH if a pushed write ends in it.
/// New data goes out in order, so a cursor finds its mark in amortised
/// O(1); a resend searches the marks still in flight. Marks at or below
/// SND.UNA are dropped in batches.
bool Connection::pushed_segment(SeqNum seq, std::uint32_t len) {
  while (push_head_ < push_marks_.size() && push_marks_[push_head_] <= tcb_.snd_una) ++push_head_;
  push_next_ = std::max(push_next_, push_head_);
  if (push_head_ >= 64 && 2 * push_head_ >= push_marks_.size()) {
    const auto head = static_cast<std::ptrdiff_t>(push_head_);
    push_marks_.erase(push_marks_.begin(), push_marks_.begin() + head);
    push_next_ -= push_head_;
    push_head_ = 0;
  }
  std::size_t i = 0;
  if (push_next_ == push_head_ || push_marks_[push_next_ - 1] <= seq) {
    while (push_next_ < push_marks_.size() && push_marks_[push_next_] <= seq) ++push_next_;
    i = push_next_;
  } else {
    const auto from = push_marks_.begin() + static_cast<std::ptrdiff_t>(push_head_);
    i = static_cast<std::size_t>(std::upper_bound(from, push_marks_.end(), seq) - push_marks_.begin());
  }
  return i < push_marks_.size() && push_marks_[i] <= seq + len;
}

/// Receive-buffer space for new data: rcv_buf less the unread bytes.
std::uint32_t Connection::free_receive_space() const {
  const std::size_t w = rcv_buf_.window();
  return w > rcv_slack_ ? static_cast<std::uint32_t>(w - rcv_slack_) : 0;
}

/// After the app read: announce the opened window when it at least doubled
/// from half the buffer or less, by at least the SWS threshold (Linux
/// tcp_cleanup_rbuf; RFC 9293 §3.8.6.2.2).
void Connection::maybe_window_update() {
  if (!peer_syn_seen_ || fin_received_ || !is_synchronized(state_)) return;
  const std::uint32_t cur = tcb_.rcv_wnd();
  const std::uint32_t limit = std::uint32_t{65535} << opt_.rcv_wscale;
  const std::uint32_t free = std::min(free_receive_space(), limit);
  const std::uint32_t sws = std::min(profile_.rcv_buf / 2, rcv_mss_);
  if (2 * cur <= profile_.rcv_buf && free >= 2 * cur && free >= cur + sws) ack_now_ = true;
}

/// The sequence number of a segment without data. Go-back-N moves SND.NXT
/// back after an RTO, but the peer may hold everything up to SND.MAX and
/// would find an older number unacceptable (and drop our ACK with it); nor
/// may it lie beyond the peer's window (a zero-window probe). Linux's
/// tcp_acceptable_seq().
SeqNum Connection::ack_seq() const {
  return seq_min(tcb_.snd_max, seq_max(tcb_.snd_una + tcb_.snd_wnd, tcb_.snd_una));
}

SeqNum Connection::data_base() const { return seq_max(tcb_.snd_una, tcb_.iss + 1); }

SeqNum Connection::data_end() const {
  return data_base() + static_cast<std::uint32_t>(send_buf_.size());
}

bool Connection::can_send_data() const {
  switch (state_) {
    case TcpState::kEstablished:
    case TcpState::kFinWait1:
    case TcpState::kCloseWait:
    case TcpState::kClosing:
    case TcpState::kLastAck: return syn_acked();
    default: return false;
  }
}

bool Connection::fin_acked() const { return fin_seq_ && tcb_.snd_una > *fin_seq_; }

std::optional<TcpRepr> reset_for(const TcpRepr& seg, std::size_t payload_len) {
  if (seg.has(wire::kRst)) return std::nullopt;
  TcpRepr r;
  r.src_port = seg.dst_port;
  r.dst_port = seg.src_port;
  if (seg.has(wire::kAck)) {
    r.seq = seg.ack;  // <SEQ=SEG.ACK><CTL=RST>
    r.flags = wire::kRst;
  } else {  // <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>
    const auto len = static_cast<std::uint32_t>(payload_len) + (seg.has(wire::kSyn) ? 1u : 0u) +
                     (seg.has(wire::kFin) ? 1u : 0u);
    r.seq = SeqNum{0};
    r.ack = seg.seq + len;
    r.flags = wire::kRst | wire::kAck;
  }
  return r;
}

}  // namespace wiresim::tcp
