// Real guest configs (../shared/pve-fixtures/: the qemu configs captured from real clusters, and a real
// storage.cfg) written into pvesim's /etc/pve export to a spec that validates and plans to no changes: what
// Proxmox tolerates in the configs it wrote itself (a boot order naming a removed drive, legacy `bootdisk`,
// keys hainfra does not manage) is neither refused nor a difference. The same for the lxc captures: bind
// mounts, volumes without `size=`, snapshot sections, raw `lxc.*` keys, device passthrough, ostypes Proxmox
// no longer accepts (`redhat` in pve-container's tests), unused volumes.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "cli/cluster_session.h"
#include "cli/export_command.h"
#include "tests/testing/e2e_cluster.h"
#include "tests/testing/pvesim_client.h"

namespace hainfra::testing {
namespace {

constexpr const char* kFixturesInputSpec = R"(
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
)";

std::string FixturesDir() { return std::string(HAINFRA_SHARED_DIR) + "/pve-fixtures/"; }

std::string ReadFixtureText(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// A qemu config as GET .../config answers it, written back as qemu-server writes the file.
std::string FixtureQemuConfText(const Value& config) {
  std::string text;
  for (auto it = config.begin(); it != config.end(); ++it) {
    if (it.key() == "digest") continue;
    text += it.key() + ": " + (it->is_string() ? it->get<std::string>() : it->dump()) + "\n";
  }
  return text;
}

// The captures' authors anonymised MACs to ff:ff:ff:ff:ff:ff, a broadcast address Proxmox itself never writes
// (its mac-addr format refuses it): each becomes a locally administered unicast MAC of its own.
std::string FixtureUnicastMacs(std::string text) {
  static const std::regex kBroadcast("(ff:ff:ff:ff:ff:ff|FF:FF:FF:FF:FF:FF)");
  std::string out;
  static int n = 0;  // unique over every config of the test
  auto begin = std::sregex_iterator(text.begin(), text.end(), kBroadcast);
  size_t last = 0;
  for (auto it = begin; it != std::sregex_iterator(); ++it) {
    static const char* kHex = "0123456789ABCDEF";
    ++n;
    const std::string mac = std::string("BC:24:11:00:00:") + kHex[(n / 16) % 16] + kHex[n % 16];
    out += text.substr(last, it->position() - last) + mac;
    last = it->position() + it->length();
  }
  return out + text.substr(last);
}

// Every storage a config's volumes name (`local-lvm:vm-151-disk-0`); bind mounts (`/mnt/...`) name none.
void CollectFixtureStorages(const std::string& conf, std::set<std::string>& out) {
  static const std::regex kVolume(
      "^(rootfs|mp[0-9]+|scsi[0-9]+|sata[0-9]+|virtio[0-9]+|ide[0-9]+|efidisk0|tpmstate0|unused[0-9]+): "
      "([a-zA-Z][a-zA-Z0-9._-]*):");
  std::istringstream lines(conf);
  for (std::string line; std::getline(lines, line);) {
    std::smatch m;
    if (std::regex_search(line, m, kVolume)) out.insert(m[2].str());
  }
}

// A container config as GET .../config answers it (the `lxc` key holds the raw lxc.* lines), written back as
// pve-container writes the file.
std::string FixtureLxcConfText(const Value& config) {
  std::string text;
  for (auto it = config.begin(); it != config.end(); ++it) {
    if (it.key() == "digest") continue;
    if (it.key() == "lxc" && it->is_array()) {
      for (const Value& line : *it) text += line[0].get<std::string>() + ": " + line[1].get<std::string>() + "\n";
      continue;
    }
    text += it.key() + ": " + (it->is_string() ? it->get<std::string>() : it->dump()) + "\n";
  }
  return text;
}

// The captures come from different clusters, and pve-container's own tests share one MAC: within this one
// cluster each capture's MACs become MACs of its own (the same MAC in a capture's snapshots stays the same).
std::string FixtureOwnMacs(const std::string& text) {
  static const std::regex kHwaddr("hwaddr=([0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){5})");
  static int n = 0;  // unique over every config of the test
  std::map<std::string, std::string> renamed;
  std::string out;
  size_t last = 0;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), kHwaddr); it != std::sregex_iterator(); ++it) {
    std::string& mac = renamed[(*it)[1].str()];
    if (mac.empty()) {
      static const char* kHex = "0123456789ABCDEF";
      ++n;
      mac = std::string("BC:24:11:00:01:") + kHex[(n / 16) % 16] + kHex[n % 16];
    }
    out += text.substr(last, it->position() - last) + "hwaddr=" + mac;
    last = it->position() + it->length();
  }
  return out + text.substr(last);
}

