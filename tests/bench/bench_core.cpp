// Scheduler benchmark (not a test): the classic "hold" model. N events are
// pending; each dispatched event schedules one new event a pseudo-random
// delay ahead, so the queue stays at N. Prints events per wall-clock second.
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "wiresim/core/rng.hpp"
#include "wiresim/core/simulator.hpp"

namespace {

struct Hold {
  wiresim::Simulator sim;
  wiresim::Rng rng{1};
  std::uint64_t remaining = 0;

  void fire() {
    if (remaining == 0) return;
    --remaining;
    const auto delay = wiresim::Duration::nanoseconds(static_cast<std::int64_t>(rng.uniform_below(1'000'000)));
    sim.schedule_in(delay, [this] { fire(); });
  }
};

double run_hold(std::size_t pending, std::uint64_t total) {
  Hold h;
  h.remaining = total;
  for (std::size_t i = 0; i < pending; ++i) {
    h.sim.schedule_in(wiresim::Duration::nanoseconds(static_cast<std::int64_t>(h.rng.uniform_below(1'000'000))),
                      [&h] { h.fire(); });
  }
  const auto t0 = std::chrono::steady_clock::now();
  h.sim.run();
  const auto t1 = std::chrono::steady_clock::now();
  const double secs = std::chrono::duration<double>(t1 - t0).count();
  return static_cast<double>(h.sim.events_executed()) / secs;
}

}  // namespace

int main(int argc, char** argv) {
  const std::uint64_t total = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 20'000'000;
  std::printf("scheduler hold model, %llu events\n", static_cast<unsigned long long>(total));
  for (const std::size_t pending : {100UL, 10'000UL, 1'000'000UL}) {
    const double eps = run_hold(pending, total);
    std::printf("  pending %8zu: %6.2f million events/s\n", pending, eps / 1e6);
  }
  return 0;
}
