#include "wiresim/net/routing_table.hpp"

#include <algorithm>
#include <stdexcept>

namespace wiresim::net {

void RoutingTable::add(Route route) {
  const std::uint8_t len = route.prefix.length();
  if (len >= kLengths) throw std::invalid_argument("wiresim: route prefix length above 32");
  route.prefix = wire::Ipv4Prefix{route.prefix.network(), len};
  auto level = std::find_if(levels_.begin(), levels_.end(), [len](const Level& l) { return l.length <= len; });
  if (level == levels_.end() || level->length != len) level = levels_.insert(level, Level{len, {}, {}});
  KeyIndex& keys = level->networks;
  const std::uint32_t network = route.prefix.address().raw();
  const std::size_t k = keys.lower_bound(network);
  const auto it = level->routes.begin() + static_cast<std::ptrdiff_t>(k);
  if (k != keys.size() && keys[k] == network) {
    *it = route;
    return;
  }
  level->routes.insert(it, route);
  keys.insert_at(k, network);
  ++size_;
}

bool RoutingTable::remove(wire::Ipv4Prefix prefix) {
  const std::uint8_t len = prefix.length();
  const auto level = std::find_if(levels_.begin(), levels_.end(), [len](const Level& l) { return l.length == len; });
  if (level == levels_.end()) return false;
  KeyIndex& keys = level->networks;
  const std::size_t k = keys.find(prefix.network().raw());
  if (k == keys.size()) return false;
  level->routes.erase(level->routes.begin() + static_cast<std::ptrdiff_t>(k));
  keys.erase_at(k);
  if (keys.empty()) levels_.erase(level);
  --size_;
  return true;
}

void RoutingTable::clear() {
  levels_.clear();
  size_ = 0;
}

const Route* RoutingTable::lookup(wire::Ipv4Address dst) const {
  for (const Level& level : levels_) {
    const std::uint32_t network = wire::Ipv4Prefix{dst, level.length}.network().raw();
    if (const std::size_t k = level.networks.find(network); k != level.networks.size()) return &level.routes[k];
  }
  return nullptr;
}

std::vector<Route> RoutingTable::routes() const {
  std::vector<Route> out;
  out.reserve(size_);
  for (const Level& level : levels_) out.insert(out.end(), level.routes.begin(), level.routes.end());
  return out;
}

}  // namespace wiresim::net
