#include <catch2/catch.hpp>

#include "wiresim/wire/address.hpp"

using namespace wiresim::wire;

TEST_CASE("MAC address text form", "[wire][address]") {
  const auto m = MacAddress::parse("02:00:00:00:00:01");
  REQUIRE(m);
  CHECK(m->octets() == std::array<std::uint8_t, 6>{2, 0, 0, 0, 0, 1});
  CHECK(m->to_string() == "02:00:00:00:00:01");
  CHECK(*m == MacAddress::local(1));
  CHECK(MacAddress::parse("AA:bb:Cc:dd:EE:ff")->to_string() == "aa:bb:cc:dd:ee:ff");
  CHECK(MacAddress::local(0x01020304).to_string() == "02:00:01:02:03:04");
  CHECK(MacAddress::broadcast().is_broadcast());
  CHECK(MacAddress::broadcast().is_multicast());
  CHECK_FALSE(m->is_multicast());
}

TEST_CASE("MAC address rejects malformed text", "[wire][address]") {
  for (const char* bad : {"", "02:00:00:00:00", "02:00:00:00:00:01:02", "02-00-00-00-00-01",
                          "0g:00:00:00:00:01", "2:00:00:00:00:001"}) {
    INFO(bad);
    CHECK_FALSE(MacAddress::parse(bad));
  }
}

TEST_CASE("IPv4 address text form", "[wire][address]") {
  const auto a = Ipv4Address::parse("10.0.0.1");
  REQUIRE(a);
  CHECK(a->raw() == 0x0a000001U);
  CHECK(*a == Ipv4Address::from_octets(10, 0, 0, 1));
  CHECK(a->to_string() == "10.0.0.1");
  CHECK(Ipv4Address::parse("255.255.255.255")->is_broadcast());
  CHECK(Ipv4Address::parse("0.0.0.0")->is_unspecified());
  CHECK(Ipv4Address::from_octets(192, 168, 1, 20).to_string() == "192.168.1.20");
  CHECK(Ipv4Address::from_octets(10, 0, 0, 1) < Ipv4Address::from_octets(10, 0, 0, 2));
  CHECK(Ipv4Address::from_octets(9, 255, 255, 255) < Ipv4Address::from_octets(10, 0, 0, 0));
}

TEST_CASE("IPv4 address rejects malformed text", "[wire][address]") {
  for (const char* bad : {"", "10.0.0", "10.0.0.1.2", "10.0.0.256", "10.0.0.01", "10..0.1",
                          "10.0.0.1 ", "-1.0.0.0", "a.b.c.d", "10.0.0."}) {
    INFO(bad);
    CHECK_FALSE(Ipv4Address::parse(bad));
  }
}

TEST_CASE("IPv4 prefix parse and contains", "[wire][address]") {
  const auto p = Ipv4Prefix::parse("10.0.0.0/24");
  REQUIRE(p);
  CHECK(p->length() == 24);
  CHECK(p->mask() == 0xffffff00U);
  CHECK(p->to_string() == "10.0.0.0/24");
  CHECK(p->contains(*Ipv4Address::parse("10.0.0.200")));
  CHECK_FALSE(p->contains(*Ipv4Address::parse("10.0.1.1")));

  const auto host = Ipv4Prefix::parse("10.0.0.7/30");
  REQUIRE(host);
  CHECK(host->network() == Ipv4Address::from_octets(10, 0, 0, 4));
  CHECK(host->contains(Ipv4Address::from_octets(10, 0, 0, 5)));
  CHECK_FALSE(host->contains(Ipv4Address::from_octets(10, 0, 0, 8)));

  const auto any = Ipv4Prefix::parse("0.0.0.0/0");
  REQUIRE(any);
  CHECK(any->mask() == 0U);
  CHECK(any->contains(Ipv4Address::from_octets(203, 0, 113, 9)));

  const auto bare = Ipv4Prefix::parse("10.1.2.3");
  REQUIRE(bare);
  CHECK(bare->length() == 32);
  CHECK(bare->contains(Ipv4Address::from_octets(10, 1, 2, 3)));
  CHECK_FALSE(bare->contains(Ipv4Address::from_octets(10, 1, 2, 4)));
}

TEST_CASE("IPv4 prefix rejects malformed text", "[wire][address]") {
  for (const char* bad : {"10.0.0.0/33", "10.0.0.0/", "10.0.0.0/024", "10.0.0/8", "10.0.0.0/x"}) {
    INFO(bad);
    CHECK_FALSE(Ipv4Prefix::parse(bad));
  }
}
