#include <catch2/catch.hpp>

#include <cstdint>
#include <vector>

#include "net_test_util.hpp"
#include "wiresim/net/routing_table.hpp"

using namespace wiresim::net;
using wiresim::net::test::ip;
using wiresim::wire::Ipv4Address;
using wiresim::wire::Ipv4Prefix;

namespace {

/// The interface index the table picks for `dst`, or -1 for no route.
int out(const RoutingTable& t, Ipv4Address dst) {
  const Route* r = t.lookup(dst);
  return r == nullptr ? -1 : static_cast<int>(r->interface);
}

}  // namespace

TEST_CASE("routing picks the longest matching prefix", "[net][routing]") {
  RoutingTable t;
  t.add(Route{Ipv4Prefix{ip(0, 0, 0, 0), 0}, 0, ip(192, 168, 0, 1)});
  t.add(Route{Ipv4Prefix{ip(10, 0, 0, 0), 8}, 1, {}});
  t.add(Route{Ipv4Prefix{ip(10, 1, 0, 0), 16}, 2, {}});
  t.add(Route{Ipv4Prefix{ip(10, 1, 2, 3), 32}, 3, {}});
  CHECK(t.size() == 4);

  CHECK(out(t, ip(10, 1, 2, 3)) == 3);
  CHECK(out(t, ip(10, 1, 2, 4)) == 2);
  CHECK(out(t, ip(10, 2, 0, 1)) == 1);
  CHECK(out(t, ip(11, 0, 0, 1)) == 0);
  CHECK(t.lookup(ip(11, 0, 0, 1))->next_hop == ip(192, 168, 0, 1));
}

TEST_CASE("routing without a default route misses", "[net][routing]") {
  RoutingTable t;
  CHECK(t.lookup(ip(10, 0, 0, 1)) == nullptr);
  t.add(Route{Ipv4Prefix{ip(10, 0, 0, 0), 24}, 0, {}});
  CHECK(out(t, ip(10, 0, 0, 255)) == 0);
  CHECK(out(t, ip(10, 0, 1, 0)) == -1);
}

TEST_CASE("routes are stored by network and replaced by prefix", "[net][routing]") {
  RoutingTable t;
  t.add(Route{Ipv4Prefix{ip(10, 0, 1, 77), 24}, 1, {}});  // host bits cleared
  t.add(Route{Ipv4Prefix{ip(10, 0, 1, 0), 24}, 2, {}});   // same prefix: replaces
  CHECK(t.size() == 1);
  CHECK(out(t, ip(10, 0, 1, 5)) == 2);
  CHECK(t.routes()[0].prefix == Ipv4Prefix{ip(10, 0, 1, 0), 24});

  CHECK(t.remove(Ipv4Prefix{ip(10, 0, 1, 9), 24}));
  CHECK_FALSE(t.remove(Ipv4Prefix{ip(10, 0, 1, 0), 24}));
  CHECK(t.size() == 0);
  CHECK(t.lookup(ip(10, 0, 1, 5)) == nullptr);
  CHECK_THROWS_AS(t.add(Route{Ipv4Prefix{ip(10, 0, 0, 0), 33}, 0, {}}), std::invalid_argument);
}

TEST_CASE("routes() lists longest prefixes first, then by address", "[net][routing]") {
  RoutingTable t;
  t.add(Route{Ipv4Prefix{ip(0, 0, 0, 0), 0}, 0, {}});
  t.add(Route{Ipv4Prefix{ip(10, 0, 0, 9), 32}, 1, {}});
  t.add(Route{Ipv4Prefix{ip(10, 0, 0, 0), 8}, 2, {}});
  t.add(Route{Ipv4Prefix{ip(10, 0, 0, 3), 32}, 3, {}});
  const std::vector<Route> rs = t.routes();
  REQUIRE(rs.size() == 4);
  CHECK(rs[0].interface == 3);
  CHECK(rs[1].interface == 1);
  CHECK(rs[2].interface == 2);
  CHECK(rs[3].interface == 0);
}

TEST_CASE("thousands of host routes plus a default route", "[net][routing]") {
  RoutingTable t;
  t.add(Route{Ipv4Prefix{ip(0, 0, 0, 0), 0}, 0, {}});
  // Installed in a scrambled order: 10.1.x.y/32 -> interface 1 + (i % 7).
  for (std::uint32_t k = 0; k < 5000; ++k) {
    const std::uint32_t i = (k * 7919U) % 5000;  // 7919 is prime: a permutation
    t.add(Route{Ipv4Prefix{Ipv4Address{ip(10, 1, 0, 0).raw() + i}, 32}, 1 + i % 7, {}});
  }
  CHECK(t.size() == 5001);
  for (std::uint32_t i = 0; i < 5000; ++i) {
    REQUIRE(out(t, Ipv4Address{ip(10, 1, 0, 0).raw() + i}) == static_cast<int>(1 + i % 7));
  }
  CHECK(out(t, Ipv4Address{ip(10, 1, 0, 0).raw() + 5000}) == 0);
}

TEST_CASE("a large level finds every route through its directory, at block edges and after removals",
          "[net][routing]") {
  RoutingTable t;
  t.add(Route{Ipv4Prefix{ip(0, 0, 0, 0), 0}, 0, {}});
  // 1000 /24s with a gap between each: 10.(100 + k / 256).(k % 256) for even k only.
  const auto net24 = [](std::uint32_t k) {
    return Ipv4Address{ip(10, 100, 0, 0).raw() + (k << 8)};
  };
  for (std::uint32_t k = 0; k < 2000; k += 2) t.add(Route{Ipv4Prefix{net24(k), 24}, 1 + k % 5, {}});
  CHECK(t.size() == 1001);
  for (std::uint32_t k = 0; k < 2000; ++k) {
    const Ipv4Address host{net24(k).raw() + 7};
    // Present (even k): its own route, at every position in its block; absent: the default.
    REQUIRE(out(t, host) == (k % 2 == 0 ? static_cast<int>(1 + k % 5) : 0));
  }
  CHECK(out(t, ip(10, 99, 255, 1)) == 0);  // below the first key
  CHECK(out(t, ip(10, 200, 0, 1)) == 0);   // above the last
  // Remove every fourth: the directory is rebuilt and the rest still match.
  for (std::uint32_t k = 0; k < 2000; k += 8) REQUIRE(t.remove(Ipv4Prefix{net24(k), 24}));
  CHECK_FALSE(t.remove(Ipv4Prefix{net24(0), 24}));
  CHECK(t.size() == 1001 - 250);
  for (std::uint32_t k = 0; k < 2000; k += 2) {
    REQUIRE(out(t, Ipv4Address{net24(k).raw() + 1}) == (k % 8 == 0 ? 0 : static_cast<int>(1 + k % 5)));
  }
}
