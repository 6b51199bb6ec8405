#include <catch2/catch.hpp>

#include <string>

#include "test_paths.hpp"
#include "wiresim/scenario/loader.hpp"
#include "wiresim/scenario/topology.hpp"

using namespace wiresim::scenario;

namespace {

Scenario load(const std::string& yaml) {
  // Placed in scenarios/ so that `site: sites/lab` resolves.
  const LoadResult r = load_scenario_text(yaml, test::source_dir() / "scenarios" / "topology.yaml");
  for (const auto& d : r.diagnostics) UNSCOPED_INFO(to_string(d));
  REQUIRE(r.scenario.has_value());
  return *r.scenario;
}

std::uint32_t net(int a, int b, int c, int d) {
  return (static_cast<std::uint32_t>(a) << 24) | (static_cast<std::uint32_t>(b) << 16) |
         (static_cast<std::uint32_t>(c) << 8) | static_cast<std::uint32_t>(d);
}

// client - r1 - r2 - server, plus a second client on r1.
const char* kChain = R"(
name: chain
hosts:
  c1: { address: 10.0.1.2/24 }
  c2: { address: 10.0.3.2/24 }
  server: { address: 10.0.2.2/24 }
routers: { r1: {}, r2: {} }
links:
  access1: { a: c1, b: { node: r1, address: 10.0.1.1/24 }, bandwidth: 10Mbps, delay: 1ms }
  access2: { a: c2, b: { node: r1, address: 10.0.3.1/24 }, bandwidth: 10Mbps, delay: 1ms }
  core: { a: { node: r1, address: 10.9.0.1/30 }, b: { node: r2, address: 10.9.0.2/30 }, bandwidth: 1Gbps, delay: 5ms }
  edge: { a: { node: r2, address: 10.0.2.1/24 }, b: server, bandwidth: 1Gbps, delay: 1ms }
apps:
  bulk: { type: bulk, from: c1, to: server, bytes: 1MB }
)";

}  // namespace

TEST_CASE("single-homed hosts get one default route, routers route every remote subnet", "[scenario][topology]") {
  const RoutePlan plan = plan_routes(load(kChain));
  REQUIRE(plan.nodes == std::vector<std::string>{"c1", "c2", "server", "r1", "r2"});
  // Links: 0 access1, 1 access2, 2 core, 3 edge.
  CHECK(plan.routes[0] == std::vector<PlannedRoute>{{0, 0, 0}});
  CHECK(plan.routes[1] == std::vector<PlannedRoute>{{0, 0, 1}});
  CHECK(plan.routes[2] == std::vector<PlannedRoute>{{0, 0, 3}});
  // r1 reaches the server's subnet over the core link; its own subnets are connected.
  CHECK(plan.routes[3] == std::vector<PlannedRoute>{{net(10, 0, 2, 0), 24, 2}});
  // r2 reaches both client subnets over the core link.
  CHECK(plan.routes[4] == std::vector<PlannedRoute>{{net(10, 0, 1, 0), 24, 2}, {net(10, 0, 3, 0), 24, 2}});
  CHECK(unreachable_app_pairs(load(kChain)).empty());
}

// Two islands, a-b and c-d, with no link between them.
const std::string kSplitNetwork = R"(
name: split
hosts:
  a: { address: 10.0.1.2/24 }
  b: { address: 10.0.1.3/24 }
  c: { address: 10.0.2.2/24 }
  d: { address: 10.0.2.3/24 }
links:
  ab: { a: a, b: b, bandwidth: 10Mbps, delay: 1ms }
  cd: { a: c, b: d, bandwidth: 10Mbps, delay: 1ms }
)";

const std::string kSplit = kSplitNetwork + R"(apps:
  ok:  { type: bulk, from: a, to: b, bytes: 1kB }
  bad: { type: bulk, from: a, to: c, bytes: 1kB }
  web: { type: http_server, host: d, port: 80, site: sites/lab }
  browser: { type: browser, host: b, url: "http://10.0.2.3/" }
)";

TEST_CASE("an app across a split topology is reported", "[scenario][topology]") {
  const Scenario s = load(kSplitNetwork);
  CHECK(unreachable_app_pairs(s).empty());
  Scenario split = s;
  split.apps.push_back(AppSpec{"bad", BulkApp{"a", "c", 5001, 1000, {}}});
  CHECK(unreachable_app_pairs(split) ==
        std::vector<UnreachableApp>{{"bad", "no path from 'a' to 'c' (no chain of links joins them)"}});
}

TEST_CASE("validation reports each unreachable app at its key", "[scenario][topology]") {
  const LoadResult r = load_scenario_text(kSplit, test::source_dir() / "scenarios" / "split.yaml");
  REQUIRE_FALSE(r.scenario.has_value());
  REQUIRE(r.diagnostics.size() == 2);
  CHECK(to_string(r.diagnostics[0]).ends_with("split.yaml:13:3: error: app 'bad': no path from 'a' to 'c' "
                                             "(no chain of links joins them)"));
  CHECK(to_string(r.diagnostics[1]).ends_with("split.yaml:15:3: error: app 'browser': no path from 'b' to 'd' "
                                             "(no chain of links joins them)"));
}
