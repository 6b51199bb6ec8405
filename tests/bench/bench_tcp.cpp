// How fast the whole engine moves a bulk TCP transfer: one client sends
// N MB to a server over 100 Mbit/s with 10 ms one-way delay, a 100-packet
// drop-tail queue and 1% loss on the data direction; Linux profile
// (1448-byte segments, timestamps, SACK) with NewReno. Every segment is
// built with real checksums and parsed by the receiver; with a capture the
// client's NIC also writes every frame to a pcap file.
//
// Two ways:
//   scenario  the world built by the scenario API from YAML text, with the
//             `bulk` app (which fills every byte with a hashed pattern of its
//             stream offset and checks every received byte against it);
//   engine    the same nodes, link, TCP stacks and capture tap built by hand,
//             with an app that sends from a fixed buffer and discards what it
//             reads: the cost of the simulator, TCP, IP, links and capture.
// Prints, per configuration: wire packets (data segments + ACKs offered to
// the link), simulator events, wall time, packets per wall-clock second and
// peak RSS (VmHWM). Each configuration runs in a fresh process (this
// program re-executes itself), so the peak RSS is that run's alone and the
// 10 MB and 100 MB figures show whether memory grows with transfer size.
// A benchmark, not a test: it prints figures and asserts nothing.
//
//   bench_tcp            10 MB and 100 MB, without and with a pcap capture, both ways
//   bench_tcp 100        just 100 MB
//   bench_tcp --one engine 100 none   one configuration in this process (for valgrind)
//   (reference: ns-3 takes 0.67 s for the 100 MB case without capture,
//    about 162 k packets/s)

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "wiresim/capture/capture_file.hpp"
#include "wiresim/capture/capture_tap.hpp"
#include "wiresim/core/rng.hpp"
#include "wiresim/core/simulator.hpp"
#include "wiresim/net/link.hpp"
#include "wiresim/net/node.hpp"
#include "wiresim/net/packet_pool.hpp"
#include "wiresim/scenario/loader.hpp"
#include "wiresim/scenario/world.hpp"
#include "wiresim/tcp/profile.hpp"
#include "wiresim/tcp/socket.hpp"
#include "wiresim/tcp/tcp_stack.hpp"

namespace {

namespace sc = wiresim::scenario;

std::string scenario_text(std::uint64_t megabytes, bool capture) {
  std::string s =
      "name: bench-tcp\n"
      "hosts:\n"
      "  client: { address: 10.0.0.1/24, tcp: { profile: linux, congestion_control: newreno } }\n"
      "  server: { address: 10.0.0.2/24, tcp: { profile: linux, congestion_control: newreno } }\n"
      "links:\n"
      "  path:\n"
      "    a: client\n"
      "    b: server\n"
      "    bandwidth: 100Mbps\n"
      "    delay: 10ms\n"
      "    queue: { packets: 100 }\n"
      "    a_to_b: { loss: 1% }\n"
      "apps:\n"
      "  bulk: { type: bulk, from: client, to: server, bytes: " +
      std::to_string(megabytes) + "MB }\n";
  if (capture) s += "captures:\n  client: { node: client, file: client.pcap }\n";
  return s;
}

/// Peak resident set size of this process, in kB (VmHWM of /proc/self/status).
long peak_rss_kb() {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("VmHWM:", 0) == 0) return std::strtol(line.c_str() + 6, nullptr, 10);
  }
  return -1;
}

struct Figures {
  std::uint64_t data = 0, acks = 0, events = 0, goodput_mbps = 0;
  bool complete = false;
  double wall = 0.0;
};

void links_and_time(Figures& f, const wiresim::net::Link& link, const wiresim::Simulator& sim) {
  f.data = link.stats(wiresim::net::LinkDirection::kAToB).packets_offered;
  f.acks = link.stats(wiresim::net::LinkDirection::kBToA).packets_offered;
  f.events = sim.events_executed();
}

