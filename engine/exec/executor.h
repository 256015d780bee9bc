// The executor: walks a plan's DAG and runs its steps through a StepRunner, with bounded parallelism.
// It never prints and never re-decides: it emits ApplyReporter events and returns a summary.
#pragma once

#include <atomic>
#include <functional>
#include <string>
#include <vector>

#include "engine/exec/retry.h"
#include "engine/exec/step_runner.h"
#include "hainfra/plan.h"
#include "hainfra/reporter.h"

namespace hainfra::exec {

struct ExecutorOptions {
  int parallelism = 8;  // steps running at once
  int per_node = 2;     // steps running at once on one node (Proxmox serializes much per node anyway)
  // Runs the kGate steps: is `node` healthy (and the cluster quorate) after its changes? Empty: yes.
  std::function<Status(const std::string& node)> health_gate;
  RetryPolicy retry;
  const std::atomic<bool>* stop = nullptr;  // once true: in-flight steps finish, no new step starts
};

enum class StepOutcome { kNotRun, kSucceeded, kFailed, kSkipped, kCancelled };

struct ApplySummary {
  std::vector<StepOutcome> outcomes;  // by step id
  int succeeded = 0;
  int failed = 0;
  int skipped = 0;    // a dependency failed
  int cancelled = 0;  // not started because the run was interrupted
  bool interrupted = false;

  bool ok() const { return failed == 0 && skipped == 0 && cancelled == 0; }
};

// Runs `plan`: a step starts when its dependencies succeeded and every step of a lower phase ended,
// never two on one guest, at most `per_node` on one node and `parallelism` in all. A failed step skips
// its dependents (each reported once, naming the failed step). Events reach `reporter` one at a time.
ApplySummary Execute(const Plan& plan, StepRunner& runner, const ExecutorOptions& options, ApplyReporter& reporter);

}  // namespace hainfra::exec
