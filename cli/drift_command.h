// `hainfra drift`: does the cluster still match the spec? For CI and schedules: exit 0 (no drift),
// 2 (drift), 1 (error), with JUnit XML and Prometheus textfile reports on request.
#pragma once

#include <vector>

#include "cli/command_options.h"
#include "hainfra/kind.h"
#include "hainfra/spec.h"

namespace hainfra::cli {

int RunDrift(const Spec& spec, const std::vector<ResourceKind*>& kinds, const DriftCommandOptions& options,
             Console& console);

// A drift run that failed before it had a plan (the spec, the connection): prints the error and, with
// --metrics, writes hainfra_last_run_success 0 over the previous file. Returns kExitError.
int FailDrift(const DriftCommandOptions& options, const Error& error, Console& console);

}  // namespace hainfra::cli
