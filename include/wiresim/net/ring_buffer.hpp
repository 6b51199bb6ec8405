#pragma once
/// A FIFO over one growable power-of-two array: push_back / pop_front never
/// allocate once the ring has reached its high-water mark (std::deque frees
/// and reallocates its blocks as a queue moves through it).

#include <cassert>
#include <cstddef>
#include <utility>
#include <vector>

namespace wiresim::net {

/// T must be default-constructible and movable; popped slots keep a
/// moved-from T until reused.
template <typename T>
class RingBuffer {
 public:
  [[nodiscard]] bool empty() const { return size_ == 0; }
  [[nodiscard]] std::size_t size() const { return size_; }

  void push_back(T&& v) {
    if (size_ == slots_.size()) grow();
    slots_[(head_ + size_) & (slots_.size() - 1)] = std::move(v);
    ++size_;
  }
  /// Precondition: !empty().
  T& front() {
    assert(size_ > 0);
    return slots_[head_];
  }
  const T& front() const {
    assert(size_ > 0);
    return slots_[head_];
  }
  /// Element i from the front. Precondition: i < size().
  const T& operator[](std::size_t i) const {
    assert(i < size_);
    return slots_[(head_ + i) & (slots_.size() - 1)];
  }
  /// Removes and returns the front element. Precondition: !empty().
  T pop_front() {
    assert(size_ > 0);
    T v = std::move(slots_[head_]);
    head_ = (head_ + 1) & (slots_.size() - 1);
    --size_;
    return v;
  }

 private:
  void grow() {
    std::vector<T> bigger(slots_.empty() ? 16 : slots_.size() * 2);
    for (std::size_t i = 0; i < size_; ++i) bigger[i] = std::move(slots_[(head_ + i) & (slots_.size() - 1)]);
    slots_ = std::move(bigger);
    head_ = 0;
  }

  std::vector<T> slots_;  ///< size is 0 or a power of two
  std::size_t head_ = 0;  ///< index of the front element
  std::size_t size_ = 0;
};

}  // namespace wiresim::net
