// Loading whole scenarios: a complete valid file into exact structs, the
// defaults, site folder lookup, and every problem reported at once.

#include <fstream>
#include <sstream>

#include <catch2/catch.hpp>

#include "test_paths.hpp"
#include "wiresim/scenario/app_reader.hpp"
#include "wiresim/scenario/loader.hpp"
#include "wiresim/scenario/read_context.hpp"
#include "wiresim/scenario/yaml_source.hpp"

using namespace wiresim;
using namespace wiresim::scenario;
using namespace wiresim::literals;
namespace fs = std::filesystem;

namespace {

constexpr std::uint32_t ip(std::uint32_t a, std::uint32_t b, std::uint32_t c, std::uint32_t d) {
  return a << 24 | b << 16 | c << 8 | d;
}

Scenario load_ok(const fs::path& file, const LoadOptions& options = {}) {
  const LoadResult r = load_scenario_file(file, options);
  for (const Diagnostic& d : r.diagnostics) UNSCOPED_INFO(to_string(d));
  REQUIRE(r.ok());
  REQUIRE(r.diagnostics.empty());
  return *r.scenario;
}

std::vector<std::string> messages(const LoadResult& r) {
  std::vector<std::string> out;
  for (const Diagnostic& d : r.diagnostics) out.push_back(to_string(d));
  return out;
}

TcpSpec server_tcp() {
  TcpOverrides o;
  o.mss = 1460;
  o.rcv_buf = 65'536;
  o.snd_buf = 1'000'000;
  o.window_scale = 7;
  o.sack = false;
  o.timestamps = true;
  o.initial_cwnd = 10;
  o.delayed_ack = 40_ms;
  o.min_rto = 200_ms;
  o.msl = 30_s;
  o.congestion_control = CongestionControl::kCubic;
  o.nagle = true;
  o.syn_retries = 6;
  o.ephemeral_ports = PortRange{32768, 60999};
  return TcpSpec{TcpProfile::kLinux, o};
}

std::vector<HostSpec> expected_hosts() {
  TcpOverrides sink;
  sink.window_scale = kWindowScaleOff;
  return {
      HostSpec{"client", {ip(10, 0, 1, 2), 24}, TcpSpec{TcpProfile::kWindows, {}}},
      HostSpec{"server", {ip(10, 0, 2, 2), 24}, server_tcp()},
      HostSpec{"sink", {ip(10, 0, 3, 2), 24}, TcpSpec{TcpProfile::kLinux, sink}},
  };
}

LinkSpec expected_access() {
  DirectionSpec common;
  common.bandwidth = DataRate::mbps(10);
  common.delay = 20_ms;
  common.jitter = 500_us;
  common.queue = QueueSpec{.packets = 50, .bytes = 65'536};
  common.mtu = 1500;
  common.loss = LossSpec{LossModel::kBernoulli, 0.02, 0.98, 1.0, 0.0};
  common.drop = {DropRule{DropMatch::kSyn, 1, 1, std::nullopt, std::nullopt, std::nullopt, std::nullopt,
                          "links.access.drop.0"},
                 DropRule{DropMatch::kTcpData, 3, 5, std::nullopt, std::uint16_t{80}, std::nullopt, std::nullopt,
                          "links.access.drop.1"}};
  DirectionSpec a_to_b = common;
  a_to_b.bandwidth = DataRate::mbps(1);
  a_to_b.loss = LossSpec{LossModel::kGilbertElliott, 0.01, 0.3, 1.0, 0.5};
  DirectionSpec b_to_a = common;
  b_to_a.drop.clear();
  return LinkSpec{"access", {"client", {ip(10, 0, 1, 2), 24}}, {"r1", {ip(10, 0, 1, 1), 24}}, a_to_b, b_to_a};
}

std::vector<LinkSpec> expected_links() {
  DirectionSpec core;
  core.bandwidth = DataRate::gbps(1);
  core.delay = 1250_us;
  DirectionSpec core2;
  core2.bandwidth = DataRate::infinite();
  core2.loss = LossSpec{LossModel::kBernoulli, 0.005, 0.995, 1.0, 0.0};
  DirectionSpec back_ab;
  back_ab.bandwidth = DataRate::kbps(2500);
  back_ab.delay = 100_us;
  DirectionSpec back_ba;
  back_ba.bandwidth = DataRate::kbps(100);
  back_ba.delay = 100_ms;
  return {
      expected_access(),
      LinkSpec{"core", {"r1", {ip(10, 0, 2, 1), 24}}, {"server", {ip(10, 0, 2, 2), 24}}, core, core},
      LinkSpec{"core2", {"r1", {ip(10, 0, 3, 1), 24}}, {"sink", {ip(10, 0, 3, 2), 24}}, core2, core2},
      LinkSpec{"backdoor", {"server", {ip(10, 0, 4, 1), 30}}, {"sink", {ip(10, 0, 4, 2), 30}}, back_ab, back_ba},
  };
}

std::vector<AppSpec> expected_apps(const fs::path& folder) {
  const fs::path site = (folder / "sites" / "lab").lexically_normal();
  BrowserApp browser;
  browser.host = "client";
  browser.url = "http://10.0.2.2:8080/index.html";
  browser.profile = BrowserProfile::kIe;
  browser.max_connections = 2;
  browser.pipelining = 0;
  browser.page_loads = 3;
  browser.think_time = 1_s;
  browser.start = 100_ms;
  return {
      AppSpec{"web", HttpServerApp{"server", 8080, site, 15_s, DurationRange{2_ms, 2_ms}}},
      AppSpec{"browser", browser},
      AppSpec{"bulk", BulkApp{"client", "sink", 5001, 10'000'000, 5_s}},
  };
}

Scenario expected_full(const fs::path& folder) {
  Scenario s;
  s.name = "lab-http";
  s.description = "a client and a server behind one router";
  s.seed = 42;
  s.start_time = UtcTime{1'698'244'200'500'000'000};
  s.stop = StopSpec{90_s, false};
  s.hosts = expected_hosts();
  s.routers = {RouterSpec{"r1"}};
  s.links = expected_links();
  s.apps = expected_apps(folder);
  s.captures = {
      CaptureSpec{"client", CaptureTarget::kNode, "client", CaptureFormat::kPcapng, "client.pcapng"},
      CaptureSpec{"wire", CaptureTarget::kLink, "access", CaptureFormat::kPcap, "access.pcap"},
      CaptureSpec{"router", CaptureTarget::kNode, "r1", CaptureFormat::kPcap, "r1.pcap"},
  };
  s.traces = TraceSpec{true, true};
  return s;
}

constexpr std::string_view kMinimal = R"(name: minimal
hosts:
  client: { address: 10.0.0.1/24 }
  server: { address: 10.0.0.2/24 }
links:
  lan: { a: client, b: server, bandwidth: 100Mbps, delay: 1ms }
)";

}  // namespace

