#include "wiresim/tcp/send_buffer.hpp"

#include <algorithm>
#include <bit>
#include <cstring>

namespace wiresim::tcp {

namespace {

constexpr std::size_t kMinBlock = 2048;   ///< smallest owned block (bytes)
constexpr std::size_t kMaxBlock = 16384;  ///< largest owned block (bytes)

}  // namespace

SendBuffer::SendBuffer(std::size_t capacity) : capacity_(capacity) {}

SendBuffer::~SendBuffer() = default;

std::size_t SendBuffer::write(std::span<const std::uint8_t> data) {
  const std::size_t n = std::min(data.size(), free_space());
  std::size_t done = 0;
  while (done < n) {
    Piece* back = pieces_.size() == head_ ? nullptr : &pieces_.back();
    std::size_t tail_room = 0;
    if (back != nullptr && back->block) {
      tail_room = back->room - static_cast<std::size_t>(back->data - back->block.get()) - back->len;
    }
    if (tail_room == 0) {
      // A new block, sized for what is left to write or what is queued,
      // whichever is more: small writes to a full buffer (one per ACK)
      // still fill large blocks, a short message gets a small one.
      const std::size_t want = std::clamp(std::bit_ceil(std::max(n - done, size_)), kMinBlock, kMaxBlock);
      Piece p;
      p.start = front_pos_ + size_;
      if (want == kMaxBlock && spare_) {
        p.block = std::move(spare_);
      } else {
        p.block = std::make_unique_for_overwrite<std::uint8_t[]>(want);
      }
      p.data = p.block.get();
      p.room = want;
      storage_ += want;
      pieces_.push_back(std::move(p));
      back = &pieces_.back();
      tail_room = want;
    }
    const std::size_t chunk = std::min(n - done, tail_room);
    std::uint8_t* tail = back->block.get() + (back->data - back->block.get()) + back->len;
    std::memcpy(tail, data.data() + done, chunk);
    back->len += chunk;
    size_ += chunk;
    done += chunk;
  }
  return n;
}

std::size_t SendBuffer::write_shared(std::shared_ptr<const void> owner, std::span<const std::uint8_t> data) {
  const std::size_t n = std::min(data.size(), free_space());
  if (n == 0) return 0;
  Piece p;
  p.start = front_pos_ + size_;
  p.data = data.data();
  p.len = n;
  p.owner = std::move(owner);
  pieces_.push_back(std::move(p));
  size_ += n;
  return n;
}

std::size_t SendBuffer::storage_bytes() const { return storage_ + (spare_ ? kMaxBlock : 0); }

std::size_t SendBuffer::piece_at(std::uint64_t pos) const {
  // The last piece that starts at or before pos. Segments are usually
  // taken in order: try the piece found last time and the next one first.
  const auto holds = [&](std::size_t i) {
    return i >= head_ && i < pieces_.size() && pieces_[i].start <= pos && pos - pieces_[i].start < pieces_[i].len;
  };
  for (const std::size_t i : {hint_, hint_ + 1}) {
    if (holds(i)) return hint_ = i;
  }
  const auto first = pieces_.begin() + static_cast<std::ptrdiff_t>(head_);
  const auto it = std::upper_bound(first, pieces_.end(), pos,
                                   [](std::uint64_t v, const Piece& p) { return v < p.start; });
  return hint_ = static_cast<std::size_t>(it - pieces_.begin()) - 1;
}

SendBuffer::Slice SendBuffer::peek(std::size_t offset, std::size_t len) const {
  if (offset >= size_) return {};
  return Slice{this, offset, std::min(len, size_ - offset)};
}

void SendBuffer::Slice::copy_to(std::span<std::uint8_t> out) const {
  std::size_t at = 0;
  for_each_span([&](std::span<const std::uint8_t> run) {
    std::memcpy(out.data() + at, run.data(), run.size());
    at += run.size();
  });
}

void SendBuffer::consume(std::size_t n) {
  n = std::min(n, size_);
  size_ -= n;
  front_pos_ += n;
  while (n > 0) {
    Piece& p = pieces_[head_];
    if (n < p.len) {  // part of the front piece: it stays
      p.data += n;
      p.len -= n;
      p.start += n;
      break;
    }
    n -= p.len;
    storage_ -= p.room;
    if (p.room == kMaxBlock && !spare_) spare_ = std::move(p.block);  // reused by the next write
    p = Piece{};  // frees its block or drops its owner now
    ++head_;
  }
  if (head_ == pieces_.size()) {
    pieces_.clear();
    head_ = 0;
    spare_.reset();  // drained: keep nothing
  } else if (head_ >= 16 && 2 * head_ >= pieces_.size()) {  // keep the spent prefix short
    pieces_.erase(pieces_.begin(), pieces_.begin() + static_cast<std::ptrdiff_t>(head_));
    head_ = 0;
  }
}

}  // namespace wiresim::tcp
