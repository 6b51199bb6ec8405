#pragma once
/// The buffer pool of one world: free lists of fixed-size buffers, so that a
/// simulation in steady state allocates nothing per packet. Buffers come in
/// size classes of 2 KiB << c; a packet takes the smallest class that fits.
/// There is no global pool: each world owns one, and hands out packet uids.
///
/// Lifetime: the pool must outlive every packet it made (a World declares
/// its pool before the nodes and links that hold packets, so it is destroyed
/// after them). Debug builds assert this when the pool is destroyed.

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "wiresim/net/packet.hpp"

namespace wiresim::net {

class PacketPool {
 public:
  /// Bytes of the smallest buffer class: an Ethernet frame of MTU 1500 plus
  /// headroom fits.
  static constexpr std::size_t kBufferSize = 2048;
  /// Number of size classes: the largest buffer is 2 KiB << 10 = 2 MiB.
  static constexpr std::size_t kClasses = 11;
  static constexpr std::size_t kMaxBufferSize = kBufferSize << (kClasses - 1);

  PacketPool() = default;
  PacketPool(const PacketPool&) = delete;
  PacketPool& operator=(const PacketPool&) = delete;
  ~PacketPool();

  /// A new empty packet (size 0) with `headroom` bytes in front and at least
  /// `reserve` bytes to append; assigns the next uid (1, 2, 3, ...).
  /// Throws std::length_error if headroom + reserve exceeds kMaxBufferSize.
  Packet make(std::size_t headroom, std::size_t reserve);
  /// make(headroom, bytes.size()) followed by a copy of `bytes`.
  Packet make_from(std::size_t headroom, std::span<const std::uint8_t> bytes);

  /// Buffers handed out fresh so far (all classes); flat in steady state.
  [[nodiscard]] std::size_t buffers_allocated() const { return allocated_; }
  /// Buffers currently on the free lists.
  [[nodiscard]] std::size_t buffers_free() const;
  /// Buffers currently held by live packets.
  [[nodiscard]] std::size_t buffers_in_use() const { return allocated_ - buffers_free(); }
  /// Packets made so far (the last uid handed out).
  [[nodiscard]] std::uint64_t packets_made() const { return next_uid_ - 1; }

 private:
  friend class Packet;
  /// Index of the smallest class holding `bytes`; kClasses if none does.
  static std::size_t class_for(std::size_t bytes);
  /// A buffer of at least `bytes` bytes, from the free list of the smallest
  /// class that fits or freshly zero-filled; sets `capacity` to its size.
  /// Throws std::length_error if bytes > kMaxBufferSize.
  std::uint8_t* acquire_for(std::size_t bytes, std::size_t& capacity);
  /// Takes back a buffer of `capacity` bytes (a class size).
  void release(std::uint8_t* buf, std::size_t capacity);

  /// Fresh buffers are cut from zero-filled slabs of up to kSlabBytes, so a
  /// new world's first packets cost one heap allocation per slab rather
  /// than per buffer. Well below glibc's 64 KiB at which freeing a chunk
  /// consolidates every fast bin (FASTBIN_CONSOLIDATION_THRESHOLD).
  static constexpr std::size_t kSlabBytes = 16 * 1024;
  /// The not yet handed out buffers of a class's newest slab.
  struct Spare {
    std::uint8_t* next = nullptr;
    std::size_t left = 0;
  };

  std::array<std::vector<std::uint8_t*>, kClasses> free_;  ///< per class, LIFO
  std::array<Spare, kClasses> spare_{};
  std::vector<std::unique_ptr<std::uint8_t[]>> slabs_;      ///< every slab ever allocated
  std::size_t allocated_ = 0;                               ///< buffers handed out fresh
  std::uint64_t next_uid_ = 1;
};

}  // namespace wiresim::net
