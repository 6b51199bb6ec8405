#pragma once
/// A processing time an application takes, as a range drawn uniformly
/// (in whole nanoseconds) from a seeded stream: a server's response
/// latency, a browser's renderer time. min == max is a fixed delay; a
/// zero range is no delay at all. Processing time belongs to the host or
/// the application, never to the TCP endpoint (DESIGN.md).

#include "wiresim/core/rng.hpp"
#include "wiresim/core/time.hpp"

namespace wiresim::http {

struct DelayRange {
  Duration min{};
  Duration max{};  ///< >= min

  constexpr DelayRange() = default;
  /// A fixed delay `d` (implicit: a Duration is a range of one value).
  constexpr DelayRange(Duration d) : min(d), max(d) {}  // NOLINT(google-explicit-constructor)
  constexpr DelayRange(Duration lo, Duration hi) : min(lo), max(hi) {}
  /// No draw is taken from `rng` when min == max, so a fixed delay shifts no other number.
  [[nodiscard]] Duration draw(Rng& rng) const {
    if (max <= min) return min;
    return Duration::nanoseconds(rng.uniform_int(min.ns(), max.ns()));
  }
  [[nodiscard]] bool valid() const { return min >= Duration::zero() && max >= min; }

  bool operator==(const DelayRange&) const = default;
};

}  // namespace wiresim::http
