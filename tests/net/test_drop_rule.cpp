#include <catch2/catch.hpp>

#include <cstdint>
#include <vector>

#include "net_test_util.hpp"
#include "wiresim/net/drop_rule.hpp"
#include "wiresim/net/packet_pool.hpp"
#include "wiresim/wire/tcp.hpp"

using namespace wiresim::net;
using wiresim::net::test::build_tcp_frame;
using wiresim::net::test::TcpFrame;
namespace wire = wiresim::wire;

namespace {

/// Offers each frame to the rule set; returns the 1-based indices dropped.
std::vector<int> dropped(DropRuleSet& rules, PacketPool& pool, const std::vector<TcpFrame>& frames) {
  std::vector<int> out;
  for (std::size_t i = 0; i < frames.size(); ++i) {
    const Packet p = build_tcp_frame(pool, frames[i]);
    if (rules.should_drop(p.bytes())) out.push_back(static_cast<int>(i + 1));
  }
  return out;
}

TcpFrame data(std::uint16_t sport, std::size_t len) {
  TcpFrame f;
  f.src_port = sport;
  f.dst_port = sport == 80 ? 49152 : 80;
  f.flags = wire::kAck | wire::kPsh;
  f.payload_len = len;
  return f;
}

TcpFrame with_flags(std::uint8_t flags) {
  TcpFrame f;
  f.flags = flags;
  return f;
}

}  // namespace

TEST_CASE("drop rule: the 3rd packet in a direction", "[net][droprule]") {
  PacketPool pool;
  DropRuleSet rules{{DropRule{{3}, DropFilter::kAny, {}, {}}}};
  const std::vector<TcpFrame> frames(6, with_flags(wire::kAck));
  CHECK(dropped(rules, pool, frames) == std::vector<int>{3});
  CHECK(rules.matched(0) == 6);
}

TEST_CASE("drop rule: the 2nd tcp_data packet from port 80", "[net][droprule]") {
  PacketPool pool;
  DropRuleSet rules{{DropRule{{2}, DropFilter::kTcpData, 80, {}}}};
  const std::vector<TcpFrame> frames = {
      with_flags(wire::kSyn | wire::kAck),  // 1: no payload
      data(49152, 100),                     // 2: data, wrong port
      data(80, 1448),                       // 3: 1st data from 80
      with_flags(wire::kAck),               // 4: pure ACK
      data(49152, 100),                     // 5: wrong port
      data(80, 1448),                       // 6: 2nd data from 80 -> dropped
      data(80, 1448),                       // 7: 3rd
  };
  CHECK(dropped(rules, pool, frames) == std::vector<int>{6});
  CHECK(rules.matched(0) == 3);
}

TEST_CASE("drop rule: the first synack", "[net][droprule]") {
  PacketPool pool;
  DropRuleSet rules{{DropRule{{1}, DropFilter::kSynAck, {}, {}}}};
  const std::vector<TcpFrame> frames = {
      with_flags(wire::kSyn),               // SYN without ACK: not a synack
      with_flags(wire::kSyn | wire::kAck),  // dropped
      with_flags(wire::kAck),
      with_flags(wire::kSyn | wire::kAck),  // 2nd synack (the retransmission) passes
  };
  CHECK(dropped(rules, pool, frames) == std::vector<int>{2});
}

TEST_CASE("drop rule: several occurrences, in any order", "[net][droprule]") {
  PacketPool pool;
  DropRuleSet rules{{DropRule{{5, 2, 5}, DropFilter::kAny, {}, {}}}};
  const std::vector<TcpFrame> frames(7, with_flags(wire::kAck));
  CHECK(dropped(rules, pool, frames) == std::vector<int>{2, 5});
}

TEST_CASE("drop rule filters classify flags exactly", "[net][droprule]") {
  PacketPool pool;
  const std::vector<TcpFrame> frames = {
      with_flags(wire::kSyn),                // 1
      with_flags(wire::kSyn | wire::kAck),   // 2
      with_flags(wire::kAck),                // 3 pure ack
      data(80, 10),                          // 4
      with_flags(wire::kFin | wire::kAck),   // 5
      with_flags(wire::kRst),                // 6
      with_flags(wire::kRst | wire::kAck),   // 7
  };
  const auto drop_all_of = [&](DropFilter f) {
    DropRuleSet rules{{DropRule{{1, 2, 3, 4, 5, 6, 7}, f, {}, {}}}};
    return dropped(rules, pool, frames);
  };
  CHECK(drop_all_of(DropFilter::kSyn) == std::vector<int>{1});
  CHECK(drop_all_of(DropFilter::kSynAck) == std::vector<int>{2});
  CHECK(drop_all_of(DropFilter::kPureAck) == std::vector<int>{3});
  CHECK(drop_all_of(DropFilter::kTcpData) == std::vector<int>{4});
  CHECK(drop_all_of(DropFilter::kFin) == std::vector<int>{5});
  CHECK(drop_all_of(DropFilter::kRst) == std::vector<int>{6, 7});
  CHECK(drop_all_of(DropFilter::kAny) == std::vector<int>{1, 2, 3, 4, 5, 6, 7});
}

TEST_CASE("non-TCP and malformed frames never match TCP filters", "[net][droprule]") {
  PacketPool pool;
  DropRuleSet rules{{DropRule{{1, 2, 3}, DropFilter::kPureAck, {}, {}},
                     DropRule{{1}, DropFilter::kAny, {}, 80}}};
  Packet truncated = build_tcp_frame(pool, with_flags(wire::kAck));
  truncated.trim(40);  // IPv4 total length beyond the frame
  Packet bad_offset = build_tcp_frame(pool, with_flags(wire::kAck));
  bad_offset.bytes()[14 + 20 + 12] = 0x30;  // TCP data offset 3 words
  Packet arp = build_tcp_frame(pool, with_flags(wire::kAck));
  arp.bytes()[12] = 0x08;
  arp.bytes()[13] = 0x06;
  Packet udp = build_tcp_frame(pool, with_flags(wire::kAck));
  udp.bytes()[14 + 9] = wire::kIpProtoUdp;
  const std::vector<std::uint8_t> garbage = {1, 2, 3};

  CHECK_FALSE(rules.should_drop(truncated.bytes()));
  CHECK_FALSE(rules.should_drop(bad_offset.bytes()));
  CHECK_FALSE(rules.should_drop(arp.bytes()));
  CHECK_FALSE(rules.should_drop(udp.bytes()));
  CHECK_FALSE(rules.should_drop(garbage));
  CHECK(rules.matched(0) == 0);
  CHECK(rules.matched(1) == 0);
  // A well-formed pure ACK to port 80 is the first match of both rules.
  CHECK(rules.should_drop(build_tcp_frame(pool, with_flags(wire::kAck)).bytes()));
  CHECK(rules.matched(0) == 1);
  CHECK(rules.matched(1) == 1);
}

TEST_CASE("drop rules reject occurrence 0, filter names parse", "[net][droprule]") {
  CHECK_THROWS_AS(DropRuleSet({DropRule{{0}, DropFilter::kAny, {}, {}}}), std::invalid_argument);
  for (const DropFilter f : {DropFilter::kAny, DropFilter::kTcpData, DropFilter::kSyn, DropFilter::kSynAck,
                             DropFilter::kFin, DropFilter::kRst, DropFilter::kPureAck}) {
    CHECK(parse_drop_filter(to_string(f)) == f);
  }
  CHECK(to_string(DropFilter::kTcpData) == "tcp_data");
  CHECK_FALSE(parse_drop_filter("ack").has_value());
}
