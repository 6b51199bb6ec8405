#include "wiresim/http/connection_pool.hpp"

#include <algorithm>

namespace wiresim::http {
namespace {

/// Rule 1's order: a used connection before an unused one; among used, the
/// most recently active (then the newest); among unused, the oldest.
bool better_idle(const ClientConnection& a, const ClientConnection& b) {
  const bool a_used = a.record().requests > 0;
  const bool b_used = b.record().requests > 0;
  if (a_used != b_used) return a_used;
  if (!a_used) return a.id() < b.id();
  if (a.last_active() != b.last_active()) return a.last_active() > b.last_active();
  return a.id() > b.id();
}

}  // namespace

ConnectionPool::ConnectionPool(std::string server, wire::Ipv4Address address, std::uint16_t port,
                               int max_connections)
    : server_(std::move(server)), address_(address), port_(port), max_connections_(max_connections) {}

void ConnectionPool::adopt(std::unique_ptr<ClientConnection> connection) {
  connections_.push_back(std::move(connection));
}

ClientConnection* ConnectionPool::idle_connection() const {
  ClientConnection* best = nullptr;
  for (const auto& c : connections_) {
    if (!c->idle() || !c->can_take()) continue;
    if (best == nullptr || better_idle(*c, *best)) best = c.get();
  }
  return best;
}

bool ConnectionPool::may_open_for_waiting() const { return below_limit() && connecting() < waiting_.size(); }

ClientConnection* ConnectionPool::pipeline_connection() const {
  ClientConnection* best = nullptr;
  for (const auto& c : connections_) {
    if (!c->can_take()) continue;
    if (best == nullptr || c->in_flight() < best->in_flight()) best = c.get();
  }
  return best;
}

std::size_t ConnectionPool::live() const {
  return static_cast<std::size_t>(std::count_if(connections_.begin(), connections_.end(), [](const auto& c) {
    return c->state() != ClientConnection::State::kReleased;
  }));
}

std::size_t ConnectionPool::connecting() const {
  return static_cast<std::size_t>(std::count_if(connections_.begin(), connections_.end(), [](const auto& c) {
    return c->state() == ClientConnection::State::kConnecting;
  }));
}

void ConnectionPool::flush() {
  for (const auto& c : connections_) c->flush();
}

std::size_t ConnectionPool::unsettled() const {
  return static_cast<std::size_t>(
      std::count_if(connections_.begin(), connections_.end(), [](const auto& c) { return !c->settled(); }));
}

void ConnectionPool::close_all() {
  for (const auto& c : connections_) c->close();
}

void ConnectionPool::reap() {
  std::erase_if(connections_, [](const auto& c) { return c->settled(); });
}

}  // namespace wiresim::http
