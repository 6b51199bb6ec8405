#include "wiresim/report/run_folder.hpp"

#include <algorithm>
#include <fstream>
#include <map>
#include <span>
#include <sstream>
#include <stdexcept>

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "wiresim/capture/capture_reader.hpp"
#include "wiresim/report/http2_frames.hpp"
#include "wiresim/report/tcp_analysis.hpp"
#include "wiresim/wire/ethernet.hpp"
#include "wiresim/wire/ipv4.hpp"
#include "wiresim/wire/tcp.hpp"

namespace wiresim::report {
namespace {

std::string read_text(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) throw std::runtime_error(p.string() + ": cannot be read");
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

[[noreturn]] void bad(const std::filesystem::path& file, std::size_t line, const std::string& why) {
  throw std::runtime_error(fmt::format("{}:{}: {}", file.string(), line, why));
}

/// Splits a CSV line; honours double quotes (RFC 4180).
std::vector<std::string> split_csv(const std::string& line) {
  std::vector<std::string> out(1);
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        out.back() += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        out.back() += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      out.emplace_back();
    } else {
      out.back() += c;
    }
  }
  return out;
}

/// "12.000345678" -> 12000345678 ns; exact.
std::optional<std::int64_t> parse_seconds(const std::string& s) {
  const std::size_t dot = s.find('.');
  const std::string whole = s.substr(0, dot);
  std::string frac = dot == std::string::npos ? "" : s.substr(dot + 1);
  if (whole.empty() || frac.size() > 9) return std::nullopt;
  if (!std::all_of(whole.begin(), whole.end(), [](char c) { return c >= '0' && c <= '9'; })) return std::nullopt;
  if (!std::all_of(frac.begin(), frac.end(), [](char c) { return c >= '0' && c <= '9'; })) return std::nullopt;
  frac.resize(9, '0');
  return std::stoll(whole) * 1'000'000'000 + std::stoll(frac);
}

std::optional<std::uint64_t> parse_uint(const std::string& s) {
  if (s.empty() || s.size() > 19 || !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  return std::stoull(s);
}

/// The rows of a CSV file with a header, as maps from column name; a row
/// with more fields than the header had its `spill` column split at commas
/// (tcp-states.csv before its cause was quoted): the extra fields are joined back.
struct Csv {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::vector<std::size_t> lines;
  [[nodiscard]] std::size_t column(const std::filesystem::path& file, const std::string& name) const {
    const auto it = std::find(header.begin(), header.end(), name);
    if (it == header.end()) bad(file, 1, "no column '" + name + "'");
    return static_cast<std::size_t>(it - header.begin());
  }
  [[nodiscard]] std::optional<std::size_t> maybe_column(const std::string& name) const {
    const auto it = std::find(header.begin(), header.end(), name);
    if (it == header.end()) return std::nullopt;
    return static_cast<std::size_t>(it - header.begin());
  }
};

Csv read_csv(const std::filesystem::path& file, const std::string& spill) {
  const std::string text = read_text(file);
  Csv csv;
  std::size_t line_no = 0;
  std::size_t pos = 0;
  std::optional<std::size_t> spill_col;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(pos, end - pos);
    pos = end + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    std::vector<std::string> fields = split_csv(line);
    if (csv.header.empty()) {
      csv.header = std::move(fields);
      spill_col = csv.maybe_column(spill);
      continue;
    }
    if (fields.size() > csv.header.size() && spill_col) {
      const std::size_t extra = fields.size() - csv.header.size();
      for (std::size_t i = 0; i < extra; ++i) fields[*spill_col] += "," + fields[*spill_col + 1 + i];
      fields.erase(fields.begin() + static_cast<std::ptrdiff_t>(*spill_col + 1),
                   fields.begin() + static_cast<std::ptrdiff_t>(*spill_col + 1 + extra));
    }
    if (fields.size() != csv.header.size()) {
      bad(file, line_no, fmt::format("{} fields, the header has {}", fields.size(), csv.header.size()));
    }
    csv.rows.push_back(std::move(fields));
    csv.lines.push_back(line_no);
  }
  if (csv.header.empty()) bad(file, 1, "empty file, expected a CSV header");
  return csv;
}

