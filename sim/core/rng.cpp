#include "wiresim/core/rng.hpp"

#include <cmath>

namespace wiresim {

namespace {
// PCG 128-bit LCG multiplier (O'Neill, PCG paper / pcg64 reference).
__extension__ constexpr unsigned __int128 kMultiplier =
    (static_cast<unsigned __int128>(2549297995355413924ULL) << 64) | 4865540595714422341ULL;
constexpr double kTwoPi = 6.283185307179586476925286766559;
}  // namespace

std::uint64_t mix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

std::uint64_t stable_hash(std::string_view s) {
  std::uint64_t h = 0xcbf29ce484222325ULL;  // FNV-1a 64 offset basis
  for (const char c : s) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ULL;
  }
  return h;
}

Rng::Rng(std::uint64_t seed, std::uint64_t stream) {
  // pcg64 seeding: inc = (stream << 1) | 1, state advanced once around the seed.
  const U128 seq = (static_cast<U128>(mix64(stream)) << 64) | mix64(stream ^ 0x5851f42d4c957f2dULL);
  inc_ = (seq << 1) | 1u;
  state_ = 0;
  next_u64();
  state_ += (static_cast<U128>(mix64(seed)) << 64) | mix64(seed + 1);
  next_u64();
}

Rng Rng::stream(std::uint64_t seed, std::string_view name) { return Rng{seed, stable_hash(name)}; }

std::uint64_t Rng::next_u64() {
  state_ = state_ * kMultiplier + inc_;
  // XSL-RR output: xor the halves, rotate by the top 6 bits.
  const auto xored = static_cast<std::uint64_t>(state_ >> 64) ^ static_cast<std::uint64_t>(state_);
  const auto rot = static_cast<unsigned>(state_ >> 122);
  return (xored >> rot) | (xored << ((64u - rot) & 63u));
}

std::uint64_t Rng::uniform_below(std::uint64_t bound) {
  // Lemire's nearly divisionless method (2019), unbiased.
  U128 m = static_cast<U128>(next_u64()) * bound;
  auto low = static_cast<std::uint64_t>(m);
  if (low < bound) {
    const std::uint64_t threshold = (0 - bound) % bound;
    while (low < threshold) {
      m = static_cast<U128>(next_u64()) * bound;
      low = static_cast<std::uint64_t>(m);
    }
  }
  return static_cast<std::uint64_t>(m >> 64);
}

std::int64_t Rng::uniform_int(std::int64_t lo, std::int64_t hi) {
  const std::uint64_t span = static_cast<std::uint64_t>(hi) - static_cast<std::uint64_t>(lo);
  if (span == ~std::uint64_t{0}) return static_cast<std::int64_t>(next_u64());
  return static_cast<std::int64_t>(static_cast<std::uint64_t>(lo) + uniform_below(span + 1));
}

double Rng::uniform01() { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }

bool Rng::bernoulli(double p) {
  if (p <= 0.0) return false;
  if (p >= 1.0) return true;
  return uniform01() < p;
}

double Rng::exponential(double mean) {
  // 1 - u lies in (0, 1], so the log is finite.
  return -mean * std::log(1.0 - uniform01());
}

double Rng::normal(double mean, double stddev) {
  const double u1 = 1.0 - uniform01();
  const double u2 = uniform01();
  return mean + stddev * std::sqrt(-2.0 * std::log(u1)) * std::cos(kTwoPi * u2);
}

}  // namespace wiresim
