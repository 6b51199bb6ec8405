#pragma once
// Where the scenario tests find their files, from any working directory:
// $WIRESIM_SOURCE_DIR (set by CTest), else the source tree it was built from.

#include <cstdlib>
#include <filesystem>
#include <string>

#include <unistd.h>

namespace wiresim::scenario::test {

inline std::filesystem::path source_dir() {
  if (const char* env = std::getenv("WIRESIM_SOURCE_DIR"); env != nullptr && *env != '\0') return env;
  return WIRESIM_SOURCE_DIR_DEFAULT;
}

/// tests/scenario in the source tree.
inline std::filesystem::path fixtures_dir() { return source_dir() / "tests" / "scenario"; }

/// A fresh empty folder under the system temp folder, removed on destruction.
class TempDir {
 public:
  explicit TempDir(const std::string& tag)
      : path_(std::filesystem::temp_directory_path() /
              ("wiresim-test-scenario-" + std::to_string(::getpid()) + "-" + tag)) {
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace wiresim::scenario::test