std::string endpoint(wire::Ipv4Address a, std::uint16_t port) { return a.to_string() + ":" + std::to_string(port); }

/// The first line of an HTTP message at the start of `payload`, or "".
std::string http_first_line(std::span<const std::uint8_t> payload) {
  static constexpr std::string_view kStarts[] = {"GET ", "HEAD ", "POST ", "PUT ", "DELETE ", "OPTIONS ", "HTTP/1."};
  const std::string_view text(reinterpret_cast<const char*>(payload.data()), std::min<std::size_t>(payload.size(), 200));
  bool http = false;
  for (const std::string_view s : kStarts) http = http || text.substr(0, s.size()) == s;
  if (!http) return {};
  const std::size_t eol = text.find("\r\n");
  if (eol == std::string_view::npos) return {};
  return std::string(text.substr(0, eol));
}

/// The kinds of the TCP options in `opts`, in order (RFC 9293 §3.1: kinds
/// 0 and 1 are one byte, the others carry a length).
std::vector<std::uint8_t> option_kinds(std::span<const std::uint8_t> opts) {
  std::vector<std::uint8_t> out;
  for (std::size_t i = 0; i < opts.size();) {
    const std::uint8_t kind = opts[i];
    out.push_back(kind);
    if (kind == 0) break;
    if (kind == 1) {
      ++i;
      continue;
    }
    if (i + 1 >= opts.size() || opts[i + 1] < 2) break;
    i += opts[i + 1];
  }
  return out;
}

}  // namespace

std::vector<CapturedSegment> read_capture_for_analysis(const std::filesystem::path& file) {
  if (!std::filesystem::exists(file)) throw CaptureInputError(file.string() + ": no such file");
  if (std::filesystem::is_directory(file)) throw CaptureInputError(file.string() + " is a folder, not a capture file");
  std::vector<CapturedSegment> segs;
  try {
    segs = read_tcp_segments(file);
  } catch (const capture::CaptureFormatError& e) {
    throw CaptureInputError(std::string("not a capture wiresim can read (pcap or pcapng): ") + e.what());
  } catch (const std::runtime_error& e) {
    throw CaptureInputError(e.what());
  }
  if (segs.empty()) {
    throw CaptureInputError(file.string() + ": no TCP segment over IPv4 and Ethernet in this capture; nothing to explain");
  }
  return segs;
}

std::string flags_text(std::uint8_t flags) { return "[" + wire::flag_names(flags) + "]"; }

std::vector<CapturedSegment> read_tcp_segments(const std::filesystem::path& capture_file) {
  const capture::CaptureContents contents = capture::read_capture_contents(capture_file.string());
  std::vector<CapturedSegment> out;
  std::vector<std::span<const std::uint8_t>> payloads;  // into contents, for the HTTP/2 labels
  std::uint64_t number = 0;
  for (const capture::CapturedFrame& f : contents.frames) {
    ++number;
    const auto eth = wire::EthernetFrameView::check(f.bytes);
    if (!eth || eth.value().ethertype() != wire::kEtherTypeIpv4) continue;
    const auto ip = wire::Ipv4PacketView::check(eth.value().payload());
    if (!ip || ip.value().protocol() != wire::kIpProtoTcp) continue;
    const auto tcp = wire::TcpSegmentView::check(ip.value().payload());
    if (!tcp) continue;
    const auto repr = wire::TcpRepr::parse(tcp.value());
    if (!repr) continue;
    const wire::TcpRepr& r = repr.value();
    CapturedSegment s;
    s.frame = number;
    s.timestamp_ns = f.timestamp_ns;
    s.direction = f.direction;
    s.frame_len = f.orig_len;
    s.src = endpoint(ip.value().src(), r.src_port);
    s.dst = endpoint(ip.value().dst(), r.dst_port);
    s.seq = r.seq.raw();
    s.ack = r.ack.raw();
    s.flags = r.flags;
    s.window = r.window;
    s.mss = r.mss;
    s.window_scale = r.window_scale;
    s.sack_permitted = r.sack_permitted;
    s.sack_blocks = r.sack_count;
    for (std::size_t i = 0; i < r.sack_count; ++i) {
      s.sack.emplace_back(r.sack_blocks[i].left.raw(), r.sack_blocks[i].right.raw());
    }
    s.payload_len = static_cast<std::uint32_t>(tcp.value().payload().size());
    s.first_line = http_first_line(tcp.value().payload());
    s.comment = f.comment;
    s.push = (r.flags & wire::kPsh) != 0;
    s.ttl = ip.value().ttl();
    s.dont_fragment = ip.value().dont_fragment();
    s.option_kinds = option_kinds(tcp.value().options());
    out.push_back(std::move(s));
    payloads.push_back(tcp.value().payload());
  }
  label_http2_frames(out, payloads);
  return out;
}

