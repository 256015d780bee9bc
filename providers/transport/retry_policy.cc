#include "providers/transport/retry_policy.h"

#include <algorithm>

namespace hainfra::transport {

bool ShouldRetry(bool idempotent, const AttemptFailure& failure) {
  if (failure.code != Code::kUnavailable) return false;
  if (failure.not_sent || failure.lock_timeout) return true;
  return idempotent;
}

std::chrono::milliseconds BackoffDelay(const RetryPolicy& policy, int retry, double random01) {
  using std::chrono::milliseconds;
  int doublings = std::clamp(retry - 1, 0, 30);
  long long cap = std::max<long long>(policy.max_delay.count(), 0);
  long long base = std::clamp<long long>(policy.base_delay.count(), 0, cap);
  long long delay = std::min<long long>(cap, base << std::min(doublings, 20));
  random01 = std::clamp(random01, 0.0, 1.0);
  long long half = delay / 2;
  return milliseconds(half + static_cast<long long>(random01 * static_cast<double>(delay - half)));
}

}  // namespace hainfra::transport
