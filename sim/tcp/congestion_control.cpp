#include "wiresim/tcp/congestion_control.hpp"

#include "wiresim/tcp/cubic.hpp"
#include "wiresim/tcp/new_reno.hpp"

namespace wiresim::tcp {

std::unique_ptr<CongestionControl> make_congestion_control(std::string_view name) {
  if (name == "newreno") return std::make_unique<NewReno>();
  if (name == "cubic") return std::make_unique<Cubic>();
  return nullptr;
}

}  // namespace wiresim::tcp
