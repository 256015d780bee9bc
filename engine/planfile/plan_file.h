// Saved plans (`plan --out FILE`, `apply FILE`): written atomically with owner-only permissions, read
// back with the file named in every error, and checked against the spec and the cluster before use.
#pragma once

#include <string>
#include <vector>

#include "engine/plan/planner.h"
#include "hainfra/plan.h"
#include "hainfra/result.h"

namespace hainfra::planfile {

// Writes the plan's JSON to `path` (temp file + rename, mode 0600). Refuses a plan with error diagnostics.
Status WritePlanFile(const Plan& plan, const std::string& path);

// Reads a plan file: "plan.json: steps[2].action: unknown action ...".
Result<Plan> ReadPlanFile(const std::string& path);

// Is `saved` still valid? The spec hash must match and every object a step touches must still be at
// the observed version the plan recorded (a create: still absent). Fails with kFailedPrecondition,
// naming every object that changed.
Status CheckFresh(const Plan& saved, const std::string& spec_hash, const std::vector<plan::KindState>& observed);

}  // namespace hainfra::planfile
