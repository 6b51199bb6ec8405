// `wiresim explain` on the lab scenario (scenarios/lab-http.yaml), run
// through the real `wiresim` executable:
//   - build_ladders() tells the lab report's story: stream 0 holds the
//     handshake, the GETs of /, /Myhead.jpg, /background.png and
//     /favicon.ico in that order, and the server-first teardown, with both
//     ends' TCP states; stream 1 (Chrome's preconnect) carries no payload;
//   - every ladder frame is the frame tshark sees under that number: the
//     same stream, relative seq and ack, length, flags, window and time;
//   - the CLI prints it, and refuses a bad --conn, --capture or folder with
//     exit code 2.

#include <catch2/catch.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "file_bytes.hpp"
#include "run_helpers.hpp"
#include "temp_dir.hpp"
#include "tcp_analysis_check.hpp"
#include "tshark.hpp"
#include "wiresim/report/explain.hpp"
#include "wiresim/report/run_folder.hpp"

using namespace wiresim::test;
namespace rp = wiresim::report;

namespace {

constexpr std::uint8_t kFin = 0x01;
constexpr std::uint8_t kSyn = 0x02;
constexpr std::uint8_t kAck = 0x10;

/// The lab scenario run once into a temporary folder, shared by the tests
/// of this file (a run takes milliseconds, but tshark is slower).
class LabRun {
 public:
  explicit LabRun(const std::string& scenario = "lab-http.yaml") : dir_("wiresim-explain") {
    const ProcessResult r = run_scenario_cli(source_dir() / "scenarios" / scenario, out());
    INFO(r.output);
    REQUIRE(r.exit_status == 0);
  }
  [[nodiscard]] std::filesystem::path out() const { return dir_.path() / "lab"; }

 private:
  TempDir dir_;
};

/// "Win=131072" of a ladder summary.
std::string window_of(const std::string& summary) {
  const std::size_t at = summary.find(" Win=");
  REQUIRE(at != std::string::npos);
  const std::size_t from = at + 5;
  return summary.substr(from, summary.find(' ', from) - from);
}

/// TCP flags as tshark's tcp.flags prints them: "0x0012".
std::string fmt_flags(std::uint8_t flags) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "0x%04x", static_cast<unsigned>(flags));
  return buf;
}

/// "946684800.002011000" -> nanoseconds since the Unix epoch.
std::int64_t epoch_ns(const std::string& text) {
  const std::size_t dot = text.find('.');
  REQUIRE(dot != std::string::npos);
  std::string frac = text.substr(dot + 1);
  REQUIRE(frac.size() <= 9);
  frac.resize(9, '0');
  return std::stoll(text.substr(0, dot)) * 1'000'000'000 + std::stoll(frac);
}

std::vector<const rp::LadderFrame*> frames_with_line(const rp::Ladder& l) {
  std::vector<const rp::LadderFrame*> out;
  for (const rp::LadderFrame& f : l.frames) {
    if (!f.segment.first_line.empty()) out.push_back(&f);
  }
  return out;
}

}  // namespace

