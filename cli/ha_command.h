// `hainfra ha disarm --mode freeze|ignore` / `hainfra ha arm`: the cluster-wide HA disarm of Proxmox VE 9
// (providers/maintenance/ha_arming.h), for whole-cluster work — explicit, never done by another command.
#pragma once

#include <string>

#include "cli/cluster_session.h"
#include "cli/command_options.h"
#include "providers/maintenance/ha_arming.h"

namespace hainfra::cli {

struct HaCommandOptions {
  std::string action;  // "disarm" or "arm"
  std::string mode;    // --mode freeze|ignore (disarm only)
  bool no_lock = false;  // --no-lock: without the cluster lock
  maintenance::MaintenanceOptions wait;  // timeout, poll and progress of the wait for the CRM
};

// Exit 0 when the HA stack is disarmed (armed) as asked; 1 with the reason otherwise (PVE 8 included).
int RunHa(ClusterSession& session, HaCommandOptions options, Console& console);

}  // namespace hainfra::cli
