#include "wiresim/http/parse_error.hpp"

namespace wiresim::http {

const char* to_string(ParseError e) {
  switch (e) {
    case ParseError::kBadRequestLine: return "malformed request line";
    case ParseError::kBadStatusLine: return "malformed status line";
    case ParseError::kBadVersion: return "malformed HTTP version";
    case ParseError::kUnsupportedVersion: return "unsupported HTTP major version";
    case ParseError::kStartLineTooLong: return "request or status line too long";
    case ParseError::kBadHost: return "HTTP/1.1 request without exactly one Host field";
    case ParseError::kBadHeader: return "malformed header field line";
    case ParseError::kObsFold: return "obsolete line folding in a field line";
    case ParseError::kHeaderLineTooLong: return "header field line too long";
    case ParseError::kTooManyHeaders: return "too many header fields";
    case ParseError::kHeadersTooLarge: return "header section too large";
    case ParseError::kBadContentLength: return "malformed Content-Length";
    case ParseError::kConflictingContentLength: return "conflicting Content-Length values";
    case ParseError::kBadTransferEncoding: return "invalid Transfer-Encoding";
    case ParseError::kUnsupportedTransferEncoding: return "unsupported transfer coding";
    case ParseError::kLengthAndTransferEncoding: return "both Content-Length and Transfer-Encoding";
    case ParseError::kBadChunkSize: return "malformed chunk size line";
    case ParseError::kBadChunk: return "chunk data not followed by CRLF";
    case ParseError::kBodyTooLarge: return "message body too large";
    case ParseError::kIncomplete: return "connection closed before the message was complete";
  }
  return "unknown HTTP parse error";
}

int response_status(ParseError e) {
  switch (e) {
    case ParseError::kStartLineTooLong: return 414;  // RFC 9112 §3
    case ParseError::kHeaderLineTooLong:
    case ParseError::kTooManyHeaders:
    case ParseError::kHeadersTooLarge: return 431;  // RFC 6585 §5
    case ParseError::kBodyTooLarge: return 413;     // RFC 9110 §15.5.14
    case ParseError::kUnsupportedTransferEncoding: return 501;  // RFC 9112 §6.1
    case ParseError::kUnsupportedVersion: return 505;           // RFC 9110 §15.6.6
    default: return 400;
  }
}

}  // namespace wiresim::http
