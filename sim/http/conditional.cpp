#include "wiresim/http/conditional.hpp"

#include <optional>

#include "wiresim/http/date.hpp"
#include "wiresim/http/syntax.hpp"

namespace wiresim::http {
namespace {

/// The opaque-tag of an entity-tag, without any W/ prefix (RFC 9110 §8.8.3).
std::string_view opaque_tag(std::string_view tag) { return tag.substr(0, 2) == "W/" ? tag.substr(2) : tag; }

/// If-None-Match = "*" / #entity-tag; entity-tags are quoted and may
/// contain commas, so the list is walked by quotes, not split on commas.
bool none_match_hits(std::string_view value, std::string_view etag) {
  if (trim_ows(value) == "*") return true;
  const std::string_view wanted = opaque_tag(etag);
  while (true) {
    const std::size_t open = value.find('"');
    if (open == std::string_view::npos) return false;
    const std::size_t close = value.find('"', open + 1);
    if (close == std::string_view::npos) return false;
    if (value.substr(open, close - open + 1) == wanted) return true;
    value.remove_prefix(close + 1);
  }
}

}  // namespace

bool is_not_modified(const Headers& request_headers, std::string_view etag, std::int64_t last_modified) {
  if (const std::optional<std::string> inm = request_headers.combined("If-None-Match")) {
    return none_match_hits(*inm, etag);
  }
  const std::optional<std::string_view> ims = request_headers.get("If-Modified-Since");
  if (!ims) return false;
  const std::optional<std::int64_t> since = parse_http_date(*ims);
  return since && last_modified <= *since;
}

}  // namespace wiresim::http
