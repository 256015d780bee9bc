#include "engine/exec/kind_runner.h"

namespace hainfra::exec {

KindStepRunner::KindStepRunner(const std::vector<ResourceKind*>& kinds, const Spec& spec) {
  for (ResourceKind* kind : kinds) {
    kinds_[kind->traits().name] = kind;
    for (Resource& r : kind->Desired(spec)) {
      if (r.absent) continue;
      kind->Normalize(r.body);
      desired_[r.address] = std::move(r.body);
    }
  }
}

ResourceKind* KindStepRunner::KindOf(const std::string& name) const {
  auto it = kinds_.find(name);
  return it == kinds_.end() ? nullptr : it->second;
}

Status KindStepRunner::Run(const Step& step) {
  ResourceKind* kind = KindOf(step.change.address.kind);
  if (kind == nullptr) return Fail(Code::kInternal, "no resource kind named " + step.change.address.kind);
  if (step.type == StepType::kCommit) return kind->Commit(step.node);
  if (step.type != StepType::kChange) return Fail(Code::kInternal, "the kind runner cannot run a gate step");

  Change change = step.change;
  if (change.action != Action::kDelete) {
    auto it = desired_.find(change.address);
    if (it == desired_.end()) {
      return Fail(Code::kFailedPrecondition, change.address.ToString() + " is not in the spec any more");
    }
    change.after = it->second;  // the plan holds "(sensitive)" where the kind needs the secret
  }
  switch (change.action) {
    case Action::kCreate: return kind->Create(change);
    case Action::kUpdate: return kind->Update(change);
    case Action::kDelete: return kind->Delete(change);
    case Action::kReplace: {
      bool deleted;
      {
        std::lock_guard lock(mu_);
        deleted = deleted_.contains(step.id);
      }
      if (!deleted) {
        if (Status s = kind->Delete(change); !s) return s;
        std::lock_guard lock(mu_);
        deleted_.insert(step.id);
      }
      return kind->Create(change);
    }
    case Action::kNoOp: return Ok();
  }
  return Ok();
}

}  // namespace hainfra::exec
