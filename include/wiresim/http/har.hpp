#pragma once
/// HAR 1.2 (http://www.softwareishard.com/blog/har-12-spec/) from plain
/// structs the browser fills in. Keys come out in the spec's order;
/// durations are milliseconds with microsecond resolution (integer
/// nanoseconds in, truncated), -1 where a timing does not apply.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "wiresim/core/time.hpp"
#include "wiresim/http/headers.hpp"

namespace wiresim::http {

struct HarPage {
  std::string id;                       ///< "page_1": what entries' pageref names
  std::string title;
  std::int64_t started_unix_ns = 0;     ///< startedDateTime
  std::optional<Duration> on_content_load;  ///< since started; nullopt -> -1
  std::optional<Duration> on_load;          ///< since started; nullopt -> -1
};

struct HarRequest {
  std::string method = "GET";
  std::string url;                      ///< absolute; queryString is derived from it
  std::string http_version = "HTTP/1.1";
  Headers headers;
  std::int64_t headers_size = -1;       ///< bytes up to and including the empty line
  std::int64_t body_size = 0;
};

struct HarResponse {
  int status = 0;                       ///< 0 for a failed request
  std::string status_text;
  std::string http_version;
  Headers headers;
  std::int64_t content_size = 0;        ///< decoded body bytes
  std::string mime_type;                ///< the Content-Type value
  std::string redirect_url;             ///< the Location value, or ""
  std::int64_t headers_size = -1;
  std::int64_t body_size = -1;          ///< body bytes on the wire
};

/// Phases of one request (HAR "timings"); `ssl` is included in `connect`.
struct HarTimings {
  std::optional<Duration> blocked;  ///< queued waiting for a connection
  std::optional<Duration> dns;
  std::optional<Duration> connect;  ///< nullopt when an open connection was reused
  std::optional<Duration> ssl;
  Duration send;
  Duration wait;                    ///< request sent -> first response byte
  Duration receive;                 ///< first -> last response byte
};

struct HarEntry {
  std::string pageref;
  std::int64_t started_unix_ns = 0;
  HarRequest request;
  HarResponse response;
  HarTimings timings;
  std::string server_ip;            ///< serverIPAddress
  std::string connection;           ///< an id unique per TCP connection
  std::string error;                ///< non-empty: written as the custom field "_error"
};

struct HarLog {
  std::string creator_name = "wiresim";
  std::string creator_version;
  std::string browser_name;         ///< "browser" is written only if set
  std::string browser_version;
  std::vector<HarPage> pages;
  std::vector<HarEntry> entries;
};

/// The HAR document {"log": {...}}. An entry's "time" is the sum of its
/// timings other than ssl and the -1 ones.
[[nodiscard]] nlohmann::ordered_json to_json(const HarLog& log);
/// to_json() as text, indented by 2, ending in a newline; invalid UTF-8
/// in a string is replaced by U+FFFD.
[[nodiscard]] std::string to_har_text(const HarLog& log);

}  // namespace wiresim::http
