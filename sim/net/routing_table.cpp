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
  std::vector<std::uint32_t>& keys = level->networks;
  const std::uint32_t network = route.prefix.address().raw();
  const auto k = std::lower_bound(keys.begin(), keys.end(), network);
  const auto it = level->routes.begin() + (k - keys.begin());
  if (k != keys.end() && *k == network) {
    *it = route;
    return;
  }
  level->routes.insert(it, route);
  keys.insert(k, network);
  ++size_;
}

bool RoutingTable::remove(wire::Ipv4Prefix prefix) {
  const std::uint8_t len = prefix.length();
  const auto level = std::find_if(levels_.begin(), levels_.end(), [len](const Level& l) { return l.length == len; });
  if (level == levels_.end()) return false;
  std::vector<std::uint32_t>& keys = level->networks;
  const std::uint32_t network = prefix.network().raw();
  const auto k = std::lower_bound(keys.begin(), keys.end(), network);
  if (k == keys.end() || *k != network) return false;
  level->routes.erase(level->routes.begin() + (k - keys.begin()));
  keys.erase(k);
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
    const auto k = std::lower_bound(level.networks.begin(), level.networks.end(), network);
    if (k != level.networks.end() && *k == network) {
      return &level.routes[static_cast<std::size_t>(k - level.networks.begin())];
    }
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
