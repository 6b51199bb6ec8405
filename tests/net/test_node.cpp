#include <catch2/catch.hpp>

#include <cstdint>
#include <vector>

#include "net_test_util.hpp"
#include "wiresim/core/data_rate.hpp"
#include "wiresim/net/link.hpp"
#include "wiresim/net/node.hpp"
#include "wiresim/wire/ethernet.hpp"
#include "wiresim/wire/ipv4.hpp"
#include "wiresim/wire/tcp.hpp"

using namespace wiresim;
using namespace wiresim::net;
using namespace wiresim::literals;
using wiresim::net::test::build_tcp_frame;
using wiresim::net::test::build_tcp_segment;
using wiresim::net::test::ip;
using wiresim::net::test::ObservedEvent;
using wiresim::net::test::Recorder;
using wiresim::net::test::SinkHandler;
using wiresim::net::test::TcpFrame;
using wiresim::net::test::TwoNodes;
using wiresim::wire::Ipv4Prefix;
using wiresim::wire::MacAddress;

namespace {

LinkDirectionConfig fast_link() {
  LinkDirectionConfig c;
  c.rate = DataRate::mbps(100);
  c.delay = 1_ms;
  return c;
}

/// h1 (10.0.1.2) -- r -- h2 (10.0.2.2), and r -- h3 (10.0.3.2); hosts route
/// everything to r, r forwards on its connected routes.
struct Routed {
  Simulator sim;
  PacketPool pool;
  Recorder rec;  // on h2's interface
  Node h1{sim, "h1", 0};
  Node r{sim, "r", 1};
  Node h2{sim, "h2", 2};
  Node h3{sim, "h3", 3};
  Interface& h1_0 = h1.add_interface("h1-0", MacAddress::local(1), Ipv4Prefix{ip(10, 0, 1, 2), 24});
  Interface& r_0 = r.add_interface("r-0", MacAddress::local(2), Ipv4Prefix{ip(10, 0, 1, 1), 24});
  Interface& r_1 = r.add_interface("r-1", MacAddress::local(3), Ipv4Prefix{ip(10, 0, 2, 1), 24});
  Interface& h2_0 = h2.add_interface("h2-0", MacAddress::local(4), Ipv4Prefix{ip(10, 0, 2, 2), 24});
  Interface& r_2 = r.add_interface("r-2", MacAddress::local(5), Ipv4Prefix{ip(10, 0, 3, 1), 24});
  Interface& h3_0 = h3.add_interface("h3-0", MacAddress::local(6), Ipv4Prefix{ip(10, 0, 3, 2), 24});
  Link l1{sim, "l1", h1_0, r_0, fast_link(), fast_link(), Rng{1}, Rng{2}};
  Link l2{sim, "l2", r_1, h2_0, fast_link(), fast_link(), Rng{3}, Rng{4}};
  Link l3{sim, "l3", r_2, h3_0, fast_link(), fast_link(), Rng{5}, Rng{6}};
  SinkHandler s2{sim};

  Routed() {
    for (Node* h : {&h1, &h2, &h3}) h->routes().add(Route{Ipv4Prefix{ip(0, 0, 0, 0), 0}, 0, {}});
    r.set_forwarding(true);
    h2.register_handler(wire::kIpProtoTcp, s2);
    h2_0.add_observer(rec);
  }

  /// h1 sends a TCP segment with a 100-byte payload to `dst`.
  bool send(wire::Ipv4Address dst, std::uint8_t ttl = 64) {
    TcpFrame f;
    f.src_ip = ip(10, 0, 1, 2);
    f.dst_ip = dst;
    f.payload_len = 100;
    wire::Ipv4Repr fields;
    fields.dst = dst;
    fields.ttl = ttl;
    return h1.send_ip(build_tcp_segment(pool, f), fields);
  }
};

}  // namespace

