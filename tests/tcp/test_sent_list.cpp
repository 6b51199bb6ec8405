#include <cstdint>
#include <vector>

#include <catch2/catch.hpp>

#include "wiresim/tcp/rack_tlp.hpp"

using wiresim::Time;
using wiresim::tcp::SentList;
using wiresim::tcp::SentSegment;
using wiresim::wire::SeqNum;

namespace {
SentSegment seg(std::uint32_t seq, std::uint32_t end) { return SentSegment{SeqNum{seq}, SeqNum{end}, Time{}, false, false, false, false}; }
std::vector<std::uint32_t> starts(const SentList& l) {
  std::vector<std::uint32_t> v;
  for (const SentSegment& s : l) v.push_back(s.seq.raw());
  return v;
}
}  // namespace

TEST_CASE("SentList: FIFO of sent segments, a split tail inserted in place", "[tcp][rack]") {
  SentList l;
  CHECK(l.empty());
  for (std::uint32_t i = 0; i < 4; ++i) l.push_back(seg(i * 100, i * 100 + 100));
  CHECK(l.size() == 4);
  CHECK(l.front().seq.raw() == 0);
  CHECK(l.back().end.raw() == 400);
  l.pop_front();
  CHECK(starts(l) == std::vector<std::uint32_t>{100, 200, 300});
  // RackTlp::split_at: the record [200, 300) cut at 250.
  auto it = l.begin() + 1;
  it->end = SeqNum{250};
  l.insert(it + 1, seg(250, 300));
  CHECK(starts(l) == std::vector<std::uint32_t>{100, 200, 250, 300});
  while (!l.empty()) l.pop_front();
  CHECK(l.size() == 0);
  l.push_back(seg(400, 500));  // emptied by pops: starts over at the front
  CHECK(starts(l) == std::vector<std::uint32_t>{400});
}

TEST_CASE("SentList: a window sliding through thousands of segments keeps order and bounded storage",
          "[tcp][rack]") {
  // Acknowledged segments at the front are skipped, then compacted when the
  // storage is full and they are at least half of it.
  SentList l;
  std::uint32_t next = 0;
  std::uint32_t oldest = 0;
  for (int round = 0; round < 5000; ++round) {
    l.push_back(seg(next, next + 10));
    next += 10;
    if (l.size() > 37) {
      CHECK(l.front().seq.raw() == oldest);
      l.pop_front();
      oldest += 10;
    }
    CHECK(l.stored() < 4 * 37);
  }
  REQUIRE(l.size() == 37);
  std::uint32_t expect = oldest;
  for (const SentSegment& s : l) {
    CHECK(s.seq.raw() == expect);
    expect += 10;
  }
  CHECK(expect == next);
}
