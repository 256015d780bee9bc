// Bulk observe (issue 19) against pvesim whose /etc/pve is shown to a real sshd on loopback as a node's
// pmxcfs: the guest configs read in one SSH command give, guest by guest, the answer GET .../config gives
// (digest included), and the plan made from them is byte for byte the plan the API observe makes — on a
// generated world doctored with pending changes, snapshots, unusual keys and container raw keys, and on the
// examples' guests. A plan saved from the bulk observe is refused when the cluster changed since.
#include <gtest/gtest.h>

#include <unistd.h>

#include <cctype>
#include <fstream>
#include <sstream>
#include <thread>

#include "engine/planfile/plan_file.h"
#include "engine/spec/loader.h"
#include "providers/kinds/pmxcfs_files.h"
#include "providers/pve/guest_conf.h"
#include "providers/transport/ssh_client.h"
#include "tests/testing/e2e_cluster.h"
#include "tests/testing/e2e_expect.h"
#include "tests/testing/sshd_fixture.h"
#include "tests/testing/temp_dir.h"

namespace hainfra::testing {
namespace {

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The printed plan without the saved plan's path (the two runs save to two files).
std::string WithoutPlanPath(std::string out, const std::string& path) {
  for (size_t at = out.find(path); at != std::string::npos; at = out.find(path, at)) out.replace(at, path.size(), "PLAN");
  return out;
}

// pvesim, and an sshd whose sessions see pvesim's <state>/etc-pve as /etc/pve.
struct BulkBed {
  std::unique_ptr<E2eCluster> cluster;
  std::unique_ptr<SshdFixture> sshd;

  // The environment of a run with SSH (every node's address is the sshd) or without.
  void UseSsh(bool on) {
    if (!on) {
      cluster->SetEnv("HAINFRA_SSH", "off");
      return;
    }
    cluster->SetEnv("HAINFRA_SSH", "on");
    cluster->SetEnv("HAINFRA_SSH_USER", sshd->user());
    cluster->SetEnv("HAINFRA_SSH_IDENTITY", sshd->client_key());
    cluster->SetEnv("HAINFRA_SSH_KNOWN_HOSTS", sshd->known_hosts());
    std::string addresses;
    for (const char* node : {"pve-01", "pve-02", "pve-03"}) {
      addresses += std::string(addresses.empty() ? "" : ",") + node + "=127.0.0.1:" + std::to_string(sshd->port());
    }
    cluster->SetEnv("HAINFRA_SSH_ADDRESSES", addresses);
  }

