#pragma once
/// Why bytes were rejected as an HTTP/1.1 message, and a minimal Result<T>.
/// Every malformed input maps to one of these; the server answers with
/// `response_status(e)` and closes, the browser records a failed object.

#include "wiresim/core/result.hpp"

namespace wiresim::http {

enum class ParseError {
  kBadRequestLine,      ///< not "method SP request-target SP HTTP-version" (RFC 9112 §3)
  kBadStatusLine,       ///< not "HTTP-version SP 3DIGIT [SP reason]" (RFC 9112 §4)
  kBadVersion,          ///< HTTP-version malformed (RFC 9112 §2.3)
  kUnsupportedVersion,  ///< well-formed version with a major other than 1
  kStartLineTooLong,    ///< request/status line over ParserLimits::max_start_line
  kBadHost,             ///< HTTP/1.1 request without exactly one Host field (RFC 9112 §3.2)
  kBadHeader,           ///< field line malformed: no colon, space before it, bad name/value bytes (RFC 9112 §5)
  kObsFold,             ///< obsolete line folding (RFC 9112 §5.2)
  kHeaderLineTooLong,   ///< one field line over ParserLimits::max_header_line
  kTooManyHeaders,      ///< more than ParserLimits::max_header_count field lines
  kHeadersTooLarge,     ///< field section over ParserLimits::max_header_bytes
  kBadContentLength,    ///< Content-Length not 1*DIGIT (RFC 9110 §8.6)
  kConflictingContentLength,    ///< several different Content-Length values (RFC 9112 §6.3 rule 5)
  kBadTransferEncoding,         ///< chunked not last or twice, empty, or on HTTP/1.0 (RFC 9112 §6.1)
  kUnsupportedTransferEncoding, ///< a request transfer coding other than chunked (RFC 9112 §6.1: 501)
  kLengthAndTransferEncoding,   ///< both Content-Length and Transfer-Encoding (RFC 9112 §6.3 rule 3)
  kBadChunkSize,        ///< chunk-size line: no hex digits, overflow, bad extension or too long (RFC 9112 §7.1)
  kBadChunk,            ///< chunk data not followed by CRLF (RFC 9112 §7.1)
  kBodyTooLarge,        ///< body over ParserLimits::max_body
  kIncomplete,          ///< the connection closed inside a message (RFC 9112 §8)
};

/// A short human-readable reason, e.g. "obsolete line folding in a field line".
[[nodiscard]] const char* to_string(ParseError e);

/// The status a server answers a request that failed with `e`: 400, or
/// 414, 431, 413, 501, 505 where RFC 9110 §15 has a more specific one.
[[nodiscard]] int response_status(ParseError e);

/// Either a T or the ParseError that prevented it.
template <class T>
using Result = wiresim::Result<T, ParseError>;

}  // namespace wiresim::http
