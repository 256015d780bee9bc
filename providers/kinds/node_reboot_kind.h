// The `node_reboot` kind (`node_reboot/pve-01`): a baseline's `reboot: {when, window, timezone}` — after a
// package change that needs one, the node reboots through the rolling reboot (providers/maintenance/
// rolling_reboot.h: quorum gate → HA maintenance → reboot → bounded waits → leave maintenance). Rolling: one
// node at a time, with the health gate between nodes; after the baseline's packages (kind_order.h).
//
// Observed: `reboot_pending` — the node's newest installed kernel is not the running one (apt/versions), or the
// package transaction planned for the node (its baseline's `packages`, read over SSH) installs a kernel
// (`when: kernel`) or changes anything (`when: always`). Desired: no reboot pending. `when: never`, or a
// `window` the current time lies outside, keeps the change in the plan marked withheld; its step reboots
// nothing.
#pragma once

#include <memory>

#include "hainfra/kind.h"
#include "providers/kind_deps.h"

namespace hainfra::providers {

std::unique_ptr<ResourceKind> MakeNodeRebootKind(KindDeps& deps);

// Whether an apt-get install request (`name`, `name=version`; a removal `name-` never is) installs a kernel
// image a reboot must load (proxmox-kernel-*, pve-kernel-*, linux-image-*; not proxmox-kernel-helper).
bool InstallsKernel(const std::string& request);

}  // namespace hainfra::providers
