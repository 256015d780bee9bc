// Retrying transient failures (Code::kUnavailable) with exponential backoff and jitter.
// The clock is injectable so tests never sleep.
#pragma once

#include <chrono>
#include <functional>

#include "hainfra/result.h"

namespace hainfra::exec {

struct RetryPolicy {
  int attempts = 5;                                // tries in all, the first included
  std::chrono::milliseconds initial{1000};         // backoff before the second try
  std::chrono::milliseconds max{30000};            // backoff cap
  std::function<void(std::chrono::milliseconds)> sleep;  // default: sleeps, waking early on interruption
  std::function<double()> jitter;                  // uniform in [0, 1); default: a random generator
};

// The wait before try number `attempt` (2, 3, ...): min(max, initial * 2^(attempt-2)), of which the
// upper half is jittered, so concurrent retries spread out but never retry at once.
std::chrono::milliseconds Backoff(const RetryPolicy& policy, int attempt, double jitter);

// Runs `work` until it succeeds, fails with a code other than kUnavailable, runs out of attempts, or
// `keep_going` says no (the run was interrupted). `on_retry(attempt, wait, error)` is told before each wait.
Status Retry(const RetryPolicy& policy, const std::function<Status()>& work, const std::function<bool()>& keep_going,
             const std::function<void(int, std::chrono::milliseconds, const Error&)>& on_retry);

}  // namespace hainfra::exec
