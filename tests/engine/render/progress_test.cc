#include "engine/render/progress.h"

#include <gtest/gtest.h>

#include <sstream>

#include "tests/testing/scripted_runner.h"

namespace hainfra::render {
namespace {

using testing::MakePlan;
using testing::MakeStep;

Plan ThreeSteps() {
  Plan plan = MakePlan({MakeStep(0), MakeStep(1, {0}), MakeStep(2)});
  plan.steps[0].change.address = {"vm", "100"};
  plan.steps[0].change.action = Action::kCreate;
  plan.steps[1].change.address = {"ha_resource", "vm:100"};
  plan.steps[1].change.action = Action::kCreate;
  plan.steps[2].change.address = {"vm", "101"};
  plan.steps[2].change.action = Action::kDelete;
  return plan;
}

TEST(Progress, PlainOutputIsOneLinePerEventAndASummary) {
  const Plan plan = ThreeSteps();
  std::ostringstream out;
  ProgressPrinter printer(plan, {}, out);
  printer.StepStarted(plan.steps[0]);
  printer.StepStarted(plan.steps[2]);
  printer.Note("retrying vm/100 in 500ms (try 2 of 5): unavailable: can't lock file");
  printer.StepFailed(plan.steps[0], Error{Code::kUnavailable, "can't lock file"});
  printer.StepSkipped(plan.steps[1], 0);
  printer.StepSucceeded(plan.steps[2]);
  exec::ApplySummary summary;
  summary.succeeded = 1;
  summary.failed = 1;
  summary.skipped = 1;
  printer.Finish(summary);
  EXPECT_EQ(out.str(),
            "vm/100: creating...\n"
            "vm/101: deleting...\n"
            "  retrying vm/100 in 500ms (try 2 of 5): unavailable: can't lock file\n"
            "vm/100: failed: unavailable: can't lock file\n"
            "ha_resource/vm:100: skipped (vm/100 failed)\n"
            "vm/101: deleted\n"
            "\n"
            "Apply failed: 1 succeeded, 1 failed, 1 skipped, 0 not started.\n");
}

TEST(Progress, InterruptedRunSaysWhatWasNotStarted) {
  const Plan plan = ThreeSteps();
  std::ostringstream out;
  ProgressPrinter printer(plan, {}, out);
  printer.StepStarted(plan.steps[0]);
  printer.StepSucceeded(plan.steps[0]);
  printer.StepCancelled(plan.steps[1]);
  printer.StepCancelled(plan.steps[2]);
  exec::ApplySummary summary;
  summary.succeeded = 1;
  summary.cancelled = 2;
  summary.interrupted = true;
  printer.Finish(summary);
  EXPECT_EQ(out.str(),
            "vm/100: creating...\n"
            "vm/100: created\n"
            "ha_resource/vm:100: not started (interrupted)\n"
            "vm/101: not started (interrupted)\n"
            "\n"
            "Apply interrupted: 1 succeeded, 0 failed, 0 skipped, 2 not started.\n"
            "The steps not started are safe to run later: plan and apply again.\n");
}

TEST(Progress, LiveOutputKeepsAStatusLineBelowFinishedSteps) {
  const Plan plan = ThreeSteps();
  std::ostringstream out;
  ProgressPrinter printer(plan, {/*live=*/true, /*color=*/false}, out);
  printer.StepStarted(plan.steps[0]);
  printer.StepStarted(plan.steps[2]);
  printer.StepSucceeded(plan.steps[2]);
  printer.StepSucceeded(plan.steps[0]);
  exec::ApplySummary summary;
  summary.succeeded = 2;
  printer.Finish(summary);
  EXPECT_EQ(out.str(),
            "[0/3] running: vm/100"
            "\r\033[K[0/3] running: vm/100, vm/101"
            "\r\033[Kvm/101: deleted\n"
            "[1/3] running: vm/100"
            "\r\033[Kvm/100: created\n"
            "\n"
            "Apply complete: 2 succeeded, 0 failed, 0 skipped, 0 not started.\n");
}

}  // namespace
}  // namespace hainfra::render
