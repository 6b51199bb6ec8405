#include <memory>
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
  std::vector<std::uint8_t> out(s.size(), 0xee);
  s.copy_to(out);
  return out;
}
/// The contiguous runs of a slice, one vector each.
std::vector<std::vector<std::uint8_t>> runs(const SendBuffer::Slice& s) {
  std::vector<std::vector<std::uint8_t>> out;
  s.for_each_span([&](std::span<const std::uint8_t> r) { out.emplace_back(r.begin(), r.end()); });
  return out;
}
std::shared_ptr<const std::vector<std::uint8_t>> shared(std::initializer_list<int> v) {
  return std::make_shared<const std::vector<std::uint8_t>>(bytes(v));
}
}  // namespace

TEST_CASE("send buffer accepts writes up to its capacity", "[tcp][sndbuf]") {
  SendBuffer b{8};
  CHECK(b.capacity() == 8);
  CHECK(b.free_space() == 8);
  CHECK(b.storage_bytes() == 0);  // nothing allocated before the first byte
  CHECK(b.write(bytes({0, 1, 2, 3, 4, 5})) == 6);
  CHECK(b.size() == 6);
  CHECK(b.free_space() == 2);
  CHECK(b.write(bytes({6, 7, 8, 9})) == 2);  // only 6 and 7 fit
  CHECK(b.size() == 8);
  CHECK(b.write(bytes({10})) == 0);
  const auto all = b.peek(0, 8);
  CHECK(flatten(all) == bytes({0, 1, 2, 3, 4, 5, 6, 7}));
  CHECK(runs(all).size() == 1);  // copied bytes share one block
  CHECK(all.size() == 8);
}

TEST_CASE("send buffer peeks and consumes at any offset", "[tcp][sndbuf]") {
  SendBuffer b{8};
  REQUIRE(b.write(bytes({0, 1, 2, 3, 4, 5, 6, 7})) == 8);
  b.consume(5);  // 0..4 acknowledged; 5, 6, 7 remain
  CHECK(b.size() == 3);
  CHECK(b.free_space() == 5);
  CHECK(b.write(bytes({10, 11, 12, 13})) == 4);

  CHECK(flatten(b.peek(0, 7)) == bytes({5, 6, 7, 10, 11, 12, 13}));
  CHECK(b.peek(0, 7).size() == 7);
  CHECK(flatten(b.peek(2, 3)) == bytes({7, 10, 11}));
  CHECK(flatten(b.peek(4, 100)) == bytes({11, 12, 13}));  // clipped to size()
  CHECK(flatten(b.peek(0, 2)) == bytes({5, 6}));
  CHECK(b.peek(7, 1).size() == 0);  // nothing at or past size()

  b.consume(4);  // 5, 6, 7, 10
  CHECK(flatten(b.peek(0, 10)) == bytes({11, 12, 13}));
  b.consume(100);  // clipped
  CHECK(b.size() == 0);
  CHECK(b.free_space() == 8);
  CHECK(b.storage_bytes() == 0);  // drained: the block is freed
}

TEST_CASE("send buffer keeps a byte stream intact over many writes and acks", "[tcp][sndbuf]") {
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
  CHECK(b.write_shared(shared({1}), bytes({1})) == 0);
  CHECK(b.size() == 0);
  CHECK(b.peek(0, 4).size() == 0);
}

TEST_CASE("shared bytes are queued by reference, mixed with copied ones", "[tcp][sndbuf]") {
  SendBuffer b{10};
  const auto a = shared({1, 2, 3, 4});
  const auto c = shared({20, 21, 22, 23, 24, 25, 26});
  CHECK(b.write_shared(a, *a) == 4);
  CHECK(b.storage_bytes() == 0);  // no copy
  CHECK(a.use_count() == 2);      // the buffer keeps the owner alive
  CHECK(b.write(bytes({10, 11})) == 2);
  CHECK(b.write_shared(c, *c) == 4);  // only 20..23 fit
  CHECK(b.free_space() == 0);
  CHECK(flatten(b.peek(0, 10)) == bytes({1, 2, 3, 4, 10, 11, 20, 21, 22, 23}));
  CHECK(runs(b.peek(2, 6)) ==
        std::vector<std::vector<std::uint8_t>>{bytes({3, 4}), bytes({10, 11}), bytes({20, 21})});
  // A run points into the owner's bytes.
  b.peek(0, 4).for_each_span([&](std::span<const std::uint8_t> r) { CHECK(r.data() == a->data()); });

  b.consume(3);  // 1, 2, 3
  CHECK(a.use_count() == 2);  // 4 is still queued
  CHECK(flatten(b.peek(0, 3)) == bytes({4, 10, 11}));
  b.consume(1);
  CHECK(a.use_count() == 1);  // released with its last byte
  CHECK(b.size() == 6);
  CHECK(b.write(bytes({30, 31, 32, 33, 34})) == 4);
  CHECK(flatten(b.peek(0, 10)) == bytes({10, 11, 20, 21, 22, 23, 30, 31, 32, 33}));
  b.consume(10);
  CHECK(b.size() == 0);
  CHECK(c.use_count() == 1);
  CHECK(b.storage_bytes() == 0);
}

TEST_CASE("send buffer storage grows with what is queued and is freed as it is acknowledged",
          "[tcp][sndbuf]") {
  SendBuffer b{262144};
  std::vector<std::uint8_t> data(100000);
  for (std::size_t i = 0; i < data.size(); ++i) data[i] = static_cast<std::uint8_t>(i * 13 + 5);
  CHECK(b.write(std::span<const std::uint8_t>(data).first(1000)) == 1000);
  CHECK(b.storage_bytes() == 2048);  // the smallest block
  CHECK(b.write(std::span<const std::uint8_t>(data).subspan(1000)) == 99000);
  // 2 KiB then 16 KiB blocks: storage tracks the queue, not the capacity.
  CHECK(b.storage_bytes() >= 100000);
  CHECK(b.storage_bytes() < 100000 + 16384);
  CHECK(flatten(b.peek(0, 100000)) == data);
  CHECK(flatten(b.peek(54321, 1448)) ==
        std::vector<std::uint8_t>(data.begin() + 54321, data.begin() + 54321 + 1448));
  b.consume(60000);
  CHECK(b.storage_bytes() < 40000 + 2 * 16384);  // one drained block is kept as a spare
  CHECK(flatten(b.peek(0, 40000)) == std::vector<std::uint8_t>(data.begin() + 60000, data.end()));
  b.consume(40000);
  CHECK(b.storage_bytes() == 0);
}
