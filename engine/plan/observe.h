// Observation: every kind derives its desired objects from the spec and observes the cluster once.
// The only part of planning that does I/O (through the kinds); kinds are observed in parallel.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "engine/plan/planner.h"
#include "hainfra/kind.h"
#include "hainfra/result.h"
#include "hainfra/spec.h"

namespace hainfra::plan {

// Desired + Observe for each kind, at most `parallelism` kinds at a time. Each kind is observed by one
// thread only. A kind the spec declares nothing of is not observed (nothing of it can change, and its
// reads may need privileges the spec's token rightly lacks) unless `always` names it: --prune, or the
// kinds a saved plan changes. On failure, the error lists every kind that failed ("observe vm: ...").
Result<std::vector<KindState>> ObserveKinds(const std::vector<ResourceKind*>& kinds, const Spec& spec,
                                            int parallelism, const std::set<std::string>& always = {});

}  // namespace hainfra::plan
