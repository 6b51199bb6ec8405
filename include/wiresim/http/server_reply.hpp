#pragma once
/// What the server answers one request with: the pure decision, kept apart
/// from connections and time so it can be tested on its own (RFC 9110 §9.3.1
/// GET, §9.3.2 HEAD, §13 conditional requests, §15 status codes).

#include <string>
#include <string_view>

#include "wiresim/http/message.hpp"
#include "wiresim/http/parse_error.hpp"
#include "wiresim/http/server_config.hpp"
#include "wiresim/http/site.hpp"

namespace wiresim::http {

struct ServerReply {
  Response response;       ///< complete; a 200's body shares the site file's bytes
  bool head_only = false;  ///< answer to HEAD: send the head, never the body
  bool close = false;      ///< the connection closes after this response
};

/// The reply to `request` from `site`, with Date `date`:
/// GET/HEAD of a file: 200 with Content-Type, Content-Length, Last-Modified,
/// ETag, Server, Date; 304 when If-None-Match / If-Modified-Since say the
/// client's copy is current; 404 no such file, 403 a ".." path, 400 a bad
/// target; 405 with "Allow: GET, HEAD" for other methods.
/// The connection closes when the request asks it (Connection: close, or
/// HTTP/1.0 without keep-alive) or when config.keep_alive_timeout is zero;
/// the response then says "Connection: close". An HTTP/1.0 request that
/// asks for keep-alive gets "Connection: keep-alive".
[[nodiscard]] ServerReply reply_to(const Site& site, const HttpServerConfig& config, const Request& request,
                                   std::string_view date);

/// The reply to a request that could not be parsed: response_status(error)
/// with a small HTML page, "Connection: close" (RFC 9112 §9.6: the server
/// cannot find the next message), Server and Date.
[[nodiscard]] ServerReply reply_to_error(const HttpServerConfig& config, ParseError error, std::string_view date);

}  // namespace wiresim::http
