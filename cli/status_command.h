// `hainfra status`: the cluster's health on one screen (or --json, or a Prometheus textfile with --metrics).
// Exit 0: healthy, 2: degraded, 1: failed (no quorum, Ceph HEALTH_ERR) or the cluster could not be read.
#pragma once

#include <string>

#include "cli/cluster_session.h"
#include "cli/command_options.h"

namespace hainfra::cli {

struct StatusOptions {
  bool json = false;          // --json: the JSON form on stdout
  std::string metrics;        // --metrics FILE: Prometheus textfile metrics, written atomically
  std::string state_dir;      // --state-dir: an enforce runner's state (its failed runs in a row)
  std::string enforce_report; // --enforce-report FILE: the last enforce run's report (docs/enforce-report.md)
};

int RunStatus(ClusterSession& session, const StatusOptions& options, Console& console);

// One line about the last enforce run from its report file and the runner's state folder; "" when neither
// exists.
std::string LastEnforceRun(const std::string& report_file, const std::string& state_dir);

}  // namespace hainfra::cli
