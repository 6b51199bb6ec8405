#pragma once
/// The application's view of TCP: handles on connections and listening
/// ports, and one narrow handler interface per kind (virtual methods, each
/// with an empty default) instead of a web of stored callbacks.
///
/// Handles are cheap values naming a connection inside its TcpStack. Once
/// the connection is gone (after SocketHandler::on_closed) a handle is dead:
/// valid() is false and every call does nothing and returns 0 / false.
///
/// Callbacks run synchronously inside the stack, after the connection has
/// finished processing the event; handlers may call any Socket method,
/// including close() and abort().

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "wiresim/tcp/connection.hpp"
#include "wiresim/tcp/state.hpp"
#include "wiresim/tcp/trace.hpp"

namespace wiresim::tcp {

class TcpStack;
class Socket;
class Listener;

/// What the application hears about one connection.
class SocketHandler {
 public:
  virtual ~SocketHandler() = default;
  /// An active open completed (ESTABLISHED). Accepted sockets are already
  /// connected and do not get this.
  virtual void on_connected(Socket& /*s*/) {}
  /// New bytes can be read; read them now or later (the window closes
  /// while they wait).
  virtual void on_readable(Socket& /*s*/) {}
  /// send() would take more bytes again (after one that took fewer than offered).
  virtual void on_writable(Socket& /*s*/) {}
  /// The peer sent its FIN: nothing follows the bytes already readable.
  virtual void on_peer_closed(Socket& /*s*/) {}
  /// Connection refused (RST to our SYN), reset, or timed out. on_closed follows.
  virtual void on_error(Socket& /*s*/, ConnectionError /*e*/) {}
  /// The connection is gone; the handle is dead after this call.
  virtual void on_closed(Socket& /*s*/) {}

 protected:
  SocketHandler() = default;
  SocketHandler(const SocketHandler&) = default;
  SocketHandler& operator=(const SocketHandler&) = default;
};

/// What the application hears about a listening port.
class ListenHandler {
 public:
  virtual ~ListenHandler() = default;
  /// An established connection waits in the accept queue: call accept().
  virtual void on_acceptable(Listener& l) = 0;

 protected:
  ListenHandler() = default;
  ListenHandler(const ListenHandler&) = default;
  ListenHandler& operator=(const ListenHandler&) = default;
};

/// A handle on one connection.
class Socket {
 public:
  Socket() = default;

  /// The connection still exists and has not reported on_closed.
  [[nodiscard]] bool valid() const;
  /// Queues up to send_space() bytes; returns how many were taken. If not
  /// all, on_writable follows when space frees.
  std::size_t send(std::span<const std::uint8_t> data);
  std::size_t send(std::string_view data);
  /// As send(), without copying: the bytes are queued by reference and
  /// `owner` keeps them alive; they must not change until acknowledged.
  std::size_t send_shared(std::shared_ptr<const void> owner, std::span<const std::uint8_t> data);
  /// As send_shared() of each piece in turn, as one write: segmented
  /// exactly as send() of their concatenation (a response head and its
  /// body leave together). Returns the bytes taken, a prefix of it.
  std::size_t send_shared(std::span<const SharedBytes> pieces);
  /// Bytes send() would take now.
  [[nodiscard]] std::size_t send_space() const;
  /// Bytes queued and not yet acknowledged by the peer.
  [[nodiscard]] std::size_t send_queued() const;
  /// Reads up to out.size() in-order bytes; returns the count.
  std::size_t read(std::span<std::uint8_t> out);
  /// Zero-copy reading: the first min(n, readable()) in-order bytes in one
  /// or two runs (two where the receive ring wraps), left in place until
  /// consume(). Valid until the next call into this socket's stack.
  [[nodiscard]] std::array<std::span<const std::uint8_t>, 2> peek(std::size_t n) const;
  /// Drops n peeked bytes: on the wire exactly as read() of n bytes.
  /// Returns the count (n clipped to readable()).
  std::size_t consume(std::size_t n);
  /// Reads everything readable.
  std::vector<std::uint8_t> read_all();
  [[nodiscard]] std::size_t readable() const;
  /// The peer's FIN was received.
  [[nodiscard]] bool peer_closed() const;
  /// Half-close: a FIN follows the queued data; reading goes on.
  void shutdown_write();
  /// Full close: as shutdown_write, and no more reading (unread or later
  /// data resets the connection, as Linux does).
  void close();
  /// Sends an RST and drops the connection.
  void abort();
  /// Nagle's algorithm for this connection (default: the profile's).
  void set_nagle(bool on);
  /// TCP_CORK: see Connection::set_cork.
  void set_cork(bool on);
  /// TCP keep-alive for this connection (nullopt: off, the default); see
  /// KeepAlive. Idle time counts from now or the next segment heard.
  void set_keepalive(std::optional<KeepAlive> k);
  /// Replaces the handler (nullptr: no more callbacks).
  void set_handler(SocketHandler* h);

  [[nodiscard]] TcpState state() const;
  [[nodiscard]] FourTuple tuple() const;
  [[nodiscard]] ConnectionError error() const;
  /// Counters so far (all zero for a dead handle).
  [[nodiscard]] ConnectionCounters counters() const;
  /// The stack's id for this connection (unique within the stack, never 0).
  [[nodiscard]] std::uint64_t id() const { return id_; }
  bool operator==(const Socket& o) const { return stack_ == o.stack_ && id_ == o.id_; }

 private:
  friend class TcpStack;
  Socket(TcpStack* stack, std::uint64_t id) : stack_(stack), id_(id) {}
  /// An application call: f(connection, now) on the live connection, inside
  /// a stack scope, then its timer re-armed. Nothing for a dead handle.
  template <class F>
  void with_live(F&& f);
  TcpStack* stack_ = nullptr;
  std::uint64_t id_ = 0;
};

/// A handle on a listening port.
class Listener {
 public:
  Listener() = default;

  [[nodiscard]] bool valid() const;
  [[nodiscard]] std::uint16_t port() const { return port_; }
  /// The oldest established connection not yet accepted, now owned by the
  /// app through `handler`; nullopt if none waits. Bytes or a FIN that
  /// arrived before accept are reported (on_readable, on_peer_closed) from
  /// a zero-delay event right after.
  std::optional<Socket> accept(SocketHandler& handler);
  /// Established connections waiting for accept().
  [[nodiscard]] std::size_t pending() const;
  /// Stops listening; connections not yet accepted are reset.
  void close();

 private:
  friend class TcpStack;
  Listener(TcpStack* stack, std::uint16_t port) : stack_(stack), port_(port) {}
  TcpStack* stack_ = nullptr;
  std::uint16_t port_ = 0;
};

}  // namespace wiresim::tcp
