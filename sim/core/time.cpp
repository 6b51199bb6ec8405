#include "wiresim/core/time.hpp"

#include <ostream>

#include <fmt/format.h>

namespace wiresim {

std::string to_string(Duration d) {
  const std::int64_t ns = d.ns();
  const std::int64_t mag = ns < 0 ? -ns : ns;
  struct Unit {
    std::int64_t scale;
    const char* name;
  };
  // Largest unit in which the value is a whole number, unless it is at least
  // one second: then seconds with as many decimals as needed.
  if (mag == 0) return "0s";
  if (mag >= 1'000'000'000) {
    std::string s = fmt::format("{}.{:09d}", mag / 1'000'000'000, mag % 1'000'000'000);
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
    return (ns < 0 ? "-" : "") + s + "s";
  }
  for (const Unit u : {Unit{1'000'000, "ms"}, Unit{1'000, "us"}}) {
    if (mag % u.scale == 0) return fmt::format("{}{}", ns / u.scale, u.name);
  }
  return fmt::format("{}ns", ns);
}

std::string to_string(Time t) {
  const std::int64_t ns = t.ns();
  const std::int64_t mag = ns < 0 ? -ns : ns;
  return fmt::format("{}{}.{:09d}", ns < 0 ? "-" : "", mag / 1'000'000'000, mag % 1'000'000'000);
}

std::ostream& operator<<(std::ostream& os, Duration d) { return os << to_string(d); }
std::ostream& operator<<(std::ostream& os, Time t) { return os << to_string(t); }

}  // namespace wiresim
