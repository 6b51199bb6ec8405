#include <vector>

#include <catch2/catch.hpp>

#include "wiresim/tcp/sack_scoreboard.hpp"

using wiresim::tcp::SackScoreboard;
using wiresim::wire::SackBlock;
using wiresim::wire::SeqNum;

namespace {
constexpr std::uint32_t kMss = 1000;
/// Sequence numbers relative to an ISN close to the wrap, so that every test
/// also checks modular comparison.
constexpr std::uint32_t kBase = 0xffff'f000u;
SeqNum s(std::uint32_t rel) { return SeqNum{kBase + rel}; }
SackBlock blk(std::uint32_t l, std::uint32_t r) { return SackBlock{s(l), s(r)}; }
std::vector<SackBlock> ranges_of(const SackScoreboard& sb) { return {sb.ranges().begin(), sb.ranges().end()}; }

/// Ten 1000-byte segments [0, 10000) sent; segments 0 and 2 lost, the rest SACKed.
SackScoreboard two_holes() {
  SackScoreboard sb;
  const std::vector<SackBlock> acks = {blk(1000, 2000), blk(3000, 4000), blk(3000, 6000), blk(3000, 10000)};
  for (const SackBlock& b : acks) sb.update(s(0), std::span{&b, 1});
  return sb;
}
}  // namespace

TEST_CASE("scoreboard merges overlapping and adjacent blocks", "[tcp][sack]") {
  SackScoreboard sb;
  CHECK(sb.empty());
  const std::vector<SackBlock> first = {blk(2000, 3000), blk(3000, 4000)};  // adjacent
  sb.update(s(1000), first);
  CHECK(ranges_of(sb) == std::vector{blk(2000, 4000)});
  const std::vector<SackBlock> second = {blk(6000, 7000), blk(2500, 5000), blk(4000, 4000)};  // overlap; empty
  sb.update(s(1000), second);
  CHECK(ranges_of(sb) == std::vector{blk(2000, 5000), blk(6000, 7000)});
  CHECK(sb.sacked_bytes() == 4000);
  const std::vector<SackBlock> bridge = {blk(4500, 6500)};
  sb.update(s(1000), bridge);
  CHECK(ranges_of(sb) == std::vector{blk(2000, 7000)});
  CHECK(sb.highest_sacked() == s(7000));
  CHECK(sb.is_sacked(s(2000)));
  CHECK(sb.is_sacked(s(6999)));
  CHECK_FALSE(sb.is_sacked(s(7000)));
  CHECK_FALSE(sb.is_sacked(s(1999)));
}

TEST_CASE("scoreboard drops ranges at or below snd.una", "[tcp][sack]") {
  SackScoreboard sb;
  const std::vector<SackBlock> blocks = {blk(0, 500), blk(500, 1500), blk(2000, 3000)};
  sb.update(s(1000), blocks);  // [0,500) is a D-SACK below snd.una; [500,1500) is trimmed
  CHECK(ranges_of(sb) == std::vector{blk(1000, 1500), blk(2000, 3000)});
  sb.update(s(2500), {});  // the cumulative ACK moves into the second range
  CHECK(ranges_of(sb) == std::vector{blk(2500, 3000)});
  CHECK(sb.sacked_bytes() == 500);
  sb.update(s(3000), {});
  CHECK(sb.empty());
  CHECK_FALSE(sb.highest_sacked());
  sb.update(s(0), std::vector{blk(100, 200)});
  sb.clear();
  CHECK(sb.empty());
}

TEST_CASE("IsLost: DupThresh SACKed segments or more than 2 SMSS SACKed above (RFC 6675 4)", "[tcp][sack]") {
  SackScoreboard sb;
  sb.update(s(0), std::vector{blk(1000, 2000)});
  CHECK_FALSE(sb.is_lost(s(0), kMss));  // one segment above
  sb.update(s(0), std::vector{blk(3000, 4000)});
  CHECK_FALSE(sb.is_lost(s(0), kMss));  // two
  sb.update(s(0), std::vector{blk(5000, 5100)});
  CHECK(sb.is_lost(s(0), kMss));        // three discontiguous SACKed segments
  CHECK_FALSE(sb.is_lost(s(2000), kMss));  // only two above 2000
  CHECK_FALSE(sb.is_lost(s(4000), kMss));

  SackScoreboard bytes;
  bytes.update(s(0), std::vector{blk(1000, 3000)});  // exactly 2 SMSS: not more than
  CHECK_FALSE(bytes.is_lost(s(0), kMss));
  bytes.update(s(0), std::vector{blk(3000, 3001)});  // 2001 bytes
  CHECK(bytes.is_lost(s(0), kMss));
  CHECK(bytes.is_lost(s(999), kMss));
}

