// Fidelity: each reference capture (captures/, real Linux 6.18 + nginx +
// Chromium / curl, 20 ms one way) against its twin scenario (twins/, the
// linux profile on both hosts, the real drops replayed by drop rules),
// compared through features tshark reads from both captures. One TEST_CASE
// per row of issue 15's table, each with its tolerance. Rows that are
// still off carry [!mayfail]: they run the comparison and report it, and
// say why they cannot match yet (another part's work: the browser model,
// loss recovery, or an application's write and read timing). The report
// of each run is in the test's output (-s).

#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "run_helpers.hpp"
#include "temp_dir.hpp"
#include "tshark.hpp"

namespace wiresim::test {
namespace {

namespace fs = std::filesystem;

constexpr std::array<const char*, 7> kCaptures = {
    "chromium_d20_l0",    "chromium_d20_l2_s1", "chromium-serverclose-ka3_d20_l0",
    "chromium-imageonly-preconnect-idle_d20_l0", "curl-seq_d20_l0", "curl-seq_d20_l2_s3",
    "curl-par6_d20_l0"};
constexpr const char* kServer = "198.18.0.1";
constexpr std::uint32_t kFull = 1448;  ///< a full segment's payload

struct Frame {
  double t = 0;
  bool from_server = false;
  std::uint32_t ip_id = 0;
  int stream = 0;
  std::uint32_t flags = 0;
  std::uint64_t seq = 0, ack = 0, len = 0, win = 0;
  int wscale = -1;
  bool retransmission = false;
  [[nodiscard]] bool has(std::uint32_t f) const { return (flags & f) != 0; }
};
constexpr std::uint32_t kFin = 0x01, kSyn = 0x02, kPsh = 0x08, kAckFlag = 0x10;

fs::path real_capture(const std::string& name) {
  return source_dir() / "tests" / "fidelity" / "captures" / (name + ".pcap");
}

/// The twin's capture, run once per test program.
fs::path twin_capture(const std::string& name) {
  static TempDir dir("wiresim-fidelity");
  static std::map<std::string, fs::path> done;
  if (const auto it = done.find(name); it != done.end()) return it->second;
  const fs::path out = dir.path() / name;
  const auto r = run_scenario_cli(source_dir() / "tests" / "fidelity" / "twins" / (name + ".yaml"), out);
  INFO(r.output);
  REQUIRE(r.exit_status == 0);
  return done[name] = out / "client.pcap";
}

std::vector<Frame> frames(const fs::path& pcap) {
  const std::string text =
      tshark_fields(pcap.string(), {"frame.time_relative", "ip.src", "ip.id", "tcp.stream", "tcp.flags", "tcp.seq",
                                    "tcp.ack", "tcp.len", "tcp.window_size", "tcp.options.wscale.shift",
                                    "tcp.analysis.retransmission"});
  std::vector<Frame> out;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    std::vector<std::string> f;
    std::istringstream cells(line);
    for (std::string c; std::getline(cells, c, '\t');) f.push_back(c);
    f.resize(11);
    Frame fr;
    fr.t = std::stod(f[0]);
    fr.from_server = f[1] == kServer;
    fr.ip_id = static_cast<std::uint32_t>(std::stoul(f[2], nullptr, 16));
    fr.stream = std::stoi(f[3]);
    fr.flags = static_cast<std::uint32_t>(std::stoul(f[4], nullptr, 16));
    fr.seq = std::stoull(f[5]);
    fr.ack = std::stoull(f[6]);
    fr.len = std::stoull(f[7]);
    fr.win = std::stoull(f[8]);
    fr.wscale = f[9].empty() ? -1 : std::stoi(f[9]);
    fr.retransmission = !f[10].empty();
    out.push_back(fr);
  }
  return out;
}

struct Both {
  std::vector<Frame> real, twin;
};
Both both(const std::string& name) { return {frames(real_capture(name)), frames(twin_capture(name))}; }

/// The first frame of `stream` matching `pred`; fails the test if none.
template <typename Pred>
const Frame& first(const std::vector<Frame>& fs, Pred pred) {
  const auto it = std::find_if(fs.begin(), fs.end(), pred);
  REQUIRE(it != fs.end());
  return *it;
}

/// Client ACKs of server data, by how many full segments each covers:
/// [0] one, [1] two, [2] more.
std::array<int, 3> ack_histogram(const std::vector<Frame>& fs, int stream = -1) {
  std::array<int, 3> h{};
  std::map<int, std::uint64_t> last;
  for (const Frame& f : fs) {
    if (stream >= 0 && f.stream != stream) continue;
    if (f.from_server || f.len != 0 || f.has(kSyn) || f.has(kFin)) {
      if (!f.from_server && f.has(kAckFlag)) last[f.stream] = std::max(last[f.stream], f.ack);
      continue;
    }
    const auto it = last.find(f.stream);
    if (it != last.end() && f.ack > it->second) {
      const std::uint64_t n = (f.ack - it->second + kFull - 1) / kFull;
      ++h[n == 1 ? 0 : n == 2 ? 1 : 2];
    }
    last[f.stream] = std::max(last[f.stream], f.ack);
  }
  return h;
}

std::string show(const std::array<int, 3>& h) { return std::to_string(h[0]) + "/" + std::to_string(h[1]) + "/" + std::to_string(h[2]); }

// ---- row 1: window scale; SYN/ACK window; third-ACK window ----

TEST_CASE("fidelity: window scale 10, SYN 64240, SYN/ACK 65160, third ACK 64512, server's first ACK 65536",
          "[fidelity][window]") {
  if (!have_tshark()) return;
  for (const char* name : kCaptures) {
    INFO(name);
    const Both b = both(name);
    for (const auto* fs : {&b.real, &b.twin}) {
      const Frame& syn = first(*fs, [](const Frame& f) { return f.has(kSyn) && !f.has(kAckFlag); });
      const Frame& synack = first(*fs, [](const Frame& f) { return f.has(kSyn) && f.has(kAckFlag); });
      const Frame& third = first(*fs, [&](const Frame& f) {
        return !f.from_server && f.stream == synack.stream && !f.has(kSyn) && f.len == 0;
      });
      const Frame& server_ack = first(*fs, [&](const Frame& f) {
        return f.from_server && f.stream == synack.stream && !f.has(kSyn);
      });
      CHECK(syn.wscale == 10);
      CHECK(synack.wscale == 10);
      CHECK(syn.win == 64240);
      CHECK(synack.win == 65160);
      CHECK(third.win == 64512);
      CHECK(server_ack.win == 65536);
    }
  }
}

// ---- row 2: the receive window grows (autotuning) ----

TEST_CASE("fidelity: the client's window grows 64512 -> 70656 -> 76800 ... past 87040", "[fidelity][autotune]") {
  if (!have_tshark()) return;
  for (const char* name : {"chromium_d20_l0", "curl-seq_d20_l0"}) {
    INFO(name);
    const Both b = both(name);
    for (const auto* fs : {&b.real, &b.twin}) {
      // The first two ACKs of full segments on the jpg's connection (stream
      // 0, after the one-segment html): two segments each, the window
      // following rcv_ssthresh (+2 x 1448 per segment) exactly.
      std::vector<std::uint64_t> wins;
      std::uint64_t most = 0;
      for (const Frame& f : *fs) {
        if (f.from_server || f.stream != 0 || f.len != 0) continue;
        most = std::max(most, f.win);
        if (f.ack > 3000 && wins.size() < 2) wins.push_back(f.win);
      }
      REQUIRE(wins.size() == 2);
      CHECK(wins[0] == 70656);
      CHECK(wins[1] == 76800);
      CHECK(most >= 84992);  // both reach the 87040 clamp region (85 KiB or more)
    }
  }
}

// ---- row 3: ACKs of the first flights ----

TEST_CASE("fidelity: quick ACKs where the connection is not interactive, every second segment where it is",
          "[fidelity][ack]") {
  if (!have_tshark()) return;
  SECTION("a connection that only downloads (imageonly): one ACK per segment, within 2") {
    const Both b = both("chromium-imageonly-preconnect-idle_d20_l0");
    const auto r = ack_histogram(b.real, 0);
    const auto t = ack_histogram(b.twin, 0);
    INFO("real " << show(r) << ", twin " << show(t));
    CHECK(std::abs(r[0] - t[0]) <= 2);
    CHECK(r[1] == t[1]);
    CHECK(r[2] == t[2]);
  }
  SECTION("a one-segment response is acknowledged at once (within 1 ms), before the next request") {
    for (const char* name : {"chromium_d20_l0", "curl-seq_d20_l0"}) {
      INFO(name);
      const Both b = both(name);
      for (const auto* fs : {&b.real, &b.twin}) {
        const Frame& html = first(*fs, [](const Frame& f) { return f.from_server && f.len > 0; });
        const Frame& ack = first(*fs, [&](const Frame& f) {
          return !f.from_server && f.stream == html.stream && f.ack >= html.seq + html.len;
        });
        CHECK(ack.t - html.t < 0.001);
        CHECK(ack.len == 0);
      }
    }
  }
}

namespace {
/// The twin's segments-per-ACK histogram (1/2/>2) over the whole load
/// against the real capture's: each bin within 2 or a fifth.
void check_ack_histogram(const char* name) {
  const Both b = both(name);
  const auto r = ack_histogram(b.real);
  const auto t = ack_histogram(b.twin);
  INFO(name << ": real " << show(r) << ", twin " << show(t));
  for (std::size_t i = 0; i < 3; ++i) CHECK(std::abs(r[i] - t[i]) <= std::max(2, r[i] / 5));
}
}  // namespace

TEST_CASE("fidelity: ACKs of the whole page load, segments per ACK 1/2/>2 (chromium 30/5/4)",
          "[fidelity][ack]") {
  // Stretch ACKs come from when the application reads: until it does, the
  // unread data shrinks the window __tcp_select_window would offer, so
  // __tcp_ack_snd_check holds the ACK once quick-ACK mode and rcv_ssthresh
  // growth are over, and the read's tcp_cleanup_rbuf acknowledges
  // everything at once (the captures' stretch ACKs come 120-340 us after a
  // flight's first segment, the client's read_delay; no GRO: the tap
  // devices pass wire-size frames). The twins' link forwards a frame every
  // 4 us, as the captures' wire did; at 1 Gbit/s (12 us) a flight outlasts
  // the read delay and the reads split it.
  // chromium_d20_l0: real 30/5/4, twin 29/4/4: matches.
  if (!have_tshark()) return;
  check_ack_histogram("chromium_d20_l0");
}

TEST_CASE("fidelity: the same for curl-seq (2/5/5): its last flight is not one burst yet",
          "[fidelity][ack][!mayfail]") {
  // curl-seq_d20_l0: real 2/5/5, twin 2/13/4: off in the last flight. The
  // png's first flight is the real one (28 segments, acknowledged 2 + 26;
  // real 2 + 22 + 4) since the server judges cwnd-limited per window as
  // Linux does (tcp_cwnd_validate, TcpProfile::cwnd_validation_per_window).
  // The last flight is off for the sender's reason, not the receiver's:
  // the twin's client grows its buffer exactly as tcp_rcv_space_adjust
  // would for what it is given (tests/tcp: the kernel's own trace, step by
  // step). It is given a different arrival. In every capture with the
  // 75 KB png (chromium_d20_l0, curl-par6, curl-seq) nginx's sendfile
  // stops after 40-46 KB, Linux's send buffer full (sk_sndbuf 87040 from
  // tcp_sndbuf_expand, charged per skb with its truesize), and nginx writes
  // the rest 80-500 us after an ACK frees room (EPOLLOUT). So the real last
  // flight is one 25-segment burst; curl's first 16 KiB read finds it whole,
  // leaves 18890 bytes unread, and 2 x 21654 plus the slow-start growth
  // still fits the buffer: the window stays 86016 and one stretch ACK
  // covers the flight. Our server's send buffer holds the whole response,
  // the first ACK of the flight before releases 4 segments at once and the
  // stretch ACK 127 us later the rest; curl's read finds 10 segments, all read
  // (38640 bytes counted), the buffer grows and every second segment is
  // acknowledged. The missing mechanism is Linux's send-buffer accounting
  // with nginx's write wake-up; the exact amounts (46336 bytes on a fresh
  // connection, 40544 on curl-seq's third response) are not derived yet.
  if (!have_tshark()) return;
  check_ack_histogram("curl-seq_d20_l0");
}

// ---- row 4: the RTO of a lost client segment ----

TEST_CASE("fidelity: a lost GET is sent again after 0.244-0.255 s (SRTT + max(4 RTTVAR, 200 ms))",
          "[fidelity][rto]") {
  if (!have_tshark()) return;
  const Both b = both("chromium_d20_l2_s1");
  for (const auto* fs : {&b.real, &b.twin}) {
    const Frame& again = first(*fs, [](const Frame& f) { return !f.from_server && f.retransmission && f.len > 0; });
    const Frame& orig = first(*fs, [&](const Frame& f) {
      return !f.from_server && f.stream == again.stream && f.seq == again.seq && f.len > 0;
    });
    const double rto = again.t - orig.t;
    INFO("RTO " << rto);
    CHECK(rto >= 0.240);  // tolerance: the real range 0.244-0.255 s widened by 4 ms
    CHECK(rto <= 0.259);
  }
}

// ---- rows 5-7: loss recovery (RACK-TLP, F-RTO, undo: the recovery part) ----

namespace {
/// Frames of `pcap` that match the display filter.
std::size_t tshark_count(const fs::path& pcap, const char* filter) {
  return line_count(tshark_fields(pcap.string(), {"frame.number"}, filter));
}
}  // namespace

TEST_CASE("fidelity: a lost mid-flow server segment is resent about one RTT later, no Fast Retransmission",
          "[fidelity][recovery]") {
  // With RACK-TLP the resend comes one RTT after the loss, as the real one
  // (0.040 s both). The receiver's duplicate ACKs are few, as Linux's SACK
  // compression makes them (three at once, then one per 1.1 ms; real 5,
  // twin 3), and the rest carry a grown window and read as Window Updates,
  // so tshark labels no resend Fast Retransmission in either capture.
  // Compared: the delay from the drop's successor to the resend, within
  // 20 ms of the real one; the labels and the duplicate-ACK count.
  if (!have_tshark()) return;
  const Both b = both("curl-seq_d20_l2_s3");
  std::array<double, 2> delay{};
  std::size_t i = 0;
  for (const auto* fs : {&b.real, &b.twin}) {
    const Frame& resent = first(*fs, [](const Frame& f) { return f.from_server && f.len > 0 && f.seq > 1448 && f.seq < 3000 && f.t > 0.13; });
    const Frame& after = first(*fs, [&](const Frame& f) { return f.from_server && f.seq > resent.seq && f.len > 0; });
    delay[i++] = resent.t - after.t;
  }
  INFO("real " << delay[0] << " s, twin " << delay[1] << " s");
  CHECK(std::abs(delay[0] - delay[1]) < 0.020);
  // Few duplicate ACKs (the rest are window updates).
  const fs::path real = real_capture("curl-seq_d20_l2_s3");
  const fs::path twin = twin_capture("curl-seq_d20_l2_s3");
  const std::size_t real_dup = tshark_count(real, "tcp.analysis.duplicate_ack");
  const std::size_t twin_dup = tshark_count(twin, "tcp.analysis.duplicate_ack");
  INFO("duplicate ACKs: real " << real_dup << ", twin " << twin_dup);
  CHECK(twin_dup <= real_dup + 2);
}

TEST_CASE("fidelity: the lost server segments are labelled Out-Of-Order / Retransmission, never Fast Retransmission",
          "[fidelity][recovery]") {
  // curl-seq_d20_l2_s3 (three server segments lost, replayed by seq).
  // Linux's CUBIC (LinuxCubic) grows cwnd 9 -> 11 over three round trips
  // when each flight is acknowledged by one stretch ACK, as the real client
  // does and ours now does too (read_delay): the lost segments do not end
  // a flight, so the resend comes about one RTT after the SACKs, and
  // Wireshark labels none of them Fast Retransmission. Without stretch
  // ACKs (every second segment acknowledged) the server sent cwnd - 1 = 8
  // segments per round trip, the 60th and 62nd ended a flight and the
  // resend was labelled Fast Retransmission.
  if (!have_tshark()) return;
  const fs::path real = real_capture("curl-seq_d20_l2_s3");
  const fs::path twin = twin_capture("curl-seq_d20_l2_s3");
  const std::size_t real_fast = tshark_count(real, "tcp.analysis.fast_retransmission");
  const std::size_t twin_fast = tshark_count(twin, "tcp.analysis.fast_retransmission");
  INFO("Fast Retransmissions: real " << real_fast << ", twin " << twin_fast);
  CHECK(twin_fast == real_fast);
}

TEST_CASE("fidelity: a lost GET costs one client retransmission and nothing else (PLT 0.524 s)",
          "[fidelity][recovery]") {
  if (!have_tshark()) return;
  const Both b = both("chromium_d20_l2_s1");
  for (const auto* fs : {&b.real, &b.twin}) {
    const auto server_resends = std::count_if(fs->begin(), fs->end(), [](const Frame& f) {
      return f.from_server && f.retransmission;
    });
    const auto client_resends = std::count_if(fs->begin(), fs->end(), [](const Frame& f) {
      return !f.from_server && f.retransmission && f.len > 0;
    });
    CHECK(server_resends == 0);
    CHECK(client_resends == 1);
  }
}

// ---- row 8: PSH ----

TEST_CASE("fidelity: PSH on server data segments (real: 38 of 73)", "[fidelity][psh]") {
  // Linux sends new data in GSO packets of tcp_tso_autosize segments (2 at
  // these rates) and __tcp_transmit_skb forces PSH on every packet of more
  // than one segment: every second segment, plus tcp_mark_push at the end
  // of each write (a response's last segment). A segment sent alone
  // because the window allowed only one carries none.
  // The row's capture first; the others (10, 38, 38, 37, 37 and 32 of
  // their server data segments) within the same tolerance.
  if (!have_tshark()) return;
  for (const char* name : {"chromium_d20_l0", "chromium_d20_l2_s1", "chromium-serverclose-ka3_d20_l0",
                           "chromium-imageonly-preconnect-idle_d20_l0", "curl-seq_d20_l0", "curl-par6_d20_l0",
                           "curl-seq_d20_l2_s3"}) {
    const Both b = both(name);
    std::array<long, 2> psh{};
    std::size_t i = 0;
    for (const auto* fs : {&b.real, &b.twin}) {
      psh[i++] = std::count_if(fs->begin(), fs->end(), [](const Frame& f) { return f.from_server && f.len > 0 && f.has(kPsh); });
    }
    INFO(name << ": real " << psh[0] << ", twin " << psh[1]);
    CHECK(std::abs(psh[0] - psh[1]) <= 4);
  }
}

// ---- row 9: close after the peer's FIN ----

TEST_CASE("fidelity: the close is three segments, the FIN's ACK merged into FIN,ACK", "[fidelity][close]") {
  if (!have_tshark()) return;
  const Both b = both("chromium_d20_l0");
  for (const auto* fs : {&b.real, &b.twin}) {
    // The teardown of stream 0: from its first FIN to the end.
    const Frame& fin = first(*fs, [](const Frame& f) { return f.stream == 0 && f.has(kFin); });
    std::vector<const Frame*> tail;
    for (const Frame& f : *fs) {
      if (f.stream == 0 && f.t >= fin.t) tail.push_back(&f);
    }
    REQUIRE(tail.size() == 3);
    CHECK(tail[0]->has(kFin));
    CHECK(tail[1]->has(kFin));
    CHECK(tail[1]->from_server != tail[0]->from_server);
    CHECK_FALSE(tail[2]->has(kFin));
    CHECK(tail[1]->t - tail[0]->t < 0.045);  // one RTT: the FIN's ACK waits, then leaves with the FIN
  }
}

TEST_CASE("fidelity: when the server closes first (ka3), the client's ACK of its FIN is delayed 40-44 ms",
          "[fidelity][close]") {
  // Chromium leaves an idle socket the server closed half-open until it
  // notices (here: the browser's exit), so the delayed ACK leaves alone.
  if (!have_tshark()) return;
  const Both b = both("chromium-serverclose-ka3_d20_l0");
  for (const auto* fs : {&b.real, &b.twin}) {
    const Frame& fin = first(*fs, [](const Frame& f) { return f.from_server && f.has(kFin); });
    const Frame& ack = first(*fs, [&](const Frame& f) { return !f.from_server && f.stream == fin.stream && f.ack > fin.seq; });
    const double d = ack.t - fin.t;
    INFO("delay " << d);
    CHECK(d >= 0.039);
    CHECK(d <= 0.045);
    CHECK_FALSE(ack.has(kFin));
  }
}

// ---- row 10: IP ID ----

TEST_CASE("fidelity: IP IDs count up per connection from a random start, SYN/ACK ID 0", "[fidelity][ipid]") {
  if (!have_tshark()) return;
  for (const char* name : {"chromium_d20_l0", "curl-par6_d20_l0"}) {
    INFO(name);
    const Both b = both(name);
    for (const auto* fs : {&b.real, &b.twin}) {
      std::map<std::pair<int, bool>, std::uint32_t> next;
      std::vector<std::uint32_t> starts;
      for (const Frame& f : *fs) {
        if (f.has(kSyn) && f.has(kAckFlag)) {
          CHECK(f.ip_id == 0);
          continue;
        }
        const auto key = std::make_pair(f.stream, f.from_server);
        const auto it = next.find(key);
        if (it == next.end()) {
          if (!f.from_server) starts.push_back(f.ip_id);
        } else {
          CHECK(f.ip_id == it->second);
        }
        next[key] = (f.ip_id + 1) & 0xffff;
      }
      // Two client connections do not share one counter.
      if (starts.size() >= 2) CHECK(((starts[1] - starts[0]) & 0xffff) > 16);
    }
  }
}

}  // namespace
}  // namespace wiresim::test
