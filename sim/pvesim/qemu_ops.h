// Guest lifecycle operations shared by the qemu API, the HA stack and migrations: start, stop/shutdown,
// applying [PENDING] (all of it when stopped, the hotpluggable part when running), migration and removal.
// Each takes the guest's config lock itself; none waits for a lock while holding Simulator::mu().
#pragma once

#include <string>
#include <vector>

#include "sim/pvesim/guest_config.h"
#include "sim/pvesim/simulator.h"
#include "sim/pvesim/tasks.h"

namespace pvesim {

// The node whose qemu-server dir holds the guest's config; "Configuration file ... does not exist" style
// error when none does.
Result<std::string> VmNode(Simulator& sim, int vmid);
bool GuestRunning(Simulator& sim, int vmid);

// vmconfig_apply_pending / vmconfig_hotplug_pending: moves pending values into the config. Replaced or
// deleted disks become unusedN (unless force-deleted). Returns the options that stay pending.
std::vector<std::string> ApplyPending(GuestConfig& conf, bool running);

// "VM is locked (<lock>)" unless skiplock.
Status CheckGuestLock(const GuestConfig& conf, bool skiplock);

// vm_start under the config lock: applies pending changes and marks the guest running after the task's work.
Status StartGuest(Simulator& sim, TaskContext& ctx, const std::string& node, int vmid, bool skiplock);
// vm_stop / vm_shutdown under the config lock; stopping a stopped guest is not an error.
Status StopGuest(Simulator& sim, TaskContext& ctx, const std::string& node, int vmid, bool skiplock, bool shutdown);
// PVE::QemuMigrate: moves the config to `target` (holding "lock: migrate" meanwhile); online keeps it running.
Status MigrateGuest(Simulator& sim, TaskContext& ctx, const std::string& source, const std::string& target, int vmid,
                    bool online, bool with_local_disks);

// Marks a guest running/stopped in the runtime state.
void SetRunning(Simulator& sim, int vmid, bool running);

}  // namespace pvesim
