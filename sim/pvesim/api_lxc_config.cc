// /nodes/{node}/lxc/{vmid}/config (GET; PUT is synchronous for containers), .../pending, .../resize (a task,
// grow only) and .../move_volume (a task, stopped containers only), as pve-container's update_pct_config
// does them: digest and lock checks under the config lock, read-only and required options, changes written
// to [PENDING] and applied at once when stopped, hot-plugged when running (memory, swap, cores, cpulimit,
// cpuunits, nets, new mount points and the fast-plug options); the rest stays pending until a restart.
#include <set>

#include "sim/pvesim/api_common.h"
#include "sim/pvesim/api_routes.h"
#include "sim/pvesim/ct_guest.h"
#include "sim/pvesim/formats.h"
#include "sim/pvesim/qemu_disks.h"
#include "sim/pvesim/qemu_ops.h"
#include "sim/pvesim/schema_validator.h"

namespace pvesim {

namespace {

int CtCfgVmid(const Call& c) { return static_cast<int>(c.params.Int("vmid").value_or(0)); }

bool CtOptionExists(Simulator& sim, const std::string& key) {
  static const std::set<std::string> kControl = {"node", "vmid", "digest", "delete", "revert"};
  if (kControl.contains(key)) return false;
  if (const ApiSchema* schema = sim.schema()) {
    const json* info = schema->Info("PUT", "/nodes/{node}/lxc/{vmid}/config");
    if (info && info->contains("parameters")) return FindProperty((*info)["parameters"]["properties"], key) != nullptr;
  }
  return !key.empty() && key.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_-") == std::string::npos;
}

std::string CtProtectionError(const CtConfig& ct, int vmid, const std::string& opt, bool remove) {
  auto it = ct.conf.main.find("protection");
  if (it == ct.conf.main.end() || it->second != "1") return "";
  return std::string("can't ") + (remove ? "remove" : "update") + " CT " + std::to_string(vmid) + " drive '" + opt +
         "' - protection mode enabled";
}

Result<Reply> CtUpdateConfig(Call& c) {
  Params p = c.params;
  const int vmid = CtCfgVmid(c);
  p.Take("node");
  p.Take("vmid");
  auto digest = p.Take("digest");
  const std::string delete_str = p.Take("delete").value_or(""), revert_str = p.Take("revert").value_or("");
  ConfigMap values;
  for (const auto& key : p.Keys()) values[key] = p.StrOr(key, "");
  if (delete_str.empty() && revert_str.empty() && values.empty()) return Die("no options specified");
  std::vector<std::string> deletes;
  std::set<std::string> reverts;
  for (const auto& opt : SplitList(revert_str)) {
    if (!CtOptionExists(c.sim, opt)) return ParamError("revert", "unknown option '" + opt + "'");
    if (values.contains(opt)) return ParamError("revert", "you can't use '-" + opt + "' and '-revert " + opt + "' at the same time");
    reverts.insert(opt);
  }
  for (const auto& opt : SplitList(delete_str)) {
    if (values.contains(opt)) return ParamError("delete", "you can't use '-" + opt + "' and -delete " + opt + "' at the same time");
    if (!CtOptionExists(c.sim, opt)) return ParamError("delete", "unknown option '" + opt + "'");
    if (opt == "memory" || opt == "rootfs") return Die("unable to delete required option '" + opt + "'");
    if (opt == "unprivileged") return Die("unable to delete read-only option: '" + opt + "'");
    deletes.push_back(opt);
  }
  for (auto& [opt, value] : values) {
    if (opt == "unprivileged") return Die("unable to modify read-only option: '" + opt + "'");
    if (IsMountKey(opt)) {
      PropertyMap mp = ParseMount(opt, value);
      if (MountType(mp) != "volume" && c.caller.Userid() != "root@pam")
        return PermissionError("mount point type " + MountType(mp) + " is only allowed for root@pam");
    }
    if (opt.rfind("net", 0) == 0 && opt.size() > 3 && std::isdigit(static_cast<unsigned char>(opt[3]))) value = NormalizeCtNet(value);
  }

  auto guard = c.sim.guest_locks().Acquire(vmid);
  if (!guard) return Fail(guard.error());
  auto ct = LoadCt(c.sim, c.node, vmid);
  if (!ct) return Fail(ct.error());
  if (auto st = AssertDigest(digest, ct->conf.digest); !st) return Fail(st.error());
  if (auto st = CheckCtLock(ct->conf, false); !st) return Fail(st.error());
  GuestConfig& conf = ct->conf;
  std::map<std::string, bool> pending_delete;
  if (conf.pending.contains("delete")) pending_delete = ParsePendingDelete(conf.pending["delete"]);
  for (const auto& opt : reverts) {
    conf.pending.erase(opt);
    pending_delete.erase(opt);
  }
  for (const auto& opt : deletes) {
    if (IsMountKey(opt)) {
      if (auto err = CtProtectionError(*ct, vmid, opt, true); !err.empty()) return Die(err);
    }
    conf.pending.erase(opt);
    if (conf.main.contains(opt)) pending_delete[opt] = false;
  }
  for (const auto& [opt, value] : values) {
    if (IsMountKey(opt)) {
      if (auto err = CtProtectionError(*ct, vmid, opt, false); !err.empty()) return Die(err);
      PropertyMap mp = ParseMount(opt, value);
      std::string vol = mp["volume"];
      auto colon = vol.find(':');
      if (MountType(mp) == "volume" && colon != std::string::npos) {
        if (auto st = CheckRootdirStorage(c.sim, vol.substr(0, colon), c.node); !st) return Fail(st.error());
      }
    }
  }
  if (auto st = AllocateCtVolumes(c.sim, c.node, vmid, *ct, values, nullptr); !st) return Fail(st.error());
  for (const auto& [opt, value] : values) {
    conf.pending[opt] = value;
    pending_delete.erase(opt);
  }
  // cleanup_pending: values equal to the current ones and deletions of absent keys vanish.
  for (auto it = conf.pending.begin(); it != conf.pending.end();) {
    if (it->first != "delete" && conf.main.contains(it->first) && conf.main[it->first] == it->second) it = conf.pending.erase(it);
    else ++it;
  }
  std::erase_if(pending_delete, [&](const auto& d) { return !conf.main.contains(d.first); });
  if (pending_delete.empty()) conf.pending.erase("delete");
  else conf.pending["delete"] = PrintPendingDelete(pending_delete);
  if (!conf.pending.empty()) ApplyCtPending(*ct, GuestRunning(c.sim, vmid));
  if (auto st = SaveCt(c.sim, c.node, vmid, *ct); !st) return Fail(st.error());
  return Reply(nullptr);
}

Result<Reply> CtGetConfig(Call& c) {
  const int vmid = CtCfgVmid(c);
  if (c.params.Has("snapshot") && c.params.Bool("current")) {
    return ParamError({{"snapshot", "cannot use 'snapshot' parameter with 'current'"},
                       {"current", "cannot use 'snapshot' parameter with 'current'"}});
  }
  auto ct = LoadCt(c.sim, c.node, vmid);
  if (!ct) return Fail(ct.error());
  if (auto snap = c.params.Str("snapshot")) {
    auto it = ct->conf.snapshots.find(*snap);
    if (it == ct->conf.snapshots.end()) return Die("snapshot '" + *snap + "' does not exist");
    CtConfig s;
    s.conf.main = it->second;
    s.conf.digest = ct->conf.digest;
    return Reply(CtConfigJson(s, true));
  }
  return Reply(CtConfigJson(*ct, c.params.Bool("current")));
}

Result<Reply> CtGetPending(Call& c) {
  auto ct = LoadCt(c.sim, c.node, CtCfgVmid(c));
  if (!ct) return Fail(ct.error());
  std::map<std::string, bool> deletes;
  if (ct->conf.pending.contains("delete")) deletes = ParsePendingDelete(ct->conf.pending["delete"]);
  json out = json::array();
  ConfigMap main = ct->conf.main, pending = ct->conf.pending;
  main["digest"] = ct->conf.digest;
  pending.erase("delete");
  for (const auto& [key, value] : main) {
    json item = {{"key", key}, {"value", CtTypedValue(key, value)}};
    if (pending.contains(key)) {
      item["pending"] = CtTypedValue(key, pending[key]);
      pending.erase(key);
    }
    if (deletes.contains(key)) {
      item["delete"] = deletes[key] ? 2 : 1;
      deletes.erase(key);
    }
    out.push_back(item);
  }
  for (const auto& [key, value] : pending) out.push_back({{"key", key}, {"pending", CtTypedValue(key, value)}});
  for (const auto& [key, force] : deletes) out.push_back({{"key", key}, {"delete", force ? 2 : 1}});
  return Reply(out);
}

Result<Reply> CtResizeVolume(Call& c) {
  const int vmid = CtCfgVmid(c);
  const std::string disk = c.params.StrOr("disk", ""), size = c.params.StrOr("size", "");
  const auto digest = c.params.Str("digest");
  if (auto ct = LoadCt(c.sim, c.node, vmid); !ct) return Fail(ct.error());
  Simulator& sim = c.sim;
  const std::string node = c.node;
  return Reply(sim.tasks().Start(node, "resize", std::to_string(vmid), c.caller.Userid(), [&sim, node, vmid, disk, size, digest](TaskContext& ctx) -> Status {
    auto guard = sim.guest_locks().Acquire(vmid);
    if (!guard) return Fail(guard.error());
    auto ct = LoadCt(sim, node, vmid);
    if (!ct) return Fail(ct.error());
    if (auto st = AssertDigest(digest, ct->conf.digest); !st) return st;
    if (auto st = CheckCtLock(ct->conf, false); !st) return st;
    auto it = ct->conf.main.find(disk);
    if (it == ct->conf.main.end()) return Die("disk '" + disk + "' does not exist");
    PropertyMap mp = ParseMount(disk, it->second);
    if (MountType(mp) != "volume") return Die("unable to resize mount point of type " + MountType(mp));
    const bool relative = !size.empty() && size[0] == '+';
    auto amount = ParseSize(relative ? size.substr(1) : size);
    if (!amount) return ParamError("size", "unable to parse size '" + size + "'");
    const uint64_t current = mp.contains("size") ? ParseSize(mp["size"]).value_or(0) : 0;
    const uint64_t wanted = relative ? current + *amount : *amount;
    if (wanted < current) return Die("unable to shrink disk size");
    if (wanted == current) return Ok();
    if (auto st = ctx.Work(); !st) return st;
    ctx.Log("  Size of logical volume pve/" + mp["volume"].substr(mp["volume"].find(':') + 1) + " changed from " +
            FormatSize(current) + " to " + FormatSize(wanted) + ".");
    mp["size"] = FormatSize(wanted);
    it->second = PrintMount(disk, mp);
    return SaveCt(sim, node, vmid, *ct);
  }));
}

Result<Reply> CtMoveVolume(Call& c) {
  const int vmid = CtCfgVmid(c);
  const std::string volume = c.params.StrOr("volume", ""), storage = c.params.StrOr("storage", "");
  const bool remove = c.params.Bool("delete");
  const auto digest = c.params.Str("digest");
  if (c.params.Has("target-vmid")) return Die("pvesim: reassigning volumes to another guest is not simulated");
  if (storage.empty()) return ParamError("storage", "property is missing and it is not optional");
  auto existing = LoadCt(c.sim, c.node, vmid);
  if (!existing) return Fail(existing.error());
  if (GuestRunning(c.sim, vmid)) return Die("cannot move volumes of a running container");
  if (!existing->conf.main.contains(volume)) return Die("no such volume '" + volume + "'");
  if (auto st = CheckRootdirStorage(c.sim, storage, c.node); !st) return Fail(st.error());
  Simulator& sim = c.sim;
  const std::string node = c.node;
  return Reply(sim.tasks().Start(node, "move_volume", std::to_string(vmid), c.caller.Userid(), [&sim, node, vmid, volume, storage, remove, digest](TaskContext& ctx) -> Status {
    auto guard = sim.guest_locks().Acquire(vmid);
    if (!guard) return Fail(guard.error());
    auto ct = LoadCt(sim, node, vmid);
    if (!ct) return Fail(ct.error());
    if (auto st = AssertDigest(digest, ct->conf.digest); !st) return st;
    if (auto st = CheckCtLock(ct->conf, false); !st) return st;
    PropertyMap mp = ParseMount(volume, ct->conf.main[volume]);
    if (MountType(mp) != "volume") return Die("cannot move volumes of type " + MountType(mp));
    const std::string old = mp["volume"];
    if (old.rfind(storage + ":", 0) == 0) return Die("volume '" + old + "' already on storage '" + storage + "'");
    const uint64_t bytes = mp.contains("size") ? ParseSize(mp["size"]).value_or(0) : 0;
    ConfigMap fresh = {{volume, storage + ":" + std::to_string(std::max<uint64_t>(1, bytes >> 30))}};
    if (auto st = AllocateCtVolumes(sim, node, vmid, *ct, fresh, [&ctx](const std::string& l) { ctx.Log(l); }); !st) return st;
    if (auto st = ctx.Work(); !st) return st;
    PropertyMap moved = ParseMount(volume, fresh[volume]);
    mp["volume"] = moved["volume"];
    ctx.Log("moving volume '" + old + "' to '" + mp["volume"] + "'");
    ct->conf.main[volume] = PrintMount(volume, mp);
    if (remove) ctx.Log("removing volume '" + old + "'");
    else ct->conf.main[NextUnusedKey(ct->conf.main)] = old;
    return SaveCt(sim, node, vmid, *ct);
  }));
}

}  // namespace

void AddLxcConfigRoutes(RouteTable& t) {
  t.Add("GET", "/nodes/{node}/lxc/{vmid}/config", kProxyNode, CtGetConfig);
  t.Add("PUT", "/nodes/{node}/lxc/{vmid}/config", kProxyNode, CtUpdateConfig);
  t.Add("GET", "/nodes/{node}/lxc/{vmid}/pending", kProxyNode, CtGetPending);
  t.Add("PUT", "/nodes/{node}/lxc/{vmid}/resize", kProxyNode, CtResizeVolume);
  t.Add("POST", "/nodes/{node}/lxc/{vmid}/move_volume", kProxyNode, CtMoveVolume);
}

}  // namespace pvesim
