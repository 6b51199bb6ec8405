#pragma once
/// SIGINT/SIGTERM/SIGHUP handling for `wiresim run` and `wiresim compare`.
///
/// This is the one piece of process-wide mutable state in wiresim, and it
/// lives only in the executable: an atomic flag set by the signal handler.
/// The engine polls it through RunOptions::interrupted and returns early;
/// the command then discards its temporary output folder and ends the
/// process by the same signal (so shells see an interrupted command). A
/// second signal kills the process at once (the default action), leaving the
/// temporary folder for the next run into the same place to remove.

#include <array>
#include <atomic>

#include <signal.h>

namespace wiresim::cli {

/// The signals that stop a run cleanly (temporary folder removed).
inline constexpr std::array<int, 3> kInterruptSignals{SIGINT, SIGTERM, SIGHUP};

/// Installs the handlers. Call once, before the run starts.
void install_interrupt_handlers();
/// True once SIGINT, SIGTERM or SIGHUP has arrived.
const std::atomic<bool>& interrupt_flag();
/// Ends the process by the signal that interrupted it (its default action).
[[noreturn]] void exit_by_interrupt_signal();

}  // namespace wiresim::cli
