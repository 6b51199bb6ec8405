// How many page loads the whole engine simulates per wall-clock second: a
// page of a 1 KiB HTML file with two <img>s of 30 KiB and 70 KiB (the site
// is generated into a temporary folder at start, deterministic bytes),
// served by `http_server` and loaded by a `browser` with the chrome profile
// (so /favicon.ico, a 404, is the page's fourth request) over one
// 10 Mbit/s, 20 ms one-way link with 2% loss in both directions; linux TCP
// profile on both hosts. Worlds are built by the scenario API from YAML
// text; every response body is checked against the site's file.
//
// Six configurations: HTTP/1.1 with max_connections 1 and 6, and HTTP/2
// (h2c, one connection), each without a capture and with a pcap capture at
// the client. Two ways of counting page loads:
//   reload  one world whose browser loads the page N times with think time
//           0: the simulator, TCP, links and HTTP, nothing else (after the
//           first load the browser reuses its kept-alive connections, as a
//           user reloading does). Headline figure.
//   fresh   N independent worlds (seeds 1..N), each loading the page once
//           on new connections: building the world (site files read, one
//           capture file each), handshakes, the load, the server's
//           keep-alive timeout and the teardown down to CLOSED.
// Per configuration: page loads, wall time (best of R runs), page loads per
// wall-clock second, simulator events (of that run), HAR time (reload: the
// browser's HAR log built once at the end, as `wiresim run` does; not in
// the wall time). (For scale: ns-3 3.37 manages about 980 page loads/s of
// this page without capture and 600 with.)
// A benchmark, not a test: it prints figures and asserts nothing.
//
//   bench_pageload [LOADS [RUNS [WAY [CONNECTIONS [CAPTURE]]]]]
//     default 2000 page loads, best of 3, every configuration; WAY reload
//     or fresh, CONNECTIONS 1, 6 or h2, CAPTURE none or pcap pick one (for profiling)

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "wiresim/http/digest.hpp"
#include "wiresim/scenario/loader.hpp"
#include "wiresim/scenario/world.hpp"

