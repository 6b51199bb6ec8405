#pragma once
/// Serialises messages (RFC 9112 §2.1): start line, the fields in the
/// order given, CRLF line ends, then the body as is. Nothing is added or
/// checked; the make_* helpers build the usual messages with the framing
/// fields filled in.

#include <string>
#include <string_view>

#include "wiresim/http/body.hpp"
#include "wiresim/http/headers.hpp"
#include "wiresim/http/message.hpp"
#include "wiresim/http/url.hpp"

namespace wiresim::http {

/// Request-line and header section, up to and including the empty line.
[[nodiscard]] std::string serialize_head(const Request& request);
/// serialize_head() followed by the body.
[[nodiscard]] std::string serialize(const Request& request);
/// Status-line and header section, up to and including the empty line.
/// A response to HEAD is sent as just this.
[[nodiscard]] std::string serialize_head(const Response& response);
/// serialize_head() followed by the body. A server sending a large shared
/// body can send serialize_head() and then response.body.view() instead.
[[nodiscard]] std::string serialize(const Response& response);

/// The reason phrase RFC 9110 §15 gives `status` ("OK", "Not Found"), or
/// "" for codes it does not define.
[[nodiscard]] std::string_view reason_phrase(int status);

/// `method` for url.target() over HTTP/1.1: "Host: url.authority()" first
/// (RFC 9110 §7.2), then `extra` in order.
[[nodiscard]] Request make_request(std::string method, const Url& url, const Headers& extra = {});
[[nodiscard]] inline Request make_get(const Url& url, const Headers& extra = {}) {
  return make_request("GET", url, extra);
}

/// HTTP/1.1 `status` with its reason phrase, "Content-Type" and
/// "Content-Length" for `body`, then `extra`. For a HEAD request send only
/// serialize_head() of it: the same fields, no body (RFC 9110 §9.3.2).
[[nodiscard]] Response make_response(int status, std::string_view content_type, Body body,
                                     const Headers& extra = {});
/// A small HTML page "<status> <reason>" as the body of make_response().
[[nodiscard]] Response make_error_response(int status, const Headers& extra = {});
/// 304 Not Modified with just `extra` (e.g. ETag, Date): no body, no
/// Content-Length (RFC 9110 §15.4.5).
[[nodiscard]] Response make_not_modified(const Headers& extra = {});

}  // namespace wiresim::http
