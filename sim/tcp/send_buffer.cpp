#include "wiresim/tcp/send_buffer.hpp"

#include <algorithm>

namespace wiresim::tcp {

SendBuffer::SendBuffer(std::size_t capacity) : storage_(capacity) {}

std::size_t SendBuffer::write(std::span<const std::uint8_t> data) {
  const std::size_t n = std::min(data.size(), free_space());
  const std::size_t cap = storage_.size();
  std::size_t tail = (head_ + size_) % std::max<std::size_t>(cap, 1);
  std::size_t done = 0;
  while (done < n) {  // at most two chunks: up to the end, then from index 0
    const std::size_t chunk = std::min(n - done, cap - tail);
    std::copy_n(data.begin() + static_cast<std::ptrdiff_t>(done), chunk,
                storage_.begin() + static_cast<std::ptrdiff_t>(tail));
    done += chunk;
    tail = (tail + chunk) % cap;
  }
  size_ += n;
  return n;
}

SendBuffer::Slice SendBuffer::peek(std::size_t offset, std::size_t len) const {
  if (offset >= size_) return {};
  len = std::min(len, size_ - offset);
  const std::size_t cap = storage_.size();
  const std::size_t start = (head_ + offset) % cap;
  const std::size_t first = std::min(len, cap - start);
  const std::span<const std::uint8_t> all{storage_};
  return Slice{all.subspan(start, first), all.subspan(0, len - first)};
}

void SendBuffer::consume(std::size_t n) {
  n = std::min(n, size_);
  size_ -= n;
  head_ = size_ == 0 ? 0 : (head_ + n) % storage_.size();
}

}  // namespace wiresim::tcp
