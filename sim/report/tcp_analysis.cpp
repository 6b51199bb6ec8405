#include "wiresim/report/tcp_analysis.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <utility>

#include <fmt/format.h>

#include "wiresim/wire/tcp.hpp"

namespace wiresim::report {
namespace {

using wire::kAck;
using wire::kFin;
using wire::kRst;
using wire::kSyn;

/// Sequence-space comparisons modulo 2^32 (packet-tcp.h's LT_SEQ, GT_SEQ, LE_SEQ).
bool lt_seq(std::uint32_t a, std::uint32_t b) { return static_cast<std::int32_t>(a - b) < 0; }
bool gt_seq(std::uint32_t a, std::uint32_t b) { return static_cast<std::int32_t>(a - b) > 0; }
bool le_seq(std::uint32_t a, std::uint32_t b) { return static_cast<std::int32_t>(a - b) <= 0; }

constexpr int kScaleUnknown = -1;  ///< no SYN of this direction seen (packet-tcp.c: win_scale -1)
constexpr int kScaleNone = -2;     ///< the handshake did not agree on window scaling (-2)
/// Out-of-order threshold when the handshake's RTT is unknown (packet-tcp.c: 3 ms).
constexpr std::int64_t kOooDefaultNs = 3'000'000;
/// A fast retransmission follows the last duplicate ACK within 20 ms (packet-tcp.c).
constexpr std::int64_t kFastRetransmitWindowNs = 20'000'000;

/// What Wireshark keeps per direction (tcp_flow_t and tcp_analyze_seq_flow_info_t).
struct Flow {
  bool base_set = false;
  std::uint32_t base_seq = 0;
  int win_scale = kScaleUnknown;
  bool last_was_syn = true;        ///< its last window was a SYN's, never scaled (is_first_ack)
  std::uint32_t window = 0xffffffffU;  ///< raw window field of its last segment (none yet: no value matches)
  std::uint32_t nextseq = 0;       ///< one past the highest sequence number sent; 0 = none yet
  std::int64_t nextseq_time = 0;
  std::uint32_t lastack = 0;       ///< ack field of its last segment
  std::int64_t lastack_time = 0;
  std::uint32_t maxseqtobeacked = 0;
  int dupacknum = 0;
  std::uint64_t lastnondupack = 0;
  std::uint32_t lastsegmentflags = 0;
};

/// One conversation (tcp_analysis).
struct Conversation {
  std::string a;  ///< the endpoint that sent its first segment
  std::string b;
  Flow flow_a;
  Flow flow_b;
  std::optional<std::int64_t> mru_syn;  ///< time of the latest SYN without ACK
  std::optional<std::int64_t> first_rtt;  ///< SYN to the first ACK without SYN
  std::size_t stream = 0;
};

std::uint32_t seg_end(const CapturedSegment& s) {
  return s.seq + s.payload_len + ((s.flags & (kSyn | kFin)) != 0 ? 1U : 0U);
}

/// verify_tcp_window_scaling() and pdu_store_window_scale_option(): a SYN
/// stores its shift (or "none"); scaling is on only if both SYNs had it.
void note_window_scale(const CapturedSegment& s, Flow& fwd, Flow& rev) {
  if ((s.flags & kSyn) == 0) return;
  fwd.win_scale = s.window_scale ? std::min<int>(*s.window_scale, 14) : kScaleNone;
  if ((s.flags & kAck) != 0 && (fwd.win_scale == kScaleNone || rev.win_scale == kScaleNone)) {
    fwd.win_scale = kScaleNone;
    rev.win_scale = kScaleNone;
  }
}

/// The checks before "finished_fwd" in tcp_analyze_sequence_number().
std::uint32_t forward_checks(const CapturedSegment& s, Flow& fwd, const Flow& rev, TcpFrameAnalysis& out) {
  const std::uint32_t seq = s.seq;
  const std::uint32_t ack = s.ack;
  const std::uint32_t seglen = s.payload_len;
  const std::uint32_t window = s.window;
  const bool control = (s.flags & (kSyn | kFin | kRst)) != 0;
  std::uint32_t f = 0;
  // ZERO WINDOW PROBE: one byte at the next sequence number into a closed window.
  if (seglen == 1 && seq == fwd.nextseq && rev.window == 0) return kTaZeroWindowProbe;
  // ZERO WINDOW: window 0 on a segment without SYN/FIN/RST.
  if (window == 0 && !control) f |= kTaZeroWindow;
  // LOST PACKET: beyond the highest sequence number seen ("Previous segment not captured").
  if (fwd.nextseq != 0 && gt_seq(seq, fwd.nextseq) && (s.flags & kRst) == 0) f |= kTaLostSegment;
  // KEEP ALIVE: 0 or 1 byte starting one before the next sequence number.
  if (seglen <= 1 && seq == fwd.nextseq - 1 && !control) f |= kTaKeepAlive;
  const bool same_point = seglen == 0 && seq == fwd.nextseq && ack == fwd.lastack && !control;
  // WINDOW UPDATE: no data, same seq and ack as before, a new non-zero window.
  if (same_point && window != 0 && window != fwd.window) f |= kTaWindowUpdate;
  // WINDOW FULL: data up to the right edge of the window the other end offered.
  if (seglen > 0 && rev.win_scale != kScaleUnknown && !control) {
    const int shift = rev.last_was_syn || rev.win_scale == kScaleNone ? 0 : rev.win_scale;
    if (seq + seglen == rev.lastack + (rev.window << shift)) f |= kTaWindowFull;
  }
  // KEEP ALIVE ACK: repeats the previous ACK right after the other end's keep-alive.
  if (same_point && window != 0 && window == fwd.window && (rev.lastsegmentflags & kTaKeepAlive) != 0) {
    return f | kTaKeepAliveAck;
  }
  // ZERO WINDOW PROBE ACK: repeats the zero window after the other end's probe.
  if (same_point && window == 0 && window == fwd.window && (rev.lastsegmentflags & kTaZeroWindowProbe) != 0) {
    return f | kTaZeroWindowProbeAck;
  }
  // DUPLICATE ACK: no data, same seq, ack and window as the previous segment.
  if (same_point && window != 0 && window == fwd.window) {
    fwd.dupacknum = fwd.dupacknum == -1 ? 1 : fwd.dupacknum + 1;  // -1: an "ACKed unseen" was counted
    f |= kTaDuplicateAck;
    out.dup_ack_num = static_cast<std::uint32_t>(fwd.dupacknum);
    out.dup_ack_frame = fwd.lastnondupack;
  }
  return f;
}

/// Retransmission, fast retransmission, spurious retransmission or out of
/// order, for a segment with data or SYN/FIN (tcp_fastrt_precedence: the
/// fast-retransmission test comes before the out-of-order one).
std::uint32_t resend_checks(const CapturedSegment& s, const Flow& fwd, const Flow& rev, std::uint32_t flags,
                            std::int64_t ooo_threshold_ns) {
  const std::uint32_t seq = s.seq;
  const std::uint32_t seglen = s.payload_len;
  if (seglen == 0 && (s.flags & (kSyn | kFin)) == 0) return 0;
  if ((flags & kTaKeepAlive) != 0) return 0;
  bool seq_not_advanced = fwd.nextseq != 0 && lt_seq(seq, fwd.nextseq);
  // More than one byte starting one below nextseq adds data (after a zero-window probe).
  if (seglen > 1 && fwd.nextseq - 1 == seq) seq_not_advanced = false;
  // SPURIOUS: every byte was already acknowledged by the other end.
  if (seglen > 0 && rev.lastack != 0 && le_seq(seq + seglen, rev.lastack)) return kTaSpuriousRetransmission;
  const std::int64_t since_dup = s.timestamp_ns - rev.lastack_time;
  if (seq_not_advanced && rev.dupacknum >= 2 && rev.lastack == seq && since_dup < kFastRetransmitWindowNs) {
    return kTaFastRetransmission;
  }
  const std::int64_t since_highest = s.timestamp_ns - fwd.nextseq_time;
  if (seq_not_advanced && since_highest < ooo_threshold_ns && fwd.nextseq != seg_end(s)) return kTaOutOfOrder;
  return seq_not_advanced ? std::uint32_t{kTaRetransmission} : 0U;
}

/// tcp_analyze_sequence_number() for one segment of a conversation.
TcpFrameAnalysis analyze_segment(const CapturedSegment& s, Conversation& c) {
  const bool from_a = s.src == c.a;
  Flow& fwd = from_a ? c.flow_a : c.flow_b;
  Flow& rev = from_a ? c.flow_b : c.flow_a;
  TcpFrameAnalysis out;
  out.stream = c.stream;
  note_window_scale(s, fwd, rev);
  // The handshake's RTT, for the out-of-order threshold (dissect_tcp: ts_first_rtt).
  if ((s.flags & (kSyn | kAck)) == kAck && c.mru_syn && !c.first_rtt) c.first_rtt = s.timestamp_ns - *c.mru_syn;
  if (!fwd.base_set) {
    fwd.base_seq = (s.flags & kSyn) != 0 ? s.seq : s.seq - 1;
    fwd.base_set = true;
  }
  if (!rev.base_set && (s.flags & kAck) != 0) {
    rev.base_seq = s.ack - 1;
    rev.base_set = true;
  }
  std::uint32_t f = forward_checks(s, fwd, rev, out);
  // finished_fwd: a new ack number starts the duplicate count again.
  if (s.ack != fwd.lastack) {
    fwd.lastnondupack = s.frame;
    fwd.dupacknum = 0;
  }
  // ACKED LOST PACKET: acknowledges beyond what the other end was seen to send.
  if (rev.maxseqtobeacked != 0 && gt_seq(s.ack, rev.maxseqtobeacked) && (s.flags & kAck) != 0) {
    if (rev.maxseqtobeacked > rev.nextseq) {
      rev.maxseqtobeacked = rev.nextseq;
      f |= kTaAckLostSegment;
    } else {
      if (rev.dupacknum == 0) f |= kTaAckLostSegment;
      rev.dupacknum = -1;
    }
  }
  const std::int64_t ooo = c.first_rtt && *c.first_rtt != 0 ? *c.first_rtt : kOooDefaultNs;
  f |= resend_checks(s, fwd, rev, f, ooo);
  // finished_checking_retransmission_type: the highest sequence number and
  // the highest contiguous one, unless this was a zero-window probe.
  const std::uint32_t nextseq = seg_end(s);
  const bool probe = (f & kTaZeroWindowProbe) != 0;
  if ((gt_seq(nextseq, fwd.nextseq) || fwd.nextseq == 0) && !probe) {
    fwd.nextseq = nextseq;
    fwd.nextseq_time = s.timestamp_ns;
  }
  if ((s.seq == fwd.maxseqtobeacked || fwd.maxseqtobeacked == 0) && !probe) fwd.maxseqtobeacked = fwd.nextseq;
  fwd.window = s.window;
  fwd.last_was_syn = (s.flags & kSyn) != 0;
  fwd.lastack = s.ack;
  fwd.lastack_time = s.timestamp_ns;
  fwd.lastsegmentflags = f;
  if ((s.flags & (kSyn | kAck)) == kSyn) c.mru_syn = s.timestamp_ns;
  out.flags = f;
  return out;
}

}  // namespace

std::vector<std::string> analysis_labels(const TcpFrameAnalysis& a) {
  // Wireshark prepends each name to Info as tcp_print_sequence_number_analysis()
  // prints them (retransmission, lost, window, keep-alive, dup ACK, zero
  // window), so the last printed reads first.
  std::vector<std::string> out;
  const std::uint32_t f = a.flags;
  if ((f & kTaZeroWindowProbe) != 0) out.emplace_back("TCP ZeroWindowProbe");
  if ((f & kTaZeroWindowProbeAck) != 0) out.emplace_back("TCP ZeroWindowProbeAck");
  if ((f & kTaZeroWindow) != 0) out.emplace_back("TCP ZeroWindow");
  if ((f & kTaDuplicateAck) != 0) out.push_back(fmt::format("TCP Dup ACK {}#{}", a.dup_ack_frame, a.dup_ack_num));
  if ((f & kTaKeepAliveAck) != 0) out.emplace_back("TCP Keep-Alive ACK");
  if ((f & kTaKeepAlive) != 0) out.emplace_back("TCP Keep-Alive");
  if ((f & kTaWindowFull) != 0) out.emplace_back("TCP Window Full");
  if ((f & kTaWindowUpdate) != 0) out.emplace_back("TCP Window Update");
  if ((f & kTaAckLostSegment) != 0) out.emplace_back("TCP ACKed unseen segment");
  if ((f & kTaLostSegment) != 0) out.emplace_back("TCP Previous segment not captured");
  if ((f & kTaOutOfOrder) != 0) out.emplace_back("TCP Out-Of-Order");
  if ((f & kTaSpuriousRetransmission) != 0) out.emplace_back("TCP Spurious Retransmission");
  if ((f & kTaFastRetransmission) != 0) out.emplace_back("TCP Fast Retransmission");
  if ((f & kTaRetransmission) != 0) out.emplace_back("TCP Retransmission");
  return out;
}

TcpCaptureAnalysis analyze_tcp(const std::vector<CapturedSegment>& segments) {
  TcpCaptureAnalysis out;
  std::vector<Conversation> convs;
  std::map<std::pair<std::string, std::string>, std::size_t> open;  // (lower, higher endpoint) -> conversation
  out.frames.reserve(segments.size());
  for (std::size_t i = 0; i < segments.size(); ++i) {
    const CapturedSegment& s = segments[i];
    const auto key = std::minmax(s.src, s.dst);
    auto it = open.find({key.first, key.second});
    // Port reuse (dissect_tcp): a SYN whose sequence number is not its
    // direction's first one starts a new conversation on the same ports.
    if (it != open.end() && (s.flags & (kSyn | kAck)) == kSyn) {
      const Conversation& c = convs[it->second];
      const Flow& fwd = s.src == c.a ? c.flow_a : c.flow_b;
      if (fwd.base_set && s.seq != fwd.base_seq) it = open.end();
    }
    if (it == open.end()) {
      Conversation c;
      c.a = s.src;
      c.b = s.dst;
      c.stream = out.streams.size();
      out.streams.push_back(TcpStreamSegments{s.src, s.dst, {}});
      it = open.insert_or_assign(std::pair{key.first, key.second}, convs.size()).first;
      convs.push_back(std::move(c));
    }
    Conversation& c = convs[it->second];
    TcpStreamSegments& st = out.streams[c.stream];
    if ((s.flags & (kSyn | kAck)) == kSyn && st.segments.empty()) {
      st.initiator = s.src;
      st.responder = s.dst;
    } else if ((s.flags & (kSyn | kAck)) == kSyn && st.initiator != s.src &&
               std::none_of(st.segments.begin(), st.segments.end(),
                            [&](std::size_t j) { return (segments[j].flags & (kSyn | kAck)) == kSyn; })) {
      st.initiator = s.src;
      st.responder = s.dst;
    }
    st.segments.push_back(i);
    out.frames.push_back(analyze_segment(s, c));
  }
  return out;
}

}  // namespace wiresim::report
