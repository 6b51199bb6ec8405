#pragma once
/// Receive side: in-order bytes waiting for the application and out-of-order
/// data held for reassembly (RFC 9293 §3.10.7.4 step 7; SACK RFC 2018).

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <utility>
#include <vector>

namespace wiresim::tcp {

/// One ring holds both the readable bytes and the out-of-order data after
/// them. Offsets are relative to rcv.nxt (the first byte not yet received in
/// order). Invariant: readable() + the span of out-of-order data <=
/// capacity(). The ring's storage grows (doubling, from 4 KiB) only as far
/// as the bytes held need, never past capacity(), and is released when the
/// buffer drains: an idle or promptly read connection holds at most 4 KiB.
class ReceiveBuffer {
 public:
  explicit ReceiveBuffer(std::size_t capacity);

  /// Stores `data` that starts `offset` bytes after rcv.nxt (bytes beyond
  /// window() are dropped). Returns by how many bytes rcv.nxt advanced (0 for
  /// a pure out-of-order insert; more than data.size() when it fills a hole).
  std::size_t insert(std::uint32_t offset, std::span<const std::uint8_t> data);
  /// In-order bytes not yet read by the application.
  [[nodiscard]] std::size_t readable() const { return readable_; }
  /// Copies and consumes up to out.size() readable bytes; returns the count.
  std::size_t read(std::span<std::uint8_t> out);
  /// Zero-copy: the first min(n, readable()) readable bytes, as one run or,
  /// where the ring wraps, two (the second is empty otherwise). Valid until
  /// the next insert(), read() or consume().
  [[nodiscard]] std::array<std::span<const std::uint8_t>, 2> peek(std::size_t n) const;
  /// Drops n readable bytes (n is clipped to readable()).
  void consume(std::size_t n);
  [[nodiscard]] std::size_t capacity() const { return capacity_; }
  /// capacity() - readable(): what we may advertise.
  [[nodiscard]] std::size_t window() const { return capacity_ - readable_; }
  /// Bytes of storage allocated now (<= capacity()).
  [[nodiscard]] std::size_t storage_bytes() const { return storage_.size(); }
  [[nodiscard]] bool has_out_of_order() const { return !ooo_.empty(); }
  /// Disjoint ranges held beyond the in-order data (what sack_ranges offers).
  [[nodiscard]] std::size_t out_of_order_ranges() const { return ooo_.size(); }
  /// Bytes from the first readable one to the end of the last out-of-order
  /// range (holes included): what the buffer holds on to.
  [[nodiscard]] std::size_t held() const { return held_extent(); }
  /// Out-of-order ranges as [begin, end) offsets from rcv.nxt, the most
  /// recently changed first (RFC 2018 §4), at most `max`.
  [[nodiscard]] std::vector<std::pair<std::uint32_t, std::uint32_t>> sack_ranges(std::size_t max) const;
  /// The same, written to `out` (at most out.size() of them) without
  /// allocating; returns how many.
  std::size_t sack_ranges(std::span<std::pair<std::uint32_t, std::uint32_t>> out) const;

 private:
  /// Out-of-order data [begin, end) in stream positions (bytes since the
  /// buffer was created); `stamp` orders ranges by their last change.
  struct Range {
    std::uint64_t begin, end, stamp;
  };
  void reserve(std::size_t extent);
  [[nodiscard]] std::size_t held_extent() const {
    const std::uint64_t end = ooo_.empty() ? read_pos_ + readable_ : ooo_.back().end;
    return static_cast<std::size_t>(end - read_pos_);
  }
  void copy_in(std::uint64_t pos, std::span<const std::uint8_t> data);
  void add_range(std::uint64_t begin, std::uint64_t end);
  std::size_t advance_in_order();
  [[nodiscard]] std::size_t index_of(std::uint64_t pos) const { return index_in(pos, storage_.size()); }
  [[nodiscard]] std::size_t index_in(std::uint64_t pos, std::size_t ring_size) const {
    return static_cast<std::size_t>((pos - origin_) % ring_size);
  }

  std::size_t capacity_;
  /// Ring storage that is not zero-filled when allocated: only positions
  /// copy_in wrote are ever read (peek returns readable bytes, which are
  /// in-order data received), so the fill was pure cost: 4.6 % of the
  /// instructions of a fresh page load (issue 19), and every page of a
  /// large buffer touched at once.
  class Ring {
   public:
    Ring() = default;
    explicit Ring(std::size_t n) : bytes_(std::make_unique_for_overwrite<std::uint8_t[]>(n)), size_(n) {}
    [[nodiscard]] std::size_t size() const { return size_; }
    [[nodiscard]] std::uint8_t* data() { return bytes_.get(); }
    [[nodiscard]] std::span<const std::uint8_t> bytes() const { return {bytes_.get(), size_}; }

   private:
    std::unique_ptr<std::uint8_t[]> bytes_;
    std::size_t size_ = 0;
  };
  Ring storage_;  ///< the ring; position p at index (p - origin_) % size()
  /// The stream position at index 0: moved to read_pos_ whenever the buffer
  /// drains, so a promptly read connection writes every segment at the
  /// start of its storage, the same few cache lines, instead of cycling
  /// through all of it (at 10,000 flows, 23 lines a flow instead of 64).
  std::uint64_t origin_ = 0;
  std::uint64_t read_pos_ = 0;   ///< stream position of the first readable byte
  std::size_t readable_ = 0;     ///< rcv.nxt = read_pos_ + readable_
  std::vector<Range> ooo_;       ///< sorted by begin, disjoint and non-adjacent
  std::uint64_t next_stamp_ = 0;
};

}  // namespace wiresim::tcp
