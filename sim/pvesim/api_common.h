// Helpers the API handler modules share: quorum checks, the guest registry and config files, directory
// indexes, and simulated resource usage of nodes and guests.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/pvesim/guest_config.h"
#include "sim/pvesim/section_config.h"
#include "sim/pvesim/simulator.h"

namespace pvesim {

using json = nlohmann::json;

int64_t Now();
int64_t NowMs();

// The corosync view of `node`: the cluster's when it is a member, else a standalone node of its own.
ClusterView ClusterViewFor(Simulator& sim, const std::string& node);

// PVE::Cluster::check_cfs_quorum: "cluster not ready - no quorum?".
Status CheckCfsQuorum(Simulator& sim);

// vmid -> node of every qemu guest (from the config files under nodes/*/qemu-server/).
std::map<int, std::string> VmList(Simulator& sim);
std::string GuestConfPath(const std::string& node, int vmid);
// load_config: "Configuration file 'nodes/<node>/qemu-server/<vmid>.conf' does not exist".
Result<GuestConfig> LoadGuest(Simulator& sim, const std::string& node, int vmid);
Status SaveGuest(Simulator& sim, const std::string& node, int vmid, const GuestConfig& conf);

// A directory index: [{"name": a}, {"name": b}, ...] (or another key).
json Index(std::initializer_list<const char*> names, const char* key = "name");

// A section config file read with its digest; a missing file is empty (digest of "").
SectionFile ReadSections(Simulator& sim, const std::string& path, const SectionSchema& schema);
Status WriteSections(Simulator& sim, const std::string& path, const SectionFile& file, const SectionSchema& schema);

// PVE::Tools::assert_if_modified.
Status AssertDigest(const std::optional<std::string>& given, const std::string& current);

// Simulated usage figures.
struct NodeUsage {
  int maxcpu = 16;
  uint64_t maxmem = 0, mem = 0, maxdisk = 0, disk = 0, swap_total = 0;
  double cpu = 0;
  int64_t uptime = 0;
};
NodeUsage NodeUsageOf(Simulator& sim, const std::string& node);

struct GuestUsage {
  int maxcpu = 1;
  uint64_t maxmem = 0, mem = 0, maxdisk = 0;
  double cpu = 0;
  int64_t uptime = 0;
  bool running = false;
  uint32_t pid = 0;
};
// Caller holds sim.mu() (reads runtime()).
GuestUsage GuestUsageOf(Simulator& sim, int vmid, const ConfigMap& conf);

// A random (version 4) UUID, as qemu-server generates for smbios1 and vmgenid.
std::string NewUuid();

// "2048" or "current=2048" -> MiB.
uint64_t MemoryMiB(const std::string& memory);
bool IsDriveKey(const std::string& key);  // ide0, scsi3, virtio1, sata2, efidisk0, tpmstate0

// Pools from user.cfg: pool -> vmids.
std::map<std::string, std::vector<int>> PoolMembers(Simulator& sim);

// Whether priv/acme/plugins.cfg has the ACME plugin `id` ('standalone' always exists): api_acme.cc.
bool AcmePluginExists(Simulator& sim, const std::string& id);

}  // namespace pvesim
