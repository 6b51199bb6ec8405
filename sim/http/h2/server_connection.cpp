#include "wiresim/http/h2/server_connection.hpp"

#include <nghttp2/nghttp2.h>

#include "wiresim/http/h2/messages.hpp"
#include "wiresim/http/server_reply.hpp"

namespace wiresim::http::h2 {
namespace {

/// Frames are built as TCP takes them (see ClientConnection's kPullBytes).
constexpr std::size_t kPullBytes = 16 * 1024;

}  // namespace

std::vector<Setting> ServerConnection::settings() {
  return {{NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS, kMaxConcurrentStreams},
          {NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE, kInitialWindowSize},
          {NGHTTP2_SETTINGS_MAX_FRAME_SIZE, kMaxFrameSize}};
}

void ServerConnection::start(tcp::Socket socket) {
  socket_ = socket;
  socket_.set_handler(this);
  socket_.set_nagle(!config_.tcp_nodelay);
  flush();  // SETTINGS and WINDOW_UPDATE (ngx_http_v2_init)
  read_input();
  flush();
}

// ---- input ----

void ServerConnection::on_readable(tcp::Socket& /*s*/) {
  read_input();
  flush();
}

/// Feeds every unread byte to the session; its callbacks collect requests.
/// A connection error (bad preface, malformed frame, HPACK error) counts as
/// a parse error: nghttp2's GOAWAY goes out, then the connection closes.
void ServerConnection::read_input() {
  if (closing_ || closed_) return discard_input();
  std::string error;
  std::size_t n = 0;
  for (const std::span<const std::uint8_t> run : socket_.peek(socket_.readable())) {
    if (run.empty() || !error.empty()) continue;
    error = session_.receive(run);
    n += run.size();
  }
  socket_.consume(n);
  if (!error.empty()) {
    ++stats_.parse_errors;
    closing_ = true;
    processing_.clear();
    process_timer_.cancel();
    discard_input();
  }
  if (!processing_.empty() || !receiving_.empty()) idle_timer_.cancel();
}

void ServerConnection::on_headers(std::int32_t stream, HeaderList&& headers, std::size_t /*block_bytes*/,
                                  bool end_stream) {
  open_[stream] = true;
  if (receiving_.contains(stream)) {  // trailers: the request ends with them
    if (end_stream) accept_request(stream);
    return;
  }
  std::string error;
  std::optional<Request> r = request_from(headers, error);
  if (!r) {
    ++stats_.parse_errors;
    session_.reset_stream(stream, NGHTTP2_PROTOCOL_ERROR);
    return;
  }
  receiving_.emplace(stream, std::move(*r));
  if (end_stream) accept_request(stream);
}

void ServerConnection::on_data(std::int32_t /*stream*/, std::string_view /*bytes*/) {
  // Request bodies are read and dropped: the site answers GET and HEAD only.
}

void ServerConnection::on_data_end(std::int32_t stream) { accept_request(stream); }

/// The request on `stream` is complete: its response is ready one
/// processing delay from now (nginx runs each stream's request on its own).
void ServerConnection::accept_request(std::int32_t stream) {
  const auto it = receiving_.find(stream);
  if (it == receiving_.end()) return;
  ++stats_.requests;
  const Time ready = sim_.now() + config_.processing_delay.draw(rng_);
  processing_.emplace(ready, Pending{stream, std::move(it->second)});
  receiving_.erase(it);
  arm_processing();
}

void ServerConnection::on_stream_closed(std::int32_t stream, std::uint32_t /*error_code*/) {
  open_.erase(stream);
  receiving_.erase(stream);
  std::erase_if(processing_, [stream](const auto& entry) { return entry.second.stream == stream; });
}

void ServerConnection::on_goaway(std::int32_t /*last_stream*/, std::uint32_t /*error_code*/) {}

void ServerConnection::on_stream_problem(std::int32_t /*stream*/, const std::string& /*why*/) { ++stats_.parse_errors; }

void ServerConnection::on_peer_closed(tcp::Socket& /*s*/) {
  peer_closed_ = true;
  read_input();
  flush();
}

// ---- answering ----

void ServerConnection::arm_processing() {
  if (processing_.empty() || closed_) return process_timer_.cancel();
  process_timer_.arm_at(std::max(processing_.begin()->first, sim_.now()), [this] { on_processed(); });
}

void ServerConnection::on_processed() {
  while (!processing_.empty() && processing_.begin()->first <= sim_.now()) {
    const Pending p = std::move(processing_.begin()->second);
    processing_.erase(processing_.begin());
    answer(p);
  }
  arm_processing();
  flush();
}

/// The HTTP/1.1 server's reply, as HEADERS and DATA on the request's stream.
void ServerConnection::answer(const Pending& p) {
  if (closed_ || closing_) return;
  ServerReply reply = reply_to(site_, config_, p.request, date_now());
  const Response& r = reply.response;
  ++stats_.responses_by_status[r.status];
  const bool body = !reply.head_only && r.body.size() > 0;
  if (body) stats_.body_bytes_sent += r.body.size();
  session_.submit_response(p.stream, response_header_list(r), body ? r.body.shared() : nullptr, kChunkSize);
}

void ServerConnection::on_writable(tcp::Socket& /*s*/) { flush(); }

/// Frames into TCP while it takes them; then, with nothing left to do,
/// close (after a GOAWAY or the client's FIN) or wait idle.
void ServerConnection::flush() {
  if (closed_) return;
  for (;;) {
    if (!out_.flush(socket_)) return;  // on_writable brings us back
    std::string bytes = session_.pull(kPullBytes);
    if (bytes.empty()) break;
    stats_.bytes_sent += bytes.size();
    out_.push_copy(std::move(bytes));
  }
  if (!session_.failure().empty() && !closing_) {  // nghttp2 ended the connection with GOAWAY
    ++stats_.parse_errors;
    closing_ = true;
    processing_.clear();
    process_timer_.cancel();
    if (!out_.empty()) return;
  }
  if (closing_) return close_socket();
  if (!quiet()) return;
  if (peer_closed_) return close_after_eof();
  if (!idle_timer_.armed()) arm_idle();  // a quiet connection's timeout runs from when it went quiet
}

/// No stream open, no request waiting, nothing to send.
bool ServerConnection::quiet() const {
  return open_.empty() && receiving_.empty() && processing_.empty() && out_.empty() && !session_.wants_write();
}

// ---- closing ----

/// ngx_http_v2_idle_handler -> ngx_http_v2_finalize_connection: GOAWAY(NO_ERROR), then close.
void ServerConnection::on_idle_timeout() {
  ++stats_.keep_alive_timeouts;
  session_.goaway(NGHTTP2_NO_ERROR);
  closing_ = true;
  flush();
}

void ServerConnection::drop_work() {
  processing_.clear();
  out_.clear();
}

}  // namespace wiresim::http::h2