std::vector<StateRow> read_state_trace(const std::filesystem::path& file) {
  const Csv csv = read_csv(file, "cause");
  const std::size_t c_time = csv.column(file, "time_s");
  const std::size_t c_node = csv.column(file, "node");
  const std::size_t c_local = csv.column(file, "local");
  const std::size_t c_remote = csv.column(file, "remote");
  const std::size_t c_from = csv.column(file, "from");
  const std::size_t c_to = csv.column(file, "to");
  const std::size_t c_cause = csv.column(file, "cause");
  const std::size_t c_frame = csv.column(file, "frame");
  const std::optional<std::size_t> c_capture = csv.maybe_column("capture");
  std::vector<StateRow> out;
  for (std::size_t i = 0; i < csv.rows.size(); ++i) {
    const std::vector<std::string>& f = csv.rows[i];
    StateRow r;
    const auto t = parse_seconds(f[c_time]);
    if (!t) bad(file, csv.lines[i], "time_s '" + f[c_time] + "' is not a time in seconds");
    r.time_ns = *t;
    r.time_s = f[c_time];
    r.node = f[c_node];
    r.local = f[c_local];
    r.remote = f[c_remote];
    r.from = f[c_from];
    r.to = f[c_to];
    r.cause = f[c_cause];
    if (!f[c_frame].empty()) {
      const auto n = parse_uint(f[c_frame]);
      if (!n) bad(file, csv.lines[i], "frame '" + f[c_frame] + "' is not a number");
      r.frame = *n;
    }
    if (c_capture) r.capture = f[*c_capture];
    out.push_back(std::move(r));
  }
  return out;
}

std::vector<CwndRow> read_cwnd_trace(const std::filesystem::path& file) {
  const Csv csv = read_csv(file, "");
  const std::size_t c_time = csv.column(file, "time_s");
  const std::size_t c_node = csv.column(file, "node");
  const std::size_t c_local = csv.column(file, "local");
  const std::size_t c_remote = csv.column(file, "remote");
  const std::size_t c_cwnd = csv.column(file, "cwnd_bytes");
  const std::size_t c_ssthresh = csv.column(file, "ssthresh_bytes");
  const std::optional<std::size_t> c_srtt = csv.maybe_column("srtt_ms");
  const std::optional<std::size_t> c_rto = csv.maybe_column("rto_ms");
  std::vector<CwndRow> out;
  for (std::size_t i = 0; i < csv.rows.size(); ++i) {
    const std::vector<std::string>& f = csv.rows[i];
    CwndRow r;
    const auto t = parse_seconds(f[c_time]);
    const auto cwnd = parse_uint(f[c_cwnd]);
    if (!t || !cwnd) bad(file, csv.lines[i], "expected a time and a cwnd in bytes");
    r.time_ns = *t;
    r.node = f[c_node];
    r.local = f[c_local];
    r.remote = f[c_remote];
    r.cwnd = *cwnd;
    const auto ss = parse_uint(f[c_ssthresh]);
    if (ss && *ss != 0xffffffffULL) r.ssthresh = *ss;
    // "40.000" ms: the same decimal form as time_s, so read exactly by parse_seconds.
    const auto ms_of = [&](std::optional<std::size_t> col) -> std::optional<double> {
      if (!col || f[*col].empty()) return std::nullopt;
      const auto v = parse_seconds(f[*col]);
      if (!v) bad(file, csv.lines[i], "'" + f[*col] + "' is not a time in milliseconds");
      return static_cast<double>(*v) / 1e9;
    };
    r.srtt_ms = ms_of(c_srtt);
    r.rto_ms = ms_of(c_rto);
    out.push_back(std::move(r));
  }
  return out;
}

