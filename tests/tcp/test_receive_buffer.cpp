#include <algorithm>
#include <array>
#include <numeric>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>

#include "wiresim/tcp/receive_buffer.hpp"

using wiresim::tcp::ReceiveBuffer;

namespace {
using Ranges = std::vector<std::pair<std::uint32_t, std::uint32_t>>;

/// Bytes 'a', 'b', ... so that a misplaced byte shows up in the failure message.
std::vector<std::uint8_t> message(std::size_t n) {
  std::vector<std::uint8_t> m(n);
  for (std::size_t i = 0; i < n; ++i) m[i] = static_cast<std::uint8_t>('a' + i % 26);
  return m;
}
std::span<const std::uint8_t> piece(const std::vector<std::uint8_t>& m, std::size_t begin, std::size_t end) {
  return std::span<const std::uint8_t>{m}.subspan(begin, end - begin);
}
std::vector<std::uint8_t> read_all(ReceiveBuffer& b) {
  std::vector<std::uint8_t> out(b.readable());
  CHECK(b.read(out) == out.size());
  return out;
}
}  // namespace

TEST_CASE("in-order data is readable at once", "[tcp][rcvbuf]") {
  ReceiveBuffer b{16};
  const auto m = message(10);
  CHECK(b.insert(0, piece(m, 0, 4)) == 4);
  CHECK(b.insert(0, piece(m, 4, 10)) == 6);
  CHECK(b.readable() == 10);
  CHECK(b.window() == 6);
  CHECK_FALSE(b.has_out_of_order());
  const auto all = b.peek(100);
  CHECK(std::vector<std::uint8_t>(all[0].begin(), all[0].end()) == m);
  CHECK(all[1].empty());
  const auto some = b.peek(4);
  CHECK(std::vector<std::uint8_t>(some[0].begin(), some[0].end()) == std::vector<std::uint8_t>(m.begin(), m.begin() + 4));
  CHECK(b.readable() == 10);  // peeking consumes nothing
  std::array<std::uint8_t, 3> head{};
  CHECK(b.read(head) == 3);
  CHECK(head == std::array<std::uint8_t, 3>{'a', 'b', 'c'});
  CHECK(b.readable() == 7);
  CHECK(b.window() == 9);
  b.consume(2);
  CHECK(read_all(b) == std::vector<std::uint8_t>(m.begin() + 5, m.end()));
  CHECK(b.window() == 16);
}

TEST_CASE("out-of-order pieces reassemble in every arrival order", "[tcp][rcvbuf]") {
  const auto m = message(12);
  const std::array<std::pair<std::size_t, std::size_t>, 4> pieces = {{{0, 3}, {3, 5}, {5, 9}, {9, 12}}};
  std::array<std::size_t, 4> order{0, 1, 2, 3};
  int permutations = 0;
  do {
    ReceiveBuffer b{16};
    std::vector<bool> have(12, false);
    std::size_t rcv_nxt = 0;
    for (const std::size_t i : order) {
      const auto [begin, end] = pieces[i];
      for (std::size_t k = begin; k < end; ++k) have[k] = true;
      std::size_t expected_nxt = rcv_nxt;
      while (expected_nxt < 12 && have[expected_nxt]) ++expected_nxt;
      const auto offset = static_cast<std::uint32_t>(begin - rcv_nxt);
      CHECK(b.insert(offset, piece(m, begin, end)) == expected_nxt - rcv_nxt);
      rcv_nxt = expected_nxt;
      CHECK(b.readable() == rcv_nxt);
      const auto from = have.begin() + static_cast<std::ptrdiff_t>(rcv_nxt);
      const bool gap_data = std::find(from, have.end(), true) != have.end();
      CHECK(b.has_out_of_order() == gap_data);
    }
    CHECK_FALSE(b.has_out_of_order());
    CHECK(read_all(b) == m);
    ++permutations;
  } while (std::next_permutation(order.begin(), order.end()));
  CHECK(permutations == 24);
}

