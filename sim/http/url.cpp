#include "wiresim/http/url.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "wiresim/http/syntax.hpp"
#include "wiresim/http/uri_reference.hpp"

namespace wiresim::http {
namespace {

bool is_unreserved(char c) { return is_alpha(c) || is_digit(c) || c == '-' || c == '.' || c == '_' || c == '~'; }

bool is_sub_delim(char c) { return std::string_view{"!$&'()*+,;="}.find(c) != std::string_view::npos; }

/// pchar minus pct-encoded, plus "/" (and "?" in a query) (RFC 3986 §3.3, §3.4).
bool is_allowed(char c, bool query) {
  return is_unreserved(c) || is_sub_delim(c) || c == ':' || c == '@' || c == '/' || (query && c == '?');
}

void append_pct(std::string& out, unsigned char byte) { out += fmt::format("%{:02X}", byte); }

/// dec-octet (RFC 3986 §3.2.2): 0-255 without leading zeros.
bool is_dec_octet(std::string_view s) {
  if (s.empty() || s.size() > 3 || !std::all_of(s.begin(), s.end(), is_digit)) return false;
  if (s.size() > 1 && s.front() == '0') return false;
  return std::stoi(std::string(s)) <= 255;
}

std::optional<std::uint16_t> parse_port(std::string_view s) {
  if (s.empty()) return Url::kDefaultPort;  // RFC 3986 §3.2.3: empty port means the default
  if (s.size() > 5 || !std::all_of(s.begin(), s.end(), is_digit)) return std::nullopt;
  const int port = std::stoi(std::string(s));
  if (port < 1 || port > 65535) return std::nullopt;
  return static_cast<std::uint16_t>(port);
}

/// Why `authority` cannot be used (empty when it can); sets url.host and
/// url.port when it can. RFC 3986 §3.2: authority = [ userinfo "@" ] host
/// [ ":" port ]. Userinfo is deprecated in http URLs (RFC 9110 §4.2.4:
/// senders MUST NOT generate it) and not supported; IP-literals neither.
std::string check_authority(std::string_view authority, Url& url) {
  if (authority.find('@') != std::string_view::npos) {
    return "userinfo ('user:password@' before the host) is not supported (RFC 9110 section 4.2.4 deprecates it)";
  }
  if (authority.starts_with('[')) return "IPv6 literals ('[...]') are not supported";
  const std::size_t colon = authority.find(':');
  const std::string_view host = authority.substr(0, colon);
  if (host.empty()) return "no host";
  for (const char c : host) {
    if (!is_unreserved(c)) return fmt::format("invalid character '{}' in the host", c);
  }
  const std::string_view port_text = colon == std::string_view::npos ? std::string_view{} : authority.substr(colon + 1);
  const std::optional<std::uint16_t> port = parse_port(port_text);
  if (!port) return fmt::format("invalid port '{}' (expected 1 to 65535)", port_text);
  url.host = ascii_lower(host);
  url.port = *port;
  return {};
}

/// The reference as browsers read an attribute value (WHATWG URL parsing).
std::string clean_reference(std::string_view ref) {
  const auto is_c0_or_space = [](char c) { return static_cast<unsigned char>(c) <= 0x20; };
  while (!ref.empty() && is_c0_or_space(ref.front())) ref.remove_prefix(1);
  while (!ref.empty() && is_c0_or_space(ref.back())) ref.remove_suffix(1);
  std::string out;
  bool in_path = true;
  for (const char c : ref) {
    if (c == '\t' || c == '\n' || c == '\r') continue;
    if (c == '?' || c == '#') in_path = false;
    out += (in_path && c == '\\') ? '/' : c;
  }
  return out;
}

}  // namespace

std::string normalize_percent_encoding(std::string_view component, bool query) {
  std::string out;
  out.reserve(component.size());
  for (std::size_t i = 0; i < component.size(); ++i) {
    const char c = component[i];
    if (c == '%' && i + 2 < component.size() && hex_value(component[i + 1]) >= 0 &&
        hex_value(component[i + 2]) >= 0) {
      const auto byte = static_cast<unsigned char>(hex_value(component[i + 1]) * 16 + hex_value(component[i + 2]));
      if (is_unreserved(static_cast<char>(byte))) {
        out += static_cast<char>(byte);
      } else {
        append_pct(out, byte);
      }
      i += 2;
    } else if (is_allowed(c, query)) {
      out += c;
    } else {
      append_pct(out, static_cast<unsigned char>(c));
    }
  }
  return out;
}

std::string Url::problem(std::string_view text) {
  Url url;
  return check(text, url);
}

/// Why `text` is not an http URL wiresim can fetch (empty when it is);
/// fills url's host and port when it is. The scheme is case-insensitive
/// (RFC 3986 §3.1).
std::string Url::check(std::string_view text, Url& url) {
  const UriReference ref = UriReference::split(text);
  if (!ref.scheme || !iequals(*ref.scheme, "http") || !ref.authority) return "not an http:// URL";
  return check_authority(*ref.authority, url);
}

std::optional<Url> Url::parse(std::string_view text) {
  Url url;
  if (!check(text, url).empty()) return std::nullopt;
  const UriReference ref = UriReference::split(text);
  url.path = remove_dot_segments(normalize_percent_encoding(ref.path, false));
  // push_back, not = "/": g++ 12 -O3 false-positives -Wrestrict on the
  // const char* assignment (GCC bug 105329).
  if (url.path.empty()) url.path.push_back('/');
  if (ref.query) url.query = normalize_percent_encoding(*ref.query, true);
  return url;
}

std::optional<Url> Url::resolve(std::string_view reference) const {
  return parse(resolve_reference(to_string(), clean_reference(reference)));
}

std::string Url::authority() const { return port == kDefaultPort ? host : fmt::format("{}:{}", host, port); }

std::string Url::target() const { return query ? path + "?" + *query : path; }

std::string Url::to_string() const { return "http://" + authority() + target(); }

bool Url::host_is_ipv4() const {
  std::string_view rest = host;
  for (int i = 0; i < 4; ++i) {
    const std::size_t dot = rest.find('.');
    if ((i < 3) == (dot == std::string_view::npos)) return false;
    if (!is_dec_octet(rest.substr(0, dot))) return false;
    rest = dot == std::string_view::npos ? std::string_view{} : rest.substr(dot + 1);
  }
  return true;
}

}  // namespace wiresim::http
