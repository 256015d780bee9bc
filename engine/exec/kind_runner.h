// The real StepRunner: dispatches each step to its kind's verbs (Replace = Delete, then Create),
// handing kinds the real desired body, secrets included, re-derived from the spec at apply time.
// A retried step looks at the live object again first (see kind_runner.cc), so an answer lost after
// Proxmox did the work never turns into a duplicate or an "already exists" loop.
#pragma once

#include <map>
#include <mutex>
#include <set>
#include <vector>

#include "engine/exec/step_runner.h"
#include "hainfra/kind.h"
#include "hainfra/spec.h"

namespace hainfra::exec {

class KindStepRunner : public StepRunner {
 public:
  // `kinds` are addressed by traits().name; `spec` must be the spec the plan was made from.
  KindStepRunner(const std::vector<ResourceKind*>& kinds, const Spec& spec);

  Status Run(const Step& step) override;

 private:
  ResourceKind* KindOf(const std::string& name) const;
  // True when `step` ran before in this apply (this call is a retry); records the try.
  bool IsRetry(int step_id);
  // A retried create/update/delete, decided again against the object as it is now.
  Status Recheck(ResourceKind& kind, const Change& planned);

  std::map<std::string, ResourceKind*> kinds_;
  std::map<Address, Value> desired_;  // normalized desired bodies, secrets included
  std::map<Address, Resource> resources_;  // the spec's objects as written (absent ones too), for rechecks
  std::mutex mu_;
  std::set<int> deleted_;  // replace steps whose delete half is done (a retry resumes with the create)
  std::set<int> tried_;    // change steps that ran at least once
};

}  // namespace hainfra::exec
