#include "wiresim/tcp/trace.hpp"

#include <fmt/format.h>

#include "wiresim/wire/tcp.hpp"

namespace wiresim::tcp {
std::string to_string(const Endpoint& e) { return fmt::format("{}:{}", e.addr.to_string(), e.port); }

std::string to_string(const FourTuple& t) {
  return fmt::format("{} > {}", to_string(t.local), to_string(t.remote));
}

std::string to_string(const TransitionCause& c) {
  switch (c.kind) {
    case TransitionCause::Kind::kSegment: return fmt::format("rcv [{}]", wire::flag_names(c.flags));
    case TransitionCause::Kind::kAppCall: return fmt::format("app {}", c.name);
    case TransitionCause::Kind::kTimer: return fmt::format("timer {}", c.name);
  }
  return "?";
}

std::string to_string(const RetransmitInfo& r) {
  switch (r.cause) {
    case RetransmitInfo::Cause::kTimeout: return fmt::format("{}RTO (backoff {})", r.syn ? "SYN " : "", r.backoff);
    case RetransmitInfo::Cause::kPeerSyn: return "SYN-ACK again for the peer's repeated SYN";
    case RetransmitInfo::Cause::kFast:
      return fmt::format("fast retransmission after {} dup ACK{}", r.dup_acks, r.dup_acks == 1 ? "" : "s");
    case RetransmitInfo::Cause::kPartialAck: return "NewReno partial ACK";
    case RetransmitInfo::Cause::kSack: return "SACK recovery";
    case RetransmitInfo::Cause::kRack: return "RACK: lost by time, SACK recovery";
    case RetransmitInfo::Cause::kTlp: return "tail loss probe";
  }
  return "?";
}

}  // namespace wiresim::tcp
