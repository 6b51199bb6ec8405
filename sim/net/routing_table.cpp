#include "wiresim/net/routing_table.hpp"

#include <algorithm>
#include <bit>
#include <stdexcept>

namespace wiresim::net {

namespace {

bool network_less(const Route& r, std::uint32_t network) { return r.prefix.address().raw() < network; }

}  // namespace

void RoutingTable::add(Route route) {
  const std::uint8_t len = route.prefix.length();
  if (len >= kLengths) throw std::invalid_argument("wiresim: route prefix length above 32");
  route.prefix = wire::Ipv4Prefix{route.prefix.network(), len};
  std::vector<Route>& table = by_length_[len];
  const std::uint32_t network = route.prefix.address().raw();
  const auto it = std::lower_bound(table.begin(), table.end(), network, network_less);
  if (it != table.end() && it->prefix == route.prefix) {
    *it = route;
    return;
  }
  table.insert(it, route);
  present_ |= std::uint64_t{1} << len;
  ++size_;
}

bool RoutingTable::remove(wire::Ipv4Prefix prefix) {
  const std::uint8_t len = prefix.length();
  if (len >= kLengths) return false;
  std::vector<Route>& table = by_length_[len];
  const std::uint32_t network = prefix.network().raw();
  const auto it = std::lower_bound(table.begin(), table.end(), network, network_less);
  if (it == table.end() || it->prefix.address().raw() != network) return false;
  table.erase(it);
  if (table.empty()) present_ &= ~(std::uint64_t{1} << len);
  --size_;
  return true;
}

void RoutingTable::clear() {
  for (std::vector<Route>& table : by_length_) table.clear();
  present_ = 0;
  size_ = 0;
}

const Route* RoutingTable::lookup(wire::Ipv4Address dst) const {
  for (std::uint64_t left = present_; left != 0;) {
    const auto len = static_cast<std::uint8_t>(std::bit_width(left) - 1);
    left &= ~(std::uint64_t{1} << len);
    const std::vector<Route>& table = by_length_[len];
    const std::uint32_t network = wire::Ipv4Prefix{dst, len}.network().raw();
    const auto it = std::lower_bound(table.begin(), table.end(), network, network_less);
    if (it != table.end() && it->prefix.address().raw() == network) return &*it;
  }
  return nullptr;
}

std::vector<Route> RoutingTable::routes() const {
  std::vector<Route> out;
  out.reserve(size_);
  for (std::size_t len = kLengths; len > 0; --len) {
    out.insert(out.end(), by_length_[len - 1].begin(), by_length_[len - 1].end());
  }
  return out;
}

}  // namespace wiresim::net
