// The engine entry point of `wiresim run`: builds the world, runs it, and
// writes its outputs (captures, traces, summary.json) into the temporary
// output folder that the CLI commits on success.
#include "wiresim/scenario/run.hpp"

#include <chrono>
#include <cstdio>
#include <exception>

#include <fmt/format.h>

#include "wiresim/scenario/summary.hpp"
#include "wiresim/scenario/world.hpp"

namespace wiresim::scenario {

int run_scenario(const Scenario& scenario, const RunOptions& options, OutputDir& out) {
  try {
    Scenario s = scenario;
    s.seed = options.seed;
    const auto wall_start = std::chrono::steady_clock::now();
    World world(s, options.seed, out.path());
    const StopReason reason = world.run(options.interrupted, options.progress);
    if (reason == StopReason::kInterrupted) {
      std::fprintf(stderr, "wiresim: interrupted; nothing written\n");
      return 1;
    }
    write_outputs(world, options, reason, out.path());
    for (const std::string& w : run_warnings(world)) std::fprintf(stderr, "wiresim: warning: %s\n", w.c_str());
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
    if (!options.quiet) {
      std::fputs(summary_text(world, reason, out.final_path().string()).c_str(), stdout);
      std::printf("  wall time: %.3f s\n", wall);
    }
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "wiresim: run failed: %s\n", e.what());
    return 1;
  }
}

}  // namespace wiresim::scenario
