#include <catch2/catch.hpp>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "file_bytes.hpp"
#include "temp_dir.hpp"
#include "wiresim/capture/pcapng_writer.hpp"

using wiresim::Time;
using wiresim::capture::Direction;
using wiresim::capture::PcapngWriter;
using wiresim::test::file_bytes;
using wiresim::test::TempDir;
using Bytes = std::vector<std::uint8_t>;

namespace {

constexpr std::int64_t kEpochNs = 1'700'000'000'000'000'000;

Bytes concat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const Bytes& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

Bytes text(std::string_view s) { return {s.begin(), s.end()}; }

/// The Section Header Block every file starts with (44 bytes).
const Bytes kShb = concat({
    {0x0A, 0x0D, 0x0D, 0x0A},                          // block type SHB
    {0x2C, 0x00, 0x00, 0x00},                          // total length 44
    {0x4D, 0x3C, 0x2B, 0x1A},                          // byte-order magic: little-endian
    {0x01, 0x00, 0x00, 0x00},                          // version 1.0
    {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF},  // section length unknown
    {0x04, 0x00, 0x07, 0x00}, text("wiresim"), {0},    // shb_userappl, padded to 8
    {0x00, 0x00, 0x00, 0x00},                          // opt_endofopt
    {0x2C, 0x00, 0x00, 0x00},                          // total length again
});

/// The file's bytes after the SHB.
Bytes after_shb(const std::string& path) {
  const Bytes all = file_bytes(path);
  REQUIRE(all.size() >= kShb.size());
  REQUIRE(Bytes(all.begin(), all.begin() + 44) == kShb);
  return {all.begin() + 44, all.end()};
}

}  // namespace

TEST_CASE("pcapng section header block", "[capture][pcapng]") {
  TempDir dir;
  const std::string path = dir.file("shb.pcapng");
  { const PcapngWriter w(path, kEpochNs); }
  CHECK(file_bytes(path) == kShb);
}

TEST_CASE("pcapng interface description block pads odd-length names", "[capture][pcapng]") {
  TempDir dir;
  const std::string path = dir.file("idb.pcapng");
  {
    PcapngWriter w(path, kEpochNs);
    CHECK(w.add_interface("r1-eth0", "client side") == 0);
    CHECK(w.add_interface("", "", 96) == 1);
    CHECK(w.interface_count() == 2);
  }
  CHECK(after_shb(path) == concat({
                               {0x01, 0x00, 0x00, 0x00},                   // block type IDB
                               {0x3C, 0x00, 0x00, 0x00},                   // total length 60
                               {0x01, 0x00, 0x00, 0x00},                   // LINKTYPE_ETHERNET, reserved
                               {0x00, 0x00, 0x04, 0x00},                   // snaplen 262144
                               {0x02, 0x00, 0x07, 0x00}, text("r1-eth0"), {0},  // if_name, 7 + 1 pad
                               {0x03, 0x00, 0x0B, 0x00}, text("client side"), {0},  // if_description
                               {0x09, 0x00, 0x01, 0x00, 0x09, 0x00, 0x00, 0x00},  // if_tsresol = 9
                               {0x00, 0x00, 0x00, 0x00},                          // opt_endofopt
                               {0x3C, 0x00, 0x00, 0x00},                          // total length
                               // Second interface: no name or description.
                               {0x01, 0x00, 0x00, 0x00, 0x20, 0x00, 0x00, 0x00},  // IDB, 32 bytes
                               {0x01, 0x00, 0x00, 0x00, 0x60, 0x00, 0x00, 0x00},  // Ethernet, snaplen 96
                               {0x09, 0x00, 0x01, 0x00, 0x09, 0x00, 0x00, 0x00},  // if_tsresol = 9
                               {0x00, 0x00, 0x00, 0x00, 0x20, 0x00, 0x00, 0x00},  // end, total length
                           }));
}

TEST_CASE("pcapng enhanced packet block with comment and direction", "[capture][pcapng]") {
  TempDir dir;
  const std::string path = dir.file("epb.pcapng");
  {
    PcapngWriter w(path, kEpochNs);
    w.add_interface("", "");
    // Unix time 1'700'000'000'000'000'007 ns = 0x17979CFE'362A0007.
    w.write(0, Time::from_ns(7), Bytes{1, 2, 3, 4, 5}, "odd", Direction::kOutbound);
    CHECK(w.packets_written() == 1);
  }
  const Bytes bytes = after_shb(path);
  REQUIRE(bytes.size() == 32 + 60);
  CHECK(Bytes(bytes.begin() + 32, bytes.end()) ==
        concat({
            {0x06, 0x00, 0x00, 0x00},              // block type EPB
            {0x3C, 0x00, 0x00, 0x00},              // total length 60
            {0x00, 0x00, 0x00, 0x00},              // interface 0
            {0xFE, 0x9C, 0x97, 0x17},              // timestamp, high 32 bits
            {0x07, 0x00, 0x2A, 0x36},              // timestamp, low 32 bits
            {0x05, 0x00, 0x00, 0x00},              // captured length
            {0x05, 0x00, 0x00, 0x00},              // original length
            {1, 2, 3, 4, 5, 0, 0, 0},              // data, padded to 32 bits
            {0x01, 0x00, 0x03, 0x00}, text("odd"), {0},  // opt_comment, 3 + 1 pad
            {0x02, 0x00, 0x04, 0x00, 0x02, 0x00, 0x00, 0x00},  // epb_flags: outbound
            {0x00, 0x00, 0x00, 0x00},                          // opt_endofopt
            {0x3C, 0x00, 0x00, 0x00},                          // total length
        }));
}