namespace {

namespace fs = std::filesystem;
namespace sc = wiresim::scenario;
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

/// `n` bytes of a fixed pseudo-random pattern (PCG-free: a 64-bit LCG's high byte).
std::string pattern_bytes(std::size_t n, std::uint64_t seed) {
  std::string s(n, '\0');
  std::uint64_t x = seed;
  for (char& c : s) {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    c = static_cast<char>(x >> 56);
  }
  return s;
}

/// index.html of exactly 1024 bytes naming a.jpg and b.png.
std::string index_html() {
  std::string head =
      "<!DOCTYPE html>\n<html>\n<head><title>bench page</title></head>\n<body>\n"
      "<h1>A page of three objects</h1>\n<img src=\"a.jpg\" alt=\"30 KiB\">\n<img src=\"b.png\" alt=\"70 KiB\">\n<p>";
  const std::string tail = "</p>\n</body>\n</html>\n";
  while (head.size() + tail.size() < 1024) head += "lorem ipsum "[head.size() % 12];
  return head + tail;
}

/// The site's files by URL path.
std::map<std::string, std::string> site_files() {
  return {{"/", index_html()}, {"/a.jpg", pattern_bytes(30 * 1024, 1)}, {"/b.png", pattern_bytes(70 * 1024, 2)}};
}

void write_site(const fs::path& dir, const std::map<std::string, std::string>& files) {
  fs::create_directories(dir);
  for (const auto& [path, bytes] : files) {
    std::ofstream(dir / (path == "/" ? std::string("index.html") : path.substr(1)), std::ios::binary) << bytes;
  }
}

/// `connections` 0 stands for HTTP/2 (h2c): one connection, every request a stream.
std::string scenario_text(const fs::path& site, int connections, bool capture, std::uint32_t loads) {
  const bool h2 = connections == 0;
  std::string s = fmt::format(
      "name: bench-pageload\n"
      "hosts:\n"
      "  client: {{ address: 10.0.0.1/24, tcp: {{ profile: linux }} }}\n"
      "  server: {{ address: 10.0.0.2/24, tcp: {{ profile: linux }} }}\n"
      "links:\n"
      "  access: {{ a: client, b: server, bandwidth: 10Mbps, delay: 20ms, loss: 2%, queue: {{ packets: 100 }} }}\n"
      "apps:\n"
      "  web: {{ type: http_server, host: server, port: 80, site: \"{}\", h2c: {} }}\n"
      "  browser: {{ type: browser, host: client, url: \"http://10.0.0.2/\", profile: chrome, max_connections: {},"
      " protocol: {}, page_loads: {}, think_time: 0 }}\n",
      site.string(), h2, h2 ? 1 : connections, h2 ? "h2" : "h1", loads);
  if (capture) s += "captures:\n  client: { node: client, file: client.pcap }\n";
  return s;
}

struct Figures {
  std::uint64_t loads = 0;      ///< page loads simulated
  std::uint64_t ok = 0;         ///< of which completed with every body right
  std::uint64_t events = 0;     ///< simulator events
  std::uint64_t bytes = 0;      ///< capture bytes written (reload; 0 without)
  std::uint64_t har_entries = 0;
  double wall = 0.0;            ///< seconds
  double har = 0.0;             ///< seconds to build the HAR log (reload)
};

/// How many page loads of `world`'s browser completed with every body right.
std::uint64_t count_ok(const sc::World& world, const std::map<std::string, std::uint64_t>& hashes) {
  std::uint64_t ok = 0;
  for (const auto& b : world.browsers()) {
    for (const auto& page : b.app->results()) {
      bool good = page.ok() && page.objects.size() == 4;
      for (const auto& o : page.objects) {
        const auto path = o.url.substr(o.url.find('/', 7));
        const auto it = hashes.find(path);
        if (it != hashes.end()) good = good && o.status == 200 && o.body_hash == it->second;
      }
      ok += good ? 1u : 0u;
    }
  }
  return ok;
}

std::uint64_t capture_bytes(const fs::path& dir) {
  std::error_code ec;
  const auto n = fs::file_size(dir / "client.pcap", ec);
  return ec ? 0 : n;
}

Figures run_reload(const fs::path& tmp, int connections, bool capture, std::uint32_t loads,
                   const std::map<std::string, std::uint64_t>& hashes) {
  Figures f;
  const auto loaded =
      sc::load_scenario_text(scenario_text(tmp / "site", connections, capture, loads), tmp / "bench.yaml");
  if (!loaded.ok()) {
    for (const auto& d : loaded.diagnostics) std::fprintf(stderr, "%s\n", to_string(d).c_str());
    return f;
  }
  const fs::path out = tmp / "out";
  fs::create_directories(out);
  const auto t0 = Clock::now();
  {
    sc::World world(*loaded.scenario, loaded.scenario->seed, out);
    world.run(nullptr);
    f.wall = seconds_since(t0);
    const auto t1 = Clock::now();
    for (const auto& b : world.browsers()) f.har_entries += b.app->har().entries.size();
    f.har = seconds_since(t1);
    f.events = world.simulator().events_executed();
    for (const auto& b : world.browsers()) f.loads += b.app->results().size();
    f.ok = count_ok(world, hashes);
  }
  f.bytes = capture_bytes(out);
  fs::remove_all(out);
  return f;
}

Figures run_fresh(const fs::path& tmp, int connections, bool capture, std::uint32_t worlds,
                  const std::map<std::string, std::uint64_t>& hashes) {
  Figures f;
  const auto loaded = sc::load_scenario_text(scenario_text(tmp / "site", connections, capture, 1), tmp / "bench.yaml");
  if (!loaded.ok()) {
    for (const auto& d : loaded.diagnostics) std::fprintf(stderr, "%s\n", to_string(d).c_str());
    return f;
  }
  const fs::path out = tmp / "out";
  fs::create_directories(out);
  const auto t0 = Clock::now();
  for (std::uint32_t seed = 1; seed <= worlds; ++seed) {
    sc::World world(*loaded.scenario, seed, out);
    world.run(nullptr);
    f.events += world.simulator().events_executed();
    for (const auto& b : world.browsers()) f.loads += b.app->results().size();
    f.ok += count_ok(world, hashes);
  }
  f.wall = seconds_since(t0);
  fs::remove_all(out);
  return f;
}

}  // namespace

