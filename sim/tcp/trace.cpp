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

}  // namespace wiresim::tcp
