#pragma once
/// IPv4 longest-prefix-match routing (RFC 1812 §5.2.4.3). One table per
/// prefix length present, longest first, each sorted by network address; a
/// lookup probes them in turn with a binary search in each: a router with
/// thousands of /32 host routes and a default route costs two probes.
/// The binary search runs over the network addresses alone (4 bytes each,
/// beside the routes): a router with 10,000 /24 routes searches 40 KB
/// instead of 240 KB, so a lookup per forwarded packet stays in cache
/// (issue 19), through a KeyIndex: a directory and one block of keys rather
/// than a binary search over all of them. Only the lengths present take room (a host with a subnet
/// and a default route: two), not all 33.

#include <cstdint>
#include <optional>
#include <vector>

#include "wiresim/net/key_index.hpp"
#include "wiresim/wire/address.hpp"

namespace wiresim::net {

struct Route {
  /// Destination prefix; stored with its host bits cleared.
  wire::Ipv4Prefix prefix{};
  /// Outgoing interface: its index in the node (Interface::index()).
  std::uint32_t interface = 0;
  /// Next-hop router, for traces; on a point-to-point link the frame goes to
  /// the peer interface whatever this says. Empty for a connected route.
  std::optional<wire::Ipv4Address> next_hop{};

  bool operator==(const Route&) const = default;
};

class RoutingTable {
 public:
  /// Adds `route`, replacing any route with the same prefix. Throws
  /// std::invalid_argument for a prefix length above 32.
  void add(Route route);
  /// Removes the route for exactly `prefix` (host bits ignored); false if none.
  bool remove(wire::Ipv4Prefix prefix);
  void clear();

  /// The route with the longest prefix containing `dst`, or nullptr. The
  /// pointer is valid until the table is next modified.
  [[nodiscard]] const Route* lookup(wire::Ipv4Address dst) const;

  [[nodiscard]] std::size_t size() const { return size_; }
  /// Every route: longest prefixes first, then by network address.
  [[nodiscard]] std::vector<Route> routes() const;

 private:
  static constexpr std::size_t kLengths = 33;  ///< /0 .. /32
  /// The routes of one prefix length, sorted by network address.
  struct Level {
    std::uint8_t length = 0;
    KeyIndex networks;  ///< networks[i] == routes[i].prefix.address().raw(): the search keys
    std::vector<Route> routes;
  };
  /// Longest prefix first; no empty level.
  std::vector<Level> levels_;
  std::size_t size_ = 0;
};

}  // namespace wiresim::net
