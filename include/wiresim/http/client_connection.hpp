#pragma once
/// One TCP connection of a browser to a server: sends requests (several in
/// flight when pipelining), reads their responses in order (RFC 9112
/// §9.3.2) and tells its handler what happened. It picks no requests of
/// its own: the browser decides what goes where, and never calls back into
/// a connection from inside a handler call.
///
/// Life: kConnecting -> kOpen -> kReleased. It is released (no more use)
/// when the browser closes it (idle timeout, a response said
/// "Connection: close", HTTP/1.0), when the server closed it, or when it
/// failed; requests still in flight then fail, some of them retryable.
/// After that it is settled once TCP has finished its teardown as far as
/// this end can tell: CLOSED, or both FINs exchanged (TIME-WAIT, CLOSING),
/// or kLingerLimit after the release if the server never sends its FIN.
///
/// With ClientConnectionOptions::h2 the connection speaks HTTP/2 with
/// prior knowledge (h2c, RFC 9113 §3.3): the preface, SETTINGS and
/// WINDOW_UPDATE as soon as TCP is established, then every request a
/// stream of one h2::ClientSession, as many in flight as the server's
/// SETTINGS_MAX_CONCURRENT_STREAMS allows, answered in any order.

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "wiresim/core/simulator.hpp"
#include "wiresim/http/h2/client_session.hpp"
#include "wiresim/http/page_load.hpp"
#include "wiresim/http/parser.hpp"
#include "wiresim/http/parser_limits.hpp"
#include "wiresim/http/send_queue.hpp"
#include "wiresim/tcp/socket.hpp"
#include "wiresim/tcp/tcp_stack.hpp"
#include "wiresim/wire/address.hpp"

namespace wiresim::http {

class ClientConnection;

/// What a ClientConnection reports. `tag` is the browser's name for a request.
class ClientConnectionHandler {
 public:
  virtual ~ClientConnectionHandler() = default;
  /// Established, or done with a response: may take requests if can_take().
  virtual void on_connection_ready(ClientConnection& c) = 0;
  /// The connection could not be established (`error` says why); on_released follows.
  virtual void on_connect_failed(ClientConnection& c, const std::string& error) = 0;
  /// Bytes of the response to `tag` arrived and it is not complete yet.
  /// `head` is null until the status line and fields are complete;
  /// `body_so_far` (the decoded body received so far) is valid during the call.
  virtual void on_response_progress(ClientConnection& c, std::uint64_t tag, const Response* head,
                                    std::string_view body_so_far) = 0;
  /// The complete response to `tag`.
  virtual void on_response(ClientConnection& c, std::uint64_t tag, Parsed<Response>&& response) = 0;
  /// No (usable) response to `tag` will come. `retryable`: nothing of a
  /// response arrived and the request may be sent again on another
  /// connection (a keep-alive connection the server had just closed, or a
  /// pipelined request behind a failed one).
  virtual void on_request_failed(ClientConnection& c, std::uint64_t tag, const std::string& error,
                                 bool retryable) = 0;
  /// The connection takes no more requests.
  virtual void on_released(ClientConnection& c) = 0;
  /// The connection is settled(): the handler may destroy it later, not
  /// from inside this call.
  virtual void on_settled(ClientConnection& c) = 0;
  /// How long after its socket became readable the client reads it
  /// (BrowserProfile::read_delay, drawn per wakeup); zero: at once.
  virtual Duration read_delay() { return Duration::zero(); }

 protected:
  ClientConnectionHandler() = default;
  ClientConnectionHandler(const ClientConnectionHandler&) = default;
  ClientConnectionHandler& operator=(const ClientConnectionHandler&) = default;
};

/// How connections behave (from the browser's profile).
struct ClientConnectionOptions {
  int pipeline_depth = 1;  ///< requests in flight at most
  bool keep_alive = true;  ///< false: one request per connection
  bool tcp_nodelay = false;  ///< Nagle's algorithm off
  std::optional<tcp::KeepAlive> keepalive;  ///< TCP keep-alive (nullopt: off)
  Duration unused_idle_timeout = Duration::seconds(10);
  Duration used_idle_timeout = Duration::seconds(300);
  /// A server FIN on an idle connection closes this end at once; false:
  /// it stays half-open (CLOSE-WAIT) until close() (BrowserProfile::close_on_server_fin).
  bool close_on_server_fin = true;
  /// HTTP/2 with prior knowledge (h2c) instead of HTTP/1.1; pipeline_depth
  /// and keep_alive are then unused.
  bool h2 = false;
  /// HTTP/1.1 responses are read in pieces of this many bytes (one read()
  /// each: BrowserProfile::read_size); 0: all that is readable at once.
  std::size_t read_size = 0;
  ParserLimits limits{};
};

class ClientConnection final : public tcp::SocketHandler, private h2::ClientSessionSink {
 public:
  enum class State { kConnecting, kOpen, kReleased };
  /// A released connection whose server never sends its FIN counts as
  /// settled after this long (Linux's tcp_fin_timeout).
  static constexpr Duration kLingerLimit = Duration::seconds(60);

