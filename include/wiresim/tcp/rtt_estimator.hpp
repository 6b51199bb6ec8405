#pragma once
/// RFC 6298 retransmission timeout estimator, in integer nanoseconds.

#include <cstdint>
#include <optional>

#include "wiresim/core/time.hpp"

namespace wiresim::tcp {

/// Holds SRTT, RTTVAR and the exponential backoff of RFC 6298. All values
/// are integer nanoseconds; the alpha = 1/8 and beta = 1/4 updates of §2.3
/// truncate toward zero. Invariant: min_rto <= rto() <= max_rto.
class RttEstimator {
 public:
  /// `granularity` is the clock granularity G of RFC 6298 §2 (our clock
  /// counts nanoseconds, so by default 1 ns).
  RttEstimator(Duration initial_rto, Duration min_rto, Duration max_rto,
               Duration granularity = Duration::nanoseconds(1));

  /// A valid sample R (Karn's rule, RFC 6298 §3, is the caller's job).
  /// Updates SRTT/RTTVAR (§2.2 first sample, §2.3 later ones) and resets the
  /// backoff (§5.7 keeps the backed-off RTO only until a new sample).
  void on_sample(Duration rtt);
  /// Current RTO including backoff, clamped to [min_rto, max_rto].
  [[nodiscard]] Duration rto() const;
  /// Doubles the RTO (RFC 6298 §5.5); the result is capped at max_rto.
  void backoff();
  /// SRTT; nullopt before the first sample.
  [[nodiscard]] std::optional<Duration> srtt() const;
  /// RTTVAR; zero before the first sample.
  [[nodiscard]] Duration rttvar() const;
  /// How many times backoff() was called since the last sample (it keeps
  /// counting after the RTO reaches max_rto).
  [[nodiscard]] std::uint32_t backoff_count() const;

 private:
  Duration min_rto_;
  Duration max_rto_;
  Duration granularity_;
  std::optional<Duration> srtt_;
  Duration rttvar_ = Duration::zero();
  Duration base_rto_;                ///< RTO before backoff, already clamped
  std::uint32_t backoff_count_ = 0;
};

}  // namespace wiresim::tcp
