// The real StepRunner: dispatches each step to its kind's verbs (Replace = Delete, then Create),
// handing kinds the real desired body, secrets included, re-derived from the spec at apply time.
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

  std::map<std::string, ResourceKind*> kinds_;
  std::map<Address, Value> desired_;  // normalized desired bodies, secrets included
  std::mutex mu_;
  std::set<int> deleted_;  // replace steps whose delete half is done (a retry resumes with the create)
};

}  // namespace hainfra::exec
