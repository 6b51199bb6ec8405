#pragma once
/// Two hosts, each with a TcpStack, joined by one net::Link; and a small
/// application that streams bytes both ways and records what it sees.

#include <catch2/catch.hpp>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "wiresim/core/rng.hpp"
#include "wiresim/core/simulator.hpp"
#include "wiresim/net/interface.hpp"
#include "wiresim/net/link.hpp"
#include "wiresim/net/node.hpp"
#include "wiresim/net/packet_observer.hpp"
#include "wiresim/net/packet_pool.hpp"
#include "wiresim/tcp/socket.hpp"
#include "wiresim/tcp/tcp_stack.hpp"

namespace wiresim::tcp::test {

using namespace wiresim::literals;

inline const wire::Ipv4Address kClientAddr = wire::Ipv4Address::from_octets(10, 0, 0, 1);
inline const wire::Ipv4Address kServerAddr = wire::Ipv4Address::from_octets(10, 0, 0, 2);

/// Records transitions per connection (by its local endpoint).
class TransitionLog : public TcpObserver {
 public:
  struct Step {
    Time at;
    TcpState from, to;
    std::string cause;
  };
  void on_transition(Time now, const FourTuple& conn, TcpState from, TcpState to,
                     const TransitionCause& cause) override {
    steps[conn].push_back({now, from, to, to_string(cause)});
  }
  void on_counters(Time, const FourTuple& conn, const ConnectionCounters& c) override {
    final_counters[conn] = c;
  }
  void on_congestion(Time, const FourTuple&, const CongestionSnapshot&) override { ++congestion_reports; }
  /// True if `conn` ever entered `s`.
  [[nodiscard]] bool visited(const FourTuple& conn, TcpState s) const;
  /// When `conn` first entered `s`; Time::max() if never.
  [[nodiscard]] Time entered(const FourTuple& conn, TcpState s) const;

  std::map<FourTuple, std::vector<Step>> steps;
  std::map<FourTuple, ConnectionCounters> final_counters;
  std::uint64_t congestion_reports = 0;
};

/// A tcpdump-like transcript of the TCP segments on a link, drops marked:
/// a debugging aid (tests print it for a failing seed on request).
class WireTranscript : public net::PacketObserver {
 public:
  void on_wire(Time now, const net::Link& link, net::LinkDirection dir,
               std::span<const std::uint8_t> frame, std::uint64_t uid) override;
  void on_drop(Time now, const net::Link& link, net::LinkDirection dir,
               std::span<const std::uint8_t> frame, std::uint64_t uid, net::DropCause cause) override;
  std::string text;

 private:
  void line(Time now, net::LinkDirection dir, std::span<const std::uint8_t> frame,
            std::uint64_t uid, const char* note);
};

struct TwoHostsConfig {
  TcpProfile client_profile = linux_profile();
  TcpProfile server_profile = linux_profile();
  net::LinkDirectionConfig to_server{};  ///< client -> server direction
  net::LinkDirectionConfig to_client{};
  std::uint64_t seed = 1;
};

/// client 10.0.0.1 <-> server 10.0.0.2 over one point-to-point link.
struct TwoHosts {
  explicit TwoHosts(const TwoHostsConfig& cfg);

  Simulator sim;
  net::PacketPool pool;
  net::Node client_node{sim, "client", 0};
  net::Node server_node{sim, "server", 1};
  net::Interface& client_if;
  net::Interface& server_if;
  net::Link link;
  TransitionLog log;
  TcpStack client;
  TcpStack server;
};

/// Writes `out` as fast as the socket takes it, then shuts down writing;
/// reads `read_chunk` bytes per `read_delay` (all at once if the delay is
/// zero); closes once it has read the peer's FIN and sent its own.
class StreamApp : public SocketHandler {
 public:
  StreamApp(Simulator& sim, std::vector<std::uint8_t> out, std::size_t read_chunk = 1 << 30,
            Duration read_delay = Duration::zero())
      : sim_(sim), out_(std::move(out)), read_chunk_(read_chunk), read_delay_(read_delay) {}

  /// For accepted sockets, which get no on_connected.
  void start(Socket s);

  void on_connected(Socket& s) override { start(s); }
  void on_readable(Socket& s) override;
  void on_writable(Socket& s) override { pump(s); }
  void on_peer_closed(Socket& s) override;
  void on_error(Socket&, ConnectionError e) override { error = e; }
  void on_closed(Socket&) override { closed = true; }

  std::vector<std::uint8_t> in;
  bool peer_fin = false;
  bool shut = false;
  bool closed = false;
  bool connected = false;
  std::optional<ConnectionError> error;
  Socket socket;

 private:
  void pump(Socket& s);
  void drain();
  void maybe_close();

  Simulator& sim_;
  std::vector<std::uint8_t> out_;
  std::size_t sent_ = 0;
  std::size_t read_chunk_;
  Duration read_delay_;
  bool drain_scheduled_ = false;
};

/// Accepts every connection and serves it with a StreamApp built by `make`.
class StreamServer : public ListenHandler {
 public:
  explicit StreamServer(std::function<std::unique_ptr<StreamApp>()> make) : make_(std::move(make)) {}
  void on_acceptable(Listener& l) override;
  std::vector<std::unique_ptr<StreamApp>> apps;

 private:
  std::function<std::unique_ptr<StreamApp>()> make_;
};

/// `n` bytes from a seeded generator.
std::vector<std::uint8_t> random_bytes(std::uint64_t seed, std::size_t n);

}  // namespace wiresim::tcp::test