  /// `record` is where the connection keeps its counters; it and `handler`
  /// must outlive the connection.
  ClientConnection(Simulator& sim, ClientConnectionHandler& handler, ConnectionRecord& record,
                   const ClientConnectionOptions& options);
  ClientConnection(const ClientConnection&) = delete;
  ClientConnection& operator=(const ClientConnection&) = delete;
  ~ClientConnection() override;

  /// The client's own time to react to the server's FIN before closing its
  /// end (close_on_server_fin): the app wakes up, reads end of file, closes.
  void set_reaction_delay(Duration d) { reaction_delay_ = d; }
  /// Sends the SYN to addr:port. Throws std::runtime_error if there is no route.
  void open(tcp::TcpStack& stack, wire::Ipv4Address addr, std::uint16_t port);

  /// Open, reusable and with room for another request in flight.
  [[nodiscard]] bool can_take() const;
  /// Open with nothing in flight.
  [[nodiscard]] bool idle() const { return state_ == State::kOpen && in_flight_.empty(); }
  [[nodiscard]] State state() const { return state_; }
  /// Released and done with its TCP teardown (see above).
  [[nodiscard]] bool settled() const;
  [[nodiscard]] std::size_t in_flight() const { return in_flight_.size(); }
  [[nodiscard]] const ConnectionRecord& record() const { return record_; }
  [[nodiscard]] std::uint64_t id() const { return record_.id; }
  /// When it last finished a response (or was established).
  [[nodiscard]] Time last_active() const { return last_active_; }

  /// Queues `request`, answered later under `tag`: over HTTP/1.1 as
  /// `bytes` (its serialisation), over HTTP/2 as a stream with `priority`.
  /// Precondition: can_take(). Bytes go to TCP at the next flush(), but
  /// not before `delay` from now (the client's own time to write them).
  /// `keep_body` false: an HTTP/1.1 response's body is digested as it
  /// arrives instead of stored (Parsed::summary; ResponseParser::expect).
  void send_request(std::uint64_t tag, const Request& request, std::string bytes, Duration delay = Duration::zero(),
                    h2::StreamPriority priority = {}, bool keep_body = true);
  /// Hands queued request bytes to TCP (several pipelined requests leave
  /// together), unless a request's delay is still running.
  void flush();
  /// Closes the connection (FIN) and releases it; requests in flight fail.
  /// Also closes this end of a connection the server closed and that was
  /// left half-open (close_on_server_fin false).
  void close();

  // tcp::SocketHandler
  void on_connected(tcp::Socket& s) override;
  void on_readable(tcp::Socket& s) override;
  void on_writable(tcp::Socket& s) override;
  void on_peer_closed(tcp::Socket& s) override;
  void on_error(tcp::Socket& s, tcp::ConnectionError e) override;
  void on_closed(tcp::Socket& s) override;

 private:
  struct InFlight {
    std::uint64_t tag = 0;
    bool got_bytes = false;  ///< some of its response arrived
  };

  void read_now();  ///< the delayed read of on_readable
  void read_input();
  void read_h2();
  void flush_h2();
  void take_responses();
  void report_progress();
  void after_exchange();
  void on_malformed(ParseError e);
  void fail_in_flight(const std::string& error);
  void arm_idle();
  void close_socket();
  void release();
  void check_settled();
  [[nodiscard]] std::string describe(tcp::ConnectionError e) const;
  /// Drops `tag` from in_flight_ (HTTP/2 answers in any order).
  void forget(std::uint64_t tag);

  // h2::ClientSessionSink
  void on_stream_progress(std::uint64_t tag, const Response* head, std::string_view body_so_far) override;
  void on_stream_response(std::uint64_t tag, Parsed<Response>&& response) override;
  void on_stream_failed(std::uint64_t tag, const std::string& error, bool retryable) override;

  Simulator& sim_;
  ClientConnectionHandler& handler_;
  ConnectionRecord& record_;
  ClientConnectionOptions options_;
  State state_ = State::kConnecting;
  tcp::Socket socket_;
  ResponseParser parser_;
  SendQueue out_;
  std::unique_ptr<h2::ClientSession> h2_;  ///< the HTTP/2 session (options_.h2)
  std::deque<InFlight> in_flight_;
  Timer idle_timer_;
  Timer linger_timer_;  ///< kLingerLimit after the release
  Timer write_timer_;   ///< a request's delay before its bytes go to TCP
  Timer close_timer_;   ///< our close after the server's FIN (reaction_delay_)
  Timer read_timer_;    ///< the read the last wakeup asked for (handler_.read_delay())
  Duration reaction_delay_{};
  bool socket_closed_ = false;  ///< this end called close() or abort()
  Time last_active_{};
  bool reusable_ = true;       ///< no response said "close" (and keep-alive is on)
  bool server_closes_ = false; ///< a response said "Connection: close": the server's FIN follows
  bool peer_closed_ = false;
  bool tcp_closed_ = false;     ///< TCP reported on_closed
  bool lingered_ = false;       ///< kLingerLimit passed since the release
  bool settled_reported_ = false;
};

}  // namespace wiresim::http