TEST_CASE("pcapng enhanced packet block without options has no end-of-options", "[capture][pcapng]") {
  TempDir dir;
  const std::string path = dir.file("bare.pcapng");
  {
    PcapngWriter w(path, 0);
    w.add_interface("", "", 3);  // truncates to 3 bytes
    w.write(0, Time::from_ns(0x1'0000'0002), Bytes{9, 8, 7, 6});
    w.write(0, Time::from_ns(1), Bytes{}, "", Direction::kInbound);
  }
  const Bytes bytes = after_shb(path);
  REQUIRE(bytes.size() == 32 + 36 + 44);
  CHECK(Bytes(bytes.begin() + 32, bytes.end()) ==
        concat({
            {0x06, 0x00, 0x00, 0x00, 0x24, 0x00, 0x00, 0x00},  // EPB, 36 bytes
            {0x00, 0x00, 0x00, 0x00},                          // interface 0
            {0x01, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00},  // timestamp 2^32 + 2
            {0x03, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00},  // 3 of 4 bytes
            {9, 8, 7, 0},                                      // data, padded
            {0x24, 0x00, 0x00, 0x00},                          // total length
            {0x06, 0x00, 0x00, 0x00, 0x2C, 0x00, 0x00, 0x00},  // EPB, 44 bytes
            {0x00, 0x00, 0x00, 0x00},                          // interface 0
            {0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00},  // timestamp 1
            {0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00},  // empty frame: no data
            {0x02, 0x00, 0x04, 0x00, 0x01, 0x00, 0x00, 0x00},  // epb_flags: inbound
            {0x00, 0x00, 0x00, 0x00, 0x2C, 0x00, 0x00, 0x00},  // end, total length
        }));
}

TEST_CASE("pcapng comments that fill whole words get no padding", "[capture][pcapng]") {
  TempDir dir;
  const std::string path = dir.file("c.pcapng");
  {
    PcapngWriter w(path, 0);
    w.add_interface("", "");
    w.write(0, Time::zero(), Bytes{0xAB, 0xCD, 0xEF, 0x01}, "four");
  }
  const Bytes bytes = after_shb(path);
  REQUIRE(bytes.size() == 32 + 48);
  CHECK(Bytes(bytes.begin() + 32 + 28, bytes.end()) ==
        concat({
            {0xAB, 0xCD, 0xEF, 0x01},                       // data, no padding
            {0x01, 0x00, 0x04, 0x00}, text("four"),         // opt_comment
            {0x00, 0x00, 0x00, 0x00, 0x30, 0x00, 0x00, 0x00},  // end, total length 48
        }));
}

TEST_CASE("pcapng interfaces may be added after packets", "[capture][pcapng]") {
  TempDir dir;
  const std::string path = dir.file("late.pcapng");
  {
    PcapngWriter w(path, 0);
    w.add_interface("a", "");
    w.write(0, Time::zero(), Bytes{1});
    CHECK(w.add_interface("b", "") == 1);
    w.write(1, Time::zero(), Bytes{2});
  }
  const Bytes bytes = after_shb(path);
  // In call order: IDB "a" (40 bytes), EPB (36), IDB "b" (40), EPB (36).
  REQUIRE(bytes.size() == 152);
  CHECK(bytes[0] == 0x01);
  CHECK(bytes[20] == 'a');  // if_name value
  CHECK(bytes[40] == 0x06);
  CHECK(bytes[40 + 8] == 0);  // interface 0
  CHECK(bytes[76] == 0x01);
  CHECK(bytes[76 + 20] == 'b');
  CHECK(bytes[116] == 0x06);
  CHECK(bytes[116 + 8] == 1);  // interface 1
}

TEST_CASE("pcapng writer refuses what the format cannot hold", "[capture][pcapng]") {
  TempDir dir;
  PcapngWriter w(dir.file("e.pcapng"), 0);
  CHECK_THROWS_AS(w.write(0, Time::zero(), Bytes{1}), std::out_of_range);  // no interface yet
  w.add_interface("x", "");
  CHECK_THROWS_AS(w.write(1, Time::zero(), Bytes{1}), std::out_of_range);
  CHECK_THROWS_AS(w.write(0, Time::from_ns(-1), Bytes{1}), std::out_of_range);
  const std::string long_text(65536, 'c');
  CHECK_THROWS_AS(w.write(0, Time::zero(), Bytes{1}, long_text), std::length_error);
  CHECK_THROWS_AS(w.add_interface(long_text, ""), std::length_error);
  w.write(0, Time::zero(), Bytes{1}, std::string_view(long_text).substr(0, 65535));
  CHECK(w.packets_written() == 1);
  w.close();
  CHECK_THROWS_AS(w.write(0, Time::zero(), Bytes{1}), std::logic_error);
  CHECK_THROWS_AS(w.add_interface("y", ""), std::logic_error);
}
