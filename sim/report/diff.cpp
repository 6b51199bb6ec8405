#include "wiresim/report/diff.hpp"

#include <algorithm>
#include <iterator>
#include <map>
#include <stdexcept>
#include <tuple>

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "wiresim/report/tcp_analysis.hpp"
#include "wiresim/wire/tcp.hpp"

namespace wiresim::report {
namespace {

using wire::kAck;
using wire::kFin;
using wire::kRst;
using wire::kSyn;

/// Wireshark's short names of TCP option kinds (IANA registry).
std::string option_layout(const std::vector<std::uint8_t>& kinds) {
  std::string out;
  for (const std::uint8_t k : kinds) {
    std::string name;
    switch (k) {
      case 0: name = "EOL"; break;
      case 1: name = "NOP"; break;
      case 2: name = "MSS"; break;
      case 3: name = "WS"; break;
      case 4: name = "SACK_PERM"; break;
      case 5: name = "SACK"; break;
      case 8: name = "TS"; break;
      case 30: name = "MPTCP"; break;
      case 34: name = "TFO"; break;
      default: name = fmt::format("opt{}", k);
    }
    out += (out.empty() ? "" : ",") + name;
  }
  return out;
}

/// Byte ranges of one direction already seen, to tell new data from repeats.
class SeenRanges {
 public:
  /// Adds [lo, hi); returns the bytes that were not seen before.
  std::uint64_t add(std::uint64_t lo, std::uint64_t hi) {
    std::uint64_t fresh = hi - lo;
    for (const auto& [a, b] : ranges_) {
      const std::uint64_t x = std::max(a, lo);
      const std::uint64_t y = std::min(b, hi);
      if (x < y) fresh -= y - x;
    }
    ranges_.emplace_back(lo, hi);
    return fresh;
  }

