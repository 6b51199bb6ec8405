#pragma once
/// Bytes written by the application and not yet acknowledged.

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace wiresim::tcp {

/// A fixed-capacity ring buffer. Offset 0 is the oldest unacknowledged byte
/// (snd.una); bytes are dropped from the front only when acknowledged.
/// Invariant: size() + free_space() == capacity().
class SendBuffer {
 public:
  explicit SendBuffer(std::size_t capacity);

  /// Accepts up to free_space() bytes; returns how many were taken.
  std::size_t write(std::span<const std::uint8_t> data);
  /// Unacknowledged bytes held.
  [[nodiscard]] std::size_t size() const { return size_; }
  [[nodiscard]] std::size_t free_space() const { return storage_.size() - size_; }
  [[nodiscard]] std::size_t capacity() const { return storage_.size(); }

  /// Up to two spans because the ring may wrap; `second` is empty otherwise.
  struct Slice {
    std::span<const std::uint8_t> first, second;
    [[nodiscard]] std::size_t size() const { return first.size() + second.size(); }
  };
  /// Bytes [offset, offset+len) counted from the oldest unacknowledged byte,
  /// clipped to size(). Valid until the next write() or consume().
  [[nodiscard]] Slice peek(std::size_t offset, std::size_t len) const;
  /// Drops n acknowledged bytes from the front (n is clipped to size()).
  void consume(std::size_t n);

 private:
  std::vector<std::uint8_t> storage_;
  std::size_t head_ = 0;  ///< index of the oldest byte
  std::size_t size_ = 0;
};

}  // namespace wiresim::tcp
