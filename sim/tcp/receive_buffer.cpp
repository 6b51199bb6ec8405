#include "wiresim/tcp/receive_buffer.hpp"

#include <algorithm>

namespace wiresim::tcp {

ReceiveBuffer::ReceiveBuffer(std::size_t capacity) : storage_(capacity) {}

std::size_t ReceiveBuffer::insert(std::uint32_t offset, std::span<const std::uint8_t> data) {
  const std::size_t win = window();
  if (offset >= win || data.empty()) return 0;
  const std::size_t len = std::min(data.size(), win - offset);
  const std::uint64_t begin = read_pos_ + readable_ + offset;
  copy_in(begin, data.first(len));
  add_range(begin, begin + len);
  return advance_in_order();
}

void ReceiveBuffer::copy_in(std::uint64_t pos, std::span<const std::uint8_t> data) {
  std::size_t done = 0;
  while (done < data.size()) {  // at most two chunks around the end of the ring
    const std::size_t at = index_of(pos + done);
    const std::size_t chunk = std::min(data.size() - done, storage_.size() - at);
    std::copy_n(data.begin() + static_cast<std::ptrdiff_t>(done), chunk,
                storage_.begin() + static_cast<std::ptrdiff_t>(at));
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
  const std::size_t n = std::min(out.size(), readable_);
  std::size_t done = 0;
  while (done < n) {  // at most two chunks around the end of the ring
    const std::size_t at = index_of(read_pos_ + done);
    const std::size_t chunk = std::min(n - done, storage_.size() - at);
    std::copy_n(storage_.begin() + static_cast<std::ptrdiff_t>(at), chunk,
                out.begin() + static_cast<std::ptrdiff_t>(done));
    done += chunk;
  }
  consume(n);
  return n;
}

std::span<const std::uint8_t> ReceiveBuffer::peek_contiguous() const {
  if (readable_ == 0) return {};
  const std::size_t at = index_of(read_pos_);
  return std::span<const std::uint8_t>{storage_}.subspan(at, std::min(readable_, storage_.size() - at));
}

void ReceiveBuffer::consume(std::size_t n) {
  n = std::min(n, readable_);
  read_pos_ += n;
  readable_ -= n;
}

std::vector<std::pair<std::uint32_t, std::uint32_t>> ReceiveBuffer::sack_ranges(std::size_t max) const {
  std::vector<Range> by_recency = ooo_;
  std::sort(by_recency.begin(), by_recency.end(),
            [](const Range& a, const Range& b) { return a.stamp > b.stamp; });
  const std::uint64_t rcv_nxt = read_pos_ + readable_;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> out;
  for (const Range& r : by_recency) {
    if (out.size() == max) break;
    out.emplace_back(static_cast<std::uint32_t>(r.begin - rcv_nxt), static_cast<std::uint32_t>(r.end - rcv_nxt));
  }
  return out;
}

}  // namespace wiresim::tcp
