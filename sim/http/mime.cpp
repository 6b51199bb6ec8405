#include "wiresim/http/mime.hpp"

#include <array>
#include <utility>

#include "wiresim/http/syntax.hpp"

namespace wiresim::http {
namespace {

constexpr std::string_view kDefaultType = "application/octet-stream";

constexpr std::array<std::pair<std::string_view, std::string_view>, 14> kTypes{{
    {"html", "text/html; charset=utf-8"},
    {"htm", "text/html; charset=utf-8"},
    {"css", "text/css"},
    {"js", "application/javascript"},
    {"jpg", "image/jpeg"},
    {"jpeg", "image/jpeg"},
    {"png", "image/png"},
    {"gif", "image/gif"},
    {"svg", "image/svg+xml"},
    {"ico", "image/x-icon"},
    {"txt", "text/plain; charset=utf-8"},
    {"json", "application/json"},
    {"webp", "image/webp"},
    {"woff2", "font/woff2"},
}};

}  // namespace

std::string_view content_type_for(std::string_view path) {
  const std::size_t slash = path.rfind('/');
  const std::string_view name = slash == std::string_view::npos ? path : path.substr(slash + 1);
  const std::size_t dot = name.rfind('.');
  if (dot == std::string_view::npos || dot == 0) return kDefaultType;
  const std::string_view ext = name.substr(dot + 1);
  for (const auto& [known, type] : kTypes) {
    if (iequals(ext, known)) return type;
  }
  return kDefaultType;
}

std::string media_type(std::string_view content_type) {
  return ascii_lower(trim_ows(content_type.substr(0, content_type.find(';'))));
}

}  // namespace wiresim::http
