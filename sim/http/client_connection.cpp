#include "wiresim/http/client_connection.hpp"

#include <algorithm>
#include <utility>
#include <vector>

namespace wiresim::http {
namespace {

/// HTTP/2 frames are taken from the session this many bytes at a time, and
/// only while TCP takes them: frames are built as the socket has room, so
/// a stream opened later still gets its share (as a server or browser
/// writing to a non-blocking socket does).
constexpr std::size_t kPullBytes = 16 * 1024;

}  // namespace

ClientConnection::ClientConnection(Simulator& sim, ClientConnectionHandler& handler, ConnectionRecord& record,
                                   const ClientConnectionOptions& options)
    : sim_(sim),
      handler_(handler),
      record_(record),
      options_(options),
      parser_(options.limits),
      idle_timer_(sim),
      linger_timer_(sim),
      write_timer_(sim),
      close_timer_(sim),
      read_timer_(sim) {
  if (options_.h2) {
    h2::ClientSessionSink& sink = *this;
    h2_ = std::make_unique<h2::ClientSession>(sink, options_.limits);
  }
}

ClientConnection::~ClientConnection() { socket_.set_handler(nullptr); }

void ClientConnection::open(tcp::TcpStack& stack, wire::Ipv4Address addr, std::uint16_t port) {
  record_.opened = sim_.now();
  socket_ = stack.connect(addr, port, *this);
  socket_.set_nagle(!options_.tcp_nodelay);
  if (options_.keepalive) socket_.set_keepalive(options_.keepalive);
  record_.local_port = socket_.tuple().local.port;
}

bool ClientConnection::can_take() const {
  if (state_ != State::kOpen || !reusable_ || peer_closed_) return false;
  if (h2_) return !h2_->goaway_received() && in_flight_.size() < h2_->max_concurrent_streams();
  if (!options_.keep_alive && record_.requests > 0) return false;
  return in_flight_.size() < static_cast<std::size_t>(options_.pipeline_depth);
}

// ---- requests out ----

void ClientConnection::send_request(std::uint64_t tag, const Request& request, std::string bytes, Duration delay,
                                    h2::StreamPriority priority, bool keep_body) {
  idle_timer_.cancel();
  if (delay > Duration::zero() && !write_timer_.armed()) {
    write_timer_.arm_in(delay, [this] { flush(); });
  }
  ++record_.requests;
  if (h2_) {
    in_flight_.push_back(InFlight{tag, false});
    if (!h2_->submit(tag, request, priority)) {
      forget(tag);
      handler_.on_request_failed(*this, tag, "HTTP/2 connection going away (GOAWAY received)", true);
    }
    return;
  }
  record_.bytes_sent += bytes.size();
  parser_.expect(request.method, keep_body);
  in_flight_.push_back(InFlight{tag, false});
  out_.push_copy(std::move(bytes));
}

void ClientConnection::flush() {
  if (state_ != State::kOpen || write_timer_.armed()) return;
  if (h2_) return flush_h2();
  out_.flush(socket_);
}

/// Frames from the session into TCP while the socket takes them.
void ClientConnection::flush_h2() {
  while (out_.flush(socket_)) {
    std::string bytes = h2_->pull(kPullBytes);
    if (bytes.empty()) return;
    record_.bytes_sent += bytes.size();
    out_.push_copy(std::move(bytes));
  }
}

void ClientConnection::on_writable(tcp::Socket& /*s*/) { flush(); }

// ---- responses in ----

void ClientConnection::on_connected(tcp::Socket& /*s*/) {
  state_ = State::kOpen;
  record_.established = sim_.now();
  last_active_ = sim_.now();
  arm_idle();
  // Chromium's SpdySession::SendInitialData: preface, SETTINGS and the
  // connection WINDOW_UPDATE in one write, before any request.
  if (h2_) flush_h2();
  handler_.on_connection_ready(*this);
}

/// The socket became readable: the app's thread wakes and reads after
/// handler_.read_delay(); what arrives before that joins the same read
/// (one tcp_cleanup_rbuf, one ACK for all of it: a stretch ACK).
void ClientConnection::on_readable(tcp::Socket& /*s*/) {
  if (state_ != State::kOpen || read_timer_.armed()) return;
  const Duration delay = handler_.read_delay();
  if (delay > Duration::zero()) {
    read_timer_.arm_in(delay, [this] { read_now(); });
    return;
  }
  read_now();
}

void ClientConnection::read_now() {
  if (state_ != State::kOpen) return;
  if (h2_) {
    read_h2();
    return after_exchange();
  }
  read_input();
  take_responses();
  if (parser_.error()) return on_malformed(*parser_.error());
  report_progress();
  after_exchange();
}

/// Parsed in place in the receive buffer, then consumed, one read() of
/// options_.read_size bytes (or all) at a time, until the socket is empty.
void ClientConnection::read_input() {
  while (socket_.readable() > 0) {
    const std::size_t want = options_.read_size > 0 ? options_.read_size : socket_.readable();
    const std::size_t n = feed_runs(parser_, socket_.peek(want));
    if (n == 0) return;
    record_.bytes_received += socket_.consume(n);
  }
}

/// Feeds what TCP holds to the HTTP/2 session (its callbacks report
/// streams), then sends what it answers (SETTINGS ACK, WINDOW_UPDATE). A
/// connection error (RFC 9113 §5.4.1) fails every stream; nghttp2's GOAWAY
/// goes out and the browser closes the connection.
void ClientConnection::read_h2() {
  std::string error;
  std::size_t n = 0;
  const auto runs = socket_.peek(socket_.readable());
  if (record_.bytes_received == 0 && std::string_view(reinterpret_cast<const char*>(runs[0].data()), runs[0].size())
                                         .starts_with("HTTP/1.")) {
    // RFC 9113 §3.3: a server without prior-knowledge HTTP/2 reads the
    // preface as a bad HTTP/1.1 request and answers in HTTP/1.1.
    error = "the server answered in HTTP/1.1: it does not speak HTTP/2 with prior knowledge (h2c)";
  }
  for (const std::span<const std::uint8_t> run : runs) {
    if (run.empty() || !error.empty()) continue;
    error = h2_->receive(run);
    n += run.size();
  }
  record_.bytes_received += socket_.consume(n);
  if (error.empty() && state_ == State::kOpen) {
    flush_h2();  // SETTINGS ACK, WINDOW_UPDATE, or nghttp2's GOAWAY for a connection error
    error = h2_->failure();
  }
  if (error.empty()) return;
  record_.error = "HTTP/2 connection error: " + error;
  h2_->fail_all(record_.error, false);
  if (state_ != State::kOpen) return;
  flush_h2();
  close_socket();
  release();
}

/// Hands every complete final response to the handler, in request order.
void ClientConnection::take_responses() {
  std::vector<std::pair<std::uint64_t, Parsed<Response>>> done;
  while (auto r = parser_.next()) {
    if (r->message.status < 200) continue;  // interim 1xx: the final response follows
    if (in_flight_.empty()) break;          // cannot happen: the parser reads only what was expected
    done.emplace_back(in_flight_.front().tag, std::move(*r));
    in_flight_.pop_front();
    ++record_.responses;
    last_active_ = sim_.now();
    if (wants_close(done.back().second.message)) server_closes_ = true;
    if (server_closes_ || !options_.keep_alive) reusable_ = false;
  }
  for (auto& [tag, response] : done) handler_.on_response(*this, tag, std::move(response));
}

void ClientConnection::report_progress() {
  if (in_flight_.empty() || !parser_.in_message()) return;
  in_flight_.front().got_bytes = true;
  handler_.on_response_progress(*this, in_flight_.front().tag, parser_.current(), parser_.current_body());
}

/// After responses: idle again (ready, idle timer), or done with: closed
/// now, or, when the server said it will close (RFC 9112 §9.6), once its
/// FIN arrives (the idle timer closes it should the FIN never come).
void ClientConnection::after_exchange() {
  if (state_ != State::kOpen) return;
  if (h2_ && h2_->goaway_received()) reusable_ = false;  // RFC 9113 §6.8: no new streams
  if (!in_flight_.empty()) {
    if (can_take()) handler_.on_connection_ready(*this);
    return;
  }
  if (server_closes_) return arm_idle();
  if (!reusable_) return close();
  arm_idle();
  handler_.on_connection_ready(*this);
}

/// A response that cannot be read fails its request; the ones pipelined
/// behind it may be retried. The connection is useless after it.
void ClientConnection::on_malformed(ParseError e) {
  const std::string error = std::string("malformed response: ") + to_string(e);
  if (!in_flight_.empty()) {
    const std::uint64_t tag = in_flight_.front().tag;
    in_flight_.pop_front();
    handler_.on_request_failed(*this, tag, error, false);
  }
  record_.error = error;
  fail_in_flight("connection abandoned after a malformed response");
  socket_closed_ = true;
  socket_.abort();
  release();
}

void ClientConnection::on_peer_closed(tcp::Socket& /*s*/) {
  peer_closed_ = true;
  read_timer_.cancel();  // the read below takes what the pending one would have
  if (state_ == State::kReleased) return check_settled();  // our FIN went first
  if (h2_) {
    read_h2();
  } else {
    read_input();
    if (!in_flight_.empty() && parser_.in_message()) in_flight_.front().got_bytes = true;
    parser_.finish();  // ends a body delimited by the close
    take_responses();
    if (parser_.error() && *parser_.error() != ParseError::kIncomplete) return on_malformed(*parser_.error());
  }
  if (state_ == State::kReleased) return;
  record_.closed_by_server = true;
  const bool idle_now = in_flight_.empty();
  fail_in_flight("connection closed by the server before the response was complete");
  if (idle_now && !options_.close_on_server_fin) return release();  // half-open until close()
  if (reaction_delay_ > Duration::zero()) {
    close_timer_.arm_in(reaction_delay_, [this] { close_socket(); });
  } else {
    close_socket();
  }
  release();
}

void ClientConnection::close_socket() {
  close_timer_.cancel();
  if (socket_closed_) return;
  socket_closed_ = true;
  socket_.close();
}

// ---- failures and the end ----

/// Every request still in flight fails. Retryable: nothing of its response
/// arrived and either it was pipelined behind another, or the server closed
/// a connection that had already served responses (a stale keep-alive).
void ClientConnection::fail_in_flight(const std::string& error) {
  if (h2_) return h2_->fail_all(error, record_.responses > 0);
  bool front = true;
  std::deque<InFlight> failed;
  failed.swap(in_flight_);
  for (const InFlight& f : failed) {
    const bool retryable = !f.got_bytes && (!front || record_.responses > 0);
    handler_.on_request_failed(*this, f.tag, error, retryable);
    front = false;
  }
}

void ClientConnection::on_error(tcp::Socket& /*s*/, tcp::ConnectionError e) {
  if (state_ == State::kReleased) return;
  const std::string error = describe(e);
  record_.error = error;
  if (state_ == State::kConnecting) {
    handler_.on_connect_failed(*this, error);
  } else {
    fail_in_flight(error);
  }
  release();
}

void ClientConnection::on_closed(tcp::Socket& /*s*/) {
  tcp_closed_ = true;
  if (state_ != State::kReleased) {
    fail_in_flight("connection closed");
    release();
  }
  check_settled();
}

void ClientConnection::close() {
  if (state_ == State::kReleased) {
    if (peer_closed_ && !tcp_closed_) close_socket();  // left half-open after the server's FIN
    return;
  }
  if (socket_.peer_closed()) record_.closed_by_server = true;  // its FIN came with the last response
  fail_in_flight("connection closed by the browser");
  close_socket();
  release();
}

void ClientConnection::arm_idle() {
  const Duration timeout = record_.requests > 0 ? options_.used_idle_timeout : options_.unused_idle_timeout;
  idle_timer_.arm_in(timeout, [this] { close(); });
}

void ClientConnection::release() {
  if (state_ == State::kReleased) return;
  state_ = State::kReleased;
  record_.released = sim_.now();
  idle_timer_.cancel();
  write_timer_.cancel();
  out_.clear();
  linger_timer_.arm_in(kLingerLimit, [this] {
    lingered_ = true;
    check_settled();
  });
  handler_.on_released(*this);
  check_settled();
}

bool ClientConnection::settled() const {
  if (state_ != State::kReleased) return false;
  if (tcp_closed_ || lingered_ || !socket_.valid()) return true;
  const tcp::TcpState s = socket_.state();
  return s == tcp::TcpState::kTimeWait || s == tcp::TcpState::kClosing || s == tcp::TcpState::kClosed;
}

void ClientConnection::check_settled() {
  if (settled_reported_ || !settled()) return;
  settled_reported_ = true;
  linger_timer_.cancel();
  handler_.on_settled(*this);
}

// ---- HTTP/2 streams ----

void ClientConnection::forget(std::uint64_t tag) {
  const auto it = std::find_if(in_flight_.begin(), in_flight_.end(), [tag](const InFlight& f) { return f.tag == tag; });
  if (it != in_flight_.end()) in_flight_.erase(it);
}

void ClientConnection::on_stream_progress(std::uint64_t tag, const Response* head, std::string_view body_so_far) {
  for (InFlight& f : in_flight_) f.got_bytes = f.got_bytes || f.tag == tag;
  handler_.on_response_progress(*this, tag, head, body_so_far);
}

void ClientConnection::on_stream_response(std::uint64_t tag, Parsed<Response>&& response) {
  forget(tag);
  ++record_.responses;
  last_active_ = sim_.now();
  handler_.on_response(*this, tag, std::move(response));
}

void ClientConnection::on_stream_failed(std::uint64_t tag, const std::string& error, bool retryable) {
  forget(tag);
  handler_.on_request_failed(*this, tag, error, retryable);
}

std::string ClientConnection::describe(tcp::ConnectionError e) const {
  const std::string& server = record_.server;
  switch (e) {
    case tcp::ConnectionError::kRefused: return "connection refused by " + server;
    case tcp::ConnectionError::kReset: return "connection reset by " + server;
    case tcp::ConnectionError::kTimedOut:
      return state_ == State::kConnecting ? "connection to " + server + " timed out"
                                          : "connection to " + server + " timed out (retransmissions exhausted)";
    case tcp::ConnectionError::kKeepAliveTimedOut:
      return "connection to " + server + " timed out (keep-alive probes unanswered)";
    case tcp::ConnectionError::kNone: break;
  }
  return "connection to " + server + " failed";
}

}  // namespace wiresim::http
