#include "scripted_transfer.hpp"

#include <fmt/format.h>

#include "wiresim/capture/capture_file.hpp"
#include "wiresim/capture/capture_tap.hpp"
#include "wiresim/core/rng.hpp"
#include "wiresim/core/simulator.hpp"
#include "wiresim/net/link.hpp"
#include "wiresim/net/node.hpp"
#include "wiresim/net/packet_observer.hpp"
#include "wiresim/net/packet_pool.hpp"
#include "wiresim/wire/ipv4.hpp"
#include "wiresim/wire/tcp.hpp"

namespace wiresim::test {
namespace {

using namespace wiresim::literals;
using wire::Ipv4Address;
using wire::SeqNum;

/// 2023-10-25T14:30:00Z, the Unix time of simulated t=0 in the captures.
constexpr std::int64_t kEpochNs = 1'698'244'200'000'000'000;
constexpr std::uint16_t kClientPort = 50'123;
constexpr std::uint16_t kServerPort = 80;

/// Collects every drop comment the pcapng link capture writes.
struct DropLog final : net::PacketObserver {
  std::vector<std::string>* out;
  const net::Link* link;
  explicit DropLog(std::vector<std::string>& o, const net::Link& l) : out(&o), link(&l) {}
  void on_drop(Time, const net::Link&, net::LinkDirection dir, std::span<const std::uint8_t>, std::uint64_t,
               net::DropCause cause) override {
    const bool ab = dir == net::LinkDirection::kAToB;
    out->push_back(fmt::format("dropped by link {} ({}): {}", link->name(), ab ? "client->server" : "server->client",
                               net::to_string(cause)));
  }
};

/// One endpoint of the hand-driven conversation.
struct Endpoint {
  net::Node* node;
  net::PacketPool* pool;
  Ipv4Address self, peer;
  std::uint16_t port, peer_port;
  std::uint64_t* sent;

