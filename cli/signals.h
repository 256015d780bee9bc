// SIGINT/SIGTERM during apply: the first one raises a stop flag (steps in flight finish, no new step
// starts); a second one ends the process at once, as users expect from a second Ctrl-C.
#pragma once

#include <atomic>

namespace hainfra::cli {

// Installs the handlers and returns the flag they raise.
const std::atomic<bool>* InstallStopHandlers();

}  // namespace hainfra::cli
