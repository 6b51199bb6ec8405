#pragma once
/// Absolute http URLs (RFC 9110 §4.2.1), normalised (RFC 3986 §6.2.2):
/// lower-case host, default port implied, percent-encodings in upper case
/// and decoded where they stand for unreserved characters, dot segments
/// removed, empty path "/". The fragment is dropped: it never goes on the
/// wire. The scheme is case-insensitive (RFC 3986 §3.1). No userinfo, no
/// IPv6 literals, no https: problem() names which.

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace wiresim::http {

struct Url {
  static constexpr std::uint16_t kDefaultPort = 80;

  /// A name (ALPHA / DIGIT / "-" / "." / "_" / "~") or a dotted IPv4 literal, lower case.
  std::string host;
  std::uint16_t port = kDefaultPort;
  /// Starts with "/".
  std::string path = "/";
  std::optional<std::string> query;

  /// "http://host[:port][/path][?query][#fragment]", scheme and host in any
  /// case; nullopt if it is not such a URL.
  static std::optional<Url> parse(std::string_view text);
  /// Why parse() refuses `text`, in words ("no host", "userinfo (...) is not
  /// supported", ...); empty when it accepts it.
  static std::string problem(std::string_view text);

  /// The URL that `reference` (as found in an attribute: relative or
  /// absolute) points to from this one: surrounding spaces and controls
  /// trimmed, tabs and newlines removed, "\" read as "/" (as browsers do,
  /// WHATWG URL), then RFC 3986 §5.2. nullopt if the result is not an http URL.
  [[nodiscard]] std::optional<Url> resolve(std::string_view reference) const;

  /// "host" or "host:port" when the port is not 80 (the Host field, RFC 9110 §7.2).
  [[nodiscard]] std::string authority() const;
  /// "path[?query]": the origin-form request-target (RFC 9112 §3.2.1).
  [[nodiscard]] std::string target() const;
  /// "http://" authority target.
  [[nodiscard]] std::string to_string() const;
  /// True if host is a dotted-decimal IPv4 address (RFC 3986 §3.2.2 IPv4address).
  [[nodiscard]] bool host_is_ipv4() const;

  auto operator<=>(const Url&) const = default;

 private:
  static std::string check(std::string_view text, Url& url);
};

/// RFC 3986 §6.2.2.1/§6.2.2.2 on a path (`query` false) or query: valid
/// "%XX" in upper case, decoded when unreserved; other bytes outside the
/// component's allowed set (and a "%" not starting "%XX") percent-encoded.
[[nodiscard]] std::string normalize_percent_encoding(std::string_view component, bool query);

}  // namespace wiresim::http
