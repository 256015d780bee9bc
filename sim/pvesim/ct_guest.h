// Containers as pve-container keeps them: the config file nodes/<node>/lxc/<vmid>.conf (qemu-server's line
// format plus raw `lxc.*` keys), mount points (rootfs, mpN) and their volumes, the hot-pluggable options,
// and the lifecycle steps (start, shutdown/stop, restart-mode migration) each under the guest's config lock.
// A vmid is unique across VMs and containers; the guest runtime (running, pid) is shared with qemu guests.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/pvesim/guest_config.h"
#include "sim/pvesim/property_string.h"
#include "sim/pvesim/simulator.h"
#include "sim/pvesim/tasks.h"

namespace pvesim {

struct CtConfig {
  GuestConfig conf;                                       // the key: value lines, [PENDING], snapshots
  std::vector<std::pair<std::string, std::string>> lxc;  // raw lxc.* keys of the current section, in order
};

CtConfig ParseCtConfig(const std::string& raw);
std::string WriteCtConfig(const CtConfig& ct);

// vmid -> node of every container (config files under nodes/*/lxc/).
std::map<int, std::string> CtList(Simulator& sim);
std::string CtConfPath(const std::string& node, int vmid);
// load_config: "Configuration file 'nodes/<node>/lxc/<vmid>.conf' does not exist".
Result<CtConfig> LoadCt(Simulator& sim, const std::string& node, int vmid);
Status SaveCt(Simulator& sim, const std::string& node, int vmid, const CtConfig& ct);

// PVE::Cluster::check_vmid_unused: "VM 100 already exists on node 'x'" / "CT 100 already exists ...".
Status CheckVmidUnused(Simulator& sim, int vmid);
// The guest type holding `vmid` ("qemu", "lxc") or "" when none does.
std::string GuestTypeOf(Simulator& sim, int vmid);

// GET .../config of a container: typed values, pending applied unless `current`, `lxc` raw keys, digest.
nlohmann::json CtConfigJson(const CtConfig& ct, bool current);
nlohmann::json CtTypedValue(const std::string& key, const std::string& value);

// rootfs or mp0..mp255.
bool IsMountKey(const std::string& key);
// A mount point's properties with the volume under "volume" (a path for bind mounts).
PropertyMap ParseMount(const std::string& key, const std::string& value);
std::string PrintMount(const std::string& key, const PropertyMap& mp);
// "volume", "bind" (a host path) or "device" (/dev/...).
std::string MountType(const PropertyMap& mp);
// net0..: name first, then the rest sorted; hwaddr assigned and type=veth added when missing.
std::string NormalizeCtNet(const std::string& value);

// The ostemplate volume: a volid on a storage whose content includes `vztmpl` (or an absolute path, which
// only root@pam may pass). Kept in one place so a real template catalogue can be checked here later.
Status CheckTemplateVolume(Simulator& sim, const std::string& volid, const std::string& node);
// A storage for container volumes on `node` (exists, enabled there, holds `rootdir`).
Status CheckRootdirStorage(Simulator& sim, const std::string& storage, const std::string& node);
// Allocates every mount point of `params` given as "STORAGE:SIZE_GiB" on `node`: the value becomes the new
// volume with its size. Volume names continue after those `ct` already uses.
Status AllocateCtVolumes(Simulator& sim, const std::string& node, int vmid, const CtConfig& ct, ConfigMap& params,
                         const std::function<void(const std::string&)>& log);
// Volumes of the container on storages not shared across nodes.
std::vector<std::string> CtLocalVolumes(Simulator& sim, const ConfigMap& conf);

// vmconfig_apply_pending (stopped) / vmconfig_hotplug_pending (running). Returns the options that stay.
std::vector<std::string> ApplyCtPending(CtConfig& ct, bool running);

// "CT is locked (<lock>)" unless skiplock.
Status CheckCtLock(const GuestConfig& conf, bool skiplock);

Status StartCt(Simulator& sim, TaskContext& ctx, const std::string& node, int vmid, bool skiplock);
Status StopCt(Simulator& sim, TaskContext& ctx, const std::string& node, int vmid, bool skiplock, bool shutdown);
// PVE::LXC::Migrate: offline migration; `restart` shuts a running container down first and starts it on
// the target afterwards.
Status MigrateCt(Simulator& sim, TaskContext& ctx, const std::string& source, const std::string& target, int vmid,
                 bool restart);

// What a container uses, as the list, the status and /cluster/resources report it.
struct CtUsage {
  int cpus = 1;
  uint64_t maxmem = 0, maxswap = 0, maxdisk = 0, mem = 0, disk = 0;
  double cpu = 0;
  int64_t uptime = 0;
  bool running = false;
  uint32_t pid = 0;
};

// Caller holds sim.mu() (reads runtime()).
CtUsage CtUsageOf(Simulator& sim, int vmid, const ConfigMap& conf);
// The hostname, or "CT<vmid>".
std::string CtName(const ConfigMap& conf, int vmid);

}  // namespace pvesim
