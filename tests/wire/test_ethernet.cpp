#include <array>
#include <sstream>
#include <vector>

#include <catch2/catch.hpp>

#include "wiresim/wire/ethernet.hpp"

using namespace wiresim::wire;

TEST_CASE("ethernet header parse", "[wire][ethernet]") {
  const std::array<std::uint8_t, 16> frame{0x02, 0x00, 0x00, 0x00, 0x00, 0x02,  // dst
                                           0x02, 0x00, 0x00, 0x00, 0x00, 0x01,  // src
                                           0x08, 0x00,                          // IPv4
                                           0xde, 0xad};
  const auto v = EthernetFrameView::check(frame);
  REQUIRE(v.ok());
  CHECK(v.value().dst() == MacAddress::local(2));
  CHECK(v.value().src() == MacAddress::local(1));
  CHECK(v.value().ethertype() == kEtherTypeIpv4);
  CHECK(v.value().payload().size() == 2);
  CHECK(v.value().payload()[0] == 0xde);

  const auto r = EthernetRepr::parse(v.value());
  REQUIRE(r.ok());
  CHECK(r.value() == EthernetRepr{.dst = MacAddress::local(2), .src = MacAddress::local(1),
                                  .ethertype = kEtherTypeIpv4});
}

TEST_CASE("ethernet header emit", "[wire][ethernet]") {
  const EthernetRepr r{.dst = MacAddress::broadcast(), .src = MacAddress::local(7),
                       .ethertype = kEtherTypeArp};
  std::array<std::uint8_t, kEthernetHeaderLen> out{};
  r.emit(out);
  CHECK(out == std::array<std::uint8_t, kEthernetHeaderLen>{0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                                                            0x02, 0x00, 0x00, 0x00, 0x00, 0x07,
                                                            0x08, 0x06});
  CHECK(EthernetRepr::buffer_len(20) == kEthernetMinFrameLen);
  CHECK(EthernetRepr::buffer_len(1500) == 1514);
}

TEST_CASE("ethernet frame shorter than its header is truncated", "[wire][ethernet]") {
  const std::vector<std::uint8_t> frame(13, 0);
  const auto v = EthernetFrameView::check(frame);
  REQUIRE_FALSE(v.ok());
  CHECK(v.error() == ParseError::kTruncated);
  CHECK(EthernetFrameView::check(std::span<const std::uint8_t>{}).error() ==
        ParseError::kTruncated);
  const std::vector<std::uint8_t> header_only(14, 0);
  REQUIRE(EthernetFrameView::check(header_only).ok());
  CHECK(EthernetFrameView::check(header_only).value().payload().empty());
}

TEST_CASE("ethernet repr prints for test messages", "[wire][ethernet]") {
  std::ostringstream os;
  os << EthernetRepr{.dst = MacAddress::local(2), .src = MacAddress::local(1)};
  CHECK(os.str() == "02:00:00:00:00:01 > 02:00:00:00:00:02 type 0x0800");
}
