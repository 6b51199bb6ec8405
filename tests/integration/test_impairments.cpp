// Link impairments (duplicate, corrupt, reorder; net/impairment.hpp) in
// whole runs, judged by tshark: a corrupted frame shows its bad checksum in
// the receiver's capture and the receiver drops and counts it; a duplicated
// frame appears twice, byte for byte, and TCP answers it with a D-SACK;
// gap reordering delivers frames in exactly the order netem's rule gives.

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "run_helpers.hpp"
#include "temp_dir.hpp"
#include "tshark.hpp"

using namespace wiresim::test;
using Json = nlohmann::ordered_json;

namespace {

/// Two linux hosts on one 10 ms link; `link` adds keys to the link, `tcp`
/// to both hosts' tcp map, and the client sends `bytes` to the server.
std::string two_hosts(const std::string& link, const std::string& bytes, const std::string& tcp = "") {
  return "name: impairments\n"
         "hosts:\n"
         "  client: { address: 10.0.0.1/24, tcp: { profile: linux" + tcp + " } }\n"
         "  server: { address: 10.0.0.2/24, tcp: { profile: linux" + tcp + " } }\n"
         "links:\n"
         "  l: { a: client, b: server, bandwidth: 10Mbps, delay: 10ms, queue: { packets: 100 }, " + link + " }\n"
         "apps:\n"
         "  bulk: { type: bulk, from: client, to: server, port: 5001, bytes: " + bytes + " }\n"
         "captures:\n"
         "  client: { node: client, format: pcapng }\n"
         "  server: { node: server, format: pcapng }\n";
}

void run_ok(const std::string& text, const std::filesystem::path& out, std::uint64_t seed = 1) {
  wiresim::scenario::LoadOptions options;
  options.seed = seed;
  REQUIRE(run_scenario_text(text, out, options) == 0);
}

std::uint64_t count_lines(const std::string& text) { return split_lines(text).size(); }

/// The server's entry of summary.json's "tcp" array.
Json server_stack(const Json& summary) {
  for (const Json& s : summary["tcp"]) {
    if (s["host"] == "server") return s;
  }
  FAIL("no tcp entry for the server");
  return {};
}

std::uint64_t ip_drops(const Json& stack, const char* cause) {
  return stack["ip_drops"].contains(cause) ? stack["ip_drops"][cause].get<std::uint64_t>() : 0;
}

const std::string kFromClient = "ip.src == 10.0.0.1";

}  // namespace

TEST_CASE("corrupt 100% on a direction: the receiver drops and counts every frame, tshark sees each one damaged",
          "[integration][impairment][corrupt]") {
  if (!have_tshark()) return;
  TempDir dir("wiresim-corrupt");
  const std::filesystem::path out = dir.path() / "out";
  // Every SYN is damaged: the client tries 1 + syn_retries times, then gives up.
  run_ok(two_hosts("a_to_b: { corrupt: 100% }", "10kB", ", syn_retries: 4"), out, 3);
  const Json summary = read_summary(out);
  const Json& ab = summary["links"][0]["a_to_b"];
  const std::uint64_t n = ab["packets_sent"].get<std::uint64_t>();
  CHECK(n == 5);
  CHECK(ab["impairments"]["corrupted"] == n);
  CHECK(ab["impairments"]["duplicated"] == 0);
  const Json server = server_stack(summary);
  // Linux's order (ip_rcv_core, tcp_v4_rcv): a damaged IPv4 header fails
  // its checks; a damaged TCP header or payload reaches TCP, which finds a
  // bad data offset or options (malformed) or a bad checksum.
  const std::uint64_t tcp_bad = server["bad_checksum"].get<std::uint64_t>() + server["malformed"].get<std::uint64_t>();
  const std::uint64_t ip_bad = ip_drops(server, "bad_checksum") + ip_drops(server, "malformed_ipv4");
  CHECK(tcp_bad + ip_bad == n);
  CHECK(server["segments_received"] == tcp_bad);  // every one that reached TCP was refused
  CHECK(server["passive_opens"] == 0);
  CHECK(server["segments_sent"] == 0);

  // The server's capture is taken as frames arrive, before its checks.
  const std::string cap = (out / "server.pcapng").string();
  CHECK(count_lines(tshark_fields(cap, {"frame.number"})) == n);
  // 0 = Bad: every frame fails one of the checks; those with a good IPv4
  // header are exactly the ones the server's TCP counted.
  CHECK(count_lines(tshark_fields(cap, {"frame.number"},
                                  "ip.checksum.status == 0 || tcp.checksum.status == 0 || _ws.malformed || "
                                  "_ws.expert.severity == error")) == n);
  CHECK(count_lines(tshark_fields(cap, {"frame.number"}, "ip.checksum.status == 1 && tcp.checksum.status == 0")) ==
        tcp_bad);
  // The client sent them intact.
  const std::string client_cap = (out / "client.pcapng").string();
  CHECK(count_lines(tshark_fields(client_cap, {"frame.number"}, "ip.checksum.status != 1 || tcp.checksum.status != 1"))
        == 0);
}

