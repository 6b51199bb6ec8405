#pragma once
/// Media types (RFC 9110 §8.3) for the files a site serves.

#include <string>
#include <string_view>

namespace wiresim::http {

/// Content-Type for a file, from its extension (case-insensitive):
/// ".html" -> "text/html; charset=utf-8", ".png" -> "image/png", ...;
/// "application/octet-stream" when unknown.
[[nodiscard]] std::string_view content_type_for(std::string_view path);

/// The media type of a Content-Type value without parameters, lower case:
/// "Text/HTML; charset=utf-8" -> "text/html" (RFC 9110 §8.3.1).
[[nodiscard]] std::string media_type(std::string_view content_type);

}  // namespace wiresim::http
