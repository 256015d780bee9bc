// The one place where an action is chosen for a desired/observed pair (pure).
#pragma once

#include "hainfra/change.h"

namespace hainfra::plan {

// What ChooseAction needs to know about one object.
struct ActionFacts {
  bool desired = false;    // the spec declares the object
  bool absent = false;     // ... with `state: absent`
  bool observed = false;   // it exists in the cluster
  bool owned = false;      // it carries hainfra's ownership marker
  bool prune = false;      // the user opted in to pruning its kind (--prune KIND)
  bool by_hand = false;    // its kind never removes it automatically (ResourceKind::ByHandRemoval)
  bool differs = false;    // a compared field differs
  bool force_new = false;  // a differing field forces replacement
};

// The action for one object; see the decision table in action.cc.
Action ChooseAction(const ActionFacts& facts);

// Delete and replace lose an object (or a guest's data): they need --allow-destroy.
bool IsDestructive(Action action);

}  // namespace hainfra::plan
