#include "wiresim/report/explain.hpp"

#include <algorithm>
#include <filesystem>
#include <map>

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

struct Stream {
  std::string a;  ///< first endpoint seen
  std::string b;
  std::vector<const CapturedSegment*> segments;
};

}  // namespace

const char* title_of(Phase p) {
  switch (p) {
    case Phase::kHandshake: return "Handshake";
    case Phase::kData: return "Requests and responses";
    case Phase::kTeardown: return "Teardown";
  }
  return "?";
}

std::vector<Ladder> build_ladders(const RunFolder& run, const RunFolder::Capture& cap) {
  const std::vector<CapturedSegment> segs = read_tcp_segments(run.dir / cap.file);
  std::vector<StateRow> rows;
  const std::filesystem::path states_file = run.dir / "tcp-states.csv";
  const bool have_states = std::filesystem::exists(states_file);
  if (have_states) rows = read_state_trace(states_file);

  // Streams in order of first frame, as Wireshark numbers them. A SYN
  // (without ACK) on a 4-tuple whose stream already ended starts a new one.
  std::vector<Stream> streams;
  std::map<std::pair<std::string, std::string>, std::size_t> open;  // (lower, higher endpoint) -> stream
  for (const CapturedSegment& s : segs) {
    const auto key = std::minmax(s.src, s.dst);
    auto it = open.find({key.first, key.second});
    const bool fresh_syn = (s.flags & (kSyn | kAck)) == kSyn;
    if (it != open.end() && fresh_syn) {
      // A new SYN after the stream saw a FIN or RST: a new connection on the same ports.
      const Stream& st = streams[it->second];
      const bool ended = std::any_of(st.segments.begin(), st.segments.end(),
                                     [](const CapturedSegment* x) { return (x->flags & (kFin | kRst)) != 0; });
      if (ended) {
        open.erase(it);
        it = open.end();
      }
    }
    if (it == open.end()) {
      it = open.emplace(std::pair{key.first, key.second}, streams.size()).first;
      streams.push_back(Stream{s.src, s.dst, {}});
    }
    streams[it->second].segments.push_back(&s);
  }

  // Simulated time of a frame: its timestamp less the run's start. Old
  // folders without start_unix_ns: align on the first row tagged with a frame.
  const std::int64_t start_ns = capture_origin_ns(run, cap, segs, rows);

  std::vector<Ladder> out;
  for (std::size_t n = 0; n < streams.size(); ++n) {
    const Stream& st = streams[n];
    Ladder l;
    l.stream = n;
    l.capture = cap.file;
    l.have_states = have_states;
    // The initiator sent the first SYN without ACK; without one, the first sender.
    l.initiator = st.a;
    l.responder = st.b;
    for (const CapturedSegment* s : st.segments) {
      if ((s->flags & (kSyn | kAck)) == kSyn) {
        l.initiator = s->src;
        l.responder = s->dst;
        break;
      }
    }
    std::vector<const StateRow*> conn_rows;
    for (const StateRow& r : rows) {
      if ((r.local == l.initiator && r.remote == l.responder) || (r.local == l.responder && r.remote == l.initiator)) {
        conn_rows.push_back(&r);
        if (r.local == l.initiator && l.initiator_node.empty()) l.initiator_node = r.node;
        if (r.local == l.responder && l.responder_node.empty()) l.responder_node = r.node;
      }
    }

    std::optional<std::uint32_t> isn_i;
    std::optional<std::uint32_t> isn_r;
    // Window scaling (RFC 7323 §2.2): in effect once both SYNs carried the
    // option; never applied to a SYN's own window.
    std::optional<std::uint8_t> ws_i;
    std::optional<std::uint8_t> ws_r;
    std::string state_i;
    std::string state_r;
    auto apply = [&](const StateRow& r) { (r.local == l.initiator ? state_i : state_r) = r.to; };
    std::optional<std::uint32_t> next_seq_i;  // one past the highest sequence number each end has sent
    std::optional<std::uint32_t> next_seq_r;
    std::size_t next = 0;
    bool seen_data = false;
    bool seen_close = false;
    for (const CapturedSegment* s : st.segments) {
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
      const std::int64_t sim_ns = s->timestamp_ns - start_ns;
      // Rows before this frame: untagged ones up to its time, tagged ones for earlier frames.
      while (next < conn_rows.size()) {
        const StateRow& r = *conn_rows[next];
        if (row_frame_in(r, run, cap) ? r.frame < s->frame : r.time_ns <= sim_ns) {
          apply(r);
          ++next;
        } else {
          break;
        }
      }
      // Rows this frame caused, and the rows written before them (e.g. the
      // listener's "app listen" at the SYN's arrival, after the SYN was captured).
      std::size_t last = next;
      for (std::size_t j = next; j < conn_rows.size(); ++j) {
        if (!row_frame_in(*conn_rows[j], run, cap)) continue;
        if (conn_rows[j]->frame > s->frame) break;
        if (conn_rows[j]->frame == s->frame) last = j + 1;
      }
      while (next < last) apply(*conn_rows[next++]);
      LadderFrame f;
      f.segment = *s;
      f.from_initiator = from_i;
      f.time_s = static_cast<double>(sim_ns) / 1e9;
      f.rel_seq = static_cast<std::uint32_t>(s->seq - *own);
      f.rel_ack = peer ? static_cast<std::uint32_t>(s->ack - *peer) : s->ack;
      f.initiator_state = state_i;
      f.responder_state = state_r;
      if ((s->flags & (kFin | kRst)) != 0) seen_close = true;
      if (s->payload_len > 0 && !seen_close) seen_data = true;
      f.phase = seen_close ? Phase::kTeardown : (seen_data ? Phase::kData : Phase::kHandshake);
      f.summary = summarize(*s, f.rel_seq, f.rel_ack, window);
      std::optional<std::uint32_t>& next_seq = from_i ? next_seq_i : next_seq_r;
      const bool control = (s->flags & (kSyn | kFin | kRst)) != 0;
      if (!control && s->payload_len <= 1 && next_seq && s->seq == *next_seq - 1) {
        f.note = "TCP Keep-Alive";
      } else if (!control && s->payload_len == 0 && !l.frames.empty() && l.frames.back().from_initiator != from_i &&
                 l.frames.back().note == "TCP Keep-Alive") {
        f.note = "TCP Keep-Alive ACK";
      }
      const std::uint32_t end = s->seq + static_cast<std::uint32_t>(s->payload_len) + ((s->flags & kSyn) != 0 ? 1U : 0U) +
                                ((s->flags & kFin) != 0 ? 1U : 0U);
      if (!next_seq || static_cast<std::int32_t>(end - *next_seq) > 0) next_seq = end;
      l.frames.push_back(std::move(f));
    }
    out.push_back(std::move(l));
  }
  return out;
}

