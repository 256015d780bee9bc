// The seam between the executor and the world (ninja's CommandRunner): runs one step to completion.
// The real runner dispatches to the kinds' verbs; tests plug in fakes that count and fail on cue.
#pragma once

#include "hainfra/plan.h"
#include "hainfra/result.h"

namespace hainfra::exec {

class StepRunner {
 public:
  virtual ~StepRunner() = default;

  // Runs a kChange or kCommit step (the executor runs kGate steps itself). Called from worker threads,
  // concurrently for steps the executor lets overlap; an error with Code::kUnavailable is retried.
  virtual Status Run(const Step& step) = 0;
};

}  // namespace hainfra::exec
