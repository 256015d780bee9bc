// `hainfra apply [PLANFILE]`: plan (or load a saved plan and check it is fresh), show it, get consent,
// run it with live progress, and report what was done and what was not.
#pragma once

#include <vector>

#include "cli/command_options.h"
#include "hainfra/kind.h"
#include "hainfra/spec.h"

namespace hainfra::cli {

// Consent: a saved plan is its own approval; otherwise --auto-approve, or "yes" typed at a terminal
// (refused when stdin is not one). Destructive steps also need --allow-destroy.
// Exit: 0 when every step succeeded (or nothing to do), 1 otherwise.
int RunApply(const Spec& spec, const std::vector<ResourceKind*>& kinds, const ApplyCommandOptions& options,
             Console& console);

}  // namespace hainfra::cli