namespace {
constexpr std::size_t kArrow = 64;
constexpr std::size_t kState = 12;

/// One frame as an arrow between the two ends' states, and under it the
/// HTTP start line or what Wireshark's analysis calls it.
std::string render_frame(const Ladder& /*l*/, const LadderFrame& f) {
  std::string label = " " + f.summary + " ";
  if (label.size() > kArrow - 6) label = label.substr(0, kArrow - 9) + "...";
  const std::size_t dashes = kArrow - 3 - label.size();
  const std::string arrow = f.from_initiator ? std::string(2, '-') + label + std::string(dashes, '-') + ">"
                                             : "<" + std::string(dashes, '-') + label + std::string(2, '-');
  std::string out = fmt::format("{:>6} {:>12.6f}  {:<{}} {} {}\n", f.segment.frame, f.time_s, f.initiator_state,
                                kState, arrow, f.responder_state);
  for (const std::string& line : {f.segment.first_line, f.note.empty() ? f.note : "[" + f.note + "]"}) {
    if (!line.empty()) out += fmt::format("{:>6} {:>12}  {:<{}} {:^{}}\n", "", "", "", kState, line, kArrow);
  }
  return out;
}

/// A frame that tells nothing new: no HTTP start line or note, no SYN/FIN/RST, both states as before.
bool plain(const Ladder& l, std::size_t i) {
  const LadderFrame& f = l.frames[i];
  if (!f.segment.first_line.empty() || !f.note.empty() || (f.segment.flags & (kSyn | kFin | kRst)) != 0 || i == 0) {
    return false;
  }
  const LadderFrame& prev = l.frames[i - 1];
  return f.phase == prev.phase && f.initiator_state == prev.initiator_state && f.responder_state == prev.responder_state;
}
}  // namespace

