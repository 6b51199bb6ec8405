#pragma once
/// Conditional GET/HEAD (RFC 9110 §13): whether a cached copy the client
/// names is still current, so the server can answer 304.

#include <cstdint>
#include <string_view>

#include "wiresim/http/headers.hpp"

namespace wiresim::http {

/// True if a GET or HEAD with `request_headers` for a representation with
/// strong entity-tag `etag` (quoted, e.g. "\"a1b2\"") last modified at
/// `last_modified` (Unix seconds) is answered 304 Not Modified:
/// If-None-Match, when present, decides with weak comparison (§13.1.2);
/// otherwise a valid If-Modified-Since not earlier than last_modified does
/// (§13.1.3, precedence §13.2.2).
[[nodiscard]] bool is_not_modified(const Headers& request_headers, std::string_view etag,
                                   std::int64_t last_modified);

}  // namespace wiresim::http
