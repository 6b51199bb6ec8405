#pragma once
/// Link bandwidth as an integer number of bits per second.

#include <cstdint>
#include <string>

#include "wiresim/core/time.hpp"

namespace wiresim {

class DataRate {
 public:
  constexpr DataRate() = default;
  static constexpr DataRate bps(std::int64_t b) { return DataRate{b}; }
  static constexpr DataRate kbps(std::int64_t k) { return DataRate{k * 1'000}; }
  static constexpr DataRate mbps(std::int64_t m) { return DataRate{m * 1'000'000}; }
  static constexpr DataRate gbps(std::int64_t g) { return DataRate{g * 1'000'000'000}; }
  /// No serialisation delay at all.
  static constexpr DataRate infinite() { return DataRate{0}; }

  [[nodiscard]] constexpr std::int64_t bits_per_second() const { return bps_; }
  [[nodiscard]] constexpr bool is_infinite() const { return bps_ == 0; }

  /// Time to put `bytes` on the wire, rounded up to a whole nanosecond.
  [[nodiscard]] constexpr Duration transmission_time(std::int64_t bytes) const {
    if (bps_ == 0) return Duration::zero();
    // Any frame (below 2^30 bytes) at any rate below 2^50 bit/s fits in
    // 64 bits: bytes * 8e9 + bps < 2^63. One hardware division there; the
    // 128-bit one (a libgcc call, __divti3) only for the rest. Same result.
    constexpr std::int64_t kFastBytes = std::int64_t{1} << 30;
    constexpr std::int64_t kFastRate = std::int64_t{1} << 50;
    if (bytes >= 0 && bytes < kFastBytes && bps_ < kFastRate) {
      return Duration::nanoseconds((bytes * 8 * 1'000'000'000 + bps_ - 1) / bps_);
    }
    // bits * 1e9 overflows int64 for large transfers; 128-bit keeps it exact.
    __extension__ using Wide = __int128;
    const Wide bits = static_cast<Wide>(bytes) * 8;
    return Duration::nanoseconds(static_cast<std::int64_t>((bits * 1'000'000'000 + bps_ - 1) / bps_));
  }

  constexpr auto operator<=>(const DataRate&) const = default;

 private:
  constexpr explicit DataRate(std::int64_t b) : bps_(b) {}
  std::int64_t bps_ = 0;  ///< bits per second; 0 means infinite
};

/// "10Mbps", "1.5Gbps", "64kbps", "infinite".
std::string to_string(DataRate r);

}  // namespace wiresim
