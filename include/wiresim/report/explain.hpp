#pragma once
/// `wiresim explain`: the story of a TCP connection as a lab report tells
/// it, from a run folder: every captured frame of the connection with its
/// frame number, time, direction, flags, relative seq/ack, length and the
/// TCP state of both ends after it, grouped into handshake, requests and
/// responses, and teardown. Rendered as a ladder diagram for the terminal,
/// or as SVG (alone or in an HTML page).

#include <cstddef>
#include <string>
#include <vector>

#include "wiresim/report/run_folder.hpp"

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
  /// What Wireshark's analysis would flag: "TCP Keep-Alive" (at most one
  /// byte, no SYN/FIN/RST, one below the next sequence number the sender
  /// has used), "TCP Keep-Alive ACK" (a bare ACK answering one); or "".
  std::string note;
};

/// One connection (a Wireshark TCP stream) in one capture.
struct Ladder {
  std::size_t stream = 0;            ///< Wireshark's tcp.stream: 0, 1, ... in order of first frame
  std::string capture;               ///< file name
  std::string initiator;             ///< "10.0.0.1:49152" (sent the first SYN)
  std::string responder;
  std::string initiator_node;        ///< node name from the state trace, "" if unknown
  std::string responder_node;
  bool have_states = false;          ///< tcp-states.csv was there
  std::vector<LadderFrame> frames;
};

/// Every connection of `capture` in `run`, states from tcp-states.csv when
/// the run has it.
[[nodiscard]] std::vector<Ladder> build_ladders(const RunFolder& run, const RunFolder::Capture& capture);

/// The ladder as text for a terminal (about 110 columns). Unless `all`,
/// runs of plain data segments and ACKs (no HTTP message start, no state
/// change) longer than six frames are folded into one line after the first
/// three, keeping the last two.
[[nodiscard]] std::string ladder_text(const Ladder& ladder, bool all = false);
/// The ladder as a standalone SVG sequence diagram.
[[nodiscard]] std::string ladder_svg(const Ladder& ladder);
/// A self-contained HTML page with one diagram per ladder.
[[nodiscard]] std::string ladders_html(const std::string& title, const std::vector<Ladder>& ladders);

}  // namespace wiresim::report
