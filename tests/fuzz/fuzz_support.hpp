#pragma once
/// Small helpers shared by the libFuzzer targets (tests/fuzz). Not part of
/// wiresim: nothing here is linked into the simulator.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include <unistd.h>

namespace wiresim::fuzz {

/// The input cut into pieces whose lengths come from `sizes` (used in
/// turn, cyclically; a size byte n gives a piece of n + 1 bytes), so the
/// fuzzer chooses where a stream is split. No sizes: one piece. The pieces
/// cover `data` exactly, in order.
inline std::vector<std::string_view> split_pieces(std::string_view data, std::span<const std::uint8_t> sizes) {
  std::vector<std::string_view> pieces;
  if (sizes.empty()) {
    pieces.push_back(data);
    return pieces;
  }
  std::size_t i = 0;
  while (!data.empty()) {
    const std::size_t n = std::min<std::size_t>(data.size(), std::size_t{sizes[i % sizes.size()]} + 1);
    pieces.push_back(data.substr(0, n));
    data.remove_prefix(n);
    ++i;
  }
  return pieces;
}

/// A folder of this process's own under $TMPDIR (mkdtemp), removed with
/// everything in it when the object is destroyed (at exit for a static).
class PrivateTempDir {
 public:
  PrivateTempDir() {
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern = std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") + "/wiresim-fuzz-XXXXXX";
    if (::mkdtemp(pattern.data()) == nullptr) std::abort();
    path_ = pattern;
  }
  ~PrivateTempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  PrivateTempDir(const PrivateTempDir&) = delete;
  PrivateTempDir& operator=(const PrivateTempDir&) = delete;

  [[nodiscard]] const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace wiresim::fuzz
