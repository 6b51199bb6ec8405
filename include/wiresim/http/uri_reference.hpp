#pragma once
/// Generic URI references (RFC 3986): the five components and reference
/// resolution (§5.2), independent of the scheme. Url builds on this for
/// http URLs.

#include <optional>
#include <string>
#include <string_view>

namespace wiresim::http {

/// A URI reference split into its components (RFC 3986 §3); absent and
/// empty differ ("http://a/?" has an empty query, "http://a/" none).
struct UriReference {
  std::optional<std::string> scheme;
  std::optional<std::string> authority;
  std::string path;
  std::optional<std::string> query;
  std::optional<std::string> fragment;

  /// Splits with the regular expression of RFC 3986 Appendix B; never
  /// fails. A would-be scheme that is not ALPHA *( ALPHA / DIGIT / "+" /
  /// "-" / "." ) is left in the path.
  static UriReference split(std::string_view text);
  /// Recomposition (RFC 3986 §5.3).
  [[nodiscard]] std::string to_string() const;
  /// The target of reference `ref` with this as the base URI (RFC 3986
  /// §5.2.2, strict: a scheme equal to the base's is not ignored).
  [[nodiscard]] UriReference resolve(const UriReference& ref) const;

  bool operator==(const UriReference&) const = default;
};

/// `path` with "." and ".." segments removed (RFC 3986 §5.2.4).
[[nodiscard]] std::string remove_dot_segments(std::string_view path);

/// resolve() on strings: the target URI of `ref` against `base`.
[[nodiscard]] std::string resolve_reference(std::string_view base, std::string_view ref);

}  // namespace wiresim::http
