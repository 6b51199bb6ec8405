#include "wiresim/http/uri_reference.hpp"

#include <algorithm>

#include "wiresim/http/syntax.hpp"

namespace wiresim::http {
namespace {

bool is_scheme(std::string_view s) {
  if (s.empty() || !is_alpha(s.front())) return false;
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return is_alpha(c) || is_digit(c) || c == '+' || c == '-' || c == '.'; });
}

/// Removes the last segment and its preceding "/" (if any) from `output`
/// (RFC 3986 §5.2.4 step 2C).
void drop_last_segment(std::string& output) {
  const std::size_t slash = output.rfind('/');
  output.erase(slash == std::string::npos ? 0 : slash);
}

/// Merges a relative-path reference with the base path (RFC 3986 §5.2.3).
std::string merge(const UriReference& base, std::string_view ref_path) {
  if (base.authority && base.path.empty()) return "/" + std::string(ref_path);
  const std::size_t slash = base.path.rfind('/');
  if (slash == std::string::npos) return std::string(ref_path);
  return base.path.substr(0, slash + 1) + std::string(ref_path);
}

}  // namespace

UriReference UriReference::split(std::string_view text) {
  // ^(([^:/?#]+):)?(//([^/?#]*))?([^?#]*)(\?([^#]*))?(#(.*))?
  UriReference r;
  if (const std::size_t hash = text.find('#'); hash != std::string_view::npos) {
    r.fragment = std::string(text.substr(hash + 1));
    text = text.substr(0, hash);
  }
  if (const std::size_t q = text.find('?'); q != std::string_view::npos) {
    r.query = std::string(text.substr(q + 1));
    text = text.substr(0, q);
  }
  if (const std::size_t colon = text.find(':');
      colon != std::string_view::npos && is_scheme(text.substr(0, colon)) &&
      text.substr(0, colon).find('/') == std::string_view::npos) {
    r.scheme = std::string(text.substr(0, colon));
    text.remove_prefix(colon + 1);
  }
  if (text.substr(0, 2) == "//") {
    text.remove_prefix(2);
    const std::size_t slash = std::min(text.find('/'), text.size());
    r.authority = std::string(text.substr(0, slash));
    text.remove_prefix(slash);
  }
  r.path = std::string(text);
  return r;
}

std::string UriReference::to_string() const {
  std::string out;
  if (scheme) out += *scheme + ":";
  if (authority) out += "//" + *authority;
  out += path;
  if (query) out += "?" + *query;
  if (fragment) out += "#" + *fragment;
  return out;
}

UriReference UriReference::resolve(const UriReference& ref) const {
  UriReference t;
  t.fragment = ref.fragment;
  if (ref.scheme) {
    t.scheme = ref.scheme;
    t.authority = ref.authority;
    t.path = remove_dot_segments(ref.path);
    t.query = ref.query;
    return t;
  }
  t.scheme = scheme;
  if (ref.authority) {
    t.authority = ref.authority;
    t.path = remove_dot_segments(ref.path);
    t.query = ref.query;
    return t;
  }
  t.authority = authority;
  if (ref.path.empty()) {
    t.path = path;
    t.query = ref.query ? ref.query : query;
    return t;
  }
  t.path = remove_dot_segments(ref.path.front() == '/' ? ref.path : merge(*this, ref.path));
  t.query = ref.query;
  return t;
}

std::string remove_dot_segments(std::string_view path) {
  std::string in(path);
  std::string out;
  std::string_view input = in;
  while (!input.empty()) {
    if (input.substr(0, 3) == "../") {  // A
      input.remove_prefix(3);
    } else if (input.substr(0, 2) == "./") {
      input.remove_prefix(2);
    } else if (input.substr(0, 3) == "/./") {  // B
      input.remove_prefix(2);
    } else if (input == "/.") {
      input = "/";
    } else if (input.substr(0, 4) == "/../") {  // C
      input.remove_prefix(3);
      drop_last_segment(out);
    } else if (input == "/..") {
      input = "/";
      drop_last_segment(out);
    } else if (input == "." || input == "..") {  // D
      input = {};
    } else {  // E: move the first segment, with its leading "/", to the output
      const std::size_t next = std::min(input.find('/', 1), input.size());
      out += input.substr(0, next);
      input.remove_prefix(next);
    }
  }
  return out;
}

std::string resolve_reference(std::string_view base, std::string_view ref) {
  return UriReference::split(base).resolve(UriReference::split(ref)).to_string();
}

}  // namespace wiresim::http
