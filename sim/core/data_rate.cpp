#include "wiresim/core/data_rate.hpp"

#include <fmt/format.h>

namespace wiresim {

std::string to_string(DataRate r) {
  const std::int64_t b = r.bits_per_second();
  if (b == 0) return "infinite";
  struct Unit {
    std::int64_t scale;
    const char* name;
  };
  for (const Unit u : {Unit{1'000'000'000, "Gbps"}, Unit{1'000'000, "Mbps"}, Unit{1'000, "kbps"}}) {
    if (b >= u.scale) {
      if (b % u.scale == 0) return fmt::format("{}{}", b / u.scale, u.name);
      std::string frac = fmt::format("{:0{}d}", b % u.scale, u.scale == 1'000 ? 3 : u.scale == 1'000'000 ? 6 : 9);
      while (frac.back() == '0') frac.pop_back();
      return fmt::format("{}.{}{}", b / u.scale, frac, u.name);
    }
  }
  return fmt::format("{}bps", b);
}

}  // namespace wiresim
