#pragma once
/// `wiresim diff A B`: two captures (real or simulated) side by side, as a
/// reader of a lab compares them: their TCP connections paired by order of
/// SYN (or by hand), a table of the features that tell TCP stacks and
/// browsers apart, and the first frame where the two diverge. The analysis
/// flags come from tcp_analysis (Wireshark's rules), like explain's.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "wiresim/report/run_folder.hpp"

namespace wiresim::report {

/// One HTTP response of a connection.
struct HttpObject {
  std::string path;          ///< of the request it answers ("/Myhead.jpg"); "?" if the request was not seen
  std::string status;        ///< "200 OK"
  std::size_t segments = 0;  ///< server segments carrying it, first transmissions only
  std::uint64_t bytes = 0;   ///< payload bytes of those segments
};

/// What diff compares of one TCP connection (a Wireshark stream).
struct ConnectionFeatures {
  std::size_t stream = 0;             ///< tcp.stream in its capture
  std::string client;                 ///< ip:port that sent the SYN
  std::string server;
  double syn_time_s = 0;              ///< since the capture's first SYN
  std::uint32_t syn_frame_len = 0;    ///< bytes on the wire; 0 if not captured
  std::uint32_t synack_frame_len = 0;
  std::uint32_t third_ack_frame_len = 0;
  std::string syn_options;            ///< option kinds in order: "MSS,SACK_PERM,TS,NOP,WS"
  std::string synack_options;
  std::uint32_t syn_window = 0;       ///< raw (SYNs are never scaled)
  std::uint32_t synack_window = 0;
  std::optional<std::uint8_t> client_wscale;  ///< shift; nullopt when the SYN has no WS option
  std::optional<std::uint8_t> server_wscale;
  std::uint64_t client_first_window = 0;  ///< of the third ACK, scaled (bytes)
  std::uint64_t client_max_window = 0;    ///< largest the client advertised, scaled
  std::uint64_t server_first_window = 0;  ///< of the server's first segment after its SYN-ACK, scaled
  std::optional<std::uint16_t> client_mss;
  std::optional<std::uint16_t> server_mss;
  std::uint32_t client_max_payload = 0;   ///< bytes
  std::uint32_t server_max_payload = 0;
  std::size_t server_data_segments = 0;   ///< with payload, first transmissions and resends
  std::size_t server_psh = 0;             ///< of those, with PSH
  std::size_t client_data_segments = 0;
  std::vector<HttpObject> objects;        ///< in order of response
  /// Client ACKs that acknowledged 1, 2 or more new server data segments.
  std::size_t acks_of_1 = 0;
  std::size_t acks_of_2 = 0;
  std::size_t acks_of_more = 0;
  std::size_t retransmissions = 0;        ///< frames Wireshark flags as any retransmission
  std::size_t fast_retransmissions = 0;
  std::vector<double> rto_s;              ///< for each plain (timer) retransmission: seconds since the first send
  std::string close_initiator;            ///< "client", "server" or "" (not closed in the capture)
  std::string close_kind;                 ///< "FIN" or "RST"; "" if not closed
  std::size_t close_segments = 0;         ///< frames from the first FIN/RST to the end
};

/// What diff compares of one capture.
struct CaptureFeatures {
  std::string name;                       ///< the file name
  std::vector<ConnectionFeatures> connections;  ///< in order of SYN (streams without one last)
  /// First SYN to the last byte of the last HTTP response (seconds); nullopt without HTTP.
  std::optional<double> page_load_s;
  std::size_t frames = 0;                 ///< TCP frames
};

/// Features of a capture file, or of a run folder's first capture.
/// Throws CaptureInputError for what is neither.
[[nodiscard]] CaptureFeatures capture_features(const std::filesystem::path& capture_or_run);
[[nodiscard]] CaptureFeatures features_of(const std::vector<CapturedSegment>& segments, const std::string& name);

/// Where A and B first differ, comparing paired connections frame by frame
/// (direction, flags, relative seq/ack, payload length, frame length).
struct Divergence {
  bool found = false;
  std::uint64_t frame_a = 0;  ///< 0 when A has no such frame (B has more)
  std::uint64_t frame_b = 0;
  std::size_t pair = 0;       ///< index into the pairs
  std::string how;            ///< "A: [PSH, ACK] Len=665 / B: [ACK] Len=1448 (flags, length)"
};

struct DiffResult {
  CaptureFeatures a;
  CaptureFeatures b;
  std::vector<std::pair<std::size_t, std::size_t>> pairs;  ///< (connection of A, connection of B), indices by SYN order
  Divergence first_divergence;
};

/// Pairs connection i of A with i of B unless `pairs` says otherwise.
/// Throws std::invalid_argument naming a pair that names no connection.
[[nodiscard]] DiffResult diff_captures(const std::filesystem::path& a, const std::filesystem::path& b,
                                       const std::vector<std::pair<std::size_t, std::size_t>>& pairs = {});

/// The side-by-side table for a terminal.
[[nodiscard]] std::string diff_text(const DiffResult& d);
/// The same as JSON, keys documented in README ("wiresim diff").
[[nodiscard]] std::string diff_json(const DiffResult& d);

}  // namespace wiresim::report
