// Shared pieces of the fault-injection matrix (tests/e2e/fault_matrix_*_test.cc, docs/faults.md): the spec
// head its rows build on, pvesim fault rules that lose an answer after the handler ran, and the inventory
// of what the cluster holds, so a row can say "nothing lost, nothing duplicated".
#pragma once

#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/testing/e2e_cluster.h"
#include "tests/testing/pvesim_client.h"

namespace hainfra::testing {

// `cluster:`, pvesim's three nodes and its `local` and `local-lvm` storages (then `more_storage` entries,
// each a "  - { ... }" line).
std::string FaultSpecHead(const std::string& more_storage = "");

// The `vms:` section declaring the world's guests 101 (pve-01) and 102 (pve-02) as GuestWorld makes them.
std::string FaultGuestsYaml();

// Downloads the Debian container template to `node`'s `local` storage (fails the test when it cannot).
void DownloadFaultCtTemplate(E2eCluster& cluster, const std::string& node);

// Adds a pvesim rule: the next `method` request whose path matches `path_regex` is handled, then its
// connection is dropped without an answer. Returns the rule's id (fails the test when refused).
std::string LoseNextAnswer(PvesimClient& client, const std::string& method, const std::string& path_regex);

// Adds any pvesim fault rule (the control API's JSON); returns its id (fails the test when refused).
std::string AddFaultRule(PvesimClient& client, const nlohmann::json& rule);

// True when a rule added with "count": 1 has been used up.
bool FaultRuleFired(PvesimClient& client, const std::string& id);

// What the cluster holds, one entry per object: "guest/<vmid>", "storage/<id>", "backup_job/<id>",
// "ha_resource/<sid>", "ha_rule/<rule>", "vlan/<vnet>", "ceph_pool/<name>" (Ceph when present),
// "node/<name>", and on pve-01: "iface/pve-01/<iface>", "apt/pve-01/<handle>" (each standard repository
// configured, enabled or not; "apt/pve-01/DUPLICATE <uri> <suite> <component>" when one is configured
// twice), "image/pve-01/<volid>" (ISO images, templates and import sources on `local`).
std::set<std::string> FaultInventory(PvesimClient& client);

// "HANDLE=STATUS ..." of `handles` as NODE's standard repositories report them (1 enabled, 0 disabled,
// - not configured), in the order given.
std::string FaultAptStatus(PvesimClient client, const std::string& node, const std::vector<std::string>& handles);

// Guest vmids as /cluster/resources lists them, duplicates kept (a duplicate would be a bug).
std::multiset<int> FaultGuestIds(PvesimClient& client);

}  // namespace hainfra::testing
