// The part plan, apply and drift share: check the planning options against the kinds, observe the
// cluster, build the plan, and print its diagnostics.
#pragma once

#include <ostream>
#include <vector>

#include "cli/command_options.h"
#include "engine/plan/planner.h"
#include "hainfra/kind.h"
#include "hainfra/plan.h"
#include "hainfra/spec.h"

namespace hainfra::cli {

// --target and --prune as a PlanRequest: targets must be KIND/NAME, pruned kinds must exist and carry
// an ownership marker.
Result<plan::PlanRequest> MakeRequest(const Spec& spec, const std::vector<ResourceKind*>& kinds,
                                      const PlanningOptions& options);

// Observes and plans. Diagnostics (refusals, warnings) go to `err`; a plan with error diagnostics is
// still returned, so callers can show it, and must not be applied.
Result<Plan> ObserveAndPlan(const Spec& spec, const std::vector<ResourceKind*>& kinds, const PlanningOptions& options,
                            std::ostream& err);

// Prints "error: <message>" and returns kExitError.
int ReportError(const Error& error, std::ostream& err);

}  // namespace hainfra::cli
