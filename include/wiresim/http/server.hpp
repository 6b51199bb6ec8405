#pragma once
/// An HTTP/1.1 origin server: serves a loaded Site on one port of a host's
/// TcpStack. GET and HEAD of the site's files (200, 304, 404, ...), other
/// methods 405, malformed requests 400 (or the more specific status of the
/// parse error) and then close, HTTP/1.0 and HTTP/1.1 with persistent
/// connections, pipelining, a keep-alive timeout and an optional
/// processing delay. See ServerConnection for one connection and
/// reply_to() for the answer to one request.
///
///   HttpServer server(sim, stack, Site::load(dir, last_modified), config);
///   server.start();   // listens on config.port
///
/// Lifetime: the Simulator and the TcpStack must outlive the server (a
/// World declares them first). Destroying the server stops listening and
/// detaches its connections.

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <vector>

#include "wiresim/core/simulator.hpp"
#include "wiresim/http/server_config.hpp"
#include "wiresim/http/server_connection.hpp"
#include "wiresim/http/site.hpp"
#include "wiresim/tcp/socket.hpp"
#include "wiresim/tcp/tcp_stack.hpp"

namespace wiresim::http {

class HttpServer final : public tcp::ListenHandler, private ServerConnectionOwner {
 public:
  /// `site` is shared, never copied or changed: a sweep loads each site
  /// once and every world's server serves the same immutable Site (from
  /// any thread). Must not be null.
  /// `rng` draws the processing delays (the app's own named stream).
  HttpServer(Simulator& sim, tcp::TcpStack& stack, std::shared_ptr<const Site> site, HttpServerConfig config,
             Rng rng = Rng(0));
  /// A site of this server's own.
  HttpServer(Simulator& sim, tcp::TcpStack& stack, Site site, HttpServerConfig config, Rng rng = Rng(0));
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;
  ~HttpServer() override;

  /// Listens on config().port. Throws std::invalid_argument if that port
  /// already listens on this stack, std::logic_error if already started.
  void start();
  /// Stops listening; connections already accepted go on until they close.
  void stop();

  [[nodiscard]] const HttpServerConfig& config() const { return config_; }
  [[nodiscard]] const HttpServerStats& stats() const { return stats_; }
  [[nodiscard]] const Site& site() const { return *site_; }
  /// Accepted connections not yet closed (TIME-WAIT included).
  [[nodiscard]] std::size_t open_connections() const { return connections_.size(); }
  [[nodiscard]] bool listening() const { return listener_.valid(); }

  // tcp::ListenHandler
  void on_acceptable(tcp::Listener& l) override;

 private:
  void on_connection_done(std::uint64_t id) override;
  void on_h2_preface(std::uint64_t id, tcp::Socket socket) override;
  void schedule_reap();
  void reap();

  Simulator& sim_;
  tcp::TcpStack& stack_;
  std::shared_ptr<const Site> site_;  ///< never null
  HttpServerConfig config_;
  HttpServerStats stats_;
  Rng rng_;
  tcp::Listener listener_;
  bool started_ = false;
  std::uint64_t next_id_ = 1;
  std::map<std::uint64_t, std::unique_ptr<AcceptedConnection>> connections_;  ///< by id, accept order
  std::vector<std::uint64_t> done_;  ///< closed, destroyed by reap()
  std::vector<std::unique_ptr<AcceptedConnection>> replaced_;  ///< HTTP/1.1 halves of h2c connections, destroyed by reap()
  Timer reap_timer_;
};

}  // namespace wiresim::http
