#include "cli/signals.h"

#include <csignal>

namespace hainfra::cli {
namespace {

std::atomic<bool> stop_requested{false};
static_assert(std::atomic<bool>::is_always_lock_free, "the stop flag is set from a signal handler");

extern "C" void OnStopSignal(int signal) {
  stop_requested.store(true);
  std::signal(signal, SIG_DFL);  // the next one terminates
}

}  // namespace

const std::atomic<bool>* InstallStopHandlers() {
  std::signal(SIGINT, OnStopSignal);
  std::signal(SIGTERM, OnStopSignal);
  return &stop_requested;
}

}  // namespace hainfra::cli