TEST_CASE("explain: the lab's first connection is the handshake, the four GETs and the teardown",
          "[integration][explain]") {
  const LabRun lab;
  const rp::RunFolder run = rp::open_run_folder(lab.out());
  CHECK(run.scenario == "lab-http");
  REQUIRE(!run.captures.empty());
  const rp::RunFolder::Capture& cap = run.captures.front();
  CHECK(cap.file == "client.pcapng");
  const std::vector<rp::Ladder> ladders = rp::build_ladders(run, cap);
  REQUIRE(ladders.size() == 2);

  const rp::Ladder& l = ladders[0];
  CHECK(l.stream == 0);
  CHECK(l.capture == "client.pcapng");
  CHECK(l.have_states);
  CHECK(l.initiator_node == "client");
  CHECK(l.responder_node == "server");
  CHECK(l.responder.substr(l.responder.find(':')) == ":24");
  REQUIRE(l.frames.size() >= 10);

  SECTION("the handshake: SYN, SYN-ACK, ACK, then both ends ESTABLISHED") {
    const auto& f = l.frames;
    CHECK((f[0].from_initiator && f[0].segment.flags == kSyn));
    CHECK((!f[1].from_initiator && f[1].segment.flags == (kSyn | kAck)));
    CHECK((f[2].from_initiator && f[2].segment.flags == kAck));
    for (std::size_t i = 0; i < 3; ++i) {
      INFO("frame " << f[i].segment.frame);
      CHECK(f[i].phase == rp::Phase::kHandshake);
      CHECK(f[i].segment.payload_len == 0);
    }
    CHECK(f[0].rel_seq == 0);
    CHECK(f[1].rel_seq == 0);
    CHECK(f[1].rel_ack == 1);
    CHECK(f[2].rel_seq == 1);
    CHECK(f[2].rel_ack == 1);
    CHECK(f[0].initiator_state == "SYN-SENT");
    CHECK(f[1].initiator_state == "ESTABLISHED");
    CHECK(f[1].responder_state == "SYN-RECEIVED");
    CHECK(f[2].initiator_state == "ESTABLISHED");
    CHECK(f[2].responder_state == "ESTABLISHED");
    CHECK(f[0].summary == "[SYN] Seq=0 Win=64240 Len=0 MSS=1460 WS=256 SACK_PERM");
    CHECK(f[0].time_s == 0.0);
  }

  SECTION("the requests: GET / and /Myhead.jpg on the first connection, /background.png and /favicon.ico on "
          "the preconnect") {
    const auto lines = [](const rp::Ladder& ladder, const char* prefix, bool from_opener) {
      std::vector<std::string> out;
      for (const rp::LadderFrame* f : frames_with_line(ladder)) {
        if (f->segment.first_line.rfind(prefix, 0) != 0) continue;
        INFO("frame " << f->segment.frame);
        CHECK(f->from_initiator == from_opener);
        CHECK(f->phase == rp::Phase::kData);
        CHECK(f->initiator_state == "ESTABLISHED");
        CHECK(f->responder_state == "ESTABLISHED");
        out.push_back(f->segment.first_line);
      }
      return out;
    };
    CHECK(lines(l, "GET ", true) == std::vector<std::string>{"GET / HTTP/1.1", "GET /Myhead.jpg HTTP/1.1"});
    CHECK(lines(ladders[1], "GET ", true) ==
          std::vector<std::string>{"GET /background.png HTTP/1.1", "GET /favicon.ico HTTP/1.1"});
    // Every response starts on a frame from the server: three 200s, one 404.
    CHECK(lines(l, "HTTP/1.1 ", false) == std::vector<std::string>{"HTTP/1.1 200 OK", "HTTP/1.1 200 OK"});
    CHECK(lines(ladders[1], "HTTP/1.1 ", false) ==
          std::vector<std::string>{"HTTP/1.1 200 OK", "HTTP/1.1 404 Not Found"});
    // Between the handshake and the first FIN, both ends stay ESTABLISHED.
    for (const rp::LadderFrame& f : l.frames) {
      if (f.phase != rp::Phase::kData) continue;
      INFO("frame " << f.segment.frame);
      CHECK(f.initiator_state == "ESTABLISHED");
      CHECK(f.responder_state == "ESTABLISHED");
    }
  }

  SECTION("the teardown: the server closes first, the opener ends CLOSED and the server in TIME-WAIT") {
    const std::size_t n = l.frames.size();
    std::size_t first_fin = n;
    for (std::size_t i = 0; i < n; ++i) {
      if ((l.frames[i].segment.flags & kFin) != 0) {
        first_fin = i;
        break;
      }
    }
    REQUIRE(first_fin + 4 == n);  // FIN, ACK, FIN, ACK: the last four frames
    const rp::LadderFrame* t = &l.frames[first_fin];
    CHECK((!t[0].from_initiator && t[0].segment.flags == (kFin | kAck)));
    CHECK((t[1].from_initiator && t[1].segment.flags == kAck));
    CHECK((t[2].from_initiator && t[2].segment.flags == (kFin | kAck)));
    CHECK((!t[3].from_initiator && t[3].segment.flags == kAck));
    for (std::size_t i = 0; i < 4; ++i) CHECK(t[i].phase == rp::Phase::kTeardown);
    for (std::size_t i = 0; i < first_fin; ++i) CHECK(l.frames[i].phase != rp::Phase::kTeardown);
    // Each FIN is acknowledged: the ACK of the other end is one past it.
    CHECK(t[1].rel_ack == t[0].rel_seq + 1);
    CHECK(t[3].rel_ack == t[2].rel_seq + 1);
    // States after each frame, though all three share a timestamp: the
    // client's ACK of the server's FIN leaves it in CLOSE-WAIT; its own FIN
    // (the app's close) takes it to LAST-ACK.
    CHECK(t[0].initiator_state == "CLOSE-WAIT");
    CHECK(t[1].initiator_state == "CLOSE-WAIT");
    CHECK(t[2].initiator_state == "LAST-ACK");
    CHECK(t[0].responder_state == "FIN-WAIT-1");
    CHECK(t[1].responder_state == "FIN-WAIT-2");
    CHECK(t[2].responder_state == "TIME-WAIT");
    CHECK(t[3].initiator_state == "CLOSED");
    CHECK(t[3].responder_state == "TIME-WAIT");
    // The server's keep-alive timeout (5 s) comes after the last request.
    CHECK(t[0].time_s > 5.0);
  }
}