/// The scenario API: World from YAML text, the `bulk` app.
Figures run_scenario(std::uint64_t megabytes, bool capture, const std::filesystem::path& out) {
  Figures f;
  const auto loaded = sc::load_scenario_text(scenario_text(megabytes, capture), "bench-tcp.yaml");
  if (!loaded.ok()) {
    for (const auto& d : loaded.diagnostics) std::fprintf(stderr, "%s\n", to_string(d).c_str());
    return f;
  }
  const auto start = std::chrono::steady_clock::now();
  sc::World world(*loaded.scenario, loaded.scenario->seed, out);
  world.run(nullptr);
  world.close_outputs();
  f.wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  links_and_time(f, *world.links().front().link, world.simulator());
  for (const auto& b : world.bulk_apps()) {
    const auto& r = b.app->result();
    f.complete = b.app->finished() && r.error.empty() && r.bytes_received == megabytes * 1'000'000;
    if (r.completed) {
      const auto ns = (*r.completed - r.started).ns();
      f.goodput_mbps = ns > 0 ? r.bytes_received * 8'000 / static_cast<std::uint64_t>(ns) : 0;
    }
  }
  return f;
}

/// The engine's app: sends `total` bytes from a fixed buffer, reads and
/// discards at the other end.
class FixedBufferApp final : public wiresim::tcp::SocketHandler, public wiresim::tcp::ListenHandler {
 public:
  explicit FixedBufferApp(std::uint64_t total) : total_(total) {
    for (std::size_t i = 0; i < pattern_.size(); ++i) pattern_[i] = static_cast<std::uint8_t>(i * 7 + 3);
  }
  void on_connected(wiresim::tcp::Socket& /*s*/) override { pump(); }
  void on_writable(wiresim::tcp::Socket& s) override {
    if (s == sender) pump();
  }
  void on_acceptable(wiresim::tcp::Listener& l) override {
    if (auto s = l.accept(*this)) receiver = *s;
  }
  void on_readable(wiresim::tcp::Socket& s) override {
    if (!(s == receiver)) return;
    for (std::size_t n; (n = s.read(sink_)) > 0;) received += n;
  }
  void on_peer_closed(wiresim::tcp::Socket& s) override {
    if (!(s == receiver)) return;
    on_readable(s);
    s.close();
  }

  wiresim::tcp::Socket sender, receiver;
  std::uint64_t sent = 0, received = 0;

 private:
  static constexpr std::size_t kPeriod = 4096;
  void pump() {
    while (sent < total_) {
      // Offers more than fits: a send() that takes less arms on_writable.
      const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(total_ - sent, pattern_.size() - kPeriod));
      const std::size_t taken = sender.send(std::span<const std::uint8_t>(pattern_.data() + sent % kPeriod, n));
      sent += taken;
      if (taken < n) return;  // on_writable resumes
    }
    sender.close();
  }
  std::uint64_t total_;
  std::array<std::uint8_t, 65536> pattern_{};
  std::array<std::uint8_t, 65536> sink_{};
};

