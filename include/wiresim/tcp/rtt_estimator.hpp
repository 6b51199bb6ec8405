#pragma once
/// Retransmission timeout estimator, in integer nanoseconds: RFC 6298, or
/// Linux's variant of it (net/ipv4/tcp_input.c tcp_rtt_estimator,
/// tcp_set_rto).

#include <cstdint>
#include <optional>

#include "wiresim/core/time.hpp"

namespace wiresim::tcp {

/// Holds SRTT, RTTVAR and the exponential backoff of RFC 6298. All values
/// are integer nanoseconds; the alpha = 1/8 and beta = 1/4 updates of §2.3
/// truncate toward zero. Invariant: min_rto <= rto() <= max_rto.
class RttEstimator {
 public:
  /// Linux: RTO = SRTT + RTTVAR where RTTVAR follows the largest mean
  /// deviation of the last round trip (mdev_max) but never falls below
  /// min_rto, so RTO >= SRTT + min_rto (rather than max(SRTT + 4 RTTVAR,
  /// min_rto)); the RTO is rounded up to whole jiffies.
  enum class Mode : std::uint8_t { kRfc6298, kLinux };

  /// `granularity` is the clock granularity G of RFC 6298 §2 (our clock
  /// counts nanoseconds, so by default 1 ns); in kLinux mode, the jiffy.
  RttEstimator(Duration initial_rto, Duration min_rto, Duration max_rto,
               Duration granularity = Duration::nanoseconds(1), Mode mode = Mode::kRfc6298);

  /// A valid sample R (Karn's rule, RFC 6298 §3, is the caller's job).
  /// Updates SRTT/RTTVAR (§2.2 first sample, §2.3 later ones) and resets the
  /// backoff (§5.7 keeps the backed-off RTO only until a new sample).
  /// kLinux: each sample starts a new round trip.
  void on_sample(Duration rtt);
  /// The same, with the send sequence space: in kLinux mode RTTVAR decays
  /// towards mdev_max once SND.UNA passes the SND.NXT of the previous
  /// round trip (tcp_rtt_estimator's rtt_seq).
  void on_sample(Duration rtt, std::uint32_t snd_una, std::uint32_t snd_nxt);
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
  void linux_sample(Duration rtt, bool new_round, std::uint32_t snd_nxt);

  Mode mode_;
  Duration min_rto_;
  Duration max_rto_;
  Duration mdev_{};                  ///< kLinux: tp->mdev_us (4 x the mean deviation)
  Duration mdev_max_{};              ///< kLinux: tp->mdev_max_us
  std::uint32_t rtt_seq_ = 0;        ///< kLinux: tp->rtt_seq
  Duration granularity_;
  std::optional<Duration> srtt_;
  Duration rttvar_ = Duration::zero();
  Duration base_rto_;                ///< RTO before backoff, already clamped
  std::uint32_t backoff_count_ = 0;
};

}  // namespace wiresim::tcp
