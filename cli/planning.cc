#include "cli/planning.h"

#include "engine/enforce/policy.h"
#include "engine/plan/observe.h"

namespace hainfra::cli {

Result<plan::PlanRequest> MakeRequest(const Spec& spec, const std::vector<ResourceKind*>& kinds,
                                      const PlanningOptions& options) {
  plan::PlanRequest request;
  request.spec_hash = spec.hash;
  // `enforcement.ignore` is honoured by every command that plans (plan, drift, apply, enforce).
  Result<enforce::Policy> policy = enforce::Policy::FromSpec(spec);
  if (!policy) return Fail(policy.error());
  if (policy->HasIgnoreRules()) {
    request.ignore = [policy = *policy](const Resource& desired, const FieldChange& field) {
      return policy.Ignores(desired, field);
    };
  }
  for (const std::string& text : options.targets) {
    auto address = ParseAddress(text);
    if (!address) return Fail(Code::kInvalidArgument, "--target " + text + ": expected KIND/NAME, e.g. vm/100");
    request.targets.push_back(*address);
  }
  for (const std::string& name : options.prune) {
    const ResourceKind* found = nullptr;
    std::string known;
    for (const ResourceKind* kind : kinds) {
      if (kind->traits().name == name) found = kind;
      known += (known.empty() ? "" : ", ") + kind->traits().name;
    }
    if (found == nullptr) {
      return Fail(Code::kInvalidArgument,
                  "--prune " + name + ": no such kind" + (known.empty() ? "" : " (kinds: " + known + ")"));
    }
    if (!found->traits().prunable) {
      return Fail(Code::kInvalidArgument, "--prune " + name + ": " + name +
                                              " objects carry no ownership marker, so hainfra cannot tell its own "
                                              "from others; use `state: absent` to delete one");
    }
    request.prune.insert(name);
  }
  return request;
}

Result<Plan> ObserveAndPlan(const Spec& spec, const std::vector<ResourceKind*>& kinds, const PlanningOptions& options,
                            std::ostream& err) {
  Result<plan::PlanRequest> request = MakeRequest(spec, kinds, options);
  if (!request) return Fail(request.error());
  Result<std::vector<plan::KindState>> states = plan::ObserveKinds(kinds, spec, options.parallelism, request->prune);
  if (!states) return Fail(states.error());
  Result<Plan> plan = plan::BuildPlan(*states, *request);
  if (!plan) return Fail(plan.error());
  for (const Diagnostic& d : plan->diagnostics) err << d.ToString() << "\n";
  return plan;
}

int ReportError(const Error& error, std::ostream& err) {
  err << "error: " << error.message << "\n";
  return kExitError;
}

}  // namespace hainfra::cli
