// SEGMENT ARRIVES: RFC 9293 §3.10.7, one function per step, in the RFC's
// order. Steps record what to send (ack_now_) and which event happened;
// finish() sends and the transition table decides the next state.

#include <algorithm>
#include <array>
#include <span>

#include "wiresim/tcp/connection.hpp"

namespace wiresim::tcp {

using wire::SeqNum;

void Connection::on_segment(Time now, const IncomingSegment& in) {
  now_ = now;
  cause_ = TransitionCause::segment(in.header.flags, in.packet_uid);
  ++counters_.segments_received;
  counters_.bytes_received += in.payload.size();
  idle_since_ = now;  // keep-alive: the peer is alive
  keepalive_unanswered_ = 0;
  const std::uint32_t syn = in.header.has(wire::kSyn) ? 1 : 0;
  const std::uint32_t fin = in.header.has(wire::kFin) ? 1 : 0;
  const auto plen = static_cast<std::uint32_t>(in.payload.size());
  Seg s{in.header, in.payload, in.header.seq + syn, plen + syn + fin, std::nullopt, plen, in.ip_ecn};
  if (fin != 0) s.fin = s.text_seq + plen;
  switch (state_) {
    case TcpState::kClosed: input_closed(s); break;
    case TcpState::kListen: input_listen(s); break;
    case TcpState::kSynSent: input_syn_sent(s); break;
    default: input_synchronized(s); break;
  }
  finish();
}

/// §3.10.7.1 CLOSED: discard; answer anything but an RST with an RST.
void Connection::input_closed(const Seg& s) { send_reset_reply(s); }

/// §3.10.7.2 LISTEN.
void Connection::input_listen(const Seg& s) {
  // First: an incoming RST is ignored.
  if (s.has(wire::kRst)) return;
  // Second: an ACK is bad in LISTEN: <SEQ=SEG.ACK><CTL=RST>.
  if (s.has(wire::kAck)) return send_reset_reply(s);
  // Third: a SYN (text in a SYN is not queued: the peer sends it again).
  if (!s.has(wire::kSyn)) return;  // Fourth: anything else is dropped.
  take_peer_syn(s);
  send_syn();  // <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK>
  transition(TcpEvent::kRcvSyn);
}

/// IRS, RCV.NXT and the options of the peer's SYN; the unscaled window of
/// a SYN (RFC 7323 §2.2) opens the send window.
void Connection::take_peer_syn(const Seg& s) {
  peer_syn_seen_ = true;
  tcb_.irs = s.h.seq;
  tcb_.rcv_nxt = s.h.seq + 1;
  last_ack_sent_ = tcb_.rcv_nxt;
  negotiate(s.h);
  tcb_.rcv_adv = tcb_.rcv_nxt + initial_rcv_wnd();
  linux_rcv_wnd_ = initial_rcv_wnd();
  tcb_.snd_wnd = tcb_.max_snd_wnd = s.h.window;
  tcb_.snd_wl1 = s.h.seq;
  tcb_.snd_wl2 = s.has(wire::kAck) ? s.h.ack : tcb_.snd_una;
}

/// §3.10.7.3 SYN-SENT.
void Connection::input_syn_sent(Seg& s) {
  // First: the ACK bit. SND.UNA = ISS here, so acceptable means ISS < ACK <= SND.NXT.
  if (s.has(wire::kAck) && (s.h.ack <= tcb_.iss || s.h.ack > tcb_.snd_max)) {
    if (!s.has(wire::kRst)) send_rst(s.h.ack, false);
    return;
  }
  // Second: an RST counts only with an acceptable ACK (RFC 5961 §3.2).
  if (s.has(wire::kRst)) {
    if (s.has(wire::kAck)) fail(ConnectionError::kRefused, TcpEvent::kRcvRst);
    return;
  }
  // Third: security is not modelled. Fourth: the SYN; without it, drop.
  if (!s.has(wire::kSyn)) return;
  take_peer_syn(s);
  if (!s.has(wire::kAck)) {
    send_syn();  // simultaneous open: <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK>
    transition(TcpEvent::kRcvSyn);
    return;
  }
  on_new_ack(s);  // SND.UNA <- SEG.ACK: our SYN is acknowledged
  ack_now_ = true;  // <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>
  transition(TcpEvent::kRcvSynAck);
  // Continue at the sixth step: text and FIN carried by the SYN-ACK.
  trim_to_window(s);
  process_text(s);
  note_fin(s);
  consume_fin_if_due();
}

/// §3.10.7.4: SYN-RECEIVED and the synchronized states.
void Connection::input_synchronized(Seg& s) {
  if (state_ == TcpState::kSynReceived && is_crossing_syn_ack(s)) return take_crossing_syn_ack(s);
  if (!check_sequence(s)) return;          // first
  if (s.has(wire::kRst)) return check_rst(s);  // second
  // third: security is not modelled
  if (s.has(wire::kSyn)) return check_syn(s);  // fourth
  if (!s.has(wire::kAck)) return;          // fifth: no ACK, drop
  if (!check_ack(s)) return;
  // sixth: URG is not supported: the urgent pointer is ignored
  process_text(s);                         // seventh
  note_fin(s);                             // eighth
  consume_fin_if_due();
  finish_fin_wait_1();
}

/// Simultaneous open (RFC 9293 Figure 8, line 6): the peer's SYN,ACK
/// crosses ours. Its sequence number is old, yet it acknowledges our SYN
/// and completes the handshake (as Linux's tcp_validate_incoming lets it).
bool Connection::is_crossing_syn_ack(const Seg& s) const {
  return s.has(wire::kSyn) && s.has(wire::kAck) && !s.has(wire::kRst) && s.h.seq == tcb_.irs &&
         s.payload_len == 0 && !s.fin && s.h.ack == tcb_.snd_max && !passive_;
}

void Connection::take_crossing_syn_ack(const Seg& s) {
  tcb_.snd_wnd = tcb_.max_snd_wnd = s.h.window;  // a SYN's window is never scaled
  tcb_.snd_wl1 = s.h.seq;
  tcb_.snd_wl2 = s.h.ack;
  on_new_ack(s);
  transition(TcpEvent::kRcvAckOfSyn);
}

// ---- first: sequence number check ----

/// The four cases of the acceptability test (§3.10.7.4 first, Table 6).
bool Connection::acceptable(const Seg& s) const {
  const std::uint32_t wnd = tcb_.rcv_wnd();
  const SeqNum lo = tcb_.rcv_nxt;
  const SeqNum hi = tcb_.rcv_nxt + wnd;
  if (s.len == 0) return wnd == 0 ? s.h.seq == lo : wire::seq_in_range(s.h.seq, lo, hi);
  if (wnd == 0) return false;
  return wire::seq_in_range(s.h.seq, lo, hi) || wire::seq_in_range(s.h.seq + s.len - 1, lo, hi);
}

/// First step. An unacceptable segment gets <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>
/// (unless it is an RST) and is dropped. With a zero window, a segment at
/// RCV.NXT still has its ACK processed ("special allowance").
bool Connection::check_sequence(Seg& s) {
  if (acceptable(s) ||
      (tcb_.rcv_wnd() == 0 && s.h.seq == tcb_.rcv_nxt && !s.has(wire::kSyn))) {
    if (s.len > 0 && tcb_.rcv_wnd() == 0) ack_now_ = true;  // answer the window probe
    trim_to_window(s);
    note_timestamp(s);
    return true;
  }
  ++counters_.bad_segments;
  if (s.has(wire::kRst)) return false;
  note_duplicate(s);
  if (state_ == TcpState::kSynReceived && s.has(wire::kSyn) && s.h.seq == tcb_.irs) {
    send_syn(SendReason::kPeerSyn);  // the peer retransmitted its SYN: our SYN-ACK was lost (Linux tcp_check_req)
    return false;
  }
  if (state_ == TcpState::kTimeWait && s.fin) {
    time_wait_at_ = now_ + profile_.msl * 2;  // eighth step, TIME-WAIT: restart 2 MSL
  }
  ack_now_ = true;
  return false;
}

/// Keeps only the text inside [RCV.NXT, RCV.NXT + RCV.WND); a FIN beyond
/// the window is not taken either.
void Connection::trim_to_window(Seg& s) const {
  if (s.text_seq < tcb_.rcv_nxt) {
    const auto old = std::min<std::size_t>(static_cast<std::size_t>(tcb_.rcv_nxt - s.text_seq), s.text.size());
    s.text = s.text.subspan(old);
    s.text_seq += static_cast<std::uint32_t>(old);
  }
  const SeqNum right = tcb_.rcv_nxt + tcb_.rcv_wnd();
  const std::int32_t room = right - s.text_seq;
  if (room <= 0) {
    s.text = {};
  } else if (s.text.size() > static_cast<std::size_t>(room)) {
    s.text = s.text.first(static_cast<std::size_t>(room));
  }
  if (s.fin && *s.fin > right) s.fin.reset();
}

/// RFC 7323 §4.3 (R3): TS.Recent follows the peer's clock for segments
/// that start at or before the last ACK we sent.
void Connection::note_timestamp(const Seg& s) {
  if (!opt_.timestamps || !s.h.timestamps) return;
  const std::uint32_t tsval = s.h.timestamps->tsval;
  if (static_cast<std::int32_t>(tsval - ts_recent_) >= 0 && s.h.seq <= last_ack_sent_) {
    ts_recent_ = tsval;
  }
}

/// Text that starts below RCV.NXT was received before: report its old part
/// in a D-SACK block (RFC 2883 §4.1; Linux tcp_send_dupack and
/// tcp_data_queue -> tcp_dsack_set).
void Connection::note_duplicate(const Seg& s) {
  if (!opt_.sack || !profile_.dsack || s.payload_len == 0) return;
  const SeqNum start = s.h.seq + (s.has(wire::kSyn) ? 1u : 0u);
  if (!(start < tcb_.rcv_nxt)) return;
  dsack_pending_ = wire::SackBlock{start, seq_min(start + s.payload_len, tcb_.rcv_nxt)};
}

// ---- second: RST ----

/// RFC 5961 §3.2: only an RST at exactly RCV.NXT resets; one elsewhere in
/// the window gets a challenge ACK.
void Connection::check_rst(const Seg& s) {
  if (s.h.seq != tcb_.rcv_nxt) {
    ack_now_ = true;
    return;
  }
  switch (state_) {
    case TcpState::kSynReceived:
      if (passive_) return transition(TcpEvent::kRcvRstPassive);  // back to LISTEN
      return fail(ConnectionError::kRefused, TcpEvent::kRcvRst);
    case TcpState::kEstablished:
    case TcpState::kFinWait1:
    case TcpState::kFinWait2:
    case TcpState::kCloseWait:
      return fail(ConnectionError::kReset, TcpEvent::kRcvRst);
    default:  // CLOSING, LAST-ACK, TIME-WAIT: just close
      return transition(TcpEvent::kRcvRst);
  }
}

// ---- fourth: SYN ----

/// RFC 5961 §4: a SYN in a synchronized state (or SYN-RECEIVED) gets a
/// challenge ACK and is dropped, whatever its sequence number.
void Connection::check_syn(const Seg&) { ack_now_ = true; }

// ---- fifth: ACK ----

bool Connection::check_ack(const Seg& s) {
  if (state_ == TcpState::kSynReceived && !ack_in_syn_received(s)) return false;
  return process_ack(s);
}

/// SYN-RECEIVED: an ACK in SND.UNA < SEG.ACK =< SND.NXT completes the
/// handshake (SND.WND <- SEG.WND, SND.WL1 <- SEG.SEQ, SND.WL2 <- SEG.ACK);
/// any other gets <SEQ=SEG.ACK><CTL=RST>.
bool Connection::ack_in_syn_received(const Seg& s) {
  if (!(tcb_.snd_una < s.h.ack && s.h.ack <= tcb_.snd_max)) {
    send_reset_reply(s);
    return false;
  }
  tcb_.snd_wnd = static_cast<std::uint32_t>(s.h.window) << opt_.snd_wscale;
  tcb_.max_snd_wnd = std::max(tcb_.max_snd_wnd, tcb_.snd_wnd);
  tcb_.snd_wl1 = s.h.seq;
  tcb_.snd_wl2 = s.h.ack;
  transition(TcpEvent::kRcvAckOfSyn);
  return true;
}

/// FIN-WAIT-1 (fifth step): once our FIN is acknowledged, FIN-WAIT-2. Run
/// after the eighth step so that a segment carrying both the ACK of our FIN
/// and the peer's FIN takes the diagram's direct arrow to TIME-WAIT.
void Connection::finish_fin_wait_1() {
  if (state_ == TcpState::kFinWait1 && fin_acked()) transition(TcpEvent::kRcvAckOfFin);
}

// ---- seventh: segment text ----

void Connection::process_text(const Seg& s) {
  switch (state_) {
    case TcpState::kEstablished:
    case TcpState::kFinWait1:
    case TcpState::kFinWait2: break;
    default: return;  // CLOSE-WAIT and later: a FIN was received; ignore the text
  }
  ecn_on_data(s);
  note_duplicate(s);
  if (s.text.empty()) {
    if (s.payload_len > 0) ack_now_ = true;  // a duplicate: our ACK may have been lost
    return;
  }
  if (app_closed_) {  // nobody will read it: reset (RFC 2525 §2.17, Linux)
    send_rst(ack_seq(), true);
    return transition(TcpEvent::kAbort);
  }
  take_data(s);
}

/// Queues the text for the app and decides how to acknowledge it
/// (RFC 9293 §3.8.6.3, RFC 5681 §4.2): at once for out-of-order data or
/// data that fills a hole; otherwise as the profile's AckMode says.
void Connection::take_data(const Seg& s) {
  const auto offset = static_cast<std::uint32_t>(s.text_seq - tcb_.rcv_nxt);
  const bool had_hole = rcv_buf_.has_out_of_order();
  if (had_hole && offset != 0 && profile_.comp_sack_nr > 0 && opt_.sack) {
    sack_compress_flush_for(offset, static_cast<std::uint32_t>(s.text.size()));
  }
  const std::size_t advanced = rcv_buf_.insert(offset, s.text);
  rcv_mss_ = std::max(rcv_mss_, static_cast<std::uint32_t>(std::min<std::size_t>(s.text.size(), 65535)));
  if (advanced > 0) {
    tcb_.rcv_nxt += static_cast<std::uint32_t>(advanced);
    unacked_bytes_ += static_cast<std::uint32_t>(advanced);
    emit_event(ConnectionEvent::kReadable);
  }
  const bool in_order = offset == 0 && !had_hole && advanced == s.text.size();
  if (profile_.ack_mode == AckMode::kLinux) {
    if (offset == 0) {
      linux_data_received(s, in_order);
    } else if (profile_.rcv_window == ReceiveWindowModel::kLinux && opt_.sack && s.text.size() >= 128) {
      // tcp_data_queue_ofo: with SACK the window grows for out-of-order
      // data too (the duplicate ACKs show as window updates).
      const auto len = static_cast<std::uint32_t>(s.text.size());
      if (autotune_.grow_window(len, len + tcp_header_len() + 34, static_cast<std::uint32_t>(rcv_buf_.held()))) {
        ack_.allow_one_quick();
      }
    }
    linux_ack_check(in_order, had_hole && offset == 0 && !rcv_buf_.has_out_of_order());
  } else {
    ack_every_n(in_order);
  }
}

/// AckMode::kEveryN: every ack_every_segments full-sized segments, or when
/// the delayed-ACK timer fires.
void Connection::ack_every_n(bool in_order) {
  const std::uint32_t every = std::max<std::uint32_t>(profile_.ack_every_segments, 1);
  if (!in_order) {
    ack_now_ = true;
  } else if (unacked_bytes_ > (every - 1) * rcv_mss_) {
    ack_now_ = true;
  } else if (delack_at_ == Time::max()) {
    delack_at_ = now_ + profile_.delayed_ack;
  }
}

/// tcp_event_data_recv for in-sequence data: the peer's segment size, the
/// receive RTT (tcp_rcv_rtt_measure_ts), the ACK timeout and quick-ACK
/// credit (AckPolicy::on_data), and the window's growth (tcp_grow_window,
/// for segments of 128 bytes or more).
void Connection::linux_data_received(const Seg& s, bool in_order) {
  ack_scheduled_ = true;  // inet_csk_schedule_ack
  const auto len = static_cast<std::uint32_t>(s.text.size());
  const std::uint32_t hdr = tcp_header_len();
  const std::uint32_t frame = len + hdr + 20 + 14;  // IPv4 + Ethernet: what the NIC's buffer holds
  const bool linux_window = profile_.rcv_window == ReceiveWindowModel::kLinux;
  if (ack_.measure_rcv_mss(len, advmss(), hdr) && linux_window) {
    autotune_.on_new_rcv_mss(len, frame, linux_rcv_wnd_);
  }
  if (linux_window && opt_.timestamps && s.h.timestamps && s.h.timestamps->tsecr != 0 && len >= ack_.rcv_mss()) {
    const std::uint32_t ms = ts_clock() - s.h.timestamps->tsecr;
    if (ms < 0x8000'0000u) autotune_.rcv_rtt_sample(s.h.timestamps->tsecr, Duration::milliseconds(ms));
  }
  ack_.on_data(now_, rtt_.rto(), linux_rcv_wnd_);
  if (linux_window && in_order && len >= 128 &&
      autotune_.grow_window(len, frame, static_cast<std::uint32_t>(rcv_buf_.held()))) {
    ack_.allow_one_quick();
  }
}

/// __tcp_ack_snd_check: ACK now when the segment filled the last hole
/// (tcp_data_queue sets ICSK_ACK_NOW, RFC 5681 §4.2), when more than one
/// full segment is unacknowledged and the window we would offer has not
/// shrunk, or in quick-ACK mode. Otherwise, with nothing out of order, arm
/// the delayed ACK (tcp_send_delayed_ack); with data out of order, ACK at
/// once or compress (compress_or_ack_now).
void Connection::linux_ack_check(bool in_order, bool hole_filled) {
  if (hole_filled) {
    ack_now_ = true;
    return;
  }
  const auto unacked = static_cast<std::uint32_t>(tcb_.rcv_nxt - last_ack_sent_);
  bool window_ok = true;
  // Evaluated only after "more than one full frame", as Linux's && does:
  // __tcp_select_window may end quick-ACK mode.
  if (unacked > ack_.rcv_mss() && profile_.rcv_window == ReceiveWindowModel::kLinux) {
    bool quick_off = false;
    const std::uint32_t w = autotune_.select(static_cast<std::uint32_t>(rcv_buf_.held()), ack_.rcv_mss(),
                                             opt_.rcv_wscale, quick_off);
    if (quick_off) ack_.quick_off();
    window_ok = w >= linux_rcv_wnd_;
  }
  if ((unacked > ack_.rcv_mss() && window_ok) || ack_.in_quickack() || profile_.delayed_ack == Duration::zero()) {
    ack_now_ = true;
    return;
  }
  if (in_order && !rcv_buf_.has_out_of_order()) {
    schedule_delayed_ack(ack_.delay(rtt_.srtt().value_or(Duration::zero())));
    return;
  }
  compress_or_ack_now();
}

/// The out-of-order half of __tcp_ack_snd_check. Without SACK compression
/// (or SACK) every such segment is acknowledged at once (RFC 5681 §4.2).
/// With it, the first TCP_FASTRETRANS_THRESH duplicate ACKs for one
/// rcv_nxt go at once, so that the sender can count them; after that they
/// are held back (tp->compressed_ack) until a timer of min(comp_sack_delay,
/// comp_sack_rtt_percent % of min(receive RTT, SRTT)) fires, another ACK
/// leaves, or comp_sack_nr are held.
void Connection::compress_or_ack_now() {
  constexpr std::uint32_t kFastRetransThresh = 3;  // TCP_FASTRETRANS_THRESH
  if (profile_.comp_sack_nr == 0 || !opt_.sack || compressed_ack_ >= profile_.comp_sack_nr) {
    ack_now_ = true;
    return;
  }
  if (compressed_ack_rcv_nxt_ != tcb_.rcv_nxt) {
    compressed_ack_rcv_nxt_ = tcb_.rcv_nxt;
    dup_ack_counter_ = 0;
  }
  if (dup_ack_counter_ < kFastRetransThresh) {
    ++dup_ack_counter_;
    ack_now_ = true;
    return;
  }
  ++compressed_ack_;
  if (comp_ack_at_ != Time::max()) return;
  // rtt: tp->rcv_rtt_est.rtt_us, or the SRTT when it is known and smaller
  // (zero, and no delay but the slack, before the first receive-RTT sample).
  std::int64_t rtt_ns = static_cast<std::int64_t>(autotune_.rcv_rtt_us()) * 1000;
  if (const auto srtt = rtt_.srtt(); srtt && srtt->ns() < rtt_ns) rtt_ns = srtt->ns();
  const Duration by_rtt = Duration::nanoseconds(rtt_ns * profile_.comp_sack_rtt_percent / 100);
  comp_ack_at_ = now_ + std::min(profile_.comp_sack_delay, by_rtt) + profile_.comp_sack_slack;
}

/// tcp_sack_new_ofo_skb -> tcp_sack_compress_send_ack: an out-of-order
/// segment at `offset` that extends a SACK block other than the two most
/// recent, or needs a new block when two or more exist
/// (TCP_SACK_BLOCKS_EXPECTED), first sends the held-back ACK, as it stood
/// before this segment, so that no block is lost from view.
void Connection::sack_compress_flush_for(std::uint32_t offset, std::uint32_t len) {
  constexpr std::size_t kSackBlocksExpected = 2;  // TCP_SACK_BLOCKS_EXPECTED
  constexpr std::size_t kNumSacks = 4;            // TCP_NUM_SACKS
  if (compressed_ack_ == 0) return;
  std::array<std::pair<std::uint32_t, std::uint32_t>, kNumSacks> blocks{};
  const std::size_t n = rcv_buf_.sack_ranges(std::span(blocks));
  std::size_t index = n;  // tcp_sack_extend: touching or overlapping, most recent first
  for (std::size_t i = 0; i < n; ++i) {
    if (blocks[i].first <= offset + len && offset <= blocks[i].second) {
      index = i;
      break;
    }
  }
  if (index >= kSackBlocksExpected) send_ack();
}

/// tcp_send_delayed_ack: a timer already running keeps the earlier
/// deadline, and if it is due within a quarter of the timeout the ACK
/// goes now.
void Connection::schedule_delayed_ack(Duration ato) {
  Time timeout = now_ + ato;
  if (delack_at_ != Time::max()) {
    if (delack_at_ <= now_ + ato / 4) {
      ack_now_ = true;
      return;
    }
    timeout = std::min(timeout, delack_at_);
  }
  delack_at_ = timeout;
}

// ---- eighth: FIN ----

namespace {
/// The ACK of an in-order FIN received in `state` waits for the delayed-ACK timer.
bool delays_fin_ack(const TcpProfile& p, TcpState state) {
  return p.delayed_fin_ack && p.delayed_ack > Duration::zero() && state == TcpState::kEstablished;
}
}  // namespace

/// Remembers the peer's FIN, which may arrive before data still missing.
void Connection::note_fin(const Seg& s) {
  if (!s.fin || fin_received_) return;
  switch (state_) {
    case TcpState::kSynReceived:
    case TcpState::kEstablished:
    case TcpState::kFinWait1:
    case TcpState::kFinWait2: break;
    default: return;
  }
  rcv_fin_seq_ = *s.fin;
  // A FIN is acknowledged at once, in order or not; consume_fin_if_due may
  // delay the ACK of an in-order one (TcpProfile::delayed_fin_ack).
  if (*s.fin != tcb_.rcv_nxt || !delays_fin_ack(profile_, state_)) ack_now_ = true;
}

/// Once RCV.NXT reaches the FIN: advance over it, tell the app, and move
/// on (ESTABLISHED -> CLOSE-WAIT, FIN-WAIT-1 -> CLOSING or TIME-WAIT,
/// FIN-WAIT-2 -> TIME-WAIT).
void Connection::consume_fin_if_due() {
  if (!rcv_fin_seq_ || fin_received_ || *rcv_fin_seq_ != tcb_.rcv_nxt) return;
  fin_received_ = true;
  tcb_.rcv_nxt += 1;
  if (!delays_fin_ack(profile_, state_)) {
    ack_now_ = true;
  } else if (profile_.ack_mode == AckMode::kLinux) {
    ack_.enter_pingpong();  // tcp_fin: inet_csk_enter_pingpong_mode
    ack_scheduled_ = true;
    schedule_delayed_ack(ack_.delay(rtt_.srtt().value_or(Duration::zero())));
  } else if (delack_at_ == Time::max()) {
    delack_at_ = now_ + profile_.delayed_ack;
  }
  emit_event(ConnectionEvent::kPeerClosed);
  const bool ours_acked = state_ == TcpState::kFinWait1 && fin_acked();
  transition(ours_acked ? TcpEvent::kRcvFinAckOfFin : TcpEvent::kRcvFin);
}

}  // namespace wiresim::tcp
