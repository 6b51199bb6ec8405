// The lab page loaded by the browser model from the HTTP server, captured
// at the client's NIC, judged by tshark with its default preferences (IP
// and TCP checksum validation switched on): the lab's HTTP lines in the
// Info column, objects exported byte-identical to the site's files, no
// malformed frame, no bad checksum, the connection count per setting, and
// Chrome's unused preconnect socket: a handshake and a close, no data.

#include <catch2/catch.hpp>

#include <filesystem>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "file_bytes.hpp"
#include "http_world.hpp"
#include "process.hpp"
#include "temp_dir.hpp"
#include "tshark.hpp"

using namespace wiresim;
using namespace wiresim::http;
using namespace wiresim::http::test;
using wiresim::test::file_bytes;
using wiresim::test::TempDir;
using wiresim::test::tshark_base;
using wiresim::test::tshark_fields;

namespace {

std::vector<std::string> lines_of(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

std::vector<std::string> split_tabs(const std::string& line) {
  std::vector<std::string> out;
  std::istringstream in(line);
  for (std::string field; std::getline(in, field, '\t');) out.push_back(field);
  return out;
}

/// tshark prints set flags as "1" (4.0) or "True" (4.2 and later).
bool is_set(const std::string& flag) { return flag == "1" || flag == "True"; }

/// Loads the lab page once with `profile`, capturing the client NIC into `file`.
std::vector<ConnectionRecord> capture_lab_load(const std::string& file, BrowserProfile profile) {
  HttpWorld w;
  w.capture_client(file);
  w.add_server();
  BrowserConfig c;
  c.url = HttpWorld::server_url();
  c.profile = std::move(profile);
  Browser& b = w.add_browser(c);
  REQUIRE(w.run());
  REQUIRE(b.results().at(0).ok());
  w.close_capture();
  return {b.connections().begin(), b.connections().end()};
}

/// The tcp.stream numbers of the frames tshark dissects as HTTP.
std::set<std::string> http_streams(const std::string& file) {
  const auto lines = lines_of(tshark_fields(file, {"tcp.stream"}, "http"));
  return {lines.begin(), lines.end()};
}

void check_clean(const std::string& file) {
  CHECK(tshark_fields(file, {"frame.number"}, "_ws.malformed || _ws.expert.severity == error").empty());
  CHECK(tshark_fields(file, {"frame.number"}, "ip.checksum.status != 1 || tcp.checksum.status != 1").empty());
}

}  // namespace

TEST_CASE("a chrome load of the lab page, as tshark sees it at the client", "[integration][http][tshark]") {
  if (!wiresim::test::have_tshark()) return;
  TempDir dir;
  const std::string file = dir.file("client.pcap");
  const std::vector<ConnectionRecord> conns = capture_lab_load(file, chrome_profile());
  check_clean(file);

  const std::string info = tshark_fields(file, {"_ws.col.Info"});
  INFO(info);
  for (const char* line : {"GET / HTTP/1.1", "HTTP/1.1 200 OK  (text/html)", "GET /Myhead.jpg HTTP/1.1",
                           "GET /background.png HTTP/1.1", "(JPEG JFIF image)", "(PNG)",
                           "GET /favicon.ico HTTP/1.1", "HTTP/1.1 404 Not Found  (text/html)"}) {
    CHECK(info.find(line) != std::string::npos);
  }

  SECTION("the exported HTTP objects are the site's files, byte for byte") {
    const std::filesystem::path out = dir.path() / "objects";
    std::vector<std::string> argv = tshark_base(file);
    argv.insert(argv.end(), {"-q", "--export-objects", "http," + out.string()});
    REQUIRE(wiresim::test::run_process(argv, wiresim::test::Stderr::kDiscard).exit_status == 0);
    std::vector<std::vector<std::uint8_t>> exported;
    for (const auto& entry : std::filesystem::directory_iterator(out)) exported.push_back(file_bytes(entry.path().string()));
    for (const char* name : {"index.html", "Myhead.jpg", "background.png"}) {
      INFO(name);
      const std::vector<std::uint8_t> site = file_bytes((lab_dir() / name).string());
      REQUIRE_FALSE(site.empty());
      CHECK(std::count(exported.begin(), exported.end(), site) == 1);
    }
  }

  SECTION("two connections: the background and the favicon on the preconnect, a close on each") {
    REQUIRE(conns.size() == 2);
    CHECK(http_streams(file).size() == 2);
    const std::string port = std::to_string(conns[1].local_port);
    const auto uris = lines_of(tshark_fields(file, {"http.request.uri"}, "http.request && tcp.port == " + port));
    CHECK(uris == std::vector<std::string>{"/background.png", "/favicon.ico"});
    const auto frames = lines_of(tshark_fields(file, {"tcp.flags.syn", "tcp.flags.fin", "tcp.len"}, "tcp.port == " + port));
    std::size_t syns = 0;
    std::size_t fins = 0;
    for (const std::string& f : frames) {
      const std::vector<std::string> fields = split_tabs(f);
      REQUIRE(fields.size() == 3);
      if (is_set(fields[0])) ++syns;
      if (is_set(fields[1])) ++fins;
    }
    CHECK(syns == 2);  // SYN and SYN,ACK
    CHECK(fins == 2);  // one from each end
  }
}

TEST_CASE("max_connections 1 keeps all HTTP in one tcp.stream, 6 spreads it", "[integration][http][tshark]") {
  if (!wiresim::test::have_tshark()) return;
  TempDir dir;
  BrowserProfile one = chrome_profile();
  one.max_connections = 1;
  capture_lab_load(dir.file("one.pcap"), one);
  check_clean(dir.file("one.pcap"));
  CHECK(http_streams(dir.file("one.pcap")).size() == 1);

  BrowserProfile six = chrome_profile();
  six.backgrounds_wait_for_images = false;  // request the background while the logo loads
  capture_lab_load(dir.file("six.pcap"), six);
  check_clean(dir.file("six.pcap"));
  CHECK(http_streams(dir.file("six.pcap")).size() == 2);
}

namespace {

/// Chrome loading the lab URL from a RawServer that answers `reply` and
/// keeps the connection open, over `config`, captured at the client.
struct SilentServerLoad {
  SilentServerLoad(const HttpWorldConfig& config, const std::string& file, const std::string& reply)
      : world(config), raw((world.capture_client(file), world), 80, reply, false) {
    BrowserConfig c;
    c.url = HttpWorld::server_url();
    c.profile = chrome_profile();
    c.profile.preconnect = 0;  // one connection: the one that waits
    c.profile.request_delay = DelayRange{};  // the GET with the handshake's ACK: the times below count from it
    browser = &world.add_browser(c);
  }
  HttpWorld world;
  RawServer raw;
  Browser* browser = nullptr;
};

std::vector<std::string> frames(const std::string& file, const std::string& filter) {
  return lines_of(tshark_fields(file, {"frame.number"}, filter));
}

}  // namespace

TEST_CASE("chrome's TCP keep-alive: probes every 45 s idle, as tshark sees them", "[integration][http][tshark][keepalive]") {
  if (!wiresim::test::have_tshark()) return;
  TempDir dir;
  SECTION("a server that is alive but never answers acknowledges each probe") {
    const std::string file = dir.file("alive.pcap");
    SilentServerLoad load({}, file, "");
    CHECK_FALSE(load.world.run(Duration::seconds(100)));
    load.world.close_capture();
    check_clean(file);
    // Handshake, GET, its ACK (frame 5); then 45 s of silence, a probe,
    // its answer, and 45 s later the next probe.
    CHECK(frames(file, "tcp.analysis.keep_alive") == std::vector<std::string>{"6", "8"});
    CHECK(frames(file, "tcp.analysis.keep_alive_ack") == std::vector<std::string>{"7", "9"});
    CHECK(lines_of(tshark_fields(file, {"frame.time_relative"}, "tcp.analysis.keep_alive")) ==
          std::vector<std::string>{"45.008057840", "90.012066480"});
    CHECK(load.browser->results().at(0).error.empty());  // still waiting, as Chrome would
  }
  SECTION("a server that gave up silently answers the probe with an RST") {
    // The response, its tail loss probe (RFC 8985 §7) and its five
    // retransmissions are lost: the server's TCP (windows profile: 5 data
    // retries, about 19 s) gives up and forgets the connection without a
    // word, as Linux and Windows do. The browser, its request acknowledged,
    // waits for a response that will never come.
    HttpWorldConfig config;
    config.to_client.drop_rules = {net::DropRule{{1, 2, 3, 4, 5, 6, 7}, net::DropFilter::kTcpData, {}, {}, {}, {}}};
    const std::string file = dir.file("gone.pcap");
    SilentServerLoad load(config, file, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello");
    REQUIRE(load.world.run());
    load.world.close_capture();
    check_clean(file);
    CHECK(frames(file, "tcp.analysis.keep_alive") == std::vector<std::string>{"6"});
    CHECK(lines_of(tshark_fields(file, {"frame.number", "frame.time_relative"}, "tcp.flags.reset == 1")) ==
          std::vector<std::string>{"7\t45.012066480"});
    const PageLoadResult& r = load.browser->results().at(0);
    CHECK(r.error == "connection reset by 10.130.197.105:80");
    CHECK(r.objects.at(0).end == Time::zero() + Duration::nanoseconds(45'012'066'480));
  }
}
