// HA-aware node maintenance, as a careful administrator does it by hand: quorum first; the HA manager's
// node maintenance (`ha-manager crm-command node-maintenance enable NODE`), then wait until the CRM moved
// every HA guest away; the other guests migrated (live), shut down or left by policy; Ceph's `noout` while
// the node's OSDs go down. Exit undoes it: maintenance disabled (the CRM brings HA guests back), `noout`
// cleared unless another node is still in maintenance.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "hainfra/result.h"
#include "providers/transport/api_client.h"
#include "providers/transport/ssh_client.h"

namespace hainfra::maintenance {

// What happens to running guests that HA does not manage.
enum class GuestPolicy {
  kMigrate,   // live-migrate (containers: restart-migrate) to the least-loaded other online node
  kShutdown,  // shut down cleanly on the node
  kLeave,     // leave them running (they go down with the node)
};
Result<GuestPolicy> ParseGuestPolicy(const std::string& text);

// Sends one HA manager command (the arguments of `ha-manager crm-command`, e.g. {"node-maintenance",
// "enable", "pve-02"}). The API has no endpoint for it; SshCrmCommand runs the real tool on a node.
using CrmCommand = std::function<Status(const std::vector<std::string>& args)>;
CrmCommand SshCrmCommand(transport::SshClient& ssh, std::string node);

// The node to send a CRM command through while `avoid` goes down (reboots): `via` unless it is `avoid` or
// empty, else the first other node with an SSH address; nullopt when there is none.
std::optional<std::string> CrmRelayNode(const transport::SshClient& ssh, const std::string& via,
                                        const std::string& avoid);

struct MaintenanceOptions {
  GuestPolicy policy = GuestPolicy::kMigrate;
  std::chrono::milliseconds timeout{std::chrono::minutes(10)};  // each wait (HA guests gone, LRM state)
  std::chrono::milliseconds poll{std::chrono::milliseconds(500)};
  std::function<void(const std::string&)> progress;  // one line per step and wait
};

// Enters maintenance on `node`. Stops at the first failure with a located reason ("maintenance of pve-02:
// waiting for HA guests to leave: vm:100 still on pve-02 after 600 s").
Status EnterMaintenance(transport::ApiClient& api, const CrmCommand& crm, const std::string& node,
                        const MaintenanceOptions& options);

// Leaves maintenance on `node`: disables it and waits until the node's LRM is out of maintenance mode.
Status ExitMaintenance(transport::ApiClient& api, const CrmCommand& crm, const std::string& node,
                       const MaintenanceOptions& options);

// Polls `check` (empty answer: done; else what is still missing) every `poll` until done or `timeout`,
// printing "waiting: WHAT" and "done: WHAT (N ms)"; kDeadlineExceeded names what was still missing.
Status WaitUntil(const MaintenanceOptions& options, const std::string& what, const std::function<std::string()>& check);

// The HA manager's view of `node`'s LRM (active, idle, maintenance, dead, "" when not listed).
Result<std::string> LrmState(transport::ApiClient& api, const std::string& node);

}  // namespace hainfra::maintenance
