#pragma once
/// What a browser measured: per object, per connection and per page load,
/// as plain data, and the HAR 1.2 log built from it.
///
/// Times are simulated (since t=0). An object's phases, each optional
/// because a failed object may stop anywhere:
///   queued -> [connect_start -> connect_end] -> request_sent -> first_byte -> last_byte
/// connect_* are set only for the first request of a connection that was
/// still being opened when the request was queued.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "wiresim/core/time.hpp"
#include "wiresim/http/body.hpp"
#include "wiresim/http/har.hpp"
#include "wiresim/http/headers.hpp"
#include "wiresim/http/message.hpp"
#include "wiresim/http/subresource.hpp"

namespace wiresim::http {

/// One object of a page: its document, a subresource, or the favicon.
struct ObjectResult {
  std::string url;                     ///< absolute
  std::optional<ResourceKind> kind;    ///< nullopt for the page's document
  Request request;                     ///< as sent (no body)
  std::size_t request_head_size = 0;   ///< bytes of the request on the wire
  std::string server;                  ///< "10.0.0.2:80"; "" if the host could not be resolved

  Time discovered{};                   ///< found in the HTML/CSS (the document: the load's start)
  std::optional<Time> queued;          ///< waiting for a connection from here
  std::optional<Time> connect_start;
  std::optional<Time> connect_end;
  std::optional<Time> request_sent;    ///< handed to TCP
  std::optional<Time> first_byte;      ///< of the response
  std::optional<Time> last_byte;
  std::optional<Time> end;             ///< last_byte, or when it failed
  std::uint64_t connection = 0;        ///< ConnectionRecord::id it used (the last try); 0 none
  std::uint16_t local_port = 0;        ///< that connection's local port
  int attempts = 0;                    ///< requests sent (a retry on a new connection adds one)

  int status = 0;                      ///< 0 when no response arrived
  std::string reason;
  Version response_version = Version::kHttp11;
  Headers response_headers;
  std::size_t response_head_size = 0;  ///< status line and fields, bytes
  std::uint64_t body_wire_size = 0;    ///< body bytes as framed on the wire
  std::uint64_t body_size = 0;         ///< decoded body bytes
  std::uint64_t body_hash = 0;         ///< body_digest() (XXH3-64) of the decoded body
  Body body;                           ///< the body, when the browser keeps bodies
  std::string content_type;            ///< the Content-Type value, or ""

  std::string error;                   ///< non-empty: the object failed (no usable response)

  [[nodiscard]] bool complete() const { return end.has_value(); }
  [[nodiscard]] bool ok() const { return complete() && error.empty(); }
  [[nodiscard]] bool is_document() const { return !kind.has_value(); }
};

/// One TCP connection a browser opened.
struct ConnectionRecord {
  std::uint64_t id = 0;              ///< 1, 2, ... per browser, in opening order
  std::string server;                ///< "10.0.0.2:80"
  std::uint16_t local_port = 0;
  bool preconnect = false;           ///< opened speculatively, not for a waiting request
  std::uint32_t page = 0;            ///< the page load (1-based) that opened it
  Time opened{};                     ///< SYN sent
  std::optional<Time> established;
  std::optional<Time> released;      ///< the browser closed it, or it failed
  bool closed_by_server = false;     ///< the server's FIN came first
  std::uint32_t requests = 0;        ///< requests sent on it
  std::uint32_t responses = 0;       ///< complete responses received
  std::uint64_t bytes_sent = 0;      ///< HTTP bytes
  std::uint64_t bytes_received = 0;  ///< HTTP bytes
  std::string error;                 ///< why it failed, if it did

  /// Carried no HTTP at all (e.g. an unused preconnect).
  [[nodiscard]] bool carried_data() const { return bytes_sent > 0 || bytes_received > 0; }
};

/// One load of a page and everything it pulled in.
struct PageLoadResult {
  std::uint32_t index = 0;            ///< 1-based
  std::string url;
  Time start{};
  std::optional<Time> first_byte;     ///< first response byte of the document
  std::optional<Time> html_complete;  ///< the document's last byte (onContentLoad)
  std::optional<Time> onload;         ///< every object but the favicon done (onLoad)
  std::optional<Time> end;            ///< every object done, the favicon too
  std::uint32_t connections_opened = 0;
  std::uint64_t bytes_received = 0;   ///< HTTP bytes of every response (heads and framed bodies)
  std::vector<ObjectResult> objects;  ///< the document first, then in order of discovery
  /// Non-empty: the load failed: the document or some object failed, or the
  /// document's status was not 2xx (a 404 page is not the page).
  std::string error;

  [[nodiscard]] bool complete() const { return end.has_value(); }
  [[nodiscard]] bool ok() const { return complete() && error.empty(); }
  [[nodiscard]] std::size_t failed_objects() const;
  [[nodiscard]] std::optional<Duration> time_to_first_byte() const;
  /// start -> onload: the page load time of a load that ended without an
  /// error; nullopt for one still running or failed (a failed load has no
  /// page load time: its error is what it has).
  [[nodiscard]] std::optional<Duration> page_load_time() const;
  /// The HTTP status of the document's response; 0 if none arrived.
  [[nodiscard]] int document_status() const { return objects.empty() ? 0 : objects.front().status; }
  /// The object fetched from `url`, or nullptr.
  [[nodiscard]] const ObjectResult* find(std::string_view object_url) const;
};

/// Who made the log: HAR's creator and browser, and the Unix time of t=0.
struct HarSource {
  std::int64_t start_unix_ns = 0;
  std::string creator_version;
  std::string browser_name;
  std::string browser_version;
};

/// The HAR phases of one object: blocked (queued, waiting for a
/// connection), connect, send (0: handing bytes to TCP takes no time),
/// wait, receive. They add up to end - queued.
[[nodiscard]] HarTimings har_timings(const ObjectResult& object);
/// A HAR log with one page per load (id "page_<index>") and one entry per
/// object that was queued.
[[nodiscard]] HarLog to_har(const std::vector<PageLoadResult>& pages, const HarSource& source);

}  // namespace wiresim::http