TEST_CASE("duplicate and overlapping pieces are stored once", "[tcp][rcvbuf]") {
  ReceiveBuffer b{32};
  const auto m = message(20);
  CHECK(b.insert(4, piece(m, 4, 8)) == 0);
  CHECK(b.insert(4, piece(m, 4, 8)) == 0);   // exact duplicate
  CHECK(b.insert(2, piece(m, 2, 6)) == 0);   // overlaps the front
  CHECK(b.insert(6, piece(m, 6, 12)) == 0);  // overlaps the back
  CHECK(b.insert(5, piece(m, 5, 7)) == 0);   // inside
  CHECK(b.sack_ranges(4) == Ranges{{2, 12}});
  CHECK(b.insert(14, piece(m, 14, 16)) == 0);
  CHECK(b.insert(12, piece(m, 12, 14)) == 0);  // adjacent on both sides: one range
  CHECK(b.sack_ranges(4) == Ranges{{2, 16}});
  CHECK(b.insert(0, piece(m, 0, 10)) == 16);   // fills the hole and overlaps the range
  CHECK_FALSE(b.has_out_of_order());
  CHECK(read_all(b) == std::vector<std::uint8_t>(m.begin(), m.begin() + 16));
}

TEST_CASE("bytes beyond the receive window are dropped", "[tcp][rcvbuf]") {
  ReceiveBuffer b{10};
  const auto m = message(30);
  CHECK(b.insert(8, piece(m, 8, 13)) == 0);  // only 8, 9 fit
  CHECK(b.sack_ranges(4) == Ranges{{8, 10}});
  CHECK(b.insert(10, piece(m, 10, 12)) == 0);  // wholly outside: ignored
  CHECK(b.sack_ranges(4) == Ranges{{8, 10}});
  CHECK(b.insert(0, piece(m, 0, 6)) == 6);
  CHECK(b.window() == 4);
  CHECK(b.insert(0, piece(m, 6, 20)) == 4);  // fills up to the capacity, joins 8..10
  CHECK(b.readable() == 10);
  CHECK(b.window() == 0);
  CHECK(b.insert(0, piece(m, 10, 11)) == 0);  // zero window
  // The application reads; the ring wraps for the next bytes.
  std::array<std::uint8_t, 7> first{};
  CHECK(b.read(first) == 7);
  CHECK(b.window() == 7);
  CHECK(b.insert(2, piece(m, 12, 20)) == 0);  // only 12..16 fit: the window of 7 ends at 17
  CHECK(b.sack_ranges(4) == Ranges{{2, 7}});
  CHECK(b.insert(0, piece(m, 10, 12)) == 7);
  CHECK(b.readable() == 10);
  // Readable bytes 7..16 straddle the end of the ring: peek gives two runs.
  const auto runs = b.peek(9);
  const std::vector<std::uint8_t> up_to_wrap(m.begin() + 7, m.begin() + 10);
  const std::vector<std::uint8_t> after_wrap(m.begin() + 10, m.begin() + 16);
  CHECK(std::vector<std::uint8_t>(runs[0].begin(), runs[0].end()) == up_to_wrap);
  CHECK(std::vector<std::uint8_t>(runs[1].begin(), runs[1].end()) == after_wrap);
  const auto short_of_wrap = b.peek(2);
  CHECK(short_of_wrap[0].size() == 2);
  CHECK(short_of_wrap[1].empty());
  CHECK(read_all(b) == std::vector<std::uint8_t>(m.begin() + 7, m.begin() + 17));
}

TEST_CASE("SACK ranges come most recently changed first (RFC 2018 4)", "[tcp][rcvbuf][sack]") {
  ReceiveBuffer b{64};
  const auto m = message(40);
  b.insert(10, piece(m, 10, 12));
  b.insert(20, piece(m, 20, 22));
  b.insert(30, piece(m, 30, 32));
  CHECK(b.sack_ranges(4) == Ranges{{30, 32}, {20, 22}, {10, 12}});
  b.insert(12, piece(m, 12, 14));  // extends the oldest block: it becomes the first
  CHECK(b.sack_ranges(4) == Ranges{{10, 14}, {30, 32}, {20, 22}});
  CHECK(b.sack_ranges(2) == Ranges{{10, 14}, {30, 32}});
  CHECK(b.sack_ranges(0).empty());
  b.insert(21, piece(m, 21, 22));  // a duplicate inside a block also counts as a change
  CHECK(b.sack_ranges(4) == Ranges{{20, 22}, {10, 14}, {30, 32}});
  // The hole [0, 10) fills: rcv.nxt moves to 14 and the offsets follow it.
  CHECK(b.insert(0, piece(m, 0, 10)) == 14);
  CHECK(b.sack_ranges(4) == Ranges{{6, 8}, {16, 18}});
}

