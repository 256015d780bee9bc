// The fault-injection matrix against pvesim (schema validation on), through the real transports and the
// apply command: for every API kind's create, update and delete, Proxmox does the work but the answer is
// lost (pvesim drops the connection after the handler ran) — the apply recognises the object as already
// there, adopts it, and converges in the same run: no duplicate, no "already exists" loop, nothing else
// touched, the next plan empty. docs/faults.md lists the matrix.
//
// One pvesim per world for the whole suite: each kind's rows touch only its own object and leave the
// cluster converged, and each kind takes its inventory afresh before its first row.
#include <gtest/gtest.h>

#include <cstdlib>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

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

// One row: the spec in `variant` is applied while the answer of `request` is lost; afterwards the kind's
// object is there (`present`) with probe() == `value` (unless empty), or gone.
struct FmRow {
  std::string variant;
  FmRequest request;
  bool present = true;
  std::string value;
  std::function<void(E2eCluster&)> before;  // out-of-band change before the row (null: none)
};

// The worlds the kinds share a pvesim in (one so far: the rows for node_membership will need a spare node).
enum class FmWorldKind { kGuests };

// One kind's rows, run in turn on the suite's pvesim of its world.
struct FmKindCase {
  std::string name;    // the test's parameter name
  FmWorldKind world = FmWorldKind::kGuests;
  std::string object;  // its inventory entry (FaultInventory), e.g. "storage/fm-nfs"
  std::function<void(E2eCluster&)> prepare;            // before the first row (null: nothing)
  std::function<std::string(const std::string&)> spec;  // the whole spec for "" (without it) and each variant
  std::vector<FmRow> rows;
  std::function<std::string(E2eCluster&)> probe;  // the value the rows change
};

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

// The three rows of a kind with create, update and delete requests; probe() reads v1 after the create and
// v2 after the update.
std::vector<FmRow> FmCreateUpdateDelete(FmRequest create, FmRequest update, FmRequest remove, std::string v1,
                                        std::string v2) {
  return {{"v1", std::move(create), true, std::move(v1), nullptr},
          {"v2", std::move(update), true, std::move(v2), nullptr},
          {"absent", std::move(remove), false, "", nullptr}};
}

