#pragma once
/// TCP sequence numbers: 32-bit values compared modulo 2^32 (RFC 9293 §3.4).

#include <cstdint>
#include <iosfwd>

namespace wiresim::wire {

class SeqNum {
 public:
  constexpr SeqNum() = default;
  constexpr explicit SeqNum(std::uint32_t v) : v_(v) {}

  [[nodiscard]] constexpr std::uint32_t raw() const { return v_; }

  constexpr SeqNum operator+(std::uint32_t n) const { return SeqNum{v_ + n}; }
  constexpr SeqNum operator-(std::uint32_t n) const { return SeqNum{v_ - n}; }
  constexpr SeqNum& operator+=(std::uint32_t n) { v_ += n; return *this; }
  /// Signed distance a - b, valid while |a - b| < 2^31.
  constexpr std::int32_t operator-(SeqNum o) const { return static_cast<std::int32_t>(v_ - o.v_); }

  constexpr bool operator==(const SeqNum&) const = default;
  constexpr bool operator<(SeqNum o) const { return (*this - o) < 0; }
  constexpr bool operator<=(SeqNum o) const { return (*this - o) <= 0; }
  constexpr bool operator>(SeqNum o) const { return (*this - o) > 0; }
  constexpr bool operator>=(SeqNum o) const { return (*this - o) >= 0; }

 private:
  std::uint32_t v_ = 0;
};

/// The larger / smaller of two sequence numbers in modular order.
constexpr SeqNum seq_max(SeqNum a, SeqNum b) { return a < b ? b : a; }
constexpr SeqNum seq_min(SeqNum a, SeqNum b) { return a < b ? a : b; }
/// lo <= x < hi in modular order.
constexpr bool seq_in_range(SeqNum x, SeqNum lo, SeqNum hi) { return lo <= x && x < hi; }

std::ostream& operator<<(std::ostream& os, SeqNum s);

}  // namespace wiresim::wire