TEST_CASE("the full example loads into exactly the expected structs", "[scenario][loader]") {
  const fs::path folder = test::fixtures_dir() / "valid";
  const Scenario s = load_ok(folder / "full.yaml");
  const Scenario expected = expected_full(folder);
  // Part by part first, so that a failure points at the part that differs.
  CHECK(s.name == expected.name);
  CHECK(s.description == expected.description);
  CHECK(s.seed == expected.seed);
  CHECK(s.start_time == expected.start_time);
  CHECK(s.stop == expected.stop);
  CHECK(s.hosts == expected.hosts);
  CHECK(s.routers == expected.routers);
  REQUIRE(s.links.size() == expected.links.size());
  for (std::size_t i = 0; i < s.links.size(); ++i) {
    INFO("link " << expected.links[i].name);
    CHECK(s.links[i].a == expected.links[i].a);
    CHECK(s.links[i].b == expected.links[i].b);
    CHECK(s.links[i].a_to_b == expected.links[i].a_to_b);
    CHECK(s.links[i].b_to_a == expected.links[i].b_to_a);
  }
  CHECK(s.apps == expected.apps);
  CHECK(s.captures == expected.captures);
  CHECK(s.traces == expected.traces);
  CHECK(s == expected);
}

TEST_CASE("unset keys take their documented defaults", "[scenario][loader]") {
  const LoadResult r = load_scenario_text(kMinimal, "minimal.yaml");
  REQUIRE(r.ok());
  const Scenario& s = *r.scenario;
  CHECK(s.seed == 1);
  CHECK(s.description.empty());
  CHECK(s.start_time == kDefaultStartTime);
  CHECK(s.stop == StopSpec{std::nullopt, true});
  CHECK(s.hosts[0].tcp == TcpSpec{TcpProfile::kLinux, {}});
  CHECK(s.routers.empty());
  CHECK(s.apps.empty());
  CHECK(s.captures.empty());
  CHECK(s.traces == TraceSpec{false, false});
  DirectionSpec lan;
  lan.bandwidth = DataRate::mbps(100);
  lan.delay = 1_ms;
  CHECK(lan.jitter == Duration::zero());
  CHECK(lan.queue == QueueSpec{.packets = 100, .bytes = 0});
  CHECK(lan.mtu == 1500);
  CHECK(lan.loss == LossSpec{LossModel::kBernoulli, 0.0, 1.0, 1.0, 0.0});
  CHECK(s.links[0].a_to_b == lan);
  CHECK(s.links[0].b_to_a == lan);
  CHECK(s.links[0].a == LinkEnd{"client", {ip(10, 0, 0, 1), 24}});
}

