#include "engine/exec/executor.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>

#include "tests/testing/planning.h"
#include "tests/testing/scripted_runner.h"

namespace hainfra::exec {
namespace {

using namespace std::chrono_literals;
using testing::MakePlan;
using testing::MakeStep;
using testing::RecordingReporter;
using testing::ScriptedRunner;
using Lines = std::vector<std::string>;

class ExecutorTest : public ::testing::Test {
 protected:
  ExecutorTest() {
    options_.retry.sleep = [this](std::chrono::milliseconds wait) { waits_.push_back(wait.count()); };
    options_.retry.jitter = [] { return 0.0; };
  }
  ApplySummary Go(const Plan& plan) {
    reporter_.plan = &plan;
    return Execute(plan, runner_, options_, reporter_);
  }
  static std::vector<Step> Independent(int n, const std::string& node = "", bool guest_per_step = false) {
    std::vector<Step> steps;
    for (int i = 0; i < n; ++i) steps.push_back(MakeStep(i, {}, node, guest_per_step ? "g" + std::to_string(i) : ""));
    return steps;
  }
  size_t Position(const std::vector<int>& order, int id) {
    return static_cast<size_t>(std::find(order.begin(), order.end(), id) - order.begin());
  }

  ScriptedRunner runner_;
  ExecutorOptions options_;
  RecordingReporter reporter_;
  std::vector<long long> waits_;
};

TEST_F(ExecutorTest, AnEmptyPlanDoesNothing) {
  ApplySummary s = Go(Plan{});
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(s.succeeded, 0);
  EXPECT_TRUE(reporter_.Events().empty());
}

TEST_F(ExecutorTest, EveryStepStartsAfterItsDependenciesEnded) {
  runner_.delay = 2ms;
  Plan plan = MakePlan({MakeStep(0), MakeStep(1, {0}), MakeStep(2, {0}), MakeStep(3, {1, 2}), MakeStep(4)});
  ApplySummary s = Go(plan);
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(s.succeeded, 5);
  const auto started = runner_.Started(), ended = runner_.Ended();
  for (const Step& step : plan.steps) {
    for (int dep : step.deps) {
      // The dependency ended before this step started: count what ended before the start.
      EXPECT_LT(Position(started, dep), Position(started, step.id));
      EXPECT_LT(Position(ended, dep), Position(ended, step.id));
    }
  }
}

TEST_F(ExecutorTest, AStepOfALaterPhaseWaitsForEveryEarlierStepEvenAFailedOne) {
  runner_.delay = 2ms;
  runner_.Script(0, {Fail(Code::kInternal, "boom")});
  Plan plan = MakePlan({MakeStep(0, {}, "", "", 0), MakeStep(1, {}, "", "", 0), MakeStep(2, {}, "", "", 1)});
  ApplySummary s = Go(plan);
  EXPECT_EQ(s.failed, 1);
  EXPECT_EQ(s.succeeded, 2);  // the phase order is not a dependency: step 2 still runs
  const auto started = runner_.Started(), ended = runner_.Ended();
  EXPECT_GT(Position(started, 2), Position(ended, 0));
  EXPECT_GT(Position(started, 2), Position(ended, 1));
}

TEST_F(ExecutorTest, ConcurrencyNeverExceedsParallelism) {
  runner_.delay = 3ms;
  options_.parallelism = 3;
  ApplySummary s = Go(MakePlan(Independent(30)));
  EXPECT_EQ(s.succeeded, 30);
  EXPECT_LE(runner_.Max().total, 3);
  EXPECT_GE(runner_.Max().total, 2);  // and it does run steps side by side
}

TEST_F(ExecutorTest, StepsOnOneGuestNeverOverlap) {
  runner_.delay = 2ms;
  options_.parallelism = 8;
  std::vector<Step> steps;
  for (int i = 0; i < 12; ++i) steps.push_back(MakeStep(i, {}, "pve-0" + std::to_string(i % 3), i % 2 ? "100" : "101"));
  ApplySummary s = Go(MakePlan(steps));
  EXPECT_EQ(s.succeeded, 12);
  EXPECT_EQ(runner_.Max().per_guest, 1);
  EXPECT_LE(runner_.Max().total, 2);  // two guests: two at a time at most
}

TEST_F(ExecutorTest, StepsOnOneNodeStayWithinThePerNodeLimit) {
  runner_.delay = 3ms;
  options_.parallelism = 8;
  options_.per_node = 2;
  std::vector<Step> steps;
  for (int i = 0; i < 24; ++i) steps.push_back(MakeStep(i, {}, i % 2 ? "pve-01" : "pve-02"));
  ApplySummary s = Go(MakePlan(steps));
  EXPECT_EQ(s.succeeded, 24);
  EXPECT_LE(runner_.Max().per_node, 2);
  EXPECT_LE(runner_.Max().total, 4);
}

TEST_F(ExecutorTest, AFailedStepSkipsItsDependentsAndEachIsReportedOnce) {
  runner_.Script(0, {Fail(Code::kInternal, "boom")});
  Plan plan = MakePlan({MakeStep(0), MakeStep(1, {0}), MakeStep(2, {0, 1}), MakeStep(3, {2}), MakeStep(4)});
  ApplySummary s = Go(plan);
  EXPECT_EQ(s.failed, 1);
  EXPECT_EQ(s.skipped, 3);
  EXPECT_EQ(s.succeeded, 1);
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(reporter_.Events("fail "), Lines{"fail step/0: internal: boom"});
  EXPECT_EQ(reporter_.Events("skip "),
            (Lines{"skip step/1 (root step/0)", "skip step/2 (root step/0)", "skip step/3 (root step/0)"}));
  EXPECT_EQ(runner_.Runs(1) + runner_.Runs(2) + runner_.Runs(3), 0);
  EXPECT_EQ(s.outcomes[3], StepOutcome::kSkipped);
  EXPECT_EQ(s.outcomes[4], StepOutcome::kSucceeded);
}

TEST_F(ExecutorTest, TransientErrorsAreRetriedWithExponentialBackoff) {
  options_.retry.initial = 1000ms;
  options_.retry.jitter = [] { return 1.0; };
  runner_.Script(0, {Fail(Code::kUnavailable, "can't lock file"), Fail(Code::kUnavailable, "can't lock file"),
                     Fail(Code::kUnavailable, "can't lock file")});
  ApplySummary s = Go(MakePlan({MakeStep(0)}));
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(runner_.Runs(0), 4);
  EXPECT_EQ(waits_, (std::vector<long long>{1000, 2000, 4000}));
  EXPECT_EQ(reporter_.Events("note ").front(),
            "note retrying step/0 in 1000ms (try 2 of 5): unavailable: can't lock file");
}

TEST_F(ExecutorTest, BackoffIsCappedAndJitteredWithinItsUpperHalf) {
  RetryPolicy policy;
  policy.initial = 1000ms;
  policy.max = 5000ms;
  EXPECT_EQ(Backoff(policy, 2, 0.0).count(), 500);
  EXPECT_EQ(Backoff(policy, 2, 0.5).count(), 750);
  EXPECT_EQ(Backoff(policy, 3, 1.0).count(), 2000);
  EXPECT_EQ(Backoff(policy, 9, 1.0).count(), 5000);
  EXPECT_EQ(Backoff(policy, 9, 0.0).count(), 2500);
}

TEST_F(ExecutorTest, RetriesStopAfterTheLastAttempt) {
  options_.retry.attempts = 3;
  runner_.Script(0, std::vector<Status>(5, Fail(Code::kUnavailable, "connection reset")));
  ApplySummary s = Go(MakePlan({MakeStep(0)}));
  EXPECT_EQ(s.failed, 1);
  EXPECT_EQ(runner_.Runs(0), 3);
  EXPECT_EQ(waits_.size(), 2u);
}

TEST_F(ExecutorTest, OtherErrorsAreNotRetried) {
  runner_.Script(0, {Fail(Code::kInvalidArgument, "bad parameter")});
  ApplySummary s = Go(MakePlan({MakeStep(0)}));
  EXPECT_EQ(s.failed, 1);
  EXPECT_EQ(runner_.Runs(0), 1);
  EXPECT_TRUE(waits_.empty());
}

TEST_F(ExecutorTest, InterruptionFinishesInFlightStepsAndStartsNoNewOne) {
  std::atomic<bool> stop{false};
  options_.stop = &stop;
  options_.parallelism = 2;
  runner_.delay = 5ms;
  runner_.on_start = [&](const Step& step) {
    if (step.id == 3) stop = true;
  };
  ApplySummary s = Go(MakePlan(Independent(12)));
  EXPECT_TRUE(s.interrupted);
  EXPECT_GT(s.cancelled, 0);
  EXPECT_EQ(s.succeeded + s.cancelled, 12);
  // No step is half-started: whatever started also ended, and was reported as done, never cancelled.
  auto started = runner_.Started(), ended = runner_.Ended();
  std::sort(started.begin(), started.end());
  std::sort(ended.begin(), ended.end());
  EXPECT_EQ(started, ended);
  EXPECT_EQ(static_cast<int>(started.size()), s.succeeded);
  EXPECT_EQ(reporter_.Events("start ").size(), started.size());
  EXPECT_EQ(static_cast<int>(reporter_.Events("cancel ").size()), s.cancelled);
  for (int id : started) EXPECT_EQ(s.outcomes[id], StepOutcome::kSucceeded);
}

TEST_F(ExecutorTest, InterruptionStopsRetrying) {
  std::atomic<bool> stop{false};
  options_.stop = &stop;
  options_.retry.sleep = [&](std::chrono::milliseconds) { stop = true; };
  runner_.Script(0, std::vector<Status>(5, Fail(Code::kUnavailable, "connection reset")));
  ApplySummary s = Go(MakePlan({MakeStep(0), MakeStep(1, {0})}));
  EXPECT_EQ(runner_.Runs(0), 1);
  EXPECT_EQ(s.outcomes[0], StepOutcome::kFailed);
  EXPECT_TRUE(s.interrupted);
}

TEST_F(ExecutorTest, AFailedHealthGateStopsTheRoll) {
  Step gate = MakeStep(1, {0}, "pve-01");
  gate.type = StepType::kGate;
  std::vector<std::string> gated;
  options_.health_gate = [&](const std::string& node) -> Status {
    gated.push_back(node);
    return Fail(Code::kFailedPrecondition, "pve-01 lost quorum");
  };
  options_.retry.attempts = 1;
  Plan plan = MakePlan({MakeStep(0, {}, "pve-01"), gate, MakeStep(2, {1}, "pve-02")});
  plan.steps[1].change.address = {"packages", "pve-01"};
  ApplySummary s = Go(plan);
  EXPECT_EQ(gated, Lines{"pve-01"});
  EXPECT_EQ(reporter_.Events("fail "), Lines{"fail health gate after pve-01: failed_precondition: pve-01 lost quorum"});
  EXPECT_EQ(reporter_.Events("skip "), Lines{"skip step/2 (root health gate after pve-01)"});
  EXPECT_EQ(runner_.Runs(1), 0);  // gates never reach the runner
}

}  // namespace
}  // namespace hainfra::exec
