// Who runs: the host, user and process, and the CI job when there is one — for the lock holder, the pause
// record, run reports and the run log.
#pragma once

#include "engine/report/run_report.h"
#include "providers/transport/environment.h"

namespace hainfra::cli {

using report::Runner;

// The CI job's URL: HAINFRA_CI_JOB_URL, else GitLab's CI_JOB_URL, else GitHub Actions'
// GITHUB_SERVER_URL/GITHUB_REPOSITORY/actions/runs/GITHUB_RUN_ID; empty outside CI.
std::string CiJobUrl(const transport::EnvLookup& env);

// This process, with CiJobUrl(env).
Runner CurrentRunner(const transport::EnvLookup& env);

}  // namespace hainfra::cli