std::string ladder_text(const Ladder& l, bool all) {
  auto side = [](const std::string& node, const std::string& ep) { return node.empty() ? ep : node + " " + ep; };
  std::string out = fmt::format("TCP stream {} in {}: {} -> {}\n", l.stream, l.capture,
                                side(l.initiator_node, l.initiator), side(l.responder_node, l.responder));
  if (!l.have_states) out += "(no tcp-states.csv in the run folder: states are not shown)\n";
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
        // Print the first three of the run, then the fold, then continue at fold_to + 1.
        std::string shown;
        for (std::size_t j = i; j < fold_from; ++j) shown += render_frame(l, l.frames[j]);
        out += shown;
        out += fmt::format("{:>6} {:>12}  {:<12} {:^64}\n", "...", "", "",
                           fmt::format("{} more frames ({} to {}): {} with data, {} bytes; {} ACKs", fold_to - fold_from + 1,
                                       l.frames[fold_from].segment.frame, l.frames[fold_to].segment.frame, data,
                                       bytes, fold_to - fold_from + 1 - data));
        i = fold_to;
        continue;
      }
    }
    out += render_frame(l, f);
  }
  return out;
}

std::string ladder_svg(const Ladder& l) {
  constexpr double kLeft = 330;
  constexpr double kRight = 830;
  constexpr double kTop = 90;
  constexpr double kRow = 34;
  std::size_t rows = l.frames.size();
  for (std::size_t i = 0; i < l.frames.size(); ++i) {
    if (i == 0 || l.frames[i].phase != l.frames[i - 1].phase) ++rows;
  }
  const double height = kTop + kRow * static_cast<double>(rows) + 40;
  Svg svg(1100, height);
  auto side = [](const std::string& node, const std::string& ep) { return node.empty() ? ep : node + " " + ep; };
  svg.text(kLeft, 30, side(l.initiator_node, l.initiator), "middle", "title");
  svg.text(kRight, 30, side(l.responder_node, l.responder), "middle", "title");
  svg.text(20, 30, fmt::format("TCP stream {} ({})", l.stream, l.capture), "start", "small");
  svg.text(20, 70, "frame   time (s)", "start", "small");
  svg.line(kLeft, 45, kLeft, height - 20, "lifeline");
  svg.line(kRight, 45, kRight, height - 20, "lifeline");
  double y = kTop;
  std::optional<Phase> phase;
  for (const LadderFrame& f : l.frames) {
    if (!phase || *phase != f.phase) {
      phase = f.phase;
      svg.line(10, y - 6, 1090, y - 6, "phase");
      svg.text(20, y + 10, title_of(f.phase), "start", "phase-title");
      y += kRow;
    }
    const double x1 = f.from_initiator ? kLeft : kRight;
    const double x2 = f.from_initiator ? kRight : kLeft;
    const std::string cls = (f.segment.flags & (kSyn | kFin | kRst)) != 0 ? "arrow ctl" : "arrow";
    svg.arrow(x1, y, x2, y + kRow * 0.6, cls);
    svg.text((kLeft + kRight) / 2, y - 2, f.summary, "middle", "small");
    if (!f.segment.first_line.empty()) svg.text((kLeft + kRight) / 2, y + 12, f.segment.first_line, "middle", "http");
    if (!f.note.empty()) svg.text((kLeft + kRight) / 2, y + 12, "[" + f.note + "]", "middle", "small");
    svg.text(20, y + 12, fmt::format("{:>5}   {:.6f}", f.segment.frame, f.time_s), "start", "mono");
    svg.text(kLeft - 8, y + kRow * 0.6 + 4, f.initiator_state, "end", "state");
    svg.text(kRight + 8, y + kRow * 0.6 + 4, f.responder_state, "start", "state");
    y += kRow;
  }
  return svg.str();
}

std::string ladders_html(const std::string& title, const std::vector<Ladder>& ladders) {
  std::string body;
  for (const Ladder& l : ladders) body += "<section>\n" + ladder_svg(l) + "</section>\n";
  return html_page(title,
                   "<h1>" + escape_xml(title) +
                       "</h1>\n<p>Frame numbers are the capture's (Wireshark's); states are each end's TCP state "
                       "after the frame, from tcp-states.csv; sequence numbers are relative.</p>\n" +
                       body);
}

}  // namespace wiresim::report
