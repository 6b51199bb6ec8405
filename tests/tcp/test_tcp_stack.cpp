// Two TcpStacks on two real nodes joined by a link.

#include "stack_harness.hpp"

#include <algorithm>
#include <map>

#include "wiresim/net/packet_observer.hpp"
#include "wiresim/wire/ethernet.hpp"
#include "wiresim/wire/ipv4.hpp"
#include "wiresim/wire/tcp.hpp"

namespace wiresim::tcp::test {
namespace {

net::LinkDirectionConfig link_dir(Duration delay = 5_ms, DataRate rate = DataRate::mbps(10)) {
  net::LinkDirectionConfig c;
  c.delay = delay;
  c.rate = rate;
  return c;
}

TwoHostsConfig plain_config() {
  TwoHostsConfig cfg;
  cfg.to_server = link_dir();
  cfg.to_client = link_dir();
  return cfg;
}

/// Records every frame an interface sends, for byte-for-byte comparisons.
class FrameLog : public net::PacketObserver {
 public:
  void on_transmit(Time now, const net::Interface&, std::span<const std::uint8_t> frame,
                   std::uint64_t) override {
    frames.emplace_back(now, std::vector<std::uint8_t>(frame.begin(), frame.end()));
  }
  std::vector<std::pair<Time, std::vector<std::uint8_t>>> frames;
};

struct Run {
  std::vector<std::uint8_t> client_out, server_out;
  std::unique_ptr<StreamApp> client_app;
  StreamServer server_app;
  Listener listener;
  Socket socket;

