#pragma once
/// The progress line `wiresim run` shows on stderr: simulated time reached
/// (and the time limit, if any), events executed and client apps finished,
/// rewritten in place with '\r' and erased when the run stops. It appears
/// only when stderr is a terminal and the run has taken more than a second
/// of wall time. The wall clock is read here and nowhere else in a run: it
/// decides only when the line is drawn, never anything that is written.

#include <chrono>
#include <cstddef>
#include <cstdio>
#include <string>

#include "wiresim/scenario/progress.hpp"

namespace wiresim::cli {

/// The line's text, e.g. "simulated 12.3 s of 60 s, 1234567 events, apps 3/20 done".
std::string progress_text(const scenario::RunProgress& p);

class ProgressLine {
 public:
  /// Draws on `out` if `enabled` (the caller checks isatty and --quiet).
  ProgressLine(std::FILE* out, bool enabled);
  /// The RunOptions::progress callback: redraws at most ten times a second,
  /// from one second after construction; erases the line when p.finished.
  void update(const scenario::RunProgress& p);

 private:
  using Clock = std::chrono::steady_clock;
  void draw(const std::string& text);
  void erase();

  std::FILE* out_;
  bool enabled_;
  Clock::time_point started_;
  Clock::time_point last_draw_;
  std::size_t shown_ = 0;  ///< characters of the line now on the terminal
};

}  // namespace wiresim::cli
