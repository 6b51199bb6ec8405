#pragma once
/// The scenario's topology as a Boost.Graph graph (nodes = hosts and
/// routers, edges = links) and the static routes it implies: every node can
/// reach every subnet along a shortest path (fewest hops; ties broken by
/// file order, so the plan is deterministic). Nothing here knows the engine;
/// the runner installs the plan into net::Node routing tables.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "wiresim/scenario/scenario.hpp"

namespace wiresim::scenario {

/// Packets to network/prefix_len leave node `node` through its end of link
/// `link` (an index into Scenario::links).
struct PlannedRoute {
  std::uint32_t network = 0;
  int prefix_len = 0;
  std::size_t link = 0;
  bool operator==(const PlannedRoute&) const = default;
};

struct RoutePlan {
  /// Node order: hosts in file order, then routers in file order.
  std::vector<std::string> nodes;
  /// routes[i]: the routes of nodes[i], beyond its directly connected subnets.
  /// A node with a single link gets one default route (0.0.0.0/0) instead of
  /// one route per subnet, which keeps large topologies small.
  std::vector<std::vector<PlannedRoute>> routes;
};

/// Plans the routes of every node.
RoutePlan plan_routes(const Scenario& s);

/// An app whose two nodes no path joins.
struct UnreachableApp {
  std::string app;
  std::string message;  ///< "no path from 'a' to 'c' (no chain of links joins them)"
  bool operator==(const UnreachableApp&) const = default;
};

/// Every app that needs to connect two nodes (browser to the server of its
/// URL, bulk from/to) that no path joins, in file order.
std::vector<UnreachableApp> unreachable_app_pairs(const Scenario& s);

}  // namespace wiresim::scenario