TEST_CASE("explain: Chrome's preconnect carries no payload", "[integration][explain]") {
  const LabRun lab("lab-http-preconnect-idle.yaml");
  const rp::RunFolder run = rp::open_run_folder(lab.out());
  const std::vector<rp::Ladder> ladders = rp::build_ladders(run, run.captures.front());
  REQUIRE(ladders.size() == 2);
  const rp::Ladder& l = ladders[1];
  CHECK(l.stream == 1);
  CHECK(l.initiator.substr(0, l.initiator.find(':')) == ladders[0].initiator.substr(0, ladders[0].initiator.find(':')));
  CHECK(l.responder == ladders[0].responder);
  CHECK(l.initiator != ladders[0].initiator);  // another client port
  REQUIRE(l.frames.size() == 7);               // handshake (3) and teardown (4)
  for (const rp::LadderFrame& f : l.frames) {
    INFO("frame " << f.segment.frame);
    CHECK(f.segment.payload_len == 0);
    CHECK(f.segment.first_line.empty());
    CHECK(f.phase != rp::Phase::kData);
  }
  CHECK(l.frames[2].initiator_state == "ESTABLISHED");
  CHECK(l.frames[2].responder_state == "ESTABLISHED");
  // The browser's exit closes it: the client's FIN first, Seq=1 Ack=1.
  CHECK(l.frames[3].from_initiator);
  CHECK(l.frames[3].segment.flags == (kFin | kAck));
  CHECK(l.frames[3].rel_seq == 1);
  CHECK(l.frames[3].rel_ack == 1);
  CHECK(l.frames.back().initiator_state == "TIME-WAIT");
  CHECK(l.frames.back().responder_state == "CLOSED");
}

TEST_CASE("explain: every ladder frame is the frame tshark sees under its number",
          "[integration][explain][tshark]") {
  const LabRun lab;
  const rp::RunFolder run = rp::open_run_folder(lab.out());
  const rp::RunFolder::Capture& cap = run.captures.front();
  const std::vector<rp::Ladder> ladders = rp::build_ladders(run, cap);
  if (!have_tshark()) return;

  struct Row {
    std::string stream, flags, seq, ack, len, window, time, uri;
  };
  std::map<std::uint64_t, Row> tshark;
  for (const std::string& line :
       split_lines(tshark_fields((lab.out() / cap.file).string(),
                                 {"frame.number", "tcp.stream", "tcp.flags", "tcp.seq", "tcp.ack", "tcp.len",
                                  "tcp.window_size", "frame.time_epoch", "http.request.uri"}))) {
    const std::vector<std::string> f = split_tabs(line);
    REQUIRE(f.size() >= 8);
    tshark[std::stoull(f[0])] = Row{f[1], f[2], f[3], f[4], f[5], f[6], f[7], f.size() > 8 ? f[8] : ""};
  }
  REQUIRE(!tshark.empty());

  std::set<std::uint64_t> seen;
  for (const rp::Ladder& l : ladders) {
    std::uint64_t previous = 0;
    for (const rp::LadderFrame& f : l.frames) {
      const std::uint64_t n = f.segment.frame;
      INFO("stream " << l.stream << ", frame " << n << ": " << f.summary);
      CHECK(n > previous);  // in capture order
      previous = n;
      CHECK(seen.insert(n).second);  // in one ladder only
      const auto it = tshark.find(n);
      REQUIRE(it != tshark.end());
      const Row& t = it->second;
      CHECK(t.stream == std::to_string(l.stream));
      CHECK(t.flags == fmt_flags(f.segment.flags));
      CHECK(t.seq == std::to_string(f.rel_seq));
      CHECK(t.ack == std::to_string(f.rel_ack));
      CHECK(t.len == std::to_string(f.segment.payload_len));
      CHECK(t.window == window_of(f.summary));
      // Simulated time: the capture timestamp less the run's start.
      CHECK(epoch_ns(t.time) - run.start_unix_ns == static_cast<std::int64_t>(std::llround(f.time_s * 1e9)));
      // tshark's HTTP dissector finds the same requests (each fits in one segment).
      if (f.segment.first_line.rfind("GET ", 0) == 0) {
        CHECK(f.segment.first_line == "GET " + t.uri + " HTTP/1.1");
      } else {
        CHECK(t.uri.empty());
      }
    }
  }
  // Every TCP frame of the capture is in a ladder.
  CHECK(seen.size() == tshark.size());
}

