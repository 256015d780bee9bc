// `ceph.pools:` — Ceph pools, with the ranges of POST /nodes/{node}/ceph/pool.
#include "schemas/field_builders.h"
#include "schemas/sections.h"

namespace hainfra::schemas {

SectionSpec CephPoolSection() {
  return {
      .path = "ceph.pools",
      .kind = "ceph_pool",
      .identity = "name",
      .item = Object(
          "ceph_pool", "A Ceph pool",
          {
              String("name", "pool name").Pattern("^[^:/\\s]+$").Required().Example("vm-pool"),
              StateField({"present", "absent"}, "absent destroys the pool (needs --allow-destroy)"),
              Int("size", "number of replicas").Min(1).Max(7).Example("3"),
              Int("min_size", "replicas needed to serve I/O").Min(1).Max(7).Example("2"),
              Int("pg_num", "placement groups").Min(1).Max(32768).Example("128"),
              Int("pg_num_min", "lower bound for the autoscaler").Max(32768),
              Enum("pg_autoscale_mode", "PG autoscaler mode", {"on", "off", "warn"}),
              Enum("application", "pool application", {"rbd", "cephfs", "rgw"}),
              String("crush_rule", "CRUSH rule name").Example("replicated_rule"),
              String("target_size", "expected size, for the autoscaler").Pattern("^(\\d+(\\.\\d+)?)([KMGT])?$")
                  .Example("2T"),
              Number("target_size_ratio", "expected share of the cluster, for the autoscaler").Min(0),
              Object("erasure_coding", "create an erasure-coded pool (cannot change later)",
                     {
                         Int("k", "data chunks").Min(2).Required(),
                         Int("m", "coding chunks").Min(1).Required(),
                         String("device_class", "CRUSH device class"),
                         String("failure_domain", "CRUSH failure domain (default host)"),
                         String("profile", "an existing erasure-code profile"),
                     })
                  .ForceNew(),
          })};
}

}  // namespace hainfra::schemas
