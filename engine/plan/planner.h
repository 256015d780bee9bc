// The planner: desired + observed + kind traits -> a Plan, a DAG of steps (pure, no I/O).
// Edges: references, commits after staged changes, health gates between the nodes of rolling kinds;
// phases: the kind order (forward), deletes in reverse kind order after every forward step.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "engine/plan/diff.h"
#include "hainfra/kind.h"
#include "hainfra/plan.h"
#include "hainfra/result.h"

namespace hainfra::plan {

// One kind's inputs to the planner: its desired objects and what Observe returned.
struct KindState {
  const ResourceKind* kind = nullptr;
  std::vector<Resource> desired;
  std::vector<Observed> observed;
};

struct PlanRequest {
  std::string spec_hash;
  std::set<std::string> prune;   // kinds whose owned objects that the spec omits are deleted
  std::vector<Address> targets;  // only these changes and what they depend on; empty: everything
  IgnoreField ignore;            // differences to drop (the spec's `enforcement.ignore`); empty: none
};

// Builds the plan. Errors: a dependency cycle (named: "vm/1 -> ha_rule/x -> vm/1"), a target that
// matches nothing, an address given twice by one kind. Refused changes are error diagnostics in the
// plan (every one of them, located in the spec); such a plan must not be applied.
Result<Plan> BuildPlan(const std::vector<KindState>& kinds, const PlanRequest& request);

}  // namespace hainfra::plan
