// The foundation end to end: two hosts, a link with 5% Bernoulli loss each
// way, a few hundred hand-built TCP segments, captures in pcap and pcapng at
// the client NIC and on the link. tshark (checksum validation on) must read
// every file with no malformed packet, no bad checksum, no expert error, and
// show exactly the frames and drop comments that were written.

#include <catch2/catch.hpp>

#include <sstream>
#include <string>
#include <vector>

#include "file_bytes.hpp"
#include "scripted_transfer.hpp"
#include "temp_dir.hpp"
#include "tshark.hpp"
#include "wiresim/capture/capture_reader.hpp"

using namespace wiresim::test;

namespace {

std::vector<std::string> lines_of(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

/// tshark finds nothing wrong: every frame parses, checksums are good, and
/// the expert summary has no Errors heading.
void check_clean(const std::string& file, std::uint64_t expected_frames) {
  INFO(file);
  CHECK(line_count(tshark_fields(file, {"frame.number"})) == expected_frames);
  CHECK(tshark_fields(file, {"frame.number"}, "_ws.malformed || _ws.expert.severity == error").empty());
  CHECK(tshark_fields(file, {"frame.number"}, "ip.checksum.status != 1 || tcp.checksum.status != 1").empty());
  for (const std::string& h : tshark_expert_headings(file)) CHECK(h.rfind("Errors", 0) != 0);
}

/// tshark's (seq_raw, len, flags) per frame equal what our own reader finds
/// in the bytes we wrote: Wireshark shows exactly what was written.
void check_same_frames(const std::string& file) {
  INFO(file);
  const auto frames = wiresim::capture::read_capture_file(file);
  const auto ts = lines_of(tshark_fields(file, {"frame.len", "tcp.seq_raw", "tcp.len"}));
  REQUIRE(ts.size() == frames.size());
  for (std::size_t i = 0; i < frames.size(); ++i) {
    const auto& b = frames[i].bytes;
    const std::uint32_t seq = (std::uint32_t{b[38]} << 24) | (std::uint32_t{b[39]} << 16) |
                              (std::uint32_t{b[40]} << 8) | std::uint32_t{b[41]};
    const std::size_t tcp_len = b.size() - 14 - 20 - static_cast<std::size_t>((b[46] >> 4) * 4);
    CHECK(ts[i] == std::to_string(b.size()) + "\t" + std::to_string(seq) + "\t" + std::to_string(tcp_len));
  }
}

}  // namespace

TEST_CASE("a lossy two-host transfer gives captures tshark reads without complaint", "[integration][capture][tshark]") {
  if (!have_tshark()) return;
  TempDir dir;
  const ScriptedTransferResult r = run_scripted_transfer(dir.path(), {});
  // 3 handshake + 300 data + 300 acks + 3 close.
  REQUIRE(r.segments_sent == 606);
  REQUIRE(r.frames_dropped > 10);  // 5% of 606: the loss really happened
  CHECK(r.frames_delivered + r.frames_dropped == r.segments_sent);
  CHECK(r.link_pcap_frames == r.frames_delivered);
  CHECK(r.link_pcapng_frames == r.segments_sent);

  check_clean(dir.file("client.pcap"), r.client_frames);
  check_clean(dir.file("client.pcapng"), r.client_frames);
  check_clean(dir.file("link.pcap"), r.link_pcap_frames);
  check_clean(dir.file("link.pcapng"), r.link_pcapng_frames);
  for (const char* f : {"client.pcap", "client.pcapng", "link.pcap", "link.pcapng"}) check_same_frames(dir.file(f));

  // The dropped frames, and only they, carry comments saying why.
  const auto comments = lines_of(tshark_fields(dir.file("link.pcapng"), {"frame.comment"}, "frame.comment"));
  CHECK(comments == r.drop_comments);
  CHECK(tshark_fields(dir.file("client.pcapng"), {"frame.comment"}, "frame.comment").empty());
}

TEST_CASE("the same seed gives byte-identical captures, another seed does not", "[integration][determinism]") {
  TempDir a, b, c;
  run_scripted_transfer(a.path(), {});
  run_scripted_transfer(b.path(), {});
  ScriptedTransferOptions other;
  other.seed = 2;
  run_scripted_transfer(c.path(), other);
  for (const char* f : {"client.pcap", "client.pcapng", "link.pcap", "link.pcapng"}) {
    INFO(f);
    const std::vector<std::uint8_t> first = file_bytes(a.file(f));
    CHECK(first.size() > 10'000);
    CHECK(first == file_bytes(b.file(f)));
    CHECK(first != file_bytes(c.file(f)));
  }
}