TEST_CASE("explain: keep-alive probes and their answers are the frames tshark flags",
          "[integration][explain][tshark][keepalive]") {
  // The server keeps idle connections 100 s: Chrome's keep-alive probes
  // the one it used at 45 s and 90 s, and the server answers each.
  TempDir dir("wiresim-explain-ka");
  const std::filesystem::path out = dir.path() / "lab";
  const ProcessResult r = run_scenario_cli(source_dir() / "scenarios" / "lab-http.yaml", out,
                                           {"--set", "apps.web.keep_alive_timeout=100s"});
  INFO(r.output);
  REQUIRE(r.exit_status == 0);
  const rp::RunFolder run = rp::open_run_folder(out);
  const rp::RunFolder::Capture& cap = run.captures.front();
  std::vector<std::string> probes;
  std::vector<std::string> answers;
  for (const rp::Ladder& l : rp::build_ladders(run, cap)) {
    for (const rp::LadderFrame& f : l.frames) {
      if (f.note == "TCP Keep-Alive") probes.push_back(std::to_string(f.segment.frame));
      if (f.note == "TCP Keep-Alive ACK") answers.push_back(std::to_string(f.segment.frame));
    }
  }
  CHECK(probes.size() == 2);
  CHECK(answers.size() == 2);
  if (!have_tshark()) return;
  const std::string file = (out / cap.file).string();
  CHECK(probes == split_lines(tshark_fields(file, {"frame.number"}, "tcp.analysis.keep_alive")));
  CHECK(answers == split_lines(tshark_fields(file, {"frame.number"}, "tcp.analysis.keep_alive_ack")));
}

TEST_CASE("wiresim explain prints the ladders and refuses what it cannot explain", "[integration][explain][cli]") {
  const LabRun lab;
  const std::string out = lab.out().string();

  SECTION("every connection, with the requests") {
    const ProcessResult r = run_cli({"explain", out});
    INFO(r.output);
    CHECK(r.exit_status == 0);
    CHECK(r.output.find("TCP stream 0 in client.pcapng: client ") != std::string::npos);
    CHECK(r.output.find("TCP stream 1 in client.pcapng: client ") != std::string::npos);
    CHECK(r.output.find("-- Handshake --") != std::string::npos);
    CHECK(r.output.find("-- Requests and responses --") != std::string::npos);
    CHECK(r.output.find("-- Teardown --") != std::string::npos);
    CHECK(r.output.find("GET /Myhead.jpg HTTP/1.1") != std::string::npos);
    CHECK(r.output.find("GET /background.png HTTP/1.1") != std::string::npos);
    CHECK(r.output.find("more frames (") != std::string::npos);  // the image data is folded
    CHECK(r.output.find("TIME-WAIT") != std::string::npos);
  }
  SECTION("--conn picks one stream, --all unfolds the data") {
    const ProcessResult r = run_cli({"explain", out, "--conn", "1"});
    CHECK(r.exit_status == 0);
    CHECK(r.output.find("TCP stream 1 ") != std::string::npos);
    CHECK(r.output.find("TCP stream 0 ") == std::string::npos);
    CHECK(r.output.find("GET /background.png") != std::string::npos);
    CHECK(r.output.find("GET /Myhead.jpg") == std::string::npos);

    const ProcessResult all = run_cli({"explain", out, "--conn", "0", "--all"});
    CHECK(all.exit_status == 0);
    CHECK(all.output.find("more frames") == std::string::npos);
    const rp::RunFolder run = rp::open_run_folder(lab.out());
    const std::vector<rp::Ladder> ladders = rp::build_ladders(run, run.captures.front());
    // One line per frame (plus one per HTTP start line) after the header.
    std::size_t frame_lines = 0;
    for (const std::string& line : split_lines(all.output)) {
      const std::size_t first = line.find_first_not_of(' ');
      if (first != std::string::npos && first < 6 && std::isdigit(static_cast<unsigned char>(line[first])) != 0) {
        ++frame_lines;
      }
    }
    CHECK(frame_lines == ladders[0].frames.size());
  }
  SECTION("--svg and --html write sequence diagrams that fetch nothing") {
    TempDir dir("wiresim-explain-svg");
    const std::string svg = dir.file("conn0.svg");
    const std::string html = dir.file("lab.html");
    const ProcessResult r = run_cli({"explain", out, "--conn", "0", "--svg", svg, "--html", html});
    INFO(r.output);
    REQUIRE(r.exit_status == 0);
    const std::vector<std::uint8_t> s = file_bytes(svg);
    const std::string svg_text(s.begin(), s.end());
    CHECK(svg_text.rfind("<svg", 0) == 0);
    CHECK(svg_text.find("GET /Myhead.jpg HTTP/1.1") != std::string::npos);
    const std::vector<std::uint8_t> h = file_bytes(html);
    const std::string html_text(h.begin(), h.end());
    CHECK(html_text.find("<svg") != std::string::npos);
    CHECK(html_text.find("https://") == std::string::npos);
    std::string rest = html_text;
    for (std::size_t at; (at = rest.find("http://www.w3.org/2000/svg")) != std::string::npos;) rest.erase(at, 26);
    CHECK(rest.find("http://") == std::string::npos);
  }
  SECTION("--conn beyond the last stream: exit 2, with the streams there are") {
    const ProcessResult r = run_cli({"explain", out, "--conn", "99"});
    CHECK(r.exit_status == 2);
    CHECK(r.output.find("--conn 99: client.pcapng has 2 TCP streams (0 to 1)") != std::string::npos);
  }
  SECTION("--svg needs one connection") {
    TempDir dir("wiresim-explain-svg");
    const ProcessResult r = run_cli({"explain", out, "--svg", dir.file("x.svg")});
    CHECK(r.exit_status == 2);
    CHECK(r.output.find("--conn N") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(dir.file("x.svg")));
  }
  SECTION("an unknown capture: exit 2, naming the ones there are") {
    const ProcessResult r = run_cli({"explain", out, "--capture", "server"});
    CHECK(r.exit_status == 2);
    CHECK(r.output.find("--capture server: no such capture") != std::string::npos);
    CHECK(r.output.find("it has: client") != std::string::npos);
  }
  SECTION("a folder without summary.json: exit 2") {
    TempDir empty("wiresim-explain-empty");
    const ProcessResult r = run_cli({"explain", empty.path().string()});
    CHECK(r.exit_status == 2);
    CHECK(r.output.find("is not a run folder: it has no summary.json") != std::string::npos);
  }
}

