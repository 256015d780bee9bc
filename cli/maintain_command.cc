#include "cli/maintain_command.h"

#include <ostream>

#include "cli/apply_safety.h"

namespace hainfra::cli {

int RunMaintain(ClusterSession& session, MaintainOptions options, Console& console) {
  if (options.enter == options.exit) {
    console.err << "error: give exactly one of --enter and --exit\n";
    return kExitError;
  }
  if (options.node.empty()) {
    console.err << "error: which node? hainfra maintain NODE --enter|--exit\n";
    return kExitError;
  }
  if (!options.crm) {
    Result<std::string> on = QuorateSshNode(session);
    if (!on) {
      console.err << "error: node maintenance is an HA manager command (ha-manager crm-command), sent over SSH, and "
                  << on.error().message << "\n";
      return kExitError;
    }
    options.crm = maintenance::SshCrmCommand(*session.deps().ssh, *on);
  }
  if (!options.maintenance.progress) options.maintenance.progress = ProgressTo(console);
  transport::ApiClient& api = *session.deps().api;
  return RunUnderApplyLock(session, options.no_lock, console, [&] {
    return options.enter ? maintenance::EnterMaintenance(api, options.crm, options.node, options.maintenance)
                         : maintenance::ExitMaintenance(api, options.crm, options.node, options.maintenance);
  });
}

}  // namespace hainfra::cli
