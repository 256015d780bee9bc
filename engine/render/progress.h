// Apply progress from executor events: plain lines when the output is not a terminal; on a terminal,
// the same lines plus a live status line ("[3/10] running: vm/100, vm/101") rewritten in place.
#pragma once

#include <ostream>
#include <set>
#include <string>

#include "engine/exec/executor.h"
#include "hainfra/reporter.h"

namespace hainfra::render {

struct ProgressOptions {
  bool live = false;   // a terminal: keep a status line at the bottom
  bool color = false;
};

class ProgressPrinter : public ApplyReporter {
 public:
  ProgressPrinter(const Plan& plan, const ProgressOptions& options, std::ostream& out);

  void StepStarted(const Step& step) override;
  void StepSucceeded(const Step& step) override;
  void StepFailed(const Step& step, const Error& error) override;
  void StepSkipped(const Step& step, int root) override;
  void StepCancelled(const Step& step) override;
  void Note(const std::string& text) override;

  // The closing lines: what was done and what was not.
  void Finish(const exec::ApplySummary& summary);

 private:
  void Line(const std::string& text);
  void ClearStatus();
  void DrawStatus();

  const Plan& plan_;
  ProgressOptions options_;
  std::ostream& out_;
  std::set<int> running_;
  int ended_ = 0;
  bool status_shown_ = false;
};

}  // namespace hainfra::render
