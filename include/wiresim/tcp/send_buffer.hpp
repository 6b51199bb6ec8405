#pragma once
/// Bytes written by the application and not yet acknowledged.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

namespace wiresim::tcp {

/// Immutable bytes queued by reference: `owner` keeps `data` alive, and the
/// bytes must not change until acknowledged.
struct SharedBytes {
  std::shared_ptr<const void> owner;
  std::span<const std::uint8_t> data;
};

/// A byte queue of fixed capacity whose storage grows as it fills and is
/// released as it drains: a memory-light socket send buffer. Offset 0 is the
/// oldest unacknowledged byte (snd.una); bytes leave from the front only
/// when acknowledged. Invariant: size() + free_space() == capacity().
///
/// Bytes arrive two ways, which behave the same once queued:
///   write()         copies them into blocks the buffer owns (allocated as
///                   needed, 2 to 16 KiB each, freed once acknowledged);
///                   storage_bytes() stays within about twice size(), plus
///                   one spare block while anything is queued;
///   write_shared()  queues a reference to immutable bytes whose `owner`
///                   keeps them alive (no copy, no storage of its own).
class SendBuffer {
 public:
  explicit SendBuffer(std::size_t capacity);
  SendBuffer(const SendBuffer&) = delete;
  SendBuffer& operator=(const SendBuffer&) = delete;
  SendBuffer(SendBuffer&&) noexcept = default;
  SendBuffer& operator=(SendBuffer&&) noexcept = default;
  ~SendBuffer();

  /// Copies up to free_space() bytes; returns how many were taken.
  std::size_t write(std::span<const std::uint8_t> data);
  /// Queues up to free_space() bytes of `data` by reference; returns how
  /// many were taken. `owner` keeps them alive; they must not change while
  /// queued.
  std::size_t write_shared(std::shared_ptr<const void> owner, std::span<const std::uint8_t> data);
  /// Unacknowledged bytes held.
  [[nodiscard]] std::size_t size() const { return size_; }
  [[nodiscard]] std::size_t free_space() const { return capacity_ - size_; }
  [[nodiscard]] std::size_t capacity() const { return capacity_; }
  /// Bytes of storage the buffer owns now (copied bytes' blocks and the
  /// spare): 0 when empty or when everything queued is shared.
  [[nodiscard]] std::size_t storage_bytes() const;

  /// A view of queued bytes [offset, offset + size()), possibly spread over
  /// several pieces. Valid until the next write or consume().
  class Slice {
   public:
    Slice() = default;
    [[nodiscard]] std::size_t size() const { return len_; }
    /// Copies the bytes to the start of `out` (out.size() >= size()).
    void copy_to(std::span<std::uint8_t> out) const;
    /// Calls f(std::span<const std::uint8_t>) for each contiguous run, in order.
    template <class F>
    void for_each_span(F&& f) const;

   private:
    friend class SendBuffer;
    Slice(const SendBuffer* b, std::size_t offset, std::size_t len) : buf_(b), offset_(offset), len_(len) {}
    const SendBuffer* buf_ = nullptr;
    std::size_t offset_ = 0;
    std::size_t len_ = 0;
  };
  /// Bytes [offset, offset+len) counted from the oldest unacknowledged byte,
  /// clipped to size().
  [[nodiscard]] Slice peek(std::size_t offset, std::size_t len) const;
  /// Drops n acknowledged bytes from the front (n is clipped to size()).
  void consume(std::size_t n);

 private:
  /// A run of queued bytes: part of an owned block or of a shared buffer.
  struct Piece {
    std::uint64_t start = 0;           ///< stream position of data[0]
    const std::uint8_t* data = nullptr;
    std::size_t len = 0;               ///< bytes queued in this piece
    std::size_t room = 0;              ///< owned block: bytes it can hold; 0 if shared
    std::unique_ptr<std::uint8_t[]> block;  ///< owned storage, or null
    std::shared_ptr<const void> owner;      ///< keeps shared bytes alive, or null
  };
  /// Index in pieces_ of the piece holding stream position pos
  /// (front_pos_ <= pos < front_pos_ + size()).
  [[nodiscard]] std::size_t piece_at(std::uint64_t pos) const;

  std::vector<Piece> pieces_;  ///< queued pieces are [head_, size()); earlier ones are spent
  std::size_t head_ = 0;
  mutable std::size_t hint_ = 0;  ///< index piece_at() found last (a guess, checked before use)
  /// One drained 16 KiB block kept for the next write while bytes are queued
  /// (a bulk sender frees and needs one per 16 KiB acknowledged).
  std::unique_ptr<std::uint8_t[]> spare_;
  std::size_t capacity_;
  std::size_t size_ = 0;
  std::size_t storage_ = 0;
  std::uint64_t front_pos_ = 0;  ///< stream position of the oldest queued byte
};

template <class F>
void SendBuffer::Slice::for_each_span(F&& f) const {
  if (len_ == 0) return;
  const std::uint64_t pos = buf_->front_pos_ + offset_;
  std::size_t i = buf_->piece_at(pos);
  auto skip = static_cast<std::size_t>(pos - buf_->pieces_[i].start);
  for (std::size_t left = len_; left > 0; ++i, skip = 0) {
    const Piece& p = buf_->pieces_[i];
    const std::size_t n = std::min(left, p.len - skip);
    f(std::span<const std::uint8_t>(p.data + skip, n));
    left -= n;
  }
}

}  // namespace wiresim::tcp
