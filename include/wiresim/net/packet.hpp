#pragma once
/// A frame in flight: move-only, owning one contiguous buffer taken from the
/// world's PacketPool. Bytes live in [head, tail) of the buffer; the space
/// before head is headroom so each layer can prepend its header in place
/// (like a Linux sk_buff), and the space after tail is tailroom for append.
///
/// Once complete, bytes() starts with the Ethernet header. Packets are moved
/// from hop to hop, never copied.

#include <cstddef>
#include <cstdint>
#include <span>
#include <utility>

namespace wiresim::net {

class PacketPool;

class Packet {
 public:
  /// An empty packet that owns no buffer (`has_buffer()` is false).
  Packet() = default;
  // Moves and destruction are inline: a packet is moved several times per
  // hop, and most moved-from packets die without a buffer.
  Packet(Packet&& o) noexcept
      : pool_(std::exchange(o.pool_, nullptr)),
        buf_(std::exchange(o.buf_, nullptr)),
        capacity_(std::exchange(o.capacity_, 0)),
        head_(std::exchange(o.head_, 0)),
        tail_(std::exchange(o.tail_, 0)),
        uid_(std::exchange(o.uid_, 0)) {}
  Packet& operator=(Packet&& o) noexcept {
    if (this != &o) {
      if (buf_ != nullptr) release();
      pool_ = std::exchange(o.pool_, nullptr);
      buf_ = std::exchange(o.buf_, nullptr);
      capacity_ = std::exchange(o.capacity_, 0);
      head_ = std::exchange(o.head_, 0);
      tail_ = std::exchange(o.tail_, 0);
      uid_ = std::exchange(o.uid_, 0);
    }
    return *this;
  }
  Packet(const Packet&) = delete;
  Packet& operator=(const Packet&) = delete;
  /// Returns the buffer to the pool; the pool must still be alive.
  ~Packet() {
    if (buf_ != nullptr) release();
  }

  /// Grows the packet by `n` bytes at the front and returns them (contents
  /// unspecified: the caller writes every byte). Reallocates and copies only
  /// when the headroom is too small (a slow path the stack avoids by asking
  /// for enough headroom up front).
  std::span<std::uint8_t> prepend(std::size_t n);
  /// Grows the packet by `n` bytes at the end and returns them (contents
  /// unspecified). Reallocates only when the tailroom is too small.
  std::span<std::uint8_t> append(std::size_t n);
  /// Removes `n` bytes from the front (n <= size()); they become headroom.
  void pull(std::size_t n);
  /// Shortens the packet to `new_size` bytes (new_size <= size()).
  void trim(std::size_t new_size);

  /// A new packet from the same pool with the same bytes and headroom and
  /// a new uid (netem's skb_clone of a duplicated frame); has_buffer() must
  /// be true.
  [[nodiscard]] Packet copy() const;
  [[nodiscard]] std::span<std::uint8_t> bytes() { return {buf_ + head_, size()}; }
  [[nodiscard]] std::span<const std::uint8_t> bytes() const { return {buf_ + head_, size()}; }
  /// Bytes of the packet.
  [[nodiscard]] std::size_t size() const { return tail_ - head_; }
  /// Bytes free in front of / after the packet.
  [[nodiscard]] std::size_t headroom() const { return head_; }
  [[nodiscard]] std::size_t tailroom() const { return capacity_ - tail_; }
  /// Unique within one world (one PacketPool), never 0 for a made packet;
  /// used to cross-reference traces and captures.
  [[nodiscard]] std::uint64_t uid() const { return uid_; }
  /// False for default-constructed and moved-from packets.
  [[nodiscard]] bool has_buffer() const { return buf_ != nullptr; }

 private:
  friend class PacketPool;
  /// Returns the buffer (buf_ != nullptr) to the pool and empties the packet.
  void release();
  /// Moves the bytes into a larger buffer with at least the given room.
  void regrow(std::size_t headroom, std::size_t tailroom);

  PacketPool* pool_ = nullptr;
  std::uint8_t* buf_ = nullptr;
  std::uint32_t capacity_ = 0;  ///< bytes of buf_
  std::uint32_t head_ = 0;      ///< offset of the first byte; head_ <= tail_
  std::uint32_t tail_ = 0;      ///< offset past the last byte; tail_ <= capacity_
  std::uint64_t uid_ = 0;
};

}  // namespace wiresim::net