  Run(TwoHosts& h, std::size_t client_bytes, std::size_t server_bytes)
      : client_out(random_bytes(1, client_bytes)),
        server_out(random_bytes(2, server_bytes)),
        client_app(std::make_unique<StreamApp>(h.sim, client_out)),
        server_app([&h, this] { return std::make_unique<StreamApp>(h.sim, server_out); }) {
    listener = h.server.listen(80, 16, server_app);
    socket = h.client.connect(kServerAddr, 80, *client_app);
  }
};

TEST_CASE("two stacks exchange data both ways, close, and forget the connection", "[tcp][stack]") {
  TwoHosts h(plain_config());
  Run r(h, 100'000, 30'000);
  h.sim.run();
  REQUIRE(r.server_app.apps.size() == 1);
  const StreamApp& srv = *r.server_app.apps[0];
  CHECK(srv.in == r.client_out);
  CHECK(r.client_app->in == r.server_out);
  CHECK(r.client_app->closed);
  CHECK(srv.closed);
  CHECK_FALSE(r.client_app->error);
  CHECK(h.client.connection_count() == 0);
  CHECK(h.server.connection_count() == 0);
  CHECK_FALSE(r.socket.valid());
  CHECK(h.client.stats().bad_checksum == 0);
  CHECK(h.server.stats().bad_checksum == 0);
}

TEST_CASE("the side that closes first goes through TIME-WAIT for 2*MSL", "[tcp][stack][close]") {
  TwoHosts h(plain_config());
  // The server has more than its send buffer to write: it cannot shut down
  // before the client's FIN (sent with its 1000 bytes) arrives.
  Run r(h, 1000, 1'000'000);
  h.sim.run();
  REQUIRE(h.log.steps.size() == 2);
  const FourTuple client_conn = h.log.steps.begin()->first;  // 10.0.0.1 sorts first
  CHECK(client_conn.local.addr == kClientAddr);
  const FourTuple server_conn = std::next(h.log.steps.begin())->first;
  CHECK(h.log.visited(client_conn, TcpState::kFinWait2));
  CHECK(h.log.visited(client_conn, TcpState::kTimeWait));
  CHECK(h.log.entered(client_conn, TcpState::kClosed) -
            h.log.entered(client_conn, TcpState::kTimeWait) ==
        60_s);
  CHECK(h.log.visited(server_conn, TcpState::kCloseWait));
  CHECK(h.log.visited(server_conn, TcpState::kLastAck));
  CHECK_FALSE(h.log.visited(server_conn, TcpState::kTimeWait));
  CHECK(h.client.connection_count() == 0);
}

TEST_CASE("open_connections lists what still exists, with its state and counters so far", "[tcp][stack][trace]") {
  // When does the client (the side that closes first) enter TIME-WAIT?
  Time time_wait = Time::max();
  {
    TwoHosts h(plain_config());
    Run r(h, 1000, 1'000'000);
    h.sim.run();
    time_wait = h.log.entered(h.log.steps.begin()->first, TcpState::kTimeWait);
  }
  REQUIRE(time_wait != Time::max());
  TwoHosts h(plain_config());
  CHECK(h.client.open_connections().empty());
  Run r(h, 1000, 1'000'000);  // connects at once
  REQUIRE(h.client.open_connections().size() == 1);
  CHECK(h.client.open_connections()[0].state == TcpState::kSynSent);

  h.sim.run_until(time_wait + 1_s);
  const auto client = h.client.open_connections();
  REQUIRE(client.size() == 1);
  CHECK(client[0].tuple.local.addr == kClientAddr);
  CHECK(client[0].state == TcpState::kTimeWait);
  CHECK(client[0].counters.bytes_sent == 1000);
  CHECK(h.server.open_connections().empty());  // LAST-ACK done: removed, counters reported
  CHECK(h.log.final_counters.count(client[0].tuple) == 0);

  h.sim.run();
  CHECK(h.client.open_connections().empty());
  REQUIRE(h.log.final_counters.count(client[0].tuple) == 1);
  CHECK(h.log.final_counters.at(client[0].tuple) == client[0].counters);  // nothing moved in TIME-WAIT
}

TEST_CASE("observer sees each transition with its cause", "[tcp][stack][trace]") {
  TwoHosts h(plain_config());
  Run r(h, 10, 10);
  h.sim.run();
  const auto& client_steps = h.log.steps.begin()->second;
  REQUIRE(client_steps.size() >= 3);
  CHECK(client_steps[0].from == TcpState::kClosed);
  CHECK(client_steps[0].to == TcpState::kSynSent);
  CHECK(client_steps[0].cause == "app connect");
  CHECK(client_steps[0].at == Time::from_ns(0));
  CHECK(client_steps[1].to == TcpState::kEstablished);
  CHECK(client_steps[1].cause == "rcv [SYN, ACK]");
  CHECK(client_steps.back().to == TcpState::kClosed);
  const auto& server_steps = std::next(h.log.steps.begin())->second;
  CHECK(server_steps[0].to == TcpState::kListen);
  CHECK(server_steps[1].to == TcpState::kSynReceived);
  CHECK(server_steps[1].cause == "rcv [SYN]");
  CHECK(h.log.final_counters.size() == 2);
  CHECK(h.log.congestion_reports > 0);
}

TEST_CASE("an observer changes no byte on the wire", "[tcp][stack][trace]") {
  auto run = [](bool observe) {
    TwoHostsConfig cfg = plain_config();
    cfg.to_server.loss = net::LossModelConfig::bernoulli(0.1);
    cfg.to_client.loss = net::LossModelConfig::bernoulli(0.1);
    TwoHosts h(cfg);
    if (!observe) {
      h.client.set_observer(nullptr);
      h.server.set_observer(nullptr);
    }
    FrameLog frames;
    h.client_if.add_observer(frames);
    h.server_if.add_observer(frames);
    Run r(h, 50'000, 50'000);
    h.sim.run();
    h.client_if.remove_observer(frames);
    h.server_if.remove_observer(frames);
    return frames.frames;
  };
  const auto with = run(true);
  const auto without = run(false);
  CHECK(with.size() > 70);
  CHECK(with == without);
}

TEST_CASE("connecting to a port nobody listens on is refused", "[tcp][stack][rst]") {
  TwoHosts h(plain_config());
  StreamApp app(h.sim, {});
  const Socket s = h.client.connect(kServerAddr, 81, app);
  h.sim.run();
  CHECK(app.error == ConnectionError::kRefused);
  CHECK(app.closed);
  CHECK_FALSE(s.valid());
  CHECK(h.server.stats().resets_sent == 1);
  CHECK(h.client.connection_count() == 0);
}

/// Aborts its connection as soon as it is established.
class Aborter : public SocketHandler {
 public:
  void on_connected(Socket& s) override { s.abort(); }
  void on_closed(Socket&) override { closed = true; }
  bool closed = false;
};

TEST_CASE("abort sends an RST, the peer reports the connection reset", "[tcp][stack][rst]") {
  TwoHosts h(plain_config());
  StreamServer server([&h] { return std::make_unique<StreamApp>(h.sim, random_bytes(5, 300'000)); });
  h.server.listen(80, 4, server);
  Aborter client;
  h.client.connect(kServerAddr, 80, client);
  h.sim.run();
  CHECK(client.closed);
  REQUIRE(server.apps.size() == 1);
  CHECK(server.apps[0]->error == ConnectionError::kReset);
  CHECK(server.apps[0]->closed);
  CHECK(h.client.connection_count() == 0);
  CHECK(h.server.connection_count() == 0);
}

TEST_CASE("a connect nobody answers times out after the SYN retries", "[tcp][stack][rto]") {
  TwoHostsConfig cfg = plain_config();
  cfg.to_server.loss = net::LossModelConfig::bernoulli(1.0);
  TwoHosts h(cfg);
  StreamApp app(h.sim, {});
  h.client.connect(kServerAddr, 80, app);
  h.sim.run();
  CHECK(app.error == ConnectionError::kTimedOut);
  CHECK(app.closed);
  CHECK(h.sim.now() == Time::from_ns(0) + 127_s);  // 1 + 2 + 4 + ... + 64 s
  CHECK(h.client.connection_count() == 0);
}

TEST_CASE("segments with a bad checksum are counted and dropped", "[tcp][stack]") {
  TwoHosts h(plain_config());
  wire::TcpRepr syn;
  syn.src_port = 1234;
  syn.dst_port = 80;
  syn.seq = wire::SeqNum{1};
  syn.flags = wire::kSyn;
  std::vector<std::uint8_t> seg(syn.header_len());
  syn.emit(seg);
  wire::fill_tcp_checksum(seg, kClientAddr, kServerAddr);
  seg[wire::TcpSegmentView::kChecksumOffset] ^= 0x01;
  wire::Ipv4Repr ip;
  ip.src = kClientAddr;
  ip.dst = kServerAddr;
  ip.payload_len = static_cast<std::uint16_t>(seg.size());
  const net::Packet pkt = h.pool.make(0, 0);
  h.server.on_ip_packet(ip, seg, pkt);
  CHECK(h.server.stats().bad_checksum == 1);
  CHECK(h.server.stats().resets_sent == 0);
  CHECK(h.server.stats().segments_sent == 0);
  std::vector<std::uint8_t> junk{1, 2, 3};
  h.server.on_ip_packet(ip, junk, pkt);
  CHECK(h.server.stats().malformed == 1);
}

TEST_CASE("ephemeral ports are sequential from a seeded start within the profile range",
          "[tcp][stack]") {
  auto ports = [](std::uint64_t seed) {
    TwoHostsConfig cfg = plain_config();
    cfg.seed = seed;
    TwoHosts h(cfg);
    StreamApp a(h.sim, {}), b(h.sim, {});
    const std::uint16_t p1 = h.client.connect(kServerAddr, 80, a).tuple().local.port;
    const std::uint16_t p2 = h.client.connect(kServerAddr, 80, b).tuple().local.port;
    return std::pair{p1, p2};
  };
  const auto [a1, a2] = ports(7);
  CHECK(a1 >= 32768);
  CHECK(a1 <= 60999);
  CHECK(a2 == (a1 == 60999 ? 32768 : a1 + 1));
  CHECK(ports(7) == std::pair{a1, a2});
  CHECK(ports(8).first != a1);
}

/// Never accepts until told to.
class LazyServer : public ListenHandler {
 public:
  void on_acceptable(Listener& l) override { listener = l; }
  Listener listener;
};

TEST_CASE("a full backlog drops SYNs, the peer's retransmission gets in after accept",
          "[tcp][stack][listen]") {
  TwoHosts h(plain_config());
  LazyServer srv;
  h.server.listen(80, 1, srv);
  StreamApp a(h.sim, random_bytes(3, 100)), b(h.sim, random_bytes(4, 100));
  h.client.connect(kServerAddr, 80, a);
  h.client.connect(kServerAddr, 80, b);
  h.sim.run_until(Time::from_ns(0) + 500_ms);
  CHECK(a.connected);
  CHECK_FALSE(b.connected);
  CHECK(h.server.stats().listen_overflows == 1);
  CHECK(srv.listener.pending() == 1);
  StreamApp served(h.sim, {});
  auto s = srv.listener.accept(served);
  REQUIRE(s.has_value());
  served.start(*s);
  h.sim.run_until(Time::from_ns(0) + 2_s);  // b's SYN is retransmitted at 1 s
  CHECK(b.connected);
  CHECK(served.in == random_bytes(3, 100));  // bytes that arrived before accept()
}

TEST_CASE("a Windows client and a Linux server agree on options and transfer", "[tcp][stack]") {
  TwoHostsConfig cfg = plain_config();
  cfg.client_profile = windows_profile();
  TwoHosts h(cfg);
  FrameLog frames;
  h.client_if.add_observer(frames);
  Run r(h, 20'000, 20'000);
  h.sim.run();
  h.client_if.remove_observer(frames);
  REQUIRE_FALSE(frames.frames.empty());
  // The SYN on the wire: 66 bytes, MSS, NOP, WS, NOP, NOP, SACK_PERM.
  const std::vector<std::uint8_t>& syn = frames.frames.front().second;
  CHECK(syn.size() == 66);
  CHECK(syn[14 + 8] == 128);  // IPv4 TTL: Windows' default
  const auto view = wire::TcpSegmentView::check(std::span<const std::uint8_t>(syn).subspan(34));
  REQUIRE(view.ok());
  const wire::TcpRepr repr = wire::TcpRepr::parse(view.value()).value();
  using K = wire::TcpOptionKind;
  CHECK(repr.layout == wire::TcpOptionLayout::of({K::kMss, K::kNop, K::kWindowScale, K::kNop,
                                                   K::kNop, K::kSackPermitted}));
  CHECK(repr.window == 64240);
  CHECK(r.server_app.apps.at(0)->in == r.client_out);
  CHECK(r.client_app->in == r.server_out);
}

}  // namespace
}  // namespace wiresim::tcp::test

namespace wiresim::tcp::test {
namespace {

struct IpIdSeen {
  std::uint16_t id;
  bool syn_ack;
  std::uint16_t src_port;
};

/// The IPv4 ID, SYN-ACK-ness and source port of every TCP frame an interface sent.
std::vector<IpIdSeen> ip_ids(const std::vector<std::pair<Time, std::vector<std::uint8_t>>>& frames) {
  std::vector<IpIdSeen> out;
  for (const auto& [t, bytes] : frames) {
    const auto eth = wire::EthernetFrameView::check(bytes);
    REQUIRE(eth);
    const auto ip = wire::Ipv4PacketView::check(eth.value().payload());
    REQUIRE(ip);
    const auto tcp = wire::TcpSegmentView::check(ip.value().payload());
    REQUIRE(tcp);
    const std::uint8_t f = tcp.value().flags();
    out.push_back({ip.value().identification(), (f & wire::kSyn) != 0 && (f & wire::kAck) != 0,
                   tcp.value().src_port()});
  }
  return out;
}

TEST_CASE("linux IP IDs: per connection from a random start, +1 per packet, SYN-ACK 0", "[tcp][stack][ipid]") {
  TwoHosts h(plain_config());
  FrameLog client_frames, server_frames;
  h.client_if.add_observer(client_frames);
  h.server_if.add_observer(server_frames);
  Run r1(h, 3000, 3000);
  StreamApp second(h.sim, random_bytes(3, 3000));
  second.socket = h.client.connect(kServerAddr, 80, second);
  h.sim.run();
  h.client_if.remove_observer(client_frames);
  h.server_if.remove_observer(server_frames);
  std::map<std::uint16_t, std::vector<std::uint16_t>> by_port;  // client side: by local port
  for (const IpIdSeen& s : ip_ids(client_frames.frames)) by_port[s.src_port].push_back(s.id);
  REQUIRE(by_port.size() == 2);
  std::vector<std::uint16_t> starts;
  for (const auto& [port, ids] : by_port) {
    starts.push_back(ids.front());
    for (std::size_t i = 1; i < ids.size(); ++i) CHECK(ids[i] == static_cast<std::uint16_t>(ids[i - 1] + 1));
  }
  CHECK(static_cast<std::uint16_t>(starts[1] - starts[0]) > 16);  // not one host counter
  const auto server_ids = ip_ids(server_frames.frames);
  CHECK(std::count_if(server_ids.begin(), server_ids.end(), [](const IpIdSeen& s) { return s.syn_ack; }) == 2);
  for (const IpIdSeen& s : server_ids) {
    if (s.syn_ack) CHECK(s.id == 0);  // ip_build_and_send_pkt: DF, ID 0
  }
}

TEST_CASE("windows IP IDs: one counter per host across connections", "[tcp][stack][ipid]") {
  TwoHostsConfig cfg = plain_config();
  cfg.client_profile = windows_profile();
  cfg.server_profile = windows_profile();
  TwoHosts h(cfg);
  FrameLog client_frames;
  h.client_if.add_observer(client_frames);
  Run r1(h, 100, 100);
  StreamApp second(h.sim, random_bytes(3, 100));
  second.socket = h.client.connect(kServerAddr, 80, second);
  h.sim.run();
  h.client_if.remove_observer(client_frames);
  const auto ids = ip_ids(client_frames.frames);
  REQUIRE(ids.size() > 4);
  for (std::size_t i = 1; i < ids.size(); ++i) CHECK(ids[i].id == static_cast<std::uint16_t>(ids[i - 1].id + 1));
}

TEST_CASE("open_connections lists many connections oldest first, whatever the demux table's order",
          "[tcp][stack][trace]") {
  // The stack finds connections through hash tables; the end-of-run list
  // must still come in the order the connections were opened.
  struct Idle : SocketHandler {};
  TwoHosts h(plain_config());
  Idle idle;
  std::vector<FourTuple> opened;
  for (int i = 0; i < 300; ++i) {
    [[maybe_unused]] const Socket s = h.client.connect(kServerAddr, 80, idle);
    const auto now_open = h.client.open_connections();
    REQUIRE(now_open.size() == opened.size() + 1);
    opened.push_back(now_open.back().tuple);  // the newest is last
  }
  const auto all = h.client.open_connections();
  REQUIRE(all.size() == opened.size());
  for (std::size_t i = 0; i < all.size(); ++i) CHECK(all[i].tuple == opened[i]);
  // Ephemeral ports are handed out in sequence (wrapping at the range's end).
  for (std::size_t i = 1; i < opened.size(); ++i) {
    const auto& p = h.client.profile();
    const std::uint16_t next = opened[i - 1].local.port == p.ephemeral_last
                                   ? p.ephemeral_first
                                   : static_cast<std::uint16_t>(opened[i - 1].local.port + 1);
    CHECK(opened[i].local.port == next);
  }
  // Every one of them is demultiplexed to its own connection: the server
  // has no listener on port 80, so each SYN draws a RST and each client
  // connection ends.
  h.sim.run();
  CHECK(h.client.open_connections().empty());
  CHECK(h.server.stats().resets_sent >= 300);  // more if a full queue dropped a SYN or a RST
}

TEST_CASE("the demux table finds, replaces and erases tuples as a map does, through wrapping runs",
          "[tcp][stack]") {
  // Open addressing with backward-shift erase: after any mix of inserts
  // and erases every key left is found and every key erased is not.
  FourTupleTable table;
  std::map<FourTuple, std::uint64_t> expect;
  const auto tuple = [](std::uint32_t k) {
    return FourTuple{Endpoint{wire::Ipv4Address{0x0a000001u}, 80},
                     Endpoint{wire::Ipv4Address{0x0a640000u + k / 7}, static_cast<std::uint16_t>(40000 + k % 7)}};
  };
  std::uint64_t next_id = 1;
  for (std::uint32_t k = 0; k < 3000; ++k) {
    table.assign(tuple(k), next_id);
    expect[tuple(k)] = next_id++;
  }
  table.assign(tuple(5), 9999);  // replaces
  expect[tuple(5)] = 9999;
  CHECK_FALSE(table.erase(tuple(6), 12345));  // not its id: kept
  for (std::uint32_t k = 0; k < 3000; k += 3) {
    CHECK(table.erase(tuple(k), expect.at(tuple(k))));
    expect.erase(tuple(k));
  }
  CHECK_FALSE(table.erase(tuple(0), 1));  // gone already
  REQUIRE(table.size() == expect.size());
  for (std::uint32_t k = 0; k < 3100; ++k) {
    const auto it = expect.find(tuple(k));
    CHECK(table.find(tuple(k)) == (it == expect.end() ? 0 : it->second));
  }
  for (std::uint32_t k = 0; k < 3000; k += 3) table.assign(tuple(k), k + 100000);  // back in, into the shifted runs
  for (std::uint32_t k = 0; k < 3000; ++k) {
    CHECK(table.find(tuple(k)) == (k % 3 == 0 ? k + 100000 : expect.at(tuple(k))));
  }
}

}  // namespace
}  // namespace wiresim::tcp::test
