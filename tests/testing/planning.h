// Test helpers around the engine: a spec from inline resources, observe + plan in one call, and a
// reporter that records apply events as text.
#pragma once

#include <mutex>
#include <string>
#include <vector>

#include "engine/plan/planner.h"
#include "hainfra/kind.h"
#include "hainfra/reporter.h"
#include "hainfra/spec.h"

namespace hainfra::testing {

// A spec holding `objects` (indexed), with hash `hash`.
Spec SpecOf(std::vector<Resource> objects, std::string hash = "spec-hash-1");

// ObserveKinds then BuildPlan.
Result<Plan> PlanFor(const std::vector<ResourceKind*>& kinds, const Spec& spec, plan::PlanRequest request = {});

// Step names in plan order: "vm/1", "commit network on pve-01", "health gate after pve-01".
std::vector<std::string> StepNames(const Plan& plan);

// Records every event as one line: "start vm/1", "ok vm/1", "fail vm/1: internal: boom",
// "skip vm/2 (root vm/1)", "cancel vm/3", "note ...".
class RecordingReporter : public ApplyReporter {
 public:
  void StepStarted(const Step& step) override;
  void StepSucceeded(const Step& step) override;
  void StepFailed(const Step& step, const Error& error) override;
  void StepSkipped(const Step& step, int root) override;
  void StepCancelled(const Step& step) override;
  void Note(const std::string& text) override;

  std::vector<std::string> Events() const;
  // The events starting with `prefix` ("skip ", "start "), in order.
  std::vector<std::string> Events(const std::string& prefix) const;

  const Plan* plan = nullptr;  // set to name skip roots

 private:
  void Add(std::string line);
  mutable std::mutex mu_;
  std::vector<std::string> events_;
};

}  // namespace hainfra::testing
