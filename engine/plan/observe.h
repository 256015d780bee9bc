// Observation: every kind derives its desired objects from the spec and observes the cluster once.
// The only part of planning that does I/O (through the kinds); kinds are observed in parallel.
#pragma once

#include <vector>

#include "engine/plan/planner.h"
#include "hainfra/kind.h"
#include "hainfra/result.h"
#include "hainfra/spec.h"

namespace hainfra::plan {

// Desired + Observe for each kind, at most `parallelism` kinds at a time. Each kind is observed by one
// thread only. On failure, the error lists every kind that failed ("observe vm: unavailable: ...").
Result<std::vector<KindState>> ObserveKinds(const std::vector<ResourceKind*>& kinds, const Spec& spec,
                                            int parallelism);

}  // namespace hainfra::plan
