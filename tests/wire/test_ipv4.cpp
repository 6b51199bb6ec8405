#include <algorithm>
#include <array>
#include <sstream>
#include <vector>

#include <catch2/catch.hpp>

#include "wiresim/wire/checksum.hpp"
#include "wiresim/wire/ipv4.hpp"

using namespace wiresim::wire;

namespace {

/// A real IPv4/UDP header (192.168.0.1 -> 192.168.0.199, the classic
/// worked example) with its header checksum 0xb861.
const std::array<std::uint8_t, 20> kUdpHeader{0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40,
                                              0x00, 0x40, 0x11, 0xb8, 0x61, 0xc0, 0xa8,
                                              0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7};

/// kUdpHeader followed by its 95-byte payload (zeros) and 5 bytes of padding.
std::vector<std::uint8_t> udp_packet_with_padding() {
  std::vector<std::uint8_t> p(0x73 + 5, 0);
  std::copy(kUdpHeader.begin(), kUdpHeader.end(), p.begin());
  return p;
}

ParseError check_error(std::vector<std::uint8_t> bytes) {
  const auto v = Ipv4PacketView::check(bytes);
  REQUIRE_FALSE(v.ok());
  return v.error();
}

}  // namespace

TEST_CASE("ipv4 header checksum of a real header", "[wire][ipv4]") {
  CHECK(internet_checksum(kUdpHeader) == 0);
  std::array<std::uint8_t, 20> zeroed = kUdpHeader;
  zeroed[10] = zeroed[11] = 0;
  CHECK(internet_checksum(zeroed) == 0xb861);
  fill_ipv4_checksum(zeroed);
  CHECK(zeroed == kUdpHeader);
}

TEST_CASE("ipv4 view accessors", "[wire][ipv4]") {
  const auto bytes = udp_packet_with_padding();
  const auto r = Ipv4PacketView::check(bytes);
  REQUIRE(r.ok());
  const Ipv4PacketView& v = r.value();
  CHECK(v.version() == 4);
  CHECK(v.header_len() == 20);
  CHECK(v.total_len() == 0x73);
  CHECK(v.ttl() == 64);
  CHECK(v.protocol() == kIpProtoUdp);
  CHECK(v.dont_fragment());
  CHECK_FALSE(v.more_fragments());
  CHECK(v.fragment_offset() == 0);
  CHECK(v.header_checksum() == 0xb861);
  CHECK(v.header_checksum_ok());
  CHECK(v.src() == Ipv4Address::from_octets(192, 168, 0, 1));
  CHECK(v.dst() == Ipv4Address::from_octets(192, 168, 0, 199));
  CHECK(v.options().empty());
  // The payload ends at the total length, before the link padding.
  CHECK(v.payload().size() == 0x73 - 20);
  CHECK(v.bytes().size() == 0x73);
}

TEST_CASE("ipv4 repr parse and emit reproduce a real header", "[wire][ipv4]") {
  const auto bytes = udp_packet_with_padding();
  const auto repr = Ipv4Repr::parse(Ipv4PacketView::check(bytes).value());
  REQUIRE(repr.ok());
  const Ipv4Repr expected{.src = Ipv4Address::from_octets(192, 168, 0, 1),
                          .dst = Ipv4Address::from_octets(192, 168, 0, 199),
                          .protocol = kIpProtoUdp,
                          .ttl = 64,
                          .identification = 0,
                          .dont_fragment = true,
                          .dscp_ecn = 0,
                          .payload_len = 0x73 - 20};
  CHECK(repr.value() == expected);
  CHECK(expected.buffer_len() == 0x73);
  std::array<std::uint8_t, 20> out{};
  expected.emit(out);
  CHECK(out == kUdpHeader);
}

TEST_CASE("ipv4 emit round trip with all fields", "[wire][ipv4]") {
  const Ipv4Repr r{.src = Ipv4Address::from_octets(10, 0, 0, 1),
                   .dst = Ipv4Address::from_octets(10, 0, 0, 2),
                   .protocol = kIpProtoTcp,
                   .ttl = 1,
                   .identification = 0xbeef,
                   .dont_fragment = false,
                   .dscp_ecn = 0xb8,
                   .payload_len = 1480};
  std::vector<std::uint8_t> buf(r.buffer_len(), 0);
  r.emit(buf);
  const auto v = Ipv4PacketView::check(buf);
  REQUIRE(v.ok());
  CHECK(v.value().header_checksum_ok());
  CHECK(v.value().total_len() == 1500);
  CHECK(Ipv4Repr::parse(v.value()).value() == r);
}

TEST_CASE("ipv4 emit sums its fields to the checksum a read-back of the header gives", "[wire][ipv4]") {
  // emit() computes the checksum from the fields, not from the bytes it
  // wrote: the same value as fill_ipv4_checksum over them, for every field.
  for (const bool df : {false, true}) {
    for (const std::uint16_t id : {std::uint16_t{0}, std::uint16_t{1}, std::uint16_t{0xffff}}) {
      for (const std::uint8_t ttl : {std::uint8_t{0}, std::uint8_t{64}, std::uint8_t{255}}) {
        const Ipv4Repr r{.src = Ipv4Address::from_octets(192, 168, 255, 1),
                         .dst = Ipv4Address::from_octets(255, 255, 255, 254),
                         .protocol = kIpProtoTcp,
                         .ttl = ttl,
                         .identification = id,
                         .dont_fragment = df,
                         .dscp_ecn = 0x03,
                         .payload_len = 65515};
        std::vector<std::uint8_t> buf(kIpv4HeaderLen, 0);
        r.emit(buf);
        std::vector<std::uint8_t> again = buf;
        fill_ipv4_checksum(again);
        INFO("df " << df << " id " << id << " ttl " << int{ttl});
        CHECK(buf == again);
        CHECK(internet_checksum(buf) == 0);
      }
    }
  }
}

