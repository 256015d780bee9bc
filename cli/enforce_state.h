// What an enforce runner remembers between runs and processes, in its state folder (--state-dir,
// default /var/lib/hainfra): failed runs in a row (for the backoff), when the next run may start, and the
// running count of corrected objects (a Prometheus counter). The cluster is never read from it.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "hainfra/result.h"

namespace hainfra::cli {

inline constexpr std::chrono::seconds kMaxBackoff{6 * 3600};

struct RunnerState {
  int consecutive_failures = 0;
  int64_t last_failure = 0;         // Unix seconds of the last failed run
  int64_t next_run_not_before = 0;  // backing off: no run before this; 0: none
  int64_t corrected_total = 0;
};

// The wait after `failures` failed runs in a row: `every` when none, else every·2^failures, at most
// kMaxBackoff (and never less than `every`).
std::chrono::seconds BackoffDelay(std::chrono::seconds every, int failures);

// <dir>/enforce-state.json; a missing file is a fresh state, an unreadable one an error naming it.
Result<RunnerState> ReadRunnerState(const std::string& dir);
// Creates `dir` when needed; writes atomically.
Status WriteRunnerState(const std::string& dir, const RunnerState& state);

}  // namespace hainfra::cli