namespace {

/// Wireshark's analysis lines of every ladder frame (as tcp_analysis_check.hpp writes them).
std::vector<std::string> ladder_analysis_lines(const std::vector<rp::Ladder>& ladders) {
  std::vector<std::pair<std::uint64_t, std::string>> lines;
  for (const rp::Ladder& l : ladders) {
    for (const rp::LadderFrame& f : l.frames) {
      std::string text;
      if ((f.analysis.flags & rp::kTaDuplicateAck) != 0) {
        text = "Dup ACK #" + std::to_string(f.analysis.dup_ack_num) + " of " + std::to_string(f.analysis.dup_ack_frame);
      }
      for (const AnalysisField& af : analysis_fields()) {
        if ((f.analysis.flags & af.flags) != 0) text += (text.empty() ? "" : ", ") + std::string(af.name);
      }
      if (!text.empty()) {
        lines.emplace_back(f.segment.frame,
                           std::to_string(f.segment.frame) + " (stream " + std::to_string(l.stream) + "): " + text);
      }
    }
  }
  std::sort(lines.begin(), lines.end());
  std::vector<std::string> out;
  for (auto& [n, text] : lines) out.push_back(std::move(text));
  return out;
}

/// The run's captures, each judged by tshark: every frame explain labels is the frame tshark flags.
void check_labels_match_tshark(const std::filesystem::path& out) {
  const rp::RunFolder run = rp::open_run_folder(out);
  REQUIRE(!run.captures.empty());
  for (const rp::RunFolder::Capture& cap : run.captures) {
    INFO(cap.file);
    const std::vector<rp::Ladder> ladders = rp::build_ladders(run, cap);
    CHECK(ladder_analysis_lines(ladders) == tshark_analysis_lines((out / cap.file).string()));
  }
}

}  // namespace

