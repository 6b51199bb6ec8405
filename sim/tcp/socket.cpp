// Socket and Listener handles: each call looks the connection up in its
// stack and does nothing on a dead handle.

#include "wiresim/tcp/socket.hpp"

#include "wiresim/tcp/tcp_stack.hpp"

namespace wiresim::tcp {

bool Socket::valid() const { return stack_ != nullptr && stack_->live(id_) != nullptr; }

template <class F>
void Socket::with_live(F&& f) {
  if (stack_ == nullptr) return;
  TcpStack::Scope scope(*stack_);
  if (Connection* c = stack_->live(id_)) {
    f(*c, stack_->now());
    stack_->rearm(id_);
  }
}

std::size_t Socket::send(std::span<const std::uint8_t> data) {
  std::size_t n = 0;
  with_live([&](Connection& c, Time now) { n = c.send(now, data); });
  return n;
}

std::size_t Socket::send_shared(std::shared_ptr<const void> owner, std::span<const std::uint8_t> data) {
  const SharedBytes piece{std::move(owner), data};
  return send_shared(std::span<const SharedBytes>(&piece, 1));
}

std::size_t Socket::send_shared(std::span<const SharedBytes> pieces) {
  std::size_t n = 0;
  with_live([&](Connection& c, Time now) { n = c.send_shared(now, pieces); });
  return n;
}

std::size_t Socket::send(std::string_view data) {
  const auto* p = reinterpret_cast<const std::uint8_t*>(data.data());
  return send(std::span<const std::uint8_t>(p, data.size()));
}

std::size_t Socket::send_space() const {
  const Connection* c = stack_ == nullptr ? nullptr : stack_->live(id_);
  return c == nullptr ? 0 : c->send_space();
}

std::size_t Socket::send_queued() const {
  const Connection* c = stack_ == nullptr ? nullptr : stack_->live(id_);
  return c == nullptr ? 0 : c->send_queued();
}

std::array<std::span<const std::uint8_t>, 2> Socket::peek(std::size_t n) const {
  const Connection* c = stack_ == nullptr ? nullptr : stack_->live(id_);
  return c == nullptr ? std::array<std::span<const std::uint8_t>, 2>{} : c->peek(n);
}

std::size_t Socket::consume(std::size_t n) {
  std::size_t taken = 0;
  with_live([&](Connection& c, Time now) { taken = c.consume(now, n); });
  return taken;
}

std::size_t Socket::read(std::span<std::uint8_t> out) {
  std::size_t n = 0;
  with_live([&](Connection& c, Time now) { n = c.read(now, out); });
  return n;
}

std::vector<std::uint8_t> Socket::read_all() {
  std::vector<std::uint8_t> out(readable());
  out.resize(read(out));
  return out;
}

std::size_t Socket::readable() const {
  const Connection* c = stack_ == nullptr ? nullptr : stack_->live(id_);
  return c == nullptr ? 0 : c->readable();
}

bool Socket::peer_closed() const {
  const Connection* c = stack_ == nullptr ? nullptr : stack_->live(id_);
  return c != nullptr && c->peer_closed();
}

void Socket::shutdown_write() {
  with_live([](Connection& c, Time now) { c.shutdown_write(now); });
}

void Socket::close() {
  with_live([](Connection& c, Time now) { c.close(now); });
}

void Socket::abort() {
  with_live([](Connection& c, Time now) { c.abort(now); });
}

void Socket::set_nagle(bool on) {
  if (Connection* c = stack_ == nullptr ? nullptr : stack_->live(id_)) c->set_nagle(on);
}

void Socket::set_cork(bool on) {
  with_live([&](Connection& c, Time now) { c.set_cork(now, on); });
}

void Socket::set_keepalive(std::optional<KeepAlive> k) {
  with_live([&](Connection& c, Time now) { c.set_keepalive(now, k); });
}

void Socket::set_handler(SocketHandler* h) {
  if (stack_ == nullptr) return;
  if (TcpStack::Entry* e = stack_->entry(id_)) e->handler = h;
}

TcpState Socket::state() const {
  const Connection* c = stack_ == nullptr ? nullptr : stack_->live(id_);
  return c == nullptr ? TcpState::kClosed : c->state();
}

FourTuple Socket::tuple() const {
  const TcpStack::Entry* e = stack_ == nullptr ? nullptr : stack_->entry(id_);
  return e == nullptr ? FourTuple{} : e->conn->tuple();
}

ConnectionError Socket::error() const {
  const TcpStack::Entry* e = stack_ == nullptr ? nullptr : stack_->entry(id_);
  return e == nullptr ? ConnectionError::kNone : e->conn->error();
}

ConnectionCounters Socket::counters() const {
  const TcpStack::Entry* e = stack_ == nullptr ? nullptr : stack_->entry(id_);
  return e == nullptr ? ConnectionCounters{} : e->conn->counters();
}

// ---- Listener ----

bool Listener::valid() const {
  return stack_ != nullptr && stack_->listeners_.count(port_) != 0;
}

std::optional<Socket> Listener::accept(SocketHandler& handler) {
  return stack_ == nullptr ? std::nullopt : stack_->accept(port_, handler);
}

std::size_t Listener::pending() const {
  if (stack_ == nullptr) return 0;
  const auto it = stack_->listeners_.find(port_);
  return it == stack_->listeners_.end() ? 0 : it->second.ready.size();
}

void Listener::close() {
  if (stack_ != nullptr) stack_->close_listener(port_);
}

}  // namespace wiresim::tcp