TEST_CASE("app defaults", "[scenario][loader]") {
  const std::string text = std::string(kMinimal) + R"(apps:
  web: { type: http_server, host: server, site: sites/lab }
  browser: { type: browser, host: client, url: "http://10.0.0.2/" }
  bulk: { type: bulk, from: client, to: server, bytes: 1500 }
captures:
  c: { node: client, file: c.pcap }
)";
  const fs::path folder = test::fixtures_dir() / "valid";
  const LoadResult r = load_scenario_text(text, folder / "defaults.yaml");
  REQUIRE(r.ok());
  const auto& apps = r.scenario->apps;
  REQUIRE(apps.size() == 3);
  REQUIRE(std::holds_alternative<HttpServerApp>(apps[0].config));
  REQUIRE(std::holds_alternative<BrowserApp>(apps[1].config));
  REQUIRE(std::holds_alternative<BulkApp>(apps[2].config));
  const fs::path site = (folder / "sites" / "lab").lexically_normal();
  // Unset timeout and latency: the server profile's (linux host: nginx, 65 s).
  CHECK(std::get<HttpServerApp>(apps[0].config) == HttpServerApp{"server", 80, site, std::nullopt, std::nullopt});
  BrowserApp browser;  // every optional setting unset: the profile's
  browser.host = "client";
  browser.url = "http://10.0.0.2/";
  CHECK(std::get<BrowserApp>(apps[1].config) == browser);
  CHECK(std::get<BulkApp>(apps[2].config) == BulkApp{"client", "server", 5001, 1500, 0_s});
  CHECK(r.scenario->captures[0] == CaptureSpec{"c", CaptureTarget::kNode, "client", CaptureFormat::kPcap, "c.pcap"});
}

TEST_CASE("every problem is reported at once, in file order", "[scenario][loader]") {
  const fs::path file = test::fixtures_dir() / "broken" / "three_errors.yaml";
  const LoadResult r = load_scenario_file(file);
  CHECK_FALSE(r.ok());
  const std::string f = file.string();
  CHECK(messages(r) == std::vector<std::string>{
                           f + ":7:69: error: invalid loss '150%': more than 100% (expected a probability from 0 to "
                               "1, such as 0.02 or 2%)",
                           f + ":9:35: error: unknown host 'servr' (did you mean 'server'?)",
                           f + ":11:44: error: invalid file 'wire.pcap': does not end in .pcapng (expected a file "
                               "name such as wire.pcapng)",
                       });
}

TEST_CASE("a YAML syntax error is reported at its position and stops there", "[scenario][loader]") {
  const LoadResult r = load_scenario_text("name: x\nhosts: { a: 1\nlinks: 5\n", "bad.yaml");
  REQUIRE(r.diagnostics.size() == 1);
  CHECK(to_string(r.diagnostics[0]) == "bad.yaml:3:6: error: invalid YAML: end of map flow not found");
}

