#include "http_world.hpp"

#include <catch2/catch.hpp>

#include "http_test_util.hpp"
#include "wiresim/wire/tcp.hpp"

namespace wiresim::http::test {

std::filesystem::path lab_dir() { return lab_site_dir(); }

Site lab_site() { return Site::load(lab_dir(), kLastModified); }

std::string lab_file(const std::string& name) { return read_file(lab_dir() / name); }

net::LinkDirectionConfig lan(double loss) {
  net::LinkDirectionConfig c;
  c.rate = DataRate::mbps(100);
  c.delay = Duration::milliseconds(2);
  c.queue_packets = 1000;
  if (loss > 0.0) c.loss = net::LossModelConfig::bernoulli(loss);
  return c;
}

// ---- SegmentLog ----

void SegmentLog::on_wire(Time now, const net::Link& /*link*/, net::LinkDirection dir,
                         std::span<const std::uint8_t> frame, std::uint64_t /*uid*/) {
  add(now, dir, frame, false);
}

void SegmentLog::on_drop(Time now, const net::Link& /*link*/, net::LinkDirection dir,
                         std::span<const std::uint8_t> frame, std::uint64_t /*uid*/, net::DropCause /*cause*/) {
  add(now, dir, frame, true);
}

void SegmentLog::add(Time now, net::LinkDirection dir, std::span<const std::uint8_t> frame, bool dropped) {
  constexpr std::size_t kL2L3 = 14 + 20;  // Ethernet + IPv4 without options
  if (frame.size() < kL2L3) return;
  const auto view = wire::TcpSegmentView::check(frame.subspan(kL2L3));
  if (!view.ok()) return;
  const wire::TcpSegmentView& v = view.value();
  segments.push_back(WireSegment{now, dir == net::LinkDirection::kAToB, v.src_port(), v.dst_port(), v.flags(),
                                 v.payload().size(), dropped});
}

// ---- HttpWorld ----

HttpWorld::HttpWorld(const HttpWorldConfig& config)
    : client_if(client_node.add_interface("eth0", wire::MacAddress::local(1), wire::Ipv4Prefix{kClientAddr, 16})),
      server_if(server_node.add_interface("eth0", wire::MacAddress::local(2), wire::Ipv4Prefix{kServerAddr, 16})),
      link(sim, "lan", client_if, server_if, config.to_server, config.to_client,
           Rng::stream(config.seed, "link/lan/a->b"), Rng::stream(config.seed, "link/lan/b->a")),
      client(sim, client_node, pool, config.client_tcp, Rng::stream(config.seed, "host/client/tcp")),
      server(sim, server_node, pool, config.server_tcp, Rng::stream(config.seed, "host/server/tcp")) {
  link.add_observer(net::LinkDirection::kAToB, wire_log);
  link.add_observer(net::LinkDirection::kBToA, wire_log);
}

HttpWorld::~HttpWorld() {
  browsers.clear();
  servers.clear();
  tap.reset();
  capture.reset();
}

HttpServer& HttpWorld::add_server(HttpServerConfig config, std::optional<Site> site) {
  config.start_unix_ns = kStartUnixNs;
  servers.push_back(std::make_unique<HttpServer>(sim, server, site ? std::move(*site) : lab_site(), config));
  servers.back()->start();
  return *servers.back();
}

Browser& HttpWorld::add_browser(BrowserConfig config) {
  config.start_unix_ns = kStartUnixNs;
  config.hosts.emplace("server", kServerAddr);
  browsers.push_back(std::make_unique<Browser>(sim, client, std::move(config)));
  BrowserObserver& observer = *this;
  browsers.back()->set_observer(&observer);
  browsers.back()->start();
  return *browsers.back();
}

void HttpWorld::capture_client(const std::string& path, capture::CaptureFormat format) {
  capture = std::make_unique<capture::CaptureFile>(path, format, kStartUnixNs);
  tap = std::make_unique<capture::NodeTap>(*capture, client_node);
}

void HttpWorld::close_capture() {
  tap.reset();
  if (capture) capture->close();
}

bool HttpWorld::run(Duration limit) {
  if (finished_ < browsers.size()) sim.run_until(sim.now() + limit);
  return finished_ == browsers.size();
}

void HttpWorld::on_finished(Browser& /*b*/) {
  if (++finished_ == browsers.size()) sim.stop();
}

std::string HttpWorld::server_url(std::uint16_t port, const std::string& path) {
  std::string url = "http://" + kServerAddr.to_string();
  if (port != 80) url += ":" + std::to_string(port);
  return url + path;
}

// ---- RawClient ----

void RawClient::connect(std::uint16_t port, std::string bytes) {
  pending_ = std::move(bytes);
  socket = world_.client.connect(kServerAddr, port, *this);
}

void RawClient::send(const std::string& bytes) {
  if (!connected_at) {
    pending_ += bytes;
    return;
  }
  REQUIRE(socket.send(bytes) == bytes.size());
}

void RawClient::send_at(Time at, std::string bytes) {
  world_.sim.schedule_at(at, [this, b = std::move(bytes)] { send(b); });
}

void RawClient::on_connected(tcp::Socket& /*s*/) {
  connected_at = world_.sim.now();
  std::string pending;
  pending.swap(pending_);
  if (!pending.empty()) send(pending);
}

void RawClient::on_readable(tcp::Socket& s) {
  if (!first_byte_at) first_byte_at = world_.sim.now();
  const std::vector<std::uint8_t> bytes = s.read_all();
  received.append(bytes.begin(), bytes.end());
}

void RawClient::on_peer_closed(tcp::Socket& s) {
  peer_fin_at = world_.sim.now();
  s.close();
}

void RawClient::on_closed(tcp::Socket& /*s*/) { closed = true; }

// ---- RawServer ----

RawServer::RawServer(HttpWorld& world, std::uint16_t port, std::string reply, bool close_after, bool reset)
    : reply_(std::move(reply)), close_after_(close_after), reset_(reset) {
  world.server.listen(port, 16, *this);
}

void RawServer::on_acceptable(tcp::Listener& l) {
  while (l.pending() > 0) l.accept(*this);
}

void RawServer::on_readable(tcp::Socket& s) {
  s.read_all();
  if (reset_) return s.abort();
  s.send(reply_);
  if (close_after_) s.close();
}

}  // namespace wiresim::http::test