/// The engine: the same topology as scenario_text(), built by hand.
Figures run_engine(std::uint64_t megabytes, bool capture, const std::filesystem::path& out) {
  using namespace wiresim;
  Figures f;
  const auto start = std::chrono::steady_clock::now();
  Simulator sim;
  net::PacketPool pool;
  net::Node client(sim, "client", 0), server(sim, "server", 1);
  const wire::Ipv4Prefix subnet(wire::Ipv4Address::from_octets(10, 0, 0, 0), 24);
  net::Interface& ic = client.add_interface("eth0", wire::MacAddress::local(1),
                                            wire::Ipv4Prefix(wire::Ipv4Address::from_octets(10, 0, 0, 1), 24));
  net::Interface& is = server.add_interface("eth0", wire::MacAddress::local(2),
                                            wire::Ipv4Prefix(wire::Ipv4Address::from_octets(10, 0, 0, 2), 24));
  net::LinkDirectionConfig data;
  data.rate = DataRate::mbps(100);
  data.delay = Duration::milliseconds(10);
  data.queue_packets = 100;
  net::LinkDirectionConfig acks = data;
  data.loss = net::LossModelConfig::bernoulli(0.01);
  net::Link link(sim, "path", ic, is, data, acks, Rng::stream(1, "link/path/a->b"), Rng::stream(1, "link/path/b->a"));
  client.routes().add(net::Route{subnet, ic.index(), {}});
  server.routes().add(net::Route{subnet, is.index(), {}});
  std::optional<capture::CaptureFile> file;
  std::optional<capture::NodeTap> tap;
  if (capture) {
    file.emplace((out / "client.pcap").string(), capture::CaptureFormat::kPcap, 946'684'800'000'000'000);
    tap.emplace(*file, client);
  }
  tcp::TcpProfile profile = tcp::linux_profile();
  profile.congestion_control = "newreno";
  tcp::TcpStack cstack(sim, client, pool, profile, Rng::stream(1, "host/client/tcp"));
  tcp::TcpStack sstack(sim, server, pool, profile, Rng::stream(1, "host/server/tcp"));
  client.register_handler(wire::kIpProtoTcp, cstack);
  server.register_handler(wire::kIpProtoTcp, sstack);
  FixedBufferApp app(megabytes * 1'000'000);
  [[maybe_unused]] const tcp::Listener listener = sstack.listen(5001, 16, app);
  app.sender = cstack.connect(wire::Ipv4Address::from_octets(10, 0, 0, 2), 5001, app);
  sim.run();
  if (file) file->close();
  f.wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  links_and_time(f, link, sim);
  f.complete = app.received == megabytes * 1'000'000;
  return f;
}

/// One configuration, in this process; prints one line.
int run_one(const std::string& way, std::uint64_t megabytes, bool capture) {
  const std::filesystem::path out =
      std::filesystem::temp_directory_path() / ("wiresim-bench-tcp-" + std::to_string(::getpid()));
  std::filesystem::create_directories(out);
  const Figures f = way == "engine" ? run_engine(megabytes, capture, out) : run_scenario(megabytes, capture, out);
  std::error_code ignored;
  std::filesystem::remove_all(out, ignored);
  const std::uint64_t packets = f.data + f.acks;
  std::printf("%-8s %4llu MB  %-10s %7llu pkts (%6llu data + %6llu acks) %7llu events  %7.3f s  %5.2f M pkts/s  "
              "peak RSS %6.1f MB%s\n",
              way.c_str(), static_cast<unsigned long long>(megabytes), capture ? "+ pcap" : "no capture",
              static_cast<unsigned long long>(packets), static_cast<unsigned long long>(f.data),
              static_cast<unsigned long long>(f.acks), static_cast<unsigned long long>(f.events), f.wall,
              static_cast<double>(packets) / f.wall / 1e6, static_cast<double>(peak_rss_kb()) / 1024.0,
              f.complete ? "" : "  INCOMPLETE");
  std::fflush(stdout);
  return f.complete ? 0 : 1;
}

/// Runs one configuration in a fresh copy of this program.
void run_child(const char* way, std::uint64_t megabytes, bool capture) {
  std::fflush(stdout);
  const pid_t pid = ::fork();
  if (pid == 0) {
    std::string child = "--child";
    std::string w = way;
    std::string mb = std::to_string(megabytes);
    std::string cap = capture ? "pcap" : "none";
    char* argv[] = {child.data(), w.data(), mb.data(), cap.data(), nullptr};
    ::execv("/proc/self/exe", argv);
    std::_Exit(127);
  }
  int status = 0;
  if (pid > 0) ::waitpid(pid, &status, 0);
}

}  // namespace

int main(int argc, char** argv) {
  // The re-executed child: argv = {"--child", "scenario"|"engine", MB, "pcap"|"none"}.
  if (argc == 4 && std::strcmp(argv[0], "--child") == 0) {
    return run_one(argv[1], std::strtoull(argv[2], nullptr, 10), std::strcmp(argv[3], "pcap") == 0);
  }
  // The same in this process, for a profiler that cannot follow the re-exec
  // (valgrind): bench_tcp --one engine 100 none.
  if (argc == 5 && std::strcmp(argv[1], "--one") == 0) {
    return run_one(argv[2], std::strtoull(argv[3], nullptr, 10), std::strcmp(argv[4], "pcap") == 0);
  }
  std::vector<std::uint64_t> sizes;
  for (int i = 1; i < argc; ++i) sizes.push_back(std::strtoull(argv[i], nullptr, 10));
  if (sizes.empty()) sizes = {10, 100};
  std::printf("bulk TCP, 100 Mbit/s, 10 ms one way, 100-packet queue, 1%% loss on data, NewReno, linux profile\n");
  for (const char* way : {"scenario", "engine"}) {
    for (const bool capture : {false, true}) {
      for (const std::uint64_t mb : sizes) run_child(way, mb, capture);
    }
  }
  return 0;
}
