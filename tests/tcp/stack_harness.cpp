#include "stack_harness.hpp"

#include <algorithm>

namespace wiresim::tcp::test {

void WireTranscript::on_wire(Time now, const net::Link&, net::LinkDirection dir,
                             std::span<const std::uint8_t> frame, std::uint64_t uid) {
  line(now, dir, frame, uid, "");
}

void WireTranscript::on_drop(Time now, const net::Link&, net::LinkDirection dir,
                             std::span<const std::uint8_t> frame, std::uint64_t uid,
                             net::DropCause cause) {
  line(now, dir, frame, uid, cause == net::DropCause::kLossModel ? " LOST" : " DROPPED");
}

void WireTranscript::line(Time now, net::LinkDirection dir, std::span<const std::uint8_t> frame,
                          std::uint64_t uid, const char* note) {
  constexpr std::size_t kL2L3 = 34;  // Ethernet + IPv4 without options
  if (frame.size() < kL2L3) return;
  const auto view = wire::TcpSegmentView::check(frame.subspan(kL2L3));
  if (!view.ok()) return;
  const wire::TcpRepr r = wire::TcpRepr::parse(view.value()).value();
  text += to_string(now) + (dir == net::LinkDirection::kAToB ? " c>s #" : " s>c #") +
          std::to_string(uid) + " " + wire::describe(r, view.value().payload().size()) + note + "\n";
}

bool TransitionLog::visited(const FourTuple& conn, TcpState s) const {
  return entered(conn, s) != Time::max();
}

Time TransitionLog::entered(const FourTuple& conn, TcpState s) const {
  const auto it = steps.find(conn);
  if (it == steps.end()) return Time::max();
  for (const Step& st : it->second) {
    if (st.to == s) return st.at;
  }
  return Time::max();
}

TwoHosts::TwoHosts(const TwoHostsConfig& cfg)
    : client_if(client_node.add_interface("client-0", wire::MacAddress::local(1),
                                          wire::Ipv4Prefix{kClientAddr, 24})),
      server_if(server_node.add_interface("server-0", wire::MacAddress::local(2),
                                          wire::Ipv4Prefix{kServerAddr, 24})),
      link(sim, "l", client_if, server_if, cfg.to_server, cfg.to_client,
           Rng::stream(cfg.seed, "link/l/a->b"), Rng::stream(cfg.seed, "link/l/b->a")),
      client(sim, client_node, pool, cfg.client_profile, Rng::stream(cfg.seed, "host/client/tcp")),
      server(sim, server_node, pool, cfg.server_profile, Rng::stream(cfg.seed, "host/server/tcp")) {
  client.set_observer(&log);
  server.set_observer(&log);
}

void StreamApp::start(Socket s) {
  socket = s;
  connected = true;
  pump(socket);
}

void StreamApp::pump(Socket& s) {
  while (sent_ < out_.size()) {
    const std::size_t n = s.send(std::span<const std::uint8_t>(out_).subspan(sent_));
    if (n == 0) break;
    sent_ += n;
  }
  if (sent_ == out_.size() && !shut) {
    shut = true;
    s.shutdown_write();
  }
  maybe_close();
}

void StreamApp::on_readable(Socket& s) {
  socket = s;
  if (read_delay_ == Duration::zero()) return drain();
  if (drain_scheduled_) return;
  drain_scheduled_ = true;
  sim_.schedule_in(read_delay_, [this] {
    drain_scheduled_ = false;
    drain();
  });
}

void StreamApp::drain() {
  std::vector<std::uint8_t> buf(std::min(read_chunk_, socket.readable()));
  buf.resize(socket.read(buf));
  in.insert(in.end(), buf.begin(), buf.end());
  if (socket.readable() > 0 && !drain_scheduled_) {
    drain_scheduled_ = true;
    sim_.schedule_in(std::max(read_delay_, 1_ms), [this] {
      drain_scheduled_ = false;
      drain();
    });
  }
  maybe_close();
}

void StreamApp::on_peer_closed(Socket& s) {
  socket = s;
  peer_fin = true;
  maybe_close();
}

void StreamApp::maybe_close() {
  if (peer_fin && shut && socket.readable() == 0 && socket.valid()) socket.close();
}

void StreamServer::on_acceptable(Listener& l) {
  while (l.pending() > 0) {
    apps.push_back(make_());
    auto s = l.accept(*apps.back());
    REQUIRE(s.has_value());
    apps.back()->start(*s);
  }
}

std::vector<std::uint8_t> random_bytes(std::uint64_t seed, std::size_t n) {
  Rng rng(seed, 77);
  std::vector<std::uint8_t> v(n);
  for (auto& b : v) b = static_cast<std::uint8_t>(rng.next_u64());
  return v;
}

}  // namespace wiresim::tcp::test