TEST_CASE("YAML limits: each names the limit hit, its value and where", "[scenario][loader][limits]") {
  const auto first = [](const std::string& text) {
    const LoadResult r = load_scenario_text(text, "big.yaml");
    REQUIRE_FALSE(r.diagnostics.empty());
    return to_string(r.diagnostics.front());
  };
  SECTION("document size: 16 MiB") {
    std::string text = "name: big\n";
    text.resize(kMaxYamlBytes + 1, '#');
    CHECK(first(text) == "big.yaml:1:1: error: the scenario is 16777217 bytes; at most 16777216 (16 MiB) (expected a "
                         "plain scenario file)");
    text.resize(kMaxYamlBytes);  // exactly at the limit: read (a comment ends it)
    for (const Diagnostic& d : load_scenario_text(text, "big.yaml").diagnostics) {
      CHECK(d.message.find("bytes; at most") == std::string::npos);
    }
  }
  SECTION("nesting: 32 levels, ours below yaml-cpp's own guard and above it") {
    for (const std::size_t depth : {std::size_t{40}, std::size_t{10000}}) {
      INFO(depth);
      const std::string text = "name: deep\nx: " + std::string(depth, '[') + std::string(depth, ']') + "\n";
      const std::string message = first(text);
      CHECK(message.starts_with("big.yaml:2:"));
      CHECK(message.find("error: YAML nested more than 32 levels deep") != std::string::npos);
    }
    // 32 levels are fine (and then "x" is an unknown key).
    const std::string ok = "name: deep\nx: " + std::string(31, '[') + std::string(31, ']') + "\n";
    CHECK(first(ok).find("unknown key 'x'") != std::string::npos);
  }
  SECTION("aliases: 100,000 values reached through them") {
    std::string text = "name: bomb\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
    for (int i = 1; i < 9; ++i) {
      text += "a" + std::to_string(i) + ": &a" + std::to_string(i) + " [";
      for (int k = 0; k < 10; ++k) text += (k > 0 ? ", *a" : "*a") + std::to_string(i - 1);
      text += "]\n";
    }
    CHECK(first(text).find("error: aliases (*name) expand to more than 100000 YAML values (the most a scenario file "
                           "may have)") != std::string::npos);
  }
  SECTION("values: 1,000,000 in all") {
    std::string text = "name: wide\nx: [";
    for (int i = 0; i < kMaxYamlNodes; ++i) text += "1,";
    text += "1]\n";
    CHECK(first(text).find("error: more than 1000000 YAML values") != std::string::npos);
  }
  SECTION("entries: 100,000 hosts are a count, not nesting") {
    std::string text = "name: many\nhosts:\n";
    for (std::size_t i = 0; i <= kMaxEntries; ++i) text += "  h" + std::to_string(i) + ": {}\n";
    CHECK(first(text) == "big.yaml:3:3: error: hosts has 100001 entries; at most 100000 hosts per scenario");
  }
}

TEST_CASE("a missing scenario file is bad input", "[scenario][loader]") {
  const LoadResult r = load_scenario_file("no/such/file.yaml");
  REQUIRE(r.diagnostics.size() == 1);
  CHECK(to_string(r.diagnostics[0]) == "no/such/file.yaml: error: no such scenario file (expected a readable YAML file)");
  const LoadResult dir = load_scenario_file(test::fixtures_dir());
  REQUIRE(dir.diagnostics.size() == 1);
  CHECK(dir.diagnostics[0].message == "cannot read the scenario file (expected a readable YAML file)");
}

TEST_CASE("site folders are found next to the scenario, then in the enclosing scenarios folder",
          "[scenario][loader]") {
  const test::TempDir tmp("sites");
  const fs::path root = tmp.path() / "scenarios";
  fs::create_directories(root / "sites" / "shared");
  fs::create_directories(root / "lab" / "sites" / "local");
  fs::create_directories(root / "lab" / "sites" / "shared");
  fs::create_directories(root / "sites" / "only_root");
  const fs::path file = root / "lab" / "x.yaml";
  // Next to the file wins over the scenarios/ root.
  CHECK(find_site(file, "sites/shared") == root / "lab" / "sites" / "shared");
  CHECK(find_site(file, "sites/local") == root / "lab" / "sites" / "local");
  CHECK(find_site(file, "sites/only_root") == root / "sites" / "only_root");
  CHECK(find_site(file, "sites/../sites/only_root") == root / "sites" / "only_root");
  CHECK(find_site(file, (root / "sites" / "shared").string()) == root / "sites" / "shared");
  CHECK_FALSE(find_site(file, "sites/none"));
  CHECK_FALSE(find_site(tmp.path() / "elsewhere" / "x.yaml", "sites/only_root"));
}

