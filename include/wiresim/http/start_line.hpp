#pragma once
/// The first line of a message: request-line (RFC 9112 §3) and status-line
/// (RFC 9112 §4). Lines arrive without their CRLF.

#include <string>
#include <string_view>

#include "wiresim/http/message.hpp"
#include "wiresim/http/parse_error.hpp"

namespace wiresim::http {

struct RequestLine {
  std::string method;
  std::string target;
  Version version = Version::kHttp11;
};

struct StatusLine {
  Version version = Version::kHttp11;
  int status = 0;
  std::string reason;
};

/// HTTP-version = "HTTP/" DIGIT "." DIGIT (RFC 9112 §2.3), case-sensitive.
/// Major 1 only (kUnsupportedVersion otherwise); minor 0 is HTTP/1.0, any
/// other minor is read as HTTP/1.1.
Result<Version> parse_version(std::string_view text);

/// method SP request-target SP HTTP-version, single spaces, method a token,
/// target of visible ASCII only (RFC 9112 §3, §3.2).
Result<RequestLine> parse_request_line(std::string_view line);

/// HTTP-version SP status-code [SP reason-phrase], status 100-599
/// (RFC 9112 §4, RFC 9110 §15). A missing SP after the code is tolerated.
Result<StatusLine> parse_status_line(std::string_view line);

}  // namespace wiresim::http
