// TCP as Wireshark sees it (the TCP issue's acceptance checks), on whole
// runs built in-process from scenario text:
//   (a) the handshake's frame sizes and option layouts of the OS profiles;
//   (b) lossy bulk transfers over several seeds: tshark finds nothing wrong,
//       and the frames it flags as retransmitted are exactly the ones the
//       simulator counted as retransmissions;
//   (c) the same run twice gives byte-identical captures and traces.

#include <catch2/catch.hpp>

#include <cstdint>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "file_bytes.hpp"
#include "run_helpers.hpp"
#include "temp_dir.hpp"
#include "tshark.hpp"

using namespace wiresim::test;
using Json = nlohmann::ordered_json;

namespace {

constexpr const char* kClientIp = "10.0.0.1";
constexpr const char* kServerIp = "10.0.0.2";

/// Two hosts on one link; `tcp` is the flow map of both hosts' tcp key,
/// `link` the extra keys of the link, `bytes` the bulk transfer.
std::string two_hosts(const std::string& tcp, const std::string& link, const std::string& bytes) {
  return "name: tcp-capture\n"
         "hosts:\n"
         "  client: { address: 10.0.0.1/24, tcp: " + tcp + " }\n"
         "  server: { address: 10.0.0.2/24, tcp: " + tcp + " }\n"
         "links:\n"
         "  l: { a: client, b: server, bandwidth: 10Mbps, delay: 10ms, queue: { packets: 100 }" + link + " }\n"
         "apps:\n"
         "  bulk: { type: bulk, from: client, to: server, port: 5001, bytes: " + bytes + " }\n"
         "captures:\n"
         "  client: { node: client, format: pcapng }\n"
         "  server: { node: server, format: pcapng }\n"
         "traces: { tcp_states: true, cwnd: true }\n";
}

void run_ok(const std::string& text, const std::filesystem::path& out, std::uint64_t seed = 1) {
  wiresim::scenario::LoadOptions options;
  options.seed = seed;
  REQUIRE(run_scenario_text(text, out, options) == 0);
}

/// (frame.len, tcp.option_kind) of the frames matching `filter`.
std::vector<std::string> sizes_and_options(const std::string& cap, const std::string& filter) {
  return split_lines(tshark_fields(cap, {"frame.len", "tcp.option_kind"}, filter));
}

const std::string kSyn = "tcp.flags.syn == 1 && tcp.flags.ack == 0";
const std::string kSynAck = "tcp.flags.syn == 1 && tcp.flags.ack == 1";
const std::string kPureAck =
    "tcp.len == 0 && tcp.flags.syn == 0 && tcp.flags.fin == 0 && tcp.flags.reset == 0";

}  // namespace

TEST_CASE("the windows profile's SYN is 66 bytes with MSS, NOP, WS, NOP, NOP, SACK_PERM, and its pure ACKs are 54",
          "[integration][tcp][tshark][profile]") {
  if (!have_tshark()) return;
  TempDir dir("wiresim-tcpcap");
  run_ok(two_hosts("{ profile: windows }", "", "20kB"), dir.path() / "out");
  const std::string cap = (dir.path() / "out" / "client.pcapng").string();
  // Kinds: 2 MSS, 1 NOP, 3 window scale, 4 SACK permitted. 14 + 20 + 20 + 12 bytes.
  CHECK(sizes_and_options(cap, kSyn) == std::vector<std::string>{"66\t2,1,3,1,1,4"});
  CHECK(sizes_and_options(cap, kSynAck) == std::vector<std::string>{"66\t2,1,3,1,1,4"});
  // No timestamps between Windows hosts: a pure ACK is bare headers, 14 + 20 + 20.
  const std::vector<std::string> acks = sizes_and_options(cap, kPureAck);
  REQUIRE(acks.size() > 5);
  for (const std::string& a : acks) CHECK(a == "54\t");
}

TEST_CASE("the linux profile's SYN is 74 bytes with MSS, SACK_PERM, TS, NOP, WS, and its pure ACKs carry timestamps",
          "[integration][tcp][tshark][profile]") {
  if (!have_tshark()) return;
  TempDir dir("wiresim-tcpcap");
  run_ok(two_hosts("{ profile: linux }", "", "20kB"), dir.path() / "out");
  const std::string cap = (dir.path() / "out" / "client.pcapng").string();
  // Kinds: 2 MSS, 4 SACK permitted, 8 timestamps, 1 NOP, 3 window scale. 14 + 20 + 20 + 20.
  CHECK(sizes_and_options(cap, kSyn) == std::vector<std::string>{"74\t2,4,8,1,3"});
  CHECK(sizes_and_options(cap, kSynAck) == std::vector<std::string>{"74\t2,4,8,1,3"});
  // NOP, NOP, timestamps: 14 + 20 + 32.
  const std::vector<std::string> acks = sizes_and_options(cap, kPureAck);
  REQUIRE(acks.size() > 5);
  for (const std::string& a : acks) CHECK(a == "66\t1,1,8");
}