TEST_CASE("explain: on fast-retransmit.yaml the loss, the dup ACKs and the fast retransmission are named",
          "[integration][explain][tshark][loss]") {
  TempDir dir("wiresim-explain-fr");
  const std::filesystem::path out = dir.path() / "fr";
  const ProcessResult r = run_scenario_cli(source_dir() / "scenarios" / "fast-retransmit.yaml", out);
  INFO(r.output);
  REQUIRE(r.exit_status == 0);
  const rp::RunFolder run = rp::open_run_folder(out);
  const std::vector<rp::Ladder> ladders = rp::build_ladders(run, run.captures.front());
  REQUIRE(ladders.size() == 1);
  const rp::Ladder& l = ladders[0];

  // The 5th data segment (relative seq 5793) died on the link, by the drop rule.
  std::vector<std::uint64_t> lost;
  std::vector<std::uint64_t> fast;
  std::vector<std::uint64_t> dups;
  std::vector<std::string> dup_labels;
  for (const rp::LadderFrame& f : l.frames) {
    if (!f.lost.empty()) {
      lost.push_back(f.segment.frame);
      CHECK(f.lost == "link path (client->server): drop_rule");
      CHECK(f.rel_seq == 5793);
    }
    if ((f.analysis.flags & rp::kTaFastRetransmission) != 0) {
      fast.push_back(f.segment.frame);
      CHECK(f.rel_seq == 5793);
      CHECK(f.labels == std::vector<std::string>{"TCP Fast Retransmission"});
      // The simulator's own reason, with the congestion state it set (RFC 6582 §3.2 step 2).
      CHECK(f.resend_cause.rfind("fast retransmission after 3 dup ACKs, cwnd ", 0) == 0);
      CHECK(f.resend_cause.find(", ssthresh ") != std::string::npos);
    }
    if ((f.analysis.flags & rp::kTaDuplicateAck) != 0) {
      dups.push_back(f.analysis.dup_ack_num);
      dup_labels.push_back("[TCP Dup ACK " + std::to_string(f.analysis.dup_ack_frame) + "#" +
                           std::to_string(f.analysis.dup_ack_num) + "]");
    }
  }
  CHECK(lost.size() == 1);
  CHECK(fast.size() == 1);
  REQUIRE(dups.size() >= 3);
  CHECK(dups[0] == 1);
  CHECK(dups[2] == 3);

  if (have_tshark()) check_labels_match_tshark(out);

  // The default fold keeps every one of them in view.
  const ProcessResult text = run_cli({"explain", out.string()});
  REQUIRE(text.exit_status == 0);
  CHECK(text.output.find("LOST: dropped by link path (client->server): drop_rule") != std::string::npos);
  CHECK(text.output.find("[TCP Fast Retransmission]") != std::string::npos);
  for (const std::string& label : dup_labels) CHECK(text.output.find(label) != std::string::npos);
  CHECK(text.output.find("-------X") != std::string::npos);  // the lost arrow stops short
}

TEST_CASE("explain: on lossy lossy-compare seeds every flag is the one tshark sets",
          "[integration][explain][tshark][loss]") {
  if (!have_tshark()) return;
  for (const char* seed : {"1", "2", "4", "7"}) {
    INFO("seed " << seed);
    TempDir dir("wiresim-explain-lossy");
    const std::filesystem::path out = dir.path() / "lossy";
    const ProcessResult r = run_scenario_cli(source_dir() / "scenarios" / "lossy-compare.yaml", out, {"--seed", seed});
    INFO(r.output);
    REQUIRE(r.exit_status == 0);
    check_labels_match_tshark(out);
  }
}

