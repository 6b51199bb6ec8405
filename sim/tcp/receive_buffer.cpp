#include "wiresim/tcp/receive_buffer.hpp"

#include <algorithm>

namespace wiresim::tcp {

namespace {

constexpr std::size_t kMinStorage = 4096;  ///< first allocation (bytes)
/// Storage up to this size is kept when the buffer drains; larger storage
/// is released (a burst of out-of-order data needed it, the next may not).
constexpr std::size_t kKeptStorage = kMinStorage;

}  // namespace

ReceiveBuffer::ReceiveBuffer(std::size_t capacity) : capacity_(capacity) {}

std::size_t ReceiveBuffer::insert(std::uint32_t offset, std::span<const std::uint8_t> data) {
  const std::size_t win = window();
  if (offset >= win || data.empty()) return 0;
  const std::size_t len = std::min(data.size(), win - offset);
  const std::uint64_t begin = read_pos_ + readable_ + offset;
  reserve(static_cast<std::size_t>(begin + len - read_pos_));
  copy_in(begin, data.first(len));
  if (offset == 0 && ooo_.empty()) {  // the common case: in order, no hole to fill
    readable_ += len;
    return len;
  }
  add_range(begin, begin + len);
  return advance_in_order();
}

/// Makes storage hold stream positions [read_pos_, read_pos_ + extent):
/// grows geometrically up to capacity(), keeping every byte held (readable
/// and out of order) at its position.
void ReceiveBuffer::reserve(std::size_t extent) {
  if (extent <= storage_.size()) return;
  std::size_t size = std::max(kMinStorage, storage_.size() * 2);
  while (size < extent) size *= 2;
  size = std::min(size, capacity_);
  Ring bigger(size);
  const std::size_t held = held_extent();
  if (held > 0) {
    std::swap(storage_, bigger);  // storage_ = new, bigger = old
    for (std::size_t done = 0; done < held;) {  // old ring -> new ring, in runs
      const std::uint64_t pos = read_pos_ + done;
      const std::size_t from = index_in(pos, bigger.size());
      const std::size_t chunk = std::min(held - done, bigger.size() - from);
      copy_in(pos, bigger.bytes().subspan(from, chunk));
      done += chunk;
    }
  } else {
    storage_ = std::move(bigger);
  }
}

void ReceiveBuffer::copy_in(std::uint64_t pos, std::span<const std::uint8_t> data) {
  std::size_t done = 0;
  while (done < data.size()) {  // at most two chunks around the end of the ring
    const std::size_t at = index_of(pos + done);
    const std::size_t chunk = std::min(data.size() - done, storage_.size() - at);
    std::copy_n(data.begin() + static_cast<std::ptrdiff_t>(done), chunk, storage_.data() + at);
    done += chunk;
  }
}

void ReceiveBuffer::add_range(std::uint64_t begin, std::uint64_t end) {
  // Merge with every range that overlaps or touches [begin, end); the merged
  // range is the most recently changed one (RFC 2018 §4).
  auto first = std::find_if(ooo_.begin(), ooo_.end(), [&](const Range& r) { return r.end >= begin; });
  auto last = first;
  Range merged{begin, end, next_stamp_++};
  while (last != ooo_.end() && last->begin <= end) {
    merged.begin = std::min(merged.begin, last->begin);
    merged.end = std::max(merged.end, last->end);
    ++last;
  }
  const auto at = ooo_.erase(first, last);
  ooo_.insert(at, merged);
}

std::size_t ReceiveBuffer::advance_in_order() {
  // Ranges never touch, so only the first one can start at rcv.nxt.
  if (ooo_.empty() || ooo_.front().begin != read_pos_ + readable_) return 0;
  const auto n = static_cast<std::size_t>(ooo_.front().end - ooo_.front().begin);
  readable_ += n;
  ooo_.erase(ooo_.begin());
  return n;
}

std::size_t ReceiveBuffer::read(std::span<std::uint8_t> out) {
  const auto runs = peek(out.size());
  std::copy(runs[0].begin(), runs[0].end(), out.begin());
  std::copy(runs[1].begin(), runs[1].end(), out.begin() + static_cast<std::ptrdiff_t>(runs[0].size()));
  const std::size_t n = runs[0].size() + runs[1].size();
  consume(n);
  return n;
}

std::array<std::span<const std::uint8_t>, 2> ReceiveBuffer::peek(std::size_t n) const {
  n = std::min(n, readable_);
  if (n == 0) return {};
  const std::span<const std::uint8_t> ring = storage_.bytes();
  const std::size_t at = index_of(read_pos_);
  const std::size_t first = std::min(n, ring.size() - at);
  return {ring.subspan(at, first), ring.first(n - first)};
}

void ReceiveBuffer::consume(std::size_t n) {
  n = std::min(n, readable_);
  read_pos_ += n;
  readable_ -= n;
  if (readable_ == 0 && ooo_.empty()) {
    origin_ = read_pos_;  // drained: the next byte goes to index 0
    if (storage_.size() > kKeptStorage) storage_ = Ring{};  // and give large storage back
  }
}

std::vector<std::pair<std::uint32_t, std::uint32_t>> ReceiveBuffer::sack_ranges(std::size_t max) const {
  std::vector<std::pair<std::uint32_t, std::uint32_t>> out(std::min(max, ooo_.size()));
  out.resize(sack_ranges(std::span<std::pair<std::uint32_t, std::uint32_t>>(out)));
  return out;
}

std::size_t ReceiveBuffer::sack_ranges(std::span<std::pair<std::uint32_t, std::uint32_t>> out) const {
  // The out.size() most recent ranges by selection (stamps are unique; a
  // handful of ranges, at most four wanted).
  const std::uint64_t rcv_nxt = read_pos_ + readable_;
  std::size_t n = 0;
  std::uint64_t below = ~std::uint64_t{0};  // the next pick's stamp is under this
  for (; n < out.size(); ++n) {
    const Range* best = nullptr;
    for (const Range& r : ooo_) {
      if (r.stamp < below && (best == nullptr || r.stamp > best->stamp)) best = &r;
    }
    if (best == nullptr) break;
    below = best->stamp;
    out[n] = {static_cast<std::uint32_t>(best->begin - rcv_nxt), static_cast<std::uint32_t>(best->end - rcv_nxt)};
  }
  return n;
}

}  // namespace wiresim::tcp
