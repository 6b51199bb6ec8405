#include <catch2/catch.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "file_bytes.hpp"
#include "tcp_frame.hpp"
#include "temp_dir.hpp"
#include "wiresim/capture/capture_reader.hpp"
#include "wiresim/capture/little_endian.hpp"
#include "wiresim/capture/pcap_writer.hpp"
#include "wiresim/capture/pcapng_writer.hpp"

using Catch::Matchers::Contains;
using wiresim::Time;
using wiresim::capture::CaptureContents;
using wiresim::capture::CapturedFrame;
using wiresim::capture::CaptureFormat;
using wiresim::capture::CaptureFormatError;
using wiresim::capture::Direction;
using wiresim::capture::parse_capture;
using wiresim::capture::PcapngWriter;
using wiresim::capture::PcapWriter;
using wiresim::capture::read_capture_contents;
using wiresim::capture::read_capture_file;
using wiresim::capture::write_le32;
using wiresim::test::file_bytes;
using wiresim::test::TempDir;
using Bytes = std::vector<std::uint8_t>;

namespace {

constexpr std::int64_t kEpochNs = 1'700'000'000'123'456'789;

/// Frames of assorted sizes: empty, tiny, a real TCP segment, a jumbo one.
std::vector<Bytes> sample_frames() {
  std::vector<Bytes> frames = wiresim::test::handshake_and_hello();
  frames.push_back({});
  frames.push_back({0x42});
  Bytes jumbo(9000);
  for (std::size_t i = 0; i < jumbo.size(); ++i) jumbo[i] = static_cast<std::uint8_t>(i * 7);
  frames.push_back(jumbo);
  return frames;
}

Time sample_time(std::size_t i) { return Time::from_ns(static_cast<std::int64_t>(i) * 1'000'000'333); }

void write_pcap(const std::string& path, std::uint32_t snaplen = PcapWriter::kDefaultSnaplen) {
  PcapWriter w(path, kEpochNs, snaplen);
  const auto frames = sample_frames();
  for (std::size_t i = 0; i < frames.size(); ++i) w.write(sample_time(i), frames[i]);
}

void write_pcapng(const std::string& path) {
  PcapngWriter w(path, kEpochNs);
  w.add_interface("client-eth0", "client side of the access link");
  const auto frames = sample_frames();
  for (std::size_t i = 0; i < frames.size(); ++i) {
    if (i == 3) w.add_interface("server-eth0", "", 64);  // a late interface
    const std::uint32_t iface = i >= 3 && i % 2 == 1 ? 1 : 0;
    const auto dir = static_cast<Direction>(i % 3);
    const std::string comment = i % 2 == 0 ? "frame " + std::to_string(i) : "";
    w.write(iface, sample_time(i), frames[i], comment, dir);
  }
}

/// A pcapng file in memory: SHB, one IDB (nanoseconds), then `rest`.
Bytes pcapng_prefix() {
  return {
      0x0A, 0x0D, 0x0D, 0x0A, 0x1C, 0, 0, 0, 0x4D, 0x3C, 0x2B, 0x1A, 1, 0, 0, 0,  // SHB
      0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x1C, 0, 0, 0,              // no options
      0x01, 0, 0, 0, 0x20, 0, 0, 0, 0x01, 0, 0, 0, 0, 0, 0, 0,                   // IDB
      0x09, 0, 0x01, 0, 0x09, 0, 0, 0, 0, 0, 0, 0, 0x20, 0, 0, 0,               // if_tsresol 9
  };
}

/// An EPB on interface 0 at Unix ns 5 with a 2-byte frame and `options`.
Bytes epb(const Bytes& options, std::uint32_t cap_len = 2, std::uint32_t orig_len = 2) {
  Bytes b = {0x06, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0};
  b.resize(28);
  write_le32(b, 20, cap_len);
  write_le32(b, 24, orig_len);
  b.insert(b.end(), {0xAA, 0xBB, 0, 0});
  b.insert(b.end(), options.begin(), options.end());
  b.resize(b.size() + 4);
  write_le32(b, 4, static_cast<std::uint32_t>(b.size()));
  write_le32(b, b.size() - 4, static_cast<std::uint32_t>(b.size()));
  return b;
}

Bytes cat(Bytes a, const Bytes& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

}  // namespace

TEST_CASE("pcap round trip through the reader", "[capture][reader][pcap]") {
  TempDir dir;
  const std::string path = dir.file("rt.pcap");
  write_pcap(path, 1000);
  const CaptureContents c = read_capture_contents(path);
  CHECK(c.format == CaptureFormat::kPcap);
  REQUIRE(c.interfaces.size() == 1);
  CHECK(c.interfaces[0].link_type == 1);
  CHECK(c.interfaces[0].snaplen == 1000);
  const auto frames = sample_frames();
  REQUIRE(c.frames.size() == frames.size());
  for (std::size_t i = 0; i < frames.size(); ++i) {
    INFO("frame " << i);
    const CapturedFrame& f = c.frames[i];
    CHECK(f.timestamp_ns == kEpochNs + sample_time(i).ns());
    CHECK(f.orig_len == frames[i].size());
    const std::size_t kept = std::min<std::size_t>(frames[i].size(), 1000);
    CHECK(f.bytes == Bytes(frames[i].begin(), frames[i].begin() + static_cast<std::ptrdiff_t>(kept)));
    CHECK(f.interface_id == 0);
    CHECK(f.comment.empty());
    CHECK(f.direction == Direction::kUnknown);
  }
}

TEST_CASE("pcapng round trip through the reader", "[capture][reader][pcapng]") {
  TempDir dir;
  const std::string path = dir.file("rt.pcapng");
  write_pcapng(path);
  const CaptureContents c = read_capture_contents(path);
  CHECK(c.format == CaptureFormat::kPcapng);
  REQUIRE(c.interfaces.size() == 2);
  CHECK(c.interfaces[0].name == "client-eth0");
  CHECK(c.interfaces[0].description == "client side of the access link");
  CHECK(c.interfaces[0].snaplen == 262144);
  CHECK(c.interfaces[1].name == "server-eth0");
  CHECK(c.interfaces[1].description.empty());
  CHECK(c.interfaces[1].snaplen == 64);
  const auto frames = sample_frames();
  REQUIRE(c.frames.size() == frames.size());
  for (std::size_t i = 0; i < frames.size(); ++i) {
    INFO("frame " << i);
    const CapturedFrame& f = c.frames[i];
    const std::uint32_t iface = i >= 3 && i % 2 == 1 ? 1 : 0;
    const std::size_t kept = std::min<std::size_t>(frames[i].size(), iface == 1 ? 64 : 262144);
    CHECK(f.interface_id == iface);
    CHECK(f.timestamp_ns == kEpochNs + sample_time(i).ns());
    CHECK(f.orig_len == frames[i].size());
    CHECK(f.bytes == Bytes(frames[i].begin(), frames[i].begin() + static_cast<std::ptrdiff_t>(kept)));
    CHECK(f.comment == (i % 2 == 0 ? "frame " + std::to_string(i) : ""));
    CHECK(f.direction == static_cast<Direction>(i % 3));
  }
  CHECK(read_capture_file(path) == c.frames);
}

TEST_CASE("writing the same packets twice gives identical files", "[capture][determinism]") {
  TempDir dir;
  write_pcap(dir.file("a.pcap"));
  write_pcap(dir.file("b.pcap"));
  write_pcapng(dir.file("a.pcapng"));
  write_pcapng(dir.file("b.pcapng"));
  const Bytes pcap = file_bytes(dir.file("a.pcap"));
  const Bytes pcapng = file_bytes(dir.file("a.pcapng"));
  CHECK(parse_capture(pcap).frames.size() == sample_frames().size());
  CHECK(parse_capture(pcapng).frames.size() == sample_frames().size());
  CHECK(file_bytes(dir.file("b.pcap")) == pcap);
  CHECK(file_bytes(dir.file("b.pcapng")) == pcapng);
}

TEST_CASE("reader accepts big-endian microsecond pcap", "[capture][reader][pcap]") {
  const Bytes file = {
      0xA1, 0xB2, 0xC3, 0xD4, 0, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0,  // magic, 2.4, reserved
      0, 0, 0xFF, 0xFF, 0, 0, 0, 1,                                 // snaplen, Ethernet
      0, 0, 0, 3, 0, 0x0F, 0x42, 0x3F,                              // 3 s, 999999 us
      0, 0, 0, 1, 0, 0, 0, 60, 0x77,                                // 1 of 60 bytes
  };
  const CaptureContents c = parse_capture(file);
  REQUIRE(c.frames.size() == 1);
  CHECK(c.interfaces[0].snaplen == 65535);
  CHECK(c.frames[0].timestamp_ns == 3'999'999'000);
  CHECK(c.frames[0].orig_len == 60);
  CHECK(c.frames[0].bytes == Bytes{0x77});
}

TEST_CASE("reader applies the default microsecond pcapng resolution", "[capture][reader][pcapng]") {
  Bytes file = pcapng_prefix();
  file[28 + 16] = 0;  // turn if_tsresol into an empty opt_endofopt:
  file[28 + 18] = 0;  // the default resolution 10^-6 s applies
  const CaptureContents c = parse_capture(cat(file, epb({})));
  REQUIRE(c.frames.size() == 1);
  CHECK(c.frames[0].timestamp_ns == 5'000);
  CHECK(c.frames[0].bytes == Bytes{0xAA, 0xBB});
}

TEST_CASE("reader applies if_tsresol and if_tsoffset", "[capture][reader][pcapng]") {
  const Bytes prefix = pcapng_prefix();
  Bytes file(prefix.begin(), prefix.begin() + 28);  // SHB only
  file.insert(file.end(), {
                              0x01, 0, 0, 0, 0x2C, 0, 0, 0, 0x01, 0, 0, 0, 0, 0, 0, 0,  // IDB, 44 bytes
                              0x09, 0, 0x01, 0, 0x03, 0, 0, 0,                          // if_tsresol 10^-3
                              0x0E, 0, 0x08, 0, 10, 0, 0, 0, 0, 0, 0, 0,                // if_tsoffset 10 s
                              0, 0, 0, 0, 0x2C, 0, 0, 0,                                // end, length
                          });
  const CaptureContents c = parse_capture(cat(file, epb({})));
  REQUIRE(c.frames.size() == 1);
  CHECK(c.frames[0].timestamp_ns == 10'005'000'000);  // 10 s + 5 ms
}

TEST_CASE("reader rejects malformed files with a reason", "[capture][reader]") {
  const Bytes good = cat(pcapng_prefix(), epb({}));
  REQUIRE(parse_capture(good).frames.size() == 1);

  SECTION("unknown magic") {
    CHECK_THROWS_WITH(parse_capture(Bytes{1, 2, 3, 4, 5}, "x.pcap"),
                      "x.pcap: offset 0: not a pcap or pcapng file (unknown magic number)");
  }
  SECTION("empty file") {
    CHECK_THROWS_WITH(parse_capture(Bytes{}), Contains("too short"));
  }
  SECTION("truncated pcap header") {
    CHECK_THROWS_WITH(parse_capture(Bytes{0x4D, 0x3C, 0xB2, 0xA1, 2, 0}), Contains("truncated pcap file header"));
  }
  SECTION("truncated pcap record") {
    TempDir dir;
    write_pcap(dir.file("t.pcap"));
    Bytes bytes = file_bytes(dir.file("t.pcap"));
    bytes.pop_back();
    CHECK_THROWS_WITH(parse_capture(bytes), Contains("packet data truncated"));
    bytes.resize(24 + 10);
    CHECK_THROWS_WITH(parse_capture(bytes), "capture: offset 24: truncated pcap record header");
  }
  SECTION("pcap nanoseconds out of range") {
    TempDir dir;
    write_pcap(dir.file("n.pcap"));
    Bytes bytes = file_bytes(dir.file("n.pcap"));
    write_le32(bytes, 24 + 4, 1'000'000'000);
    CHECK_THROWS_WITH(parse_capture(bytes), Contains("is not below one second"));
  }
  SECTION("truncated section header") {
    CHECK_THROWS_WITH(parse_capture(Bytes{0x0A, 0x0D, 0x0D, 0x0A}),
                      "capture: offset 0: truncated block header (4 bytes left)");
  }
  SECTION("bad byte-order magic") {
    Bytes bad = good;
    bad[8] = 0;
    CHECK_THROWS_WITH(parse_capture(bad), "capture: offset 8: bad byte-order magic in Section Header Block");
  }
  SECTION("block length not a multiple of 4") {
    Bytes bad = good;
    bad[28 + 4] = 0x21;
    CHECK_THROWS_WITH(parse_capture(bad), Contains("offset 32: bad block length 33"));
  }
  SECTION("block longer than the file") {
    Bytes bad = good;
    bad.resize(bad.size() - 4);
    CHECK_THROWS_WITH(parse_capture(bad), Contains("offset 64: bad block length 36 (32 bytes left"));
  }
  SECTION("trailing length differs") {
    Bytes bad = good;
    bad[27] = 1;
    CHECK_THROWS_WITH(parse_capture(bad), "capture: offset 24: trailing block length differs from leading length 28");
  }
  SECTION("packet on an undefined interface") {
    Bytes bad = good;
    bad[60 + 8] = 1;
    CHECK_THROWS_WITH(parse_capture(bad), "capture: offset 68: packet names interface 1 but the section has 1");
  }
  SECTION("captured length beyond the block") {
    CHECK_THROWS_WITH(parse_capture(cat(pcapng_prefix(), epb({}, 9, 9))), Contains("captured length 9 overruns the block"));
  }
  SECTION("captured length above original length") {
    CHECK_THROWS_WITH(parse_capture(cat(pcapng_prefix(), epb({}, 2, 1))),
                      Contains("captured length 2 exceeds original length 1"));
  }
  SECTION("option overruns its block") {
    CHECK_THROWS_WITH(parse_capture(cat(pcapng_prefix(), epb({0x01, 0, 0x05, 0, 'a', 'b', 'c', 'd'}))),
                      Contains("option 1 of length 5 overruns the block"));
  }
  SECTION("epb_flags of the wrong size") {
    CHECK_THROWS_WITH(parse_capture(cat(pcapng_prefix(), epb({0x02, 0, 0x02, 0, 1, 0, 0, 0}))),
                      Contains("option 2 has length 2, expected 4"));
  }
  SECTION("simple packet blocks are refused, not skipped") {
    const Bytes spb = {0x03, 0, 0, 0, 0x10, 0, 0, 0, 0, 0, 0, 0, 0x10, 0, 0, 0};
    CHECK_THROWS_WITH(parse_capture(cat(pcapng_prefix(), spb)), Contains("Simple Packet Blocks are not supported"));
  }
}

TEST_CASE("reader skips blocks that carry no packets", "[capture][reader][pcapng]") {
  // An Interface Statistics Block (type 5) with no statistics.
  const Bytes isb = {0x05, 0, 0, 0, 0x18, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x18, 0, 0, 0};
  const CaptureContents c = parse_capture(cat(cat(pcapng_prefix(), isb), epb({0x01, 0, 0x01, 0, 'z', 0, 0, 0})));
  REQUIRE(c.frames.size() == 1);
  CHECK(c.frames[0].comment == "z");
}

TEST_CASE("reader names the path when it cannot open the file", "[capture][reader]") {
  TempDir dir;
  const std::string path = dir.file("absent.pcap");
  CHECK_THROWS_WITH(read_capture_file(path), "cannot open '" + path + "': No such file or directory");
}
