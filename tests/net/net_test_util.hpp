#pragma once
/// Shared helpers for the net tests: TCP/IPv4 frame builders (through the
/// wire layer's emit functions), a recording observer and handler, and a
/// two-node fixture joined by one link.

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "wiresim/core/rng.hpp"
#include "wiresim/core/simulator.hpp"
#include "wiresim/net/interface.hpp"
#include "wiresim/net/ip_handler.hpp"
#include "wiresim/net/link.hpp"
#include "wiresim/net/node.hpp"
#include "wiresim/net/packet_observer.hpp"
#include "wiresim/net/packet_pool.hpp"
#include "wiresim/wire/address.hpp"
#include "wiresim/wire/tcp.hpp"

namespace wiresim::net::test {

constexpr wire::Ipv4Address ip(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d) {
  return wire::Ipv4Address::from_octets(a, b, c, d);
}

/// The fields of a TCP/IPv4/Ethernet test frame.
struct TcpFrame {
  wire::MacAddress src_mac = wire::MacAddress::local(1);
  wire::MacAddress dst_mac = wire::MacAddress::local(2);
  wire::Ipv4Address src_ip = ip(10, 0, 0, 1);
  wire::Ipv4Address dst_ip = ip(10, 0, 0, 2);
  std::uint16_t src_port = 49152;
  std::uint16_t dst_port = 80;
  std::uint8_t flags = wire::kAck;
  std::uint32_t seq = 1000;
  std::uint32_t ack = 1;
  std::size_t payload_len = 0;  ///< payload byte i is (i & 0xff)
  std::uint8_t ttl = 64;
  std::uint8_t dscp_ecn = 0;  ///< the IPv4 DSCP/ECN byte (2 = ECT(0))
};

/// A frame with real headers and checksums: 54 + payload_len bytes.
Packet build_tcp_frame(PacketPool& pool, const TcpFrame& f);
/// A TCP frame of exactly `frame_len` (>= 54) bytes, all other fields default.
Packet build_frame_of_size(PacketPool& pool, std::size_t frame_len);
/// Just the TCP segment (header + payload, checksum filled) of `f`, with
/// Node::kHeadroom in front, ready for Node::send_ip.
Packet build_tcp_segment(PacketPool& pool, const TcpFrame& f);

/// Every observer hook, recorded in order.
struct ObservedEvent {
  enum Kind { kTransmit, kReceive, kWire, kDrop } kind;
  std::int64_t t_ns;
  std::uint64_t uid;
  std::size_t len;
  DropCause cause;  ///< kDrop only
  std::vector<std::uint8_t> bytes;
};

class Recorder : public PacketObserver {
 public:
  void on_transmit(Time now, const Interface&, std::span<const std::uint8_t> f, std::uint64_t uid) override;
  void on_receive(Time now, const Interface&, std::span<const std::uint8_t> f, std::uint64_t uid) override;
  void on_wire(Time now, const Link&, LinkDirection, std::span<const std::uint8_t> f,
               std::uint64_t uid) override;
  void on_drop(Time now, const Link&, LinkDirection, std::span<const std::uint8_t> f, std::uint64_t uid,
               DropCause cause) override;

  /// Events of one kind, in order.
  [[nodiscard]] std::vector<ObservedEvent> of(ObservedEvent::Kind k) const;
  /// uids of the events of one kind, in order.
  [[nodiscard]] std::vector<std::uint64_t> uids(ObservedEvent::Kind k) const;
  /// times (ns) of the events of one kind, in order.
  [[nodiscard]] std::vector<std::int64_t> times(ObservedEvent::Kind k) const;

  std::vector<ObservedEvent> events;
};

/// An IpHandler that records what it is given.
class SinkHandler : public IpHandler {
 public:
  struct Got {
    std::int64_t t_ns;
    wire::Ipv4Repr ip;
    std::vector<std::uint8_t> l4;
    std::uint64_t uid;
  };
  explicit SinkHandler(const Simulator& sim) : sim_(sim) {}
  void on_ip_packet(const wire::Ipv4Repr& ip, std::span<const std::uint8_t> l4, const Packet& pkt) override;

  std::vector<Got> got;

 private:
  const Simulator& sim_;
};

/// Two nodes a (10.0.0.1/24) and b (10.0.0.2/24), one link between them
/// built by make_link(); a Recorder on the receiving interface b and on the
/// a->b direction.
struct TwoNodes {
  Simulator sim;
  PacketPool pool;  // before the link: packets in flight die first
  Recorder rec;
  Node a{sim, "a", 0};
  Node b{sim, "b", 1};
  Interface& ia = a.add_interface("a0", wire::MacAddress::local(1), wire::Ipv4Prefix{ip(10, 0, 0, 1), 24});
  Interface& ib = b.add_interface("b0", wire::MacAddress::local(2), wire::Ipv4Prefix{ip(10, 0, 0, 2), 24});
  std::unique_ptr<Link> link;

  void make_link(const LinkDirectionConfig& a_to_b, const LinkDirectionConfig& b_to_a = {},
                 std::uint64_t seed = 1);
  LinkChannel& ab() { return link->channel(LinkDirection::kAToB); }
  /// Sends a frame of `len` bytes from a at the current time; returns its uid.
  std::uint64_t send_frame(std::size_t len);
};

}  // namespace wiresim::net::test
