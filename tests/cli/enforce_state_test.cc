#include "cli/enforce_state.h"

#include <gtest/gtest.h>

#include "tests/testing/temp_dir.h"

namespace hainfra::cli {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

TEST(EnforceState, BackoffDoublesPerFailureUpToSixHours) {
  EXPECT_EQ(BackoffDelay(minutes(15), 0), minutes(15));
  EXPECT_EQ(BackoffDelay(minutes(15), 1), minutes(30));
  EXPECT_EQ(BackoffDelay(minutes(15), 2), minutes(60));
  EXPECT_EQ(BackoffDelay(minutes(15), 3), minutes(120));
  EXPECT_EQ(BackoffDelay(minutes(15), 5), hours(6));
  EXPECT_EQ(BackoffDelay(minutes(15), 60), hours(6));
  EXPECT_EQ(BackoffDelay(hours(12), 1), hours(12)) << "never shorter than the interval itself";
}

TEST(EnforceState, AMissingStateIsFreshAndAWrittenOneIsReadBack) {
  testing::TempDir dir("enforce-state");
  const std::string folder = dir.File("state");
  RunnerState fresh = ReadRunnerState(folder).value();
  EXPECT_EQ(fresh.consecutive_failures, 0);
  RunnerState state{3, 1700000000, 1700007200, 42};
  ASSERT_TRUE(WriteRunnerState(folder, state).has_value());
  RunnerState back = ReadRunnerState(folder).value();
  EXPECT_EQ(back.consecutive_failures, 3);
  EXPECT_EQ(back.last_failure, 1700000000);
  EXPECT_EQ(back.next_run_not_before, 1700007200);
  EXPECT_EQ(back.corrected_total, 42);
}

TEST(EnforceState, AnUnreadableStateIsAnErrorNamingTheFile) {
  testing::TempDir dir("enforce-state");
  testing::WriteText(dir.File("enforce-state.json"), "{not json");
  Result<RunnerState> state = ReadRunnerState(dir.path());
  ASSERT_FALSE(state.has_value());
  EXPECT_NE(state.error().message.find("enforce-state.json"), std::string::npos) << state.error().message;
}

}  // namespace
}  // namespace hainfra::cli
