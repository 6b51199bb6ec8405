// report::diff: features of real captures as the reference README states
// them, and the whole comparison pinned on two committed simulated captures.

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "wiresim/report/diff.hpp"

namespace rp = wiresim::report;

namespace {
std::filesystem::path source(const std::string& rel) { return std::filesystem::path(WIRESIM_TEST_SOURCE_DIR) / rel; }
std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  REQUIRE(in);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}
std::string objects_map(const rp::CaptureFeatures& f) {
  std::string out;
  for (std::size_t i = 0; i < f.connections.size(); ++i) {
    for (const rp::HttpObject& o : f.connections[i].objects) out += o.path + "@" + std::to_string(i) + " ";
  }
  return out;
}
}  // namespace

TEST_CASE("diff: features of the real Chromium capture, as the reference README counts them", "[report][diff]") {
  const rp::CaptureFeatures f = rp::capture_features(source("tests/fidelity/captures/chromium_d20_l0.pcap"));
  REQUIRE(f.connections.size() == 2);
  CHECK(objects_map(f) == "/@0 /Myhead.jpg@0 /background.png@1 /favicon.ico@1 ");
  const rp::ConnectionFeatures& c0 = f.connections[0];
  CHECK(c0.syn_frame_len == 74);
  CHECK(c0.synack_frame_len == 74);
  CHECK(c0.third_ack_frame_len == 66);
  CHECK(c0.syn_options == "MSS,SACK_PERM,TS,NOP,WS");
  CHECK(c0.syn_window == 64240);
  CHECK(c0.synack_window == 65160);
  CHECK(c0.client_wscale == std::optional<std::uint8_t>{10});
  CHECK(c0.client_first_window == 64512);
  CHECK(c0.server_first_window == 65536);
  CHECK(c0.server_max_payload == 1448);
  REQUIRE(c0.objects.size() == 2);
  CHECK(c0.objects[0].segments == 1);
  CHECK(c0.objects[0].bytes == 665);
  CHECK(c0.objects[1].segments == 18);
  CHECK(f.connections[1].objects[0].segments == 53);
  CHECK(c0.server_psh + f.connections[1].server_psh == 38);
  CHECK(c0.server_data_segments + f.connections[1].server_data_segments == 19 + 54);
  CHECK(c0.close_initiator == "client");
  CHECK(c0.close_segments == 3);
  CHECK(c0.retransmissions == 0);
  REQUIRE(f.page_load_s);
  CHECK(*f.page_load_s > 0.2);
  CHECK(*f.page_load_s < 0.3);
}

TEST_CASE("diff: the server-first close and the lost GET's RTO of the real captures", "[report][diff]") {
  const rp::CaptureFeatures ka = rp::capture_features(source("tests/fidelity/captures/chromium-serverclose-ka3_d20_l0.pcap"));
  REQUIRE(!ka.connections.empty());
  CHECK(ka.connections[0].close_initiator == "server");
  CHECK(ka.connections[0].close_segments == 4);
  const rp::CaptureFeatures lossy = rp::capture_features(source("tests/fidelity/captures/chromium_d20_l2_s1.pcap"));
  REQUIRE(!lossy.connections.empty());
  // The GET of Myhead.jpg was lost once and sent again after Linux's RTO of about 0.25 s.
  REQUIRE(lossy.connections[0].rto_s.size() == 1);
  CHECK(lossy.connections[0].rto_s[0] > 0.2);
  CHECK(lossy.connections[0].rto_s[0] < 0.3);
  CHECK(objects_map(lossy) == "/@0 /Myhead.jpg@0 /favicon.ico@0 /background.png@1 ");
}

TEST_CASE("diff: the comparison of two committed simulated captures is pinned", "[report][diff][golden]") {
  // Re-approve with the commands in tests/report/fixtures/README.md.
  const rp::DiffResult d =
      rp::diff_captures(source("tests/report/fixtures/diff-lab.pcapng"), source("tests/report/fixtures/diff-lab-loss.pcapng"));
  CHECK(rp::diff_text(d) == slurp(source("tests/report/fixtures/diff-lab.golden.txt")));
  CHECK(rp::diff_json(d) == slurp(source("tests/report/fixtures/diff-lab.golden.json")));
  CHECK(d.first_divergence.found);
  CHECK(d.first_divergence.frame_a == 30);
}

TEST_CASE("diff: --pair beyond the connections is refused", "[report][diff]") {
  CHECK_THROWS_AS(rp::diff_captures(source("tests/report/fixtures/diff-lab.pcapng"),
                                    source("tests/report/fixtures/diff-lab-loss.pcapng"), {{0, 5}}),
                  std::invalid_argument);
  const rp::DiffResult swapped = rp::diff_captures(source("tests/report/fixtures/diff-lab.pcapng"),
                                                   source("tests/report/fixtures/diff-lab-loss.pcapng"), {{0, 1}, {1, 0}});
  REQUIRE(swapped.pairs.size() == 2);
  CHECK(swapped.pairs[0] == std::pair<std::size_t, std::size_t>{0, 1});
  CHECK(swapped.first_divergence.found);
}
