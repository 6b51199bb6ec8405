// Prints packets per second through one link: sender enqueue -> link queue,
// serialisation and delay -> receiver Ethernet/IPv4 parsing -> IpHandler.
// With a capture, the receiver's NIC tap writes every frame to a file.
// A benchmark, not a test: it prints figures and asserts nothing.

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "wiresim/capture/capture_file.hpp"
#include "wiresim/capture/capture_tap.hpp"
#include "wiresim/core/data_rate.hpp"
#include "wiresim/core/simulator.hpp"
#include "wiresim/net/interface.hpp"
#include "wiresim/net/ip_handler.hpp"
#include "wiresim/net/link.hpp"
#include "wiresim/net/node.hpp"
#include "wiresim/net/packet_observer.hpp"
#include "wiresim/net/packet_pool.hpp"
#include "wiresim/wire/ethernet.hpp"
#include "wiresim/wire/ipv4.hpp"

namespace {

using namespace wiresim;
using namespace wiresim::net;

struct CountingHandler : IpHandler {
  std::uint64_t packets = 0;
  std::uint64_t bytes = 0;
  void on_ip_packet(const wire::Ipv4Repr&, std::span<const std::uint8_t> l4, const Packet&) override {
    ++packets;
    bytes += l4.size();
  }
};

std::vector<std::uint8_t> template_frame(std::size_t len) {
  std::vector<std::uint8_t> f(len, 0x5a);
  wire::EthernetRepr{wire::MacAddress::local(2), wire::MacAddress::local(1), wire::kEtherTypeIpv4}.emit(f);
  wire::Ipv4Repr ip;
  ip.src = wire::Ipv4Address::from_octets(10, 0, 0, 1);
  ip.dst = wire::Ipv4Address::from_octets(10, 0, 0, 2);
  ip.payload_len = static_cast<std::uint16_t>(len - 34);
  ip.emit(std::span<std::uint8_t>{f}.subspan(14));
  return f;
}

enum class Capture { kNone, kPcap, kPcapng };

const char* label(Capture c) {
  switch (c) {
    case Capture::kNone: return "no capture ";
    case Capture::kPcap: return "+ pcap     ";
    case Capture::kPcapng: return "+ pcapng   ";
  }
  return "";
}

/// `capture`: a NIC capture at the receiver writing every frame to a file.
void run(std::size_t frame_len, Capture capture) {
  const std::uint64_t kPackets = frame_len > 1000 ? 1'000'000 : 5'000'000;
  constexpr std::uint64_t kBurst = 64;
  Simulator sim;
  PacketPool pool;
  Node a{sim, "a", 0};
  Node b{sim, "b", 1};
  Interface& ia = a.add_interface("a0", wire::MacAddress::local(1),
                                  wire::Ipv4Prefix{wire::Ipv4Address::from_octets(10, 0, 0, 1), 24});
  Interface& ib = b.add_interface("b0", wire::MacAddress::local(2),
                                  wire::Ipv4Prefix{wire::Ipv4Address::from_octets(10, 0, 0, 2), 24});
  LinkDirectionConfig c;
  c.rate = DataRate::gbps(100);
  c.delay = Duration::microseconds(50);
  c.queue_packets = 1000;
  Link link{sim, "ab", ia, ib, c, c, Rng{1}, Rng{2}};
  CountingHandler sink;
  b.register_handler(wire::kIpProtoTcp, sink);
  // tmpfs when there is one: the figure is the engine's cost, not the disk's.
  const std::filesystem::path dir =
      std::filesystem::is_directory("/dev/shm") ? "/dev/shm" : std::filesystem::temp_directory_path();
  const std::string path = (dir / "wiresim-bench-link.cap").string();
  std::optional<capture::CaptureFile> file;
  std::optional<capture::NodeTap> tap;
  if (capture != Capture::kNone) {
    file.emplace(path, capture == Capture::kPcap ? capture::CaptureFormat::kPcap : capture::CaptureFormat::kPcapng,
                 1'700'000'000'000'000'000);
    tap.emplace(*file, b);
  }
  const std::vector<std::uint8_t> frame = template_frame(frame_len);
  // One sender event per burst; the burst's serialisation time paces it.
  const Duration gap = c.rate.transmission_time(static_cast<std::int64_t>(frame_len)) * kBurst;
  std::uint64_t remaining = kPackets;
  struct Sender {
    Simulator* sim;
    PacketPool* pool;
    Interface* ia;
    const std::vector<std::uint8_t>* frame;
    std::uint64_t* remaining;
    Duration gap;
    void operator()() const {
      for (std::uint64_t i = 0; i < kBurst; ++i) ia->transmit(pool->make_from(0, *frame));
      *remaining -= kBurst;
      if (*remaining > 0) sim->schedule_in(gap, *this);
    }
  };
  sim.schedule_at(Time::zero(), Sender{&sim, &pool, &ia, &frame, &remaining, gap});
  const auto t0 = std::chrono::steady_clock::now();
  sim.run();
  if (file) file->close();  // the flush of the last buffer counts too
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  tap.reset();
  if (file) std::filesystem::remove(path);
  std::printf("%5zu-byte frames %s: %llu delivered in %.3f s = %.2f Mpps, %.0f MB/s (pool buffers %zu, drops %llu)\n",
              frame_len, label(capture), static_cast<unsigned long long>(sink.packets), secs,
              static_cast<double>(sink.packets) / secs / 1e6,
              static_cast<double>(sink.packets * frame_len) / secs / 1e6, pool.buffers_allocated(),
              static_cast<unsigned long long>(link.stats(LinkDirection::kAToB).dropped_total()));
}

}  // namespace

int main() {
  for (const Capture c : {Capture::kNone, Capture::kPcap, Capture::kPcapng}) {
    run(64, c);
    run(1514, c);
  }
  return 0;
}
