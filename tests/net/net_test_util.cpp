#include "net_test_util.hpp"

#include <algorithm>

#include "wiresim/wire/ethernet.hpp"
#include "wiresim/wire/ipv4.hpp"

namespace wiresim::net::test {

namespace {

/// Writes the TCP header and payload of `f` into `seg` and fills its checksum.
void emit_segment(std::span<std::uint8_t> seg, const TcpFrame& f) {
  wire::TcpRepr tcp;
  tcp.src_port = f.src_port;
  tcp.dst_port = f.dst_port;
  tcp.seq = wire::SeqNum{f.seq};
  tcp.ack = wire::SeqNum{f.ack};
  tcp.flags = f.flags;
  tcp.window = 65535;
  tcp.emit(seg);
  for (std::size_t i = 0; i < f.payload_len; ++i) {
    seg[wire::kTcpHeaderLen + i] = static_cast<std::uint8_t>(i & 0xff);
  }
  wire::fill_tcp_checksum(seg, f.src_ip, f.dst_ip);
}

}  // namespace

Packet build_tcp_segment(PacketPool& pool, const TcpFrame& f) {
  const std::size_t len = wire::kTcpHeaderLen + f.payload_len;
  Packet p = pool.make(Node::kHeadroom, len);
  emit_segment(p.append(len), f);
  return p;
}

Packet build_tcp_frame(PacketPool& pool, const TcpFrame& f) {
  Packet p = build_tcp_segment(pool, f);
  wire::Ipv4Repr ipr;
  ipr.src = f.src_ip;
  ipr.dst = f.dst_ip;
  ipr.ttl = f.ttl;
  ipr.dscp_ecn = f.dscp_ecn;
  ipr.identification = 7;
  ipr.payload_len = static_cast<std::uint16_t>(p.size());
  ipr.emit(p.prepend(wire::kIpv4HeaderLen));
  wire::EthernetRepr{f.dst_mac, f.src_mac, wire::kEtherTypeIpv4}.emit(p.prepend(wire::kEthernetHeaderLen));
  return p;
}

Packet build_frame_of_size(PacketPool& pool, std::size_t frame_len) {
  TcpFrame f;
  f.payload_len = frame_len - 54;
  return build_tcp_frame(pool, f);
}

void Recorder::on_transmit(Time now, const Interface&, std::span<const std::uint8_t> f, std::uint64_t uid) {
  events.push_back({ObservedEvent::kTransmit, now.ns(), uid, f.size(), DropCause{}, {f.begin(), f.end()}});
}
void Recorder::on_receive(Time now, const Interface&, std::span<const std::uint8_t> f, std::uint64_t uid) {
  events.push_back({ObservedEvent::kReceive, now.ns(), uid, f.size(), DropCause{}, {f.begin(), f.end()}});
}
void Recorder::on_wire(Time now, const Link&, LinkDirection, std::span<const std::uint8_t> f,
                       std::uint64_t uid) {
  events.push_back({ObservedEvent::kWire, now.ns(), uid, f.size(), DropCause{}, {f.begin(), f.end()}});
}
void Recorder::on_drop(Time now, const Link&, LinkDirection, std::span<const std::uint8_t> f,
                       std::uint64_t uid, DropCause cause) {
  events.push_back({ObservedEvent::kDrop, now.ns(), uid, f.size(), cause, {f.begin(), f.end()}});
}

std::vector<ObservedEvent> Recorder::of(ObservedEvent::Kind k) const {
  std::vector<ObservedEvent> out;
  std::copy_if(events.begin(), events.end(), std::back_inserter(out),
               [k](const ObservedEvent& e) { return e.kind == k; });
  return out;
}

std::vector<std::uint64_t> Recorder::uids(ObservedEvent::Kind k) const {
  std::vector<std::uint64_t> out;
  for (const ObservedEvent& e : of(k)) out.push_back(e.uid);
  return out;
}

std::vector<std::int64_t> Recorder::times(ObservedEvent::Kind k) const {
  std::vector<std::int64_t> out;
  for (const ObservedEvent& e : of(k)) out.push_back(e.t_ns);
  return out;
}

void SinkHandler::on_ip_packet(const wire::Ipv4Repr& ipr, std::span<const std::uint8_t> l4,
                               const Packet& pkt) {
  got.push_back({sim_.now().ns(), ipr, {l4.begin(), l4.end()}, pkt.uid()});
}

void TwoNodes::make_link(const LinkDirectionConfig& a_to_b, const LinkDirectionConfig& b_to_a,
                         std::uint64_t seed) {
  link = std::make_unique<Link>(sim, "ab", ia, ib, a_to_b, b_to_a, Rng::stream(seed, "link/ab/a->b"),
                                Rng::stream(seed, "link/ab/b->a"));
  ib.add_observer(rec);
  link->add_observer(LinkDirection::kAToB, rec);
}

std::uint64_t TwoNodes::send_frame(std::size_t len) {
  Packet p = build_frame_of_size(pool, len);
  const std::uint64_t uid = p.uid();
  ia.transmit(std::move(p));
  return uid;
}

}  // namespace wiresim::net::test
