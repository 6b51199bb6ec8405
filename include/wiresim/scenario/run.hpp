#pragma once
/// The entry point of the simulation engine, called by `wiresim run`.
/// Implemented in sim/scenario/run.cpp (target wiresim_runner), which builds
/// the world from a Scenario, runs it and writes its outputs.

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "wiresim/scenario/output_dir.hpp"
#include "wiresim/scenario/progress.hpp"
#include "wiresim/scenario/scenario.hpp"

namespace wiresim::scenario {

struct RunOptions {
  std::uint64_t seed = 1;                   ///< the seed to run with; equals scenario.seed (after --seed)
  bool quiet = false;                       ///< no progress or summary on stdout
  std::filesystem::path scenario_file;      ///< as given on the command line
  std::vector<std::string> overrides;       ///< the --set texts applied, in order (for the record)
  /// Becomes true when the user interrupts the run (SIGINT/SIGTERM). The
  /// engine should poll it now and then (e.g. every few thousand events)
  /// and return 1 promptly when it is set; nullptr when nobody can interrupt.
  const std::atomic<bool>* interrupted = nullptr;
  /// Told how far the run has got (see progress.hpp); empty for none. It
  /// may look at a wall clock: nothing it does reaches an output file.
  ProgressCallback progress = nullptr;
};

/// Runs `scenario`, writing every output into `out.path()`; the caller
/// commits the folder when this returns 0. Returns 0 on success, 1 if the
/// run failed (after printing why on stderr). Must not call out.commit().
int run_scenario(const Scenario& scenario, const RunOptions& options, OutputDir& out);

}  // namespace wiresim::scenario
