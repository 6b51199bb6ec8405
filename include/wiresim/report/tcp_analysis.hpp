#pragma once
/// Wireshark's TCP sequence analysis (the `tcp.analysis.*` fields and the
/// "[TCP Retransmission]" ... prefixes of its Info column), computed once,
/// here, for every reader of captures: `explain` labels frames with it and
/// `diff` counts with it.
///
/// It follows Wireshark 4.0's epan/dissectors/packet-tcp.c,
/// `tcp_analyze_sequence_number()`, test for test and in the same order,
/// per direction of a conversation (`fwd` = the segment's sender, `rev` =
/// the other end): zero-window probe, zero window, previous segment not
/// captured, keep-alive, window update, window full, keep-alive ACK,
/// zero-window-probe ACK, duplicate ACK, ACKed unseen segment, then for a
/// segment that carries data (or SYN/FIN) and does not advance the sequence
/// space: spurious retransmission, fast retransmission (>= 2 duplicate ACKs
/// from the other end for this very sequence number, within 20 ms), out of
/// order (within the handshake's RTT, or 3 ms without one, of the highest
/// segment), otherwise retransmission. Streams are numbered as tshark's
/// `tcp.stream`: in order of first frame, a new one when a SYN reuses the
/// ports of a conversation that has closed.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "wiresim/report/run_folder.hpp"

namespace wiresim::report {

/// One bit per Wireshark analysis flag (TCP_A_* in packet-tcp.c).
enum TcpAnalysisFlag : std::uint32_t {
  kTaRetransmission = 1U << 0,          ///< tcp.analysis.retransmission
  kTaFastRetransmission = 1U << 1,      ///< tcp.analysis.fast_retransmission
  kTaSpuriousRetransmission = 1U << 2,  ///< tcp.analysis.spurious_retransmission
  kTaOutOfOrder = 1U << 3,              ///< tcp.analysis.out_of_order
  kTaLostSegment = 1U << 4,             ///< tcp.analysis.lost_segment: "Previous segment not captured"
  kTaAckLostSegment = 1U << 5,          ///< tcp.analysis.ack_lost_segment: "ACKed unseen segment"
  kTaDuplicateAck = 1U << 6,            ///< tcp.analysis.duplicate_ack
  kTaWindowUpdate = 1U << 7,            ///< tcp.analysis.window_update
  kTaWindowFull = 1U << 8,              ///< tcp.analysis.window_full
  kTaZeroWindow = 1U << 9,              ///< tcp.analysis.zero_window
  kTaZeroWindowProbe = 1U << 10,        ///< tcp.analysis.zero_window_probe
  kTaZeroWindowProbeAck = 1U << 11,     ///< tcp.analysis.zero_window_probe_ack
  kTaKeepAlive = 1U << 12,              ///< tcp.analysis.keep_alive
  kTaKeepAliveAck = 1U << 13,           ///< tcp.analysis.keep_alive_ack
};
/// A segment sent again, by any of Wireshark's three names.
inline constexpr std::uint32_t kTaAnyRetransmission =
    kTaRetransmission | kTaFastRetransmission | kTaSpuriousRetransmission;
/// What a loss leaves in a capture: resends, reordering, holes, duplicate ACKs.
inline constexpr std::uint32_t kTaLossEvent = kTaAnyRetransmission | kTaOutOfOrder | kTaLostSegment |
                                              kTaAckLostSegment | kTaDuplicateAck;
/// Flow-control events.
inline constexpr std::uint32_t kTaWindowEvent =
    kTaWindowUpdate | kTaWindowFull | kTaZeroWindow | kTaZeroWindowProbe | kTaZeroWindowProbeAck;

/// The analysis of one TCP frame.
struct TcpFrameAnalysis {
  std::size_t stream = 0;         ///< tcp.stream
  std::uint32_t flags = 0;        ///< TcpAnalysisFlag bits
  std::uint32_t dup_ack_num = 0;  ///< tcp.analysis.duplicate_ack_num (n of "Dup ACK #n")
  std::uint64_t dup_ack_frame = 0;  ///< tcp.analysis.duplicate_ack_frame: the ACK it repeats
};

/// The names Wireshark's Info column prefixes, in its order, e.g.
/// {"TCP Dup ACK 12#2"} or {"TCP Window Update", "TCP Previous segment not captured"}.
[[nodiscard]] std::vector<std::string> analysis_labels(const TcpFrameAnalysis& a);

/// One TCP conversation of a capture (a Wireshark TCP stream).
struct TcpStreamSegments {
  std::string initiator;  ///< sent the first SYN without ACK; the first sender if none was captured
  std::string responder;
  std::vector<std::size_t> segments;  ///< indices into the capture's segments, in frame order
};

/// The analysis of a whole capture's segments (as read_tcp_segments returns
/// them, in frame order), one entry per segment, and its streams.
struct TcpCaptureAnalysis {
  std::vector<TcpFrameAnalysis> frames;   ///< frames[i] analyses segments[i]
  std::vector<TcpStreamSegments> streams; ///< by tcp.stream
};
[[nodiscard]] TcpCaptureAnalysis analyze_tcp(const std::vector<CapturedSegment>& segments);

}  // namespace wiresim::report