std::vector<RetransmitRow> read_retransmit_trace(const std::filesystem::path& file) {
  const Csv csv = read_csv(file, "reason");
  const std::size_t c_time = csv.column(file, "time_s");
  const std::size_t c_node = csv.column(file, "node");
  const std::size_t c_local = csv.column(file, "local");
  const std::size_t c_remote = csv.column(file, "remote");
  const std::size_t c_seq = csv.column(file, "seq");
  const std::size_t c_len = csv.column(file, "len");
  const std::size_t c_reason = csv.column(file, "reason");
  const std::size_t c_cwnd = csv.column(file, "cwnd_bytes");
  const std::size_t c_ssthresh = csv.column(file, "ssthresh_bytes");
  std::vector<RetransmitRow> out;
  for (std::size_t i = 0; i < csv.rows.size(); ++i) {
    const std::vector<std::string>& f = csv.rows[i];
    const auto t = parse_seconds(f[c_time]);
    const auto seq = parse_uint(f[c_seq]);
    const auto len = parse_uint(f[c_len]);
    const auto cwnd = parse_uint(f[c_cwnd]);
    if (!t || !seq || !len || (!cwnd && !f[c_cwnd].empty()) || *seq > 0xffffffffULL || *len > 0xffffffffULL) {
      bad(file, csv.lines[i], "expected a time, a sequence number, a length and a cwnd");
    }
    RetransmitRow r;
    r.time_ns = *t;
    r.node = f[c_node];
    r.local = f[c_local];
    r.remote = f[c_remote];
    r.seq = static_cast<std::uint32_t>(*seq);
    r.len = static_cast<std::uint32_t>(*len);
    r.reason = f[c_reason];
    r.cwnd = cwnd;
    const auto ss = parse_uint(f[c_ssthresh]);
    if (ss && *ss != 0xffffffffULL) r.ssthresh = *ss;
    out.push_back(std::move(r));
  }
  return out;
}

RunFolder open_run_folder(const std::filesystem::path& dir) {
  const std::filesystem::path file = dir / "summary.json";
  if (!std::filesystem::exists(file)) {
    throw std::runtime_error(dir.string() + " is not a run folder: it has no summary.json (write one with `wiresim run`)");
  }
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(read_text(file));
  } catch (const nlohmann::json::exception& e) {
    throw std::runtime_error(file.string() + ": not valid JSON: " + e.what());
  }
  RunFolder run;
  run.dir = dir;
  run.scenario = j.value("scenario", "");
  run.start_unix_ns = j.value("start_unix_ns", std::int64_t{0});
  if (j.contains("captures") && j["captures"].is_array()) {
    for (const auto& c : j["captures"]) {
      run.captures.push_back(RunFolder::Capture{c.value("name", ""), c.value("node", ""), c.value("file", "")});
    }
  }
  return run;
}

bool row_frame_in(const StateRow& r, const RunFolder& run, const RunFolder::Capture& cap) {
  if (r.frame == 0) return false;
  if (!r.capture.empty()) return r.capture == cap.name;
  if (!cap.node.empty()) return r.node == cap.node;
  return run.captures.size() == 1;  // an older folder: the only capture must be the node's
}

std::int64_t capture_origin_ns(const RunFolder& run, const RunFolder::Capture& cap,
                               const std::vector<CapturedSegment>& segments, const std::vector<StateRow>& rows) {
  if (run.start_unix_ns != 0) return run.start_unix_ns;
  for (const StateRow& r : rows) {
    if (!row_frame_in(r, run, cap)) continue;
    for (const CapturedSegment& s : segments) {
      if (s.frame == r.frame) return s.timestamp_ns - r.time_ns;
    }
  }
  return 0;
}

