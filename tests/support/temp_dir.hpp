#pragma once
/// A fresh, private temporary directory that is deleted with everything in
/// it when the object goes out of scope. Header-only, POSIX (mkdtemp).
/// Set WIRESIM_KEEP_TEMP=1 in the environment to keep it for inspection.

#include <stdlib.h>  // mkdtemp (POSIX, not in <cstdlib>)

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>

namespace wiresim::test {

class TempDir {
 public:
  /// Creates <system temp dir>/<prefix>-XXXXXX. Throws std::runtime_error.
  explicit TempDir(std::string_view prefix = "wiresim-test") {
    std::string templ = (std::filesystem::temp_directory_path() / prefix).string() + "-XXXXXX";
    if (::mkdtemp(templ.data()) == nullptr) {
      throw std::runtime_error("cannot create temporary directory '" + templ +
                               "': " + std::error_code(errno, std::generic_category()).message());
    }
    path_ = templ;
  }
  ~TempDir() {
    if (std::getenv("WIRESIM_KEEP_TEMP") != nullptr) return;
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  [[nodiscard]] const std::filesystem::path& path() const { return path_; }
  /// The path of `name` inside the directory, as a string (nothing is created).
  [[nodiscard]] std::string file(std::string_view name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

}  // namespace wiresim::test
