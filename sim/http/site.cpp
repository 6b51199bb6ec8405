#include "wiresim/http/site.hpp"

#include <algorithm>
#include <fstream>
#include <optional>
#include <stdexcept>

#include <fmt/format.h>

#include "wiresim/core/rng.hpp"
#include "wiresim/http/date.hpp"
#include "wiresim/http/mime.hpp"
#include "wiresim/http/syntax.hpp"
#include "wiresim/http/url.hpp"

namespace wiresim::http {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kIndex = "index.html";

std::string read_file(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::error_code ec;
  const std::uintmax_t size = fs::file_size(file, ec);
  if (!ec && size > Site::kMaxFileBytes) {
    throw std::runtime_error(
        fmt::format("site file '{}' is {} bytes; at most {} per file", file.string(), size, Site::kMaxFileBytes));
  }
  std::string bytes(ec ? 0 : static_cast<std::size_t>(size), '\0');
  if (!in || ec || !in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()))) {
    throw std::runtime_error(fmt::format("cannot read '{}'", file.string()));
  }
  return bytes;
}

bool hidden(const fs::path& p) { return p.filename().string().front() == '.'; }

/// %XX decoded; nullopt for a bad escape or a decoded NUL.
std::optional<std::string> percent_decode(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out += s[i];
      continue;
    }
    if (i + 2 >= s.size() || hex_value(s[i + 1]) < 0 || hex_value(s[i + 2]) < 0) return std::nullopt;
    const char c = static_cast<char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2]));
    if (c == '\0') return std::nullopt;
    out += c;
    i += 2;
  }
  return out;
}

/// The path part of an origin-form or absolute-form target (RFC 9112 §3.2.1, §3.2.2).
std::optional<std::string_view> target_path(std::string_view target, std::string& storage) {
  if (target.substr(0, 7) == "http://" || target.substr(0, 7) == "HTTP://") {
    const std::optional<Url> url = Url::parse(target);
    if (!url) return std::nullopt;
    storage = url->path;
    return std::string_view{storage};
  }
  if (target.empty() || target.front() != '/' || target.find('#') != std::string_view::npos) return std::nullopt;
  return target.substr(0, target.find('?'));
}

/// The site path of a decoded request path ("/a/./b/" -> "/a/b/index.html"), or kForbidden.
LookupStatus site_path(std::string_view decoded, std::string& out) {
  out.clear();
  bool directory = true;  // the last segment names a directory: "", "."
  for (std::size_t start = 0; start <= decoded.size();) {
    const std::size_t slash = std::min(decoded.find('/', start), decoded.size());
    const std::string_view segment = decoded.substr(start, slash - start);
    if (segment == "..") return LookupStatus::kForbidden;
    directory = segment.empty() || segment == ".";
    if (!directory) out += "/" + std::string(segment);
    start = slash + 1;
  }
  if (directory) out += "/" + std::string(kIndex);
  return LookupStatus::kFound;
}

}  // namespace

std::string strong_etag(std::string_view bytes) { return fmt::format("\"{:016x}\"", stable_hash(bytes)); }

Site Site::load(const fs::path& root, std::int64_t last_modified) {
  if (!fs::is_directory(root)) throw std::runtime_error(fmt::format("site '{}' is not a directory", root.string()));
  Site site;
  for (auto it = fs::recursive_directory_iterator(root); it != fs::recursive_directory_iterator(); ++it) {
    if (hidden(it->path())) {
      if (it->is_directory()) it.disable_recursion_pending();
      continue;
    }
    if (!it->is_regular_file()) continue;
    site.add("/" + fs::relative(it->path(), root).generic_string(), read_file(it->path()), last_modified);
  }
  return site;
}

void Site::add(std::string path, std::string bytes, std::int64_t last_modified) {
  SiteFile file;
  file.content_type = std::string(content_type_for(path));
  file.etag = strong_etag(bytes);
  file.last_modified = last_modified;
  file.last_modified_text = format_http_date(last_modified);
  file.body = Body(std::move(bytes));
  file.path = path;
  files_.insert_or_assign(std::move(path), std::move(file));
}

const SiteFile* Site::find(std::string_view path) const {
  const auto it = files_.find(path);
  return it == files_.end() ? nullptr : &it->second;
}

SiteLookup Site::lookup(std::string_view target) const {
  SiteLookup result;
  std::string storage;
  const std::optional<std::string_view> raw = target_path(target, storage);
  const std::optional<std::string> decoded = raw ? percent_decode(*raw) : std::nullopt;
  if (!decoded) {
    result.status = LookupStatus::kBadTarget;
    return result;
  }
  result.status = site_path(*decoded, result.path);
  if (result.status != LookupStatus::kFound) return result;
  result.file = find(result.path);
  if (result.file == nullptr) result.status = LookupStatus::kNotFound;
  return result;
}

}  // namespace wiresim::http
