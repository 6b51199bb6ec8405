#include "wiresim/http/server_connection.hpp"

#include <algorithm>

#include "wiresim/http/h2/session.hpp"
#include "wiresim/http/writer.hpp"

namespace wiresim::http {
namespace {

constexpr std::size_t kReadChunk = 16 * 1024;  ///< bytes read from the socket at a time

}  // namespace

void ServerConnection::start(tcp::Socket socket) {
  socket_ = socket;
  socket_.set_nagle(!config_.tcp_nodelay);
  ++stats_.connections_accepted;
  arm_idle();  // a connection that never sends a request is closed too
}

// ---- input ----

void ServerConnection::on_readable(tcp::Socket& /*s*/) {
  idle_timer_.cancel();
  read_input();
  serve();
}

/// Reads and parses while fewer than kMaxPending requests wait; after the
/// decision to close, reads only to throw the bytes away.
void ServerConnection::read_input() {
  if (closing_ || closed_) return discard_input();
  if (!sniff_h2()) return;
  while (pending_.size() < kMaxPending && socket_.readable() > 0 && !error_seen_) {
    // Parsed in place, then consumed: as a read() of kReadChunk bytes.
    const std::size_t n = feed_runs(parser_, socket_.peek(kReadChunk));
    if (socket_.consume(n) == 0) break;
    take_parsed();
  }
  if (error_seen_) discard_input();
  if (peer_closed_ && socket_.readable() == 0 && !error_seen_ && !input_ended_) {
    input_ended_ = true;
    parser_.finish();  // the client's FIN ends the request stream
    take_parsed();
  }
}

/// With h2c on, the client's first bytes decide the protocol, as nginx's
/// ngx_http_v2_init does for a port that speaks both (since 1.25.1: the
/// preface, RFC 9113 §3.4, means HTTP/2). Returns false when the bytes are
/// not HTTP/1.1's (handed over) or cannot tell yet.
bool ServerConnection::sniff_h2() {
  if (sniffed_ || !config_.h2c) return true;
  const std::string_view preface = h2::client_preface();
  std::string head;
  for (const std::span<const std::uint8_t> run : socket_.peek(preface.size())) {
    head.append(reinterpret_cast<const char*>(run.data()), run.size());
  }
  if (head != preface.substr(0, head.size())) {
    sniffed_ = true;
    return true;
  }
  if (head.size() < preface.size()) return peer_closed_;  // wait for more; a FIN ends the wait
  sniffed_ = true;
  const tcp::Socket socket = socket_;
  detach();
  owner_.on_h2_preface(id_, socket);
  return false;
}

void ServerConnection::take_parsed() {
  while (auto parsed = parser_.next()) {
    ++stats_.requests;
    pending_.push_back(Pending{std::move(parsed->message), ParseError::kIncomplete});
  }
  if (error_seen_ || !parser_.error()) return;
  error_seen_ = true;
  // A request cut off by the client's FIN gets no answer: nobody is waiting for it.
  if (*parser_.error() == ParseError::kIncomplete) return;
  ++stats_.parse_errors;
  pending_.push_back(Pending{std::nullopt, *parser_.error()});
}

void ServerConnection::on_peer_closed(tcp::Socket& /*s*/) {
  peer_closed_ = true;
  read_input();
  serve();
}

// ---- answering ----

/// Answers the pending requests whose processing time has come, then writes.
void ServerConnection::serve() {
  while (!pending_.empty() && !closing_ && !closed_) {
    if (config_.processing_delay.max > Duration::zero()) {
      if (!process_timer_.armed()) process_timer_.arm_in(config_.processing_delay.draw(rng_), [this] { on_processed(); });
      break;
    }
    answer_front();
  }
  flush();
}

void ServerConnection::on_processed() {
  answer_front();
  read_input();  // room in pending_ again: take what TCP holds back
  serve();
}

void ServerConnection::answer_front() {
  if (pending_.empty() || closed_) return;
  const Pending p = std::move(pending_.front());
  pending_.pop_front();
  const std::string& date = date_now();
  write(p.request ? reply_to(site_, config_, *p.request, date) : reply_to_error(config_, p.error, date));
}

void ServerConnection::write(const ServerReply& reply) {
  const Response& r = reply.response;
  std::string head = serialize_head(r);
  if (config_.tcp_nopush && r.status == 200 && !reply.head_only && !r.body.empty() && !corked_) {
    corked_ = true;  // a file goes by sendfile: TCP_CORK before the head
    socket_.set_cork(true);
  }
  ++stats_.responses_by_status[r.status];
  stats_.bytes_sent += head.size();
  out_.push_copy(std::move(head));
  if (!reply.head_only) {
    stats_.bytes_sent += r.body.size();
    stats_.body_bytes_sent += r.body.size();
    out_.push(r.body.shared());
  }
  if (reply.close) {
    closing_ = true;
    pending_.clear();  // requests after a closing response are not answered (RFC 9112 §9.6)
    process_timer_.cancel();
  }
}

void ServerConnection::on_writable(tcp::Socket& /*s*/) { flush(); }

/// Sends what the socket takes; once everything is written, closes if that
/// was decided, else waits idle for the next request.
void ServerConnection::flush() {
  if (closed_) return;
  if (!out_.flush(socket_)) return;  // on_writable brings us back
  const bool answered_all = pending_.empty() && !process_timer_.armed();
  if (closing_) return close_socket();  // with the response: its FIN may ride on the last data segment
  if (corked_ && answered_all) {
    corked_ = false;  // ngx_http_set_keepalive: ngx_tcp_push
    socket_.set_cork(false);
  }
  if (peer_closed_ && answered_all) return close_after_eof();
  if (answered_all) arm_idle();
}

// ---- closing ----

void ServerConnection::on_idle_timeout() {
  ++stats_.keep_alive_timeouts;
  close_socket();
}

void ServerConnection::drop_work() {
  pending_.clear();
  out_.clear();
}

}  // namespace wiresim::http
