#pragma once
/// Observability as a side channel (DESIGN.md core rules): a TcpObserver
/// sees every state transition with its cause, congestion-state changes and
/// each connection's final counters. Observers only read; with none
/// attached nothing simulated changes.

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "wiresim/core/time.hpp"
#include "wiresim/tcp/state.hpp"
#include "wiresim/wire/address.hpp"

namespace wiresim::tcp {

/// One end of a connection: an IPv4 address and a port.
struct Endpoint {
  wire::Ipv4Address addr{};
  std::uint16_t port = 0;
  auto operator<=>(const Endpoint&) const = default;
};

/// The 4-tuple naming a connection, as its own host sees it.
struct FourTuple {
  Endpoint local{};
  Endpoint remote{};
  auto operator<=>(const FourTuple&) const = default;
};

/// "10.0.0.1:80".
std::string to_string(const Endpoint& e);
/// "10.0.0.1:49152 > 10.0.0.2:80".
std::string to_string(const FourTuple& t);

/// Why a transition happened: a received segment, an app call or a timer.
struct TransitionCause {
  enum class Kind : std::uint8_t { kSegment, kAppCall, kTimer };
  Kind kind = Kind::kAppCall;
  std::uint8_t flags = 0;        ///< kSegment: the segment's wire::TcpFlag bits
  std::uint64_t packet_uid = 0;  ///< kSegment: uid of its packet (0 when none, e.g. unit tests)
  /// kAppCall: "connect", "listen", "send", "read", "shutdown", "close", "abort";
  /// kTimer: "rto", "time-wait", ... Always a string literal.
  std::string_view name;

  static TransitionCause segment(std::uint8_t flags, std::uint64_t uid) {
    return {Kind::kSegment, flags, uid, {}};
  }
  static TransitionCause app(std::string_view call) { return {Kind::kAppCall, 0, 0, call}; }
  static TransitionCause timer(std::string_view timer) { return {Kind::kTimer, 0, 0, timer}; }
};

/// "rcv [SYN, ACK] #17", "app close", "timer rto".
std::string to_string(const TransitionCause& c);

/// Per-connection counters. Segments and bytes count TCP segments and their
/// payload bytes (headers excluded); retransmissions are split by what
/// triggered them.
struct ConnectionCounters {
  std::uint64_t segments_sent = 0;
  std::uint64_t bytes_sent = 0;             ///< payload bytes, retransmissions included
  std::uint64_t segments_received = 0;
  std::uint64_t bytes_received = 0;         ///< payload bytes, duplicates included
  std::uint64_t retransmits_timeout = 0;    ///< segments resent after an RTO (go-back-N)
  std::uint64_t retransmits_fast = 0;       ///< fast retransmit and NewReno partial-ACK resends
  std::uint64_t retransmits_sack = 0;       ///< RFC 6675 NextSeg() resends; RACK-marked resends
  std::uint64_t retransmits_tlp = 0;        ///< tail loss probes that resent the last segment (RFC 8985 §7.3)
  std::uint64_t loss_probes = 0;            ///< tail loss probes sent, new data or resent (RFC 8985 §7)
  std::uint64_t undos = 0;                  ///< cwnd reductions undone as spurious (F-RTO, DSACK, Eifel)
  std::uint64_t retransmitted_bytes = 0;    ///< payload bytes of all retransmissions
  std::uint64_t window_probes = 0;          ///< zero-window probes (RFC 9293 §3.8.6.1)
  std::uint64_t keepalive_probes = 0;       ///< keep-alive probes (RFC 1122 §4.2.3.6)
  std::uint64_t dup_acks_received = 0;      ///< duplicate ACKs (RFC 5681 §2, RFC 6675 §2)
  std::uint64_t rto_expiries = 0;           ///< retransmission timer expiries
  std::uint64_t fast_recoveries = 0;        ///< recovery episodes entered
  std::uint64_t bad_segments = 0;           ///< dropped as unacceptable (RFC 9293 §3.10.7.4 first)
  std::uint64_t ce_received = 0;            ///< data segments that arrived marked CE (RFC 3168 §6.1.3)
  std::uint64_t ecn_reductions = 0;         ///< cwnd reductions in answer to ECE (RFC 3168 §6.1.2)
  bool operator==(const ConnectionCounters&) const = default;
};

/// The congestion state an observer is told about when any field changes.
struct CongestionSnapshot {
  std::uint32_t cwnd = 0;      ///< bytes
  std::uint32_t ssthresh = 0;  ///< bytes; 0xffffffff = not yet set
  std::optional<Duration> srtt;
  Duration rto{};
  bool operator==(const CongestionSnapshot&) const = default;
};

/// A segment sent again, and why (the sender's own reason, which a capture
/// can only guess at): for traces and capture comments.
struct RetransmitInfo {
  enum class Cause : std::uint8_t {
    kTimeout,     ///< the retransmission timer (RFC 6298 §5.4), or go-back-N after it
    kFast,        ///< fast retransmit on duplicate ACKs (RFC 5681 §3.2, RFC 6675 §5 step 4)
    kPartialAck,  ///< NewReno's resend of the next hole on a partial ACK (RFC 6582 §3.2 step 5)
    kSack,        ///< SACK loss recovery, NextSeg() (RFC 6675 §5)
    kPeerSyn,     ///< a SYN-ACK again because the peer sent its SYN again (Linux tcp_check_req)
    kRack,        ///< marked lost by RACK's time test (RFC 8985 §6.2), resent in SACK recovery
    kTlp,         ///< a tail loss probe that resent the last segment (RFC 8985 §7.3)
  };
  Cause cause = Cause::kTimeout;
  std::uint32_t seq = 0;        ///< absolute sequence number of its first byte (the SYN's for a SYN)
  std::uint32_t len = 0;        ///< payload bytes
  std::uint32_t backoff = 0;    ///< kTimeout: RTO doublings so far (1 after the first expiry)
  std::uint32_t dup_acks = 0;   ///< kFast: duplicate ACKs counted when it fired
  std::uint32_t cwnd = 0;       ///< bytes, after the loss reaction
  std::uint32_t ssthresh = 0;   ///< bytes; 0xffffffff = not yet set
  bool syn = false;             ///< a SYN or SYN-ACK (no congestion state yet)
};

/// "RTO (backoff 2)", "fast retransmission after 3 dup ACKs",
/// "NewReno partial ACK", "SACK recovery", "SYN RTO (backoff 1)",
/// "SYN-ACK again for the peer's repeated SYN".
std::string to_string(const RetransmitInfo& r);

class TcpObserver {
 public:
  virtual ~TcpObserver() = default;

  /// The connection `conn` moved `from` -> `to` at `now`.
  virtual void on_transition(Time /*now*/, const FourTuple& /*conn*/, TcpState /*from*/,
                             TcpState /*to*/, const TransitionCause& /*cause*/) {}
  /// cwnd, ssthresh, srtt or rto changed (reported once per event, after it).
  virtual void on_congestion(Time /*now*/, const FourTuple& /*conn*/,
                             const CongestionSnapshot& /*s*/) {}
  /// The connection is about to send a segment again, for the reason `r`.
  virtual void on_retransmit(Time /*now*/, const FourTuple& /*conn*/, const RetransmitInfo& /*r*/) {}
  /// The connection is being removed from its stack; `c` is final.
  virtual void on_counters(Time /*now*/, const FourTuple& /*conn*/,
                           const ConnectionCounters& /*c*/) {}

 protected:
  TcpObserver() = default;
  TcpObserver(const TcpObserver&) = default;
  TcpObserver& operator=(const TcpObserver&) = default;
};

}  // namespace wiresim::tcp
