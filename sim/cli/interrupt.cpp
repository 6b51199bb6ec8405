#include "interrupt.hpp"

#include <csignal>
#include <cstdlib>

#include <signal.h>

namespace wiresim::cli {
namespace {

static_assert(std::atomic<bool>::is_always_lock_free, "the flag must be safe to set in a signal handler");
static_assert(std::atomic<int>::is_always_lock_free, "the signal number must be safe to set in a signal handler");

// The process-wide state described in interrupt.hpp; nothing else writes it.
std::atomic<bool> g_interrupted{false};  // NOLINT(cppcoreguidelines-avoid-non-const-global-variables)
std::atomic<int> g_signal{0};            // NOLINT(cppcoreguidelines-avoid-non-const-global-variables)

void on_interrupt(int sig) {
  g_signal.store(sig);
  g_interrupted.store(true);
}

}  // namespace

void install_interrupt_handlers() {
  struct sigaction action {};
  action.sa_handler = on_interrupt;
  sigemptyset(&action.sa_mask);
  action.sa_flags = static_cast<int>(SA_RESETHAND);  // the second signal takes the default action
  // SIGHUP (the terminal went away, an ssh session dropped) ends a run the
  // same way: its default action would kill the process and leave the
  // temporary folder behind.
  for (const int sig : kInterruptSignals) sigaction(sig, &action, nullptr);
}

const std::atomic<bool>& interrupt_flag() { return g_interrupted; }

void exit_by_interrupt_signal() {
  const int sig = g_signal.load();
  std::signal(sig, SIG_DFL);
  std::raise(sig);
  std::_Exit(128 + sig);  // if the default action did not end the process
}

}  // namespace wiresim::cli
