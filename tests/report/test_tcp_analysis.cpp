// report::analyze_tcp against tshark (Wireshark 4.0), frame by frame and
// flag by flag, on every real capture in tests/fidelity/captures/ (Linux,
// nginx, Chromium, curl; with and without loss).

#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "tcp_analysis_check.hpp"
#include "wiresim/report/run_folder.hpp"
#include "wiresim/report/tcp_analysis.hpp"

using namespace wiresim::test;
namespace rp = wiresim::report;

namespace {
std::vector<std::filesystem::path> reference_captures() {
  std::vector<std::filesystem::path> out;
  for (const auto& e : std::filesystem::directory_iterator(std::filesystem::path(WIRESIM_TEST_SOURCE_DIR) / "tests" /
                                                            "fidelity" / "captures")) {
    if (e.path().extension() == ".pcap" || e.path().extension() == ".pcapng") out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}
}  // namespace

TEST_CASE("tcp analysis: the frames Wireshark flags in every reference capture", "[report][tcp_analysis][tshark]") {
  const auto files = reference_captures();
  REQUIRE(files.size() >= 7);
  if (!have_tshark()) return;
  std::size_t flagged = 0;
  for (const auto& file : files) {
    INFO(file.filename().string());
    const auto ours = our_analysis_lines(rp::read_tcp_segments(file));
    const auto theirs = tshark_analysis_lines(file.string());
    CHECK(ours == theirs);
    flagged += theirs.size();
  }
  CHECK(flagged > 10);  // the lossy captures have holes, dup ACKs and resends
}

TEST_CASE("tcp analysis: labels read as Wireshark's Info column", "[report][tcp_analysis]") {
  rp::TcpFrameAnalysis a;
  a.flags = rp::kTaDuplicateAck;
  a.dup_ack_num = 2;
  a.dup_ack_frame = 12;
  CHECK(rp::analysis_labels(a) == std::vector<std::string>{"TCP Dup ACK 12#2"});
  a.flags = rp::kTaLostSegment | rp::kTaWindowUpdate;
  CHECK(rp::analysis_labels(a) == std::vector<std::string>{"TCP Window Update", "TCP Previous segment not captured"});
  a.flags = rp::kTaFastRetransmission;
  CHECK(rp::analysis_labels(a) == std::vector<std::string>{"TCP Fast Retransmission"});
}
