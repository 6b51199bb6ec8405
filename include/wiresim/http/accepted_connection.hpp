#pragma once
/// What every connection an HttpServer accepted shares, whatever protocol
/// it speaks (HTTP/1.1: ServerConnection, HTTP/2: h2::ServerConnection):
/// its socket, owner and id, the three timers of nginx's connection life
/// (a response's processing delay, the keep-alive timeout, the close after
/// the client's FIN), the cached Date value, and the ways it ends: closed
/// by the server, failed (RST, retransmission timeout), or gone (TCP
/// reports on_closed). The protocols differ only in what they read and
/// write, and in what the keep-alive timeout does.

#include <cstdint>
#include <string>

#include "wiresim/core/rng.hpp"
#include "wiresim/core/simulator.hpp"
#include "wiresim/http/server_config.hpp"
#include "wiresim/http/site.hpp"
#include "wiresim/tcp/socket.hpp"

namespace wiresim::http {

/// What a connection tells the server that owns it.
class ServerConnectionOwner {
 public:
  virtual ~ServerConnectionOwner() = default;
  /// The connection `id` is gone (TCP reported on_closed): it may be
  /// destroyed, but not from inside this call.
  virtual void on_connection_done(std::uint64_t id) = 0;
  /// The client of connection `id` opened with the HTTP/2 connection
  /// preface (HttpServerConfig::h2c): the owner hands `socket`, its bytes
  /// unread, to an h2::ServerConnection. The HTTP/1.1 connection has
  /// detached itself; it may be destroyed, but not from inside this call.
  virtual void on_h2_preface(std::uint64_t /*id*/, tcp::Socket /*socket*/) {}

 protected:
  ServerConnectionOwner() = default;
  ServerConnectionOwner(const ServerConnectionOwner&) = default;
  ServerConnectionOwner& operator=(const ServerConnectionOwner&) = default;
};

class AcceptedConnection : public tcp::SocketHandler {
 public:
  AcceptedConnection(const AcceptedConnection&) = delete;
  AcceptedConnection& operator=(const AcceptedConnection&) = delete;
  ~AcceptedConnection() override = default;
  /// `site`, `config`, `stats`, `rng` and `owner` must outlive the
  /// connection. (Public so that the protocols inherit it; the class is abstract.)
  AcceptedConnection(Simulator& sim, const Site& site, const HttpServerConfig& config, HttpServerStats& stats, Rng& rng,
                     ServerConnectionOwner& owner, std::uint64_t id);

  /// Takes over `socket`, just accepted (or handed over) with this as its handler.
  virtual void start(tcp::Socket socket) = 0;
  /// Stops all callbacks (the server is going away, or another connection
  /// object takes the socket over); the TCP connection is left as it is.
  void detach();

  [[nodiscard]] std::uint64_t id() const { return id_; }
  [[nodiscard]] const tcp::Socket& socket() const { return socket_; }

  // tcp::SocketHandler: the two ways a connection ends, whatever it spoke.
  void on_error(tcp::Socket& s, tcp::ConnectionError e) final;
  void on_closed(tcp::Socket& s) final;

 protected:
  /// The connection failed (reset, timed out): forget the requests not yet
  /// answered and the output not yet written.
  virtual void drop_work() = 0;
  /// The keep-alive timeout expired (arm_idle) with nothing to do.
  virtual void on_idle_timeout() = 0;

  /// The Date value now; formatted once per simulated second.
  const std::string& date_now();
  /// (Re)starts the keep-alive timeout, unless it is off or the connection closed.
  void arm_idle();
  /// The client's FIN read as end of file: the server closes its end once it
  /// has run again (the same processing time as a request: an epoll wake-up,
  /// recv() returning 0, close()). Once per connection.
  void close_after_eof();
  /// close() on the socket, once; unread bytes are read and dropped first
  /// (closing with unread bytes would reset the connection, RFC 9293 §3.6.1
  /// as Linux's tcp_close does).
  void close_socket();
  /// Reads and drops whatever the socket holds.
  void discard_input();

  Simulator& sim_;
  const Site& site_;
  const HttpServerConfig& config_;
  HttpServerStats& stats_;
  Rng& rng_;  ///< the server's stream: processing delays
  ServerConnectionOwner& owner_;
  const std::uint64_t id_;
  tcp::Socket socket_;
  Timer process_timer_;  ///< the processing delay of the next response(s)
  Timer idle_timer_;     ///< keep-alive timeout
  Timer eof_timer_;      ///< the close after the client's FIN (close_after_eof)
  bool peer_closed_ = false;  ///< the client's FIN arrived
  bool closed_ = false;       ///< close() called, or the connection failed

 private:
  void cancel_timers();

  bool eof_seen_ = false;          ///< close_after_eof ran
  std::int64_t date_second_ = 0;   ///< the Unix second date_text_ is for
  std::string date_text_;          ///< "" until the first response
};

}  // namespace wiresim::http
