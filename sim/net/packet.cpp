#include "wiresim/net/packet.hpp"

#include <cassert>
#include <cstring>
#include <utility>

#include "wiresim/net/packet_pool.hpp"

namespace wiresim::net {

Packet Packet::copy() const { return pool_->make_from(headroom(), bytes()); }

void Packet::release() {
  pool_->release(buf_, capacity_);
  buf_ = nullptr;
  capacity_ = head_ = tail_ = 0;
}

std::span<std::uint8_t> Packet::prepend(std::size_t n) {
  assert(buf_ != nullptr);
  if (n > head_) regrow(n + PacketPool::kBufferSize / 16, tailroom());
  head_ -= static_cast<std::uint32_t>(n);
  return {buf_ + head_, n};
}

std::span<std::uint8_t> Packet::append(std::size_t n) {
  assert(buf_ != nullptr);
  if (n > tailroom()) regrow(headroom(), n);
  const std::uint32_t at = tail_;
  tail_ += static_cast<std::uint32_t>(n);
  return {buf_ + at, n};
}

void Packet::pull(std::size_t n) {
  assert(n <= size());
  head_ += static_cast<std::uint32_t>(n);
}

void Packet::trim(std::size_t new_size) {
  assert(new_size <= size());
  tail_ = head_ + static_cast<std::uint32_t>(new_size);
}

void Packet::regrow(std::size_t headroom, std::size_t tailroom) {
  const std::size_t len = size();
  std::size_t capacity = 0;
  std::uint8_t* bigger = pool_->acquire_for(headroom + len + tailroom, capacity);
  if (len > 0) std::memcpy(bigger + headroom, buf_ + head_, len);
  pool_->release(buf_, capacity_);
  // The uid stays: the packet is the same, only its buffer changed.
  buf_ = bigger;
  capacity_ = static_cast<std::uint32_t>(capacity);
  head_ = static_cast<std::uint32_t>(headroom);
  tail_ = static_cast<std::uint32_t>(headroom + len);
}

}  // namespace wiresim::net
