#pragma once
/// Reading a whole file back for byte-exact assertions.

#include <cstdint>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace wiresim::test {

inline std::vector<std::uint8_t> file_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace wiresim::test