  void send(SeqNum seq, SeqNum ack, std::uint8_t flags, std::size_t payload_len, std::uint8_t fill) const {
    wire::TcpRepr tcp{};
    tcp.src_port = port;
    tcp.dst_port = peer_port;
    tcp.seq = seq;
    tcp.ack = ack;
    tcp.flags = flags;
    tcp.window = 64240;
    if ((flags & wire::kSyn) != 0) tcp.mss = 1460;
    net::Packet pkt = pool->make(net::Node::kHeadroom, tcp.header_len() + payload_len);
    const std::span<std::uint8_t> seg = pkt.append(tcp.header_len() + payload_len);
    tcp.emit(seg);
    for (std::size_t i = 0; i < payload_len; ++i) seg[tcp.header_len() + i] = static_cast<std::uint8_t>(fill + i);
    wire::fill_tcp_checksum(seg, self, peer);
    wire::Ipv4Repr ip{};
    ip.src = self;
    ip.dst = peer;
    ip.protocol = wire::kIpProtoTcp;
    node->send_ip(std::move(pkt), ip);
    ++*sent;
  }
};

net::LinkDirectionConfig lossy(double loss) {
  net::LinkDirectionConfig c;
  c.rate = DataRate::mbps(100);
  c.delay = 2_ms;
  c.queue_packets = 1000;
  c.loss = net::LossModelConfig::bernoulli(loss);
  return c;
}

/// Schedules the whole conversation: handshake, data, acks, close.
/// The endpoints must outlive the run (events keep pointers to them).
void schedule_conversation(Simulator& sim, const Endpoint* client, const Endpoint* server, int data_segments) {
  const SeqNum c_iss{0xfffff000u};  // crosses the 2^32 wrap during the transfer
  const SeqNum s_iss{0x12345678u};
  sim.schedule_at(Time::zero(), [=] { client->send(c_iss, SeqNum{0}, wire::kSyn, 0, 0); });
  sim.schedule_at(Time::zero() + 5_ms, [=] { server->send(s_iss, c_iss + 1, wire::kSyn | wire::kAck, 0, 0); });
  sim.schedule_at(Time::zero() + 10_ms, [=] { client->send(c_iss + 1, s_iss + 1, wire::kAck, 0, 0); });
  SeqNum seq = c_iss + 1;
  Time t = Time::zero() + 11_ms;
  for (int i = 0; i < data_segments; ++i) {
    const auto len = static_cast<std::size_t>(100 + (i * 37) % 1361);  // 100..1460 bytes
    const auto fill = static_cast<std::uint8_t>(i);
    sim.schedule_at(t, [=] { client->send(seq, s_iss + 1, wire::kAck | wire::kPsh, len, fill); });
    const SeqNum acked = seq + static_cast<std::uint32_t>(len);
    sim.schedule_at(t + 5_ms, [=] { server->send(s_iss + 1, acked, wire::kAck, 0, 0); });
    seq = acked;
    t = t + 500_us;
  }
  t = t + 10_ms;
  sim.schedule_at(t, [=] { client->send(seq, s_iss + 1, wire::kFin | wire::kAck, 0, 0); });
  sim.schedule_at(t + 5_ms, [=] { server->send(s_iss + 1, seq + 1, wire::kFin | wire::kAck, 0, 0); });
  sim.schedule_at(t + 10_ms, [=] { client->send(seq + 1, s_iss + 2, wire::kAck, 0, 0); });
}

}  // namespace

ScriptedTransferResult run_scripted_transfer(const std::string& out_dir, const ScriptedTransferOptions& opt) {
  ScriptedTransferResult result;
  // The pool must outlive every packet: declared before nodes and links.
  Simulator sim;
  net::PacketPool pool;
  net::Node client(sim, "client", 0);
  net::Node server(sim, "server", 1);
  const Ipv4Address c_ip = Ipv4Address::from_octets(10, 0, 0, 1);
  const Ipv4Address s_ip = Ipv4Address::from_octets(10, 0, 0, 2);
  net::Interface& ci = client.add_interface("eth0", wire::MacAddress::local(1), wire::Ipv4Prefix(c_ip, 24));
  net::Interface& si = server.add_interface("eth0", wire::MacAddress::local(2), wire::Ipv4Prefix(s_ip, 24));
  net::Link link(sim, "lan", ci, si, lossy(opt.loss), lossy(opt.loss), Rng::stream(opt.seed, "link/lan/a->b"),
                 Rng::stream(opt.seed, "link/lan/b->a"));

  capture::CaptureFile client_pcap(out_dir + "/client.pcap", capture::CaptureFormat::kPcap, kEpochNs);
  capture::CaptureFile client_pcapng(out_dir + "/client.pcapng", capture::CaptureFormat::kPcapng, kEpochNs);
  capture::CaptureFile link_pcap(out_dir + "/link.pcap", capture::CaptureFormat::kPcap, kEpochNs);
  capture::CaptureFile link_pcapng(out_dir + "/link.pcapng", capture::CaptureFormat::kPcapng, kEpochNs);
  capture::NodeTap tap1(client_pcap, client), tap2(client_pcapng, client);
  capture::LinkTap tap3(link_pcap, link), tap4(link_pcapng, link);
  DropLog drops(result.drop_comments, link);
  link.add_observer(net::LinkDirection::kAToB, drops);
  link.add_observer(net::LinkDirection::kBToA, drops);

  const Endpoint c_end{&client, &pool, c_ip, s_ip, kClientPort, kServerPort, &result.segments_sent};
  const Endpoint s_end{&server, &pool, s_ip, c_ip, kServerPort, kClientPort, &result.segments_sent};
  schedule_conversation(sim, &c_end, &s_end, opt.data_segments);
  sim.run();

  for (const net::LinkDirection d : {net::LinkDirection::kAToB, net::LinkDirection::kBToA}) {
    result.frames_delivered += link.stats(d).packets_delivered;
    for (const net::DropCause c : {net::DropCause::kQueueFull, net::DropCause::kLossModel,
                                   net::DropCause::kDropRule, net::DropCause::kTooBig}) {
      result.frames_dropped += link.stats(d).dropped(c);
    }
  }
  link.remove_observer(net::LinkDirection::kAToB, drops);
  link.remove_observer(net::LinkDirection::kBToA, drops);
  for (capture::CaptureFile* f : {&client_pcap, &client_pcapng, &link_pcap, &link_pcapng}) f->close();
  result.client_frames = client_pcapng.frames_written();
  result.link_pcap_frames = link_pcap.frames_written();
  result.link_pcapng_frames = link_pcapng.frames_written();
  return result;
}

}  // namespace wiresim::test