TEST_CASE("sites stay in the scenario's folder tree unless allowed, links resolved, files bounded",
          "[scenario][loader][sites]") {
  const test::TempDir tmp("site-roots");
  const fs::path root = fs::canonical(tmp.path());
  fs::create_directories(root / "scenarios" / "lab" / "sites" / "own");
  fs::create_directories(root / "scenarios" / "sites" / "shared");
  fs::create_directories(root / "outside" / "site");
  std::ofstream(root / "scenarios" / "lab" / "sites" / "own" / "index.html") << "<html></html>";
  std::ofstream(root / "outside" / "site" / "secret.txt") << "secret";
  const fs::path file = root / "scenarios" / "lab" / "x.yaml";
  const std::vector<fs::path> roots = site_roots(file, {});
  CHECK(roots == std::vector<fs::path>{root / "scenarios" / "lab", root / "scenarios"});
  // Directly in scenarios/: that folder once.
  CHECK(site_roots(root / "scenarios" / "y.yaml", {}) == std::vector<fs::path>{root / "scenarios"});

  CHECK(check_site("sites/own", root / "scenarios" / "lab" / "sites" / "own", roots).empty());
  CHECK(check_site("sites/shared", root / "scenarios" / "sites" / "shared", roots).empty());
  const std::string outside = check_site("../../outside/site", root / "outside" / "site", roots);
  CHECK(outside == "site folder '../../outside/site' (" + (root / "outside" / "site").string() +
                       ") is outside the scenario's folder tree (" + (root / "scenarios" / "lab").string() + ", " +
                       (root / "scenarios").string() + "); to serve it anyway, run with --allow-site " +
                       (root / "outside" / "site").string());
  CHECK(check_site("/etc", "/etc", roots).find("is outside the scenario's folder tree") != std::string::npos);
  // --allow-site: the folder or one above it.
  CHECK(check_site("x", root / "outside" / "site", site_roots(file, {root / "outside"})).empty());
  CHECK(check_site("x", root / "outside" / "site", site_roots(file, {root / "outside" / "site"})).empty());
  CHECK_FALSE(check_site("x", root / "outside" / "site", site_roots(file, {root / "outside" / "sit"})).empty());

  SECTION("a link out of the tree is resolved first") {
    fs::create_directory_symlink(root / "outside" / "site", root / "scenarios" / "lab" / "sites" / "link");
    CHECK(check_site("sites/link", root / "scenarios" / "lab" / "sites" / "link", roots)
              .find("(" + (root / "outside" / "site").string() + ") is outside") != std::string::npos);
    fs::create_symlink(root / "outside" / "site" / "secret.txt", root / "scenarios" / "lab" / "sites" / "own" / "s");
    CHECK(check_site("sites/own", root / "scenarios" / "lab" / "sites" / "own", roots) ==
          "site file 's' is a link to '" + (root / "outside" / "site" / "secret.txt").string() +
              "', outside the folders a site may use (" + (root / "scenarios" / "lab").string() + ", " +
              (root / "scenarios").string() + "); allow its folder with --allow-site DIR");
  }
  SECTION("64 MiB per file") {
    const fs::path big = root / "scenarios" / "lab" / "sites" / "own" / "big.bin";
    std::ofstream{big};
    fs::resize_file(big, kMaxSiteFileBytes);  // sparse: no disk used
    CHECK(check_site("sites/own", big.parent_path(), roots).empty());
    fs::resize_file(big, kMaxSiteFileBytes + 1);
    CHECK(check_site("sites/own", big.parent_path(), roots) ==
          "site file 'big.bin' is 67108865 bytes; at most 67108864 (64 MiB) per file");
    // Hidden files are not served, so not counted.
    fs::rename(big, big.parent_path() / ".big.bin");
    CHECK(check_site("sites/own", big.parent_path(), roots).empty());
  }
  SECTION("the loader reports it at the site value, and LoadOptions can allow it") {
    const std::string text = "name: s\nhosts: { server: { address: 10.0.0.2/24 } }\n"
                             "apps: { web: { type: http_server, host: server, site: ../../outside/site } }\n";
    const LoadResult refused = load_scenario_text(text, file);
    REQUIRE(refused.diagnostics.size() == 1);
    CHECK(refused.diagnostics[0].where.line == 3);
    CHECK(refused.diagnostics[0].where.column == 55);
    LoadOptions allow;
    allow.allowed_site_dirs = {root / "outside"};
    const LoadResult allowed = load_scenario_text(text, file, allow);
    for (const Diagnostic& d : allowed.diagnostics) UNSCOPED_INFO(to_string(d));
    CHECK(allowed.ok());
  }
}