std::vector<FmKindCase> FmKindCases() {
  std::vector<FmKindCase> cases;
  cases.push_back({"storage", FmWorldKind::kGuests, "storage/fm-nfs", nullptr,
                   [](const std::string& v) {
                     return FaultSpecHead(FmEntry(v, "id: fm-nfs, type: nfs, server: 10.30.0.20, export: /export/fm, content: [backup]",
                                                  "id: fm-nfs, type: nfs, server: 10.30.0.20, export: /export/fm, content: [backup, iso]")) +
                            FaultGuestsYaml();
                   },
                   FmCreateUpdateDelete({"POST", "^/storage$"}, {"PUT", "^/storage/fm-nfs$"}, {"DELETE", "^/storage/fm-nfs$"},
                                        "backup", "backup,iso"),
                   [](E2eCluster& c) { return FmValue(c.Client().Get("/storage/fm-nfs"), "content"); }});
  cases.push_back({"vm", FmWorldKind::kGuests, "guest/150", nullptr,
                   [](const std::string& v) {
                     return FaultSpecHead() + FaultGuestsYaml() +
                            FmEntry(v, "vmid: 150, name: fm-vm, node: pve-01, cores: 1, memory: 512, disks: [ { slot: scsi0, storage: local-lvm, size: 4G } ]",
                                    "vmid: 150, name: fm-vm, node: pve-01, cores: 2, memory: 512, disks: [ { slot: scsi0, storage: local-lvm, size: 4G } ]");
                   },
                   FmCreateUpdateDelete({"POST", "^/nodes/pve-01/qemu$"}, {"POST", "^/nodes/pve-01/qemu/150/config$"},
                                        {"DELETE", "^/nodes/pve-01/qemu/150$"}, "1", "2"),
                   [](E2eCluster& c) { return FmValue(c.Client().Get("/nodes/pve-01/qemu/150/config"), "cores"); }});
  cases.push_back({"ct", FmWorldKind::kGuests, "guest/300", [](E2eCluster& c) { DownloadFaultCtTemplate(c, "pve-01"); },
                   [](const std::string& v) {
                     const std::string common = "vmid: 300, hostname: fm-ct, node: pve-01, ostemplate: local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst, "
                                                 "unprivileged: true, cores: 1, rootfs: { storage: local-lvm, size: 4G }, ";
                     return FaultSpecHead() + FaultGuestsYaml() + (v.empty() ? "" : "containers:\n") +
                            FmEntry(v, common + "memory: 512", common + "memory: 1024");
                   },
                   FmCreateUpdateDelete({"POST", "^/nodes/pve-01/lxc$"}, {"PUT", "^/nodes/pve-01/lxc/300/config$"},
                                        {"DELETE", "^/nodes/pve-01/lxc/300$"}, "512", "1024"),
                   [](E2eCluster& c) { return FmValue(c.Client().Get("/nodes/pve-01/lxc/300/config"), "memory"); }});
  cases.push_back({"backup_job", FmWorldKind::kGuests, "backup_job/fm-nightly", nullptr,
                   [](const std::string& v) {
                     return FaultSpecHead() + FaultGuestsYaml() + (v.empty() ? "" : "backup_jobs:\n") +
                            FmEntry(v, R"(id: fm-nightly, schedule: "02:00", storage: local, mode: snapshot, vms: [101])",
                                    R"(id: fm-nightly, schedule: "03:30", storage: local, mode: snapshot, vms: [101])");
                   },
                   FmCreateUpdateDelete({"POST", "^/cluster/backup$"}, {"PUT", "^/cluster/backup/fm-nightly$"},
                                        {"DELETE", "^/cluster/backup/fm-nightly$"}, "02:00", "03:30"),
                   [](E2eCluster& c) { return FmValue(c.Client().Get("/cluster/backup/fm-nightly"), "schedule"); }});
  cases.push_back({"ha_resource", FmWorldKind::kGuests, "ha_resource/vm:101", nullptr,
                   [](const std::string& v) {
                     return FaultSpecHead() + FaultGuestsYaml() + (v.empty() ? "" : "ha:\n  resources:\n") +
                            (v.empty() ? "" : "  " + FmEntry(v, R"(sid: "vm:101", state: stopped, max_restart: 1)",
                                                             R"(sid: "vm:101", state: stopped, max_restart: 2)",
                                                             R"(sid: "vm:101", state: absent)"));
                   },
                   FmCreateUpdateDelete({"POST", "^/cluster/ha/resources$"}, {"PUT", "^/cluster/ha/resources/vm:101$"},
                                        {"DELETE", "^/cluster/ha/resources/vm:101$"}, "1", "2"),
                   [](E2eCluster& c) { return FmValue(c.Client().Get("/cluster/ha/resources/vm:101"), "max_restart"); }});
  cases.push_back({"ha_rule", FmWorldKind::kGuests, "ha_rule/fm-first", nullptr,
                   [](const std::string& v) {
                     return FaultSpecHead() + FaultGuestsYaml() + "ha:\n  resources:\n    - { sid: \"vm:102\", state: stopped }\n" +
                            (v.empty() ? "" : "  rules:\n  " + FmEntry(v, "name: fm-first, type: node-affinity, resources: [vm:102], nodes: { pve-01: 2 }",
                                                                       "name: fm-first, type: node-affinity, resources: [vm:102], nodes: { pve-01: 2, pve-02: 1 }"));
                   },
                   FmCreateUpdateDelete({"POST", "^/cluster/ha/rules$"}, {"PUT", "^/cluster/ha/rules/fm-first$"},
                                        {"DELETE", "^/cluster/ha/rules/fm-first$"}, "pve-01:2", "pve-01:2,pve-02:1"),
                   [](E2eCluster& c) { return FmValue(c.Client().Get("/cluster/ha/rules/fm-first"), "nodes"); }});
  cases.push_back({"vlan", FmWorldKind::kGuests, "vlan/fmnet", nullptr,
                   [](const std::string& v) {
                     return FaultSpecHead() + FaultGuestsYaml() + "vlans:\n  - { name: fmbase, zone: prod, bridge: vmbr0, tag: 30 }\n" +
                            FmEntry(v, "name: fmnet, zone: prod, bridge: vmbr0, tag: 40", "name: fmnet, zone: prod, bridge: vmbr0, tag: 41");
                   },
                   FmCreateUpdateDelete({"POST", "^/cluster/sdn/vnets$"}, {"PUT", "^/cluster/sdn/vnets/fmnet$"},
                                        {"DELETE", "^/cluster/sdn/vnets/fmnet$"}, "40", "41"),
                   [](E2eCluster& c) { return FmValue(c.Client().Get("/cluster/sdn/vnets/fmnet"), "tag"); }});
  cases.push_back({"ceph_pool", FmWorldKind::kGuests, "ceph_pool/fm-pool", nullptr,
                   [](const std::string& v) {
                     return FaultSpecHead() + FaultGuestsYaml() + (v.empty() ? "" : "ceph:\n  pools:\n") +
                            (v.empty() ? "" : "  " + FmEntry(v, "name: fm-pool, size: 3, min_size: 2, application: rbd",
                                                             "name: fm-pool, size: 3, min_size: 1, application: rbd"));
                   },
                   FmCreateUpdateDelete({"POST", "^/nodes/[^/]+/ceph/pool$"}, {"PUT", "^/nodes/[^/]+/ceph/pool/fm-pool$"},
                                        {"DELETE", "^/nodes/[^/]+/ceph/pool/fm-pool$"}, "2", "1"),
                   [](E2eCluster& c) {
                     for (const auto& pool : c.Client().Get("/nodes/pve-01/ceph/pool").data()) {
                       if (pool.value("pool_name", "") == "fm-pool") return pool["min_size"].dump();
                     }
                     return std::string("(none)");
                   }});
  cases.push_back({"network", FmWorldKind::kGuests, "iface/pve-01/vmbr0.40",
                   [](E2eCluster&) { setenv("HAINFRA_NETWORK_CONFIRM_SECONDS", "1", 1); },
                   [](const std::string& v) {
                     std::string spec = FaultSpecHead() + FaultGuestsYaml();
                     if (v.empty()) return spec;
                     const std::string network =
                         v == "v1"   ? "{ iface: vmbr0.40, type: vlan, cidr: 10.40.0.11/24 }"
                         : v == "v2" ? "{ iface: vmbr0.40, type: vlan, cidr: 10.40.0.21/24 }"
                                     : "{ iface: vmbr0.40, type: vlan, state: absent }";
                     const std::string plain = "  - { name: pve-01, address: 10.10.0.11 }\n";
                     spec.replace(spec.find(plain), plain.size(),
                                  "  - name: pve-01\n    address: 10.10.0.11\n    network:\n      - " + network + "\n");
                     return spec;
                   },
                   FmCreateUpdateDelete({"POST", "^/nodes/pve-01/network$"}, {"PUT", "^/nodes/pve-01/network/vmbr0\\.40$"},
                                        {"DELETE", "^/nodes/pve-01/network/vmbr0\\.40$"}, "10.40.0.11/24", "10.40.0.21/24"),
                   [](E2eCluster& c) { return FmValue(c.Client().Get("/nodes/pve-01/network/vmbr0.40"), "cidr"); }});
  return cases;
}

