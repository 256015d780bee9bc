// Cluster-wide HA disarm and arm (Proxmox VE 9, late 9.1.x): for whole-cluster work (corosync or network
// changes, a full shutdown) the HA stack releases every watchdog, so no node fences itself while the cluster
// is torn up. `POST /cluster/ha/status/disarm-ha resource-mode=freeze|ignore` and `POST …/arm-ha` only queue
// the CRM command (`ha-manager crm-command disarm-ha|arm-ha`); the CRM disarms once no service is moving or
// being recovered and every online LRM released its watchdog. Never implicit: only `hainfra ha` does it.
#pragma once

#include <string>

#include "hainfra/result.h"
#include "providers/maintenance/node_maintenance.h"
#include "providers/transport/api_client.h"

namespace hainfra::maintenance {

// freeze: HA keeps its resources but applies no command and no state change (nothing is recovered or
// moved); ignore: HA stops tracking them, they can be managed as if HA did not exist.
Result<std::string> ParseDisarmMode(const std::string& text);

// The `fencing` entry of GET /cluster/ha/status/current: `armed-state` (armed, standby, disarming,
// disarmed; "" on PVE 8, which has no such entry) and, while disarmed, the resource mode.
struct HaArming {
  std::string state;
  std::string mode;
  bool Disarmed() const { return state == "disarming" || state == "disarmed"; }
};
Result<HaArming> ReadHaArming(transport::ApiClient& api);

// Disarms the HA stack in `mode` and waits (options.timeout) until it is disarmed. Refused on PVE 8 and
// while it is disarmed in the other mode; nothing to do when it already is in this mode.
Status DisarmHa(transport::ApiClient& api, int pve_major, const std::string& mode, const MaintenanceOptions& options);

// Arms it again and waits until no LRM is left in disarm mode; nothing to do when it is armed.
Status ArmHa(transport::ApiClient& api, int pve_major, const MaintenanceOptions& options);

}  // namespace hainfra::maintenance
