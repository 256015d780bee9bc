#include "sim/pvesim/backup_jobs.h"

#include "sim/pvesim/api_common.h"

namespace pvesim {

const SectionSchema& BackupJobSchema() {
  static const SectionSchema schema = [] {
    SectionSchema s;
    auto& o = s.types["vzdump"];
    for (const char* k : {"schedule", "storage", "vmid", "exclude", "pool", "node", "mode", "compress", "comment",
                          "prune-backups", "mailto", "mailnotification", "notification-mode", "notes-template",
                          "fleecing", "performance", "starttime", "dow", "tmpdir", "dumpdir", "script",
                          "exclude-path", "pbs-change-detection-mode", "lockwait", "stopwait"})
      o[k] = {"string", false};
    for (const char* k : {"enabled", "all", "remove", "protected", "repeat-missed", "stdexcludes", "quiet"})
      o[k] = {"boolean", false};
    for (const char* k : {"bwlimit", "ionice", "zstd", "maxfiles", "pigz"}) o[k] = {"integer", false};
    return s;
  }();
  return schema;
}

SectionFile ReadBackupJobs(Simulator& sim) { return ReadSections(sim, "jobs.cfg", BackupJobSchema()); }

Status WriteBackupJobs(Simulator& sim, const SectionFile& jobs) {
  return WriteSections(sim, "jobs.cfg", jobs, BackupJobSchema());
}

}  // namespace pvesim
