#pragma once
/// The data behind the report's pictures, as plain values: a page load's
/// waterfall and one connection's time-sequence (Stevens) graph with its
/// congestion window. Times are milliseconds of simulated time.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace wiresim::report {

/// One object of a page load, as a browser's network panel shows it.
struct WaterfallObject {
  std::string url;
  std::uint64_t connection = 0;   ///< the browser's connection id (1, 2, ...); 0 none
  int status = 0;                 ///< HTTP status; 0 when no response arrived
  std::uint64_t bytes = 0;        ///< decoded body bytes
  std::optional<double> queued_ms;
  std::optional<double> connect_start_ms;
  std::optional<double> connect_end_ms;
  std::optional<double> request_ms;
  std::optional<double> first_byte_ms;
  std::optional<double> last_byte_ms;
  std::string error;
};

/// The first page load of one run.
struct Waterfall {
  std::size_t combination = 0;
  std::uint64_t seed = 0;
  std::string browser;              ///< the app's name
  std::optional<double> page_load_ms;  ///< empty for a failed load (see `error`)
  std::string error;                   ///< the page load's error; empty if it succeeded
  std::uint32_t connections = 0;    ///< opened by this load
  std::vector<WaterfallObject> objects;
};

/// A data segment seen at the capture point, sequence numbers relative to
/// the sender's ISN (Wireshark's "relative sequence numbers").
struct SequencePoint {
  double t_ms = 0;
  std::uint64_t seq = 0;      ///< first byte
  std::uint64_t end = 0;      ///< one past the last byte
  bool resent = false;        ///< covers bytes seen before, or the sender's trace says it resent it
  /// Why the sender resent it: the reason of the last tcp-retransmits.csv
  /// row for this sequence number sent no later than the capture saw it
  /// ("RTO (backoff 1)", "SACK recovery", ...); "" when it is no resend or
  /// the run has no such trace.
  std::string cause;
};

/// A SACK block of an ACK, relative sequence numbers [left, right) (RFC 2018 §3).
struct SackRange {
  std::uint64_t left = 0;
  std::uint64_t right = 0;
};

/// A SYN or SYN-ACK of the connection, either direction: a lost one costs
/// a whole initial RTO (1 s, RFC 6298 §2.1) before any data flows.
struct HandshakePoint {
  double t_ms = 0;
  bool from_sender = false;  ///< sent by the data's sender (else by the receiver)
  bool ack = false;          ///< a SYN-ACK
  /// The reason in tcp-retransmits.csv when this one was sent again
  /// ("SYN RTO (backoff 1)", ...); "" for a first transmission.
  std::string cause;
};

/// An ACK from the receiver: the acknowledged edge and the window's right edge.
struct AckPoint {
  double t_ms = 0;
  std::uint64_t ack = 0;
  std::uint64_t window_edge = 0;
  /// Wireshark's tcp.analysis.duplicate_ack (report/tcp_analysis.hpp).
  bool dup_ack = false;
  std::vector<SackRange> sack;  ///< the SACK blocks it carries, in option order
};

struct CwndPoint {
  double t_ms = 0;
  std::uint64_t cwnd = 0;               ///< bytes
  std::optional<std::uint64_t> ssthresh;  ///< bytes; empty while unset
  std::optional<double> srtt_ms;          ///< the sender's smoothed RTT (RFC 6298 §2); empty before a sample
  std::optional<double> rto_ms;           ///< its retransmission timeout; empty in older traces
};

/// One direction of one connection, seen at one capture point.
struct TimeSequence {
  std::string run;          ///< which run (label)
  std::string capture;      ///< capture file name
  std::string sender;       ///< "10.0.0.2:80"
  std::string receiver;     ///< "10.0.0.1:49152"
  double begin_ms = 0;       ///< the graphs' time window: the connection's first segment ...
  double end_ms = 0;         ///< ... to a little after its last data segment
  std::vector<SequencePoint> data;
  std::vector<AckPoint> acks;
  std::vector<HandshakePoint> handshake;  ///< its SYNs and SYN-ACKs as captured
  std::vector<CwndPoint> cwnd;  ///< the sender's, from tcp-cwnd.csv (may be empty)
};

}  // namespace wiresim::report
