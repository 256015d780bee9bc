#include "providers/transport/retry_policy.h"

#include <gtest/gtest.h>

namespace hainfra::transport {
namespace {

TEST(RetryPolicy, DecisionTable) {
  AttemptFailure server{Code::kUnavailable, false, false};
  AttemptFailure lock{Code::kUnavailable, true, false};
  AttemptFailure unsent{Code::kUnavailable, false, true};
  AttemptFailure client{Code::kInvalidArgument, false, false};
  AttemptFailure tls{Code::kPermissionDenied, false, false};
  EXPECT_TRUE(ShouldRetry(true, server));
  EXPECT_FALSE(ShouldRetry(false, server)) << "a create that may have run is never repeated";
  EXPECT_TRUE(ShouldRetry(true, lock));
  EXPECT_TRUE(ShouldRetry(false, lock));
  EXPECT_TRUE(ShouldRetry(false, unsent));
  EXPECT_FALSE(ShouldRetry(true, client));
  EXPECT_FALSE(ShouldRetry(true, tls));
}

TEST(RetryPolicy, BackoffDoublesUpToTheCapWithEqualJitter) {
  RetryPolicy policy{10, std::chrono::milliseconds(200), std::chrono::milliseconds(1000)};
  EXPECT_EQ(BackoffDelay(policy, 1, 0.0).count(), 100);
  EXPECT_EQ(BackoffDelay(policy, 1, 1.0).count(), 200);
  EXPECT_EQ(BackoffDelay(policy, 2, 0.0).count(), 200);
  EXPECT_EQ(BackoffDelay(policy, 3, 0.5).count(), 600);
  EXPECT_EQ(BackoffDelay(policy, 4, 1.0).count(), 1000);
  EXPECT_EQ(BackoffDelay(policy, 40, 1.0).count(), 1000) << "no overflow for large retry numbers";
  EXPECT_EQ(BackoffDelay(policy, 40, 0.0).count(), 500);
}

TEST(RetryPolicy, JitterStaysWithinItsBounds) {
  RetryPolicy policy;
  for (int retry = 1; retry < 8; ++retry) {
    for (double r : {0.0, 0.1, 0.37, 0.5, 0.99, 1.0, -3.0, 7.0}) {
      auto delay = BackoffDelay(policy, retry, r);
      auto full = std::min(policy.max_delay, policy.base_delay * (1 << (retry - 1)));
      EXPECT_GE(delay, full / 2);
      EXPECT_LE(delay, full);
    }
  }
}

}  // namespace
}  // namespace hainfra::transport
