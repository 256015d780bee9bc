// Apply events: the executor emits them and never prints; renderers turn them into text.
#pragma once

#include <string>

#include "hainfra/plan.h"
#include "hainfra/result.h"

namespace hainfra {

class ApplyReporter {
 public:
  virtual ~ApplyReporter() = default;

  virtual void StepStarted(const Step& step) = 0;
  virtual void StepSucceeded(const Step& step) = 0;
  virtual void StepFailed(const Step& step, const Error& error) = 0;
  // Not run because `root` (a step id) failed; reported once per skipped step, naming the root cause.
  virtual void StepSkipped(const Step& step, int root) = 0;
  // Not started because the run was interrupted (SIGINT/SIGTERM).
  virtual void StepCancelled(const Step& step) = 0;
  // A free-form progress note ("retrying vm/100 in 2s: can't lock file ...").
  virtual void Note(const std::string& text) = 0;
};

}  // namespace hainfra
