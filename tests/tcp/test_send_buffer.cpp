#include <vector>

#include <catch2/catch.hpp>

#include "wiresim/tcp/send_buffer.hpp"

using wiresim::tcp::SendBuffer;

namespace {
std::vector<std::uint8_t> bytes(std::initializer_list<int> v) {
  std::vector<std::uint8_t> out;
  for (const int b : v) out.push_back(static_cast<std::uint8_t>(b));
  return out;
}
std::vector<std::uint8_t> flatten(const SendBuffer::Slice& s) {
  std::vector<std::uint8_t> out(s.first.begin(), s.first.end());
  out.insert(out.end(), s.second.begin(), s.second.end());
  return out;
}
std::vector<std::uint8_t> to_vec(std::span<const std::uint8_t> s) { return {s.begin(), s.end()}; }
}  // namespace

TEST_CASE("send buffer accepts writes up to its capacity", "[tcp][sndbuf]") {
  SendBuffer b{8};
  CHECK(b.capacity() == 8);
  CHECK(b.free_space() == 8);
  CHECK(b.write(bytes({0, 1, 2, 3, 4, 5})) == 6);
  CHECK(b.size() == 6);
  CHECK(b.free_space() == 2);
  CHECK(b.write(bytes({6, 7, 8, 9})) == 2);  // only 6 and 7 fit
  CHECK(b.size() == 8);
  CHECK(b.write(bytes({10})) == 0);
  const auto all = b.peek(0, 8);
  CHECK(to_vec(all.first) == bytes({0, 1, 2, 3, 4, 5, 6, 7}));
  CHECK(all.second.empty());
  CHECK(all.size() == 8);
}

TEST_CASE("send buffer wraps around and peeks in two spans", "[tcp][sndbuf]") {
  SendBuffer b{8};
  REQUIRE(b.write(bytes({0, 1, 2, 3, 4, 5, 6, 7})) == 8);
  b.consume(5);  // 0..4 acknowledged; 5, 6, 7 remain at the end of the ring
  CHECK(b.size() == 3);
  CHECK(b.free_space() == 5);
  CHECK(b.write(bytes({10, 11, 12, 13})) == 4);  // stored at ring indices 0..3

  const auto whole = b.peek(0, 7);
  CHECK(to_vec(whole.first) == bytes({5, 6, 7}));
  CHECK(to_vec(whole.second) == bytes({10, 11, 12, 13}));
  CHECK(whole.size() == 7);

  const auto across = b.peek(2, 3);  // 7 | 10, 11
  CHECK(to_vec(across.first) == bytes({7}));
  CHECK(to_vec(across.second) == bytes({10, 11}));

  const auto after = b.peek(4, 100);  // starts past the wrap, clipped to size()
  CHECK(to_vec(after.first) == bytes({11, 12, 13}));
  CHECK(after.second.empty());

  const auto before = b.peek(0, 2);
  CHECK(to_vec(before.first) == bytes({5, 6}));
  CHECK(before.second.empty());

  CHECK(b.peek(7, 1).size() == 0);  // nothing at or past size()

  b.consume(4);  // 5, 6, 7, 10
  CHECK(flatten(b.peek(0, 10)) == bytes({11, 12, 13}));
  b.consume(100);  // clipped
  CHECK(b.size() == 0);
  CHECK(b.free_space() == 8);
}

TEST_CASE("send buffer keeps a byte stream intact over many wraps", "[tcp][sndbuf]") {
  SendBuffer b{7};
  std::vector<std::uint8_t> sent;
  std::vector<std::uint8_t> acked;
  std::uint8_t next = 0;
  for (int round = 0; round < 50; ++round) {
    std::vector<std::uint8_t> chunk;
    for (int i = 0; i < 1 + round % 5; ++i) chunk.push_back(next++);
    const std::size_t n = b.write(chunk);
    sent.insert(sent.end(), chunk.begin(), chunk.begin() + static_cast<std::ptrdiff_t>(n));
    next = static_cast<std::uint8_t>(next - (chunk.size() - n));  // unsent bytes are offered again
    const std::size_t ack = static_cast<std::size_t>(round % 4);
    const auto front = flatten(b.peek(0, ack));
    acked.insert(acked.end(), front.begin(), front.end());
    b.consume(ack);
  }
  const auto rest = flatten(b.peek(0, b.size()));
  acked.insert(acked.end(), rest.begin(), rest.end());
  CHECK(acked == sent);
  CHECK(sent.size() > 50);
}

TEST_CASE("a zero-capacity send buffer takes nothing", "[tcp][sndbuf]") {
  SendBuffer b{0};
  CHECK(b.write(bytes({1, 2})) == 0);
  CHECK(b.size() == 0);
  CHECK(b.peek(0, 4).size() == 0);
}
