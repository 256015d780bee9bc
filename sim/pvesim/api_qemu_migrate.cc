// /nodes/{node}/qemu/{vmid}/migrate: preconditions (GET) and migration (POST: qmigrate, or hamigrate for
// HA-managed guests), as qemu-server's API2::Qemu does them.
#include "sim/pvesim/api_common.h"
#include "sim/pvesim/api_routes.h"
#include "sim/pvesim/ha_config.h"
#include "sim/pvesim/qemu_disks.h"
#include "sim/pvesim/qemu_ops.h"

namespace pvesim {

namespace {

Result<Reply> Preconditions(Call& c) {
  int vmid = static_cast<int>(c.params.Int("vmid").value_or(0));
  auto conf = LoadGuest(c.sim, c.node, vmid);
  if (!conf) return Fail(conf.error());
  auto local = LocalDiskVolumes(c.sim, conf->main);
  json allowed = json::array(), not_allowed = json::object(), local_disks = json::array();
  for (const auto& vol : local) {
    std::string key;
    for (const auto& [k, v] : conf->main)
      if (ParseDrive(v)["file"] == vol) key = k;
    local_disks.push_back({{"volid", vol}, {"drivename", key}, {"size", 34359738368LL}, {"is_unused", key.rfind("unused", 0) == 0 ? 1 : 0},
                           {"is_attached", key.rfind("unused", 0) == 0 ? 0 : 1}, {"replicated", 0}, {"cdrom", 0},
                           {"is_vmstate", 0}, {"is_tpmstate", key == "tpmstate0" ? 1 : 0}});
  }
  for (const auto& m : c.sim.facts().Cluster().members) {
    if (m.name == c.node) continue;
    std::vector<std::string> unavailable;
    for (const auto& vol : local) {
      std::string storage = vol.substr(0, vol.find(':'));
      if (!CheckImageStorage(c.sim, storage, m.name)) unavailable.push_back(storage);
    }
    if (unavailable.empty()) {
      allowed.push_back(m.name);
    } else {
      not_allowed[m.name] = {{"unavailable_storages", unavailable}};
    }
  }
  json res = {{"running", GuestRunning(c.sim, vmid) ? 1 : 0}, {"allowed_nodes", allowed}, {"not_allowed_nodes", not_allowed},
              {"local_disks", local_disks}, {"local_resources", json::array()}, {"mapped-resources", json::array()},
              {"mapped-resource-info", json::object()}};
  if (c.sim.pve() == 9) {
    res["dependent-ha-resources"] = json::array();
    res["has-dbus-vmstate"] = 0;
  }
  return Reply(res);
}

Result<Reply> Migrate(Call& c) {
  int vmid = static_cast<int>(c.params.Int("vmid").value_or(0));
  std::string target = c.params.StrOr("target", "");
  if (target == c.node) return ParamError("target", "target is local node.");
  if (auto st = CheckCfsQuorum(c.sim); !st) return Fail(st.error());
  bool member = false;
  for (const auto& m : c.sim.facts().Cluster().members) member |= m.name == target;
  if (!member) return Die("no such cluster node '" + target + "'");
  for (const char* root : {"force", "migration_type", "migration_network"}) {
    if (c.params.Has(root) && c.caller.Userid() != "root@pam") return ParamError(root, "Only root may use this option.");
  }
  auto conf = LoadGuest(c.sim, c.node, vmid);
  if (!conf) return Fail(conf.error());
  bool online = c.params.Bool("online");
  std::string warning;
  if (GuestRunning(c.sim, vmid)) {
    if (!online) return Die("can't migrate running VM without --online");
  } else if (online) {
    warning = "VM isn't running. Doing offline migration instead.";
    online = false;
  }
  Simulator& sim = c.sim;
  std::string node = c.node;
  if (VmIsHaManaged(sim, vmid)) {
    std::string upid = sim.tasks().Start(node, "hamigrate", std::to_string(vmid), c.caller.Userid(), [&sim, vmid, target](TaskContext& ctx) -> Status {
      ctx.Log("Requesting HA migration for VM " + std::to_string(vmid) + " to node " + target);
      std::lock_guard<std::mutex> lock(sim.mu());
      sim.runtime().ha.services["vm:" + std::to_string(vmid)].state = "migrate";
      sim.runtime().ha.migrate_targets["vm:" + std::to_string(vmid)] = target;
      sim.MarkDirty();
      return Ok();
    });
    return Reply(upid);
  }
  bool with_local = c.params.Bool("with-local-disks");
  std::string upid = sim.tasks().Start(node, "qmigrate", std::to_string(vmid), c.caller.Userid(),
                                       [&sim, node, target, vmid, online, with_local, warning](TaskContext& ctx) {
                                         if (!warning.empty()) ctx.Log(warning);
                                         return MigrateGuest(sim, ctx, node, target, vmid, online, with_local);
                                       });
  return Reply(upid);
}

}  // namespace

void AddQemuMigrateRoutes(RouteTable& t) {
  t.Add("GET", "/nodes/{node}/qemu/{vmid}/migrate", kProxyNode, Preconditions);
  t.Add("POST", "/nodes/{node}/qemu/{vmid}/migrate", kProxyNode, Migrate);
}

}  // namespace pvesim
