#include "wiresim/http/framing.hpp"

#include <algorithm>
#include <limits>
#include <optional>
#include <vector>

#include "wiresim/http/syntax.hpp"

namespace wiresim::http {
namespace {

using Kind = BodyFraming::Kind;

/// 1*DIGIT as a number, saturating at the largest uint64; nullopt if not digits.
std::optional<std::uint64_t> parse_decimal(std::string_view s) {
  if (s.empty() || !std::all_of(s.begin(), s.end(), is_digit)) return std::nullopt;
  constexpr std::uint64_t kMax = std::numeric_limits<std::uint64_t>::max();
  std::uint64_t n = 0;
  for (const char c : s) {
    const auto digit = static_cast<std::uint64_t>(c - '0');
    if (n > (kMax - digit) / 10) return kMax;
    n = n * 10 + digit;
  }
  return n;
}

/// The transfer codings of a message that has a Transfer-Encoding field
/// (RFC 9112 §6.1), checked for the rules shared by requests and responses.
Result<std::vector<std::string_view>> transfer_codings(Version version, const Headers& headers,
                                                      const std::string& combined) {
  if (version == Version::kHttp10) return ParseError::kBadTransferEncoding;
  if (headers.contains("Content-Length")) return ParseError::kLengthAndTransferEncoding;
  std::vector<std::string_view> codings = split_list(combined);
  const auto chunked = std::count_if(codings.begin(), codings.end(),
                                     [](std::string_view c) { return iequals(c, "chunked"); });
  // RFC 9112 §7: chunked is applied at most once, and last.
  if (codings.empty() || chunked > 1 || (chunked == 1 && !iequals(codings.back(), "chunked"))) {
    return ParseError::kBadTransferEncoding;
  }
  return codings;
}

bool has_no_body(int status, std::string_view request_method) {
  // RFC 9112 §6.3 rules 1 and 2.
  return request_method == "HEAD" || (status >= 100 && status < 200) || status == 204 || status == 304 ||
         (request_method == "CONNECT" && status >= 200 && status < 300);
}

}  // namespace

Result<BodyFraming> content_length_framing(const Headers& headers) {
  std::optional<std::uint64_t> length;
  for (const HeaderField& f : headers) {
    if (!iequals(f.name, "Content-Length")) continue;
    bool any = false;
    std::optional<ParseError> error;
    for_each_list_element(f.value, [&](std::string_view element) {
      any = true;
      const std::optional<std::uint64_t> n = parse_decimal(element);
      if (!n) {
        error = ParseError::kBadContentLength;
      } else if (length && *length != *n) {
        error = ParseError::kConflictingContentLength;
      } else {
        length = n;
      }
      return !error;
    });
    if (error) return *error;
    if (!any) return ParseError::kBadContentLength;
  }
  if (!length) return BodyFraming{};
  return BodyFraming{Kind::kLength, *length};
}

Result<BodyFraming> request_framing(Version version, const Headers& headers) {
  const std::optional<std::string> te = headers.combined("Transfer-Encoding");
  if (!te) return content_length_framing(headers);
  Result<std::vector<std::string_view>> codings = transfer_codings(version, headers, *te);
  if (!codings) return codings.error();
  // RFC 9112 §6.3 rule 4: a request whose final coding is not chunked is 400.
  if (!iequals(codings.value().back(), "chunked")) return ParseError::kBadTransferEncoding;
  if (codings.value().size() > 1) return ParseError::kUnsupportedTransferEncoding;
  return BodyFraming{Kind::kChunked, 0};
}

Result<BodyFraming> response_framing(Version version, int status, std::string_view request_method,
                                     const Headers& headers) {
  if (has_no_body(status, request_method)) return BodyFraming{};
  const std::optional<std::string> te = headers.combined("Transfer-Encoding");
  if (!te) {
    Result<BodyFraming> length = content_length_framing(headers);
    if (length && length.value().kind == Kind::kNone) return BodyFraming{Kind::kUntilClose, 0};
    return length;
  }
  Result<std::vector<std::string_view>> codings = transfer_codings(version, headers, *te);
  if (!codings) return codings.error();
  if (iequals(codings.value().back(), "chunked")) return BodyFraming{Kind::kChunked, 0};
  return BodyFraming{Kind::kUntilClose, 0};  // RFC 9112 §6.3 rule 4
}

}  // namespace wiresim::http
