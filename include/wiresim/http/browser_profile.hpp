#pragma once
/// How a browser behaves, as named profiles whose every field can be
/// overridden: connections per server, keep-alive, pipelining, the
/// speculative preconnect, the favicon request, the order in which
/// background images are fetched, idle-socket timeouts, and the request
/// header fields it sends (which fields, in which order, with which values).
///
///   chrome  Chrome 118 on Windows 10: 6 connections per server, one
///           speculative preconnect socket (which, for a page as small as
///           the lab's, stays unused and is later closed: the lab's "Chrome
///           opened two connections, one carried no data"), /favicon.ico
///           after the load event, Chrome's request header fields.
///   ie      Internet Explorer 11 on Windows 10: one connection, IE's fields
///           in IE's order ("Host" near the end).
///   http10  An HTTP/1.0 browser: one connection per object (no keep-alive),
///           up to 4 at a time.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "wiresim/core/time.hpp"
#include "wiresim/http/headers.hpp"
#include "wiresim/http/message.hpp"
#include "wiresim/http/subresource.hpp"
#include "wiresim/http/url.hpp"
#include "wiresim/tcp/connection.hpp"

namespace wiresim::http {

/// What a request is for (the Fetch standard's "destination"): decides the
/// Accept field.
enum class RequestDestination { kDocument, kStyle, kScript, kImage };

/// The destination of a subresource of `kind`.
[[nodiscard]] RequestDestination destination_of(ResourceKind kind);

struct BrowserProfile {
  static constexpr int kMaxConnectionsLimit = 256;
  static constexpr int kMaxPipelining = 64;

  std::string name;
  /// Version of the request line. HTTP/1.0 implies no keep-alive.
  Version version = Version::kHttp11;
  /// Reuse connections for several requests (persistent connections).
  bool keep_alive = true;
  /// Connections per server (host and port) at a time, 1..256.
  int max_connections = 6;
  /// Requests in flight on one connection (HTTP/1.1 pipelining, RFC 9112
  /// §9.3.2), 0..64; 0 and 1 mean no pipelining. A request is pipelined
  /// only when no idle connection is left and no new one may be opened.
  int pipelining = 0;
  /// Disable Nagle's algorithm on the browser's sockets (Chromium sets TCP_NODELAY).
  bool tcp_nodelay = false;
  /// Extra connections opened with the first request of a page load to a
  /// server with no connection yet (Chrome's preconnect predictor); they
  /// take requests like any other or stay unused.
  int preconnect = 0;
  /// After the load event, GET /favicon.ico from the page's server unless
  /// the page named an icon (<link rel=icon>).
  bool request_favicon = false;
  /// <body background> and CSS url() images are fetched after style
  /// resolution, i.e. once the document and its stylesheets are complete;
  /// with this set, only once every <img> found so far has loaded as well.
  /// (For the lab page this keeps every request on the first connection,
  /// and the preconnect socket unused. Without it the background goes on
  /// the second connection while the logo loads, as in the lab's capture.)
  bool backgrounds_wait_for_images = false;
  /// A connection that never carried a request is closed by the browser
  /// after idling this long (Chromium: 10 s).
  Duration unused_idle_timeout = Duration::seconds(10);
  /// A connection that carried requests is closed after idling this long
  /// (Chromium: 300 s). Usually the server's keep-alive timeout is shorter.
  Duration used_idle_timeout = Duration::seconds(300);
  /// TCP keep-alive on the browser's sockets (nullopt: off). Chromium turns
  /// it on with 45 s idle and 45 s between probes; the number of probes is
  /// the OS's (9 here, Linux's default). It is what ends a wait for a
  /// response from a server that has dropped the connection silently.
  std::optional<tcp::KeepAlive> tcp_keepalive;

  /// The request header fields, in the order sent, by name. Values:
  /// "Host" url.authority(); "Connection" connection_value; "User-Agent";
  /// "Accept" by destination; "Referer" the referring document or
  /// stylesheet; "Accept-Encoding"; "Accept-Language";
  /// "Upgrade-Insecure-Requests" "1" on documents when
  /// upgrade_insecure_requests. A field whose value is empty is left out;
  /// any other name is an error (validate()).
  std::vector<std::string> header_order;
  std::string connection_value;  ///< "keep-alive", "Keep-Alive", or "" (no field)
  std::string user_agent;
  std::string accept_document;
  std::string accept_style;
  std::string accept_script;
  std::string accept_image;
  std::string accept_encoding;
  std::string accept_language;
  bool upgrade_insecure_requests = false;
  /// Appended after the fields above, in order.
  Headers extra_headers;

  /// Requests in flight a connection may have: max(1, pipelining), 1 without keep-alive.
  [[nodiscard]] int pipeline_depth() const;
};

[[nodiscard]] BrowserProfile chrome_profile();
[[nodiscard]] BrowserProfile ie_profile();
[[nodiscard]] BrowserProfile http10_profile();
/// "chrome", "ie" or "http10"; nullopt for any other name.
[[nodiscard]] std::optional<BrowserProfile> browser_profile_by_name(std::string_view name);

/// Why `profile` cannot be used ("max_connections must be 1..256", an
/// unknown header name), or "" if it can.
[[nodiscard]] std::string validate(const BrowserProfile& profile);

/// The GET request `profile` sends for `url` with `destination`;
/// `referer` is the referring document or stylesheet, if any.
[[nodiscard]] Request make_browser_request(const BrowserProfile& profile, const Url& url,
                                           RequestDestination destination, const std::optional<Url>& referer);

}  // namespace wiresim::http
