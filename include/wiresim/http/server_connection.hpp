#pragma once
/// One accepted connection of an HttpServer: reads requests as they come
/// (pipelined ones too), answers them one at a time in order (RFC 9112
/// §9.3.2), writes each response through a SendQueue with backpressure,
/// and closes the connection when a response says so, when the client has
/// closed its side and everything is answered, or when it has been idle
/// for the keep-alive timeout (the server's FIN starts the teardown, as in
/// the lab capture).

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>

#include "wiresim/core/rng.hpp"
#include "wiresim/core/simulator.hpp"
#include "wiresim/http/parser.hpp"
#include "wiresim/http/send_queue.hpp"
#include "wiresim/http/server_config.hpp"
#include "wiresim/http/server_reply.hpp"
#include "wiresim/http/site.hpp"
#include "wiresim/tcp/socket.hpp"

namespace wiresim::http {

/// What a ServerConnection tells the server that owns it.
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

/// A connection an HttpServer accepted: HTTP/1.1 (ServerConnection) or
/// HTTP/2 (h2::ServerConnection).
class AcceptedConnection : public tcp::SocketHandler {
 public:
  /// Takes over `socket`.
  virtual void start(tcp::Socket socket) = 0;
  /// Stops all callbacks (the server is going away); the TCP connection is left as it is.
  virtual void detach() = 0;

 protected:
  AcceptedConnection() = default;
  AcceptedConnection(const AcceptedConnection&) = default;
  AcceptedConnection& operator=(const AcceptedConnection&) = default;
};

class ServerConnection final : public AcceptedConnection {
 public:
  /// Requests parsed and not yet answered before the server stops reading
  /// (TCP's window then pushes back on the client).
  static constexpr std::size_t kMaxPending = 16;

  /// `site`, `config`, `stats` and `owner` must outlive the connection.
  ServerConnection(Simulator& sim, const Site& site, const HttpServerConfig& config, HttpServerStats& stats, Rng& rng,
                   ServerConnectionOwner& owner, std::uint64_t id);
  ServerConnection(const ServerConnection&) = delete;
  ServerConnection& operator=(const ServerConnection&) = delete;
  ~ServerConnection() override = default;

  /// Takes over `socket`, just accepted with this as its handler.
  void start(tcp::Socket socket) override;
  /// Stops all callbacks (the server is going away); the TCP connection is left as it is.
  void detach() override;

  [[nodiscard]] std::uint64_t id() const { return id_; }
  [[nodiscard]] const tcp::Socket& socket() const { return socket_; }

  // tcp::SocketHandler
  void on_readable(tcp::Socket& s) override;
  void on_writable(tcp::Socket& s) override;
  void on_peer_closed(tcp::Socket& s) override;
  void on_error(tcp::Socket& s, tcp::ConnectionError e) override;
  void on_closed(tcp::Socket& s) override;

 private:
  /// A request to answer, or the parse error that ended the request stream.
  struct Pending {
    std::optional<Request> request;
    ParseError error = ParseError::kIncomplete;
  };

  void read_input();
  bool sniff_h2();
  void take_parsed();
  void serve();
  void on_processed();
  void answer_front();
  const std::string& date_now();
  void write(const ServerReply& reply);
  void flush();
  void arm_idle();
  void on_idle_timeout();
  void close_after_eof();
  void close_socket();
  void discard_input();

  Simulator& sim_;
  const Site& site_;
  const HttpServerConfig& config_;
  HttpServerStats& stats_;
  ServerConnectionOwner& owner_;
  std::uint64_t id_;
  tcp::Socket socket_;
  RequestParser parser_;
  std::deque<Pending> pending_;
  SendQueue out_;
  bool eof_seen_ = false;  ///< the client's FIN was read and answered with a close
  Rng& rng_;             ///< the server's stream: processing delays
  Timer process_timer_;  ///< the processing delay of pending_.front()
  Timer idle_timer_;     ///< keep-alive timeout
  Timer eof_timer_;    ///< the close after the client's FIN (close_after_eof)
  std::int64_t date_second_ = 0;  ///< the Unix second date_text_ is for
  std::string date_text_;         ///< "" until the first response
  bool error_seen_ = false;   ///< the parser's error has been taken
  bool closing_ = false;      ///< no more requests: close once the output is written
  bool corked_ = false;       ///< TCP_CORK set for a file (HttpServerConfig::tcp_nopush)
  bool peer_closed_ = false;  ///< the client's FIN arrived
  bool input_ended_ = false;  ///< every byte before the FIN was parsed: parser finished
  bool closed_ = false;       ///< close() called, or the connection failed
  bool sniffed_ = false;      ///< the first bytes were checked for the HTTP/2 preface
};

}  // namespace wiresim::http
