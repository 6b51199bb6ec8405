#include "wiresim/report/explain.hpp"

#include <algorithm>
#include <filesystem>
#include <map>
#include <optional>
#include <tuple>
#include <utility>

#include <fmt/format.h>

#include "wiresim/report/svg.hpp"
#include "wiresim/wire/tcp.hpp"

namespace wiresim::report {
namespace {

using wire::kAck;
using wire::kFin;
using wire::kRst;
using wire::kSyn;

/// Wireshark's info column, roughly: "[SYN, ACK] Seq=0 Ack=1 Win=65535 Len=0 MSS=1460 WS=256 SACK_PERM".
/// `window` is the advertised window, scaled as Wireshark shows it once it saw both SYNs.
std::string summarize(const CapturedSegment& s, std::uint64_t rel_seq, std::uint64_t rel_ack, std::uint64_t window) {
  std::string out = flags_text(s.flags) + fmt::format(" Seq={}", rel_seq);
  if ((s.flags & kAck) != 0) out += fmt::format(" Ack={}", rel_ack);
  out += fmt::format(" Win={} Len={}", window, s.payload_len);
  if (s.mss) out += fmt::format(" MSS={}", *s.mss);
  if (s.window_scale) out += fmt::format(" WS={}", 1u << std::min<unsigned>(*s.window_scale, 14));
  if (s.sack_permitted) out += " SACK_PERM";
  if (s.sack_blocks > 0) out += fmt::format(" SACK({})", s.sack_blocks);
  return out;
}

/// States shown before any segment: the opener has not sent its SYN yet.
constexpr const char* kClosed = "CLOSED";

bool sends_syn_or_fin(const std::string& to) { return to == "SYN-SENT" || to == "FIN-WAIT-1" || to == "LAST-ACK"; }

/// The index of the frame of `frames` after which each row of one
/// connection's state trace holds (conn_rows.size() = not within the capture).
///   - a row naming a frame of this capture holds from that frame on;
///   - an app call that sends a SYN or FIN (connect -> SYN-SENT, close ->
///     FIN-WAIT-1 or LAST-ACK) holds from the frame carrying that SYN/FIN, so
///     an ACK sent at the same instant just before it shows the state before
///     (lab: CLOSE-WAIT at the ACK of the server's FIN, LAST-ACK at the own FIN);
///   - any other row (listen, timers) from the first frame at or after its time;
/// and per end never before a row written earlier, never after a later
/// frame-named one.
std::vector<std::size_t> bind_rows(const std::vector<const StateRow*>& rows,
                                   const std::vector<const CapturedSegment*>& frames,
                                   const std::vector<std::int64_t>& sim_ns, const RunFolder& run,
                                   const RunFolder::Capture& cap) {
  const std::size_t n = frames.size();
  std::vector<std::size_t> at(rows.size(), n);
  std::vector<bool> anchored(rows.size(), false);
  for (std::size_t r = 0; r < rows.size(); ++r) {
    const StateRow& row = *rows[r];
    if (row_frame_in(row, run, cap)) {
      for (std::size_t i = 0; i < n; ++i) {
        if (frames[i]->frame == row.frame) {
          at[r] = i;
          anchored[r] = true;
          break;
        }
      }
      if (anchored[r]) continue;
    }
    if (sends_syn_or_fin(row.to)) {
      const std::uint8_t want = row.to == "SYN-SENT" ? kSyn : kFin;
      for (std::size_t i = 0; i < n; ++i) {
        if (frames[i]->src == row.local && (frames[i]->flags & want) != 0 && sim_ns[i] >= row.time_ns) {
          at[r] = i;
          anchored[r] = true;
          break;
        }
      }
      if (anchored[r]) continue;
    }
    for (std::size_t i = 0; i < n; ++i) {
      if (sim_ns[i] >= row.time_ns) {
        at[r] = i;
        break;
      }
    }
  }
  // Per end: a time-bound row holds no later than the next row of that end...
  for (std::size_t r = rows.size(); r-- > 0;) {
    if (anchored[r]) continue;
    for (std::size_t q = r + 1; q < rows.size(); ++q) {
      if (rows[q]->local == rows[r]->local) {
        at[r] = std::min(at[r], at[q]);
        break;
      }
    }
  }
  // ... and no row before the one written before it.
  for (std::size_t r = 1; r < rows.size(); ++r) {
    for (std::size_t q = r; q-- > 0;) {
      if (rows[q]->local == rows[r]->local) {
        at[r] = std::max(at[r], at[q]);
        break;
      }
    }
  }
  return at;
}

/// RFC 9293 §3.3.2's state machine, driven by what a capture shows one end
/// send and receive (the capture point is taken to see both at once).
class InferredEnd {
 public:
  /// `state`: before the first captured segment (ESTABLISHED when the
  /// capture starts after the handshake).
  explicit InferredEnd(std::string state = kClosed) : state_(std::move(state)) {}
  void sent(const CapturedSegment& s) {
    if ((s.flags & kRst) != 0) {
      state_ = kClosed;
      return;
    }
    if ((s.flags & kSyn) != 0) {
      state_ = (s.flags & kAck) != 0 ? "SYN-RECEIVED" : "SYN-SENT";
      syn_end_ = s.seq + 1;
    }
    if ((s.flags & kFin) != 0 && !fin_end_) {
      fin_end_ = s.seq + s.payload_len + 1;
      state_ = state_ == "CLOSE-WAIT" ? "LAST-ACK" : (state_ == "ESTABLISHED" || state_ == "SYN-RECEIVED" ? "FIN-WAIT-1" : state_);
    }
  }
  void received(const CapturedSegment& s) {
    if ((s.flags & kRst) != 0) {
      state_ = kClosed;
      return;
    }
    if (state_ == kClosed && (s.flags & (kSyn | kAck)) == kSyn) state_ = "LISTEN";
    const bool acks_syn = (s.flags & kAck) != 0 && syn_end_ && static_cast<std::int32_t>(s.ack - *syn_end_) >= 0;
    const bool acks_fin = (s.flags & kAck) != 0 && fin_end_ && static_cast<std::int32_t>(s.ack - *fin_end_) >= 0;
    if ((s.flags & kSyn) != 0) {
      if (state_ == "LISTEN") state_ = "SYN-RECEIVED";
      if (state_ == "SYN-SENT") state_ = acks_syn ? "ESTABLISHED" : "SYN-RECEIVED";
    } else if (state_ == "SYN-RECEIVED" && acks_syn) {
      state_ = "ESTABLISHED";
    }
    if (acks_fin) {
      if (state_ == "FIN-WAIT-1") state_ = "FIN-WAIT-2";
      else if (state_ == "CLOSING") state_ = "TIME-WAIT";
      else if (state_ == "LAST-ACK") state_ = kClosed;
    }
    if ((s.flags & kFin) != 0) {
      if (state_ == "ESTABLISHED" || state_ == "SYN-RECEIVED") state_ = "CLOSE-WAIT";
      else if (state_ == "FIN-WAIT-1") state_ = "CLOSING";
      else if (state_ == "FIN-WAIT-2") state_ = "TIME-WAIT";
    }
  }
  [[nodiscard]] const std::string& state() const { return state_; }

