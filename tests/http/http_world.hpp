#pragma once
/// A small test world for the HTTP server and browser: a client host and a
/// server host (the lab's addresses) joined by one link, a TcpStack on
/// each, servers and browsers added on demand, an optional capture at the
/// client's NIC, a log of every TCP segment on the wire, and raw peers
/// (a client and a server that send exactly the bytes they are given).

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "wiresim/capture/capture_file.hpp"
#include "wiresim/capture/capture_tap.hpp"
#include "wiresim/core/rng.hpp"
#include "wiresim/core/simulator.hpp"
#include "wiresim/http/browser.hpp"
#include "wiresim/http/server.hpp"
#include "wiresim/http/site.hpp"
#include "wiresim/net/interface.hpp"
#include "wiresim/net/link.hpp"
#include "wiresim/net/node.hpp"
#include "wiresim/net/packet_observer.hpp"
#include "wiresim/net/packet_pool.hpp"
#include "wiresim/tcp/profile.hpp"
#include "wiresim/tcp/tcp_stack.hpp"

namespace wiresim::http::test {

/// Simulated t=0 is 2023-10-25T14:30:00Z (Unix ns).
inline constexpr std::int64_t kStartUnixNs = 1'698'244'200'000'000'000;
/// Last-Modified of the site files: 2023-10-20T08:00:00Z (Unix s).
inline constexpr std::int64_t kLastModified = 1'697'788'800;

inline const wire::Ipv4Address kClientAddr = wire::Ipv4Address::from_octets(10, 130, 98, 8);
inline const wire::Ipv4Address kServerAddr = wire::Ipv4Address::from_octets(10, 130, 197, 105);

/// $WIRESIM_SOURCE_DIR/scenarios/sites/lab.
std::filesystem::path lab_dir();
/// The lab site, as the server serves it.
Site lab_site();
/// The bytes of a lab site file ("index.html").
std::string lab_file(const std::string& name);

/// One direction of a LAN: 100 Mbit/s, 2 ms, `loss` Bernoulli.
net::LinkDirectionConfig lan(double loss = 0.0);

struct HttpWorldConfig {
  std::uint64_t seed = 1;
  tcp::TcpProfile client_tcp = tcp::windows_profile();
  tcp::TcpProfile server_tcp = tcp::windows_profile();
  net::LinkDirectionConfig to_server = lan();
  net::LinkDirectionConfig to_client = lan();
};

/// One TCP segment as the link accepted (or dropped) it.
struct WireSegment {
  Time at;
  bool to_server = true;
  std::uint16_t src_port = 0;
  std::uint16_t dst_port = 0;
  std::uint8_t flags = 0;   ///< wire::TcpFlag bits
  std::size_t payload = 0;  ///< bytes
  bool dropped = false;
};

/// Records every TCP segment crossing the link.
class SegmentLog final : public net::PacketObserver {
 public:
  void on_wire(Time now, const net::Link& link, net::LinkDirection dir, std::span<const std::uint8_t> frame,
               std::uint64_t uid) override;
  void on_drop(Time now, const net::Link& link, net::LinkDirection dir, std::span<const std::uint8_t> frame,
               std::uint64_t uid, net::DropCause cause) override;
  std::vector<WireSegment> segments;

 private:
  void add(Time now, net::LinkDirection dir, std::span<const std::uint8_t> frame, bool dropped);
};

class HttpWorld final : private BrowserObserver {
 public:
  explicit HttpWorld(const HttpWorldConfig& config = {});
  HttpWorld(const HttpWorld&) = delete;
  HttpWorld& operator=(const HttpWorld&) = delete;
  ~HttpWorld() override;

  /// A started server on the server host (the lab site unless given).
  HttpServer& add_server(HttpServerConfig config = {}, std::optional<Site> site = std::nullopt);
  /// A started browser on the client host; the host name "server" resolves
  /// to the server's address, and HAR dates use kStartUnixNs.
  Browser& add_browser(BrowserConfig config);
  /// Records the client NIC into `path` from now on.
  void capture_client(const std::string& path, capture::CaptureFormat format = capture::CaptureFormat::kPcap);
  /// Writes out the capture file.
  void close_capture();

  /// Runs until every browser finished (then stops) or `limit` of
  /// simulated time passed. True if every browser finished.
  bool run(Duration limit = Duration::seconds(900));
  /// Runs until nothing is left to do, or `limit`.
  void run_all(Duration limit = Duration::seconds(900)) { sim.run_until(sim.now() + limit); }

  /// "http://10.130.197.105[:port]/path".
  static std::string server_url(std::uint16_t port = 80, const std::string& path = "/");

  Simulator sim;
  net::PacketPool pool;
  net::Node client_node{sim, "client", 0};
  net::Node server_node{sim, "server", 1};
  net::Interface& client_if;
  net::Interface& server_if;
  net::Link link;
  tcp::TcpStack client;
  tcp::TcpStack server;
  SegmentLog wire_log;
  std::unique_ptr<capture::CaptureFile> capture;
  std::unique_ptr<capture::NodeTap> tap;
  std::vector<std::unique_ptr<HttpServer>> servers;
  std::vector<std::unique_ptr<Browser>> browsers;

 private:
  void on_finished(Browser& b) override;
  std::size_t finished_ = 0;
};

/// A client that sends exactly the bytes it is given and records what comes back.
class RawClient final : public tcp::SocketHandler {
 public:
  explicit RawClient(HttpWorld& world) : world_(world) {}
  ~RawClient() override { socket.set_handler(nullptr); }
  RawClient(const RawClient&) = delete;
  RawClient& operator=(const RawClient&) = delete;

  /// Connects to the server host's `port`; `bytes` go out once connected.
  void connect(std::uint16_t port = 80, std::string bytes = {});
  /// Sends now (or once connected).
  void send(const std::string& bytes);
  /// Sends at simulated time `at`.
  void send_at(Time at, std::string bytes);

  void on_connected(tcp::Socket& s) override;
  void on_readable(tcp::Socket& s) override;
  void on_peer_closed(tcp::Socket& s) override;
  void on_error(tcp::Socket& /*s*/, tcp::ConnectionError e) override { error = e; }
  void on_closed(tcp::Socket& s) override;

  tcp::Socket socket;
  std::string received;
  std::optional<Time> connected_at;
  std::optional<Time> first_byte_at;
  std::optional<Time> peer_fin_at;
  std::optional<tcp::ConnectionError> error;
  bool closed = false;

 private:
  HttpWorld& world_;
  std::string pending_;
};

/// A server that answers each connection's first bytes with `reply` (then
/// closes if `close_after`), or resets the connection if `reset` is set.
class RawServer final : public tcp::ListenHandler, public tcp::SocketHandler {
 public:
  RawServer(HttpWorld& world, std::uint16_t port, std::string reply, bool close_after = true, bool reset = false);
  void on_acceptable(tcp::Listener& l) override;
  void on_readable(tcp::Socket& s) override;
  void on_peer_closed(tcp::Socket& s) override { s.close(); }

 private:
  std::string reply_;
  bool close_after_;
  bool reset_;
};

}  // namespace wiresim::http::test
