#include "engine/render/progress.h"

#include "engine/plan/dag.h"
#include "engine/render/style.h"
#include "engine/render/words.h"

namespace hainfra::render {

ProgressPrinter::ProgressPrinter(const Plan& plan, const ProgressOptions& options, std::ostream& out)
    : plan_(plan), options_(options), out_(out) {}

void ProgressPrinter::StepStarted(const Step& step) {
  running_.insert(step.id);
  if (options_.live) DrawStatus();
  else Line(plan::StepName(step) + ": " + Doing(step) + "...");
}

void ProgressPrinter::StepSucceeded(const Step& step) {
  running_.erase(step.id);
  ++ended_;
  Line(plan::StepName(step) + ": " + Style(options_.color).Green(Done(step)));
}

void ProgressPrinter::StepFailed(const Step& step, const Error& error) {
  running_.erase(step.id);
  ++ended_;
  Line(plan::StepName(step) + ": " + Style(options_.color).BoldRed("failed") + ": " + error.ToString());
}

void ProgressPrinter::StepSkipped(const Step& step, int root) {
  ++ended_;
  Line(plan::StepName(step) + ": skipped (" + plan::StepName(plan_.steps[root]) + " failed)");
}

void ProgressPrinter::StepCancelled(const Step& step) {
  ++ended_;
  Line(plan::StepName(step) + ": not started (interrupted)");
}

void ProgressPrinter::Note(const std::string& text) { Line("  " + text); }

void ProgressPrinter::Finish(const exec::ApplySummary& summary) {
  ClearStatus();
  const Style style(options_.color);
  std::string head = summary.interrupted ? "Apply interrupted" : summary.ok() ? "Apply complete" : "Apply failed";
  head = summary.ok() ? style.Green(head) : style.BoldRed(head);
  out_ << "\n" << head << ": " << summary.succeeded << " succeeded, " << summary.failed << " failed, "
       << summary.skipped << " skipped, " << summary.cancelled << " not started.\n";
  if (summary.interrupted && summary.cancelled > 0) {
    out_ << "The steps not started are safe to run later: plan and apply again.\n";
  }
  out_.flush();
}

void ProgressPrinter::Line(const std::string& text) {
  ClearStatus();
  out_ << text << "\n";
  if (options_.live) DrawStatus();
  out_.flush();
}

void ProgressPrinter::ClearStatus() {
  if (!status_shown_) return;
  out_ << "\r\033[K";
  status_shown_ = false;
}

void ProgressPrinter::DrawStatus() {
  ClearStatus();
  if (running_.empty()) return;
  std::string names;
  int shown = 0;
  for (int id : running_) {
    if (shown++ == 3) {
      names += ", ...";
      break;
    }
    names += (names.empty() ? "" : ", ") + plan::StepName(plan_.steps[id]);
  }
  out_ << "[" << ended_ << "/" << plan_.steps.size() << "] running: " << names;
  out_.flush();
  status_shown_ = true;
}

}  // namespace hainfra::render
