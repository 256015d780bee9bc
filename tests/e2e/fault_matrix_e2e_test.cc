// The fault-injection matrix against pvesim (schema validation on), through the real transports and the
// apply command: for every API kind's create, update and delete, Proxmox does the work but the answer is
// lost (pvesim drops the connection after the handler ran) — the apply recognises the object as already
// there, adopts it, and converges in the same run: no duplicate, no "already exists" loop, nothing else
// touched, the next plan empty. docs/faults.md lists the matrix.
#include <gtest/gtest.h>

#include <functional>
#include <set>
#include <string>

#include "tests/testing/e2e_cluster.h"
#include "tests/testing/e2e_expect.h"
#include "tests/testing/fault_matrix.h"
#include "tests/testing/kind_e2e.h"
#include "tests/testing/temp_dir.h"

namespace hainfra::testing {
namespace {

// The mutating request of one row whose answer is lost.
struct FmRequest {
  std::string method;
  std::string path;  // regex on the path below /api2/json
};

// One kind's three rows, run on one pvesim in turn: create (variant "v1"), update ("v2"), delete ("absent").
struct FmKindCase {
  std::string name;    // the test's parameter name
  std::string object;  // its inventory entry (FaultInventory), e.g. "storage/fm-nfs"
  std::function<PvesimOptions(const TempDir&)> options;
  std::function<void(E2eCluster&)> prepare;            // before the first row (null: nothing)
  std::function<std::string(const std::string&)> spec;  // the whole spec for "" (without it), v1, v2, absent
  FmRequest create, update, remove;
  std::function<std::string(E2eCluster&)> probe;  // the value the update changes
  std::string v1, v2;                              // probe() after the create and after the update
};

PvesimOptions FmWorld(const TempDir& dir, int pve, std::vector<std::string> extra = {}) {
  PvesimOptions options;
  options.pve = pve;
  options.args = WorldArgs(dir, GuestWorld(pve, {101, 102}));
  options.args.insert(options.args.end(), extra.begin(), extra.end());
  return options;
}

std::string FmValue(const ApiResult& r, const std::string& key) {
  const nlohmann::json data = r.data();
  if (r.status != 200 || !data.is_object() || !data.contains(key)) return "(none)";
  const nlohmann::json& v = data[key];
  return v.is_string() ? v.get<std::string>() : v.dump();
}

// An entry under a section, in the variant's form ("" leaves it out); absent is v2 marked `state: absent`
// unless `absent` is given.
std::string FmEntry(const std::string& variant, const std::string& v1, const std::string& v2,
                    const std::string& absent = "") {
  if (variant.empty()) return "";
  if (variant == "v1") return "  - { " + v1 + " }\n";
  if (variant == "v2") return "  - { " + v2 + " }\n";
  return "  - { " + (absent.empty() ? v2 + ", state: absent" : absent) + " }\n";
}

std::vector<FmKindCase> FmKindCases() {
  std::vector<FmKindCase> cases;
  cases.push_back({"storage", "storage/fm-nfs", [](const TempDir& d) { return FmWorld(d, 9); }, nullptr,
                   [](const std::string& v) {
                     return FaultSpecHead(FmEntry(v, "id: fm-nfs, type: nfs, server: 10.30.0.20, export: /export/fm, content: [backup]",
                                                  "id: fm-nfs, type: nfs, server: 10.30.0.20, export: /export/fm, content: [backup, iso]")) +
                            FaultGuestsYaml();
                   },
                   {"POST", "^/storage$"}, {"PUT", "^/storage/fm-nfs$"}, {"DELETE", "^/storage/fm-nfs$"},
                   [](E2eCluster& c) { return FmValue(c.Client().Get("/storage/fm-nfs"), "content"); },
                   "backup", "backup,iso"});
  cases.push_back({"vm", "guest/150", [](const TempDir& d) { return FmWorld(d, 9); }, nullptr,
                   [](const std::string& v) {
                     return FaultSpecHead() + FaultGuestsYaml() +
                            FmEntry(v, "vmid: 150, name: fm-vm, node: pve-01, cores: 1, memory: 512, disks: [ { slot: scsi0, storage: local-lvm, size: 4G } ]",
                                    "vmid: 150, name: fm-vm, node: pve-01, cores: 2, memory: 512, disks: [ { slot: scsi0, storage: local-lvm, size: 4G } ]");
                   },
                   {"POST", "^/nodes/pve-01/qemu$"}, {"POST", "^/nodes/pve-01/qemu/150/config$"},
                   {"DELETE", "^/nodes/pve-01/qemu/150$"},
                   [](E2eCluster& c) { return FmValue(c.Client().Get("/nodes/pve-01/qemu/150/config"), "cores"); },
                   "1", "2"});
  cases.push_back({"ct", "guest/300", [](const TempDir& d) { return FmWorld(d, 9); },
                   [](E2eCluster& c) { DownloadFaultCtTemplate(c, "pve-01"); },
                   [](const std::string& v) {
                     const std::string common = "vmid: 300, hostname: fm-ct, node: pve-01, ostemplate: local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst, "
                                                 "unprivileged: true, cores: 1, rootfs: { storage: local-lvm, size: 4G }, ";
                     return FaultSpecHead() + FaultGuestsYaml() + (v.empty() ? "" : "containers:\n") +
                            FmEntry(v, common + "memory: 512", common + "memory: 1024");
                   },
                   {"POST", "^/nodes/pve-01/lxc$"}, {"PUT", "^/nodes/pve-01/lxc/300/config$"},
                   {"DELETE", "^/nodes/pve-01/lxc/300$"},
                   [](E2eCluster& c) { return FmValue(c.Client().Get("/nodes/pve-01/lxc/300/config"), "memory"); },
                   "512", "1024"});
  cases.push_back({"backup_job", "backup_job/fm-nightly", [](const TempDir& d) { return FmWorld(d, 9); }, nullptr,
                   [](const std::string& v) {
                     return FaultSpecHead() + FaultGuestsYaml() + (v.empty() ? "" : "backup_jobs:\n") +
                            FmEntry(v, R"(id: fm-nightly, schedule: "02:00", storage: local, mode: snapshot, vms: [101])",
                                    R"(id: fm-nightly, schedule: "03:30", storage: local, mode: snapshot, vms: [101])");
                   },
                   {"POST", "^/cluster/backup$"}, {"PUT", "^/cluster/backup/fm-nightly$"},
                   {"DELETE", "^/cluster/backup/fm-nightly$"},
                   [](E2eCluster& c) { return FmValue(c.Client().Get("/cluster/backup/fm-nightly"), "schedule"); },
                   "02:00", "03:30"});
  cases.push_back({"ha_resource", "ha_resource/vm:101", [](const TempDir& d) { return FmWorld(d, 9); }, nullptr,
                   [](const std::string& v) {
                     return FaultSpecHead() + FaultGuestsYaml() + (v.empty() ? "" : "ha:\n  resources:\n") +
                            (v.empty() ? "" : "  " + FmEntry(v, R"(sid: "vm:101", state: stopped, max_restart: 1)",
                                                             R"(sid: "vm:101", state: stopped, max_restart: 2)",
                                                             R"(sid: "vm:101", state: absent)"));
                   },
                   {"POST", "^/cluster/ha/resources$"}, {"PUT", "^/cluster/ha/resources/vm:101$"},
                   {"DELETE", "^/cluster/ha/resources/vm:101$"},
                   [](E2eCluster& c) { return FmValue(c.Client().Get("/cluster/ha/resources/vm:101"), "max_restart"); },
                   "1", "2"});
  cases.push_back({"ha_rule", "ha_rule/fm-first", [](const TempDir& d) { return FmWorld(d, 9); }, nullptr,
                   [](const std::string& v) {
                     return FaultSpecHead() + FaultGuestsYaml() + "ha:\n  resources:\n    - { sid: \"vm:102\", state: stopped }\n" +
                            (v.empty() ? "" : "  rules:\n  " + FmEntry(v, "name: fm-first, type: node-affinity, resources: [vm:102], nodes: { pve-01: 2 }",
                                                                       "name: fm-first, type: node-affinity, resources: [vm:102], nodes: { pve-01: 2, pve-02: 1 }"));
                   },
                   {"POST", "^/cluster/ha/rules$"}, {"PUT", "^/cluster/ha/rules/fm-first$"},
                   {"DELETE", "^/cluster/ha/rules/fm-first$"},
                   [](E2eCluster& c) { return FmValue(c.Client().Get("/cluster/ha/rules/fm-first"), "nodes"); },
                   "pve-01:2", "pve-01:2,pve-02:1"});
  cases.push_back({"vlan", "vlan/fmnet", [](const TempDir& d) { return FmWorld(d, 9); }, nullptr,
                   [](const std::string& v) {
                     return FaultSpecHead() + FaultGuestsYaml() + "vlans:\n  - { name: fmbase, zone: prod, bridge: vmbr0, tag: 30 }\n" +
                            FmEntry(v, "name: fmnet, zone: prod, bridge: vmbr0, tag: 40", "name: fmnet, zone: prod, bridge: vmbr0, tag: 41");
                   },
                   {"POST", "^/cluster/sdn/vnets$"}, {"PUT", "^/cluster/sdn/vnets/fmnet$"},
                   {"DELETE", "^/cluster/sdn/vnets/fmnet$"},
                   [](E2eCluster& c) { return FmValue(c.Client().Get("/cluster/sdn/vnets/fmnet"), "tag"); },
                   "40", "41"});
  cases.push_back({"ceph_pool", "ceph_pool/fm-pool", [](const TempDir& d) { return FmWorld(d, 9, {"--ceph"}); }, nullptr,
                   [](const std::string& v) {
                     return FaultSpecHead() + FaultGuestsYaml() + (v.empty() ? "" : "ceph:\n  pools:\n") +
                            (v.empty() ? "" : "  " + FmEntry(v, "name: fm-pool, size: 3, min_size: 2, application: rbd",
                                                             "name: fm-pool, size: 3, min_size: 1, application: rbd"));
                   },
                   {"POST", "^/nodes/[^/]+/ceph/pool$"}, {"PUT", "^/nodes/[^/]+/ceph/pool/fm-pool$"},
                   {"DELETE", "^/nodes/[^/]+/ceph/pool/fm-pool$"},
                   [](E2eCluster& c) {
                     for (const auto& pool : c.Client().Get("/nodes/pve-01/ceph/pool").data()) {
                       if (pool.value("pool_name", "") == "fm-pool") return pool["min_size"].dump();
                     }
                     return std::string("(none)");
                   },
                   "2", "1"});
  return cases;
}

class FaultMatrixLostAnswer : public ::testing::TestWithParam<FmKindCase> {};

// One row: the request's answer is lost once; the apply still succeeds, and the cluster holds exactly
// `expected` afterwards.
void ExpectRowRidesOutTheLostAnswer(E2eCluster& cluster, const FmKindCase& c, const std::string& variant,
                                    const FmRequest& request, const std::set<std::string>& expected) {
  SCOPED_TRACE(c.name + ": " + request.method + " " + request.path + " (" + variant + ")");
  const Spec spec = LoadOrFail(cluster, c.spec(variant));
  PvesimClient client = cluster.Client();
  const std::string rule = LoseNextAnswer(client, request.method, request.path);
  cli::ApplyCommandOptions options = E2eCluster::DefaultApply();
  options.allow_destroy = variant == "absent";
  const CommandRun apply = cluster.RunApply(spec, options);
  EXPECT_EQ(apply.exit_code, 0) << apply.out << apply.err;
  EXPECT_TRUE(FaultRuleFired(client, rule)) << "the answer was never lost: no " << request.method << " " << request.path;
  // Ridden out by a retry (of the request, or of the step after a fresh look): no error reaches the user.
  EXPECT_EQ(apply.err.find("error:"), std::string::npos) << apply.err;
  EXPECT_EQ(FaultInventory(client), expected);
  if (variant == "v1") {
    EXPECT_EQ(c.probe(cluster), c.v1);
  } else if (variant == "v2") {
    EXPECT_EQ(c.probe(cluster), c.v2);
  }
  ExpectEmptyPlan(cluster, spec);
  const CommandRun again = cluster.RunApply(spec, options);
  EXPECT_EQ(again.exit_code, 0) << again.out << again.err;
  EXPECT_EQ(FaultInventory(client), expected);
}

TEST_P(FaultMatrixLostAnswer, CreateUpdateAndDeleteEachAdoptWhatLandedAndConverge) {
  const FmKindCase& c = GetParam();
  TempDir dir("fault-matrix");
  E2E_START_OR_SKIP(cluster, c.options(dir));
  if (c.prepare) {
    ASSERT_NO_FATAL_FAILURE(c.prepare(*cluster));
  }
  ASSERT_NO_FATAL_FAILURE(ApplyConverges(*cluster, LoadOrFail(*cluster, c.spec(""))));
  PvesimClient client = cluster->Client();
  const std::set<std::string> before = FaultInventory(client);
  ASSERT_FALSE(before.contains(c.object));
  std::set<std::string> with = before;
  with.insert(c.object);

  ExpectRowRidesOutTheLostAnswer(*cluster, c, "v1", c.create, with);
  ExpectRowRidesOutTheLostAnswer(*cluster, c, "v2", c.update, with);
  ExpectRowRidesOutTheLostAnswer(*cluster, c, "absent", c.remove, before);
}

INSTANTIATE_TEST_SUITE_P(Kinds, FaultMatrixLostAnswer, ::testing::ValuesIn(FmKindCases()),
                         [](const ::testing::TestParamInfo<FmKindCase>& kind) { return kind.param.name; });

}  // namespace
}  // namespace hainfra::testing