TEST_CASE("URLs are checked for shape only", "[scenario][loader]") {
  CHECK(check_http_url("http://10.0.0.2/") == "");
  CHECK(check_http_url("http://10.0.0.2") == "");
  CHECK(check_http_url("http://server:8080/a/b.html?x=1") == "");
  CHECK(check_http_url("https://10.0.0.2/") == "not an http:// URL");
  CHECK(check_http_url("http://:80/") == "no host");
  CHECK(check_http_url("http://10.0.0.2:0/") == "invalid port '0' (expected 1 to 65535)");
  CHECK(check_http_url("http://10.0.0.2:http/") == "invalid port 'http' (expected 1 to 65535)");
  // RFC 3986 §3.1: the scheme is case-insensitive.
  CHECK(check_http_url("HTTP://10.0.0.2/") == "");
  CHECK(check_http_url("Http://10.0.0.2:8080/x") == "");
  // Userinfo is named, not mistaken for a port (RFC 3986 §3.2.1).
  CHECK(check_http_url("http://user:pw@host/") ==
        "userinfo ('user:password@' before the host) is not supported (RFC 9110 section 4.2.4 deprecates it)");
  CHECK(check_http_url("http://[::1]/") == "IPv6 literals ('[...]') are not supported");
  CHECK(check_http_url("http://h?q=1") == "");
  CHECK(check_http_url("http://a b/") == "invalid character ' ' in the host");
  CHECK(check_http_url("http://h/a b") == "a space, control or non-ASCII character in the path (percent-encode it)");
}

TEST_CASE("the example in scenarios/README.md is valid", "[scenario][loader]") {
  std::ifstream in(test::source_dir() / "scenarios" / "README.md");
  std::ostringstream readme;
  readme << in.rdbuf();
  const std::string text = readme.str();
  const std::string open = "```yaml\n";
  const std::size_t begin = text.find(open);
  REQUIRE(begin != std::string::npos);
  const std::size_t end = text.find("```", begin + open.size());
  REQUIRE(end != std::string::npos);
  const std::string example = text.substr(begin + open.size(), end - begin - open.size());
  // Its site folder, where a scenario under scenarios/ finds it.
  const test::TempDir tmp("readme");
  fs::create_directories(tmp.path() / "scenarios" / "sites" / "lab");
  const LoadResult r = load_scenario_text(example, tmp.path() / "scenarios" / "lab" / "readme.yaml");
  for (const Diagnostic& d : r.diagnostics) UNSCOPED_INFO(to_string(d));
  REQUIRE(r.ok());
  CHECK(r.scenario->name == "lab-http");
  CHECK(r.scenario->links.size() == 2);
  CHECK(r.scenario->apps.size() == 4);
  CHECK(r.scenario->captures[1].format == CaptureFormat::kPcap);
}

TEST_CASE("anchors, aliases and merge keys share settings", "[scenario][loader]") {
  const std::string text = R"(name: merged
hosts:
  a: { address: 10.0.0.1/24 }
  b: { address: 10.0.0.2/24 }
  c: { address: 10.0.1.1/24 }
  d: { address: 10.0.1.2/24 }
links:
  one: &wan { a: a, b: b, bandwidth: 10Mbps, delay: 20ms, loss: 1% }
  two: { <<: *wan, a: c, b: d, delay: 5ms }
)";
  const LoadResult r = load_scenario_text(text, "merged.yaml");
  for (const Diagnostic& d : r.diagnostics) UNSCOPED_INFO(to_string(d));
  REQUIRE(r.ok());
  const LinkSpec& two = r.scenario->links[1];
  CHECK(two.a.node == "c");
  CHECK(two.b.node == "d");
  CHECK(two.a_to_b.delay == 5_ms);  // its own key wins over the merged one
  CHECK(two.a_to_b.bandwidth == DataRate::mbps(10));
  CHECK(two.b_to_a.loss.p == 0.01);
  // A problem in a merged value points at the anchored text, once per use.
  std::string broken = text;
  broken.replace(broken.find("10Mbps"), 6, "10Mbs");
  const std::string error = "merged.yaml:8:38: error: invalid bandwidth '10Mbs': unknown unit 'Mbs' (expected one of "
                            "the units bps, kbps, Kbps, Mbps, Gbps, Tbps)";
  CHECK(messages(load_scenario_text(broken, "merged.yaml")) == std::vector<std::string>{error, error});
}

