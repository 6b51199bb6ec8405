// Queue disciplines and ECN end to end, judged by tshark: an ECN-setup
// handshake (RFC 3168 §6.1.1) between a client that asks (ecn: on) and a
// Linux server that accepts (tcp_ecn=2), CoDel marking CE at a 10 Mbit/s
// bottleneck, every mark echoed and answered by exactly one cwnd reduction
// and one CWR; a Windows server refusing; FQ-CoDel and RED dropping
// Not-ECT traffic with the drops counted under "aqm".

#include <catch2/catch.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "run_helpers.hpp"
#include "temp_dir.hpp"
#include "tshark.hpp"

using namespace wiresim::test;
using Json = nlohmann::ordered_json;

namespace {

std::string scenario(const std::string& client_tcp, const std::string& server_tcp, const std::string& queue) {
  return "name: aqm-ecn\n"
         "hosts:\n"
         "  client: { address: 10.0.0.1/24, tcp: " + client_tcp + " }\n"
         "  server: { address: 10.0.0.2/24, tcp: " + server_tcp + " }\n"
         "links:\n"
         "  l: { a: client, b: server, bandwidth: 10Mbps, delay: 10ms, a_to_b: { queue: " + queue + " } }\n"
         "apps:\n"
         "  bulk: { type: bulk, from: client, to: server, port: 5001, bytes: 2MB }\n"
         "captures:\n"
         "  client: { node: client, format: pcapng }\n"
         "  server: { node: server, format: pcapng }\n";
}

std::uint64_t count(const std::string& cap, const std::string& filter) {
  return line_count(tshark_fields(cap, {"frame.number"}, filter));
}

/// Counter `key` of `node`'s connection; 0 when summary.json leaves it out.
std::uint64_t counter(const Json& summary, std::string_view node, const char* key) {
  const Json c = connection_counters(summary, node);
  return c.contains(key) ? c[key].get<std::uint64_t>() : 0;
}

}  // namespace

TEST_CASE("ECN through CoDel: handshake, ECT(0), CE, ECE until CWR, one reduction per mark",
          "[integration][aqm][ecn]") {
  if (!have_tshark()) return;
  TempDir dir;
  const auto out = dir.path() / "run";
  REQUIRE(run_scenario_text(scenario("{ profile: linux, ecn: on }", "{ profile: linux }",
                                     "{ discipline: codel, ecn: true }"),
                            out) == 0);
  const std::string client = (out / "client.pcapng").string();
  const std::string server = (out / "server.pcapng").string();
  check_capture_clean(client, count(client, ""));
  check_capture_clean(server, count(server, ""));  // marked headers keep good checksums

  // The ECN-setup SYN (ECE and CWR) and the SYN-ACK that accepts (ECE only).
  CHECK(split_lines(tshark_fields(client, {"tcp.flags.ece", "tcp.flags.cwr", "ip.dsfield.ecn"}, "tcp.flags.syn == 1")) ==
        std::vector<std::string>{"1\t1\t0", "1\t0\t0"});
  // New data leaves ECT(0); pure ACKs and the handshake Not-ECT.
  CHECK(count(client, "tcp.len > 0 && ip.dsfield.ecn != 2 && ip.src == 10.0.0.1") == 0);
  CHECK(count(client, "tcp.len == 0 && ip.dsfield.ecn != 0") == 0);

  const Json summary = read_summary(out);
  const Json& ab = summary["links"][0]["a_to_b"];
  CHECK(ab["queue_discipline"] == "codel");
  const auto marked = ab["ecn_marked"].get<std::uint64_t>();
  REQUIRE(marked > 0);
  CHECK(ab["drops"]["aqm"] == 0);  // every packet was ECN-capable: marked, never dropped
  // What the server received CE is what the queue marked.
  CHECK(count(server, "ip.dsfield.ecn == 3") == marked);
  CHECK(counter(summary, "server", "ce_received") == marked);
  // Each mark: one cwnd reduction and exactly one CWR from the client, no loss.
  CHECK(counter(summary, "client", "ecn_reductions") == marked);
  CHECK(count(client, "tcp.flags.cwr == 1 && tcp.flags.syn == 0") == marked);
  CHECK(retransmits_total(connection_counters(summary, "client")) == 0);
  // The server sets ECE from the first ACK after a CE until the CWR segment.
  CHECK(count(server, "tcp.flags.ece == 1 && tcp.flags.syn == 0") >= marked);
}

TEST_CASE("ECN: a Windows server (ECN disabled) answers without ECE, so nothing is ECT and CoDel drops instead",
          "[integration][aqm][ecn]") {
  if (!have_tshark()) return;
  TempDir dir;
  const auto out = dir.path() / "run";
  REQUIRE(run_scenario_text(scenario("{ profile: linux, ecn: on }", "{ profile: windows }",
                                     "{ discipline: codel, ecn: true }"),
                            out) == 0);
  const std::string client = (out / "client.pcapng").string();
  CHECK(split_lines(tshark_fields(client, {"tcp.flags.ece", "tcp.flags.cwr"}, "tcp.flags.syn == 1")) ==
        std::vector<std::string>{"1\t1", "0\t0"});
  CHECK(count(client, "ip.dsfield.ecn != 0") == 0);
  const Json summary = read_summary(out);
  const Json& ab = summary["links"][0]["a_to_b"];
  CHECK(ab["ecn_marked"] == 0);
  CHECK(ab["drops"]["aqm"].get<std::uint64_t>() > 0);
  CHECK(retransmits_total(connection_counters(summary, "client")) > 0);
}

TEST_CASE("FQ-CoDel and RED drop Not-ECT traffic under aqm, as Linux clients do not ask for ECN by default",
          "[integration][aqm]") {
  for (const std::string queue : {"{ discipline: fq_codel }",
                                  "{ discipline: red, min: 15kB, max: 45kB, max_p: 10%, packets: 100 }"}) {
    INFO(queue);
    TempDir dir;
    const auto out = dir.path() / "run";
    REQUIRE(run_scenario_text(scenario("{ profile: linux }", "{ profile: linux }", queue), out) == 0);
    const Json summary = read_summary(out);
    const Json& ab = summary["links"][0]["a_to_b"];
    CHECK(ab["ecn_marked"] == 0);  // tcp_ecn=2 on both ends: nobody asks, nothing is ECT
    CHECK(ab["drops"]["aqm"].get<std::uint64_t>() > 0);
    CHECK(ab["drops"]["queue_full"] == 0);
  }
}
