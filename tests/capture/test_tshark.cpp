// tshark (Wireshark 4.0) is the judge of our capture files: it must read
// every frame with the exact nanosecond timestamps, comments, interfaces
// and directions we wrote, verify the checksums, and raise no expert
// errors or warnings. Without tshark these tests WARN loudly and pass.

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <sstream>
#include <string>
#include <vector>

#include "process.hpp"
#include "tshark.hpp"
#include "tcp_frame.hpp"
#include "temp_dir.hpp"
#include "wiresim/capture/pcap_writer.hpp"
#include "wiresim/capture/pcapng_writer.hpp"

using wiresim::Time;
using wiresim::capture::Direction;
using wiresim::capture::PcapngWriter;
using wiresim::capture::PcapWriter;
using wiresim::test::handshake_and_hello;
using wiresim::test::have_tshark;
using wiresim::test::tshark_fields;
using wiresim::test::program_available;
using wiresim::test::run_process;
using wiresim::test::Stderr;
using wiresim::test::TempDir;

namespace {

/// Unix time of simulated t=0: 2023-11-14T22:13:20.123456789Z.
constexpr std::int64_t kEpochNs = 1'700'000'000'123'456'789;

/// Frame i is captured at i * 1.000001 ms + 7 ns.
Time frame_time(std::size_t i) { return Time::from_ns(static_cast<std::int64_t>(i) * 1'000'001 + 7); }

}  // namespace

TEST_CASE("tshark reads our pcap with exact nanosecond timestamps", "[capture][pcap][tshark]") {
  if (!have_tshark()) return;
  TempDir dir;
  const std::string path = dir.file("hello.pcap");
  {
    PcapWriter w(path, kEpochNs);
    const auto frames = handshake_and_hello();
    for (std::size_t i = 0; i < frames.size(); ++i) w.write(frame_time(i), frames[i]);
  }
  // Checksum status 1 = Good (Wireshark's PROTO_CHECKSUM_E_GOOD).
  CHECK(tshark_fields(path, {"frame.number", "frame.time_epoch", "frame.len", "tcp.flags.str",
                             "ip.checksum.status", "tcp.checksum.status", "tcp.payload"}) ==
        "1\t1700000000.123456796\t54\t··········S·\t1\t1\t\n"
        "2\t1700000000.124456797\t54\t·······A··S·\t1\t1\t\n"
        "3\t1700000000.125456798\t54\t·······A····\t1\t1\t\n"
        "4\t1700000000.126456799\t59\t·······AP···\t1\t1\t68656c6c6f\n"
        "5\t1700000000.127456800\t54\t·······A····\t1\t1\t\n");
  CHECK(wiresim::test::tshark_expert_headings(path) == std::vector<std::string>{"Chats (2)"});
}

TEST_CASE("tshark reads our pcapng with interfaces, comments and directions", "[capture][pcapng][tshark]") {
  if (!have_tshark()) return;
  TempDir dir;
  const std::string path = dir.file("hello.pcapng");
  {
    PcapngWriter w(path, kEpochNs);
    w.add_interface("client-eth0", "client side");
    const auto frames = handshake_and_hello();
    for (std::size_t i = 0; i < frames.size(); ++i) {
      if (i == 2) w.add_interface("server-eth0", "server side");  // after the first packets
      const std::uint32_t iface = i < 2 ? 0 : 1;
      const std::string comment = i % 2 == 1 ? "odd-length comment #" + std::to_string(i) : "";
      w.write(iface, frame_time(i), frames[i], comment, i == 4 ? Direction::kUnknown
                                                       : i % 2 == 0 ? Direction::kOutbound
                                                                    : Direction::kInbound);
    }
  }
  // Direction: 0x1 inbound, 0x2 outbound, empty when epb_flags is absent.
  CHECK(tshark_fields(path, {"frame.number", "frame.time_epoch", "frame.interface_id", "frame.interface_name",
                             "frame.interface_description", "frame.packet_flags_direction", "frame.comment",
                             "ip.checksum.status", "tcp.checksum.status"}) ==
        "1\t1700000000.123456796\t0\tclient-eth0\tclient side\t0x00000002\t\t1\t1\n"
        "2\t1700000000.124456797\t0\tclient-eth0\tclient side\t0x00000001\todd-length comment #1\t1\t1\n"
        "3\t1700000000.125456798\t1\tserver-eth0\tserver side\t0x00000002\t\t1\t1\n"
        "4\t1700000000.126456799\t1\tserver-eth0\tserver side\t0x00000001\todd-length comment #3\t1\t1\n"
        "5\t1700000000.127456800\t1\tserver-eth0\tserver side\t\t\t1\t1\n");
  CHECK(wiresim::test::tshark_expert_headings(path) == std::vector<std::string>{"Chats (2)", "Comments (2)"});
}

TEST_CASE("tshark check catches a bad TCP checksum", "[capture][pcap][tshark]") {
  // Control for the tests above: a corrupted checksum must be visible.
  if (!have_tshark()) return;
  TempDir dir;
  const std::string path = dir.file("bad.pcap");
  {
    PcapWriter w(path, kEpochNs);
    auto frames = handshake_and_hello();
    frames[3][14 + 20 + 16] ^= 0x01;  // TCP checksum of the "hello" segment
    for (std::size_t i = 0; i < frames.size(); ++i) w.write(frame_time(i), frames[i]);
  }
  CHECK(tshark_fields(path, {"frame.number", "tcp.checksum.status"}) == "1\t1\n2\t1\n3\t1\n4\t0\n5\t1\n");
  const auto headings = wiresim::test::tshark_expert_headings(path);
  CHECK(std::find(headings.begin(), headings.end(), "Errors (1)") != headings.end());
}
