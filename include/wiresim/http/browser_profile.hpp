#pragma once
/// How a browser behaves, as named profiles whose every field can be
/// overridden: connections per server, keep-alive, pipelining, the
/// speculative preconnect, the favicon request, the order in which
/// background images are fetched, idle-socket timeouts, and the request
/// header fields it sends (which fields, in which order, with which values).
///
///   chrome  Chromium 156 (the reference captures, ../shared/reference/):
///           6 connections per server; one speculative preconnect opened
///           2-18 ms after the first SYN; subresources requested 12-18 ms
///           after the response that reveals them (renderer time), body
///           backgrounds 2-4 ms after the images (style and layout), so
///           the lab page goes html+jpg on connection 0, png on connection
///           1 (the idle preconnect); /favicon.ico 6-25 ms after the load
///           event; the browser exits 4-6 s after the load event and
///           closes every socket (client FIN first). The network thread
///           reads a socket 140-340 us after it becomes readable
///           (read_delay), so Linux sends stretch ACKs. A page with one
///           object leaves the preconnect idle until that exit: the lab's
///           "Chrome opened two connections, one carried no data".
///   curl    curl 7.88.1: a list of URLs, fetched in order on one
///           keep-alive connection, or with `parallel` each on its own
///           connection at once (--parallel --parallel-immediate, at most
///           6: --parallel-max); no HTML is read; it reads 16 KiB at a
///           time, 120-170 us after the data arrives; Host, User-Agent,
///           Accept: */*; closes its connections as it exits, when done.
///   ie      Internet Explorer 11 on Windows 10: one connection, IE's fields
///           in IE's order ("Host" near the end).
///   http10  An HTTP/1.0 browser: one connection per object (no keep-alive),
///           up to 4 at a time.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "wiresim/core/time.hpp"
#include "wiresim/http/delay_range.hpp"
#include "wiresim/http/headers.hpp"
#include "wiresim/http/message.hpp"
#include "wiresim/http/subresource.hpp"
#include "wiresim/http/url.hpp"
#include "wiresim/tcp/connection.hpp"

