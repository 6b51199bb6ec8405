// The transition table against RFC 9293 Figure 5, every (state, event) pair.

#include <catch2/catch.hpp>

#include <array>
#include <optional>

#include "wiresim/tcp/state.hpp"

namespace wiresim::tcp {
namespace {

using S = TcpState;
using E = TcpEvent;

constexpr std::array kStates{S::kClosed,    S::kListen,   S::kSynSent,   S::kSynReceived,
                             S::kEstablished, S::kFinWait1, S::kFinWait2, S::kCloseWait,
                             S::kClosing,   S::kLastAck,  S::kTimeWait};
constexpr std::array kEvents{E::kAppListen,   E::kAppConnect,      E::kAppClose,
                             E::kRcvSyn,      E::kRcvSynAck,       E::kRcvAckOfSyn,
                             E::kRcvFin,      E::kRcvAckOfFin,     E::kRcvFinAckOfFin,
                             E::kRcvRst,      E::kRcvRstPassive,   E::kTimeWaitTimeout,
                             E::kAbort,       E::kRetriesExhausted};

/// The expected table, written out row by row independently of the code.
std::optional<S> expected(S s, E e) {
  const bool dies = e == E::kRcvRst || e == E::kRcvRstPassive || e == E::kAbort ||
                    e == E::kRetriesExhausted;
  switch (s) {
    case S::kClosed:
      if (e == E::kAppListen) return S::kListen;
      if (e == E::kAppConnect) return S::kSynSent;
      return std::nullopt;
    case S::kListen:
      if (e == E::kRcvSyn) return S::kSynReceived;
      if (e == E::kAppConnect) return S::kSynSent;
      if (e == E::kAppClose || e == E::kAbort) return S::kClosed;
      return std::nullopt;
    case S::kSynSent:
      if (e == E::kRcvSynAck) return S::kEstablished;
      if (e == E::kRcvSyn) return S::kSynReceived;
      if (e == E::kAppClose || e == E::kRcvRst || e == E::kAbort || e == E::kRetriesExhausted) {
        return S::kClosed;
      }
      return std::nullopt;
    case S::kSynReceived:
      if (e == E::kRcvAckOfSyn) return S::kEstablished;
      if (e == E::kAppClose) return S::kFinWait1;
      if (e == E::kRcvFin) return S::kCloseWait;
      if (e == E::kRcvRstPassive) return S::kListen;
      if (e == E::kRcvRst || e == E::kAbort || e == E::kRetriesExhausted) return S::kClosed;
      return std::nullopt;
    case S::kEstablished:
      if (e == E::kAppClose) return S::kFinWait1;
      if (e == E::kRcvFin) return S::kCloseWait;
      return dies ? std::optional{S::kClosed} : std::nullopt;
    case S::kFinWait1:
      if (e == E::kRcvAckOfFin) return S::kFinWait2;
      if (e == E::kRcvFin) return S::kClosing;
      if (e == E::kRcvFinAckOfFin) return S::kTimeWait;
      return dies ? std::optional{S::kClosed} : std::nullopt;
    case S::kFinWait2:
      if (e == E::kRcvFin) return S::kTimeWait;
      return dies ? std::optional{S::kClosed} : std::nullopt;
    case S::kCloseWait:
      if (e == E::kAppClose) return S::kLastAck;
      return dies ? std::optional{S::kClosed} : std::nullopt;
    case S::kClosing:
      if (e == E::kRcvAckOfFin) return S::kTimeWait;
      return dies ? std::optional{S::kClosed} : std::nullopt;
    case S::kLastAck:
      if (e == E::kRcvAckOfFin) return S::kClosed;
      return dies ? std::optional{S::kClosed} : std::nullopt;
    case S::kTimeWait:
      if (e == E::kTimeWaitTimeout) return S::kClosed;
      if (e == E::kRcvRst || e == E::kRcvRstPassive || e == E::kAbort) return S::kClosed;
      return std::nullopt;
  }
  return std::nullopt;
}

TEST_CASE("state names are the RFC 9293 spellings", "[tcp][state]") {
  CHECK(to_string(S::kClosed) == "CLOSED");
  CHECK(to_string(S::kListen) == "LISTEN");
  CHECK(to_string(S::kSynSent) == "SYN-SENT");
  CHECK(to_string(S::kSynReceived) == "SYN-RECEIVED");
  CHECK(to_string(S::kEstablished) == "ESTABLISHED");
  CHECK(to_string(S::kFinWait1) == "FIN-WAIT-1");
  CHECK(to_string(S::kFinWait2) == "FIN-WAIT-2");
  CHECK(to_string(S::kCloseWait) == "CLOSE-WAIT");
  CHECK(to_string(S::kClosing) == "CLOSING");
  CHECK(to_string(S::kLastAck) == "LAST-ACK");
  CHECK(to_string(S::kTimeWait) == "TIME-WAIT");
  CHECK(to_string(E::kRcvFinAckOfFin) == "RcvFinAckOfFin");
}

TEST_CASE("transition table matches RFC 9293 Figure 5 for every state and event",
          "[tcp][state]") {
  static_assert(kStates.size() == kTcpStateCount);
  static_assert(kEvents.size() == kTcpEventCount);
  int arrows = 0;
  for (const S s : kStates) {
    for (const E e : kEvents) {
      INFO(to_string(s) << " + " << to_string(e));
      CHECK(next_state(s, e) == expected(s, e));
      if (expected(s, e)) ++arrows;
    }
  }
  CHECK(arrows == 56);
}

TEST_CASE("only ESTABLISHED and later are synchronized", "[tcp][state]") {
  CHECK_FALSE(is_synchronized(S::kSynReceived));
  CHECK_FALSE(is_synchronized(S::kSynSent));
  CHECK(is_synchronized(S::kEstablished));
  CHECK(is_synchronized(S::kTimeWait));
}

}  // namespace
}  // namespace wiresim::tcp
