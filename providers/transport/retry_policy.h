// When a failed API request may be sent again, and how long to wait first (exponential backoff + jitter).
// The decision table lives here, next to the delays, so the client's loop stays a loop.
#pragma once

#include <chrono>

#include "hainfra/result.h"

namespace hainfra::transport {

struct RetryPolicy {
  int max_attempts = 5;                           // first try included; 1 disables retries
  std::chrono::milliseconds base_delay{200};      // delay before the first retry (before jitter)
  std::chrono::milliseconds max_delay{5000};      // cap of the exponential growth
};

// What is known about one failed attempt.
struct AttemptFailure {
  Code code = Code::kInternal;
  bool lock_timeout = false;  // Proxmox answered "can't lock file … got timeout"
  bool not_sent = false;      // the request provably never left (connect or resolve failure)
};

// Whether the attempt may be repeated:
//
//   failure                              | idempotent (GET, PUT, DELETE) | not idempotent (POST)
//   -------------------------------------+-------------------------------+----------------------
//   not sent (connect/resolve failure,   | retry                         | retry
//   429 Too Many Requests)               |                               |
//   lock timeout ("can't lock file")     | retry                         | retry (nothing was done)
//   other kUnavailable (5xx, lost conn.) | retry                         | never (it may have run)
//   any other code (4xx, TLS, …)         | never                         | never
bool ShouldRetry(bool idempotent, const AttemptFailure& failure);

// Delay before retry number `retry` (1-based): d = min(max_delay, base_delay * 2^(retry-1)), then
// "equal jitter": d/2 + random01 * d/2, so concurrent clients spread out but never retry at once.
std::chrono::milliseconds BackoffDelay(const RetryPolicy& policy, int retry, double random01);

}  // namespace hainfra::transport