class FaultMatrixLostAnswer : public ::testing::TestWithParam<FmKindCase> {
 protected:
  static void TearDownTestSuite() {
    clusters_.clear();
    dirs_.clear();
  }

  // The suite's pvesim of `world`, started on first use.
  static E2eCluster* Cluster(FmWorldKind world) {
    auto it = clusters_.find(world);
    if (it != clusters_.end()) return it->second.get();
    auto dir = std::make_unique<TempDir>("fault-matrix");
    PvesimOptions options;
    options.args = WorldArgs(*dir, GuestWorld(9, {101, 102}));
    if (world == FmWorldKind::kGuests) options.args.push_back("--ceph");
    auto cluster = E2eCluster::Start(options);
    cluster->SetEnv("HAINFRA_API_RETRY_DELAY_MS", "20");
    E2eCluster* raw = cluster.get();
    dirs_.push_back(std::move(dir));
    clusters_[world] = std::move(cluster);
    return raw;
  }

  static std::map<FmWorldKind, std::unique_ptr<E2eCluster>> clusters_;
  static std::vector<std::unique_ptr<TempDir>> dirs_;
};

std::map<FmWorldKind, std::unique_ptr<E2eCluster>> FaultMatrixLostAnswer::clusters_;
std::vector<std::unique_ptr<TempDir>> FaultMatrixLostAnswer::dirs_;

