// Placeholder implementation of the enforcement policy: everything is corrected, always. The real
// selectors, windows and limits replace it (issue #13).
#include "engine/enforce/policy.h"

namespace hainfra::enforce {

Result<Policy> Policy::FromSpec(const Spec& spec) {
  (void)spec;
  return Policy();
}

Mode Policy::ModeOf(const Address& address, const Spec& spec) const {
  (void)address, (void)spec;
  return Mode::kCorrect;
}

Decision Policy::Decide(const Plan& plan, const Spec& spec, const RunContext& context) const {
  (void)spec, (void)context;
  Decision d;
  d.to_apply = plan;
  return d;
}

}  // namespace hainfra::enforce
