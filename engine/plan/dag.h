// Ordering the plan's steps: phases first, then dependencies; a cycle is an error that names it.
#pragma once

#include <vector>

#include "hainfra/plan.h"
#include "hainfra/result.h"

namespace hainfra::plan {

// Sorts `steps` (ids == positions on entry) so that every step comes after its dependencies and after
// every step of a lower phase; ties keep the entry order. Ids and deps are renumbered to the new
// positions. A cycle, of dependencies or of a dependency against the phase order, fails with
// "dependency cycle: vm/1 -> ha_rule/x -> vm/1".
Status OrderSteps(std::vector<Step>& steps);

// How a step is named in messages: "vm/100", "commit network on pve-01", "health gate after pve-01".
std::string StepName(const Step& step);

}  // namespace hainfra::plan
