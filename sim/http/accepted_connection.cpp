#include "wiresim/http/accepted_connection.hpp"

#include "wiresim/http/date.hpp"

namespace wiresim::http {
namespace {

constexpr std::size_t kDiscardChunk = 16 * 1024;  ///< bytes read and dropped at a time

}  // namespace

AcceptedConnection::AcceptedConnection(Simulator& sim, const Site& site, const HttpServerConfig& config,
                                       HttpServerStats& stats, Rng& rng, ServerConnectionOwner& owner,
                                       std::uint64_t id)
    : sim_(sim),
      site_(site),
      config_(config),
      stats_(stats),
      rng_(rng),
      owner_(owner),
      id_(id),
      process_timer_(sim),
      idle_timer_(sim),
      eof_timer_(sim) {}

void AcceptedConnection::detach() {
  socket_.set_handler(nullptr);
  cancel_timers();
  closed_ = true;
}

void AcceptedConnection::cancel_timers() {
  idle_timer_.cancel();
  eof_timer_.cancel();
  process_timer_.cancel();
}

const std::string& AcceptedConnection::date_now() {
  const std::int64_t second = unix_seconds_at(config_.start_unix_ns, sim_.now());
  if (date_text_.empty() || second != date_second_) {
    date_second_ = second;
    date_text_ = format_http_date(second);
  }
  return date_text_;
}

void AcceptedConnection::arm_idle() {
  if (config_.keep_alive_timeout <= Duration::zero() || closed_) return;
  idle_timer_.arm_in(config_.keep_alive_timeout, [this] { on_idle_timeout(); });
}

void AcceptedConnection::close_after_eof() {
  if (closed_ || eof_seen_) return;
  eof_seen_ = true;
  idle_timer_.cancel();
  const Duration d = config_.processing_delay.draw(rng_);
  if (d <= Duration::zero()) return close_socket();
  eof_timer_.arm_in(d, [this] { close_socket(); });
}

void AcceptedConnection::close_socket() {
  if (closed_) return;
  closed_ = true;
  cancel_timers();
  discard_input();
  socket_.close();
}

void AcceptedConnection::discard_input() {
  while (socket_.readable() > 0) {
    if (socket_.consume(kDiscardChunk) == 0) break;
  }
}

void AcceptedConnection::on_error(tcp::Socket& /*s*/, tcp::ConnectionError /*e*/) {
  ++stats_.connections_reset;
  closed_ = true;
  cancel_timers();
  drop_work();
}

void AcceptedConnection::on_closed(tcp::Socket& /*s*/) {
  closed_ = true;
  cancel_timers();
  owner_.on_connection_done(id_);
}

}  // namespace wiresim::http