namespace {

/// Gives each captured data segment of `ts` that the sender's trace says it
/// resent the reason of that resend: the last row for the same sequence
/// number sent no later than the capture saw the segment. The original
/// transmission precedes every resend of its bytes by at least an RTT, so a
/// capture anywhere on the path matches each resend with its own row;
/// a resend whose original was lost before the capture point is found too.
/// SYNs and SYN-ACKs sent again get theirs the same way.
void label_resend_causes(TimeSequence& ts, const std::vector<std::uint32_t>& absolute_seq,
                         const std::vector<RetransmitRow>& rows) {
  std::map<std::uint32_t, std::vector<const RetransmitRow*>> by_seq;  // in time order, as the trace is
  for (const RetransmitRow& r : rows) {
    if (r.local == ts.sender && r.remote == ts.receiver && r.len > 0) by_seq[r.seq].push_back(&r);
  }
  // SYNs and SYN-ACKs, per end in capture order: each takes the earliest of
  // its end's SYN rows not yet taken and sent no later than the capture saw
  // it; none left means a first transmission. (An end may resend twice at
  // one instant: an RTO and an answer to the peer's repeated SYN.)
  std::vector<const RetransmitRow*> syn_rows[2];  // [from_sender]
  for (const RetransmitRow& r : rows) {
    if (r.len != 0 || r.reason.find("SYN") == std::string::npos) continue;
    if (r.local == ts.sender && r.remote == ts.receiver) syn_rows[1].push_back(&r);
    if (r.local == ts.receiver && r.remote == ts.sender) syn_rows[0].push_back(&r);
  }
  std::size_t taken[2] = {0, 0};
  for (HandshakePoint& h : ts.handshake) {
    const std::size_t end = h.from_sender ? 1 : 0;
    if (taken[end] < syn_rows[end].size() &&
        static_cast<double>(syn_rows[end][taken[end]]->time_ns) / 1e6 <= h.t_ms) {
      h.cause = syn_rows[end][taken[end]++]->reason;
    }
  }
  for (std::size_t i = 0; i < ts.data.size(); ++i) {
    const auto it = by_seq.find(absolute_seq[i]);
    if (it == by_seq.end()) continue;
    const RetransmitRow* last = nullptr;
    for (const RetransmitRow* r : it->second) {
      if (static_cast<double>(r->time_ns) / 1e6 <= ts.data[i].t_ms) last = r;
    }
    if (last == nullptr) continue;
    ts.data[i].cause = last->reason;
    ts.data[i].resent = true;
  }
}

}  // namespace

