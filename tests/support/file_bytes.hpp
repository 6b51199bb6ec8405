#pragma once
/// Reading a whole file back for byte-exact assertions. (stdio rather than
/// istreambuf_iterator: g++ 12 -O2 -Wnull-dereference false-positives on the
/// latter inside libstdc++.)

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

namespace wiresim::test {

/// The file's bytes; empty if it cannot be opened.
inline std::vector<std::uint8_t> file_bytes(const std::string& path) {
  std::vector<std::uint8_t> out;
  const std::unique_ptr<std::FILE, int (*)(std::FILE*)> f(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!f) return out;
  std::uint8_t buf[65536];
  for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, f.get())) > 0;) out.insert(out.end(), buf, buf + n);
  return out;
}

}  // namespace wiresim::test
