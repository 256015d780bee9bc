// `pools:` — resource pools (/pools) and their members: guests and storages. A member list that is written
// is owned whole.
#include "schemas/field_builders.h"
#include "schemas/sections.h"

namespace hainfra::schemas {

SectionSpec PoolSection() {
  return {.path = "pools",
          .kind = "pool",
          .identity = "id",
          .item = Object("pool", "A resource pool",
                         {
                             String("id", "pool id; nested pools as parent/child (up to three levels)")
                                 .Format("pve-poolid")
                                 .Required()
                                 .Example("research"),
                             StateField({"present", "absent"}, "absent deletes the pool (its members stay)"),
                             String("comment", "free text").MaxLength(4096),
                             List("vms", "the guests (VMs and containers) in the pool",
                                  Int("vmid", "").Min(100).Max(999999999).Ref("guest"))
                                 .Set(),
                             List("storage", "the storages in the pool",
                                  String("storage", "").Format("pve-storage-id").Ref("storage"))
                                 .Set(),
                         })};
}

}  // namespace hainfra::schemas
