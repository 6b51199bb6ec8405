#pragma once
/// TCP traces as CSV files, fed by TcpObserver hooks (a side channel):
///   tcp-states.csv  every state transition: time, node, local and remote
///                   ip:port, old and new state, the cause (segment flags,
///                   app call or timer; quoted, it may hold a comma) and the
///                   frame number of the segment in a capture with that
///                   capture's name: the node's own capture if it has one,
///                   else the first other node capture that saw the segment
///                   (so the server's transitions name frames of the
///                   client's capture, where the student looks);
///   tcp-cwnd.csv    every change of cwnd, ssthresh, srtt and rto;
///   tcp-retransmits.csv (with tcp-states.csv) every segment a host sent
///                   again: time, node, local, remote, absolute seq, payload
///                   length, the sender's reason ("RTO (backoff 2)", "fast
///                   retransmission after 3 dup ACKs", "SACK recovery",
///                   "NewReno partial ACK"), cwnd and ssthresh after the loss
///                   reaction. The node's own pcapng captures carry the same
///                   as the frame's comment.
/// It also keeps each connection's final counters for the run summary.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "wiresim/capture/buffered_file.hpp"
#include "wiresim/capture/capture_tap.hpp"
#include "wiresim/tcp/trace.hpp"

namespace wiresim::capture {

/// The counters a connection ended with (or had when the run stopped).
struct ConnectionRecord {
  std::string node;
  tcp::FourTuple tuple;
  tcp::ConnectionCounters counters;
  /// kClosed: removed from its stack during the run; any other state: still
  /// open when the run stopped (tcp::TcpStack::open_connections()).
  tcp::TcpState state_at_end = tcp::TcpState::kClosed;
};

/// The trace files of one run, shared by every host's observer.
class TcpTraceFiles {
 public:
  /// Opens the files that are wanted; a path left empty is not written.
  TcpTraceFiles(const std::string& states_path, const std::string& cwnd_path,
                const std::string& retransmits_path = {});
  void state_row(const std::string& row) { write(states_, row); }
  void cwnd_row(const std::string& row) { write(cwnd_, row); }
  void retransmit_row(const std::string& row) { write(retransmits_, row); }
  [[nodiscard]] bool wants_states() const { return states_ != nullptr; }
  [[nodiscard]] bool wants_cwnd() const { return cwnd_ != nullptr; }
  [[nodiscard]] bool wants_retransmits() const { return retransmits_ != nullptr; }
  void close();

 private:
  static void write(const std::unique_ptr<BufferedFile>& f, const std::string& row);
  std::unique_ptr<BufferedFile> states_;
  std::unique_ptr<BufferedFile> cwnd_;
  std::unique_ptr<BufferedFile> retransmits_;
};

/// A capture point a trace can take frame numbers from.
struct FrameSource {
  std::string capture;  ///< the capture's name, written in the trace's `capture` column
  NodeTap* tap = nullptr;
};

/// One host's TCP observer: writes its rows into the shared files and
/// records connection counters.
class HostTcpTrace final : public tcp::TcpObserver {
 public:
  /// `sources`: where frame numbers come from, in order of preference (the
  /// node's own captures first); may be empty.
  HostTcpTrace(std::string node, TcpTraceFiles& files, std::vector<FrameSource> sources,
               std::vector<ConnectionRecord>& records);

  void on_transition(Time now, const tcp::FourTuple& conn, tcp::TcpState from, tcp::TcpState to,
                     const tcp::TransitionCause& cause) override;
  void on_congestion(Time now, const tcp::FourTuple& conn, const tcp::CongestionSnapshot& s) override;
  void on_counters(Time now, const tcp::FourTuple& conn, const tcp::ConnectionCounters& c) override;
  /// A row in tcp-retransmits.csv, and the reason as the comment of the
  /// frame in this node's own captures.
  void on_retransmit(Time now, const tcp::FourTuple& conn, const tcp::RetransmitInfo& r) override;

 private:
  std::string node_;
  TcpTraceFiles& files_;
  std::vector<FrameSource> sources_;
  std::vector<ConnectionRecord>& records_;
};

}  // namespace wiresim::capture
