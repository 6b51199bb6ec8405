#pragma once
/// IPv4 longest-prefix-match routing (RFC 1812 §5.2.4.3). One table per
/// prefix length, each sorted by network address; a lookup probes only the
/// lengths present, longest first, with a binary search in each: a router
/// with thousands of /32 host routes and a default route costs two probes.

#include <array>
#include <cstdint>
#include <optional>
#include <vector>

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
  std::array<std::vector<Route>, kLengths> by_length_;  ///< each sorted by network
  std::uint64_t present_ = 0;  ///< bit L set iff by_length_[L] is non-empty
  std::size_t size_ = 0;
};

}  // namespace wiresim::net
