// `replication:` — storage replication jobs (/cluster/replication): a guest's ZFS volumes copied to another
// node on a schedule.
#include "schemas/field_builders.h"
#include "schemas/sections.h"

namespace hainfra::schemas {

SectionSpec ReplicationSection() {
  return {
      .path = "replication",
      .kind = "replication",
      .identity = "id",
      .item = Object(
          "replication", "A storage replication job",
          {
              String("id", "job id `<GUEST>-<JOBNUM>`: the guest (a declared VM or container) and a job number")
                  .Pattern("^[1-9][0-9]{2,8}-[0-9]{1,9}$")
                  .Required()
                  .Example("100-0"),
              StateField({"present", "absent"}, "absent removes the job (and its replicated volumes on the target)"),
              // pve-guest-common: the target of a job cannot be changed; another target is another job.
              String("target", "the node the volumes are replicated to (fixed: another target is another job)")
                  .Format("pve-node").Ref("node").Required().Example("pve-02"),
              String("schedule", "when it runs (Proxmox calendar event, default */15)").Format("calendar-event")
                  .MaxLength(128).Example("*/30"),
              Number("rate", "rate limit in MB/s (default unlimited)").Min(1).Example("50"),
              String("comment", "free text").MaxLength(4096),
              Bool("disable", "pause the job (default false)"),
          })};
}

}  // namespace hainfra::schemas
