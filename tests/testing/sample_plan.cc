#include "tests/testing/sample_plan.h"

#include "tests/testing/fake_kind.h"
#include "tests/testing/planning.h"

namespace hainfra::testing {

Plan SamplePlan() {
  FakeCluster cluster;
  KindTraits net_traits = FakeTraits("network", 2);
  net_traits.commit = CommitScope::kPerNode;
  net_traits.rolling = true;
  FakeKind vm(cluster, FakeTraits("vm", 7));
  FakeKind network(cluster, net_traits);
  cluster.Put({"vm", "101"}, {{"cores", 2}, {"onboot", 0}, {"password", "old-canary-7f3a9c"}, {"memory", "4G"}});
  cluster.Put({"vm", "102"}, {{"vmid", 102}, {"cores", 1}});
  cluster.Put({"vm", "103"}, {{"cores", 1}});
  cluster.Put({"vm", "104"}, {{"cores", 1}});
  cluster.Put({"network", "pve-01"}, {{"node", "pve-01"}, {"options", {{"vmbr0", "bridge"}}}});
  cluster.Put({"network", "pve-02"}, {{"node", "pve-02"}, {"options", {{"vmbr0", "bridge"}}}});
  Resource gone = FakeResource("vm", "103", {{"cores", 1}});
  gone.absent = true;
  Spec spec = SpecOf({
      FakeResource("vm", "100", {{"cores", 4}, {"password", kCanary}, {"disks", {{{"slot", "scsi0"}, {"size", "32G"}}}}}),
      FakeResource("vm", "101", {{"cores", 4}, {"onboot", true}, {"password", kCanary}, {"memory", "4096M"}}),
      FakeResource("vm", "102", {{"vmid", 112}, {"cores", 1}}),
      gone,
      FakeResource("vm", "104", {{"cores", 1}}),
      FakeResource("network", "pve-01", {{"node", "pve-01"}, {"options", {{"vmbr0", "bridge"}, {"vmbr1", "bridge"}}}}),
      FakeResource("network", "pve-02", {{"node", "pve-02"}, {"options", {{"vmbr0", "bridge"}, {"vmbr1", "bridge"}}}}),
  });
  Result<Plan> plan = PlanFor({&vm, &network}, spec);
  return plan ? *plan : Plan{};
}

}  // namespace hainfra::testing
