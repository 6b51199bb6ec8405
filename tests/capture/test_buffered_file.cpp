#include <catch2/catch.hpp>

#include <cstdint>
#include <fstream>
#include <stdexcept>
#include <vector>

#include "file_bytes.hpp"
#include "temp_dir.hpp"
#include "wiresim/capture/buffered_file.hpp"

using wiresim::capture::BufferedFile;
using wiresim::test::file_bytes;
using wiresim::test::TempDir;

namespace {

std::vector<std::uint8_t> iota_bytes(std::size_t n, std::uint8_t first) {
  std::vector<std::uint8_t> v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = static_cast<std::uint8_t>(first + i);
  return v;
}

}  // namespace

TEST_CASE("buffered file keeps byte order across buffer boundaries", "[capture][file]") {
  TempDir dir;
  const std::string path = dir.file("out.bin");
  std::vector<std::uint8_t> expected;
  {
    BufferedFile f(path, 8);  // tiny buffer: every path is exercised
    const auto a = iota_bytes(5, 0);    // fits
    const auto b = iota_bytes(6, 10);   // does not fit: drain, then buffer
    const auto c = iota_bytes(20, 40);  // larger than the buffer: direct write
    f.write(a);
    f.write(b);
    f.write(c);
    const auto block = f.append(3);  // append after a direct write
    block[0] = 0xAA;
    block[1] = 0xBB;
    block[2] = 0xCC;
    f.write_zeros(2);
    const auto big = f.append(12);  // append larger than the buffer grows it
    for (std::size_t i = 0; i < big.size(); ++i) big[i] = static_cast<std::uint8_t>(0x80 + i);
    CHECK(f.bytes_written() == 48);
    for (const auto* part : {&a, &b, &c}) expected.insert(expected.end(), part->begin(), part->end());
    expected.insert(expected.end(), {0xAA, 0xBB, 0xCC, 0, 0});
    const auto tail = iota_bytes(12, 0x80);
    expected.insert(expected.end(), tail.begin(), tail.end());
  }  // destructor flushes
  CHECK(file_bytes(path) == expected);
}

TEST_CASE("buffered file flush makes bytes visible before close", "[capture][file]") {
  TempDir dir;
  const std::string path = dir.file("out.bin");
  BufferedFile f(path);
  f.write(iota_bytes(3, 1));
  CHECK(file_bytes(path).empty());
  f.flush();
  CHECK(file_bytes(path) == std::vector<std::uint8_t>{1, 2, 3});
  f.close();
  CHECK_FALSE(f.is_open());
  f.close();  // idempotent
}

TEST_CASE("buffered file reports the path and the OS reason when it cannot open", "[capture][file]") {
  TempDir dir;
  const std::string path = dir.file("missing-dir/out.bin");
  CHECK_THROWS_WITH(BufferedFile(path),
                    "cannot open '" + path + "': No such file or directory");
}