// One row: the request's answer is lost once; the apply still succeeds, and the cluster holds exactly
// `expected` afterwards.
void ExpectRowRidesOutTheLostAnswer(E2eCluster& cluster, const FmKindCase& c, const FmRow& row,
                                    const std::set<std::string>& expected) {
  SCOPED_TRACE(c.name + ": " + row.request.method + " " + row.request.path + " (" + row.variant + ")");
  if (row.before) {
    ASSERT_NO_FATAL_FAILURE(row.before(cluster));
  }
  const Spec spec = LoadOrFail(cluster, c.spec(row.variant));
  PvesimClient client = cluster.Client();
  const std::string rule = LoseNextAnswer(client, row.request.method, row.request.path);
  cli::ApplyCommandOptions options = E2eCluster::DefaultApply();
  options.allow_destroy = row.variant == "absent";
  const CommandRun apply = cluster.RunApply(spec, options);
  EXPECT_EQ(apply.exit_code, 0) << apply.out << apply.err;
  EXPECT_TRUE(FaultRuleFired(client, rule)) << "the answer was never lost: no " << row.request.method << " "
                                            << row.request.path << "\n" << apply.out << apply.err;
  // Ridden out by a retry (of the request, or of the step after a fresh look): no error reaches the user.
  EXPECT_EQ(apply.err.find("error:"), std::string::npos) << apply.err;
  EXPECT_EQ(FaultInventory(client), expected);
  if (!row.value.empty()) {
    EXPECT_EQ(c.probe(cluster), row.value);
  }
  ExpectEmptyPlan(cluster, spec);
  const CommandRun again = cluster.RunApply(spec, options);
  EXPECT_EQ(again.exit_code, 0) << again.out << again.err;
  EXPECT_EQ(FaultInventory(client), expected);
}

TEST_P(FaultMatrixLostAnswer, CreateUpdateAndDeleteEachAdoptWhatLandedAndConverge) {
  const FmKindCase& c = GetParam();
  E2eCluster* cluster = Cluster(c.world);
  if (cluster->sim().skipped()) GTEST_SKIP() << cluster->sim().error();
  ASSERT_TRUE(cluster->sim().ok()) << cluster->sim().error();
  if (c.prepare) {
    ASSERT_NO_FATAL_FAILURE(c.prepare(*cluster));
  }
  ASSERT_NO_FATAL_FAILURE(ApplyConverges(*cluster, LoadOrFail(*cluster, c.spec(""))));
  PvesimClient client = cluster->Client();
  const std::set<std::string> before = FaultInventory(client);
  ASSERT_FALSE(before.contains(c.object));
  std::set<std::string> with = before;
  with.insert(c.object);
  for (const FmRow& row : c.rows) {
    ExpectRowRidesOutTheLostAnswer(*cluster, c, row, row.present ? with : before);
  }
}

INSTANTIATE_TEST_SUITE_P(Kinds, FaultMatrixLostAnswer, ::testing::ValuesIn(FmKindCases()),
                         [](const ::testing::TestParamInfo<FmKindCase>& kind) { return kind.param.name; });

}  // namespace
}  // namespace hainfra::testing
