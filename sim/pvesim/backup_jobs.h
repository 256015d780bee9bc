// Backup jobs as PVE 7.1+ keeps them: "vzdump: <id>" sections in jobs.cfg, with their schedule, selection
// (vmid list, all/exclude, pool), storage, mode and retention.
#pragma once

#include "sim/pvesim/section_config.h"
#include "sim/pvesim/simulator.h"

namespace pvesim {

const SectionSchema& BackupJobSchema();
SectionFile ReadBackupJobs(Simulator& sim);
Status WriteBackupJobs(Simulator& sim, const SectionFile& jobs);

}  // namespace pvesim
