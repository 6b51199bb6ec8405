#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <vector>

#include "wiresim/net/packet.hpp"
#include "wiresim/net/packet_pool.hpp"

using wiresim::net::Packet;
using wiresim::net::PacketPool;

namespace {

void fill(std::span<std::uint8_t> s, std::uint8_t v) { std::fill(s.begin(), s.end(), v); }

}  // namespace

TEST_CASE("packet headers are prepended in front of the payload without moving it", "[net][packet]") {
  PacketPool pool;
  Packet p = pool.make(34, 100);
  CHECK(p.size() == 0);
  CHECK(p.headroom() == 34);
  CHECK(p.tailroom() == PacketPool::kBufferSize - 34);

  fill(p.append(4), 0xdd);
  const std::uint8_t* payload = p.bytes().data();
  fill(p.prepend(20), 0x45);
  fill(p.prepend(14), 0xee);

  REQUIRE(p.size() == 38);
  CHECK(p.headroom() == 0);
  CHECK(p.bytes().data() + 34 == payload);
  CHECK(p.bytes()[0] == 0xee);
  CHECK(p.bytes()[13] == 0xee);
  CHECK(p.bytes()[14] == 0x45);
  CHECK(p.bytes()[33] == 0x45);
  CHECK(p.bytes()[34] == 0xdd);
  CHECK(p.bytes()[37] == 0xdd);

  p.pull(14);
  CHECK(p.size() == 24);
  CHECK(p.bytes()[0] == 0x45);
  p.trim(20);
  CHECK(p.size() == 20);
  CHECK(p.bytes()[19] == 0x45);
}

TEST_CASE("prepend beyond the headroom reallocates and keeps bytes and uid", "[net][packet]") {
  PacketPool pool;
  Packet p = pool.make(2, 3);
  const std::uint64_t uid = p.uid();
  const auto tail = p.append(3);
  tail[0] = 1;
  tail[1] = 2;
  tail[2] = 3;
  fill(p.prepend(10), 9);
  REQUIRE(p.size() == 13);
  CHECK(p.uid() == uid);
  CHECK(p.bytes()[0] == 9);
  CHECK(p.bytes()[9] == 9);
  CHECK(p.bytes()[10] == 1);
  CHECK(p.bytes()[12] == 3);
  // The old buffer went back to the pool.
  CHECK(pool.buffers_in_use() == 1);
}

TEST_CASE("append beyond 2 KiB moves the packet to a larger size class", "[net][packet]") {
  PacketPool pool;
  Packet p = pool.make(34, 1500);
  fill(p.append(1500), 7);
  fill(p.append(3000), 8);
  REQUIRE(p.size() == 4500);
  CHECK(p.headroom() == 34);
  CHECK(p.bytes()[1499] == 7);
  CHECK(p.bytes()[1500] == 8);
  CHECK(p.headroom() + p.size() + p.tailroom() == 8192);

  Packet big = pool.make(0, 9000);
  CHECK(big.tailroom() == 16384);
  CHECK_THROWS_AS(pool.make(0, PacketPool::kMaxBufferSize + 1), std::length_error);
}

TEST_CASE("packet uids are unique, increasing and survive moves", "[net][packet]") {
  PacketPool pool;
  Packet a = pool.make(0, 10);
  Packet b = pool.make(0, 10);
  CHECK(a.uid() == 1);
  CHECK(b.uid() == 2);
  Packet c = std::move(a);
  CHECK(c.uid() == 1);
  CHECK_FALSE(a.has_buffer());  // NOLINT(bugprone-use-after-move): checking moved-from state
  CHECK(a.size() == 0);         // NOLINT(bugprone-use-after-move)
  c = std::move(b);
  CHECK(c.uid() == 2);
  CHECK(pool.buffers_in_use() == 1);
  CHECK(pool.packets_made() == 2);
}

TEST_CASE("the packet pool does not grow in steady state", "[net][packet][pool]") {
  PacketPool pool;
  std::vector<Packet> window;
  // A sliding window of 64 packets in flight, 200,000 packets through it.
  for (int i = 0; i < 200'000; ++i) {
    Packet p = pool.make(34, 1460);
    p.append(1460);
    if (window.size() == 64) window.erase(window.begin());
    window.push_back(std::move(p));
  }
  CHECK(pool.buffers_allocated() == 65);
  CHECK(pool.buffers_in_use() == 64);
  window.clear();
  CHECK(pool.buffers_free() == 65);
  CHECK(pool.packets_made() == 200'000);

  // Made, dropped, made again: the same buffer each time.
  for (int i = 0; i < 1000; ++i) (void)pool.make(0, 100);
  CHECK(pool.buffers_allocated() == 65);
}

TEST_CASE("make_from copies the given bytes after the headroom", "[net][packet]") {
  PacketPool pool;
  const std::vector<std::uint8_t> bytes = {1, 2, 3, 4, 5};
  const Packet p = pool.make_from(14, bytes);
  CHECK(p.headroom() == 14);
  CHECK(std::vector<std::uint8_t>(p.bytes().begin(), p.bytes().end()) == bytes);
}
