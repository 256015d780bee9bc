#include "cli/reboot_command.h"

#include <ostream>

#include "cli/apply_safety.h"
#include "providers/maintenance/api_relay.h"

namespace hainfra::cli {

int RunReboot(ClusterSession& session, RebootOptions options, Console& console) {
  transport::ApiClient& api = *session.deps().api;
  if (options.nodes.empty()) {
    Result<std::vector<std::string>> pending = maintenance::NodesWithRebootPending(api);
    if (!pending) {
      console.err << "error: " << pending.error().message << "\n";
      return kExitError;
    }
    if (pending->empty()) {
      console.out << "no node has a reboot pending (each runs its newest installed kernel)\n";
      return kExitOk;
    }
    options.nodes = *pending;
  }
  if (!options.crm_for) {
    Result<std::string> on = QuorateSshNode(session);
    if (!on) {
      console.err << "error: node maintenance is an HA manager command (ha-manager crm-command), sent over SSH, and "
                  << on.error().message << "\n";
      return kExitError;
    }
    transport::SshClient* ssh = session.deps().ssh;
    const std::string via = *on;
    // The command goes through a node that stays up: the entry node, or another when the entry node reboots.
    options.crm_for = [ssh, via](const std::string& node) -> maintenance::CrmCommand {
      return maintenance::SshCrmCommand(*ssh, maintenance::CrmRelayNode(*ssh, via, node).value_or(via));
    };
  }
  if (!options.roll.maintenance.progress) options.roll.maintenance.progress = ProgressTo(console);
  // The node answering hainfra's API reboots too: its turn goes through another member's API.
  maintenance::ApiRelay relay(api, options.node_endpoints.empty() ? maintenance::NodeEndpointsFromEnvironment()
                                                                  : options.node_endpoints);
  if (!options.roll.api_for) {
    options.roll.api_for = [&relay](const std::string& node) { return relay.For(node); };
  }
  std::string order;
  for (const std::string& n : options.nodes) order += (order.empty() ? "" : ", ") + n;
  return RunUnderApplyLock(session, options.no_lock, console, [&] {
    console.out << "rolling reboot of " << options.nodes.size() << " node(s), one at a time: " << order << std::endl;
    return maintenance::RollingReboot(api, options.crm_for, options.nodes, options.roll);
  });
}

}  // namespace hainfra::cli