namespace {
std::vector<std::filesystem::path> reference_captures() {
  std::vector<std::filesystem::path> out;
  for (const auto& e : std::filesystem::directory_iterator(source_dir() / "tests" / "fidelity" / "captures")) {
    if (e.path().extension() == ".pcap" || e.path().extension() == ".pcapng") out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}
}  // namespace

TEST_CASE("explain: any capture, such as the real reference ones, with tshark's labels and inferred states",
          "[integration][explain][tshark][capture]") {
  const auto files = reference_captures();
  REQUIRE(files.size() >= 7);
  for (const auto& file : files) {
    INFO(file.filename().string());
    const ProcessResult r = run_cli({"explain", file.string()});
    CHECK(r.exit_status == 0);
    CHECK(r.output.find("states inferred") != std::string::npos);
    CHECK(r.output.find("-- Handshake --") != std::string::npos);
    const std::vector<rp::Ladder> ladders = rp::build_capture_ladders(file);
    REQUIRE(!ladders.empty());
    for (const rp::Ladder& l : ladders) CHECK(l.states_inferred);
    if (have_tshark()) CHECK(ladder_analysis_lines(ladders) == tshark_analysis_lines(file.string()));
  }
  SECTION("states inferred: client-first close in three segments ends CLOSED and TIME-WAIT") {
    const auto ladders = rp::build_capture_ladders(source_dir() / "tests" / "fidelity" / "captures" / "curl-seq_d20_l0.pcap");
    REQUIRE(ladders.size() == 1);
    const auto& f = ladders[0].frames;
    REQUIRE(f.size() > 6);
    CHECK(f[0].initiator_state == "SYN-SENT");
    CHECK(f[2].initiator_state == "ESTABLISHED");
    CHECK(f[2].responder_state == "ESTABLISHED");
    const auto& last = f.back();
    CHECK(last.initiator_state == "TIME-WAIT");
    CHECK(last.responder_state == "CLOSED");
    CHECK(f[f.size() - 3].initiator_state == "FIN-WAIT-1");
    CHECK(f[f.size() - 2].responder_state == "LAST-ACK");
  }
  SECTION("a capture that starts after the handshake: both ends taken as ESTABLISHED") {
    const std::vector<std::uint8_t> all =
        file_bytes((source_dir() / "tests" / "fidelity" / "captures" / "curl-seq_d20_l0.pcap").string());
    // Keep the pcap file header, drop the first three records (the handshake).
    std::size_t off = 24;
    for (int i = 0; i < 3; ++i) {
      REQUIRE(off + 16 <= all.size());
      std::size_t caplen = 0;  // little-endian incl_len of the record header
      for (std::size_t b = 4; b-- > 0;) caplen = (caplen << 8) | all[off + 8 + b];
      off += 16 + caplen;
    }
    std::vector<std::uint8_t> cut(all.begin(), all.begin() + 24);
    cut.insert(cut.end(), all.begin() + static_cast<std::ptrdiff_t>(off), all.end());
    TempDir dir("wiresim-explain-mid");
    const std::string path = dir.file("mid.pcap");
    std::FILE* f = std::fopen(path.c_str(), "wb");
    REQUIRE(f != nullptr);
    std::fwrite(cut.data(), 1, cut.size(), f);
    std::fclose(f);
    const auto ladders = rp::build_capture_ladders(path);
    REQUIRE(ladders.size() == 1);
    CHECK(ladders[0].frames.front().initiator_state == "ESTABLISHED");
    CHECK(ladders[0].frames.front().responder_state == "ESTABLISHED");
    CHECK(ladders[0].frames.back().initiator_state == "TIME-WAIT");
  }
  SECTION("a lossy one prints Wireshark's out-of-order reassembly hint") {
    const ProcessResult r =
        run_cli({"explain", (source_dir() / "tests" / "fidelity" / "captures" / "curl-seq_d20_l2_s3.pcap").string()});
    CHECK(r.exit_status == 0);
    CHECK(r.output.find("tcp.reassemble_out_of_order") != std::string::npos);
    const ProcessResult clean =
        run_cli({"explain", (source_dir() / "tests" / "fidelity" / "captures" / "curl-seq_d20_l0.pcap").string()});
    CHECK(clean.output.find("tcp.reassemble_out_of_order") == std::string::npos);
  }
}

TEST_CASE("explain: what is not a capture with TCP in it is refused with exit 2", "[integration][explain][cli]") {
  TempDir dir("wiresim-explain-bad");
  const auto write = [&](const std::string& name, const std::vector<std::uint8_t>& bytes) {
    const std::string path = dir.file(name);
    std::FILE* f = std::fopen(path.c_str(), "wb");
    REQUIRE(f != nullptr);
    std::fwrite(bytes.data(), 1, bytes.size(), f);
    std::fclose(f);
    return path;
  };
  SECTION("not a capture") {
    const std::string text = "hello, this is not a capture\n";
    const ProcessResult r = run_cli({"explain", write("notes.txt", {text.begin(), text.end()})});
    CHECK(r.exit_status == 2);
    CHECK(r.output.find("not a capture wiresim can read") != std::string::npos);
  }
  SECTION("a truncated capture") {
    const std::vector<std::uint8_t> all = file_bytes((source_dir() / "tests" / "fidelity" / "captures" / "curl-seq_d20_l0.pcap").string());
    REQUIRE(all.size() > 3000);
    const ProcessResult r = run_cli({"explain", write("cut.pcap", {all.begin(), all.begin() + 3000})});
    CHECK(r.exit_status == 2);
    CHECK(r.output.find("truncated") != std::string::npos);
  }
  SECTION("a capture without TCP: one ARP request") {
    std::vector<std::uint8_t> pcap = {0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                                      0xff, 0xff, 0, 0, 1, 0, 0, 0};
    std::vector<std::uint8_t> frame = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 2, 0, 0, 0, 0, 1, 0x08, 0x06,
                                       0, 1, 0x08, 0, 6, 4, 0, 1, 2, 0, 0, 0, 0, 1, 10, 0, 0, 1,
                                       0, 0, 0, 0, 0, 0, 10, 0, 0, 2};
    const auto len = static_cast<std::uint8_t>(frame.size());
    for (const std::uint8_t b : std::vector<std::uint8_t>{0, 0, 0, 0, 0, 0, 0, 0, len, 0, 0, 0, len, 0, 0, 0}) {
      pcap.push_back(b);
    }
    pcap.insert(pcap.end(), frame.begin(), frame.end());
    const ProcessResult r = run_cli({"explain", write("arp.pcap", pcap)});
    CHECK(r.exit_status == 2);
    CHECK(r.output.find("no TCP segment") != std::string::npos);
  }
  SECTION("no such file") {
    const ProcessResult r = run_cli({"explain", dir.file("missing.pcapng")});
    CHECK(r.exit_status == 2);
    CHECK(r.output.find("no such file") != std::string::npos);
  }
}

