#include "wiresim/tcp/trace.hpp"

#include <fmt/format.h>

namespace wiresim::tcp {
namespace {

constexpr const char* kFlagNames[8] = {"FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR"};

}  // namespace

std::string to_string(const Endpoint& e) { return fmt::format("{}:{}", e.addr.to_string(), e.port); }

std::string to_string(const FourTuple& t) {
  return fmt::format("{} > {}", to_string(t.local), to_string(t.remote));
}

std::string to_string(const TransitionCause& c) {
  switch (c.kind) {
    case TransitionCause::Kind::kSegment: {
      std::string flags;
      for (unsigned bit = 0; bit < 8; ++bit) {
        if ((c.flags & (1U << bit)) == 0) continue;
        if (!flags.empty()) flags += ", ";
        flags += kFlagNames[bit];
      }
      return fmt::format("rcv [{}]", flags);
    }
    case TransitionCause::Kind::kAppCall: return fmt::format("app {}", c.name);
    case TransitionCause::Kind::kTimer: return fmt::format("timer {}", c.name);
  }
  return "?";
}

}  // namespace wiresim::tcp
