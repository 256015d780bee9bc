// `hainfra export` end to end: pvesim, the real transports and whatever kinds this build has. The round trip
// of issue 7: apply a spec, export the cluster, load the export, plan it against the same cluster: no changes.
#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>

#include "cli/cluster_session.h"
#include "cli/export_command.h"
#include "engine/spec/loader.h"
#include "schemas/sections.h"
#include "tests/testing/e2e_cluster.h"
#include "tests/testing/temp_dir.h"

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

// A generated world (VMs, containers, HA, VLANs, pools over three nodes) exported with no input spec, as an
// administrator adopting a cluster would: the connection comes from the environment, and the spec holds
// every section hainfra manages there — the cluster with its corosync links, the nodes with their networks,
// one baseline of the nodes' repositories. It validates and plans to no changes, as one file and split.
struct SpecFromNothing {
  int exit_code = -1;
  std::string out, err;
};

SpecFromNothing ExportWithoutASpec(const E2eCluster& cluster, const std::string& split_dir = "") {
  SpecFromNothing e;
  Spec nothing;
  auto session = cli::ClusterSession::Open(nothing, cluster.Env(), nullptr);
  if (!session) {
    e.err = session.error().message;
    return e;
  }
  cli::ExportCommandOptions options;
  options.split = split_dir;
  options.connection = cli::ConnectionSettings((*session)->deps().api->settings());
  std::istringstream in;
  std::ostringstream out, err;
  cli::Console console{in, out, err, false, false, false};
  e.exit_code = cli::RunExport(nothing, (*session)->kinds(), options, console);
  e.out = out.str();
  e.err = err.str();
  return e;
}

PvesimOptions ExportGeneratedWorld() {
  PvesimOptions options;
  options.args = {"--generate", "nodes=3,vms=24,cts=12,ha=4,vlans=2,pools=1,running=0.5", "--seed", "7"};
  return options;
}

TEST(ExportE2e, AGeneratedWorldExportsWithoutAnInputSpecToASpecThatPlansToNoChangesAsOneFileAndSplit) {
  E2E_START_OR_SKIP(cluster, ExportGeneratedWorld());
  SpecFromNothing e = ExportWithoutASpec(*cluster);
  ASSERT_EQ(e.exit_code, 0) << e.err << e.out;
  for (const char* section : {"cluster:\n", "  api:\n    endpoint: https://", "  corosync:\n", "nodes:\n",
                              "    network:\n", "vlans:\n", "vms:\n", "containers:\n", "ha:\n", "pools:\n",
                              "baselines:\n  - name: standard\n", "    baseline: standard\n"}) {
    EXPECT_NE(e.out.find(section), std::string::npos) << section << "\n" << e.out;
  }
  EXPECT_EQ(e.out.find(cluster->sim().secret()), std::string::npos);

  auto exported = cluster->Load(e.out, "export.yaml");
  ASSERT_TRUE(exported) << exported.error().message << e.out;
  Result<Plan> plan = cluster->MakePlan(*exported);
  ASSERT_TRUE(plan) << plan.error().message;
  std::string steps;
  for (const auto& step : plan->steps) steps += step.change.address.ToString() + " ";
  EXPECT_TRUE(plan->steps.empty()) << steps << "\n" << e.out;
  EXPECT_FALSE(HasErrors(plan->diagnostics));

  // Split: the examples' files, loaded back as a folder.
  TempDir dir;
  SpecFromNothing split = ExportWithoutASpec(*cluster, dir.File("live"));
  ASSERT_EQ(split.exit_code, 0) << split.err;
  for (const char* file : {"cluster.yaml", "nodes.yaml", "vlans.yaml", "storage.yaml", "vms.yaml",
                           "containers.yaml", "ha.yaml", "pools.yaml", "baseline.yaml"}) {
    EXPECT_TRUE(std::filesystem::exists(dir.File("live/") + file)) << file;
  }
  spec::LoadResult loaded = spec::LoadSpec({dir.File("live")});
  ASSERT_FALSE(HasErrors(loaded.diagnostics));
  Result<Plan> split_plan = cluster->MakePlan(loaded.spec);
  ASSERT_TRUE(split_plan) << split_plan.error().message;
  EXPECT_TRUE(split_plan->steps.empty());
}

}  // namespace
}  // namespace hainfra::testing