TEST_CASE("wiresim diff: a real reference capture beside its simulated twin", "[integration][diff][cli]") {
  const LabRun lab;
  const std::string real = (source_dir() / "tests" / "fidelity" / "captures" / "chromium_d20_l0.pcap").string();
  SECTION("the table, exit 0") {
    const ProcessResult r = run_cli({"diff", real, lab.out().string()});
    INFO(r.output);
    CHECK(r.exit_status == 0);
    for (const char* row : {"TCP connections", "page load (s, first SYN to last byte)", "objects @ connection",
                            "SYN / SYN-ACK / ACK frame bytes", "SYN options", "window scale client / server",
                            "MSS client / server", "objects (path:segments)", "server PSH",
                            "ACKs of 1 / 2 / >2 segments", "retransmissions (fast)", "RTOs (s)",
                            "close: by, with, segments", "first divergence: "}) {
      CHECK(r.output.find(row) != std::string::npos);
    }
    CHECK(r.output.find("/background.png@1") != std::string::npos);  // Chromium's png on the preconnect
    CHECK(r.output.find("MSS,SACK_PERM,TS,NOP,WS") != std::string::npos);
  }
  SECTION("--json for scripts") {
    const ProcessResult r = run_cli({"diff", real, lab.out().string(), "--json"});
    CHECK(r.exit_status == 0);
    for (const char* key : {"\"a\"", "\"b\"", "\"pairs\"", "\"first_divergence\"", "\"page_load_s\"", "\"objects\"",
                            "\"acks_of_1\"", "\"rto_s\"", "\"close_initiator\""}) {
      CHECK(r.output.find(key) != std::string::npos);
    }
  }
  SECTION("bad input: exit 2") {
    CHECK(run_cli({"diff", real, (source_dir() / "README.md").string()}).exit_status == 2);
    CHECK(run_cli({"diff", real, lab.out().string(), "--pair", "0=7"}).exit_status == 2);
    CHECK(run_cli({"diff", real, lab.out().string(), "--pair", "zero"}).exit_status == 2);
  }
}

namespace {
/// Frames of `file` sent by `sender_ip` that tshark flags as retransmissions, and their comments.
std::vector<std::pair<std::string, std::string>> resent_with_comments(const std::string& file, const std::string& sender_ip) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const std::string& line : split_lines(tshark_fields(file, {"frame.number", "frame.comment"},
                                                           "tcp.analysis.retransmission && ip.src == " + sender_ip))) {
    const std::size_t tab = line.find('\t');
    out.emplace_back(line.substr(0, tab), tab == std::string::npos ? "" : line.substr(tab + 1));
  }
  return out;
}
}  // namespace

TEST_CASE("node captures: a frame the host sent again says why in its pcapng comment",
          "[integration][explain][tshark][comments]") {
  if (!have_tshark()) return;
  SECTION("fast-retransmit.yaml: the fast retransmission after 3 dup ACKs") {
    TempDir dir("wiresim-comments-fr");
    const std::filesystem::path out = dir.path() / "fr";
    REQUIRE(run_scenario_cli(source_dir() / "scenarios" / "fast-retransmit.yaml", out).exit_status == 0);
    const auto resent = resent_with_comments((out / "client.pcapng").string(), "10.0.0.1");
    REQUIRE(resent.size() == 1);
    CHECK(resent[0].second.rfind("fast retransmission after 3 dup ACKs, cwnd ", 0) == 0);
    CHECK(resent[0].second.find(", ssthresh ") != std::string::npos);
  }
  SECTION("lossy-compare.yaml seed 23: the client's SYN sent again after the timer") {
    TempDir dir("wiresim-comments-lossy");
    const std::filesystem::path out = dir.path() / "lossy";
    REQUIRE(run_scenario_cli(source_dir() / "scenarios" / "lossy-compare.yaml", out, {"--seed", "23"}).exit_status == 0);
    const auto resent = resent_with_comments((out / "client.pcapng").string(), "10.0.0.1");
    REQUIRE(!resent.empty());
    for (const auto& [frame, comment] : resent) {
      INFO("frame " << frame);
      CHECK(comment.rfind("retransmission: SYN RTO (backoff 1)", 0) == 0);
    }
    // The server's resends, seen in the client's capture, carry their reason in explain.
    const rp::RunFolder run = rp::open_run_folder(out);
    std::size_t explained = 0;
    for (const rp::Ladder& l : rp::build_ladders(run, run.captures.front())) {
      for (const rp::LadderFrame& f : l.frames) {
        if (f.from_initiator || f.resend_cause.empty()) continue;
        ++explained;
        // The linux profile detects losses by RACK-TLP (RFC 8985): its resends
        // are named as RACK's or as tail loss probes, never as dup-ACK ones.
        INFO(f.resend_cause);
        CHECK((f.resend_cause.rfind("RTO (backoff ", 0) == 0 || f.resend_cause.rfind("RACK: lost by time", 0) == 0 ||
               f.resend_cause.rfind("tail loss probe", 0) == 0 || f.resend_cause.rfind("SYN", 0) == 0));
      }
    }
    CHECK(explained >= 4);
  }
}
