// Every shipped scenario (scenarios/*.yaml), run through the real `wiresim`
// executable:
//   - it exits 0, writes exactly the outputs the scenario asks for, and
//     tshark (checksum validation on) finds nothing wrong in its captures;
//   - every app finishes: bulk transfers with zero corrupt bytes, teardown
//     apps with their bytes exchanged, browsers with every page load
//     complete, servers without a parse error;
//   - running it twice gives byte-identical output folders (every file);
//   - --seed changes the seed and the random draws (captures differ: ISNs,
//     and loss for lossy scenarios) but nothing a lossless run depends on;
//   - --set changes exactly the value it names.
// fast-retransmit.yaml, lab-http.yaml and teardown.yaml are checked exactly.

#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <sstream>
#include <tuple>
#include <filesystem>
#include <string>
#include <variant>
#include <vector>

#include "file_bytes.hpp"
#include "run_helpers.hpp"
#include "temp_dir.hpp"
#include "tshark.hpp"
#include "wiresim/scenario/enum_names.hpp"
#include "wiresim/scenario/loader.hpp"
#include "wiresim/scenario/output_dir.hpp"

using namespace wiresim::test;
namespace sc = wiresim::scenario;
using Json = nlohmann::ordered_json;

namespace {

struct Shipped {
  std::filesystem::path file;
  sc::Scenario scenario;
};

/// scenarios/*.yaml, in file-name order, each loaded (and required to load).
std::vector<Shipped> shipped_scenarios() {
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(source_dir() / "scenarios")) {
    if (e.is_regular_file() && e.path().extension() == ".yaml") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  std::vector<Shipped> out;
  for (const auto& f : files) {
    sc::LoadResult r = sc::load_scenario_file(f);
    INFO("scenario " << f.string());
    for (const sc::Diagnostic& d : r.diagnostics) INFO(to_string(d));
    REQUIRE(r.ok());
    out.push_back({f, std::move(*r.scenario)});
  }
  return out;
}

bool lossy(const sc::DirectionSpec& d) {
  return d.loss.model == sc::LossModel::kGilbertElliott || d.loss.p > 0.0;
}

/// Random draws decide something in this scenario besides ISNs, ports and
/// timestamp offsets: loss or jitter on some link direction.
bool random_outcome(const sc::Scenario& s) {
  // HTTP servers and clients draw their processing times (response latency,
  // renderer time, the browser's exit) from the seed's app streams.
  const bool http_apps = std::any_of(s.apps.begin(), s.apps.end(), [](const sc::AppSpec& a) {
    return std::holds_alternative<sc::HttpServerApp>(a.config) || std::holds_alternative<sc::BrowserApp>(a.config);
  });
  return http_apps || std::any_of(s.links.begin(), s.links.end(), [](const sc::LinkSpec& l) {
           return lossy(l.a_to_b) || lossy(l.b_to_a) || l.a_to_b.jitter > wiresim::Duration::zero() ||
                  l.b_to_a.jitter > wiresim::Duration::zero();
         });
}

/// The file names a run of `s` must write, sorted.
std::vector<std::string> expected_outputs(const sc::Scenario& s) {
  std::vector<std::string> names{"summary.json", sc::OutputDir::kManifestName};
  for (const sc::CaptureSpec& c : s.captures) names.push_back(c.file);
  if (s.traces.tcp_states) names.emplace_back("tcp-states.csv");
  if (s.traces.tcp_states) names.emplace_back("tcp-retransmits.csv");
  if (s.traces.cwnd) names.emplace_back("tcp-cwnd.csv");
  for (const sc::AppSpec& a : s.apps) {
    if (std::holds_alternative<sc::BrowserApp>(a.config)) names.push_back(a.name + ".har");
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::vector<std::string> output_names(const std::filesystem::path& dir) {
  std::vector<std::string> names;
  for (const auto& [name, bytes] : folder_files(dir)) names.push_back(name);
  return names;  // std::map order: sorted
}

/// Runs `s` with the CLI into `out`, requiring exit 0.
Json run_ok(const Shipped& s, const std::filesystem::path& out, const std::vector<std::string>& extra = {}) {
  const ProcessResult r = run_scenario_cli(s.file, out, extra);
  INFO("wiresim run " << s.file.string() << " said:\n" << r.output);
  REQUIRE(r.exit_status == 0);
  return read_summary(out);
}

/// The summary.json entry of the app `name` (apps are listed by kind there).
const Json& app_json(const Json& summary, const std::string& name) {
  for (const Json& a : summary.at("apps")) {
    if (a.at("name") == name) return a;
  }
  FAIL("no app " << name << " in summary.json");
  return summary;
}

bool is_client_app(const sc::AppSpec& a) { return !std::holds_alternative<sc::HttpServerApp>(a.config); }

/// The first bulk app of `s`, or nullptr.
const sc::AppSpec* first_bulk(const sc::Scenario& s) {
  for (const sc::AppSpec& a : s.apps) {
    if (std::holds_alternative<sc::BulkApp>(a.config)) return &a;
  }
  return nullptr;
}

void check_app_complete(const sc::AppSpec& spec, const Json& a, std::int64_t bulk_bytes) {
  INFO("app " << spec.name << ": " << a.dump());
  if (std::holds_alternative<sc::BulkApp>(spec.config)) {
    CHECK(a.at("type") == "bulk");
    CHECK(a.at("complete") == true);
    CHECK(a.at("error") == "");
    CHECK(a.at("bytes_corrupt") == 0);
    CHECK(a.at("bytes_received").get<std::int64_t>() == bulk_bytes);
    CHECK(a.at("bytes_sent").get<std::int64_t>() == bulk_bytes);
  } else if (const auto* t = std::get_if<sc::TeardownApp>(&spec.config)) {
    CHECK(a.at("type") == "teardown");
    CHECK(a.at("close") == std::string(sc::to_string(t->close)));
    CHECK(a.at("complete") == true);
    CHECK(a.at("error") == "");
    CHECK(a.at("client_bytes_received").get<std::int64_t>() == t->bytes);
    CHECK(a.at("server_bytes_received").get<std::int64_t>() == t->bytes);
  } else if (const auto* b = std::get_if<sc::BrowserApp>(&spec.config)) {
    CHECK(a.at("type") == "browser");
    CHECK(a.at("finished") == true);
    REQUIRE(a.at("page_loads").size() == static_cast<std::size_t>(b->page_loads));
    for (const Json& load : a.at("page_loads")) {
      CHECK(load.at("complete") == true);
      CHECK(load.at("failed_objects") == 0);
      CHECK(load.at("error") == "");
    }
  } else {
    CHECK(a.at("type") == "http_server");
    CHECK(a.at("requests").get<std::uint64_t>() > 0);
    CHECK(a.at("parse_errors") == 0);
  }
}

/// Every app of `s` finished as it should: bulk apps moved exactly their
/// bytes (`bulk_bytes` overrides the first bulk app's), none corrupt;
/// teardown apps exchanged theirs; browsers completed every page load;
/// servers answered without a parse error.
void check_apps_complete(const sc::Scenario& s, const Json& summary, std::int64_t first_bulk_bytes = -1) {
  REQUIRE(summary.at("apps").size() == s.apps.size());
  const sc::AppSpec* bulk = first_bulk(s);
  for (const sc::AppSpec& spec : s.apps) {
    std::int64_t bytes = 0;
    if (const auto* b = std::get_if<sc::BulkApp>(&spec.config)) bytes = b->bytes;
    if (&spec == bulk && first_bulk_bytes >= 0) bytes = first_bulk_bytes;
    check_app_complete(spec, app_json(summary, spec.name), bytes);
  }
  const auto clients = static_cast<std::size_t>(std::count_if(s.apps.begin(), s.apps.end(), is_client_app));
  CHECK(summary.at("simulation").at("client_apps") == clients);
  CHECK(summary.at("simulation").at("client_apps_finished") == clients);
  // Receivers never saw a damaged or unparsable segment.
  for (const Json& st : summary.at("tcp")) {
    INFO("host " << st.at("host"));
    CHECK(st.at("bad_checksum") == 0);
    CHECK(st.at("malformed") == 0);
  }
}

/// summary.json less what a seed may change in a lossless run: the seed
/// itself and the connections' endpoints (ephemeral ports are drawn).
Json without_seed_effects(Json j) {
  j.erase("seed");
  for (Json& c : j.at("connections")) {
    c.erase("local");
    c.erase("remote");
  }
  return j;
}

/// The link direction's drops by `cause`.
std::uint64_t drops(const Json& summary, const std::string& link, const char* dir, const char* cause) {
  for (const Json& l : summary.at("links")) {
    if (l.at("name") == link) return l.at(dir).at("drops").at(cause).get<std::uint64_t>();
  }
  FAIL("no link " << link << " in summary.json");
  return 0;
}

std::uint64_t total_drops(const Json& summary, const char* cause) {
  std::uint64_t n = 0;
  for (const Json& l : summary.at("links")) {
    for (const char* dir : {"a_to_b", "b_to_a"}) n += l.at(dir).at("drops").at(cause).get<std::uint64_t>();
  }
  return n;
}

}  // namespace

TEST_CASE("every shipped scenario loads, and the issue's six are there", "[integration][scenarios]") {
  std::vector<std::string> names;
  for (const Shipped& s : shipped_scenarios()) names.push_back(s.file.filename().string());
  for (const char* name : {"bulk.yaml", "dumbbell.yaml", "fast-retransmit.yaml", "lab-http.yaml", "lossy-compare.yaml",
                           "teardown.yaml"}) {
    INFO(name);
    CHECK(std::find(names.begin(), names.end(), name) != names.end());
  }
}

TEST_CASE("each shipped scenario runs cleanly and twice gives identical output folders",
          "[integration][scenarios][determinism][tshark]") {
  const bool tshark = have_tshark();
  for (const Shipped& s : shipped_scenarios()) {
    INFO("scenario " << s.file.string());
    TempDir dir("wiresim-scenario");
    const std::filesystem::path first = dir.path() / "first";
    const std::filesystem::path second = dir.path() / "second";
    const Json summary = run_ok(s, first);
    run_ok(s, second);

    CHECK(output_names(first) == expected_outputs(s.scenario));
    CHECK(differing_files(first, second).empty());

    CHECK(summary.at("scenario") == s.scenario.name);
    CHECK(summary.at("seed") == s.scenario.seed);
    CHECK(summary.at("overrides").empty());
    CHECK(summary.at("simulation").at("stopped_by") != "interrupted");
    check_apps_complete(s.scenario, summary);

    if (!tshark) continue;
    const Json& caps = summary.at("captures");
    REQUIRE(caps.size() == s.scenario.captures.size());
    for (const Json& c : caps) {
      check_capture_clean((first / c.at("file").get<std::string>()).string(), c.at("frames").get<std::uint64_t>());
    }
  }
}

TEST_CASE("wiresim run --seed changes the seed and what is drawn from it, and nothing else", "[integration][scenarios][seed]") {
  bool saw_random = false;
  for (const Shipped& s : shipped_scenarios()) {
    INFO("scenario " << s.file.string());
    TempDir dir("wiresim-seed");
    const std::uint64_t other = s.scenario.seed + 1;
    const Json base = run_ok(s, dir.path() / "base");
    const Json seeded = run_ok(s, dir.path() / "seeded", {"--seed", std::to_string(other)});

    CHECK(base.at("seed") == s.scenario.seed);
    CHECK(seeded.at("seed") == other);
    CHECK(seeded.at("scenario") == base.at("scenario"));
    CHECK(seeded.at("scenario_file") == base.at("scenario_file"));
    CHECK(seeded.at("overrides") == base.at("overrides"));
    check_apps_complete(s.scenario, seeded);
    // Every capture changes: initial sequence numbers, ephemeral ports and
    // timestamp offsets come from per-host streams of the seed.
    for (const sc::CaptureSpec& c : s.scenario.captures) {
      INFO("capture " << c.file);
      CHECK(file_bytes((dir.path() / "base" / c.file).string()) !=
            file_bytes((dir.path() / "seeded" / c.file).string()));
    }
    if (random_outcome(s.scenario)) {
      // Loss (or jitter) draws move too: what happened differs.
      saw_random = true;
      CHECK(without_seed_effects(seeded) != without_seed_effects(base));
    } else {
      // Nothing else is random: every count, time and drop is the same.
      CHECK(without_seed_effects(seeded) == without_seed_effects(base));
    }
  }
  CHECK(saw_random);  // bulk.yaml at least
}

TEST_CASE("wiresim run --set changes exactly the value it names", "[integration][scenarios][set]") {
  bool saw_loss = false;
  for (const Shipped& s : shipped_scenarios()) {
    INFO("scenario " << s.file.string());
    TempDir dir("wiresim-set");

    // apps.NAME.bytes: the first bulk app moves exactly that many bytes;
    // every other app does what it does without the override.
    if (const sc::AppSpec* bulk = first_bulk(s.scenario)) {
      constexpr std::int64_t kBytes = 123457;
      const std::string set = "apps." + bulk->name + ".bytes=" + std::to_string(kBytes);
      const Json j = run_ok(s, dir.path() / "bytes", {"--set", set});
      CHECK(j.at("overrides") == Json::array({set}));
      CHECK(j.at("seed") == s.scenario.seed);
      CHECK(j.at("scenario") == s.scenario.name);
      check_apps_complete(s.scenario, j, kBytes);
    }

    // links.NAME.DIRECTION.loss=0%: the direction key wins over the
    // link-level one, so this silences a lossy direction wherever its loss
    // is written. That link loses nothing to its loss model any more; the
    // other links' loss-free directions stay loss-free, every app still
    // moves its bytes, the seed and the name are as before.
    for (const sc::LinkSpec& l : s.scenario.links) {
      std::vector<std::string> sets;
      if (lossy(l.a_to_b)) sets.push_back("links." + l.name + ".a_to_b.loss=0%");
      if (lossy(l.b_to_a)) sets.push_back("links." + l.name + ".b_to_a.loss=0%");
      if (sets.empty()) continue;
      INFO("link " << l.name);
      saw_loss = true;
      std::vector<std::string> args;
      for (const std::string& x : sets) args.insert(args.end(), {"--set", x});
      const Json base = run_ok(s, dir.path() / ("base-" + l.name));
      const Json quiet = run_ok(s, dir.path() / ("noloss-" + l.name), args);
      CHECK(drops(base, l.name, "a_to_b", "loss_model") + drops(base, l.name, "b_to_a", "loss_model") > 0);
      CHECK(drops(quiet, l.name, "a_to_b", "loss_model") == 0);
      CHECK(drops(quiet, l.name, "b_to_a", "loss_model") == 0);
      CHECK(quiet.at("overrides") == Json(sets));
      CHECK(quiet.at("seed") == base.at("seed"));
      CHECK(quiet.at("scenario") == base.at("scenario"));
      CHECK(quiet.at("simulation").at("client_apps") == base.at("simulation").at("client_apps"));
      check_apps_complete(s.scenario, quiet);
      for (const sc::LinkSpec& other : s.scenario.links) {
        INFO("other link " << other.name);
        if (other.name != l.name && !lossy(other.a_to_b)) CHECK(drops(quiet, other.name, "a_to_b", "loss_model") == 0);
        if (other.name != l.name && !lossy(other.b_to_a)) CHECK(drops(quiet, other.name, "b_to_a", "loss_model") == 0);
      }
    }
  }
  CHECK(saw_loss);  // bulk.yaml at least
}

TEST_CASE("bulk.yaml and dumbbell.yaml do what their comments say", "[integration][scenarios]") {
  TempDir dir("wiresim-docs");
  for (const Shipped& s : shipped_scenarios()) {
    const std::string name = s.file.filename().string();
    if (name == "bulk.yaml") {
      const Json j = run_ok(s, dir.path() / "bulk");
      // 1% loss on the data direction only; the queue never overflows.
      CHECK(drops(j, "path", "a_to_b", "loss_model") > 0);
      CHECK(drops(j, "path", "b_to_a", "loss_model") == 0);
      CHECK(total_drops(j, "queue_full") == 0);
      CHECK(j.at("apps").at(0).at("bytes_received") == 20'000'000);
      // Every loss is repaired by a retransmission from the client.
      CHECK(retransmits_total(connection_counters(j, "client")) >= drops(j, "path", "a_to_b", "loss_model"));
      CHECK(retransmits_total(connection_counters(j, "server")) == 0);
    } else if (name == "dumbbell.yaml") {
      const Json j = run_ok(s, dir.path() / "dumbbell");
      CHECK(s.scenario.apps.size() == 20);
      // No random loss; the bottleneck's queue at r1 overflows, nothing else.
      CHECK(total_drops(j, "loss_model") == 0);
      CHECK(drops(j, "bottleneck", "a_to_b", "queue_full") > 0);
      CHECK(total_drops(j, "queue_full") == drops(j, "bottleneck", "a_to_b", "queue_full"));
      CHECK(j.at("connections").size() == 40);
    }
  }
}

TEST_CASE("fast-retransmit.yaml: one dropped segment, three duplicate ACKs, one fast retransmission",
          "[integration][scenarios][tshark]") {
  const std::filesystem::path file = source_dir() / "scenarios" / "fast-retransmit.yaml";
  TempDir dir("wiresim-fastrtx");
  const ProcessResult r = run_scenario_cli(file, dir.path() / "out");
  INFO(r.output);
  REQUIRE(r.exit_status == 0);
  const std::filesystem::path out = dir.path() / "out";
  const Json j = read_summary(out);

  // The simulator's account: one drop by the rule, nothing else lost.
  CHECK(total_drops(j, "drop_rule") == 1);
  CHECK(drops(j, "path", "a_to_b", "drop_rule") == 1);
  CHECK(total_drops(j, "loss_model") == 0);
  CHECK(total_drops(j, "queue_full") == 0);
  const Json client = connection_counters(j, "client");
  CHECK(client.at("retransmits_fast") == 1);
  CHECK(client.at("retransmits_timeout") == 0);
  CHECK(client.at("retransmits_sack") == 0);
  CHECK(client.at("rto_expiries") == 0);
  CHECK(client.at("fast_recoveries") == 1);
  CHECK(retransmits_total(connection_counters(j, "server")) == 0);
  CHECK(j.at("apps").at(0).at("complete") == true);

  if (!have_tshark()) return;
  const std::string cap = (out / "client.pcapng").string();
  // tshark's account: exactly one fast retransmission, and no other
  // retransmission of any kind ...
  const auto fast = split_lines(tshark_fields(cap, {"frame.number", "tcp.seq_raw"}, "tcp.analysis.fast_retransmission"));
  REQUIRE(fast.size() == 1);
  CHECK(split_lines(tshark_fields(cap, {"frame.number"},
                                  "tcp.analysis.retransmission || tcp.analysis.spurious_retransmission"))
            .size() == 1);
  const std::vector<std::string> fr = split_tabs(fast.front());
  const long frame = std::stol(fr.at(0));
  // ... preceded by at least three duplicate ACKs ...
  const auto dups = split_lines(
      tshark_fields(cap, {"frame.number"}, "tcp.analysis.duplicate_ack && frame.number < " + fr.at(0)));
  CHECK(dups.size() >= 3);
  // ... and it resends the 5th data segment of the client, the one dropped.
  const auto data = split_lines(tshark_fields(cap, {"frame.number", "tcp.seq_raw"}, "ip.src == 10.0.0.1 && tcp.len > 0"));
  REQUIRE(data.size() > 5);
  CHECK(split_tabs(data.at(4)).at(1) == fr.at(1));
  CHECK(std::stol(split_tabs(data.at(4)).at(0)) < frame);
  // The link's capture keeps the dropped frame, commented.
  const auto comments = split_lines(tshark_fields((out / "link.pcapng").string(), {"frame.comment"}, "frame.comment"));
  CHECK(comments == std::vector<std::string>{"dropped by link path (client->server): drop_rule"});
}

namespace {

/// Each connection's states in tcp-states.csv, in order ("to" column), by
/// (node, the port of the 10.0.0.2 end).
std::map<std::pair<std::string, std::string>, std::vector<std::string>> state_paths(const std::filesystem::path& csv) {
  const std::vector<std::uint8_t> bytes = file_bytes(csv.string());
  const std::vector<std::string> lines = split_lines(std::string(bytes.begin(), bytes.end()));
  REQUIRE(!lines.empty());
  CHECK(lines.front() == "time_s,node,local,remote,from,to,cause,frame,capture");
  std::map<std::pair<std::string, std::string>, std::vector<std::string>> paths;
  for (std::size_t i = 1; i < lines.size(); ++i) {
    std::vector<std::string> cols;
    std::stringstream row(lines[i]);
    for (std::string col; std::getline(row, col, ',');) cols.push_back(col);
    REQUIRE(cols.size() >= 6);
    const std::string& server_end = cols[1] == "server" ? cols[2] : cols[3];
    REQUIRE(server_end.rfind("10.0.0.2:", 0) == 0);
    paths[{cols[1], server_end.substr(9)}].push_back(cols[5]);
  }
  return paths;
}

struct TcpFrame {
  std::string src;
  int flags = 0;
  std::uint64_t seq = 0;
  std::uint64_t ack = 0;
};

/// The frames of the connection to server port `port`, from its first FIN on.
std::vector<TcpFrame> teardown_frames(const std::string& cap, int port) {
  std::vector<TcpFrame> out;
  for (const std::string& line : split_lines(tshark_fields(
           cap, {"ip.src", "tcp.flags", "tcp.seq_raw", "tcp.ack_raw"}, "tcp.port == " + std::to_string(port)))) {
    const std::vector<std::string> f = split_tabs(line);
    REQUIRE(f.size() == 4);
    TcpFrame t{f[0], std::stoi(f[1], nullptr, 16), std::stoull(f[2]), std::stoull(f[3])};
    if (out.empty() && (t.flags & 0x01) == 0) continue;
    out.push_back(t);
  }
  return out;
}

constexpr int kFinAck = 0x011;
constexpr int kAck = 0x010;

}  // namespace

TEST_CASE("teardown.yaml: client-first, server-first, simultaneous and merged-FIN closes, exactly",
          "[integration][scenarios][teardown][tshark]") {
  const std::filesystem::path file = source_dir() / "scenarios" / "teardown.yaml";
  TempDir dir("wiresim-teardown");
  const std::filesystem::path out = dir.path() / "out";
  const ProcessResult r = run_scenario_cli(file, out);
  INFO(r.output);
  REQUIRE(r.exit_status == 0);

  // The simulator's account: every connection's states, both ends.
  using Path = std::vector<std::string>;
  const Path active_open{"SYN-SENT", "ESTABLISHED"};
  const Path passive_open{"LISTEN", "SYN-RECEIVED", "ESTABLISHED"};
  const auto then = [](Path p, const Path& rest) {
    p.insert(p.end(), rest.begin(), rest.end());
    return p;
  };
  const Path closes_first{"FIN-WAIT-1", "FIN-WAIT-2", "TIME-WAIT", "CLOSED"};
  const Path closes_second{"CLOSE-WAIT", "LAST-ACK", "CLOSED"};
  const Path crossing{"FIN-WAIT-1", "CLOSING", "TIME-WAIT", "CLOSED"};
  const std::map<std::pair<std::string, std::string>, Path> expected{
      {{"client", "7001"}, then(active_open, closes_first)},
      {{"server", "7001"}, then(passive_open, closes_second)},
      {{"client", "7002"}, then(active_open, closes_second)},
      {{"server", "7002"}, then(passive_open, closes_first)},
      {{"client", "7003"}, then(active_open, crossing)},
      {{"server", "7003"}, then(passive_open, crossing)},
      // The server's FIN acknowledges the client's: FIN-WAIT-2 is skipped.
      {{"client", "7004"}, then(active_open, {"FIN-WAIT-1", "TIME-WAIT", "CLOSED"})},
      {{"server", "7004"}, then(passive_open, closes_second)},
  };
  CHECK(state_paths(out / "tcp-states.csv") == expected);

  const Json j = read_summary(out);
  CHECK(j.at("simulation").at("client_apps_finished") == 4);
  CHECK(total_drops(j, "loss_model") + total_drops(j, "queue_full") == 0);

  if (!have_tshark()) return;
  const std::string cap = (out / "client.pcapng").string();
  check_capture_clean(cap, j.at("captures").at(0).at("frames").get<std::uint64_t>());
  const std::string client = "10.0.0.1";
  const std::string server = "10.0.0.2";
  // tshark's account of each close, from the first FIN on.
  {  // client first and server first: FIN,ACK / ACK / FIN,ACK / ACK
    for (const auto& [port, first, second] : {std::tuple{7001, client, server}, std::tuple{7002, server, client}}) {
      INFO("port " << port);
      const std::vector<TcpFrame> f = teardown_frames(cap, port);
      REQUIRE(f.size() == 4);
      CHECK((f[0].src == first && f[0].flags == kFinAck));
      CHECK((f[1].src == second && f[1].flags == kAck && f[1].ack == f[0].seq + 1));
      CHECK((f[2].src == second && f[2].flags == kFinAck && f[2].ack == f[0].seq + 1));
      CHECK((f[3].src == first && f[3].flags == kAck && f[3].ack == f[2].seq + 1));
    }
  }
  {  // simultaneous: the FINs cross, neither acknowledges the other, two ACKs follow
    const std::vector<TcpFrame> f = teardown_frames(cap, 7003);
    REQUIRE(f.size() == 4);
    CHECK((f[0].src == client && f[0].flags == kFinAck));
    CHECK((f[1].src == server && f[1].flags == kFinAck && f[1].ack == f[0].seq));
    CHECK((f[2].src == client && f[2].flags == kAck && f[2].ack == f[1].seq + 1));
    CHECK((f[3].src == server && f[3].flags == kAck && f[3].ack == f[0].seq + 1));
  }
  {  // merged FIN: FIN,ACK from both, the second acknowledging the first, then one ACK
    const std::vector<TcpFrame> f = teardown_frames(cap, 7004);
    REQUIRE(f.size() == 3);
    CHECK((f[0].src == client && f[0].flags == kFinAck));
    CHECK((f[1].src == server && f[1].flags == kFinAck && f[1].ack == f[0].seq + 1));
    CHECK((f[2].src == client && f[2].flags == kAck && f[2].ack == f[1].seq + 1));
  }
}

TEST_CASE("lab-http.yaml: the page, its two images and the favicon are requested and answered",
          "[integration][scenarios][http][tshark]") {
  const std::filesystem::path file = source_dir() / "scenarios" / "lab-http.yaml";
  TempDir dir("wiresim-lab");
  const std::filesystem::path out = dir.path() / "out";
  const ProcessResult r = run_scenario_cli(file, out);
  INFO(r.output);
  REQUIRE(r.exit_status == 0);
  if (!have_tshark()) return;
  const std::string cap = (out / "client.pcapng").string();
  // Requests in capture order: the page first.
  std::vector<std::string> requests = split_lines(tshark_fields(cap, {"http.request.uri"}, "http.request"));
  REQUIRE(!requests.empty());
  CHECK(requests.front() == "/");
  std::sort(requests.begin(), requests.end());
  CHECK(requests == std::vector<std::string>{"/", "/Myhead.jpg", "/background.png", "/favicon.ico"});
  // Every request answered: the site's files with 200 and their exact size,
  // the favicon (not in the site) with 404.
  const std::filesystem::path site = source_dir() / "scenarios" / "sites" / "lab";
  std::map<std::string, std::string> answers;
  for (const std::string& line : split_lines(tshark_fields(
           cap, {"http.response_for.uri", "http.response.code", "http.content_length"}, "http.response"))) {
    const std::vector<std::string> f = split_tabs(line);
    REQUIRE(f.size() == 3);
    const std::string path = f[0].substr(f[0].find(":24/") + 3);
    INFO(path);
    answers[path] = f[1];
    if (f[1] == "200") {
      const std::string name = path == "/" ? "index.html" : path.substr(1);
      CHECK(std::stoull(f[2]) == std::filesystem::file_size(site / name));
    }
  }
  CHECK(answers == std::map<std::string, std::string>{
                       {"/", "200"}, {"/Myhead.jpg", "200"}, {"/background.png", "200"}, {"/favicon.ico", "404"}});
}