namespace wiresim::http {

/// The protocol a browser speaks to servers.
///  kHttp1  HTTP/1.1 (or 1.0, BrowserProfile::version), up to
///          max_connections connections per server.
///  kH2c    HTTP/2 over cleartext TCP with prior knowledge (RFC 9113 §3.3):
///          the connection preface first, no Upgrade, no TLS. One connection
///          per server (Chromium's SpdySessionPool shares one session per
///          origin), every request a stream on it. Real browsers speak
///          HTTP/2 only over TLS (ALPN "h2"); h2c keeps the comparison with
///          HTTP/1.1 about multiplexing alone, without TLS's extra round trip.
enum class Protocol { kHttp1, kH2c };

/// "h1" or "h2".
[[nodiscard]] std::string_view to_string(Protocol p);

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
  /// HTTP/1.x or HTTP/2 (h2c). With kH2c, max_connections, pipelining and
  /// the preconnect are not used: one connection per server.
  Protocol protocol = Protocol::kHttp1;
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
  /// From the page load's start to the preconnect's SYN: Chromium's
  /// LoadingPredictor asks for it from the browser's UI thread after the
  /// navigation has started its own connect job (PreconnectManager ->
  /// HttpStreamFactory::PreconnectStreams), so it trails the first SYN by
  /// a few ms of task scheduling (2-18 ms in the reference captures).
  DelayRange preconnect_delay{};
  /// Read the HTML and CSS of responses for subresources (false: fetch
  /// only the URLs given, as curl does).
  bool scan_subresources = true;
  /// Connection ready (established, or done with its previous response)
  /// to the request's bytes written: the network service's task hop from
  /// the socket pool handing out the socket to HttpStreamParser writing
  /// the request (Chromium: 0.25-1 ms; curl's multi loop: 0.1-0.5 ms).
  DelayRange request_delay{};
  /// A connect to the connect the client starts right after it, when it
  /// opens several connections for waiting requests at once: the client's
  /// own work per connection before its connect() call. curl --parallel
  /// takes each easy handle from INIT to its non-blocking connect() in turn
  /// within one curl_multi_perform pass (lib/multi.c multi_runsingle ->
  /// Curl_connect -> Curl_connecthost), so its SYNs leave 0.03-0.2 ms apart
  /// (the reference curl-par6 capture: 167 and 33 µs). Chromium: 0 (not
  /// measured: the reference Chromium captures open one connection and
  /// one preconnect, which has its own delay).
  DelayRange connect_delay{};
  /// The socket became readable (tcp_data_ready -> sk_data_ready wakes the
  /// thread in epoll_wait/poll) to the app's read(): the wakeup of the
  /// network thread and its way back to the socket. Until the read, the
  /// data waits in the receive queue and shrinks the window Linux would
  /// offer, so __tcp_ack_snd_check holds its ACK; the read's
  /// tcp_cleanup_rbuf sends it, one stretch ACK for what came meanwhile.
  /// Drawn once per wakeup; data arriving before the read joins it. Zero:
  /// the app reads as the data arrives. chrome [140us, 340us], curl
  /// [120us, 170us]: the first segment of a flight to the ACK its read
  /// sends, over every capture in ../shared/reference/ (Chromium 144-339
  /// us, curl 121-163 us).
  DelayRange read_delay{};
  /// Bytes one read() asks for; the client reads in such pieces until the
  /// socket is empty, and each piece is one tcp_recvmsg (its
  /// tcp_rcv_space_adjust and tcp_cleanup_rbuf). 0: all that is readable
  /// at once. curl: 16384, its default buffer (CURLOPT_BUFFERSIZE,
  /// CURL_MAX_WRITE_SIZE); Chromium reads into its response body pipe,
  /// far larger than a window (0).
  std::size_t read_size = 0;
  /// A response's last byte to the requests for what it reveals: the
  /// renderer parses the document (or stylesheet) and its preload scanner
  /// issues the fetches (Chromium: 12-18 ms for the lab page).
  DelayRange renderer_delay{};
  /// After the revealed images, the backgrounds that style resolution and
  /// layout find (<body background>, CSS url()): 2-4 ms more.
  DelayRange layout_delay{};
  /// From the load event to the /favicon.ico request (Chromium's
  /// FaviconDriver runs after DidFinishLoad: 6-25 ms).
  DelayRange favicon_delay{};
  /// The client exits this long after the last page's load event (or, if
  /// later, once that page has ended) and closes every connection it
  /// holds: FIN from the client. nullopt: it stays until idle timeouts or
  /// the server close them. Chromium in the captures: 4-6 s (the tab kept
  /// open, then the browser closed); curl: 0.1-0.2 ms (curl_easy_cleanup
  /// as the transfer ends).
  std::optional<DelayRange> close_after;
  /// On a server's FIN on an idle connection the client closes its end at
  /// once. false (Chromium): an idle socket is not watched; it is found
  /// closed and closed in turn only when reused, cleaned up or at exit
  /// (ClientSocketPool: IsConnectedAndIdle checks on use and cleanup).
  bool close_on_server_fin = true;
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
/// curl 7.88.1; `parallel`: --parallel --parallel-immediate --parallel-max 6.
[[nodiscard]] BrowserProfile curl_profile(bool parallel = false);
/// "chrome", "ie", "http10" or "curl"; nullopt for any other name.
[[nodiscard]] std::optional<BrowserProfile> browser_profile_by_name(std::string_view name);

/// Why `profile` cannot be used ("max_connections must be 1..256", an
/// unknown header name), or "" if it can.
[[nodiscard]] std::string validate(const BrowserProfile& profile);

/// The GET request `profile` sends for `url` with `destination`;
/// `referer` is the referring document or stylesheet, if any.
[[nodiscard]] Request make_browser_request(const BrowserProfile& profile, const Url& url,
                                           RequestDestination destination, const std::optional<Url>& referer);

}  // namespace wiresim::http
