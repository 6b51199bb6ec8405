#pragma once
/// What an HttpServer is told (plain data) and what it counts.

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>

#include "wiresim/core/time.hpp"
#include "wiresim/http/parser_limits.hpp"

namespace wiresim::http {

struct HttpServerConfig {
  std::uint16_t port = 80;
  /// The Server field of every response (RFC 9110 §10.2.4); the lab's IIS by default.
  std::string server_name = "Microsoft-IIS/10.0";
  /// A connection with no request in progress and every response written
  /// to the socket is closed by the server (its FIN first) after this long.
  /// Zero: every response says "Connection: close" and the server closes
  /// after it.
  Duration keep_alive_timeout = Duration::seconds(5);
  /// Time from a request's arrival (or the end of the previous response on
  /// its connection, whichever is later) to its response. Requests of one
  /// connection are processed one at a time, in order.
  Duration processing_delay{};
  /// Unix time of simulated t=0 in nanoseconds: the Date field's origin.
  std::int64_t start_unix_ns = 0;
  /// Disable Nagle's algorithm on accepted connections (TCP_NODELAY, as
  /// nginx does on keep-alive connections), so the last small segment of a
  /// response never waits for the client's delayed ACK.
  bool tcp_nodelay = true;
  /// Connections that may wait in the accept queue (TcpStack::listen).
  std::size_t backlog = 128;
  ParserLimits limits{};
};

/// Counters of one server, over all its connections.
struct HttpServerStats {
  std::uint64_t connections_accepted = 0;
  std::uint64_t requests = 0;            ///< complete requests parsed
  std::uint64_t parse_errors = 0;        ///< connections ended by a malformed request
  std::map<int, std::uint64_t> responses_by_status;  ///< status -> responses sent
  std::uint64_t bytes_sent = 0;          ///< response bytes written (heads and bodies), queued for TCP
  std::uint64_t body_bytes_sent = 0;     ///< of which body bytes
  std::uint64_t keep_alive_timeouts = 0; ///< idle connections the server closed
  std::uint64_t connections_reset = 0;   ///< connections that ended with a TCP error

  /// Responses sent with `status`.
  [[nodiscard]] std::uint64_t responses(int status) const {
    const auto it = responses_by_status.find(status);
    return it == responses_by_status.end() ? 0 : it->second;
  }
};

}  // namespace wiresim::http
