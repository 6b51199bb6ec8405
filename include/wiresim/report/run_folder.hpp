#pragma once
/// Reading a run's output folder back (what `wiresim run` wrote): the
/// summary, the TCP segments of a capture, and the TCP state and cwnd
/// traces. For `wiresim explain` and the compare report's time-sequence
/// graph; strict, not fast: a malformed file raises std::runtime_error
/// naming the file and what was wrong.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "wiresim/capture/direction.hpp"
#include "wiresim/report/figures.hpp"

namespace wiresim::report {

/// One TCP segment as captured.
struct CapturedSegment {
  std::uint64_t frame = 0;         ///< 1-based frame number in the capture (Wireshark's)
  std::int64_t timestamp_ns = 0;   ///< Unix time
  capture::Direction direction = capture::Direction::kUnknown;
  std::uint32_t frame_len = 0;     ///< bytes on the wire
  std::string src;                 ///< "10.0.0.1:49152"
  std::string dst;
  std::uint32_t seq = 0;           ///< absolute
  std::uint32_t ack = 0;
  std::uint8_t flags = 0;          ///< wire::TcpFlag bits
  std::uint16_t window = 0;        ///< raw field
  std::optional<std::uint16_t> mss;
  std::optional<std::uint8_t> window_scale;
  bool sack_permitted = false;
  std::uint8_t sack_blocks = 0;
  /// The SACK blocks, absolute sequence numbers [left, right), in option order.
  std::vector<std::pair<std::uint32_t, std::uint32_t>> sack;
  std::uint32_t payload_len = 0;
  std::string first_line;          ///< the payload's first line if it starts like HTTP ("GET / HTTP/1.1")
  /// The HTTP/2 frames that start in this segment (http2_frames.hpp), "" if none.
  std::string http2;
  std::string comment;             ///< the pcapng frame comment, "" if none
  bool push = false;               ///< PSH (also in flags; for readability of callers)
  std::uint8_t ttl = 0;            ///< IPv4 TTL
  bool dont_fragment = false;      ///< IPv4 DF
  std::vector<std::uint8_t> option_kinds;  ///< TCP option kinds in header order (1 = NOP, 2 = MSS, ...)
};

/// Thrown when a file is not a capture wiresim can read (not pcap/pcapng,
/// truncated, or no TCP/IPv4 frame at all): `explain` and `diff` exit 2.
class CaptureInputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};
/// read_tcp_segments, but a file that is not a readable capture, or holds
/// no TCP segment, raises CaptureInputError with a sentence a user understands.
[[nodiscard]] std::vector<CapturedSegment> read_capture_for_analysis(const std::filesystem::path& capture_file);

/// The TCP/IPv4/Ethernet frames of a capture file (pcap or pcapng), in
/// order; other frames are skipped but keep their numbers.
[[nodiscard]] std::vector<CapturedSegment> read_tcp_segments(const std::filesystem::path& capture_file);

/// "[SYN, ACK]" as Wireshark writes flag sets.
[[nodiscard]] std::string flags_text(std::uint8_t flags);

/// One row of tcp-states.csv.
struct StateRow {
  std::int64_t time_ns = 0;  ///< simulated
  std::string time_s;        ///< as written
  std::string node;
  std::string local;
  std::string remote;
  std::string from;
  std::string to;
  std::string cause;
  std::uint64_t frame = 0;   ///< 0 when the row names none
  std::string capture;       ///< the capture point `frame` counts in ("" = the node's own)
};
[[nodiscard]] std::vector<StateRow> read_state_trace(const std::filesystem::path& csv);

/// One row of tcp-cwnd.csv.
struct CwndRow {
  std::int64_t time_ns = 0;
  std::string node;
  std::string local;
  std::string remote;
  std::uint64_t cwnd = 0;
  std::optional<std::uint64_t> ssthresh;
  std::optional<double> srtt_ms;  ///< empty before the first RTT sample
  std::optional<double> rto_ms;   ///< empty in traces written before the column existed
};
[[nodiscard]] std::vector<CwndRow> read_cwnd_trace(const std::filesystem::path& csv);

/// One row of tcp-retransmits.csv: a segment a host sent again, and why.
struct RetransmitRow {
  std::int64_t time_ns = 0;  ///< simulated
  std::string node;
  std::string local;
  std::string remote;
  std::uint32_t seq = 0;     ///< absolute sequence number of its first byte (or SYN/FIN)
  std::uint32_t len = 0;     ///< payload bytes
  std::string reason;        ///< "RTO (backoff 2)", "fast retransmission after 3 dup ACKs", "SACK recovery"
  std::optional<std::uint64_t> cwnd;      ///< none for a SYN (no congestion state yet)
  std::optional<std::uint64_t> ssthresh;
};
[[nodiscard]] std::vector<RetransmitRow> read_retransmit_trace(const std::filesystem::path& csv);

/// What a run folder holds, from its summary.json.
struct RunFolder {
  std::filesystem::path dir;
  std::string scenario;
  std::int64_t start_unix_ns = 0;  ///< capture timestamp of simulated t=0
  struct Capture {
    std::string name;
    std::string node;  ///< the node captured, "" for a link capture
    std::string file;
  };
  std::vector<Capture> captures;
};
/// Reads `dir`/summary.json. Throws std::runtime_error if it is missing or malformed.
[[nodiscard]] RunFolder open_run_folder(const std::filesystem::path& dir);

/// Whether a tcp-states.csv row's frame number counts in capture `cap` of `run`.
[[nodiscard]] bool row_frame_in(const StateRow& row, const RunFolder& run, const RunFolder::Capture& cap);

/// The Unix time (ns) of simulated t=0 for `cap`: the run's start_unix_ns,
/// or, for folders written before summary.json carried it, derived from the
/// first tcp-states.csv row that names a frame of `cap` (0 if none does).
[[nodiscard]] std::int64_t capture_origin_ns(const RunFolder& run, const RunFolder::Capture& cap,
                                             const std::vector<CapturedSegment>& segments,
                                             const std::vector<StateRow>& rows);

/// The busiest data direction of the connection carrying the most payload
/// in `capture` of `run`, as a time-sequence graph with the sender's cwnd
/// (when tcp-cwnd.csv exists). Empty when the capture has no data segment.
[[nodiscard]] std::optional<TimeSequence> busiest_time_sequence(const RunFolder& run, const RunFolder::Capture& capture);

}  // namespace wiresim::report
