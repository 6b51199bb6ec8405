#pragma once
/// Character classes and small string helpers shared by the HTTP grammar
/// (RFC 9110 §5.6 "Common Rules for Defining Field Values", RFC 9112 §2).
/// ASCII only: HTTP field names and tokens are case-insensitive ASCII.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace wiresim::http {

/// tchar (RFC 9110 §5.6.2):
///   "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." /
///   "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA
/// (Inline: header parsing asks once per byte.)
namespace detail {
/// is_tchar for every byte value, built at compile time (immutable).
struct TcharTable {
  bool is[256] = {};
  constexpr TcharTable() {
    for (int c = 0; c < 256; ++c) {
      is[c] = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
    }
  }
};
inline constexpr TcharTable kTchar{};
}  // namespace detail
[[nodiscard]] constexpr bool is_tchar(char c) { return detail::kTchar.is[static_cast<unsigned char>(c)]; }
/// token = 1*tchar (RFC 9110 §5.6.2).
[[nodiscard]] constexpr bool is_token(std::string_view s) {
  if (s.empty()) return false;
  for (const char c : s) {
    if (!is_tchar(c)) return false;
  }
  return true;
}
/// A byte allowed inside a field value: VCHAR, obs-text, SP or HTAB
/// (RFC 9110 §5.5). NUL, CR, LF and other controls are not.
[[nodiscard]] constexpr bool is_field_value_char(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u == '\t' || (u >= 0x20 && u != 0x7f);
}
/// SP or HTAB (OWS/BWS/RWS, RFC 9110 §5.6.3).
[[nodiscard]] constexpr bool is_ows(char c) { return c == ' ' || c == '\t'; }
[[nodiscard]] constexpr bool is_digit(char c) { return c >= '0' && c <= '9'; }
[[nodiscard]] constexpr bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
/// The value 0-15 of a hex digit, or -1.
[[nodiscard]] int hex_value(char c);

[[nodiscard]] constexpr char ascii_lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}
[[nodiscard]] std::string ascii_lower(std::string_view s);
/// Case-insensitive ASCII equality.
[[nodiscard]] bool iequals(std::string_view a, std::string_view b);
/// `s` without leading and trailing SP/HTAB.
[[nodiscard]] std::string_view trim_ows(std::string_view s);

/// The non-empty elements of a comma-separated list, each trimmed of OWS
/// (RFC 9110 §5.6.1; empty elements are ignored as the RFC requires).
[[nodiscard]] std::vector<std::string_view> split_list(std::string_view list);
/// split_list's elements handed to `visit` in order, without building the
/// vector; `visit` returns false to stop. Returns false if it stopped.
template <class Visit>
bool for_each_list_element(std::string_view list, Visit visit) {
  while (true) {
    const std::size_t comma = list.find(',');
    const std::string_view element = trim_ows(list.substr(0, comma));
    if (!element.empty() && !visit(element)) return false;
    if (comma == std::string_view::npos) return true;
    list.remove_prefix(comma + 1);
  }
}

/// Appends code point `cp` as UTF-8; surrogates, 0 and values past
/// U+10FFFF become U+FFFD (as HTML and CSS decoders do).
void append_utf8(std::string& out, std::uint32_t cp);

}  // namespace wiresim::http
