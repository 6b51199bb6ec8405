#pragma once
/// HTTP/1.1 messages as plain structs (RFC 9110 §6, RFC 9112 §3/§4). The
/// parser fills them; the writer serialises them exactly as they are: it
/// adds no fields of its own.

#include <string>
#include <string_view>

#include "wiresim/http/body.hpp"
#include "wiresim/http/headers.hpp"

namespace wiresim::http {

/// The protocol versions wiresim speaks. A received HTTP/1.x with x > 1 is
/// read as HTTP/1.1 (RFC 9110 §6.2: same major version, compatible).
/// kHttp2 marks a message carried in HTTP/2 frames (http/h2/): it is never
/// written or parsed as a start line.
enum class Version { kHttp10, kHttp11, kHttp2 };

/// "HTTP/1.0", "HTTP/1.1" or "HTTP/2.0" (HAR's name for HTTP/2).
[[nodiscard]] std::string_view to_string(Version v);

struct Request {
  std::string method = "GET";
  /// As sent on the request line: origin-form "/path?query" normally.
  std::string target = "/";
  Version version = Version::kHttp11;
  Headers headers;
  Body body;

  bool operator==(const Request&) const = default;
};

struct Response {
  Version version = Version::kHttp11;
  int status = 200;
  std::string reason = "OK";
  Headers headers;
  Body body;

  bool operator==(const Response&) const = default;
};

/// True if the sender of `headers` with `version` wants the connection
/// closed after this message (RFC 9112 §9.3): "Connection: close", or
/// HTTP/1.0 without "Connection: keep-alive".
[[nodiscard]] bool wants_close(Version version, const Headers& headers);
[[nodiscard]] inline bool wants_close(const Request& r) { return wants_close(r.version, r.headers); }
[[nodiscard]] inline bool wants_close(const Response& r) { return wants_close(r.version, r.headers); }

}  // namespace wiresim::http
