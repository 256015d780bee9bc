#include "cli/apply_command.h"

#include <algorithm>
#include <istream>
#include <set>
#include <string>

#include "cli/planning.h"
#include "engine/exec/executor.h"
#include "engine/exec/kind_runner.h"
#include "engine/plan/dag.h"
#include "engine/plan/observe.h"
#include "engine/planfile/plan_file.h"
#include "engine/planfile/plan_json.h"
#include "engine/render/plan_text.h"
#include "engine/render/progress.h"
#include "engine/render/words.h"

namespace hainfra::cli {
namespace {

// The saved plan, if it still describes the spec and the cluster.
Result<Plan> LoadFresh(const Spec& spec, const std::vector<ResourceKind*>& kinds, const ApplyCommandOptions& options) {
  if (!options.planning.targets.empty() || !options.planning.prune.empty()) {
    return Fail(Code::kInvalidArgument, "--target and --prune shape a new plan; they cannot change a saved one");
  }
  Result<Plan> saved = planfile::ReadPlanFile(options.plan_file);
  if (!saved) return saved;
  std::set<std::string> changed_kinds;
  for (const Step& step : saved->steps) {
    if (step.type == StepType::kChange) changed_kinds.insert(step.change.address.kind);
  }
  Result<std::vector<plan::KindState>> states =
      plan::ObserveKinds(kinds, spec, options.planning.parallelism, changed_kinds);
  if (!states) return Fail(states.error());
  if (Status s = planfile::CheckFresh(*saved, spec.hash, *states); !s) {
    return Fail(WithContext(s.error(), options.plan_file));
  }
  return saved;
}

// "refusing to apply: ..." when destructive steps lack --allow-destroy; empty when fine.
std::string DestroyRefusal(const Plan& plan, bool allowed) {
  if (allowed) return "";
  std::string list;
  int count = 0;
  for (const Step& step : plan.steps) {
    if (step.type != StepType::kChange || !step.change.destructive) continue;
    if (count++ < 5) {
      list += (list.empty() ? "" : ", ") + std::string(render::Marker(step.change.action)) + " " +
              std::string(ActionName(step.change.action)) + " " + step.change.address.ToString();
    }
  }
  if (count == 0) return "";
  if (count > 5) list += ", ...";
  return "refusing to apply: " + std::to_string(count) + " destructive step" + (count == 1 ? "" : "s") + " (" +
         list + "); re-run with --allow-destroy if this is intended";
}

bool Approved(const Plan& plan, const ApplyCommandOptions& options, Console& console, std::string& refusal) {
  if (!options.plan_file.empty() || options.auto_approve) return true;
  if (!console.interactive) {
    refusal = "refusing to apply without --auto-approve: stdin is not a terminal";
    return false;
  }
  console.out << "\nApply these " << plan.steps.size() << " steps? Only 'yes' is accepted: " << std::flush;
  std::string answer;
  std::getline(console.in, answer);
  if (answer == "yes") return true;
  refusal = "apply cancelled: the answer was not 'yes'";
  return false;
}

// Forwards every event to the progress printer and to an observer.
class ApplyTeeReporter : public ApplyReporter {
 public:
  ApplyTeeReporter(ApplyReporter& first, ApplyReporter* second) : first_(first), second_(second) {}
  void StepStarted(const Step& step) override { Both([&](ApplyReporter& r) { r.StepStarted(step); }); }
  void StepSucceeded(const Step& step) override { Both([&](ApplyReporter& r) { r.StepSucceeded(step); }); }
  void StepFailed(const Step& step, const Error& error) override {
    Both([&](ApplyReporter& r) { r.StepFailed(step, error); });
  }
  void StepSkipped(const Step& step, int root) override { Both([&](ApplyReporter& r) { r.StepSkipped(step, root); }); }
  void StepCancelled(const Step& step) override { Both([&](ApplyReporter& r) { r.StepCancelled(step); }); }
  void Note(const std::string& text) override { Both([&](ApplyReporter& r) { r.Note(text); }); }

 private:
  template <typename F>
  void Both(F f) {
    f(first_);
    if (second_ != nullptr) f(*second_);
  }
  ApplyReporter& first_;
  ApplyReporter* second_;
};

}  // namespace

Status CheckRunnable(const Plan& plan, const ApplyCommandOptions& options) {
  // The quorum gate runs even for an empty plan: every apply checks quorum first.
  if (options.preflight) {
    std::vector<std::string> nodes;
    for (const Step& step : plan.steps) {
      if (!step.node.empty() && std::find(nodes.begin(), nodes.end(), step.node) == nodes.end()) {
        nodes.push_back(step.node);
      }
    }
    if (Status gate = options.preflight(nodes); !gate) return gate;
  }
  if (plan.empty()) return Ok();
  if (std::string refusal = DestroyRefusal(plan, options.allow_destroy); !refusal.empty()) {
    return Fail(Code::kFailedPrecondition, refusal);
  }
  return Ok();
}

exec::ApplySummary ExecuteSteps(const Plan& plan, const Spec& spec, const std::vector<ResourceKind*>& kinds,
                                const ApplyCommandOptions& options, Console& console, std::ostream& text_out,
                                ApplyReporter* observer) {
  exec::KindStepRunner runner(kinds, spec);
  exec::ExecutorOptions exec_options;
  exec_options.parallelism = options.planning.parallelism;
  exec_options.per_node = options.per_node;
  exec_options.health_gate = options.health_gate;
  exec_options.retry = options.retry;
  exec_options.stop = options.stop;
  render::ProgressPrinter progress(plan, {console.live && !options.planning.json, console.color}, text_out);
  ApplyTeeReporter tee(progress, observer);
  exec::ApplySummary summary = exec::Execute(plan, runner, exec_options, tee);
  progress.Finish(summary);
  return summary;
}

int RunApply(const Spec& spec, const std::vector<ResourceKind*>& kinds, const ApplyCommandOptions& options,
             Console& console) {
  Result<Plan> plan = options.plan_file.empty() ? ObserveAndPlan(spec, kinds, options.planning, console.err)
                                                : LoadFresh(spec, kinds, options);
  if (!plan) return ReportError(plan.error(), console.err);

  // With --json, stdout carries the plan only; progress and questions go to stderr.
  std::ostream& text_out = options.planning.json ? console.err : console.out;
  if (options.planning.json) {
    console.out << planfile::PlanToJson(*plan).dump(2) << "\n" << std::flush;
  } else {
    render::TextOptions text;
    text.color = console.color;
    render::RenderPlanText(*plan, text, console.out);
  }
  if (HasErrors(plan->diagnostics)) {
    return ReportError({Code::kFailedPrecondition, "the plan has refused changes (see above); nothing was applied"},
                       console.err);
  }
  if (Status runnable = CheckRunnable(*plan, options); !runnable) return ReportError(runnable.error(), console.err);
  if (plan->empty()) return kExitOk;
  Console prompt{console.in, text_out, console.err, console.interactive, console.color, console.live};
  if (std::string refusal; !Approved(*plan, options, prompt, refusal)) {
    return ReportError({Code::kCancelled, refusal}, console.err);
  }
  text_out << "\n";
  exec::ApplySummary summary = ExecuteSteps(*plan, spec, kinds, options, console, text_out, nullptr);
  return summary.ok() ? kExitOk : kExitError;
}

}  // namespace hainfra::cli