std::optional<TimeSequence> busiest_time_sequence(const RunFolder& run, const RunFolder::Capture& cap) {
  const std::vector<CapturedSegment> segs = read_tcp_segments(run.dir / cap.file);
  // The direction (sender -> receiver) with the most payload.
  std::map<std::pair<std::string, std::string>, std::uint64_t> payload;
  for (const CapturedSegment& s : segs) payload[{s.src, s.dst}] += s.payload_len;
  const auto best = std::max_element(payload.begin(), payload.end(),
                                     [](const auto& a, const auto& b) { return a.second < b.second; });
  if (best == payload.end() || best->second == 0) return std::nullopt;
  const auto [sender, receiver] = best->first;

  TimeSequence ts;
  ts.capture = cap.file;
  ts.sender = sender;
  ts.receiver = receiver;
  std::optional<std::uint32_t> isn;   // the sender's SYN seq (or its first seq - 1)
  // Window scaling is in effect only when both SYNs carried the option (RFC 7323 §2.2).
  std::optional<std::uint8_t> sender_ws;
  std::optional<std::uint8_t> receiver_ws;
  std::uint64_t highest = 0;
  std::vector<std::uint32_t> absolute_seq;  // of each ts.data entry, to find it in tcp-retransmits.csv
  const std::filesystem::path states_file = run.dir / "tcp-states.csv";
  const std::int64_t origin = capture_origin_ns(
      run, cap, segs, std::filesystem::exists(states_file) ? read_state_trace(states_file) : std::vector<StateRow>{});
  auto ms_of = [&](std::int64_t ts_ns) { return static_cast<double>(ts_ns - origin) / 1e6; };
  std::optional<double> first_ms;
  const TcpCaptureAnalysis analysis = analyze_tcp(segs);
  for (std::size_t i = 0; i < segs.size(); ++i) {
    const CapturedSegment& s = segs[i];
    const bool ours = (s.src == sender && s.dst == receiver) || (s.src == receiver && s.dst == sender);
    if (ours && !first_ms) first_ms = ms_of(s.timestamp_ns);
    if (ours && (s.flags & wire::kSyn) != 0) {
      ts.handshake.push_back({ms_of(s.timestamp_ns), s.src == sender, (s.flags & wire::kAck) != 0, {}});
    }
    if (s.src == sender && s.dst == receiver) {
      if ((s.flags & wire::kSyn) != 0) {
        isn = s.seq;
        sender_ws = s.window_scale;
        continue;
      }
      if (!isn) isn = s.seq - 1;
      if (s.payload_len == 0) continue;
      const std::uint64_t rel = static_cast<std::uint32_t>(s.seq - *isn);
      const std::uint64_t end = rel + s.payload_len;
      ts.data.push_back(SequencePoint{ms_of(s.timestamp_ns), rel, end, end <= highest, {}});
      absolute_seq.push_back(s.seq);
      highest = std::max(highest, end);
    } else if (s.src == receiver && s.dst == sender) {
      if ((s.flags & wire::kSyn) != 0) {
        receiver_ws = s.window_scale;
        continue;
      }
      if ((s.flags & wire::kAck) == 0 || !isn) continue;
      const unsigned shift = sender_ws && receiver_ws ? std::min<unsigned>(*receiver_ws, 14) : 0;
      const std::uint64_t ack = static_cast<std::uint32_t>(s.ack - *isn);
      AckPoint a{ms_of(s.timestamp_ns), ack, ack + (std::uint64_t{s.window} << shift), false, {}};
      a.dup_ack = (analysis.frames[i].flags & kTaDuplicateAck) != 0;
      for (const auto& [left, right] : s.sack) {
        a.sack.push_back(SackRange{static_cast<std::uint32_t>(left - *isn), static_cast<std::uint32_t>(right - *isn)});
      }
      ts.acks.push_back(std::move(a));
    }
  }
  // The window: from the connection's first segment to a little after its
  // last data segment (a kept-alive connection idles long after).
  ts.begin_ms = first_ms.value_or(0);
  ts.end_ms = ts.data.empty() ? ts.begin_ms : ts.data.back().t_ms;
  for (const SequencePoint& p : ts.data) ts.end_ms = std::max(ts.end_ms, p.t_ms);
  ts.end_ms += std::max((ts.end_ms - ts.begin_ms) * 0.05, 1.0);
  std::erase_if(ts.acks, [&](const AckPoint& a) { return a.t_ms > ts.end_ms; });
  const std::filesystem::path cwnd_file = run.dir / "tcp-cwnd.csv";
  if (std::filesystem::exists(cwnd_file)) {
    for (const CwndRow& r : read_cwnd_trace(cwnd_file)) {
      const double t = static_cast<double>(r.time_ns) / 1e6;
      if (r.local == sender && r.remote == receiver && t <= ts.end_ms) {
        ts.cwnd.push_back(CwndPoint{std::max(t, ts.begin_ms), r.cwnd, r.ssthresh, r.srtt_ms, r.rto_ms});
      }
    }
  }
  const std::filesystem::path retransmits_file = run.dir / "tcp-retransmits.csv";
  if (std::filesystem::exists(retransmits_file)) {
    label_resend_causes(ts, absolute_seq, read_retransmit_trace(retransmits_file));
  }
  return ts;
}

}  // namespace wiresim::report
