// Where else a guest is listed: resource pools (pool lines of user.cfg) and backup jobs (jobs.cfg).
#pragma once

#include <string>

#include "sim/pvesim/simulator.h"

namespace pvesim {

// PVE::AccessControl::add_vm_to_pool: the guest joins the pool (and leaves any other).
Status AddToPool(Simulator& sim, const std::string& pool, int vmid);
// remove_vm_access: the guest leaves every pool.
Status RemoveFromPools(Simulator& sim, int vmid);
// remove_vmid_from_backup_jobs: the guest leaves every job's vmid list.
Status RemoveFromBackupJobs(Simulator& sim, int vmid);

}  // namespace pvesim