TEST_CASE("teardown apps load with their defaults, and delayed_fin_ack is a TCP override", "[scenario][loader][teardown]") {
  const std::string text = std::string(kMinimal) + R"(apps:
  plain: { type: teardown, client: client, server: server, close: client_first }
  full:
    type: teardown
    client: server
    server: client
    port: 8001
    close: server_first
    bytes: 1KiB
    start: 2s
    close_after: 250ms
    second_close_after: 0
)";
  const LoadResult r = load_scenario_text(text, "teardown.yaml");
  for (const Diagnostic& d : r.diagnostics) UNSCOPED_INFO(to_string(d));
  REQUIRE(r.ok());
  const auto& apps = r.scenario->apps;
  REQUIRE(apps.size() == 2);
  CHECK(apps[0].config == decltype(apps[0].config){TeardownApp{"client", "server", 7000, CloseOrder::kClientFirst, 64,
                                                               0_s, 100_ms, 200_ms}});
  CHECK(apps[1].config == decltype(apps[1].config){TeardownApp{"server", "client", 8001, CloseOrder::kServerFirst, 1024,
                                                               2_s, 250_ms, 0_s}});

  const std::string tcp = R"(name: t
hosts:
  a: { address: 10.0.0.1/24, tcp: { delayed_fin_ack: true } }
  b: { address: 10.0.0.2/24 }
links:
  lan: { a: a, b: b, bandwidth: 1Gbps, delay: 1ms }
)";
  const LoadResult t = load_scenario_text(tcp, "tcp.yaml");
  REQUIRE(t.ok());
  CHECK(t.scenario->hosts[0].tcp.overrides.delayed_fin_ack == true);
  CHECK_FALSE(t.scenario->hosts[1].tcp.overrides.delayed_fin_ack.has_value());
}

TEST_CASE("queue disciplines load with Linux's defaults, and ecn is a TCP override", "[scenario][loader][aqm]") {
  const std::string text = R"(name: q
hosts:
  a: { address: 10.0.0.1/24, tcp: { ecn: on } }
  b: { address: 10.0.0.2/24, tcp: { ecn: passive } }
links:
  l1:
    a: a
    b: b
    bandwidth: 10Mbps
    delay: 1ms
    a_to_b: { queue: { discipline: codel } }
    b_to_a: { queue: { discipline: fq_codel, ecn: false, flows: 64, quantum: 300, target: 2ms, interval: 50ms } }
  l2:
    a: { node: a, address: 10.0.1.1/24 }
    b: { node: b, address: 10.0.1.2/24 }
    bandwidth: 10Mbps
    delay: 1ms
    queue: { discipline: red, min: 30kB, max: 90kB, max_p: 5%, weight: 0.01, gentle: true, ecn: true, bytes: 200kB }
)";
  const LoadResult r = load_scenario_text(text, "q.yaml");
  for (const Diagnostic& d : r.diagnostics) UNSCOPED_INFO(to_string(d));
  REQUIRE(r.ok());
  const Scenario& s = *r.scenario;
  CHECK(s.hosts[0].tcp.overrides.ecn == TcpEcn::kOn);
  CHECK(s.hosts[1].tcp.overrides.ecn == TcpEcn::kPassive);
  CHECK(s.links[0].a_to_b.queue == QueueSpec{.discipline = QueueDiscipline::kCodel, .packets = 1000});
  CHECK(s.links[0].b_to_a.queue == QueueSpec{.discipline = QueueDiscipline::kFqCodel,
                                             .packets = 10240,
                                             .ecn = false,
                                             .target = 2_ms,
                                             .interval = 50_ms,
                                             .flows = 64,
                                             .quantum = 300});
  const QueueSpec red{.discipline = QueueDiscipline::kRed, .packets = 100, .bytes = 200'000, .ecn = true,
                      .min = 30'000, .max = 90'000, .max_p = 0.05, .weight = 0.01, .gentle = true};
  CHECK(s.links[1].a_to_b.queue == red);
  CHECK(s.links[1].b_to_a.queue == red);
  const LoadResult fq = load_scenario_text(std::string(kMinimal) + "", "m.yaml");
  REQUIRE(fq.ok());
  CHECK(fq.scenario->hosts[0].tcp.overrides.ecn == std::nullopt);  // the profile decides
}

