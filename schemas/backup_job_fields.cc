// `backup_jobs:` — scheduled vzdump jobs (/cluster/backup).
#include "schemas/field_builders.h"
#include "schemas/sections.h"

namespace hainfra::schemas {

SectionSpec BackupJobSection() {
  return {
      .path = "backup_jobs",
      .kind = "backup_job",
      .identity = "id",
      .item = Object(
          "backup_job", "A scheduled backup job",
          {
              String("id", "job id").Format("pve-configid").MaxLength(50).Required().Example("nightly"),
              StateField({"present", "absent"}, "absent deletes the job (backups stay)"),
              String("schedule", "when it runs (systemd calendar event)").Format("calendar-event").MaxLength(128)
                  .Required().Example("02:00"),
              String("storage", "target storage").Format("pve-storage-id").Ref("storage").Example("pbs"),
              Enum("mode", "backup mode", {"snapshot", "suspend", "stop"}),
              Enum("compress", "compression (none, or the algorithm)", {"none", "lzo", "gzip", "zstd"}),
              Bool("all", "back up every guest (see exclude)"),
              List("vms", "the guests (VMs and containers) to back up", Int("vmid", "").Min(100).Max(999999999).Ref("guest")).Set(),
              List("exclude", "with all: guests to skip", Int("vmid", "").Min(100).Max(999999999).Ref("guest")).Set(),
              String("pool", "back up the guests of this PVE pool").Format("pve-configid"),
              String("node", "run only on this node").Format("pve-node").Ref("node"),
              Bool("enabled", "enable the job (default true)"),
              String("comment", "free text").MaxLength(512),
              PruneObject("prune", "retention (default: the storage's)"),
              Bool("protected", "mark the backups protected"),
              String("notes_template", "notes of each backup ({{guestname}}, {{vmid}}, ...)").MaxLength(1024),
              List("mail_to", "who gets the mail", String("recipient", "").Format("email-or-user")),
              Enum("mail_notification", "when to mail", {"always", "failure"}),
              Enum("notification_mode", "notification system", {"auto", "legacy-sendmail", "notification-system"}),
              Int("bwlimit", "I/O bandwidth limit in KiB/s (0 unlimited)").Min(0),
              Int("ionice", "I/O priority").Min(0).Max(8),
              Int("zstd_threads", "zstd threads (0 = half the cores)").Min(0),
              Bool("repeat_missed", "run a missed job as soon as possible"),
          })};
}

}  // namespace hainfra::schemas