int main(int argc, char** argv) {
  const auto loads = static_cast<std::uint32_t>(argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 2000);
  const int runs = std::max(1, argc > 2 ? std::atoi(argv[2]) : 3);
  const std::string only_way = argc > 3 ? argv[3] : "";
  // -1: every configuration; 0: HTTP/2.
  const int only_connections = argc > 4 ? (std::string(argv[4]) == "h2" ? 0 : std::atoi(argv[4])) : -1;
  const std::string only_capture = argc > 5 ? argv[5] : "";
  const fs::path tmp = fs::temp_directory_path() / ("wiresim-bench-pageload-" + std::to_string(::getpid()));
  const auto files = site_files();
  write_site(tmp / "site", files);
  std::map<std::string, std::uint64_t> hashes;
  for (const auto& [path, bytes] : files) hashes.emplace(path, wiresim::http::body_digest(bytes));

  std::printf("page loads: 1 KiB HTML + 30 KiB + 70 KiB images (+ /favicon.ico 404), chrome profile,\n"
              "10 Mbit/s, 20 ms one way, 2%% loss both ways, linux TCP; wall time best of %d\n",
              runs);
  for (const char* way : {"reload", "fresh"}) {
    if (!only_way.empty() && only_way != way) continue;
    std::printf("%s: %s\n", way,
                std::string(way) == "reload"
                    ? "one world, one browser loading the page N times back to back (think time 0, kept-alive "
                      "connections)"
                    : "N independent worlds (seeds 1..N), one page load each on new connections, world build "
                      "and teardown included");
    for (const int connections : {1, 6, 0}) {  // 0: HTTP/2
      if (only_connections != -1 && only_connections != connections) continue;
      for (const bool capture : {false, true}) {
        if (!only_capture.empty() && (only_capture == "pcap") != capture) continue;
        Figures best;
        for (int r = 0; r < runs; ++r) {
          const Figures f = std::string(way) == "reload" ? run_reload(tmp, connections, capture, loads, hashes)
                                                         : run_fresh(tmp, connections, capture, loads, hashes);
          if (r == 0 || f.wall < best.wall) best = f;
        }
        const std::string variant = connections == 0 ? "h2 (h2c, 1 conn) " : fmt::format("max_connections {}", connections);
        std::printf("  %-6s %s  %-10s %6llu loads (%llu ok)  %7.3f s  %8.0f loads/s  "
                    "%9llu events (%.0f/load)  %.2f M events/s",
                    way, variant.c_str(), capture ? "+ pcap" : "no capture", static_cast<unsigned long long>(best.loads),
                    static_cast<unsigned long long>(best.ok), best.wall, static_cast<double>(best.loads) / best.wall,
                    static_cast<unsigned long long>(best.events),
                    static_cast<double>(best.events) / static_cast<double>(std::max<std::uint64_t>(best.loads, 1)),
                    static_cast<double>(best.events) / best.wall / 1e6);
        if (best.bytes > 0) std::printf("  pcap %.1f MB", static_cast<double>(best.bytes) / 1e6);
        if (best.har_entries > 0) {
          std::printf("  HAR of %llu entries %.3f s", static_cast<unsigned long long>(best.har_entries), best.har);
        }
        std::printf("\n");
        std::fflush(stdout);
      }
    }
  }
  std::error_code ignored;
  fs::remove_all(tmp, ignored);
  return 0;
}
