#pragma once
/// How the end of a message body is found: RFC 9112 §6.3 "Message Body
/// Length", decided from the start line and the header fields.

#include <cstdint>
#include <string_view>

#include "wiresim/http/headers.hpp"
#include "wiresim/http/message.hpp"
#include "wiresim/http/parse_error.hpp"

namespace wiresim::http {

struct BodyFraming {
  enum class Kind {
    kNone,        ///< no body (HEAD, 1xx/204/304, or a request with neither field)
    kLength,      ///< exactly `length` bytes (Content-Length)
    kChunked,     ///< chunked transfer coding (RFC 9112 §7.1)
    kUntilClose,  ///< a response read until the connection closes
  };
  Kind kind = Kind::kNone;
  std::uint64_t length = 0;  ///< kLength only

  bool operator==(const BodyFraming&) const = default;
};

/// Framing of a request (RFC 9112 §6.3 rules 3-7). A transfer coding
/// other than a single "chunked" is refused.
Result<BodyFraming> request_framing(Version version, const Headers& headers);

/// Framing of a response with `status` to a request with `request_method`
/// (RFC 9112 §6.3 rules 1-8). A final "chunked" is decoded; other codings
/// stay in the body bytes.
Result<BodyFraming> response_framing(Version version, int status, std::string_view request_method,
                                     const Headers& headers);

/// kLength from the Content-Length of `headers` (RFC 9110 §8.6), kNone if
/// there is none. Several fields or list elements must all be equal; values
/// too large for 64 bits saturate (and so exceed any body limit).
Result<BodyFraming> content_length_framing(const Headers& headers);

}  // namespace wiresim::http
