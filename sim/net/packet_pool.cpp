#include "wiresim/net/packet_pool.hpp"

#include <sanitizer/asan_interface.h>  // no-ops unless built with -fsanitize=address

#include <algorithm>
#include <cassert>
#include <cstring>
#include <stdexcept>

namespace wiresim::net {

PacketPool::~PacketPool() {
  // Every packet must be destroyed before its pool (see the header).
  assert(buffers_in_use() == 0);
  for (std::size_t c = 0; c < kClasses; ++c) {
    for (std::uint8_t* buf : free_[c]) ASAN_UNPOISON_MEMORY_REGION(buf, kBufferSize << c);
    ASAN_UNPOISON_MEMORY_REGION(spare_[c].next, spare_[c].left * (kBufferSize << c));
  }
}

Packet PacketPool::make(std::size_t headroom, std::size_t reserve) {
  Packet p;
  std::size_t capacity = 0;
  p.buf_ = acquire_for(headroom + reserve, capacity);
  p.pool_ = this;
  p.capacity_ = static_cast<std::uint32_t>(capacity);
  p.head_ = p.tail_ = static_cast<std::uint32_t>(headroom);
  p.uid_ = next_uid_++;
  return p;
}

Packet PacketPool::make_from(std::size_t headroom, std::span<const std::uint8_t> bytes) {
  Packet p = make(headroom, bytes.size());
  if (!bytes.empty()) std::memcpy(p.append(bytes.size()).data(), bytes.data(), bytes.size());
  return p;
}

std::size_t PacketPool::buffers_free() const {
  std::size_t n = 0;
  for (const auto& list : free_) n += list.size();
  return n;
}

std::size_t PacketPool::class_for(std::size_t bytes) {
  std::size_t c = 0;
  while (c < kClasses && (kBufferSize << c) < bytes) ++c;
  return c;
}

std::uint8_t* PacketPool::acquire_for(std::size_t bytes, std::size_t& capacity) {
  const std::size_t c = class_for(bytes);
  if (c == kClasses) throw std::length_error("wiresim: packet larger than PacketPool::kMaxBufferSize");
  capacity = kBufferSize << c;
  std::vector<std::uint8_t*>& list = free_[c];
  if (!list.empty()) {
    std::uint8_t* buf = list.back();
    list.pop_back();
    ASAN_UNPOISON_MEMORY_REGION(buf, capacity);
    return buf;
  }
  // A fresh buffer only once the free list is empty, exactly when one buffer
  // at a time would be allocated: a packet gets the same bytes either way.
  // Zero-filled as it is handed out, so that even a byte a caller forgot to
  // write is deterministic.
  Spare& spare = spare_[c];
  if (spare.left == 0) {
    const std::size_t count = std::max<std::size_t>(kSlabBytes / capacity, 1);
    slabs_.push_back(std::make_unique_for_overwrite<std::uint8_t[]>(count * capacity));
    spare = Spare{slabs_.back().get(), count};
    // Buffers share a slab: under AddressSanitizer what is not handed out
    // is poisoned, so an overrun into a neighbour still reports.
    ASAN_POISON_MEMORY_REGION(spare.next, count * capacity);
  }
  std::uint8_t* buf = spare.next;
  ASAN_UNPOISON_MEMORY_REGION(buf, capacity);
  std::memset(buf, 0, capacity);
  spare.next += capacity;
  --spare.left;
  ++allocated_;
  return buf;
}

void PacketPool::release(std::uint8_t* buf, std::size_t capacity) {
  ASAN_POISON_MEMORY_REGION(buf, capacity);  // a use after release reports too
  free_[class_for(capacity)].push_back(buf);
}

}  // namespace wiresim::net
