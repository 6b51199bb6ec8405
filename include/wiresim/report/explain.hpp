#pragma once
/// `wiresim explain`: the story of a TCP connection as a lab report tells
/// it, from a run folder or from any capture file: every captured frame of
/// the connection with its frame number, time, direction, flags, relative
/// seq/ack, length, Wireshark's analysis labels (tcp_analysis.hpp) and the
/// TCP state of both ends after it, grouped into handshake, requests and
/// responses, and teardown. For a run folder the states come from
/// tcp-states.csv, a resend carries the simulator's own reason (from
/// tcp-retransmits.csv) and a frame a link dropped is marked lost with the
/// link and the cause (from the run's link captures); for a bare capture the
/// states are inferred from the segments. Rendered as a ladder diagram for
/// the terminal, or as SVG (alone or in an HTML page).

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include "wiresim/report/run_folder.hpp"
#include "wiresim/report/tcp_analysis.hpp"

namespace wiresim::report {

enum class Phase : std::uint8_t { kHandshake, kData, kTeardown };
[[nodiscard]] const char* title_of(Phase p);  ///< "Handshake", "Requests and responses", "Teardown"

struct LadderFrame {
  CapturedSegment segment;
  bool from_initiator = false;      ///< sent by the end that opened the connection
  double time_s = 0;                ///< simulated time (capture time if the run has no start time)
  std::uint64_t rel_seq = 0;        ///< relative to the sender's ISN
  std::uint64_t rel_ack = 0;        ///< relative to the receiver's ISN
  std::string initiator_state;      ///< after this frame ("" if the trace does not say)
  std::string responder_state;
  Phase phase = Phase::kHandshake;
  std::string summary;              ///< "[SYN] Seq=0 Win=64240 Len=0 MSS=1460 WS=256 SACK_PERM"
  TcpFrameAnalysis analysis;           ///< Wireshark's tcp.analysis flags
  std::vector<std::string> labels;     ///< their names as Wireshark's Info column shows them
  /// The labels joined by ", " ("TCP Keep-Alive", "TCP Dup ACK 12#3"), or "".
  std::string note;
  /// Simulated runs: why the sender sent this segment again, with its
  /// congestion state ("RTO (backoff 2), cwnd 1448, ssthresh 5792"); "" otherwise.
  std::string resend_cause;
  /// Simulated runs: the link that dropped this segment and why
  /// ("link path (client->server): drop_rule"); "" if it was not dropped.
  std::string lost;
  /// Whether the frame tells only "more data, in order": no label, no HTTP
  /// start line, no SYN/FIN/RST, not lost, states unchanged. Only such
  /// frames are ever folded.
  [[nodiscard]] bool eventful() const;
};

/// One connection (a Wireshark TCP stream) in one capture.
struct Ladder {
  std::size_t stream = 0;            ///< Wireshark's tcp.stream: 0, 1, ... in order of first frame
  std::string capture;               ///< file name
  std::string initiator;             ///< "10.0.0.1:49152" (sent the first SYN)
  std::string responder;
  std::string initiator_node;        ///< node name from the state trace, "" if unknown
  std::string responder_node;
  bool have_states = false;          ///< states are shown (from tcp-states.csv, or inferred)
  bool states_inferred = false;      ///< inferred from the segments, not traced by the simulator
  std::vector<LadderFrame> frames;
};

/// Every connection of `capture` in `run`, states from tcp-states.csv when
/// the run has it.
[[nodiscard]] std::vector<Ladder> build_ladders(const RunFolder& run, const RunFolder::Capture& capture);
/// Every connection of a capture file that need not come from wiresim;
/// states are inferred (RFC 9293 §3.3.2's transitions driven by the SYN,
/// FIN, RST and ACK each end is seen to send and receive). Throws
/// std::runtime_error (capture::CaptureFormatError for a malformed file).
[[nodiscard]] std::vector<Ladder> build_capture_ladders(const std::filesystem::path& capture_file);

/// Whether any frame is out of order or sent again: Wireshark then shows
/// only the HTTP messages whose segments came in order unless
/// tcp.reassemble_out_of_order is on.
[[nodiscard]] bool needs_reassembly_hint(const std::vector<Ladder>& ladders);
/// The hint explain prints then.
[[nodiscard]] std::string reassembly_hint();

/// The ladder as text for a terminal (about 110 columns). Unless `all`,
/// runs of plain data segments and ACKs (not eventful(): no analysis label,
/// no loss, no HTTP message start, no state change) longer than six frames
/// are folded into one line after the first three, keeping the last two; a
/// loss event or its repair is never folded.
[[nodiscard]] std::string ladder_text(const Ladder& ladder, bool all = false);
/// The ladder as a standalone SVG sequence diagram: time runs down to scale
/// (idle gaps longer than a few rows are compressed and marked), resends,
/// losses and window events in colour, a lost segment's arrow stops short.
[[nodiscard]] std::string ladder_svg(const Ladder& ladder);
/// A self-contained HTML page with one diagram per ladder.
[[nodiscard]] std::string ladders_html(const std::string& title, const std::vector<Ladder>& ladders);

}  // namespace wiresim::report
