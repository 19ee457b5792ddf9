#include "cli/interrupt.hpp"

#include <signal.h>

#include <csignal>

namespace fsmc::cli {

namespace {

// The one piece of global state: a signal handler has nowhere else to write.
std::atomic<bool> interrupted{false};
static_assert(std::atomic<bool>::is_always_lock_free, "a signal handler may only touch lock-free atomics");

extern "C" void on_signal(int sig) {
  if (interrupted.exchange(true)) {
    // The second signal: the default action, now.
    std::signal(sig, SIG_DFL);
    std::raise(sig);
  }
}

}  // namespace

const std::atomic<bool>* interrupt_flag() {
  static const bool installed = [] {
    struct sigaction action {};
    action.sa_handler = on_signal;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, nullptr);
    sigaction(SIGTERM, &action, nullptr);
    return true;
  }();
  (void)installed;
  return &interrupted;
}

}  // namespace fsmc::cli