 private:
  std::vector<std::pair<std::uint64_t, std::uint64_t>> ranges_;  // may overlap; few per connection matter
};

std::string path_of(const std::string& request_line) {
  const std::size_t sp = request_line.find(' ');
  const std::size_t sp2 = request_line.find(' ', sp + 1);
  if (sp == std::string::npos) return "?";
  return request_line.substr(sp + 1, sp2 == std::string::npos ? std::string::npos : sp2 - sp - 1);
}

/// One normalised frame, for finding where two captures diverge.
struct NormFrame {
  std::uint64_t frame = 0;
  bool from_client = false;
  std::uint8_t flags = 0;
  std::uint64_t rel_seq = 0;
  std::uint64_t rel_ack = 0;
  std::uint32_t len = 0;
  std::uint32_t frame_len = 0;
};

struct StreamWork {
  ConnectionFeatures f;
  std::vector<NormFrame> norm;
  std::int64_t first_syn_ns = 0;
  bool has_syn = false;
  std::int64_t first_ns = 0;
  std::optional<std::int64_t> last_response_byte_ns;
};

/// ACKs by how many new server data segments each acknowledged.
void count_ack_pattern(StreamWork& w, std::vector<std::uint64_t> server_ends, const std::vector<std::uint64_t>& client_acks) {
  std::sort(server_ends.begin(), server_ends.end());
  std::uint64_t acked = 0;
  for (const std::uint64_t ack : client_acks) {
    if (ack <= acked) continue;
    const auto lo = std::upper_bound(server_ends.begin(), server_ends.end(), acked);
    const auto hi = std::upper_bound(server_ends.begin(), server_ends.end(), ack);
    const auto n = static_cast<std::size_t>(hi - lo);
    if (n == 1) ++w.f.acks_of_1;
    if (n == 2) ++w.f.acks_of_2;
    if (n > 2) ++w.f.acks_of_more;
    acked = ack;
  }
}

StreamWork stream_features(const std::vector<CapturedSegment>& segs, const TcpCaptureAnalysis& an,
                           const TcpStreamSegments& st, std::size_t stream) {
  StreamWork w;
  ConnectionFeatures& f = w.f;
  f.stream = stream;
  f.client = st.initiator;
  f.server = st.responder;
  std::optional<std::uint32_t> isn_c;
  std::optional<std::uint32_t> isn_s;
  bool synack_seen = false;
  SeenRanges seen_server;
  std::vector<std::pair<std::uint64_t, std::string>> requests;   // rel seq, path
  std::vector<std::pair<std::uint64_t, std::string>> responses;  // rel seq, status
  std::vector<std::tuple<std::uint64_t, std::uint64_t, std::int64_t, std::uint64_t>> fresh;  // seq, end, time, new bytes
  std::vector<std::uint64_t> client_acks;
  std::map<std::uint32_t, std::int64_t> first_sent_client;
  std::map<std::uint32_t, std::int64_t> first_sent_server;
  w.first_ns = segs[st.segments.front()].timestamp_ns;
  for (std::size_t k = 0; k < st.segments.size(); ++k) {
    const CapturedSegment& s = segs[st.segments[k]];
    const TcpFrameAnalysis& a = an.frames[st.segments[k]];
    const bool from_client = s.src == f.client;
    std::optional<std::uint32_t>& own = from_client ? isn_c : isn_s;
    if ((s.flags & kSyn) != 0) own = s.seq;
    if (!own) own = s.seq - 1;
    const std::optional<std::uint32_t>& peer = from_client ? isn_s : isn_c;
    const std::uint64_t rel_seq = static_cast<std::uint32_t>(s.seq - *own);
    const std::uint64_t rel_ack = peer ? static_cast<std::uint32_t>(s.ack - *peer) : 0;
    w.norm.push_back(NormFrame{s.frame, from_client, s.flags, rel_seq, (s.flags & kAck) != 0 ? rel_ack : 0,
                               s.payload_len, s.frame_len});
    const bool scaled = f.client_wscale && f.server_wscale;
    const auto scaled_window = [&](bool client) {
      const std::optional<std::uint8_t>& ws = client ? f.client_wscale : f.server_wscale;
      return std::uint64_t{s.window} << (scaled ? std::min<std::uint8_t>(*ws, 14) : 0);
    };
    if ((s.flags & (kSyn | kAck)) == kSyn && from_client && f.syn_frame_len == 0) {
      w.has_syn = true;
      w.first_syn_ns = s.timestamp_ns;
      f.syn_frame_len = s.frame_len;
      f.syn_options = option_layout(s.option_kinds);
      f.syn_window = s.window;
      f.client_wscale = s.window_scale;
      f.client_mss = s.mss;
    } else if ((s.flags & (kSyn | kAck)) == (kSyn | kAck) && !from_client && !synack_seen) {
      synack_seen = true;
      f.synack_frame_len = s.frame_len;
      f.synack_options = option_layout(s.option_kinds);
      f.synack_window = s.window;
      f.server_wscale = s.window_scale;
      f.server_mss = s.mss;
    } else if ((s.flags & kSyn) == 0) {
      if (from_client && synack_seen && f.third_ack_frame_len == 0 && (s.flags & kAck) != 0) {
        f.third_ack_frame_len = s.frame_len;
        f.client_first_window = scaled_window(true);
      }
      if (!from_client && f.server_first_window == 0 && synack_seen) f.server_first_window = scaled_window(false);
      if (from_client) f.client_max_window = std::max(f.client_max_window, scaled_window(true));
    }
    if (from_client && (s.flags & kAck) != 0 && (s.flags & kSyn) == 0) client_acks.push_back(rel_ack);
    if (s.payload_len > 0) {
      (from_client ? f.client_max_payload : f.server_max_payload) =
          std::max(from_client ? f.client_max_payload : f.server_max_payload, s.payload_len);
      if (from_client) {
        ++f.client_data_segments;
        if (!s.first_line.empty() && s.first_line.rfind("HTTP/", 0) != 0) requests.emplace_back(rel_seq, path_of(s.first_line));
      } else {
        ++f.server_data_segments;
        if (s.push) ++f.server_psh;
        if (s.first_line.rfind("HTTP/", 0) == 0) {
          const std::size_t sp = s.first_line.find(' ');
          responses.emplace_back(rel_seq, sp == std::string::npos ? "" : s.first_line.substr(sp + 1));
        }
        const std::uint64_t nb = seen_server.add(rel_seq, rel_seq + s.payload_len);
        if (nb > 0) fresh.emplace_back(rel_seq, rel_seq + s.payload_len, s.timestamp_ns, nb);
      }
    }
    if ((a.flags & kTaAnyRetransmission) != 0) ++f.retransmissions;
    if ((a.flags & kTaFastRetransmission) != 0) ++f.fast_retransmissions;
    std::map<std::uint32_t, std::int64_t>& first_sent = from_client ? first_sent_client : first_sent_server;
    if ((s.payload_len > 0 || (s.flags & (kSyn | kFin)) != 0)) {
      if ((a.flags & kTaRetransmission) != 0 && first_sent.contains(s.seq)) {
        f.rto_s.push_back(static_cast<double>(s.timestamp_ns - first_sent.at(s.seq)) / 1e9);
      }
      first_sent.emplace(s.seq, s.timestamp_ns);
    }
    if ((s.flags & (kFin | kRst)) != 0 && f.close_initiator.empty()) {
      f.close_initiator = from_client ? "client" : "server";
      f.close_kind = (s.flags & kFin) != 0 ? "FIN" : "RST";
      f.close_segments = st.segments.size() - k;
    }
  }
  // Requests and responses pair in order (HTTP/1.1 without pipelining
  // answers in order, RFC 9112 §9.3); each new server byte belongs to the
  // response that starts at or before it.
  std::sort(requests.begin(), requests.end());
  requests.erase(std::unique(requests.begin(), requests.end()), requests.end());
  std::sort(responses.begin(), responses.end());
  responses.erase(std::unique(responses.begin(), responses.end()), responses.end());
  for (std::size_t i = 0; i < responses.size(); ++i) {
    f.objects.push_back(HttpObject{i < requests.size() ? requests[i].second : "?", responses[i].second, 0, 0});
  }
  std::vector<std::uint64_t> server_ends;
  for (const auto& [seq, end, t, nb] : fresh) {
    server_ends.push_back(end);
    const auto it = std::upper_bound(responses.begin(), responses.end(), std::pair{seq, std::string("\xff")});
    if (it == responses.begin()) continue;
    HttpObject& o = f.objects[static_cast<std::size_t>(it - responses.begin()) - 1];
    ++o.segments;
    o.bytes += nb;
    w.last_response_byte_ns = std::max(w.last_response_byte_ns.value_or(t), t);
  }
  count_ack_pattern(w, std::move(server_ends), client_acks);
  return w;
}

struct Built {
  CaptureFeatures features;
  std::vector<std::vector<NormFrame>> norm;  ///< by connection index
};

Built build(const std::vector<CapturedSegment>& segs, const std::string& name) {
  const TcpCaptureAnalysis an = analyze_tcp(segs);
  std::vector<StreamWork> work;
  for (std::size_t i = 0; i < an.streams.size(); ++i) work.push_back(stream_features(segs, an, an.streams[i], i));
  // By order of SYN; connections whose SYN was not captured after them, by first frame.
  std::stable_sort(work.begin(), work.end(), [](const StreamWork& x, const StreamWork& y) {
    if (x.has_syn != y.has_syn) return x.has_syn;
    return (x.has_syn ? x.first_syn_ns : x.first_ns) < (y.has_syn ? y.first_syn_ns : y.first_ns);
  });
  Built b;
  b.features.name = name;
  b.features.frames = segs.size();
  std::optional<std::int64_t> first_syn;
  std::optional<std::int64_t> last_byte;
  for (const StreamWork& w : work) {
    if (w.has_syn) first_syn = std::min(first_syn.value_or(w.first_syn_ns), w.first_syn_ns);
    if (w.last_response_byte_ns) last_byte = std::max(last_byte.value_or(*w.last_response_byte_ns), *w.last_response_byte_ns);
  }
  for (StreamWork& w : work) {
    w.f.syn_time_s = first_syn && w.has_syn ? static_cast<double>(w.first_syn_ns - *first_syn) / 1e9 : 0;
    b.features.connections.push_back(std::move(w.f));
    b.norm.push_back(std::move(w.norm));
  }
  if (first_syn && last_byte) b.features.page_load_s = static_cast<double>(*last_byte - *first_syn) / 1e9;
  return b;
}

std::vector<CapturedSegment> read_input(const std::filesystem::path& p, std::string& name) {
  std::filesystem::path file = p;
  if (std::filesystem::is_directory(p)) {
    RunFolder run;
    try {
      run = open_run_folder(p);
    } catch (const std::runtime_error& e) {
      throw CaptureInputError(e.what());
    }
    if (run.captures.empty()) throw CaptureInputError(p.string() + ": the run folder has no capture");
    file = run.dir / run.captures.front().file;
  }
  name = file.filename().string();
  return read_capture_for_analysis(file);
}

std::string flags_len(const NormFrame& f) {
  return fmt::format("{} {} Seq={} Ack={} Len={} ({} bytes)", f.from_client ? "client->server" : "server->client",
                     flags_text(f.flags), f.rel_seq, f.rel_ack, f.len, f.frame_len);
}

Divergence find_divergence(const Built& a, const Built& b, const std::vector<std::pair<std::size_t, std::size_t>>& pairs) {
  Divergence best;
  for (std::size_t p = 0; p < pairs.size(); ++p) {
    const auto& x = a.norm[pairs[p].first];
    const auto& y = b.norm[pairs[p].second];
    for (std::size_t i = 0; i < std::max(x.size(), y.size()); ++i) {
      Divergence d;
      d.found = true;
      d.pair = p;
      if (i >= x.size() || i >= y.size()) {
        d.frame_a = i < x.size() ? x[i].frame : 0;
        d.frame_b = i < y.size() ? y[i].frame : 0;
        d.how = i < x.size() ? "A has more frames on this connection: " + flags_len(x[i])
                             : "B has more frames on this connection: " + flags_len(y[i]);
      } else {
        std::vector<std::string> what;
        if (x[i].from_client != y[i].from_client) what.emplace_back("direction");
        if (x[i].flags != y[i].flags) what.emplace_back("flags");
        if (x[i].rel_seq != y[i].rel_seq) what.emplace_back("seq");
        if (x[i].rel_ack != y[i].rel_ack) what.emplace_back("ack");
        if (x[i].len != y[i].len) what.emplace_back("length");
        if (x[i].frame_len != y[i].frame_len) what.emplace_back("frame size");
        if (what.empty()) continue;
        d.frame_a = x[i].frame;
        d.frame_b = y[i].frame;
        std::string fields;
        for (const std::string& w : what) fields += (fields.empty() ? "" : ", ") + w;
        d.how = fmt::format("{} differ: A {} / B {}", fields, flags_len(x[i]), flags_len(y[i]));
      }
      const std::uint64_t key = d.frame_a != 0 ? d.frame_a : ~std::uint64_t{0};
      const std::uint64_t best_key = best.frame_a != 0 ? best.frame_a : ~std::uint64_t{0};
      if (!best.found || key < best_key) best = d;
      break;
    }
  }
  return best;
}

}  // namespace

CaptureFeatures features_of(const std::vector<CapturedSegment>& segments, const std::string& name) {
  return build(segments, name).features;
}

CaptureFeatures capture_features(const std::filesystem::path& p) {
  std::string name;
  const auto segs = read_input(p, name);
  return features_of(segs, name);
}

DiffResult diff_captures(const std::filesystem::path& a, const std::filesystem::path& b,
                         const std::vector<std::pair<std::size_t, std::size_t>>& pairs) {
  std::string na;
  std::string nb;
  const Built ba = build(read_input(a, na), na);
  const Built bb = build(read_input(b, nb), nb);
  DiffResult d;
  d.a = ba.features;
  d.b = bb.features;
  if (pairs.empty()) {
    for (std::size_t i = 0; i < std::min(d.a.connections.size(), d.b.connections.size()); ++i) d.pairs.emplace_back(i, i);
  } else {
    for (const auto& [x, y] : pairs) {
      if (x >= d.a.connections.size() || y >= d.b.connections.size()) {
        throw std::invalid_argument(fmt::format("--pair {}={}: A has {} connection(s), B has {} (numbered from 0 by SYN)", x,
                                                y, d.a.connections.size(), d.b.connections.size()));
      }
    }
    d.pairs = pairs;
  }
  d.first_divergence = find_divergence(ba, bb, d.pairs);
  return d;
}

namespace {

std::string opt_num(const std::optional<std::uint8_t>& v) { return v ? std::to_string(*v) : "none"; }
std::string opt_num16(const std::optional<std::uint16_t>& v) { return v ? std::to_string(*v) : "none"; }

std::string objects_text(const ConnectionFeatures& c) {
  std::string out;
  for (const HttpObject& o : c.objects) out += (out.empty() ? "" : " ") + fmt::format("{}:{}", o.path, o.segments);
  return out.empty() ? "-" : out;
}

std::string rto_text(const ConnectionFeatures& c) {
  std::string out;
  for (const double r : c.rto_s) out += (out.empty() ? "" : " ") + fmt::format("{:.3f}", r);
  return out.empty() ? "-" : out;
}

std::vector<std::pair<std::string, std::string>> rows_of(const ConnectionFeatures& c) {
  return {
      {"stream, client -> server", fmt::format("{}, {} -> {}", c.stream, c.client, c.server)},
      {"SYN at (s)", fmt::format("{:.6f}", c.syn_time_s)},
      {"SYN / SYN-ACK / ACK frame bytes", fmt::format("{} / {} / {}", c.syn_frame_len, c.synack_frame_len, c.third_ack_frame_len)},
      {"SYN options", c.syn_options.empty() ? "-" : c.syn_options},
      {"SYN-ACK options", c.synack_options.empty() ? "-" : c.synack_options},
      {"SYN / SYN-ACK window", fmt::format("{} / {}", c.syn_window, c.synack_window)},
      {"window scale client / server", fmt::format("{} / {}", opt_num(c.client_wscale), opt_num(c.server_wscale))},
      {"client window first / max", fmt::format("{} / {}", c.client_first_window, c.client_max_window)},
      {"server first window", std::to_string(c.server_first_window)},
      {"MSS client / server", fmt::format("{} / {}", opt_num16(c.client_mss), opt_num16(c.server_mss))},
      {"max payload client / server", fmt::format("{} / {}", c.client_max_payload, c.server_max_payload)},
      {"data segments client / server", fmt::format("{} / {}", c.client_data_segments, c.server_data_segments)},
      {"objects (path:segments)", objects_text(c)},
      {"server PSH", fmt::format("{} of {}", c.server_psh, c.server_data_segments)},
      {"ACKs of 1 / 2 / >2 segments", fmt::format("{} / {} / {}", c.acks_of_1, c.acks_of_2, c.acks_of_more)},
      {"retransmissions (fast)", fmt::format("{} ({})", c.retransmissions, c.fast_retransmissions)},
      {"RTOs (s)", rto_text(c)},
      {"close: by, with, segments",
       c.close_initiator.empty() ? "not closed" : fmt::format("{}, {}, {}", c.close_initiator, c.close_kind, c.close_segments)},
  };
}

std::string object_map(const CaptureFeatures& f) {
  std::string out;
  for (std::size_t i = 0; i < f.connections.size(); ++i) {
    for (const HttpObject& o : f.connections[i].objects) {
      // Appended piece by piece: g++ 12's -O3 LTO warns (stringop-overflow,
      // a false positive) on a temporary "sep" + format() here.
      if (!out.empty()) out += ' ';
      fmt::format_to(std::back_inserter(out), "{}@{}", o.path, i);
    }
  }
  return out.empty() ? "-" : out;
}

std::string plt(const CaptureFeatures& f) { return f.page_load_s ? fmt::format("{:.3f}", *f.page_load_s) : "-"; }

}  // namespace

std::string diff_text(const DiffResult& d) {
  constexpr int kName = 38;
  constexpr int kCol = 44;
  std::string out = fmt::format("A: {}\nB: {}\n('*' marks a difference)\n\n", d.a.name, d.b.name);
  const auto row = [&](const std::string& name, const std::string& x, const std::string& y) {
    out += fmt::format("{} {:<{}} {:<{}} {}\n", x == y ? ' ' : '*', name, kName, x, kCol, y);
  };
  out += fmt::format("  {:<{}} {:<{}} {}\n", "", kName, "A", kCol, "B");
  row("TCP connections", std::to_string(d.a.connections.size()), std::to_string(d.b.connections.size()));
  row("TCP frames", std::to_string(d.a.frames), std::to_string(d.b.frames));
  row("page load (s, first SYN to last byte)", plt(d.a), plt(d.b));
  row("objects @ connection", object_map(d.a), object_map(d.b));
  for (std::size_t p = 0; p < d.pairs.size(); ++p) {
    const auto [ia, ib] = d.pairs[p];
    out += fmt::format("\nconnection {} of A <-> connection {} of B\n", ia, ib);
    const auto ra = rows_of(d.a.connections[ia]);
    const auto rb = rows_of(d.b.connections[ib]);
    for (std::size_t r = 0; r < ra.size(); ++r) {
      // The endpoints and stream numbers of two captures always differ: no mark.
      if (r == 0) {
        out += fmt::format("  {:<{}} {:<{}} {}\n", ra[r].first, kName, ra[r].second, kCol, rb[r].second);
      } else {
        row(ra[r].first, ra[r].second, rb[r].second);
      }
    }
  }
  // Connections left out of every pair.
  for (const bool in_a : {true, false}) {
    const CaptureFeatures& f = in_a ? d.a : d.b;
    std::string left;
    for (std::size_t i = 0; i < f.connections.size(); ++i) {
      const bool paired = std::any_of(d.pairs.begin(), d.pairs.end(),
                                      [&](const auto& pr) { return (in_a ? pr.first : pr.second) == i; });
      if (!paired) left += (left.empty() ? "" : ", ") + std::to_string(i);
    }
    if (!left.empty()) out += fmt::format("\nnot paired in {}: connection {}\n", in_a ? "A" : "B", left);
  }
  out += "\nfirst divergence: ";
  if (!d.first_divergence.found) {
    out += "none (the paired connections have the same frames)\n";
  } else {
    out += fmt::format("A frame {}, B frame {} (connection pair {}): {}\n",
                       d.first_divergence.frame_a == 0 ? "-" : std::to_string(d.first_divergence.frame_a),
                       d.first_divergence.frame_b == 0 ? "-" : std::to_string(d.first_divergence.frame_b),
                       d.first_divergence.pair, d.first_divergence.how);
  }
  return out;
}

namespace {
nlohmann::ordered_json conn_json(const ConnectionFeatures& c) {
  nlohmann::ordered_json j;
  j["stream"] = c.stream;
  j["client"] = c.client;
  j["server"] = c.server;
  j["syn_time_s"] = c.syn_time_s;
  j["syn_frame_bytes"] = c.syn_frame_len;
  j["synack_frame_bytes"] = c.synack_frame_len;
  j["third_ack_frame_bytes"] = c.third_ack_frame_len;
  j["syn_options"] = c.syn_options;
  j["synack_options"] = c.synack_options;
  j["syn_window"] = c.syn_window;
  j["synack_window"] = c.synack_window;
  j["client_window_scale"] = c.client_wscale ? nlohmann::ordered_json(*c.client_wscale) : nlohmann::ordered_json();
  j["server_window_scale"] = c.server_wscale ? nlohmann::ordered_json(*c.server_wscale) : nlohmann::ordered_json();
  j["client_first_window"] = c.client_first_window;
  j["client_max_window"] = c.client_max_window;
  j["server_first_window"] = c.server_first_window;
  j["client_mss"] = c.client_mss ? nlohmann::ordered_json(*c.client_mss) : nlohmann::ordered_json();
  j["server_mss"] = c.server_mss ? nlohmann::ordered_json(*c.server_mss) : nlohmann::ordered_json();
  j["client_max_payload"] = c.client_max_payload;
  j["server_max_payload"] = c.server_max_payload;
  j["client_data_segments"] = c.client_data_segments;
  j["server_data_segments"] = c.server_data_segments;
  j["server_psh"] = c.server_psh;
  nlohmann::ordered_json objs = nlohmann::ordered_json::array();
  for (const HttpObject& o : c.objects) {
    objs.push_back({{"path", o.path}, {"status", o.status}, {"segments", o.segments}, {"bytes", o.bytes}});
  }
  j["objects"] = objs;
  j["acks_of_1"] = c.acks_of_1;
  j["acks_of_2"] = c.acks_of_2;
  j["acks_of_more"] = c.acks_of_more;
  j["retransmissions"] = c.retransmissions;
  j["fast_retransmissions"] = c.fast_retransmissions;
  j["rto_s"] = c.rto_s;
  j["close_initiator"] = c.close_initiator;
  j["close_kind"] = c.close_kind;
  j["close_segments"] = c.close_segments;
  return j;
}

nlohmann::ordered_json capture_json(const CaptureFeatures& f) {
  nlohmann::ordered_json j;
  j["file"] = f.name;
  j["frames"] = f.frames;
  j["page_load_s"] = f.page_load_s ? nlohmann::ordered_json(*f.page_load_s) : nlohmann::ordered_json();
  nlohmann::ordered_json conns = nlohmann::ordered_json::array();
  for (const ConnectionFeatures& c : f.connections) conns.push_back(conn_json(c));
  j["connections"] = conns;
  return j;
}
}  // namespace

std::string diff_json(const DiffResult& d) {
  nlohmann::ordered_json j;
  j["a"] = capture_json(d.a);
  j["b"] = capture_json(d.b);
  nlohmann::ordered_json pairs = nlohmann::ordered_json::array();
  for (const auto& [x, y] : d.pairs) pairs.push_back({x, y});
  j["pairs"] = pairs;
  nlohmann::ordered_json div;
  div["found"] = d.first_divergence.found;
  div["frame_a"] = d.first_divergence.frame_a;
  div["frame_b"] = d.first_divergence.frame_b;
  div["pair"] = d.first_divergence.pair;
  div["how"] = d.first_divergence.how;
  j["first_divergence"] = div;
  return j.dump(2) + "\n";
}

}  // namespace wiresim::report