// How Wireshark 4.0 labels a segment (epan/dissectors/packet-tcp.c,
// tcp_analyze_sequence_number), per direction of a conversation, for a
// frame that carries data or SYN or FIN, with nextseq = the highest
// seq + len (+1 for SYN/FIN) seen so far in that direction:
//   1. seglen is 0 or 1, seq == nextseq - 1, no SYN/FIN/RST: "keep-alive";
//      none of the labels below is then tried.
//   2. seq < nextseq, the reverse direction has >= 2 duplicate ACKs for
//      exactly seq, the last one less than 20 ms ago: "fast retransmission"
//      (which also sets tcp.analysis.retransmission).
//   3. seq < nextseq, less than the conversation's first RTT (SYN to the
//      handshake's ACK; 3 ms if unknown) since the frame that set nextseq,
//      and seq + seglen != nextseq: "out-of-order". This catches real
//      retransmissions: SACK and partial-ACK resends go out soon after the
//      highest segment, so it is about what the sender does, not reordering.
//   4. the data lies wholly below the reverse direction's last ACK:
//      "spurious retransmission".
//   5. seq < nextseq: "retransmission".
// So, at the sender's own capture (which sees every frame it sent, before
// the link could drop it), a frame gets one of the labels 2-5 exactly when
// it starts below the highest sequence number sent before it and is not a
// keep-alive look-alike (rule 1). The simulator counts a segment as a
// retransmission (retransmits_timeout, _fast or _sack, by trigger) exactly
// when it starts below SND.MAX (tcp/connection_output.cpp), SYN and FIN
// resends included; zero-window probes are counted apart (window_probes)
// and never happen here, as the receiving app reads at once. The two are
// the same set of frames but for rule 1: a resend of a final 1-byte segment
// whose FIN has not yet been sent, which Wireshark calls a keep-alive. The
// test computes that "starts below the highest" set from the raw fields,
// then checks both sides against it.
namespace {

/// One frame of a capture as tshark dissects it: raw fields and labels.
struct Frame {
  std::uint64_t number = 0;
  std::string src;
  std::uint32_t seq = 0;
  std::uint32_t len = 0;
  bool syn = false, fin = false;
  bool retransmission = false, fast = false, out_of_order = false, spurious = false, keep_alive = false;
};

/// Every frame of `cap`, in one tshark pass (a label field prints "1" when
/// the frame carries it, nothing otherwise).
std::vector<Frame> dissect(const std::string& cap) {
  std::vector<Frame> out;
  const auto lines = split_lines(tshark_fields(
      cap, {"frame.number", "ip.src", "tcp.seq_raw", "tcp.len", "tcp.flags.syn", "tcp.flags.fin",
            "tcp.analysis.retransmission", "tcp.analysis.fast_retransmission", "tcp.analysis.out_of_order",
            "tcp.analysis.spurious_retransmission", "tcp.analysis.keep_alive"}));
  for (const std::string& line : lines) {
    const std::vector<std::string> f = split_tabs(line);
    REQUIRE(f.size() == 11);
    Frame x;
    x.number = std::stoull(f[0]);
    x.src = f[1];
    x.seq = static_cast<std::uint32_t>(std::stoul(f[2]));
    x.len = static_cast<std::uint32_t>(std::stoul(f[3]));
    x.syn = f[4] == "1";
    x.fin = f[5] == "1";
    x.retransmission = !f[6].empty();
    x.fast = !f[7].empty();
    x.out_of_order = !f[8].empty();
    x.spurious = !f[9].empty();
    x.keep_alive = !f[10].empty();
    out.push_back(std::move(x));
  }
  return out;
}

/// a < b in sequence space (RFC 9293 §3.4).
bool seq_lt(std::uint32_t a, std::uint32_t b) { return static_cast<std::int32_t>(a - b) < 0; }

struct Classified {
  std::set<std::uint64_t> below_highest;   ///< data/SYN/FIN frames starting below the highest end sent before
  std::set<std::uint64_t> keepalive_like;  ///< the subset Wireshark calls keep-alives (rule 1)
};

/// The frames `src` sent that start below the highest sequence number it
/// had sent before them (Wireshark's nextseq; the simulator's SND.MAX).
Classified classify(const std::vector<Frame>& frames, const std::string& src) {
  Classified c;
  bool any = false;
  std::uint32_t highest = 0;  // the highest seq + len (+ SYN + FIN) seen
  for (const Frame& f : frames) {
    if (f.src != src) continue;
    if (f.len == 0 && !f.syn && !f.fin) continue;  // pure ACKs take no sequence space
    const std::uint32_t end = f.seq + f.len + (f.syn ? 1u : 0u) + (f.fin ? 1u : 0u);
    if (any && seq_lt(f.seq, highest)) {
      c.below_highest.insert(f.number);
      if (f.len <= 1 && f.seq == highest - 1 && !f.syn && !f.fin) c.keepalive_like.insert(f.number);
    }
    if (!any || seq_lt(highest, end)) highest = end;
    any = true;
  }
  return c;
}

struct LabelTotals {
  std::uint64_t fast = 0, out_of_order = 0, plain = 0, sim = 0;
};

/// One host's view of its own sending, at its own capture.
void check_sender(const std::filesystem::path& out, const Json& summary, const std::string& node,
                  const std::string& ip, LabelTotals& totals) {
  INFO("sender " << node);
  const std::vector<Frame> frames = dissect((out / (node + ".pcapng")).string());
  const Classified mine = classify(frames, ip);

  std::set<std::uint64_t> flagged, keepalives, expected;
  std::uint64_t data_flagged = 0, control_flagged = 0, spurious = 0;
  for (const Frame& f : frames) {
    if (f.src != ip) continue;
    if (f.retransmission || f.fast || f.out_of_order || f.spurious) flagged.insert(f.number);
    if (f.keep_alive) keepalives.insert(f.number);
    // The count: data frames labelled retransmission, fast
    // retransmission or out-of-order; and SYN/FIN frames without payload.
    if (f.retransmission || f.fast || f.out_of_order) (f.len > 0 ? data_flagged : control_flagged) += 1;
    spurious += f.spurious ? 1 : 0;
    totals.fast += f.fast ? 1 : 0;
    totals.out_of_order += f.out_of_order ? 1 : 0;
    totals.plain += f.retransmission && !f.fast ? 1 : 0;
  }
  for (const std::uint64_t n : mine.below_highest) {
    if (mine.keepalive_like.count(n) == 0) expected.insert(n);
  }
  // Wireshark flags exactly the frames that start below the highest
  // sequence number sent, less the keep-alive look-alikes, which it labels
  // keep-alive instead.
  CHECK(flagged == expected);
  CHECK(keepalives == mine.keepalive_like);
  // The sender never resends what it already saw acknowledged.
  CHECK(spurious == 0);

  // The simulator counted exactly those frames as retransmissions; in the
  // form of the issue: flagged data frames + flagged SYN/FIN-only frames +
  // keep-alive look-alikes == retransmits_timeout + _fast + _sack.
  const Json counters = connection_counters(summary, node);
  REQUIRE(counters.at("window_probes") == 0);
  const std::uint64_t sim = retransmits_total(counters);
  CHECK(sim == mine.below_highest.size());
  CHECK(data_flagged + control_flagged + mine.keepalive_like.size() == sim);
  totals.sim += sim;
}

void lossy_runs(const std::string& tcp) {
  if (!have_tshark()) return;
  const std::string text = two_hosts(tcp, ", loss: 5%", "300kB");
  LabelTotals totals;
  for (std::uint64_t seed = 1; seed <= 6; ++seed) {
    INFO("seed " << seed);
    TempDir dir("wiresim-tcpcap");
    const std::filesystem::path out = dir.path() / "out";
    run_ok(text, out, seed);
    const Json summary = read_summary(out);
    REQUIRE(summary.at("apps").at(0).at("complete") == true);
    CHECK(summary.at("apps").at(0).at("bytes_corrupt") == 0);
    for (const Json& c : summary.at("captures")) {
      check_capture_clean((out / c.at("file").get<std::string>()).string(), c.at("frames").get<std::uint64_t>());
    }
    check_sender(out, summary, "client", kClientIp, totals);
    check_sender(out, summary, "server", kServerIp, totals);
  }
  // The runs exercised every label Wireshark gives a retransmission.
  CHECK(totals.sim > 20);
  CHECK(totals.fast > 0);
  CHECK(totals.out_of_order > 0);
  CHECK(totals.plain > 0);
}

}  // namespace

