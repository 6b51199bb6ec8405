#include "wiresim/tcp/congestion_control.hpp"

#include "wiresim/tcp/cubic.hpp"
#include "wiresim/tcp/linux_cubic.hpp"
#include "wiresim/tcp/new_reno.hpp"

namespace wiresim::tcp {

std::unique_ptr<CongestionControl> make_congestion_control(std::string_view name, CubicModel cubic) {
  if (name == "newreno") return std::make_unique<NewReno>();
  if (name == "cubic" && cubic == CubicModel::kLinux) return std::make_unique<LinuxCubic>();
  if (name == "cubic") return std::make_unique<Cubic>();
  return nullptr;
}

}  // namespace wiresim::tcp
