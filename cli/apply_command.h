// `hainfra apply [PLANFILE]`: plan (or load a saved plan and check it is fresh), show it, get consent,
// run it with live progress, and report what was done and what was not.
#pragma once

#include <ostream>
#include <vector>

#include "cli/command_options.h"
#include "engine/exec/executor.h"
#include "hainfra/reporter.h"
#include "hainfra/kind.h"
#include "hainfra/spec.h"

namespace hainfra::cli {

// Consent: a saved plan is its own approval; otherwise --auto-approve, or "yes" typed at a terminal
// (refused when stdin is not one). Destructive steps also need --allow-destroy.
// Exit: 0 when every step succeeded (or nothing to do), 1 otherwise.
int RunApply(const Spec& spec, const std::vector<ResourceKind*>& kinds, const ApplyCommandOptions& options,
             Console& console);

// Whether `plan` may run unattended now: the quorum gate (options.preflight, also for an empty plan) and,
// without options.allow_destroy, no destructive step. The refusal otherwise.
Status CheckRunnable(const Plan& plan, const ApplyCommandOptions& options);

// Runs an approved, runnable plan with progress on `text_out`; `observer` (may be null) sees every event.
exec::ApplySummary ExecuteSteps(const Plan& plan, const Spec& spec, const std::vector<ResourceKind*>& kinds,
                                const ApplyCommandOptions& options, Console& console, std::ostream& text_out,
                                ApplyReporter* observer);

}  // namespace hainfra::cli