TEST_CASE("link impairments: duplicate, corrupt and reorder per direction", "[scenario][loader][impairment]") {
  const std::string base =
      "name: x\n"
      "hosts:\n"
      "  a: { address: 10.0.0.1/24 }\n"
      "  b: { address: 10.0.0.2/24 }\n"
      "links:\n"
      "  l: { a: a, b: b, bandwidth: 1Mbps, delay: 5ms, ";
  SECTION("link-level values apply to both directions, a direction's own replace them") {
    const LoadResult r = load_scenario_text(
        base + "duplicate: 1%, corrupt: 0.5%, reorder: 25%, b_to_a: { reorder: { p: 10%, gap: 5, delay: 1ms }, "
               "corrupt: 0 } }\n",
        "x.yaml");
    for (const Diagnostic& d : r.diagnostics) UNSCOPED_INFO(to_string(d));
    REQUIRE(r.ok());
    const LinkSpec& l = r.scenario->links.at(0);
    CHECK(l.a_to_b.impairments == ImpairmentSpec{0.01, 0.005, ReorderSpec{0.25, 1, Duration::zero()}});
    CHECK(l.b_to_a.impairments == ImpairmentSpec{0.01, 0.0, ReorderSpec{0.10, 5, 1_ms}});
  }
  SECTION("none by default") {
    const LoadResult r = load_scenario_text(base + "}\n", "x.yaml");
    REQUIRE(r.ok());
    CHECK(r.scenario->links.at(0).a_to_b.impairments == ImpairmentSpec{});
  }
  SECTION("bad values are reported with their positions") {
    const LoadResult r = load_scenario_text(
        base + "duplicate: 120%, reorder: { gap: 0, delay: -1ms, far: 2 }, a_to_b: { corrupt: x } }\n", "x.yaml");
    CHECK(messages(r) == std::vector<std::string>{
                             "x.yaml:6:61: error: invalid duplicate '120%': more than 100% (expected a probability "
                             "from 0 to 1, such as 0.02 or 2%)",
                             "x.yaml:6:76: error: missing key 'p' in reorder in link 'l' (expected a probability from "
                             "0 to 1, such as 0.02 or 2%)",
                             "x.yaml:6:83: error: invalid gap '0': out of range (expected a whole number from 1 to "
                             "1000000)",
                             "x.yaml:6:93: error: invalid delay '-1ms': negative values are not allowed (expected a "
                             "duration such as 20ms, 500us or 1.5s)",
                             "x.yaml:6:99: error: unknown key 'far' in reorder in link 'l' (expected one of: p, gap, "
                             "delay)",
                             "x.yaml:6:128: error: invalid corrupt 'x': not a number (expected a probability from 0 "
                             "to 1, such as 0.02 or 2%)",
                         });
  }
}

TEST_CASE("a reorder that cannot change the order is refused, as tc-netem refuses it", "[scenario][loader][impairment]") {
  const std::string base =
      "name: x\n"
      "hosts:\n"
      "  a: { address: 10.0.0.1/24 }\n"
      "  b: { address: 10.0.0.2/24 }\n"
      "links:\n"
      "  l: { a: a, b: b, bandwidth: 1Mbps, ";
  const LoadResult zero = load_scenario_text(base + "delay: 0ms, a_to_b: { reorder: 5% } }\n", "x.yaml");
  CHECK(messages(zero) == std::vector<std::string>{
                              "x.yaml:6:3: error: reorder in a_to_b of link 'l' has no effect: a reordered frame takes "
                              "the reorder delay (0s) instead of the link's, which is the same (expected a link "
                              "delay, or reorder: { p: ..., delay: ... } with another delay)"});
  CHECK(load_scenario_text(base + "delay: 0ms, reorder: { p: 5%, delay: 1ms } }\n", "x.yaml").ok());
  CHECK(load_scenario_text(base + "delay: 0ms, jitter: 1ms, reorder: 5% }\n", "x.yaml").ok());
  CHECK(load_scenario_text(base + "delay: 2ms, reorder: 5% }\n", "x.yaml").ok());
}
