#include "engine/plan/action.h"

namespace hainfra::plan {

// Decision table (docs/engine.md):
//
//   in the spec          in the cluster   condition                           action
//   -------------------  ---------------  ----------------------------------  --------
//   yes                  no               -                                   create
//   yes                  yes              no compared field differs           no-op
//   yes                  yes              a differing field has force_new     replace  (destructive)
//   yes                  yes              fields differ                       update
//   yes, state: absent   yes              -                                   delete   (destructive)
//   yes, state: absent   no               -                                   no-op
//   no                   yes              --prune KIND and owned by hainfra   delete   (destructive)
//   no                   yes              its kind says removal is by hand    delete   (destructive, with the steps)
//   no                   yes              otherwise                           no-op    (left alone)
//   no                   no               -                                   no-op
Action ChooseAction(const ActionFacts& facts) {
  if (facts.desired && facts.absent) return facts.observed ? Action::kDelete : Action::kNoOp;
  if (facts.desired) {
    if (!facts.observed) return Action::kCreate;
    if (!facts.differs) return Action::kNoOp;
    return facts.force_new ? Action::kReplace : Action::kUpdate;
  }
  if (facts.observed && facts.by_hand) return Action::kDelete;
  if (facts.observed && facts.prune && facts.owned) return Action::kDelete;
  return Action::kNoOp;
}

bool IsDestructive(Action action) { return action == Action::kDelete || action == Action::kReplace; }

}  // namespace hainfra::plan
