#pragma once
/// A browser's connections to one server (address and port), the requests
/// waiting for one of them, and the choice of where the next one goes.
/// Requests are bound late, as in Chromium's socket pools: a waiting
/// request takes whichever connection becomes usable first, not the one
/// opened for it.
///
/// Choice for the request at the head of the queue:
///  1. an idle connection, preferring one that has carried requests (warm,
///     and so an unused preconnect stays unused), the most recently active
///     first, then the oldest unused one;
///  2. else a new connection, if fewer than max_connections are open and
///     fewer are being opened than requests wait;
///  3. else, when pipelining, the open connection with the fewest requests
///     in flight that has room for one more;
///  4. else the request waits.

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "wiresim/http/client_connection.hpp"
#include "wiresim/wire/address.hpp"

namespace wiresim::http {

class ConnectionPool {
 public:
  ConnectionPool(std::string server, wire::Ipv4Address address, std::uint16_t port, int max_connections);

  [[nodiscard]] const std::string& server() const { return server_; }
  [[nodiscard]] wire::Ipv4Address address() const { return address_; }
  [[nodiscard]] std::uint16_t port() const { return port_; }

  /// Tags of the requests waiting for a connection, oldest first.
  [[nodiscard]] std::deque<std::uint64_t>& waiting() { return waiting_; }
  [[nodiscard]] const std::deque<std::uint64_t>& waiting() const { return waiting_; }

  /// Takes ownership of a connection just opened to this server.
  void adopt(std::unique_ptr<ClientConnection> connection);
  /// Rule 1, or nullptr.
  [[nodiscard]] ClientConnection* idle_connection() const;
  /// Rule 2: may a connection be opened for the waiting requests?
  [[nodiscard]] bool may_open_for_waiting() const;
  /// May any connection be opened (below max_connections)?
  [[nodiscard]] bool below_limit() const { return live() < static_cast<std::size_t>(max_connections_); }
  /// Rule 3, or nullptr.
  [[nodiscard]] ClientConnection* pipeline_connection() const;

  /// Asks for `n` speculative connections to be opened with the next dispatch.
  void add_preconnects(int n) { preconnects_ += n; }
  /// The speculative connections asked for, now cleared.
  [[nodiscard]] int take_preconnects() { return std::exchange(preconnects_, 0); }

  /// Connections not yet released (connecting or open).
  [[nodiscard]] std::size_t live() const;
  /// Connections still being opened.
  [[nodiscard]] std::size_t connecting() const;
  /// Hands every connection's queued request bytes to TCP.
  void flush();
  /// Connections not yet settled (ClientConnection::settled()).
  [[nodiscard]] std::size_t unsettled() const;
  /// Closes every connection from this side (the client exits), those the
  /// server already closed included.
  void close_all();
  /// Destroys settled connections (never call from inside their callbacks).
  void reap();

 private:
  std::string server_;
  wire::Ipv4Address address_;
  std::uint16_t port_;
  int max_connections_;
  std::deque<std::uint64_t> waiting_;
  int preconnects_ = 0;
  std::vector<std::unique_ptr<ClientConnection>> connections_;  ///< in opening order
};

}  // namespace wiresim::http
