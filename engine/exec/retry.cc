#include "engine/exec/retry.h"

#include <algorithm>
#include <mutex>
#include <random>
#include <thread>

namespace hainfra::exec {
namespace {

double DefaultJitter() {
  static std::mutex mu;
  static std::mt19937_64 engine{std::random_device{}()};
  std::lock_guard lock(mu);
  return std::uniform_real_distribution<double>(0.0, 1.0)(engine);
}

}  // namespace

std::chrono::milliseconds Backoff(const RetryPolicy& policy, int attempt, double jitter) {
  using std::chrono::milliseconds;
  const int doublings = std::clamp(attempt - 2, 0, 30);
  const long long base = policy.initial.count() << doublings;
  const long long capped = std::min<long long>(base, policy.max.count());
  const long long half = capped / 2;
  return milliseconds(capped - half + static_cast<long long>(static_cast<double>(half) * std::clamp(jitter, 0.0, 1.0)));
}

Status Retry(const RetryPolicy& policy, const std::function<Status()>& work, const std::function<bool()>& keep_going,
             const std::function<void(int, std::chrono::milliseconds, const Error&)>& on_retry) {
  Status result = work();
  for (int attempt = 2; attempt <= policy.attempts; ++attempt) {
    if (result || result.error().code != Code::kUnavailable || !keep_going()) break;
    const auto wait = Backoff(policy, attempt, policy.jitter ? policy.jitter() : DefaultJitter());
    on_retry(attempt, wait, result.error());
    if (policy.sleep) {
      policy.sleep(wait);
    } else {
      // Sleep in slices so an interruption does not wait out a long backoff.
      const auto until = std::chrono::steady_clock::now() + wait;
      while (keep_going() && std::chrono::steady_clock::now() < until) {
        std::this_thread::sleep_for(std::min<std::chrono::nanoseconds>(std::chrono::milliseconds(50),
                                                                        until - std::chrono::steady_clock::now()));
      }
    }
    if (!keep_going()) break;
    result = work();
  }
  return result;
}

}  // namespace hainfra::exec
