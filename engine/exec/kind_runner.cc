#include "engine/exec/kind_runner.h"

#include "engine/plan/diff.h"

namespace hainfra::exec {

KindStepRunner::KindStepRunner(const std::vector<ResourceKind*>& kinds, const Spec& spec) {
  for (ResourceKind* kind : kinds) {
    kinds_[kind->traits().name] = kind;
    for (Resource& r : kind->Desired(spec)) {
      resources_[r.address] = r;
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
  const bool retry = IsRetry(step.id);
  if (retry && change.action != Action::kReplace) return Recheck(*kind, change);
  switch (change.action) {
    case Action::kCreate: {
      // "Already exists" on a create the plan saw absent: a lost answer's work (an HTTP client may have sent
      // the request again on its own after the connection dropped), or someone else's. Look again (retry).
      Status created = kind->Create(change);
      if (!created && created.error().code == Code::kAlreadyExists) {
        return Fail(Code::kUnavailable, created.error().message + " (outcome unknown; looking again)");
      }
      return created;
    }
    case Action::kUpdate: return kind->Update(change);
    case Action::kDelete: {
      Status deleted = kind->Delete(change);
      if (!deleted && deleted.error().code == Code::kNotFound) return Ok();  // gone is what a delete wants
      return deleted;
    }
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

bool KindStepRunner::IsRetry(int step_id) {
  std::lock_guard lock(mu_);
  return !tried_.insert(step_id).second;
}

// A try that failed with an unknown outcome (the connection dropped after the request was sent, a 5xx,
// a task that timed out) may have done its work in Proxmox. So a retry decides again from what is there:
//
//   planned | the object now                 | the retry
//   --------+--------------------------------+-----------------------------------------------
//   create  | absent                         | create
//   create  | present, as the spec says      | nothing: it is adopted (the lost create had landed)
//   update  | as the spec says               | nothing (the lost update had landed)
//   either  | present, fields differ         | update with the fresh change (fresh digest/version)
//   either  | present, needs a replacement   | never on a retry: kUnavailable (an earlier try's task may still
//           |                                | be at work), so the retries run out and the step fails
//   update  | absent                         | fails: it was removed under the apply, plan again
//   delete  | absent                         | nothing (the lost delete had landed)
//   delete  | present                        | delete ("does not exist" counts as done)
//
// A create of an object still absent that answers "already exists" is an earlier try's task finishing
// meanwhile: outcome unknown (kUnavailable), so the next retry looks again.
//
// A delete of an object the spec does not name (pruning) cannot be observed alone: it is sent again,
// and "does not exist" counts as done.
Status KindStepRunner::Recheck(ResourceKind& kind, const Change& planned) {
  const std::string name = planned.address.ToString();
  auto spec_object = resources_.find(planned.address);
  if (planned.action == Action::kDelete && spec_object == resources_.end()) {
    Status deleted = kind.Delete(planned);
    if (!deleted && deleted.error().code == Code::kNotFound) return Ok();
    return deleted;
  }
  if (spec_object == resources_.end()) {
    return Fail(Code::kFailedPrecondition, name + " is not in the spec any more");
  }
  auto observed = kind.Observe({spec_object->second});
  if (!observed) return Fail(WithContext(observed.error(), "looking at " + name + " again before retrying"));
  const Observed* now = nullptr;
  for (const Observed& o : *observed) {
    if (o.address == planned.address) now = &o;
  }
  if (planned.action == Action::kDelete) {
    if (now == nullptr) return Ok();
    Status deleted = kind.Delete(planned);
    if (!deleted && deleted.error().code == Code::kNotFound) return Ok();
    return deleted;
  }
  if (now == nullptr) {
    if (planned.action == Action::kUpdate) {
      return Fail(Code::kFailedPrecondition, name + " was removed from the cluster during the apply; plan again");
    }
    // Absent may mean "not yet": an earlier try's task can still be creating it. Then "already exists" is
    // that try's work showing up, and the next retry looks again.
    Status created = kind.Create(planned);
    if (!created && created.error().code == Code::kAlreadyExists) {
      return Fail(Code::kUnavailable, created.error().message + " (an earlier try may have created it; looking again)");
    }
    return created;
  }
  Diagnostics diagnostics;
  Change fresh = plan::Diff(kind, &spec_object->second, now, {}, diagnostics);
  fresh.after = planned.after;  // the real desired body, secrets included
  switch (fresh.action) {
    case Action::kNoOp: return Ok();
    case Action::kUpdate: {
      Status updated = kind.Update(fresh);
      if (updated) return updated;
      // Refused because the object changed since the look (a digest): an earlier try's task landing now.
      // When the object is as the spec says after all, the work is done.
      auto again = kind.Observe({spec_object->second});
      if (again) {
        for (const Observed& o : *again) {
          if (o.address != planned.address) continue;
          Diagnostics ignored;
          if (plan::Diff(kind, &spec_object->second, &o, {}, ignored).action == Action::kNoOp) return Ok();
        }
      }
      return updated;
    }
    default:
      // Never destroy on a retry. Either an earlier try's task is still at work on it (a guest still
      // `lock: create`), which the next retry sees finished, or someone changed it: then the retries run out
      // and the step fails, asking for a new plan.
      return Fail(Code::kUnavailable, name + " does not match the spec and would need a " +
                                          std::string(ActionName(fresh.action)) +
                                          " (an earlier try may still be at work on it, or it was changed meanwhile; "
                                          "plan again if this persists)");
  }
}

}  // namespace hainfra::exec
