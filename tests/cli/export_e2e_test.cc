// `hainfra export` end to end: pvesim, the real transports and whatever kinds this build has. The round trip
// of issue 7: apply a spec, export the cluster, load the export, plan it against the same cluster: no changes.
#include <gtest/gtest.h>

#include <sstream>

#include "cli/cluster_session.h"
#include "cli/export_command.h"
#include "schemas/sections.h"
#include "tests/testing/e2e_cluster.h"

namespace hainfra::testing {
namespace {

constexpr const char* kExportSpec = R"(
cluster:
  name: pvesim
  api:
    endpoint: https://127.0.0.1:8006
    token: root@pam!hainfra
    secret: ${env:HAINFRA_API_SECRET}
nodes:
  - { name: pve-01, address: 10.10.0.11 }
  - { name: pve-02, address: 10.10.0.12 }
  - { name: pve-03, address: 10.10.0.13 }
storage:
  - { id: local-lvm, type: lvmthin, vgname: pve, thinpool: data, content: [images, rootdir] }
vms:
  - vmid: 100
    name: web
    node: pve-01
    cores: 2
    memory: 2048
    tags: [demo]
    disks: [ { slot: scsi0, storage: local-lvm, size: 16G } ]
    nets: [ { slot: net0, bridge: vmbr0 } ]
    ha: { state: started }
)";

struct Exported {
  int exit_code = -1;
  std::string out, err;
  bool session_has_vm_kind = false;
};

Exported Export(const E2eCluster& cluster, const Spec& input) {
  Exported e;
  auto session = cli::ClusterSession::Open(input, cluster.Env(), nullptr);
  if (!session) {
    e.err = session.error().message;
    return e;
  }
  for (ResourceKind* k : (*session)->kinds()) e.session_has_vm_kind |= k->traits().name == "vm";
  std::istringstream in;
  std::ostringstream out, err;
  cli::Console console{in, out, err, false, false, false};
  e.exit_code = cli::RunExport(input, (*session)->kinds(), {}, console);
  e.out = out.str();
  e.err = err.str();
  return e;
}

TEST(ExportE2e, AnAppliedSpecExportsToASpecThatPlansToNoChanges) {
  E2E_START_OR_SKIP(cluster);
  auto spec = cluster->Load(kExportSpec);
  ASSERT_TRUE(spec) << spec.error().message;
  CommandRun apply = cluster->RunApply(*spec);
  ASSERT_EQ(apply.exit_code, 0) << apply.out << apply.err;

  Exported e = Export(*cluster, *spec);
  ASSERT_EQ(e.exit_code, 0) << e.err;
  EXPECT_NE(e.out.find("  - vmid: 100\n"), std::string::npos) << e.out;
  EXPECT_EQ(e.out.find(cluster->sim().secret()), std::string::npos);
  if (e.session_has_vm_kind) {  // read from the cluster, not carried over from the input spec
    EXPECT_EQ(e.err.find("vms: carried over"), std::string::npos) << e.err;
  }

  auto exported = cluster->Load(e.out, "export.yaml");
  ASSERT_TRUE(exported) << exported.error().message << e.out;
  Result<Plan> plan = cluster->MakePlan(*exported);
  ASSERT_TRUE(plan) << plan.error().message;
  EXPECT_TRUE(plan->steps.empty()) << e.out;
  EXPECT_FALSE(HasErrors(plan->diagnostics));
}

TEST(ExportE2e, ExportingTwiceGivesTheSameText) {
  E2E_START_OR_SKIP(cluster);
  auto spec = cluster->Load(kExportSpec);
  ASSERT_TRUE(spec) << spec.error().message;
  ASSERT_EQ(cluster->RunApply(*spec).exit_code, 0);
  Exported first = Export(*cluster, *spec);
  Exported second = Export(*cluster, *spec);
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_EQ(first.out, second.out);
}

}  // namespace
}  // namespace hainfra::testing
