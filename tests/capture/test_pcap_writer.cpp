#include <catch2/catch.hpp>

#include <cstdint>
#include <stdexcept>
#include <utility>
#include <vector>

#include "file_bytes.hpp"
#include "temp_dir.hpp"
#include "wiresim/capture/pcap_writer.hpp"

using wiresim::Time;
using wiresim::capture::PcapWriter;
using wiresim::test::file_bytes;
using wiresim::test::TempDir;
using Bytes = std::vector<std::uint8_t>;

namespace {

/// 2023-11-14T22:13:20Z, in ns: 1'700'000'000 s = 0x6553F100.
constexpr std::int64_t kEpochNs = 1'700'000'000'000'000'000;

Bytes concat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const Bytes& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

}  // namespace

TEST_CASE("pcap global header", "[capture][pcap]") {
  TempDir dir;
  const std::string path = dir.file("h.pcap");
  Bytes snaplen_bytes;
  SECTION("default snaplen 262144") {
    const PcapWriter w(path, kEpochNs);
    CHECK(w.snaplen() == 262144);
    snaplen_bytes = {0x00, 0x00, 0x04, 0x00};
  }
  SECTION("snaplen 65535") {
    const PcapWriter w(path, kEpochNs, 65535);
    CHECK(w.snaplen() == 65535);
    snaplen_bytes = {0xFF, 0xFF, 0x00, 0x00};
  }
  const Bytes expected = concat({
      {0x4D, 0x3C, 0xB2, 0xA1},  // magic 0xA1B23C4D: nanosecond timestamps
      {0x02, 0x00, 0x04, 0x00},  // version 2.4
      {0, 0, 0, 0, 0, 0, 0, 0},  // two reserved words
      snaplen_bytes,
      {0x01, 0x00, 0x00, 0x00},  // LINKTYPE_ETHERNET
  });
  CHECK(file_bytes(path) == expected);
}

TEST_CASE("pcap record carries nanoseconds since the Unix epoch", "[capture][pcap]") {
  TempDir dir;
  const std::string path = dir.file("r.pcap");
  {
    PcapWriter w(path, kEpochNs);
    // t = 1.000000007 s after the epoch: 1'700'000'001 s (0x6553F101), 7 ns.
    w.write(Time::from_ns(1'000'000'007), Bytes{0xDE, 0xAD, 0xBE});
    CHECK(w.packets_written() == 1);
  }
  const Bytes bytes = file_bytes(path);
  REQUIRE(bytes.size() == 24 + 16 + 3);
  const Bytes record(bytes.begin() + 24, bytes.end());
  CHECK(record == Bytes{
                      0x01, 0xF1, 0x53, 0x65,  // seconds
                      0x07, 0x00, 0x00, 0x00,  // nanoseconds
                      0x03, 0x00, 0x00, 0x00,  // captured length
                      0x03, 0x00, 0x00, 0x00,  // original length
                      0xDE, 0xAD, 0xBE,        // frame
                  });
}

TEST_CASE("pcap truncates frames to the snaplen and keeps the original length", "[capture][pcap]") {
  TempDir dir;
  const std::string path = dir.file("s.pcap");
  {
    PcapWriter w(path, 0, 4);
    w.write(Time::from_ns(999'999'999), Bytes{1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
    w.write(Time::from_ns(1'000'000'000), Bytes{});
  }
  const Bytes bytes = file_bytes(path);
  const Bytes records(bytes.begin() + 24, bytes.end());
  CHECK(records == Bytes{
                       0x00, 0x00, 0x00, 0x00, 0xFF, 0xC9, 0x9A, 0x3B,  // 0 s, 999999999 ns
                       0x04, 0x00, 0x00, 0x00, 0x0A, 0x00, 0x00, 0x00,  // 4 of 10 bytes
                       1, 2, 3, 4,                                      //
                       0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,  // 1 s, 0 ns
                       0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,  // empty frame
                   });
}

TEST_CASE("pcap writer refuses what the format cannot hold", "[capture][pcap]") {
  TempDir dir;
  PcapWriter w(dir.file("e.pcap"), 0);
  CHECK_THROWS_AS(w.write(Time::from_ns(-1), Bytes{1}), std::out_of_range);
  // 2^32 s after 1970 no longer fits the 32-bit seconds field.
  CHECK_THROWS_AS(w.write(Time::from_ns(4'294'967'296'000'000'000), Bytes{1}), std::out_of_range);
  w.write(Time::from_ns(4'294'967'295'999'999'999), Bytes{1});
  CHECK(w.packets_written() == 1);
  w.close();
  CHECK_THROWS_AS(w.write(Time::zero(), Bytes{1}), std::logic_error);
  CHECK_THROWS_AS(PcapWriter(dir.file("z.pcap"), 0, 0), std::invalid_argument);
}

TEST_CASE("pcap writer names the path when it cannot create the file", "[capture][pcap]") {
  TempDir dir;
  const std::string path = dir.file("no/such/dir.pcap");
  CHECK_THROWS_WITH(PcapWriter(path, 0), "cannot open '" + path + "': No such file or directory");
}

TEST_CASE("pcap writer moves with its buffered records", "[capture][pcap]") {
  TempDir dir;
  const std::string path = dir.file("m.pcap");
  PcapWriter a(path, 0);
  a.write(Time::from_ns(1), Bytes{0x11});
  PcapWriter b(std::move(a));
  CHECK_THROWS_AS(a.write(Time::from_ns(2), Bytes{0x22}), std::logic_error);  // NOLINT(bugprone-use-after-move)
  b.write(Time::from_ns(3), Bytes{0x33});
  CHECK(b.packets_written() == 2);
  b.close();
  const Bytes bytes = file_bytes(path);
  REQUIRE(bytes.size() == 24 + 2 * 17);
  CHECK(bytes[24 + 4] == 1);
  CHECK(bytes[24 + 16] == 0x11);
  CHECK(bytes[24 + 17 + 4] == 3);
  CHECK(bytes[24 + 17 + 16] == 0x33);
}
