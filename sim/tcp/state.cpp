#include "wiresim/tcp/state.hpp"

#include <array>

namespace wiresim::tcp {
namespace {

using S = TcpState;
using E = TcpEvent;

/// One arrow of RFC 9293 Figure 5 (plus the RST, abort and timeout exits of
/// §3.10.4, §3.10.7.4 and §3.8.3 that the figure leaves out).
struct Arrow {
  S from;
  E event;
  S to;
};

constexpr std::array kArrows{
    Arrow{S::kClosed, E::kAppListen, S::kListen},
    Arrow{S::kClosed, E::kAppConnect, S::kSynSent},

    Arrow{S::kListen, E::kRcvSyn, S::kSynReceived},
    Arrow{S::kListen, E::kAppConnect, S::kSynSent},
    Arrow{S::kListen, E::kAppClose, S::kClosed},
    Arrow{S::kListen, E::kAbort, S::kClosed},

    Arrow{S::kSynSent, E::kRcvSynAck, S::kEstablished},
    Arrow{S::kSynSent, E::kRcvSyn, S::kSynReceived},  // simultaneous open
    Arrow{S::kSynSent, E::kAppClose, S::kClosed},
    Arrow{S::kSynSent, E::kRcvRst, S::kClosed},
    Arrow{S::kSynSent, E::kAbort, S::kClosed},
    Arrow{S::kSynSent, E::kRetriesExhausted, S::kClosed},

    Arrow{S::kSynReceived, E::kRcvAckOfSyn, S::kEstablished},
    Arrow{S::kSynReceived, E::kAppClose, S::kFinWait1},
    Arrow{S::kSynReceived, E::kRcvFin, S::kCloseWait},
    Arrow{S::kSynReceived, E::kRcvRstPassive, S::kListen},
    Arrow{S::kSynReceived, E::kRcvRst, S::kClosed},
    Arrow{S::kSynReceived, E::kAbort, S::kClosed},
    Arrow{S::kSynReceived, E::kRetriesExhausted, S::kClosed},

    Arrow{S::kEstablished, E::kAppClose, S::kFinWait1},
    Arrow{S::kEstablished, E::kRcvFin, S::kCloseWait},

    Arrow{S::kFinWait1, E::kRcvAckOfFin, S::kFinWait2},
    Arrow{S::kFinWait1, E::kRcvFin, S::kClosing},  // simultaneous close
    Arrow{S::kFinWait1, E::kRcvFinAckOfFin, S::kTimeWait},

    Arrow{S::kFinWait2, E::kRcvFin, S::kTimeWait},

    Arrow{S::kCloseWait, E::kAppClose, S::kLastAck},

    Arrow{S::kClosing, E::kRcvAckOfFin, S::kTimeWait},

    Arrow{S::kLastAck, E::kRcvAckOfFin, S::kClosed},

    Arrow{S::kTimeWait, E::kTimeWaitTimeout, S::kClosed},
};

/// Exits every synchronized state shares (RFC 9293 §3.10.7.4 second step,
/// §3.10.5 ABORT, §3.8.3 R2): RST, abort and give-up all lead to CLOSED.
constexpr bool is_common_exit(S s, E e) {
  if (!is_synchronized(s)) return false;
  return e == E::kRcvRst || e == E::kRcvRstPassive || e == E::kAbort ||
         (e == E::kRetriesExhausted && s != S::kTimeWait);
}

}  // namespace

std::string_view to_string(TcpState s) {
  switch (s) {
    case S::kClosed: return "CLOSED";
    case S::kListen: return "LISTEN";
    case S::kSynSent: return "SYN-SENT";
    case S::kSynReceived: return "SYN-RECEIVED";
    case S::kEstablished: return "ESTABLISHED";
    case S::kFinWait1: return "FIN-WAIT-1";
    case S::kFinWait2: return "FIN-WAIT-2";
    case S::kCloseWait: return "CLOSE-WAIT";
    case S::kClosing: return "CLOSING";
    case S::kLastAck: return "LAST-ACK";
    case S::kTimeWait: return "TIME-WAIT";
  }
  return "?";
}

std::string_view to_string(TcpEvent e) {
  switch (e) {
    case E::kAppListen: return "AppListen";
    case E::kAppConnect: return "AppConnect";
    case E::kAppClose: return "AppClose";
    case E::kRcvSyn: return "RcvSyn";
    case E::kRcvSynAck: return "RcvSynAck";
    case E::kRcvAckOfSyn: return "RcvAckOfSyn";
    case E::kRcvFin: return "RcvFin";
    case E::kRcvAckOfFin: return "RcvAckOfFin";
    case E::kRcvFinAckOfFin: return "RcvFinAckOfFin";
    case E::kRcvRst: return "RcvRst";
    case E::kRcvRstPassive: return "RcvRstPassive";
    case E::kTimeWaitTimeout: return "TimeWaitTimeout";
    case E::kAbort: return "Abort";
    case E::kRetriesExhausted: return "RetriesExhausted";
  }
  return "?";
}

std::optional<TcpState> next_state(TcpState state, TcpEvent event) {
  for (const Arrow& a : kArrows) {
    if (a.from == state && a.event == event) return a.to;
  }
  if (is_common_exit(state, event)) return S::kClosed;
  return std::nullopt;
}

}  // namespace wiresim::tcp
