// `hainfra plan`: observe, diff, show the plan (--format text, json or markdown), optionally save it (--out).
#pragma once

#include <vector>

#include "cli/command_options.h"
#include "hainfra/kind.h"
#include "hainfra/spec.h"

namespace hainfra::cli {

// Exit: 0 (with --detailed-exitcode: 0 no changes, 2 changes), 1 on any error or refused change.
int RunPlan(const Spec& spec, const std::vector<ResourceKind*>& kinds, const PlanCommandOptions& options,
            Console& console);

}  // namespace hainfra::cli