// The storage.cfg the captures need in one cluster: a directory storage for each storage they name that the
// real storage.cfg lacks, and `rootdir` in the content of each one they keep container volumes on (their
// clusters' storages held it; this one's `local` does not).
std::string FixtureStorageCfgFor(const std::map<std::string, std::string>& guests) {
  std::string storage_cfg = ReadFixtureText(FixturesDir() + "cfg-storage-pve9.cfg");
  std::set<std::string> storages;
  for (const auto& [path, text] : guests) CollectFixtureStorages(text, storages);
  for (const std::string& id : storages) {
    const size_t at = storage_cfg.find(": " + id + "\n");
    if (at == std::string::npos) {
      storage_cfg += "\ndir: " + id + "\n\tpath /srv/" + id + "\n\tcontent images,rootdir\n";
      continue;
    }
    const size_t content = storage_cfg.find("\tcontent ", at);
    const size_t end = storage_cfg.find('\n', content);
    if (content == std::string::npos || storage_cfg.substr(content, end - content).find("rootdir") != std::string::npos) continue;
    storage_cfg.insert(end, ",rootdir");
  }
  return storage_cfg;
}

// The captures with two NICs name a second bridge their clusters had: pve-01 gets it too (the export
// declares each node's bridges, and a guest's bridge must be one of them).
void AddTheCapturesSecondBridge(PvesimClient& sim) {
  ASSERT_EQ(sim.Post("/nodes/pve-01/network", {{"iface", "vmbr1"}, {"type", "bridge"}, {"autostart", "1"}}).status, 200);
  ASSERT_EQ(sim.Put("/nodes/pve-01/network").status, 200);
}

struct FixturesExport {
  int exit_code = -1;
  std::string out, err;
};

FixturesExport ExportFixtures(const E2eCluster& cluster, const Spec& input) {
  FixturesExport e;
  auto session = cli::ClusterSession::Open(input, cluster.Env(), nullptr);
  if (!session) {
    e.err = session.error().message;
    return e;
  }
  std::istringstream in;
  std::ostringstream out, err;
  cli::Console console{in, out, err, false, false, false};
  e.exit_code = cli::RunExport(input, (*session)->kinds(), {}, console);
  e.out = out.str();
  e.err = err.str();
  return e;
}

TEST(ExportFixturesE2e, RealGuestConfigsExportToASpecThatValidatesAndPlansToNoChanges) {
  if (!std::filesystem::exists(FixturesDir() + "cfg-storage-pve9.cfg")) {
    GTEST_SKIP() << "shared fixtures not found (HAINFRA_SHARED_DIR)";
  }
  E2E_START_OR_SKIP(cluster);
  PvesimClient sim = cluster->Client();

  std::map<std::string, std::string> guests;  // /etc/pve path -> config text
  int vmid = 101;
  for (const char* name : {"api-nodes-node-qemu-vmid-config-101.json", "api-nodes-node-qemu-vmid-config-102.json",
                           "api-nodes-node-qemu-vmid-config-103.json"}) {
    guests["nodes/pve-01/qemu-server/" + std::to_string(vmid++) + ".conf"] =
        FixtureUnicastMacs(FixtureQemuConfText(Value::parse(ReadFixtureText(FixturesDir() + name))));
  }
  ASSERT_NO_FATAL_FAILURE(AddTheCapturesSecondBridge(sim));
  // The real storage.cfg, plus a directory storage for each other storage the configs name (they come from
  // other clusters).
  std::string storage_cfg = ReadFixtureText(FixturesDir() + "cfg-storage-pve9.cfg");
  std::set<std::string> storages;
  for (const auto& [path, text] : guests) CollectFixtureStorages(text, storages);
  for (const std::string& id : storages) {
    if (storage_cfg.find(": " + id + "\n") != std::string::npos) continue;
    storage_cfg += "\ndir: " + id + "\n\tpath /srv/" + id + "\n\tcontent images,rootdir\n";
  }
  ApiResult put = sim.Control("PUT", "/files/storage.cfg", {{"content", storage_cfg}});
  ASSERT_EQ(put.status, 200) << put.body.dump();
  for (const auto& [path, text] : guests) {
    put = sim.Control("PUT", "/files/" + path, {{"content", text}});
    ASSERT_EQ(put.status, 200) << path << ": " << put.body.dump();
  }

  auto input = cluster->Load(kFixturesInputSpec);
  ASSERT_TRUE(input) << input.error().message;
  FixturesExport e = ExportFixtures(*cluster, *input);
  ASSERT_EQ(e.exit_code, 0) << e.err << e.out;
  for (int id : {101, 102, 103}) {
    EXPECT_NE(e.out.find("vmid: " + std::to_string(id) + "\n"), std::string::npos) << id << "\n" << e.out;
  }

  auto exported = cluster->Load(e.out, "export.yaml");
  ASSERT_TRUE(exported) << exported.error().message << e.out;
  Result<Plan> plan = cluster->MakePlan(*exported);
  ASSERT_TRUE(plan) << plan.error().message;
  std::string steps;
  for (const auto& step : plan->steps) steps += step.change.address.ToString() + " ";
  EXPECT_TRUE(plan->steps.empty()) << steps << "\n" << e.out;
  EXPECT_FALSE(HasErrors(plan->diagnostics));
}