TEST_CASE("ipv4 header options are skipped", "[wire][ipv4]") {
  // IHL 6: one word of options (NOP NOP NOP EOL), then 4 payload bytes.
  std::vector<std::uint8_t> b{0x46, 0x00, 0x00, 0x1c, 0x00, 0x01, 0x00, 0x00, 0x40, 0x06,
                              0x00, 0x00, 0x0a, 0x00, 0x00, 0x01, 0x0a, 0x00, 0x00, 0x02,
                              0x01, 0x01, 0x01, 0x00, 0xaa, 0xbb, 0xcc, 0xdd};
  fill_ipv4_checksum(std::span<std::uint8_t>(b).first(24));
  const auto v = Ipv4PacketView::check(b);
  REQUIRE(v.ok());
  CHECK(v.value().header_checksum_ok());
  CHECK(v.value().header_len() == 24);
  CHECK(v.value().options().size() == 4);
  CHECK(v.value().payload().size() == 4);
  CHECK(v.value().payload()[0] == 0xaa);
  CHECK(Ipv4Repr::parse(v.value()).value().payload_len == 4);
}

TEST_CASE("ipv4 rejects malformed headers", "[wire][ipv4]") {
  const auto good = udp_packet_with_padding();
  SECTION("shorter than 20 bytes") {
    CHECK(check_error({good.begin(), good.begin() + 19}) == ParseError::kTruncated);
  }
  SECTION("version 6") {
    auto b = good;
    b[0] = 0x65;
    CHECK(check_error(b) == ParseError::kBadVersion);
  }
  SECTION("IHL below 5") {
    auto b = good;
    b[0] = 0x44;
    CHECK(check_error(b) == ParseError::kBadHeaderLength);
  }
  SECTION("IHL beyond the buffer") {
    std::vector<std::uint8_t> b{good.begin(), good.begin() + 20};
    b[0] = 0x46;
    b[3] = 24;
    CHECK(check_error(b) == ParseError::kTruncated);
  }
  SECTION("total length smaller than the header") {
    auto b = good;
    b[2] = 0;
    b[3] = 19;
    CHECK(check_error(b) == ParseError::kBadTotalLength);
  }
  SECTION("total length beyond the buffer") {
    std::vector<std::uint8_t> b{good.begin(), good.begin() + 0x72};
    CHECK(check_error(b) == ParseError::kTruncated);
  }
  SECTION("bad header checksum is detected, not rejected by check") {
    auto b = good;
    b[8] = 63;
    const auto v = Ipv4PacketView::check(b);
    REQUIRE(v.ok());
    CHECK_FALSE(v.value().header_checksum_ok());
  }
  SECTION("fragments are rejected by the repr") {
    auto b = good;
    b[6] = 0x20;  // MF
    fill_ipv4_checksum(std::span<std::uint8_t>(b).first(20));
    CHECK(Ipv4Repr::parse(Ipv4PacketView::check(b).value()).error() == ParseError::kFragmented);
    b[6] = 0x00;
    b[7] = 0x02;  // offset 16 bytes
    CHECK(Ipv4PacketView::check(b).value().fragment_offset() == 16);
    CHECK(Ipv4Repr::parse(Ipv4PacketView::check(b).value()).error() == ParseError::kFragmented);
  }
}

TEST_CASE("decrement_ttl keeps the header checksum valid (RFC 1624)", "[wire][ipv4]") {
  std::array<std::uint8_t, 20> h = kUdpHeader;
  h[8] = 255;
  fill_ipv4_checksum(h);
  for (int ttl = 255; ttl >= 1; --ttl) {
    decrement_ttl(h);
    REQUIRE(h[8] == ttl - 1);
    REQUIRE(internet_checksum(h) == 0);
    std::array<std::uint8_t, 20> recomputed = h;
    fill_ipv4_checksum(recomputed);
    REQUIRE(recomputed == h);
  }
}

TEST_CASE("decrement_ttl over many headers equals a full recompute", "[wire][ipv4]") {
  std::uint32_t seed = 1;
  for (int i = 0; i < 2000; ++i) {
    std::array<std::uint8_t, 20> h{};
    for (auto& b : h) {
      seed = seed * 1664525U + 1013904223U;
      b = static_cast<std::uint8_t>(seed >> 24);
    }
    h[0] = 0x45;
    if (h[8] == 0) h[8] = 1;
    fill_ipv4_checksum(h);
    std::array<std::uint8_t, 20> expected = h;
    expected[8] = static_cast<std::uint8_t>(expected[8] - 1);
    fill_ipv4_checksum(expected);
    decrement_ttl(h);
    REQUIRE(h == expected);
  }
}

TEST_CASE("ipv4 repr prints for test messages", "[wire][ipv4]") {
  std::ostringstream os;
  os << Ipv4Repr{.src = Ipv4Address::from_octets(10, 0, 0, 1),
                 .dst = Ipv4Address::from_octets(10, 0, 0, 2), .payload_len = 20};
  CHECK(os.str() == "10.0.0.1 > 10.0.0.2 proto 6 ttl 64 id 0 DF tos 0x0 len 20");
}
