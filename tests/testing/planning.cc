#include "tests/testing/planning.h"

#include "engine/plan/dag.h"
#include "engine/plan/observe.h"

namespace hainfra::testing {

Spec SpecOf(std::vector<Resource> objects, std::string hash) {
  Spec spec;
  spec.objects = std::move(objects);
  spec.hash = std::move(hash);
  spec.files = {"spec.yaml"};
  spec.Reindex();
  return spec;
}

Result<Plan> PlanFor(const std::vector<ResourceKind*>& kinds, const Spec& spec, plan::PlanRequest request) {
  Result<std::vector<plan::KindState>> states = plan::ObserveKinds(kinds, spec, 4, request.prune);
  if (!states) return Fail(states.error());
  if (request.spec_hash.empty()) request.spec_hash = spec.hash;
  return plan::BuildPlan(*states, request);
}

std::vector<std::string> StepNames(const Plan& plan) {
  std::vector<std::string> out;
  for (const Step& step : plan.steps) out.push_back(plan::StepName(step));
  return out;
}

void RecordingReporter::StepStarted(const Step& step) { Add("start " + plan::StepName(step)); }
void RecordingReporter::StepSucceeded(const Step& step) { Add("ok " + plan::StepName(step)); }
void RecordingReporter::StepFailed(const Step& step, const Error& error) {
  Add("fail " + plan::StepName(step) + ": " + error.ToString());
}
void RecordingReporter::StepSkipped(const Step& step, int root) {
  const std::string root_name = plan != nullptr ? plan::StepName(plan->steps[root]) : std::to_string(root);
  Add("skip " + plan::StepName(step) + " (root " + root_name + ")");
}
void RecordingReporter::StepCancelled(const Step& step) { Add("cancel " + plan::StepName(step)); }
void RecordingReporter::Note(const std::string& text) { Add("note " + text); }

std::vector<std::string> RecordingReporter::Events() const {
  std::lock_guard lock(mu_);
  return events_;
}

std::vector<std::string> RecordingReporter::Events(const std::string& prefix) const {
  std::lock_guard lock(mu_);
  std::vector<std::string> out;
  for (const std::string& e : events_) {
    if (e.rfind(prefix, 0) == 0) out.push_back(e);
  }
  return out;
}

void RecordingReporter::Add(std::string line) {
  std::lock_guard lock(mu_);
  events_.push_back(std::move(line));
}

}  // namespace hainfra::testing
