#pragma once
/// What an HttpServer is told (plain data) and what it counts, and the
/// server software it behaves as (profiles: iis_server(), nginx_server()).

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "wiresim/core/time.hpp"
#include "wiresim/http/delay_range.hpp"
#include "wiresim/http/parser_limits.hpp"

namespace wiresim::http {

/// Which server's response layout (header fields, their order, error
/// pages) a server writes.
enum class ServerSoftware {
  /// IIS 10 (http.sys): Content-Type, Content-Length, Last-Modified, ETag,
  /// Server, Date; no Connection field on HTTP/1.1 keep-alive responses;
  /// small HTML error pages.
  kIis,
  /// nginx 1.22 (ngx_http_header_filter_module.c): Server, Date,
  /// Content-Type, Content-Length, Last-Modified, Connection, ETag
  /// ("mtime-size" in hex), Accept-Ranges; its own error pages
  /// (ngx_http_special_response.c) with the "msie_padding" comment lines
  /// for MSIE and Chrome clients.
  kNginx,
};

struct HttpServerConfig {
  std::uint16_t port = 80;
  ServerSoftware software = ServerSoftware::kIis;
  /// The Server field of every response (RFC 9110 §10.2.4); the lab's IIS by default.
  std::string server_name = "Microsoft-IIS/10.0";
  /// A connection with no request in progress and every response written
  /// to the socket is closed by the server (its FIN first) after this long.
  /// Zero: every response says "Connection: close" and the server closes
  /// after it.
  Duration keep_alive_timeout = Duration::seconds(5);
  /// The server's response latency: from a request's arrival (or the end
  /// of the previous response on its connection, whichever is later) to
  /// its response, drawn per request from the server's seeded stream.
  /// Requests of one connection are processed one at a time, in order.
  DelayRange processing_delay{};
  /// Unix time of simulated t=0 in nanoseconds: the Date field's origin.
  std::int64_t start_unix_ns = 0;
  /// Disable Nagle's algorithm on accepted connections (TCP_NODELAY, as
  /// nginx does on keep-alive connections), so the last small segment of a
  /// response never waits for the client's delayed ACK.
  bool tcp_nodelay = true;
  /// nginx's `sendfile on; tcp_nopush on;`: a file is sent under TCP_CORK
  /// (ngx_linux_sendfile_chain sets it before the head), so only full
  /// segments leave until the response is written; then the connection
  /// uncorks when it goes idle (ngx_http_set_keepalive: ngx_tcp_push), or
  /// closes with the cork on, and the FIN rides on the last data segment.
  bool tcp_nopush = false;
  /// Also speak HTTP/2 with prior knowledge (h2c, RFC 9113 §3.3) on the
  /// port: a connection whose first bytes are the HTTP/2 connection
  /// preface is served by h2::ServerConnection, any other as HTTP/1.1.
  bool h2c = false;
  /// Connections that may wait in the accept queue (TcpStack::listen).
  std::size_t backlog = 128;
  ParserLimits limits{};
};

/// IIS 10 as in the lab: 120 s idle timeout (IIS's connectionTimeout
/// default; the lab's server closed after 5 s, scenarios set that), a
/// response latency of 0.2-0.5 ms.
[[nodiscard]] HttpServerConfig iis_server();
/// nginx 1.22.1 as in ../shared/reference/nginx.conf: keepalive_timeout
/// 65 s (nginx's default), sendfile + tcp_nopush + tcp_nodelay, a response
/// latency of 150-250 µs (an epoll wake-up, the request parsed, open() and
/// sendfile(): the reference captures show 167 µs between the server's ACK
/// of a GET and its response).
[[nodiscard]] HttpServerConfig nginx_server();
/// "iis" or "nginx"; nullopt for any other name.
[[nodiscard]] std::optional<HttpServerConfig> server_profile_by_name(std::string_view name);

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