TEST_CASE("corrupt 5% on the data direction: the transfer completes, drops match tshark's bad checksums",
          "[integration][impairment][corrupt]") {
  if (!have_tshark()) return;
  TempDir dir("wiresim-corrupt5");
  const std::filesystem::path out = dir.path() / "out";
  run_ok(two_hosts("a_to_b: { corrupt: 5% }", "300kB"), out, 2);
  const Json summary = read_summary(out);
  const std::uint64_t corrupted = summary["links"][0]["a_to_b"]["impairments"]["corrupted"].get<std::uint64_t>();
  CHECK(corrupted > 0);
  CHECK_FALSE(summary["links"][0]["b_to_a"].contains("impairments"));  // none configured that way
  const Json server = server_stack(summary);
  const std::uint64_t tcp_bad = server["bad_checksum"].get<std::uint64_t>() + server["malformed"].get<std::uint64_t>();
  CHECK(tcp_bad + ip_drops(server, "bad_checksum") + ip_drops(server, "malformed_ipv4") == corrupted);
  const std::string cap = (out / "server.pcapng").string();
  CHECK(count_lines(tshark_fields(cap, {"frame.number"},
                                  kFromClient + " && (ip.checksum.status == 0 || tcp.checksum.status == 0 || "
                                                "_ws.malformed || _ws.expert.severity == error)")) == corrupted);
  CHECK(count_lines(tshark_fields(cap, {"frame.number"}, "ip.checksum.status == 1 && tcp.checksum.status == 0")) ==
        tcp_bad);
  CHECK(summary["apps"][0]["bytes_received"] == 300'000);
}

TEST_CASE("duplicate 100%: the receiver's capture holds every frame twice, and TCP answers with D-SACKs",
          "[integration][impairment][duplicate]") {
  if (!have_tshark()) return;
  TempDir dir("wiresim-duplicate");
  const std::filesystem::path out = dir.path() / "out";
  run_ok(two_hosts("a_to_b: { duplicate: 100% }", "50kB"), out);
  const Json summary = read_summary(out);
  const std::vector<std::string> fields{"frame.len", "ip.id", "tcp.seq_raw", "tcp.ack_raw", "tcp.len", "tcp.flags",
                                        "tcp.window_size_value", "tcp.checksum"};
  const std::vector<std::string> sent = split_lines(tshark_fields((out / "client.pcapng").string(), fields, kFromClient));
  const std::vector<std::string> got = split_lines(tshark_fields((out / "server.pcapng").string(), fields, kFromClient));
  REQUIRE(got.size() == 2 * sent.size());
  for (std::size_t i = 0; i < sent.size(); ++i) {
    INFO("frame " << i);
    CHECK(got[2 * i] == sent[i]);
    CHECK(got[2 * i + 1] == sent[i]);
  }
  CHECK(summary["links"][0]["a_to_b"]["impairments"]["duplicated"] == sent.size());
  // RFC 2883: the receiver reports each duplicate data segment in a D-SACK block.
  const std::string dsacks = tshark_fields((out / "server.pcapng").string(), {"frame.number"},
                                           "ip.src == 10.0.0.2 && tcp.options.sack.dsack_le");
  CHECK(count_lines(dsacks) > 0);
  CHECK(count_lines(tshark_fields((out / "server.pcapng").string(), {"frame.number"}, "tcp.analysis.duplicate_ack")) > 0);
  CHECK(summary["apps"][0]["bytes_received"] == 50'000);
}

TEST_CASE("reorder 100% gap 3: every third frame overtakes the two before it", "[integration][impairment][reorder]") {
  if (!have_tshark()) return;
  TempDir dir("wiresim-reorder");
  const std::filesystem::path out = dir.path() / "out";
  run_ok(two_hosts("a_to_b: { reorder: { p: 100%, gap: 3 } }", "30kB"), out);
  const Json summary = read_summary(out);
  // ip.id and the client's send time (ns since the epoch) of each frame.
  std::vector<std::string> sent;
  std::vector<std::int64_t> sent_ns;
  for (const std::string& line :
       split_lines(tshark_fields((out / "client.pcapng").string(), {"ip.id", "frame.time_epoch"}, kFromClient))) {
    const std::vector<std::string> f = split_tabs(line);
    REQUIRE(f.size() == 2);
    sent.push_back(f[0]);
    const std::size_t dot = f[1].find('.');
    sent_ns.push_back(std::stoll(f[1].substr(0, dot)) * 1'000'000'000 + std::stoll((f[1].substr(dot + 1) + "000000000").substr(0, 9)));
  }
  const std::vector<std::string> got =
      split_lines(tshark_fields((out / "server.pcapng").string(), {"ip.id"}, kFromClient));
  REQUIRE(got.size() == sent.size());
  CHECK(summary["links"][0]["a_to_b"]["impairments"]["reordered"] == sent.size() / 3);
  // Frame 3k (1-based) is sent without the 10 ms delay: it arrives ahead of
  // the frame sent before it whenever that one is still in flight, which it
  // is if it was sent less than 5 ms earlier (10 Mbit/s: at most 1.2 ms of
  // serialisation between them).
  std::vector<std::size_t> at(sent.size());
  for (std::size_t i = 0; i < sent.size(); ++i) {
    at[i] = static_cast<std::size_t>(std::find(got.begin(), got.end(), sent[i]) - got.begin());
  }
  std::size_t overtaken = 0;
  for (std::size_t i = 2; i < sent.size(); i += 3) {
    INFO("frame " << i + 1);
    if (sent_ns[i] - sent_ns[i - 1] >= 5'000'000) continue;
    CHECK(at[i] < at[i - 1]);
    ++overtaken;
  }
  CHECK(overtaken > 3);
  // The frames sent with the delay keep their order among themselves.
  std::vector<std::size_t> delayed;
  for (std::size_t i = 0; i < sent.size(); ++i) {
    if (i % 3 != 2) delayed.push_back(at[i]);
  }
  CHECK(std::is_sorted(delayed.begin(), delayed.end()));
  CHECK(summary["apps"][0]["bytes_received"] == 30'000);
}
