#include "wiresim/capture/tcp_trace.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "wiresim/capture/csv.hpp"
#include "wiresim/tcp/state.hpp"

namespace wiresim::capture {

namespace {
constexpr const char* kStatesHeader = "time_s,node,local,remote,from,to,cause,frame,capture\n";
constexpr const char* kRetransmitsHeader = "time_s,node,local,remote,seq,len,reason,cwnd_bytes,ssthresh_bytes\n";
constexpr const char* kCwndHeader = "time_s,node,local,remote,cwnd_bytes,ssthresh_bytes,srtt_ms,rto_ms\n";

std::unique_ptr<BufferedFile> open_csv(const std::string& path, const char* header) {
  if (path.empty()) return nullptr;
  auto f = std::make_unique<BufferedFile>(path);
  f->write_text(header);
  return f;
}

/// Milliseconds with microsecond precision, e.g. "40.000".
std::string ms(Duration d) { return fmt::format("{}.{:03d}", d.ns() / 1'000'000, (d.ns() / 1'000) % 1'000); }
}  // namespace

TcpTraceFiles::TcpTraceFiles(const std::string& states_path, const std::string& cwnd_path,
                             const std::string& retransmits_path)
    : states_(open_csv(states_path, kStatesHeader)),
      cwnd_(open_csv(cwnd_path, kCwndHeader)),
      retransmits_(open_csv(retransmits_path, kRetransmitsHeader)) {}

void TcpTraceFiles::write(const std::unique_ptr<BufferedFile>& f, const std::string& row) {
  if (f) f->write_text(row);
}

void TcpTraceFiles::close() {
  if (states_) states_->close();
  if (cwnd_) cwnd_->close();
  if (retransmits_) retransmits_->close();
}

HostTcpTrace::HostTcpTrace(std::string node, TcpTraceFiles& files, std::vector<FrameSource> sources,
                           std::vector<ConnectionRecord>& records)
    : node_(std::move(node)), files_(files), sources_(std::move(sources)), records_(records) {}

void HostTcpTrace::on_transition(Time now, const tcp::FourTuple& conn, tcp::TcpState from, tcp::TcpState to,
                                 const tcp::TransitionCause& cause) {
  if (!files_.wants_states()) return;
  std::string frame;
  std::string capture;
  if (cause.kind == tcp::TransitionCause::Kind::kSegment) {
    for (const FrameSource& src : sources_) {
      if (const std::uint64_t n = src.tap->frame_of(cause.packet_uid); n != 0) {
        frame = std::to_string(n);
        capture = src.capture;
        break;
      }
    }
  }
  files_.state_row(fmt::format("{},{},{},{},{},{},{},{},{}\n", to_string(now), node_, tcp::to_string(conn.local),
                               tcp::to_string(conn.remote), tcp::to_string(from), tcp::to_string(to),
                               csv_field(tcp::to_string(cause)), frame, csv_field(capture)));
}

void HostTcpTrace::on_congestion(Time now, const tcp::FourTuple& conn, const tcp::CongestionSnapshot& s) {
  if (!files_.wants_cwnd()) return;
  files_.cwnd_row(fmt::format("{},{},{},{},{},{},{},{}\n", to_string(now), node_, tcp::to_string(conn.local),
                              tcp::to_string(conn.remote), s.cwnd,
                              s.ssthresh == 0xffffffffu ? std::string{} : std::to_string(s.ssthresh),
                              s.srtt ? ms(*s.srtt) : std::string{}, ms(s.rto)));
}

void HostTcpTrace::on_counters(Time /*now*/, const tcp::FourTuple& conn, const tcp::ConnectionCounters& c) {
  records_.push_back(ConnectionRecord{node_, conn, c, tcp::TcpState::kClosed});
}

/// Nothing is formatted unless a row or a capture comment is wanted: a run
/// without traces or pcapng captures (a sweep's) skips it all.
void HostTcpTrace::on_retransmit(Time now, const tcp::FourTuple& conn, const tcp::RetransmitInfo& r) {
  const bool commented = std::any_of(sources_.begin(), sources_.end(), [this](const FrameSource& src) {
    return src.tap->node().name() == node_ && src.tap->takes_comments();
  });
  if (!files_.wants_retransmits() && !commented) return;
  const std::string ssthresh = r.ssthresh == 0xffffffffu ? std::string{} : std::to_string(r.ssthresh);
  if (files_.wants_retransmits()) {
    files_.retransmit_row(fmt::format("{},{},{},{},{},{},{},{},{}\n", to_string(now), node_, tcp::to_string(conn.local),
                                      tcp::to_string(conn.remote), r.seq, r.len, csv_field(tcp::to_string(r)),
                                      r.syn ? std::string{} : std::to_string(r.cwnd), r.syn ? std::string{} : ssthresh));
  }
  if (!commented) return;
  // "retransmission: RTO (backoff 2), cwnd 1448, ssthresh 2896"; a fast
  // retransmission names itself.
  std::string comment = r.cause == tcp::RetransmitInfo::Cause::kFast ? tcp::to_string(r)
                                                                      : "retransmission: " + tcp::to_string(r);
  if (!r.syn) {
    comment += fmt::format(", cwnd {}", r.cwnd);
    if (!ssthresh.empty()) comment += ", ssthresh " + ssthresh;
  }
  for (const FrameSource& src : sources_) {
    if (src.tap->node().name() == node_) src.tap->comment_next_send(conn, r.seq, r.len, comment);
  }
}

}  // namespace wiresim::capture