TEST(ExportFixturesE2e, RealContainerConfigsExportToASpecThatValidatesAndPlansToNoChanges) {
  if (!std::filesystem::exists(FixturesDir() + "cfg-lxc-docs-example.conf")) {
    GTEST_SKIP() << "shared fixtures not found (HAINFRA_SHARED_DIR)";
  }
  E2E_START_OR_SKIP(cluster);
  PvesimClient sim = cluster->Client();

  std::vector<std::string> captures;
  for (const auto& entry : std::filesystem::directory_iterator(FixturesDir())) {
    const std::string name = entry.path().filename().string();
    if (name.starts_with("cfg-lxc-") && name.ends_with(".conf")) captures.push_back(name);
  }
  std::sort(captures.begin(), captures.end());
  ASSERT_GE(captures.size(), 10u);
  std::map<std::string, std::string> guests;  // /etc/pve path -> config text
  std::vector<int> vmids;  // the containers' (a template is no container a spec declares: not exported)
  int vmid = 201;
  for (const std::string& name : captures) {
    if (name != "cfg-lxc-template.conf") vmids.push_back(vmid);
    guests["nodes/pve-01/lxc/" + std::to_string(vmid++) + ".conf"] = FixtureOwnMacs(ReadFixtureText(FixturesDir() + name));
  }
  const Value api = Value::parse(ReadFixtureText(FixturesDir() + "api-nodes-node-lxc-vmid-config.json"));
  vmids.push_back(vmid);
  guests["nodes/pve-01/lxc/" + std::to_string(vmid) + ".conf"] = FixtureOwnMacs(FixtureLxcConfText(api["data"]));

  ASSERT_NO_FATAL_FAILURE(AddTheCapturesSecondBridge(sim));
  ApiResult put = sim.Control("PUT", "/files/storage.cfg", {{"content", FixtureStorageCfgFor(guests)}});
  ASSERT_EQ(put.status, 200) << put.body.dump();
  for (const auto& [path, text] : guests) {
    put = sim.Control("PUT", "/files/" + path, {{"content", text}});
    ASSERT_EQ(put.status, 200) << path << ": " << put.body.dump();
  }

  auto input = cluster->Load(kFixturesInputSpec);
  ASSERT_TRUE(input) << input.error().message;
  FixturesExport e = ExportFixtures(*cluster, *input);
  ASSERT_EQ(e.exit_code, 0) << e.err << e.out;
  for (int id : vmids) {
    EXPECT_NE(e.out.find("vmid: " + std::to_string(id) + "\n"), std::string::npos) << id << "\n" << e.out;
  }
  EXPECT_NE(e.out.find("bind: /mnt/foo/bar"), std::string::npos) << e.out;  // kept, as it is

  auto exported = cluster->Load(e.out, "export.yaml");
  ASSERT_TRUE(exported) << exported.error().message << e.out;
  Result<Plan> plan = cluster->MakePlan(*exported);
  ASSERT_TRUE(plan) << plan.error().message;
  std::string steps;
  for (const auto& step : plan->steps) steps += step.change.address.ToString() + " ";
  EXPECT_TRUE(plan->steps.empty()) << steps << "\n" << e.out;
  EXPECT_FALSE(HasErrors(plan->diagnostics));
}

}  // namespace
}  // namespace hainfra::testing
