#include "tests/testing/fault_matrix.h"

#include <gtest/gtest.h>

#include <map>

namespace hainfra::testing {

std::string FaultSpecHead(const std::string& more_storage) {
  return R"(
cluster:
  name: pvesim
  api: { endpoint: https://10.0.0.11:8006, token: hainfra@pve!ci, secret: "${env:HAINFRA_TEST_SECRET_NEVER_SET}" }
nodes:
  - { name: pve-01, address: 10.10.0.11 }
  - { name: pve-02, address: 10.10.0.12 }
  - { name: pve-03, address: 10.10.0.13 }
storage:
  - { id: local, type: dir, path: /var/lib/vz, content: [iso, vztmpl, backup, import] }
  - { id: local-lvm, type: lvmthin, vgname: pve, thinpool: data, content: [images, rootdir] }
)" + more_storage;
}

std::string FaultGuestsYaml() {
  return "vms:\n"
         "  - { vmid: 101, name: guest101, node: pve-01, cores: 1, memory: 512 }\n"
         "  - { vmid: 102, name: guest102, node: pve-02, cores: 1, memory: 512 }\n";
}

void DownloadFaultCtTemplate(E2eCluster& cluster, const std::string& node) {
  ApiResult r = cluster.Client().Post("/nodes/" + node + "/aplinfo",
                                      {{"storage", "local"}, {"template", "debian-12-standard_12.7-1_amd64.tar.zst"}});
  ASSERT_EQ(r.status, 200) << r.raw;
  ASSERT_EQ(cluster.Client().WaitTask(r.data()), "OK");
}

std::string AddFaultRule(PvesimClient& client, const nlohmann::json& rule) {
  ApiResult added = client.Control("POST", "/faults/rules", rule);
  EXPECT_EQ(added.status, 200) << added.raw;
  const nlohmann::json data = added.data();
  return data.is_object() ? data.value("id", "") : "";
}

std::string LoseNextAnswer(PvesimClient& client, const std::string& method, const std::string& path_regex) {
  return AddFaultRule(client, {{"method", method}, {"path", path_regex}, {"after", true}, {"drop", true}, {"count", 1}});
}

bool FaultRuleFired(PvesimClient& client, const std::string& id) {
  ApiResult faults = client.Control("GET", "/faults");
  for (const auto& rule : faults.data().value("rules", nlohmann::json::array())) {
    if (rule.value("id", "") == id) return rule.value("count", -1) == 0;
  }
  return false;
}

namespace {

void FaultAddAll(PvesimClient& client, const std::string& path, const std::string& key, const std::string& prefix,
                 std::set<std::string>& out) {
  ApiResult r = client.Get(path);
  if (r.status != 200 || !r.data().is_array()) return;
  for (const auto& item : r.data()) {
    if (!item.contains(key)) continue;
    const auto& v = item[key];
    out.insert(prefix + (v.is_string() ? v.get<std::string>() : v.dump()));
  }
}

}  // namespace

std::multiset<int> FaultGuestIds(PvesimClient& client) {
  std::multiset<int> ids;
  ApiResult r = client.Get("/cluster/resources", {{"type", "vm"}});
  if (r.status != 200) return ids;
  for (const auto& e : r.data()) ids.insert(e.value("vmid", 0));
  return ids;
}

std::set<std::string> FaultInventory(PvesimClient& client) {
  std::set<std::string> out;
  for (int vmid : FaultGuestIds(client)) out.insert("guest/" + std::to_string(vmid));
  FaultAddAll(client, "/storage", "storage", "storage/", out);
  FaultAddAll(client, "/cluster/backup", "id", "backup_job/", out);
  FaultAddAll(client, "/cluster/ha/resources", "sid", "ha_resource/", out);
  FaultAddAll(client, "/cluster/ha/rules", "rule", "ha_rule/", out);
  FaultAddAll(client, "/cluster/sdn/vnets", "vnet", "vlan/", out);
  FaultAddAll(client, "/nodes/pve-01/ceph/pool", "pool_name", "ceph_pool/", out);
  FaultAddAll(client, "/cluster/config/nodes", "node", "node/", out);
  FaultAddAll(client, "/nodes/pve-01/network", "iface", "iface/pve-01/", out);
  ApiResult content = client.Get("/nodes/pve-01/storage/local/content");
  if (content.status == 200 && content.data().is_array()) {
    for (const auto& item : content.data()) {
      const std::string type = item.value("content", "");
      if (type == "iso" || type == "vztmpl" || type == "import") out.insert("image/pve-01/" + item.value("volid", ""));
    }
  }
  ApiResult apt = client.Get("/nodes/pve-01/apt/repositories");
  if (apt.status == 200 && apt.data().is_object()) {
    for (const auto& repo : apt.data().value("standard-repos", nlohmann::json::array())) {
      if (repo.contains("status")) out.insert("apt/pve-01/" + repo.value("handle", ""));
    }
    std::map<std::string, int> seen;
    for (const auto& file : apt.data().value("files", nlohmann::json::array())) {
      for (const auto& r : file.value("repositories", nlohmann::json::array())) {
        for (const auto& uri : r.value("URIs", nlohmann::json::array())) {
          for (const auto& suite : r.value("Suites", nlohmann::json::array())) {
            for (const auto& component : r.value("Components", nlohmann::json::array())) {
              const std::string key = uri.dump() + " " + suite.dump() + " " + component.dump();
              if (++seen[key] == 2) out.insert("apt/pve-01/DUPLICATE " + key);
            }
          }
        }
      }
    }
  }
  return out;
}

std::string FaultAptStatus(PvesimClient client, const std::string& node, const std::vector<std::string>& handles) {
  ApiResult apt = client.Get("/nodes/" + node + "/apt/repositories");
  std::string out;
  for (const std::string& handle : handles) {
    std::string status = "-";
    if (apt.status == 200 && apt.data().is_object()) {
      for (const auto& repo : apt.data().value("standard-repos", nlohmann::json::array())) {
        if (repo.value("handle", "") == handle && repo.contains("status")) status = repo["status"].dump();
      }
    }
    out += (out.empty() ? "" : " ") + handle + "=" + status;
  }
  return out;
}

}  // namespace hainfra::testing