TEST_CASE("a router decrements the TTL, keeps the checksums valid and rewrites MACs", "[net][node][router]") {
  Routed w;
  REQUIRE(w.send(ip(10, 0, 2, 2)));
  w.sim.run();

  REQUIRE(w.s2.got.size() == 1);
  const SinkHandler::Got& g = w.s2.got[0];
  CHECK(g.ip.ttl == 63);
  CHECK(g.ip.src == ip(10, 0, 1, 2));  // filled in from h1's interface
  CHECK(g.ip.dst == ip(10, 0, 2, 2));
  CHECK(g.ip.identification == 1);
  CHECK(g.ip.payload_len == 120);
  CHECK(g.l4.size() == 120);
  // 154-byte frame at 100 Mbit/s = 12,320 ns, plus 1 ms, on each of two hops.
  CHECK(g.t_ns == 2 * (12'320 + 1'000'000));

  const std::vector<ObservedEvent> rx = w.rec.of(ObservedEvent::kReceive);
  REQUIRE(rx.size() == 1);
  const auto eth = wire::EthernetFrameView::check(rx[0].bytes);
  REQUIRE(eth);
  CHECK(eth.value().dst() == w.h2_0.mac());
  CHECK(eth.value().src() == w.r_1.mac());
  const auto v = wire::Ipv4PacketView::check(eth.value().payload());
  REQUIRE(v);
  CHECK(v.value().ttl() == 63);
  CHECK(v.value().header_checksum_ok());
  CHECK(wire::tcp_checksum_ok(v.value().payload(), v.value().src(), v.value().dst()));
  CHECK(w.r.stats().forwarded == 1);
  CHECK(w.h2.stats().delivered == 1);
}

TEST_CASE("a router forwards by longest prefix", "[net][node][router]") {
  Routed w;
  // 10.0.2.99/32 is more specific than the connected 10.0.2.0/24 and points at h3.
  w.r.routes().add(Route{Ipv4Prefix{ip(10, 0, 2, 99), 32}, w.r_2.index(), ip(10, 0, 3, 2)});
  REQUIRE(w.send(ip(10, 0, 2, 99)));
  REQUIRE(w.send(ip(10, 0, 2, 2)));
  w.sim.run();
  CHECK(w.h3.stats().rx_frames == 1);
  CHECK(w.h3.stats().dropped(IpDropReason::kNotForUs) == 1);  // h3 is a host, not 10.0.2.99
  CHECK(w.h2.stats().rx_frames == 1);
  CHECK(w.s2.got.size() == 1);
  CHECK(w.r.stats().forwarded == 2);
}

TEST_CASE("TTL expiry at a router drops and counts", "[net][node][router]") {
  Routed w;
  REQUIRE(w.send(ip(10, 0, 2, 2), 1));
  REQUIRE(w.send(ip(10, 0, 2, 2), 2));
  w.sim.run();
  CHECK(w.r.stats().dropped(IpDropReason::kTtlExpired) == 1);
  REQUIRE(w.s2.got.size() == 1);
  CHECK(w.s2.got[0].ip.ttl == 1);
  CHECK(w.r.stats().forwarded == 1);
}

TEST_CASE("a router without a route drops and counts", "[net][node][router]") {
  Routed w;
  REQUIRE(w.send(ip(192, 168, 1, 1)));  // h1's default route takes it to r
  w.sim.run();
  CHECK(w.r.stats().dropped(IpDropReason::kNoRoute) == 1);
  CHECK(w.r.stats().forwarded == 0);
}

TEST_CASE("malformed and undeliverable frames are counted by reason and dropped", "[net][node][input]") {
  TwoNodes n;
  n.make_link(fast_link());
  SinkHandler sink{n.sim};
  n.b.register_handler(wire::kIpProtoTcp, sink);
  const auto frame = [&n] { return build_tcp_frame(n.pool, TcpFrame{}); };  // a -> b, valid
  const auto ip_header = [](Packet& p) { return p.bytes().subspan(14, 20); };

  n.ia.transmit(frame());  // valid
  {
    const std::vector<std::uint8_t> ten(10, 0xab);
    n.ia.transmit(n.pool.make_from(0, ten));
  }
  Packet wrong_mac = frame();
  MacAddress::local(9).write(wrong_mac.bytes());
  Packet bcast = frame();
  MacAddress::broadcast().write(bcast.bytes());
  Packet arp = frame();
  arp.bytes()[13] = 0x06;
  Packet v6 = frame();
  v6.bytes()[14] = 0x65;
  Packet bad_sum = frame();
  bad_sum.bytes()[14 + 10] ^= 0x01;
  Packet fragment = frame();
  ip_header(fragment)[6] = 0x20;  // MF
  wire::fill_ipv4_checksum(ip_header(fragment));
  Packet udp = frame();
  ip_header(udp)[9] = wire::kIpProtoUdp;
  wire::fill_ipv4_checksum(ip_header(udp));
  Packet other_host = frame();
  ip_header(other_host)[19] = 9;  // 10.0.0.9
  wire::fill_ipv4_checksum(ip_header(other_host));
  for (Packet* p : {&wrong_mac, &bcast, &arp, &v6, &bad_sum, &fragment, &udp, &other_host}) {
    n.ia.transmit(std::move(*p));
  }
  n.sim.run();

  const NodeStats& s = n.b.stats();
  CHECK(s.rx_frames == 10);
  CHECK(s.delivered == 2);
  CHECK(sink.got.size() == 2);
  CHECK(s.dropped(IpDropReason::kTruncatedFrame) == 1);
  CHECK(s.dropped(IpDropReason::kWrongMac) == 1);
  CHECK(s.dropped(IpDropReason::kNotIpv4) == 1);
  CHECK(s.dropped(IpDropReason::kMalformedIpv4) == 1);
  CHECK(s.dropped(IpDropReason::kBadChecksum) == 1);
  CHECK(s.dropped(IpDropReason::kFragment) == 1);
  CHECK(s.dropped(IpDropReason::kNoHandler) == 1);
  CHECK(s.dropped(IpDropReason::kNotForUs) == 1);
  CHECK(n.ib.stats().rx_packets == 10);
}

TEST_CASE("link padding is not part of the L4 bytes", "[net][node][input]") {
  TwoNodes n;
  n.make_link(fast_link());
  SinkHandler sink{n.sim};
  n.b.register_handler(wire::kIpProtoTcp, sink);
  Packet p = build_tcp_frame(n.pool, TcpFrame{});  // 54 bytes
  for (std::uint8_t& byte : p.append(6)) byte = 0;  // padded to 60
  n.ia.transmit(std::move(p));
  n.sim.run();
  REQUIRE(sink.got.size() == 1);
  CHECK(sink.got[0].l4.size() == 20);
}

TEST_CASE("send_ip fills source and identification and reports drops", "[net][node][send]") {
  TwoNodes n;
  n.make_link(fast_link());
  SinkHandler sink{n.sim};
  n.b.register_handler(wire::kIpProtoTcp, sink);
  const auto seg = [&n] { return build_tcp_segment(n.pool, TcpFrame{}); };

  CHECK(Node::headroom() == 34);
  CHECK(n.a.source_address_for(ip(10, 0, 0, 2)) == ip(10, 0, 0, 1));
  CHECK_FALSE(n.a.source_address_for(ip(8, 8, 8, 8)).has_value());

  wire::Ipv4Repr f;
  f.dst = ip(10, 0, 0, 2);
  CHECK(n.a.send_ip(seg(), f));
  CHECK(n.a.send_ip(seg(), f));
  f.identification = 777;
  f.src = ip(10, 0, 0, 1);
  CHECK(n.a.send_ip(seg(), f));

  wire::Ipv4Repr nowhere;
  nowhere.dst = ip(8, 8, 8, 8);
  CHECK_FALSE(n.a.send_ip(seg(), nowhere));
  wire::Ipv4Repr self;
  self.dst = ip(10, 0, 0, 1);
  CHECK_FALSE(n.a.send_ip(seg(), self));
  n.sim.run();

  REQUIRE(sink.got.size() == 3);
  CHECK(sink.got[0].ip.identification == 1);
  CHECK(sink.got[1].ip.identification == 2);
  CHECK(sink.got[2].ip.identification == 777);
  CHECK(sink.got[0].ip.src == ip(10, 0, 0, 1));
  CHECK(n.a.stats().sent == 3);
  CHECK(n.a.stats().dropped(IpDropReason::kNoRoute) == 1);
  CHECK(n.a.stats().dropped(IpDropReason::kLocalDestination) == 1);
}

TEST_CASE("send_ip on an interface without a link drops and counts", "[net][node][send]") {
  Simulator sim;
  PacketPool pool;
  Node h{sim, "h", 0};
  h.add_interface("h0", MacAddress::local(1), Ipv4Prefix{ip(10, 0, 0, 1), 24});
  wire::Ipv4Repr f;
  f.dst = ip(10, 0, 0, 2);
  CHECK_FALSE(h.send_ip(build_tcp_segment(pool, TcpFrame{}), f));
  CHECK(h.stats().dropped(IpDropReason::kNotAttached) == 1);
  CHECK(to_string(IpDropReason::kNotAttached) == "not_attached");
  CHECK(to_string(IpDropReason::kTruncatedFrame) == "truncated_frame");
}
