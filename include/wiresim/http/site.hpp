#pragma once
/// The files a server serves, loaded into memory once: path -> bytes with
/// their Content-Type, a strong ETag from a stable hash of the content, and
/// a Last-Modified date given by the caller (never a file's mtime), so
/// every run serves identical bytes.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <string_view>

#include "wiresim/http/body.hpp"

namespace wiresim::http {

struct SiteFile {
  std::string path;          ///< "/Myhead.jpg": "/" and the path below the site root
  Body body;                 ///< shared: responses reference it, never copy it
  std::string content_type;  ///< content_type_for(path)
  std::string etag;          ///< strong_etag(bytes)
  std::int64_t last_modified = 0;  ///< Unix seconds
  std::string last_modified_text;  ///< format_http_date(last_modified): the Last-Modified value
};

enum class LookupStatus {
  kFound,
  kNotFound,   ///< no such file (answer 404)
  kBadTarget,  ///< not an origin- or absolute-form target, bad %XX, %00 or "#" (answer 400)
  kForbidden,  ///< a ".." segment: an attempt to leave the site (answer 403)
};

struct SiteLookup {
  LookupStatus status = LookupStatus::kNotFound;
  const SiteFile* file = nullptr;  ///< kFound only; valid while the Site lives
  std::string path;                ///< the decoded path looked up ("/index.html" for "/")
};

class Site {
 public:
  using Files = std::map<std::string, SiteFile, std::less<>>;

  /// The largest file load() reads (64 MiB): files are held in memory whole.
  /// The scenario layer refuses larger ones at validation
  /// (scenario::kMaxSiteFileBytes, the same figure); this catches a file
  /// that grew in between.
  static constexpr std::uintmax_t kMaxFileBytes = std::uintmax_t{64} << 20;

  Site() = default;
  /// Every regular file under `root`, recursively; names starting with "."
  /// (files and directories) are skipped. Throws std::runtime_error if
  /// root is not a directory or a file cannot be read or is larger than
  /// kMaxFileBytes.
  static Site load(const std::filesystem::path& root, std::int64_t last_modified);

  /// Adds or replaces the file at `path` ("/a/b.png").
  void add(std::string path, std::string bytes, std::int64_t last_modified);

  /// The file at exactly `path` (decoded, "/"-rooted), or nullptr.
  [[nodiscard]] const SiteFile* find(std::string_view path) const;
  /// The file a request-target names (RFC 9112 §3.2): query dropped, %XX
  /// decoded, "." and empty segments dropped, a path ending in "/" mapped
  /// to its index.html; ".." is refused rather than resolved.
  [[nodiscard]] SiteLookup lookup(std::string_view target) const;

  /// All files by path, in byte order of the path.
  [[nodiscard]] const Files& files() const { return files_; }

 private:
  Files files_;
};

/// "\"<16 hex digits>\"": FNV-1a 64 of `bytes` as a strong entity-tag (RFC 9110 §8.8.3).
[[nodiscard]] std::string strong_etag(std::string_view bytes);

}  // namespace wiresim::http
