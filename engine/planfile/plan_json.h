// The JSON form of a plan (format "hainfra-plan", version Plan::kFormatVersion; docs/plan-format.md):
// the `--json` output and the content of plan files. Secrets are already masked in every Plan.
#pragma once

#include <string>

#include "hainfra/plan.h"
#include "hainfra/result.h"

namespace hainfra::planfile {

Value PlanToJson(const Plan& plan);

// Reads a plan back. Errors name the offending member ("steps[3].action: unknown action \"explode\"")
// and refuse other formats and newer versions.
Result<Plan> PlanFromJson(const Value& json);

}  // namespace hainfra::planfile