TEST_CASE("receive buffer storage grows with the bytes held and is released when drained",
          "[tcp][rcvbuf]") {
  ReceiveBuffer b{131200};
  const auto m = message(100000);
  CHECK(b.capacity() == 131200);
  CHECK(b.window() == 131200);
  CHECK(b.storage_bytes() == 0);  // nothing allocated up front
  CHECK(b.insert(0, piece(m, 0, 1448)) == 1448);
  CHECK(b.storage_bytes() == 4096);
  CHECK(read_all(b) == std::vector<std::uint8_t>(m.begin(), m.begin() + 1448));
  CHECK(b.storage_bytes() == 4096);  // the smallest ring is kept

  // A hole, then data far beyond it: the ring grows (doubling) to hold it,
  // keeping every byte at its place across each regrowth.
  CHECK(b.insert(1000, piece(m, 2448, 3448)) == 0);
  CHECK(b.insert(20000, piece(m, 21448, 40000)) == 0);
  CHECK(b.storage_bytes() == 65536);
  CHECK(b.insert(90000, piece(m, 91448, 100000)) == 0);
  CHECK(b.storage_bytes() == 131072);
  CHECK(b.sack_ranges(4) == Ranges{{90000, 98552}, {20000, 38552}, {1000, 2000}});
  std::array<std::pair<std::uint32_t, std::uint32_t>, 2> two{};
  CHECK(b.sack_ranges(two) == 2);
  CHECK(two[0] == std::pair<std::uint32_t, std::uint32_t>{90000, 98552});
  CHECK(two[1] == std::pair<std::uint32_t, std::uint32_t>{20000, 38552});
  CHECK(b.insert(0, piece(m, 1448, 100000)) == 100000 - 1448);  // fills every hole
  CHECK(read_all(b) == std::vector<std::uint8_t>(m.begin() + 1448, m.end()));
  CHECK(b.storage_bytes() == 0);  // drained: a large ring is given back
  CHECK(b.window() == 131200);
}

TEST_CASE("receive buffer storage never exceeds its capacity", "[tcp][rcvbuf]") {
  ReceiveBuffer b{5000};
  const auto m = message(5000);
  CHECK(b.insert(4000, piece(m, 4000, 5000)) == 0);
  CHECK(b.storage_bytes() == 5000);  // 8 KiB would exceed the capacity
  CHECK(b.insert(0, piece(m, 0, 4000)) == 5000);
  CHECK(b.window() == 0);
  CHECK(read_all(b) == m);
}

TEST_CASE("a drained buffer writes the next bytes at the start of its storage", "[tcp][rcvbuf]") {
  ReceiveBuffer b{1 << 20};
  const auto m = message(4000);
  // A promptly read stream: 1448 bytes in, read, then 4000 in. The kept
  // 4 KiB ring starts over at index 0, so the 4000 bytes are one run; had
  // it continued at index 1448 they would wrap into two.
  CHECK(b.insert(0, piece(m, 0, 1448)) == 1448);
  CHECK(read_all(b) == std::vector<std::uint8_t>(m.begin(), m.begin() + 1448));
  CHECK(b.storage_bytes() == 4096);
  CHECK(b.insert(0, piece(m, 0, 4000)) == 4000);
  const auto runs = b.peek(4000);
  CHECK(runs[0].size() == 4000);
  CHECK(runs[1].empty());
  CHECK(std::equal(runs[0].begin(), runs[0].end(), m.begin()));
  // Not drained (bytes left): the ring continues where it was and wraps.
  b.consume(3000);
  CHECK(b.insert(0, piece(m, 0, 2000)) == 2000);
  const auto wrapped = b.peek(3000);
  CHECK(wrapped[0].size() == 96 + 1000);
  CHECK(wrapped[1].size() == 1904);
  CHECK(std::equal(wrapped[0].begin(), wrapped[0].begin() + 1000, m.begin() + 3000));
  CHECK(std::equal(wrapped[0].begin() + 1000, wrapped[0].end(), m.begin()));
  CHECK(std::equal(wrapped[1].begin(), wrapped[1].end(), m.begin() + 96));
}
