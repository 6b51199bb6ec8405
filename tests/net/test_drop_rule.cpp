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
  DropRuleSet rules{{DropRule{{3}, DropFilter::kAny, {}, {}, {}, {}}}};
  const std::vector<TcpFrame> frames(6, with_flags(wire::kAck));
  CHECK(dropped(rules, pool, frames) == std::vector<int>{3});
  CHECK(rules.matched(0) == 6);
  CHECK(rules.dropped(0) == 1);
}

TEST_CASE("drop rule: a rule whose nth never comes drops nothing and says so by its count", "[net][droprule]") {
  PacketPool pool;
  // Rule 0 drops the 2nd and 3rd packets; rule 1 would drop the 9th, which never comes.
  DropRuleSet rules{{DropRule{{2, 3}, DropFilter::kAny, {}, {}, {}, {}}, DropRule{{9}, DropFilter::kAny, {}, {}, {}, {}}}};
  const std::vector<TcpFrame> frames(6, with_flags(wire::kAck));
  CHECK(dropped(rules, pool, frames) == std::vector<int>{2, 3});
  CHECK(rules.matched(0) == 6);
  CHECK(rules.dropped(0) == 2);
  CHECK(rules.matched(1) == 6);
  CHECK(rules.dropped(1) == 0);
}

TEST_CASE("drop rule: the 2nd tcp_data packet from port 80", "[net][droprule]") {
  PacketPool pool;
  DropRuleSet rules{{DropRule{{2}, DropFilter::kTcpData, 80, {}, {}, {}}}};
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
  DropRuleSet rules{{DropRule{{1}, DropFilter::kSynAck, {}, {}, {}, {}}}};
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
  DropRuleSet rules{{DropRule{{5, 2, 5}, DropFilter::kAny, {}, {}, {}, {}}}};
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
    DropRuleSet rules{{DropRule{{1, 2, 3, 4, 5, 6, 7}, f, {}, {}, {}, {}}}};
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
  DropRuleSet rules{{DropRule{{1, 2, 3}, DropFilter::kPureAck, {}, {}, {}, {}},
                     DropRule{{1}, DropFilter::kAny, {}, 80, {}, {}}}};
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
  CHECK_THROWS_AS(DropRuleSet({DropRule{{0}, DropFilter::kAny, {}, {}, {}, {}}}), std::invalid_argument);
  for (const DropFilter f : {DropFilter::kAny, DropFilter::kTcpData, DropFilter::kSyn, DropFilter::kSynAck,
                             DropFilter::kFin, DropFilter::kRst, DropFilter::kPureAck}) {
    CHECK(parse_drop_filter(to_string(f)) == f);
  }
  CHECK(to_string(DropFilter::kTcpData) == "tcp_data");
  CHECK_FALSE(parse_drop_filter("ack").has_value());
}

namespace {

/// A segment of connection `sport` (to port 80) with sequence number `seq`.
TcpFrame seg(std::uint16_t sport, std::uint8_t flags, std::uint32_t seq, std::size_t len) {
  TcpFrame f;
  f.src_port = sport;
  f.flags = flags;
  f.seq = seq;
  f.payload_len = len;
  return f;
}

}  // namespace

TEST_CASE("drop rule: connection and relative sequence number select one transmission",
          "[net][droprule][seq]") {
  PacketPool pool;
  DropRule r{{}, DropFilter::kTcpData, {}, {}, 2, 1449};
  DropRuleSet rules{{r}};
  const std::vector<TcpFrame> frames = {
      seg(40000, wire::kSyn, 100, 0),             // 1: connection 1, ISN 100
      seg(40001, wire::kSyn, 7000, 0),            // 2: connection 2, ISN 7000
      seg(40000, wire::kAck, 101 + 1448, 1448),   // 3: connection 1 at 1449: not this one
      seg(40001, wire::kAck, 7001, 1448),         // 4: connection 2 at 1
      seg(40001, wire::kAck, 7001 + 1448, 1448),  // 5: connection 2 at 1449: dropped
      seg(40001, wire::kAck, 7001 + 1448, 1448),  // 6: its retransmission passes
  };
  CHECK(dropped(rules, pool, frames) == std::vector<int>{5});
}

TEST_CASE("drop rule: connection with nth counts that connection's packets only", "[net][droprule][seq]") {
  PacketPool pool;
  DropRuleSet rules{{DropRule{{2}, DropFilter::kTcpData, {}, {}, 1, {}}}};
  const std::vector<TcpFrame> frames = {
      seg(40000, wire::kSyn, 100, 0),          // connection 1
      seg(40001, wire::kSyn, 7000, 0),         // connection 2
      seg(40001, wire::kAck, 7001, 10),        // connection 2's data does not count
      seg(40000, wire::kAck, 101, 10),         // connection 1's 1st
      seg(40000, wire::kAck, 111, 10),         // connection 1's 2nd: dropped
      seg(40000, wire::kSyn, 100, 0),          // a SYN sent again keeps the number
      seg(40000, wire::kAck, 121, 10),
  };
  CHECK(dropped(rules, pool, frames) == std::vector<int>{5});
}

TEST_CASE("drop rule: a SYN-ACK numbers the answering side's connections", "[net][droprule][seq]") {
  PacketPool pool;
  DropRuleSet rules{{DropRule{{}, DropFilter::kTcpData, {}, {}, 1, 1}}};
  TcpFrame synack = seg(80, wire::kSyn | wire::kAck, 5000, 0);
  synack.dst_port = 40000;
  TcpFrame first = seg(80, wire::kAck | wire::kPsh, 5001, 665);
  first.dst_port = 40000;
  const std::vector<TcpFrame> frames = {seg(80, wire::kAck, 9, 5), synack, first, first};
  CHECK(dropped(rules, pool, frames) == std::vector<int>{3});  // a packet before any SYN has no number
}

TEST_CASE("drop rule: nth with seq, or connection 0, is refused", "[net][droprule][seq]") {
  CHECK_THROWS_AS(DropRuleSet({DropRule{{1}, DropFilter::kTcpData, {}, {}, {}, 1}}), std::invalid_argument);
  CHECK_THROWS_AS(DropRuleSet({DropRule{{1}, DropFilter::kTcpData, {}, {}, 0, {}}}), std::invalid_argument);
}
