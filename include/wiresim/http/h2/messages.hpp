#pragma once
/// HTTP messages as HTTP/2 header lists (RFC 9113 §8.3): the request's
/// pseudo-header fields in Chromium's order, the fields of an HTTP/1.1
/// message lowercased and without the connection-specific ones
/// (RFC 9113 §8.2.2), and back.

#include <optional>
#include <string>

#include "wiresim/http/h2/session.hpp"
#include "wiresim/http/message.hpp"

namespace wiresim::http::h2 {

/// :method, :authority (the Host field), :scheme "http", :path: the order
/// Chromium writes them (spdy_http_utils.cc CreateSpdyHeadersFromHttpRequest:
/// "m,a,s,p"), then the other fields, names lowercased, in the request's
/// order, leaving out Host, Connection, Keep-Alive, Proxy-Connection,
/// Transfer-Encoding and Upgrade.
[[nodiscard]] HeaderList request_header_list(const Request& request);
/// :status, then the response's fields lowercased, without the
/// connection-specific ones (nginx's ngx_http_v2_header_filter writes
/// :status first and drops Connection).
[[nodiscard]] HeaderList response_header_list(const Response& response);

/// The request a received header list stands for (version kHttp2, Host
/// from :authority); nullopt and `error` if :method or :path is missing.
[[nodiscard]] std::optional<Request> request_from(const HeaderList& headers, std::string& error);
/// The response a received header list stands for (version kHttp2, the
/// status's reason phrase empty); nullopt and `error` if :status is
/// missing or not a three-digit number.
[[nodiscard]] std::optional<Response> response_from(const HeaderList& headers, std::string& error);

}  // namespace wiresim::http::h2
