#pragma once
/// How far a run has got, for a progress display. A side channel: the
/// callback sees the run and changes nothing in it, so outputs are the same
/// with or without one.

#include <cstddef>
#include <cstdint>
#include <functional>

#include "wiresim/core/time.hpp"

namespace wiresim::scenario {

struct RunProgress {
  Time now;                          ///< simulated time reached
  Time stop = Time::max();           ///< the scenario's time limit (`stop.after`); Time::max() if none
  std::uint64_t events = 0;          ///< events executed so far
  std::size_t client_apps = 0;       ///< client apps (browsers, bulk and teardown apps)
  std::size_t client_apps_done = 0;  ///< of which finished
  bool finished = false;             ///< the run has stopped: this is the last call
};

/// Called from the run loop after every slice of simulated time (100 ms of
/// it, skipping idle stretches) and once more with `finished` set when the
/// run stops, before anything is printed or written.
using ProgressCallback = std::function<void(const RunProgress&)>;

}  // namespace wiresim::scenario