TEST_CASE("lossy transfers (linux, NewReno, SACK): tshark flags exactly the simulator's retransmissions",
          "[integration][tcp][tshark][retransmission]") {
  lossy_runs("{ profile: linux, congestion_control: newreno }");
}

TEST_CASE("lossy transfers (windows, CUBIC, no timestamps): tshark flags exactly the simulator's retransmissions",
          "[integration][tcp][tshark][retransmission]") {
  lossy_runs("{ profile: windows }");
}

TEST_CASE("lossy transfers (linux, NewReno, no SACK): tshark flags exactly the simulator's retransmissions",
          "[integration][tcp][tshark][retransmission]") {
  lossy_runs("{ profile: linux, congestion_control: newreno, sack: false }");
}

TEST_CASE("the same lossy run twice gives byte-identical captures and traces", "[integration][tcp][determinism]") {
  const std::string text = two_hosts("{ profile: linux, congestion_control: newreno }", ", loss: 5%", "300kB");
  TempDir dir("wiresim-tcpcap");
  run_ok(text, dir.path() / "a", 3);
  run_ok(text, dir.path() / "b", 3);
  for (const char* f : {"client.pcapng", "server.pcapng", "tcp-states.csv", "tcp-cwnd.csv", "summary.json"}) {
    INFO(f);
    const std::vector<std::uint8_t> a = file_bytes((dir.path() / "a" / f).string());
    CHECK(a.size() > 1000);
    CHECK(a == file_bytes((dir.path() / "b" / f).string()));
  }
  CHECK(differing_files(dir.path() / "a", dir.path() / "b").empty());
}
