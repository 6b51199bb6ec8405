#pragma once
/// The eleven connection states of RFC 9293 §3.3.2 and the transition
/// table of its state diagram (Figure 5). Segment processing and app calls
/// work out *what happened* (a TcpEvent); the table alone decides the next
/// state (DESIGN.md style note 3: actions first, then the transition).

#include <cstdint>
#include <optional>
#include <string_view>

namespace wiresim::tcp {

enum class TcpState : std::uint8_t {
  kClosed,
  kListen,
  kSynSent,
  kSynReceived,
  kEstablished,
  kFinWait1,
  kFinWait2,
  kCloseWait,
  kClosing,
  kLastAck,
  kTimeWait,
};
inline constexpr std::size_t kTcpStateCount = 11;

/// What moved the connection: the labels of the arrows of RFC 9293 Figure 5.
enum class TcpEvent : std::uint8_t {
  kAppListen,         ///< passive OPEN
  kAppConnect,        ///< active OPEN (or SEND in LISTEN): a SYN is sent
  kAppClose,          ///< CLOSE: no more data from us (a FIN is queued)
  kRcvSyn,            ///< a SYN without ACK (passive open, or simultaneous open)
  kRcvSynAck,         ///< a SYN,ACK acknowledging our SYN, in SYN-SENT
  kRcvAckOfSyn,       ///< the ACK of our SYN, in SYN-RECEIVED
  kRcvFin,            ///< the peer's FIN, in sequence; our FIN not (yet) acknowledged
  kRcvAckOfFin,       ///< the ACK of our FIN
  kRcvFinAckOfFin,    ///< the peer's FIN, in a segment that also acknowledges ours
  kRcvRst,            ///< an acceptable RST (RFC 5961 §3 exact match)
  kRcvRstPassive,     ///< as kRcvRst, for a connection that came from a passive OPEN
  kTimeWaitTimeout,   ///< 2*MSL passed in TIME-WAIT
  kAbort,             ///< ABORT by the app (an RST is sent where RFC 9293 §3.10.5 says so)
  kRetriesExhausted,  ///< the SYN / data retransmission limit, or the keep-alive probe limit, was reached
};
inline constexpr std::size_t kTcpEventCount = 14;

/// The RFC spelling: "CLOSED", "SYN-SENT", "FIN-WAIT-1", "TIME-WAIT", ...
std::string_view to_string(TcpState s);
/// The enumerator name without its k: "RcvSynAck", "AppClose", ...
std::string_view to_string(TcpEvent e);

/// The state `event` leads to from `state`, or nullopt when the diagram has
/// no such arrow (the event is impossible or ignored in that state).
[[nodiscard]] std::optional<TcpState> next_state(TcpState state, TcpEvent event);

/// Synchronized states (RFC 9293 §3.5.2): a SYN has been exchanged both
/// ways. SYN-RECEIVED is not among them.
[[nodiscard]] constexpr bool is_synchronized(TcpState s) {
  return s >= TcpState::kEstablished;
}

}  // namespace wiresim::tcp
