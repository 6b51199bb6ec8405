#pragma once
/// Portable random numbers: our own generator (PCG-XSL-RR 128/64) and our own
/// distributions, so a seed gives the same sequence with every compiler and
/// standard library. Never use std:: distributions in anything that affects
/// simulation results.
///
/// Each consumer draws from its own named stream, derived from the scenario
/// seed and a stable name ("link/access/a->b", "host/client/isn"), so adding
/// a component never shifts the numbers another component sees.

#include <cstdint>
#include <string_view>

namespace wiresim {

class Rng {
 public:
  /// A stream seeded from (seed, stream number).
  explicit Rng(std::uint64_t seed, std::uint64_t stream = 0);
  /// The named stream `name` of scenario seed `seed`.
  static Rng stream(std::uint64_t seed, std::string_view name);

  /// Next raw 64-bit value.
  std::uint64_t next_u64();
  /// Uniform integer in [0, bound); bound must be > 0. Unbiased (Lemire).
  std::uint64_t uniform_below(std::uint64_t bound);
  /// Uniform integer in [lo, hi], inclusive.
  std::int64_t uniform_int(std::int64_t lo, std::int64_t hi);
  /// Uniform double in [0, 1) with 53 random bits.
  double uniform01();
  /// True with probability p (p <= 0 never, p >= 1 always).
  bool bernoulli(double p);
  /// Exponential with the given mean (> 0).
  double exponential(double mean);
  /// Normal (Gaussian) with mean and standard deviation (Box-Muller).
  double normal(double mean, double stddev);

 private:
  __extension__ using U128 = unsigned __int128;
  U128 state_;
  U128 inc_;  ///< odd
};

/// 64-bit FNV-1a of a name: stable across platforms, used to derive streams.
std::uint64_t stable_hash(std::string_view s);
/// SplitMix64 finaliser: a good 64-bit mixer.
std::uint64_t mix64(std::uint64_t x);

}  // namespace wiresim