 private:
  std::string state_;
  std::optional<std::uint32_t> syn_end_;
  std::optional<std::uint32_t> fin_end_;
};

/// What a run adds to a capture: its state trace, the link drops and the resend causes.
struct RunContext {
  const RunFolder* run = nullptr;
  const RunFolder::Capture* cap = nullptr;
  std::vector<StateRow> rows;
  bool have_states = false;
  std::int64_t start_ns = 0;
  std::map<std::uint64_t, std::string> lost;    ///< frame -> "link ... : cause"
  std::map<std::uint64_t, std::string> resent;  ///< frame -> simulator's reason
};

/// The segment identity a link capture and a node capture share.
auto segment_key(const CapturedSegment& s) {
  return std::make_tuple(s.src, s.dst, s.seq, s.ack, s.flags, s.payload_len);
}

/// Frames of `segs` that a link of the run dropped: the link captures
/// (pcapng) hold each dropped frame with the comment "dropped by link NAME
/// (A->B): CAUSE". A node capture's frame is the one sent last before the drop.
std::map<std::uint64_t, std::string> find_drops(const RunFolder& run, const RunFolder::Capture& cap,
                                                const std::vector<CapturedSegment>& segs) {
  std::map<std::uint64_t, std::string> out;
  constexpr std::string_view kPrefix = "dropped by ";
  for (const RunFolder::Capture& other : run.captures) {
    if (!other.node.empty() && other.file != cap.file) continue;  // node captures show no drops
    const std::filesystem::path file = run.dir / other.file;
    if (!std::filesystem::exists(file)) continue;
    const std::vector<CapturedSegment> link = other.file == cap.file ? segs : read_tcp_segments(file);
    for (const CapturedSegment& d : link) {
      if (d.comment.rfind(kPrefix, 0) != 0) continue;
      const std::string why = d.comment.substr(kPrefix.size());
      if (other.file == cap.file) {
        out[d.frame] = why;
        continue;
      }
      const CapturedSegment* best = nullptr;
      for (const CapturedSegment& s : segs) {
        if (segment_key(s) == segment_key(d) && s.timestamp_ns <= d.timestamp_ns) best = &s;
      }
      if (best != nullptr) out[best->frame] = why;
    }
  }
  return out;
}

/// "RTO (backoff 2), cwnd 1448, ssthresh 5792" for frames a host of the run sent again.
std::map<std::uint64_t, std::string> find_resends(const RunFolder& run, const std::vector<CapturedSegment>& segs,
                                                  std::int64_t start_ns) {
  std::map<std::uint64_t, std::string> out;
  const std::filesystem::path file = run.dir / "tcp-retransmits.csv";
  if (!std::filesystem::exists(file)) return out;
  for (const RetransmitRow& r : read_retransmit_trace(file)) {
    for (const CapturedSegment& s : segs) {
      if (s.src != r.local || s.dst != r.remote || s.seq != r.seq || s.payload_len != r.len) continue;
      if (s.timestamp_ns - start_ns < r.time_ns || out.contains(s.frame)) continue;
      std::string text = r.reason;
      if (r.cwnd) text += fmt::format(", cwnd {}", *r.cwnd);
      if (r.ssthresh) text += fmt::format(", ssthresh {}", *r.ssthresh);
      out[s.frame] = text;
      break;
    }
  }
  return out;
}

std::string join(const std::vector<std::string>& v, const char* sep) {
  std::string out;
  for (const std::string& x : v) out += (out.empty() ? "" : sep) + x;
  return out;
}

/// The ladders of `segs`, with states from `ctx` (a run) or inferred (no run).
std::vector<Ladder> make_ladders(const std::vector<CapturedSegment>& segs, const std::string& capture_name,
                                 const RunContext* ctx) {
  const TcpCaptureAnalysis analysis = analyze_tcp(segs);
  const std::int64_t start_ns = ctx != nullptr ? ctx->start_ns : (segs.empty() ? 0 : segs.front().timestamp_ns);
  std::vector<Ladder> out;
  for (std::size_t n = 0; n < analysis.streams.size(); ++n) {
    const TcpStreamSegments& st = analysis.streams[n];
    Ladder l;
    l.stream = n;
    l.capture = capture_name;
    l.initiator = st.initiator;
    l.responder = st.responder;
    l.have_states = ctx == nullptr || ctx->have_states;
    l.states_inferred = ctx == nullptr;
    std::vector<const CapturedSegment*> frames;
    std::vector<std::int64_t> sim_ns;
    for (const std::size_t i : st.segments) {
      frames.push_back(&segs[i]);
      sim_ns.push_back(segs[i].timestamp_ns - start_ns);
    }
    std::vector<const StateRow*> conn_rows;
    std::vector<std::size_t> bound;
    if (ctx != nullptr) {
      for (const StateRow& r : ctx->rows) {
        if ((r.local == l.initiator && r.remote == l.responder) || (r.local == l.responder && r.remote == l.initiator)) {
          conn_rows.push_back(&r);
          if (r.local == l.initiator && l.initiator_node.empty()) l.initiator_node = r.node;
          if (r.local == l.responder && l.responder_node.empty()) l.responder_node = r.node;
        }
      }
      bound = bind_rows(conn_rows, frames, sim_ns, *ctx->run, *ctx->cap);
    }
    std::optional<std::uint32_t> isn_i;
    std::optional<std::uint32_t> isn_r;
    // Window scaling (RFC 7323 §2.2): in effect once both SYNs carried the
    // option; never applied to a SYN's own window.
    std::optional<std::uint8_t> ws_i;
    std::optional<std::uint8_t> ws_r;
    std::string state_i;
    std::string state_r;
    // A capture that begins after the handshake: both ends were synchronized.
    const bool mid_stream = !frames.empty() && (frames.front()->flags & kSyn) == 0;
    InferredEnd inferred_i(mid_stream ? "ESTABLISHED" : kClosed);
    InferredEnd inferred_r(mid_stream ? "ESTABLISHED" : kClosed);
    bool seen_data = false;
    bool seen_close = false;
    for (std::size_t k = 0; k < frames.size(); ++k) {
      const CapturedSegment* s = frames[k];
      const bool from_i = s->src == l.initiator;
      std::optional<std::uint32_t>& own = from_i ? isn_i : isn_r;
      const std::optional<std::uint32_t>& peer = from_i ? isn_r : isn_i;
      if ((s->flags & kSyn) != 0) {
        own = s->seq;
        (from_i ? ws_i : ws_r) = s->window_scale.value_or(0xff);
      }
      std::uint64_t window = s->window;
      const std::optional<std::uint8_t>& own_ws = from_i ? ws_i : ws_r;
      if ((s->flags & kSyn) == 0 && ws_i && ws_r && *ws_i != 0xff && *ws_r != 0xff) {
        window <<= std::min<std::uint8_t>(*own_ws, 14);
      }
      if (!own) own = s->seq - 1;
      if (ctx != nullptr) {
        for (std::size_t r = 0; r < conn_rows.size(); ++r) {
          if (bound[r] == k) (conn_rows[r]->local == l.initiator ? state_i : state_r) = conn_rows[r]->to;
        }
      } else {
        (from_i ? inferred_i : inferred_r).sent(*s);
        (from_i ? inferred_r : inferred_i).received(*s);
        state_i = inferred_i.state();
        state_r = inferred_r.state();
      }
      LadderFrame f;
      f.segment = *s;
      f.from_initiator = from_i;
      f.time_s = static_cast<double>(sim_ns[k]) / 1e9;
      f.rel_seq = static_cast<std::uint32_t>(s->seq - *own);
      f.rel_ack = peer ? static_cast<std::uint32_t>(s->ack - *peer) : s->ack;
      f.initiator_state = state_i;
      f.responder_state = state_r;
      if ((s->flags & (kFin | kRst)) != 0) seen_close = true;
      if (s->payload_len > 0 && !seen_close) seen_data = true;
      f.phase = seen_close ? Phase::kTeardown : (seen_data ? Phase::kData : Phase::kHandshake);
      f.summary = summarize(*s, f.rel_seq, f.rel_ack, window);
      f.analysis = analysis.frames[st.segments[k]];
      f.labels = analysis_labels(f.analysis);
      f.note = join(f.labels, ", ");
      if (ctx != nullptr) {
        if (const auto it = ctx->lost.find(s->frame); it != ctx->lost.end()) f.lost = it->second;
        if (const auto it = ctx->resent.find(s->frame); it != ctx->resent.end()) f.resend_cause = it->second;
      }
      l.frames.push_back(std::move(f));
    }
    out.push_back(std::move(l));
  }
  return out;
}

}  // namespace

const char* title_of(Phase p) {
  switch (p) {
    case Phase::kHandshake: return "Handshake";
    case Phase::kData: return "Requests and responses";
    case Phase::kTeardown: return "Teardown";
  }
  return "?";
}

bool LadderFrame::eventful() const {
  return !segment.first_line.empty() || !segment.http2.empty() || analysis.flags != 0 || !lost.empty() || !resend_cause.empty() ||
         (segment.flags & (kSyn | kFin | kRst)) != 0;
}

std::vector<Ladder> build_ladders(const RunFolder& run, const RunFolder::Capture& cap) {
  const std::vector<CapturedSegment> segs = read_tcp_segments(run.dir / cap.file);
  RunContext ctx;
  ctx.run = &run;
  ctx.cap = &cap;
  const std::filesystem::path states_file = run.dir / "tcp-states.csv";
  ctx.have_states = std::filesystem::exists(states_file);
  if (ctx.have_states) ctx.rows = read_state_trace(states_file);
  // Simulated time of a frame: its timestamp less the run's start. Old
  // folders without start_unix_ns: align on the first row tagged with a frame.
  ctx.start_ns = capture_origin_ns(run, cap, segs, ctx.rows);
  ctx.lost = find_drops(run, cap, segs);
  ctx.resent = find_resends(run, segs, ctx.start_ns);
  return make_ladders(segs, cap.file, &ctx);
}

std::vector<Ladder> build_capture_ladders(const std::filesystem::path& capture_file) {
  return make_ladders(read_capture_for_analysis(capture_file), capture_file.filename().string(), nullptr);
}

bool needs_reassembly_hint(const std::vector<Ladder>& ladders) {
  for (const Ladder& l : ladders) {
    for (const LadderFrame& f : l.frames) {
      if ((f.analysis.flags & (kTaAnyRetransmission | kTaOutOfOrder)) != 0) return true;
    }
  }
  return false;
}

std::string reassembly_hint() {
  return "Hint: this capture has out-of-order or retransmitted segments. Wireshark's default settings then show\n"
         "only the HTTP messages whose segments arrived in order: turn on Preferences > Protocols > TCP >\n"
         "\"Allow subdissector to reassemble TCP streams out of order\" (tcp.reassemble_out_of_order; tshark:\n"
         "-o tcp.reassemble_out_of_order:TRUE).\n";
}

namespace {
constexpr std::size_t kArrow = 64;
constexpr std::size_t kState = 12;
/// Columns a lost segment's arrow stops short of the receiver.
constexpr std::size_t kShort = 12;

/// One frame as an arrow between the two ends' states, and under it the
/// HTTP start line, Wireshark's labels, the simulator's reason for a resend
/// and, for a segment a link dropped, where it died.
std::string render_frame(const LadderFrame& f) {
  std::string label = " " + f.summary + " ";
  const std::size_t room = kArrow - 6 - (f.lost.empty() ? 0 : kShort);
  if (label.size() > room) label = label.substr(0, room - 3) + "...";
  const std::size_t dashes = kArrow - 3 - label.size();
  std::string arrow = f.from_initiator ? std::string(2, '-') + label + std::string(dashes, '-') + ">"
                                       : "<" + std::string(dashes, '-') + label + std::string(2, '-');
  if (!f.lost.empty()) {
    // The arrow stops short of the receiver: an X where the link dropped it.
    if (f.from_initiator) {
      arrow = arrow.substr(0, kArrow - kShort - 1) + "X" + std::string(kShort, ' ');
    } else {
      arrow = std::string(kShort, ' ') + "X" + arrow.substr(kShort + 1);
    }
  }
  std::string out = fmt::format("{:>6} {:>12.6f}  {:<{}} {} {}\n", f.segment.frame, f.time_s, f.initiator_state,
                                kState, arrow, f.responder_state);
  const auto under = [&](const std::string& line) {
    if (!line.empty()) out += fmt::format("{:>6} {:>12}  {:<{}} {:^{}}\n", "", "", "", kState, line, kArrow);
  };
  under(f.segment.first_line);
  under(f.segment.http2);
  if (!f.labels.empty()) under("[" + join(f.labels, "] [") + "]");
  if (!f.resend_cause.empty()) under("sent again: " + f.resend_cause);
  if (!f.lost.empty()) under("LOST: dropped by " + f.lost);
  return out;
}

/// A frame that tells nothing new: not eventful, both states as before, same phase.
bool plain(const Ladder& l, std::size_t i) {
  const LadderFrame& f = l.frames[i];
  if (i == 0 || f.eventful()) return false;
  const LadderFrame& prev = l.frames[i - 1];
  return f.phase == prev.phase && f.initiator_state == prev.initiator_state && f.responder_state == prev.responder_state;
}

std::string side(const std::string& node, const std::string& ep) { return node.empty() ? ep : node + " " + ep; }
}  // namespace

std::string ladder_text(const Ladder& l, bool all) {
  std::string out = fmt::format("TCP stream {} in {}: {} -> {}\n", l.stream, l.capture,
                                side(l.initiator_node, l.initiator), side(l.responder_node, l.responder));
  if (!l.have_states) out += "(no tcp-states.csv in the run folder: states are not shown)\n";
  if (l.states_inferred) {
    out += "(states inferred from the segments each end sent and received, not traced: a capture cannot show timers)\n";
  }
  out += fmt::format("{:>6} {:>12}  {:<{}} {:^{}} {}\n", "frame", "time (s)", l.initiator_node.empty() ? "opener" : l.initiator_node,
                     kState, "", kArrow, l.responder_node.empty() ? "peer" : l.responder_node);
  std::optional<Phase> phase;
  for (std::size_t i = 0; i < l.frames.size(); ++i) {
    const LadderFrame& f = l.frames[i];
    if (!phase || *phase != f.phase) {
      phase = f.phase;
      out += fmt::format("-- {} --\n", title_of(f.phase));
    }
    if (!all && plain(l, i)) {
      std::size_t run_end = i;
      while (run_end + 1 < l.frames.size() && plain(l, run_end + 1)) ++run_end;
      const std::size_t run_len = run_end - i + 1;
      // Within a run of plain frames, the first three and the last two are shown.
      if (run_len > 6) {
        const std::size_t fold_from = i + 3;
        const std::size_t fold_to = run_end - 2;
        std::size_t data = 0;
        std::uint64_t bytes = 0;
        for (std::size_t j = fold_from; j <= fold_to; ++j) {
          if (l.frames[j].segment.payload_len > 0) {
            ++data;
            bytes += l.frames[j].segment.payload_len;
          }
        }
        for (std::size_t j = i; j < fold_from; ++j) out += render_frame(l.frames[j]);
        out += fmt::format("{:>6} {:>12}  {:<12} {:^64}\n", "...", "", "",
                           fmt::format("{} more frames ({} to {}): {} with data, {} bytes; {} ACKs", fold_to - fold_from + 1,
                                       l.frames[fold_from].segment.frame, l.frames[fold_to].segment.frame, data,
                                       bytes, fold_to - fold_from + 1 - data));
        i = fold_to;
        continue;
      }
    }
    out += render_frame(f);
  }
  return out;
}

namespace {
/// The SVG class of an arrow: what kind of event the frame is.
std::string arrow_class(const LadderFrame& f) {
  if (!f.lost.empty()) return "arrow lost";
  if ((f.analysis.flags & kTaAnyRetransmission) != 0) return "arrow resend";
  if ((f.analysis.flags & (kTaOutOfOrder | kTaLostSegment | kTaAckLostSegment | kTaDuplicateAck)) != 0) {
    return "arrow loss";
  }
  if ((f.analysis.flags & kTaWindowEvent) != 0) return "arrow window";
  if ((f.segment.flags & (kSyn | kFin | kRst)) != 0) return "arrow ctl";
  return "arrow";
}

/// Vertical positions: time to scale (kPxPerMs) where frames are far enough
/// apart, at least kMinRow between rows; a gap longer than kMaxGap pixels is
/// compressed to kMaxGap and marked. Returns the y of each frame and the
/// gaps compressed (y of the break, seconds skipped).
struct Layout {
  std::vector<double> y;
  std::vector<std::pair<double, double>> breaks;
  std::vector<double> phase_y;  ///< y of each phase heading, in order
  double bottom = 0;
};
/// Text lines drawn under a frame's arrow (HTTP line, labels, resend reason, loss).
int lines_under(const LadderFrame& f) {
  return (f.segment.first_line.empty() ? 0 : 1) + (f.segment.http2.empty() ? 0 : 1) + (f.labels.empty() ? 0 : 1) + (f.resend_cause.empty() ? 0 : 1) +
         (f.lost.empty() ? 0 : 1);
}

Layout layout(const Ladder& l, double top) {
  constexpr double kMinRow = 34;
  constexpr double kLine = 15;
  constexpr double kPxPerMs = 2;
  constexpr double kMaxGap = 120;
  Layout out;
  double y = top;
  std::optional<Phase> phase;
  for (std::size_t i = 0; i < l.frames.size(); ++i) {
    const LadderFrame& f = l.frames[i];
    if (i > 0) {
      const double gap_px = (f.time_s - l.frames[i - 1].time_s) * 1000 * kPxPerMs;
      if (gap_px > kMaxGap) {
        const double below = kLine * lines_under(l.frames[i - 1]);
        out.breaks.emplace_back(y + below + kMaxGap / 2, f.time_s - l.frames[i - 1].time_s);
        y += kMaxGap + below;
      } else {
        // Room for the lines under the previous arrow before this one's label.
        y += std::max(kMinRow + kLine * lines_under(l.frames[i - 1]), gap_px);
      }
    }
    if (!phase || *phase != f.phase) {
      phase = f.phase;
      out.phase_y.push_back(y);
      y += kMinRow;
    }
    out.y.push_back(y);
  }
  out.bottom = y + 60;
  return out;
}
}  // namespace

std::string ladder_svg(const Ladder& l) {
  constexpr double kLeft = 330;
  constexpr double kRight = 830;
  constexpr double kTop = 90;
  constexpr double kDrop = 20;  ///< pixels an arrow falls while crossing
  const Layout lay = layout(l, kTop);
  const double height = lay.bottom;
  Svg svg(1100, height);
  svg.text(kLeft, 30, side(l.initiator_node, l.initiator), "middle", "title");
  svg.text(kRight, 30, side(l.responder_node, l.responder), "middle", "title");
  svg.text(20, 30, fmt::format("TCP stream {} ({})", l.stream, l.capture), "start", "small");
  if (l.states_inferred) svg.text(20, 48, "states inferred from the segments", "start", "small");
  svg.text(20, 70, "frame   time (s)", "start", "small");
  svg.line(kLeft, 45, kLeft, height - 20, "lifeline");
  svg.line(kRight, 45, kRight, height - 20, "lifeline");
  for (const auto& [y, seconds] : lay.breaks) {
    svg.line(kLeft - 20, y - 4, kRight + 20, y - 4, "gap");
    svg.line(kLeft - 20, y + 4, kRight + 20, y + 4, "gap");
    svg.text((kLeft + kRight) / 2, y + 3, fmt::format("{:.3f} s later (not to scale)", seconds), "middle", "gap-text");
  }
  std::size_t phase_i = 0;
  std::optional<Phase> phase;
  for (std::size_t i = 0; i < l.frames.size(); ++i) {
    const LadderFrame& f = l.frames[i];
    if (!phase || *phase != f.phase) {
      phase = f.phase;
      const double py = lay.phase_y[phase_i++];
      svg.line(10, py - 6, 1090, py - 6, "phase");
      svg.text(20, py + 10, title_of(f.phase), "start", "phase-title");
    }
    const double y = lay.y[i];
    const double x1 = f.from_initiator ? kLeft : kRight;
    double x2 = f.from_initiator ? kRight : kLeft;
    const double mid = (kLeft + kRight) / 2;
    if (!f.lost.empty()) {
      // Drawn where it died: two thirds of the way, then a cross.
      x2 = x1 + (x2 - x1) * 0.66;
      svg.line(x1, y, x2, y + kDrop * 0.66, arrow_class(f));
      svg.line(x2 - 6, y + kDrop * 0.66 - 6, x2 + 6, y + kDrop * 0.66 + 6, "cross");
      svg.line(x2 - 6, y + kDrop * 0.66 + 6, x2 + 6, y + kDrop * 0.66 - 6, "cross");
    } else {
      svg.arrow(x1, y, x2, y + kDrop, arrow_class(f));
    }
    svg.text(mid, y - 4, f.summary, "middle", "small label");
    double below = y + kDrop + 12;
    if (!f.segment.first_line.empty()) {
      svg.text(mid, below, f.segment.first_line, "middle", "http label");
      below += 13;
    }
    if (!f.segment.http2.empty()) {
      svg.text(mid, below, f.segment.http2, "middle", "http label");
      below += 13;
    }
    if (!f.labels.empty()) {
      svg.text(mid, below, "[" + join(f.labels, "] [") + "]", "middle", "flag label");
      below += 13;
    }
    if (!f.resend_cause.empty()) {
      svg.text(mid, below, "sent again: " + f.resend_cause, "middle", "cause label");
      below += 13;
    }
    if (!f.lost.empty()) svg.text(mid, below, "LOST: dropped by " + f.lost, "middle", "lost-text label");
    svg.text(20, y + 12, fmt::format("{:>5}   {:.6f}", f.segment.frame, f.time_s), "start", "mono");
    svg.text(kLeft - 8, y + kDrop + 4, f.initiator_state, "end", "state");
    svg.text(kRight + 8, y + kDrop + 4, f.responder_state, "start", "state");
  }
  return svg.str();
}

std::string ladders_html(const std::string& title, const std::vector<Ladder>& ladders) {
  std::string body;
  for (const Ladder& l : ladders) body += "<section>\n" + ladder_svg(l) + "</section>\n";
  const bool inferred = !ladders.empty() && ladders.front().states_inferred;
  std::string intro =
      "<p>Frame numbers are the capture's (Wireshark's); labels in brackets are Wireshark's TCP analysis; "
      "sequence numbers are relative. Time runs down to scale (2 px per ms, rows at least 34 px apart); "
      "idle gaps are compressed and marked. Colours: <span style=\"color:#d62728\">retransmissions</span>, "
      "<span style=\"color:#ff7f0e\">loss signs (out of order, dup ACK, holes)</span>, "
      "<span style=\"color:#7f7f7f\">lost on a link (the arrow stops where it died)</span>, "
      "<span style=\"color:#2ca02c\">window events</span>, <span style=\"color:#b03030\">SYN/FIN/RST</span>. States "
      "are each end's TCP state after the frame, ";
  intro += inferred ? "inferred from the segments each end sent and received.</p>\n"
                    : "from tcp-states.csv.</p>\n";
  if (needs_reassembly_hint(ladders)) {
    intro += "<p>" + escape_xml(reassembly_hint()) + "</p>\n";
  }
  return html_page(title, "<h1>" + escape_xml(title) + "</h1>\n" + intro + body);
}

}  // namespace wiresim::report
