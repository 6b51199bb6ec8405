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
#include "wiresim/http/accepted_connection.hpp"
#include "wiresim/http/parser.hpp"
#include "wiresim/http/send_queue.hpp"
#include "wiresim/http/server_config.hpp"
#include "wiresim/http/server_reply.hpp"
#include "wiresim/http/site.hpp"
#include "wiresim/tcp/socket.hpp"

namespace wiresim::http {

class ServerConnection final : public AcceptedConnection {
 public:
  /// Requests parsed and not yet answered before the server stops reading
  /// (TCP's window then pushes back on the client).
  static constexpr std::size_t kMaxPending = 16;

  using AcceptedConnection::AcceptedConnection;

  /// Takes over `socket`, just accepted with this as its handler.
  void start(tcp::Socket socket) override;

  // tcp::SocketHandler
  void on_readable(tcp::Socket& s) override;
  void on_writable(tcp::Socket& s) override;
  void on_peer_closed(tcp::Socket& s) override;

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
  void write(const ServerReply& reply);
  void flush();
  // AcceptedConnection
  void drop_work() override;
  void on_idle_timeout() override;

  RequestParser parser_{config_.limits};
  std::deque<Pending> pending_;  ///< process_timer_ runs for the front one
  SendQueue out_;
  bool error_seen_ = false;   ///< the parser's error has been taken
  bool closing_ = false;      ///< no more requests: close once the output is written
  bool corked_ = false;       ///< TCP_CORK set for a file (HttpServerConfig::tcp_nopush)
  bool input_ended_ = false;  ///< every byte before the FIN was parsed: parser finished
  bool sniffed_ = false;      ///< the first bytes were checked for the HTTP/2 preface
};

}  // namespace wiresim::http