TEST_CASE("SetPipe counts un-SACKed bytes not lost plus retransmissions (RFC 6675 4)", "[tcp][sack]") {
  const SackScoreboard sb = two_holes();
  CHECK(ranges_of(sb) == std::vector{blk(1000, 2000), blk(3000, 10000)});
  // Both holes are lost (7000+ SACKed bytes above each), nothing retransmitted.
  CHECK(sb.pipe(s(0), s(10000), s(0), kMss) == 0);
  CHECK(sb.pipe(s(0), s(10000), s(1000), kMss) == 1000);  // segment 0 retransmitted
  CHECK(sb.pipe(s(0), s(10000), s(3000), kMss) == 2000);  // and segment 2
  // Two new segments above the highest SACK are not lost.
  CHECK(sb.pipe(s(0), s(12000), s(3000), kMss) == 4000);

  SackScoreboard early;
  early.update(s(0), std::vector{blk(1000, 2000)});  // one dupack's worth: nothing lost
  CHECK(early.pipe(s(0), s(5000), s(0), kMss) == 4000);
  CHECK(early.pipe(s(0), s(5000), s(1000), kMss) == 5000);  // a retransmission is in flight twice

  SackScoreboard none;
  CHECK(none.pipe(s(0), s(3000), s(0), kMss) == 3000);
}

TEST_CASE("NextSeg rule 1: the first lost hole above HighRxt (RFC 6675 4)", "[tcp][sack]") {
  const SackScoreboard sb = two_holes();
  auto seg = sb.next_seg(s(0), s(10000), s(0), kMss);
  REQUIRE(seg);
  CHECK(seg->seq == s(0));
  CHECK(seg->len == 1000);
  CHECK(seg->rule == 1);
  seg = sb.next_seg(s(0), s(10000), s(1000), kMss);
  REQUIRE(seg);
  CHECK(seg->seq == s(2000));
  CHECK(seg->len == 1000);
  CHECK(seg->rule == 1);
  seg = sb.next_seg(s(0), s(10000), s(2500), kMss);  // half of segment 2 was resent
  REQUIRE(seg);
  CHECK(seg->seq == s(2500));
  CHECK(seg->len == 500);
  CHECK_FALSE(sb.next_seg(s(0), s(10000), s(3000), kMss));  // nothing below the highest SACK
  CHECK_FALSE(sb.next_seg(s(0), s(12000), s(3000), kMss));  // new data is rule 2, the caller's

  // Holes longer than an SMSS are sent one SMSS at a time; shorter ones end at the SACK.
  SackScoreboard wide;
  wide.update(s(0), std::vector{blk(2500, 6000)});
  seg = wide.next_seg(s(0), s(6000), s(0), kMss);
  REQUIRE(seg);
  CHECK(seg->seq == s(0));
  CHECK(seg->len == 1000);
  seg = wide.next_seg(s(0), s(6000), s(2000), kMss);
  REQUIRE(seg);
  CHECK(seg->seq == s(2000));
  CHECK(seg->len == 500);
}

TEST_CASE("NextSeg rule 3: an un-SACKed hole that is not yet lost (RFC 6675 4)", "[tcp][sack]") {
  SackScoreboard sb;
  sb.update(s(0), std::vector{blk(1000, 2000)});
  const auto seg = sb.next_seg(s(0), s(5000), s(0), kMss);
  REQUIRE(seg);
  CHECK(seg->seq == s(0));
  CHECK(seg->len == 1000);
  CHECK(seg->rule == 3);
  CHECK_FALSE(SackScoreboard{}.next_seg(s(0), s(5000), s(0), kMss));
}
