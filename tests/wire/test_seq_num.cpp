#include <sstream>

#include <catch2/catch.hpp>

#include "wiresim/wire/seq_num.hpp"

using namespace wiresim::wire;

TEST_CASE("sequence numbers compare modulo 2^32", "[wire][seq]") {
  const SeqNum near_top{0xfffffff0U};
  const SeqNum wrapped = near_top + 0x20;
  CHECK(wrapped.raw() == 0x10U);
  CHECK(near_top < wrapped);
  CHECK(wrapped > near_top);
  CHECK(wrapped - near_top == 0x20);
  CHECK(near_top - wrapped == -0x20);
  CHECK(seq_max(near_top, wrapped) == wrapped);
  CHECK(seq_min(near_top, wrapped) == near_top);
  CHECK(seq_in_range(SeqNum{0xffffffffU}, near_top, wrapped));
  CHECK(seq_in_range(SeqNum{0}, near_top, wrapped));
  CHECK_FALSE(seq_in_range(wrapped, near_top, wrapped));
  CHECK(SeqNum{0} - 1 == SeqNum{0xffffffffU});
  // Half the space away: 2^31 - 1 ahead is still "after".
  CHECK(SeqNum{0x7fffffffU} > SeqNum{0});
  CHECK(SeqNum{0x80000001U} < SeqNum{0});
}

TEST_CASE("sequence numbers print their raw value", "[wire][seq]") {
  std::ostringstream os;
  os << SeqNum{4294967295U};
  CHECK(os.str() == "4294967295");
}
