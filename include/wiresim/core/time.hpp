#pragma once
/// Simulated time: integer nanoseconds in strong types. No floating point
/// time anywhere inside the engine (DESIGN.md, core rules).

#include <compare>
#include <cstdint>
#include <iosfwd>
#include <limits>
#include <string>

namespace wiresim {

/// A signed span of simulated time, in nanoseconds.
class Duration {
 public:
  constexpr Duration() = default;
  static constexpr Duration nanoseconds(std::int64_t n) { return Duration{n}; }
  static constexpr Duration microseconds(std::int64_t n) { return Duration{n * 1'000}; }
  static constexpr Duration milliseconds(std::int64_t n) { return Duration{n * 1'000'000}; }
  static constexpr Duration seconds(std::int64_t n) { return Duration{n * 1'000'000'000}; }
  static constexpr Duration zero() { return Duration{0}; }
  static constexpr Duration max() { return Duration{std::numeric_limits<std::int64_t>::max()}; }

  /// Nanoseconds.
  [[nodiscard]] constexpr std::int64_t ns() const { return ns_; }
  /// Whole microseconds / milliseconds, truncated toward zero.
  [[nodiscard]] constexpr std::int64_t us() const { return ns_ / 1'000; }
  [[nodiscard]] constexpr std::int64_t ms() const { return ns_ / 1'000'000; }
  /// Seconds as a double: for reports and printing only, never for simulation.
  [[nodiscard]] constexpr double seconds_f() const { return static_cast<double>(ns_) / 1e9; }

  constexpr auto operator<=>(const Duration&) const = default;
  constexpr Duration operator+(Duration o) const { return Duration{ns_ + o.ns_}; }
  constexpr Duration operator-(Duration o) const { return Duration{ns_ - o.ns_}; }
  constexpr Duration operator-() const { return Duration{-ns_}; }
  constexpr Duration operator*(std::int64_t k) const { return Duration{ns_ * k}; }
  constexpr Duration operator/(std::int64_t k) const { return Duration{ns_ / k}; }
  constexpr std::int64_t operator/(Duration o) const { return ns_ / o.ns_; }
  constexpr Duration& operator+=(Duration o) { ns_ += o.ns_; return *this; }
  constexpr Duration& operator-=(Duration o) { ns_ -= o.ns_; return *this; }

 private:
  constexpr explicit Duration(std::int64_t n) : ns_(n) {}
  std::int64_t ns_ = 0;
};

constexpr Duration operator*(std::int64_t k, Duration d) { return d * k; }

/// A point in simulated time: nanoseconds since the start of the run (t=0).
class Time {
 public:
  constexpr Time() = default;
  static constexpr Time from_ns(std::int64_t n) { return Time{n}; }
  static constexpr Time zero() { return Time{0}; }
  /// Later than every reachable time; used as "never".
  static constexpr Time max() { return Time{std::numeric_limits<std::int64_t>::max()}; }

  /// Nanoseconds since t=0.
  [[nodiscard]] constexpr std::int64_t ns() const { return ns_; }
  [[nodiscard]] constexpr Duration since_start() const { return Duration::nanoseconds(ns_); }
  /// Seconds as a double: for reports and printing only.
  [[nodiscard]] constexpr double seconds_f() const { return static_cast<double>(ns_) / 1e9; }

  constexpr auto operator<=>(const Time&) const = default;
  constexpr Time operator+(Duration d) const { return Time{ns_ + d.ns()}; }
  constexpr Time operator-(Duration d) const { return Time{ns_ - d.ns()}; }
  constexpr Duration operator-(Time o) const { return Duration::nanoseconds(ns_ - o.ns_); }
  constexpr Time& operator+=(Duration d) { ns_ += d.ns(); return *this; }

 private:
  constexpr explicit Time(std::int64_t n) : ns_(n) {}
  std::int64_t ns_ = 0;
};

/// "20ms", "1.5s", "250us", "17ns": the shortest exact form in one unit.
std::string to_string(Duration d);
/// Seconds since t=0 with nine decimals: "1.020000000".
std::string to_string(Time t);
std::ostream& operator<<(std::ostream& os, Duration d);
std::ostream& operator<<(std::ostream& os, Time t);

namespace literals {
constexpr Duration operator""_ns(unsigned long long n) { return Duration::nanoseconds(static_cast<std::int64_t>(n)); }
constexpr Duration operator""_us(unsigned long long n) { return Duration::microseconds(static_cast<std::int64_t>(n)); }
constexpr Duration operator""_ms(unsigned long long n) { return Duration::milliseconds(static_cast<std::int64_t>(n)); }
constexpr Duration operator""_s(unsigned long long n) { return Duration::seconds(static_cast<std::int64_t>(n)); }
}  // namespace literals

}  // namespace wiresim