  // `plan --out FILE` in one mode: the saved plan's bytes and what the command printed.
  struct Planned {
    CommandRun run;
    std::string file;
  };
  Planned Plan(const Spec& spec, bool ssh, const std::string& path) {
    UseSsh(ssh);
    cli::PlanCommandOptions options;
    options.out = path;
    Planned p{cluster->RunPlan(spec, options), ""};
    p.file = ReadAll(path);
    return p;
  }
};

#define BULK_BED_OR_SKIP(bed, ...)                                                           \
  BulkBed bed;                                                                               \
  bed.cluster = E2eCluster::Start(__VA_ARGS__);                                              \
  if (bed.cluster->sim().skipped()) GTEST_SKIP() << bed.cluster->sim().error();             \
  ASSERT_TRUE(bed.cluster->sim().ok()) << bed.cluster->sim().error();                       \
  if (getuid() != 0) GTEST_SKIP() << "showing a folder as /etc/pve to sshd needs root";     \
  bed.sshd = std::make_unique<SshdFixture>(bed.cluster->sim().state_dir() + "/etc-pve");    \
  ASSERT_TRUE(bed.sshd->ok()) << bed.sshd->error()

PvesimOptions GeneratedWorld() {
  PvesimOptions options;
  options.args = {"--generate", "nodes=3,vms=24,cts=12,ha=4,vlans=2,pools=1,running=0.5", "--seed", "7"};
  return options;
}

// Doctors the generated world the way real clusters look: pending changes (through the API and written in
// files), snapshots, a description with escapes, unusual keys, booleans spelled `yes`, container raw keys.
void DoctorTheWorld(PvesimClient& client, const nlohmann::json& guests) {
  int n = 0;
  for (const auto& g : guests) {
    const std::string node = g.value("node", ""), type = g.value("type", "");
    const std::string vmid = std::to_string(g.value("vmid", 0));
    const std::string dir = type == "qemu" ? "qemu-server" : "lxc";
    const std::string file = "/files/nodes/" + node + "/" + dir + "/" + vmid + ".conf";
    ++n;
    if (n % 3 == 0) {  // a change the API keeps pending while the guest runs (or applies when stopped)
      const std::string path = "/nodes/" + node + "/" + type + "/" + vmid + "/config";
      if (type == "qemu") EXPECT_LT(client.Put(path, {{"cores", "3"}}).status, 300) << path;
      else EXPECT_LT(client.Put(path, {{"swap", "256"}}).status, 300) << path;
      continue;
    }
    if (n % 3 != 1) continue;
    auto current = client.Control("GET", file);
    ASSERT_EQ(current.status, 200) << file;
    std::string text = current.data().value("content", "");
    std::string head = "#first line%3A with 100%25 escapes\n#second line\n";
    std::string extra = "onboot: yes\n";
    if (type == "qemu") {
      extra += "args: -device  virtio-rng-pci \nvmgenid: 6e5e5d4c-0000-4000-8000-00000000000" + std::to_string(n % 10) +
               "\nhookscript: local:snippets/hook.pl\n";
      text = head + text + extra + "\n[PENDING]\ncores: 7\ndelete: onboot,!balloon\n\n[before-upgrade]\ncores: 1\n"
             "memory: 512\nsnaptime: 1700000000\n\n[special:cloudinit]\nipconfig0: ip=dhcp\n";
    } else {
      extra += "lxc.apparmor.profile: unconfined\nlxc.cgroup2.devices.allow = c 10:200 rwm\n";
      text = head + text + extra + "\n[PENDING]\nmemory: 1024\ndelete: swap\n\n[clean]\nmemory: 256\n"
             "lxc.mount.auto: proc:rw\nsnaptime: 1700000001\n";
    }
    ASSERT_EQ(client.Control("PUT", file, {{"content", text}}).status, 200) << file;
  }
}

// Every guest declared; every third one with different cores, so the plan has updates to compare.
std::string DeclareAll(const nlohmann::json& guests) {
  std::string vms = "vms:\n", cts = "containers:\n";
  int n = 0;
  for (const auto& g : guests) {
    const std::string cores = ++n % 3 == 0 ? ", cores: 5" : "";
    const std::string entry =
        "  - { vmid: " + std::to_string(g.value("vmid", 0)) + ", node: " + g.value("node", "") + cores + " }\n";
    (g.value("type", "") == "qemu" ? vms : cts) += entry;
  }
  return std::string(kVmSpecHeader) + vms + cts;
}

TEST(BulkObserveE2e, EachFileReadOverSshGivesTheApisConfigAnswerAndDigest) {
  BULK_BED_OR_SKIP(bed, GeneratedWorld());
  PvesimClient client = bed.cluster->Client();
  const nlohmann::json guests = client.Get("/cluster/resources", {{"type", "vm"}}).data();
  ASSERT_EQ(guests.size(), 36u);
  DoctorTheWorld(client, guests);

  auto ssh = transport::SshClient::Create(bed.sshd->Settings("pve-01"));
  ASSERT_TRUE(ssh) << ssh.error().message;
  auto files = providers::ReadPmxcfsFiles(**ssh, "pve-01", {"nodes/*/qemu-server/*.conf", "nodes/*/lxc/*.conf"});
  ASSERT_TRUE(files) << files.error().message << bed.sshd->LogTail();
  EXPECT_EQ(files->files.size(), 36u);
  EXPECT_EQ((*ssh)->Counters().commands, 1u) << "one SSH command for every file";
  for (const auto& g : guests) {
    const bool qemu = g.value("type", "") == "qemu";
    const std::string node = g.value("node", ""), vmid = std::to_string(g.value("vmid", 0));
    const std::string path = "nodes/" + node + (qemu ? "/qemu-server/" : "/lxc/") + vmid + ".conf";
    ASSERT_TRUE(files->files.contains(path)) << path;
    const auto type = qemu ? pve::GuestType::kQemu : pve::GuestType::kLxc;
    const pve::GuestConf conf = pve::ParseGuestConf(files->files.at(path), type);
    const std::string api_path = "/nodes/" + node + "/" + (qemu ? "qemu" : "lxc") + "/" + vmid + "/config";
    for (bool current : {false, true}) {
      auto api = client.Get(api_path, current ? Form{{"current", "1"}} : Form{});
      ASSERT_EQ(api.status, 200) << api_path;
      EXPECT_EQ(pve::GuestConfigAnswer(conf, type, current), api.data()) << path << (current ? " (current)" : "");
    }
  }
}

TEST(BulkObserveE2e, TheBulkPlanOfAGeneratedWorldIsTheApiPlanByteForByte) {
  BULK_BED_OR_SKIP(bed, GeneratedWorld());
  PvesimClient client = bed.cluster->Client();
  const nlohmann::json guests = client.Get("/cluster/resources", {{"type", "vm"}}).data();
  DoctorTheWorld(client, guests);
  const Spec spec = LoadOrFail(*bed.cluster, DeclareAll(guests));
  TempDir dir("bulk-observe");

  client.Control("DELETE", "/requests");
  auto api = bed.Plan(spec, false, dir.File("api.json"));
  const size_t api_config_reads = client.Control("GET", "/requests?limit=100000").data().size();
  client.Control("DELETE", "/requests");
  auto bulk = bed.Plan(spec, true, dir.File("bulk.json"));
  size_t bulk_config_reads = 0;
  for (const auto& r : client.Control("GET", "/requests?limit=100000").data()) {
    if (r.value("path", "").ends_with("/config")) ++bulk_config_reads;
  }

  ASSERT_EQ(api.run.exit_code, 0) << api.run.out << api.run.err;
  ASSERT_EQ(bulk.run.exit_code, 0) << bulk.run.out << bulk.run.err;
  EXPECT_NE(bulk.run.log.find("guest configs read from /etc/pve in one SSH command on pve-01 (36 files)"),
            std::string::npos)
      << "the output says the bulk observe was used:\n" << bulk.run.log;
  EXPECT_EQ(api.run.log.find("guest configs"), std::string::npos) << "without SSH nothing changes:\n" << api.run.log;
  EXPECT_EQ(bulk_config_reads, 0u) << "no guest config read over the API";
  EXPECT_GT(api_config_reads, 36u);
  EXPECT_EQ(bulk.file, api.file) << "the saved plans differ";
  EXPECT_EQ(WithoutPlanPath(bulk.run.out, dir.File("bulk.json")), WithoutPlanPath(api.run.out, dir.File("api.json")));
  EXPECT_NE(api.file.find("\"update\""), std::string::npos) << "the plan has updates to compare:\n" << api.run.out;
}

TEST(BulkObserveE2e, AFailedSshReadFallsBackToTheApiAndSaysSo) {
  BULK_BED_OR_SKIP(bed, GeneratedWorld());
  PvesimClient client = bed.cluster->Client();
  const nlohmann::json guests = client.Get("/cluster/resources", {{"type", "vm"}}).data();
  const Spec spec = LoadOrFail(*bed.cluster, DeclareAll(guests));
  TempDir dir("bulk-observe");
  auto api = bed.Plan(spec, false, dir.File("api.json"));
  bed.UseSsh(true);
  bed.cluster->SetEnv("HAINFRA_SSH_KNOWN_HOSTS", bed.sshd->wrong_known_hosts());  // the node's key "changed"
  cli::PlanCommandOptions options;
  options.out = dir.File("fallback.json");
  CommandRun fallback = bed.cluster->RunPlan(spec, options);
  ASSERT_EQ(fallback.exit_code, 0) << fallback.out << fallback.err;
  EXPECT_NE(fallback.log.find("guest configs are read over the API (one request per guest): the bulk read of "
                              "/etc/pve over SSH failed"),
            std::string::npos)
      << fallback.log;
  EXPECT_EQ(ReadAll(dir.File("fallback.json")), api.file);
}

TEST(BulkObserveE2e, APlanSavedFromTheBulkObserveIsRefusedWhenAGuestChangedSince) {
  BULK_BED_OR_SKIP(bed, GeneratedWorld());
  PvesimClient client = bed.cluster->Client();
  const nlohmann::json guests = client.Get("/cluster/resources", {{"type", "vm"}}).data();
  DoctorTheWorld(client, guests);
  const Spec spec = LoadOrFail(*bed.cluster, DeclareAll(guests));
  TempDir dir("bulk-observe");
  auto bulk = bed.Plan(spec, true, dir.File("bulk.json"));
  ASSERT_EQ(bulk.run.exit_code, 0) << bulk.run.out << bulk.run.err;
  Result<Plan> saved = planfile::ReadPlanFile(dir.File("bulk.json"));
  ASSERT_TRUE(saved) << saved.error().message;
  ASSERT_FALSE(saved->steps.empty());
  const std::string address = saved->steps.front().change.address.ToString();  // e.g. vm/102
  const std::string vmid = saved->steps.front().change.address.name;
  std::string node, type;
  for (const auto& g : guests) {
    if (std::to_string(g.value("vmid", 0)) == vmid) node = g.value("node", ""), type = g.value("type", "");
  }
  ASSERT_FALSE(node.empty()) << address;
  // Changed out of band: the digest the plan recorded (read from the file) is no longer the config's.
  const std::string path = "/nodes/" + node + "/" + type + "/" + vmid + "/config";
  ASSERT_LT(client.Put(path, {{"description", "changed by hand"}}).status, 300) << path;  // synchronous
  bed.UseSsh(false);  // apply observes over the API (the cluster lock is not taken: --no-lock in DefaultApply)
  cli::ApplyCommandOptions options = E2eCluster::DefaultApply();
  options.auto_approve = false;
  options.plan_file = dir.File("bulk.json");
  CommandRun apply = bed.cluster->RunApply(spec, options);
  EXPECT_NE(apply.exit_code, 0) << apply.out << apply.err;
  EXPECT_NE((apply.out + apply.err).find(address), std::string::npos) << apply.out << apply.err;
  // And a plan saved from the API observe is refused by an apply that observes in bulk the same way.
  auto api = bed.Plan(spec, false, dir.File("api.json"));
  ASSERT_EQ(api.run.exit_code, 0) << api.run.err;
  ASSERT_LT(client.Put(path, {{"description", "changed again"}}).status, 300) << path;  // synchronous
  bed.UseSsh(true);
  options.plan_file = dir.File("api.json");
  CommandRun bulk_apply = bed.cluster->RunApply(spec, options);
  EXPECT_NE(bulk_apply.exit_code, 0) << bulk_apply.out << bulk_apply.err;
  EXPECT_NE((bulk_apply.out + bulk_apply.err).find(address), std::string::npos) << bulk_apply.out << bulk_apply.err;
}

// The HA kinds observe from ha/resources.cfg and ha/groups.cfg in the same one SSH read: files written by
// hand (comments, bare booleans, a group that does not exist, odd spacing) give the plan the list calls give,
// byte for byte, and the bulk plan makes neither list call. PVE 8 (groups) and PVE 9 (groups migrated).
struct HaBulkCase {
  const char* pve;
  const char* resources_cfg;
  const char* groups_cfg;
  const char* ha_spec;
  const char* rules_cfg = "";  // PVE 9: the HA rules observe from ha/rules.cfg too
};

void ExpectTheHaKindsPlanTheSameFromTheirFiles(const HaBulkCase& c) {
  PvesimOptions options = GeneratedWorld();
  options.args.insert(options.args.end(), {"--pve", c.pve});
  BULK_BED_OR_SKIP(bed, options);
  PvesimClient client = bed.cluster->Client();
  const nlohmann::json guests = client.Get("/cluster/resources", {{"type", "vm"}}).data();
  ASSERT_EQ(client.Control("PUT", "/files/ha/resources.cfg", {{"content", c.resources_cfg}}).status, 200);
  if (*c.groups_cfg != '\0') {
    ASSERT_EQ(client.Control("PUT", "/files/ha/groups.cfg", {{"content", c.groups_cfg}}).status, 200);
  }
  if (*c.rules_cfg != '\0') {
    ASSERT_EQ(client.Control("PUT", "/files/ha/rules.cfg", {{"content", c.rules_cfg}}).status, 200);
  }
  // The HA manager takes the written resources.cfg over within a tick: vm:102's state becomes the guest
  // list's hastate. Both plans must see the settled cluster, not one before and one after the tick.
  bool settled = false;
  for (int i = 0; i < 200 && !settled; ++i) {
    for (const auto& g : client.Get("/cluster/resources", {{"type", "vm"}}).data()) {
      if (g.value("vmid", 0) == 102 && g.value("hastate", "") == "stopped") settled = true;
    }
    if (!settled) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_TRUE(settled) << "the HA manager never took vm:102's state over";
  const Spec spec = LoadOrFail(*bed.cluster, DeclareAll(guests) + c.ha_spec);
  TempDir dir("bulk-observe");
  auto ha_lists = [&] {
    size_t n = 0;
    for (const auto& r : client.Control("GET", "/requests?limit=100000").data()) {
      const std::string path = r.value("path", "");
      if (path.starts_with("/api2/json/cluster/ha/resources") || path.starts_with("/api2/json/cluster/ha/groups") ||
          path.starts_with("/cluster/ha/resources") || path.starts_with("/cluster/ha/groups") ||
          path.starts_with("/api2/json/cluster/ha/rules") || path.starts_with("/cluster/ha/rules")) {
        ++n;
      }
    }
    return n;
  };
  client.Control("DELETE", "/requests");
  auto api = bed.Plan(spec, false, dir.File("api.json"));
  const size_t api_lists = ha_lists();
  client.Control("DELETE", "/requests");
  auto bulk = bed.Plan(spec, true, dir.File("bulk.json"));
  const size_t bulk_lists = ha_lists();
  ASSERT_EQ(api.run.exit_code, 0) << api.run.out << api.run.err;
  ASSERT_EQ(bulk.run.exit_code, 0) << bulk.run.out << bulk.run.err;
  EXPECT_NE(api.file.find("ha_resource"), std::string::npos) << "the plan has HA changes to compare:\n" << api.run.out;
  EXPECT_GT(api_lists, 0u);
  EXPECT_EQ(bulk_lists, 0u) << "no HA list call with the bulk read:\n" << bulk.run.log;
  EXPECT_NE(bulk.run.log.find("ha_resource: read from /etc/pve"), std::string::npos) << bulk.run.log;
  if (*c.rules_cfg != '\0') {
    EXPECT_NE(api.file.find("ha_rule"), std::string::npos) << "the plan has rule changes to compare:\n" << api.run.out;
    EXPECT_NE(bulk.run.log.find("ha_rule: read from /etc/pve"), std::string::npos) << bulk.run.log;
  }
  EXPECT_EQ(bulk.file, api.file) << "the saved plans differ";
  EXPECT_EQ(WithoutPlanPath(bulk.run.out, dir.File("bulk.json")), WithoutPlanPath(api.run.out, dir.File("api.json")));
}

TEST(BulkObserveE2e, TheHaKindsPlanTheSameFromTheirFilesOnPve8) {
  ExpectTheHaKindsPlanTheSameFromTheirFiles(HaBulkCase{
      "8",
      "# written by hand\nvm: 100\n\tstate started\n\tgroup web\n\tmax_restart 3\n\n"
      "vm: 101\n\tgroup gone\n    comment a comment  with spaces \n\nvm:102\n\tstate stopped\n\n"
      "vm: 103\n\tmax_relocate 2\n\tstate enabled\n",
      "group: web\n\tnodes pve-02:1,pve-01:2\n\trestricted\n\tcomment web servers\n\n"
      "group: db\n\tnodes pve-03\n\tnofailback 1\n\trestricted 0\n",
      R"(ha:
  groups:
    - { name: web, nodes: { pve-01: 2, pve-02: 1 }, restricted: true }
    - { name: db, nodes: { pve-03: 1 }, nofailback: false }
  resources:
    - { sid: "vm:100", state: started, group: web, max_restart: 2 }
    - { sid: "vm:101", state: started, comment: "a comment  with spaces" }
    - { sid: "vm:102", state: stopped }
    - { sid: "vm:103", max_relocate: 1 }
)"});
}

TEST(BulkObserveE2e, TheHaKindsPlanTheSameFromTheirFilesOnPve9) {
  ExpectTheHaKindsPlanTheSameFromTheirFiles(HaBulkCase{
      "9",
      "vm: 100\n\tstate started\n\tfailback 0\n\tmax_restart 3\n\n"
      "vm: 101\n\tfailback\n\tcomment kept\n\nvm: 102\n\tstate stopped\n\tgroup old\n",
      "",
      R"(ha:
  resources:
    - { sid: "vm:100", state: started, failback: true }
    - { sid: "vm:101", comment: changed }
    - { sid: "vm:102", state: stopped }
  rules:
    - { name: pin-web, type: node-affinity, resources: [vm:100, vm:101], nodes: { pve-01: 2, pve-02: 1 }, strict: false }
    - { name: keep-apart, type: resource-affinity, affinity: negative, resources: [vm:100, vm:102], comment: kept apart }
    - { name: solo, type: node-affinity, resources: [vm:102], nodes: { pve-03: 0 } }
)",
      // By hand: unsorted lists, a bare boolean, `disable 0`, a comment, a rule the spec does not declare.
      "# written by hand\nnode-affinity: pin-web\n\tresources vm:101,vm:100\n\tnodes pve-02:1,pve-01:2\n\tstrict\n\n"
      "resource-affinity: keep-apart\n\tresources vm:102,vm:100\n\taffinity negative\n\tdisable 0\n"
      "\tcomment kept  apart\n\nnode-affinity: other\n\tresources vm:103\n\tnodes pve-01\n\tdisable\n"});
}

// Every example's guests and HA resources (its `cluster` name and API, `vms`, `containers`, the storages they
// use, `ha.resources`; the other kinds read no file of the bulk read):
// applied to a pvesim with the example's nodes over the API, then planned with either observe — the
// saved plans and the printed plans are the same bytes.
class BulkObserveExamples : public ::testing::TestWithParam<std::string> {};

TEST_P(BulkObserveExamples, TheExamplesGuestsPlanTheSameThroughEitherObserve) {
  spec::LoadResult loaded = spec::LoadSpec({std::string(HAINFRA_SOURCE_DIR) + "/examples/" + GetParam()});
  ASSERT_FALSE(HasErrors(loaded.diagnostics)) << GetParam();
  std::string nodes;
  for (const Resource* n : loaded.spec.OfKind("node")) nodes += (nodes.empty() ? "" : ",") + n->address.name;
  Spec guests;
  for (const Resource& r : loaded.spec.objects) {
    // The storages (and Ceph pools) the guests' disks need, over the API like the guests; the HA resources,
    // which the bulk observe reads from ha/resources.cfg.
    if (r.address.kind == "vm" || r.address.kind == "ct" || r.address.kind == "storage" ||
        r.address.kind == "ceph_pool" || r.address.kind == "ha_resource") {
      guests.objects.push_back(r);
    }
    if (r.address.kind != "cluster") continue;
    Resource cluster = r;  // its name and API only: corosync settings are another kind's
    cluster.body = Value::object();
    for (const char* key : {"name", "api"}) {
      if (r.body.contains(key)) cluster.body[key] = r.body[key];
    }
    guests.objects.push_back(std::move(cluster));
  }
  guests.files = loaded.spec.files;
  guests.hash = loaded.spec.hash;
  guests.Reindex();
  ASSERT_FALSE(guests.OfKind("vm").empty() && guests.OfKind("ct").empty()) << GetParam() << " declares no guest";

  PvesimOptions options;
  options.args = {"--nodes", nodes, "--ceph"};
  BULK_BED_OR_SKIP(bed, options);
  bed.UseSsh(false);
  CommandRun applied = bed.cluster->RunApply(guests);  // what fails here (an image to import) stays planned
  std::string addresses;
  for (const Resource* n : loaded.spec.OfKind("node")) {
    addresses += (addresses.empty() ? "" : ",") + n->address.name + "=127.0.0.1:" + std::to_string(bed.sshd->port());
  }
  TempDir dir("bulk-observe");
  auto api = bed.Plan(guests, false, dir.File("api.json"));
  bed.UseSsh(true);
  bed.cluster->SetEnv("HAINFRA_SSH_ADDRESSES", addresses);
  cli::PlanCommandOptions plan_options;
  plan_options.out = dir.File("bulk.json");
  CommandRun bulk = bed.cluster->RunPlan(guests, plan_options);
  ASSERT_NE(api.run.exit_code, 1) << api.run.out << api.run.err << "\napply:\n" << applied.out << applied.err;
  const Value saved = Value::parse(api.file, nullptr, false);
  EXPECT_TRUE(saved.is_object() && saved.contains("unchanged") && !saved["unchanged"].empty())
      << "the example's guests exist and are observed:\n" << api.run.out << "\napply:\n" << applied.out << applied.err;
  ASSERT_EQ(bulk.exit_code, api.run.exit_code) << bulk.out << bulk.err;
  EXPECT_NE(bulk.log.find("guest configs read from /etc/pve in one SSH command"), std::string::npos) << bulk.log;
  EXPECT_EQ(ReadAll(dir.File("bulk.json")), api.file);
  EXPECT_EQ(WithoutPlanPath(bulk.out, dir.File("bulk.json")), WithoutPlanPath(api.run.out, dir.File("api.json")));
}

INSTANTIATE_TEST_SUITE_P(Examples, BulkObserveExamples,
                         ::testing::Values("minimal.yaml", "demo", "lab-3node", "astro-5node"),
                         [](const auto& p) {
                           std::string name;
                           for (char c : p.param) name += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
                           return name;
                         });

}  // namespace
}  // namespace hainfra::testing
