// POST /nodes/{node}/qemu/{vmid}/clone and /template: qemu-server's clone_vm (full copies, or linked clones
// of a template's base volumes; a `qmclone` task; the new guest holds "lock: clone" until done, and a
// source that is not a template too) and template_vm (a `qmtemplate` task renaming vm-* volumes to base-*).
#include <regex>

#include "sim/pvesim/api_common.h"
#include "sim/pvesim/api_routes.h"
#include "sim/pvesim/formats.h"
#include "sim/pvesim/guest_membership.h"
#include "sim/pvesim/qemu_disks.h"
#include "sim/pvesim/qemu_net.h"
#include "sim/pvesim/qemu_ops.h"
#include "sim/pvesim/storage_config.h"

namespace pvesim {

namespace {

bool IsTemplate(const GuestConfig& conf) {
  auto it = conf.main.find("template");
  return it != conf.main.end() && it->second == "1";
}

std::string Hidden(const std::string& type) {
  return type == "dir" || type == "nfs" || type == "cifs" || type == "btrfs" || type == "cephfs" || type == "glusterfs"
             ? "file"
             : "block";
}

struct CloneRequest {
  std::string node, target;
  int vmid = 0, newid = 0;
  bool full = false;
  std::optional<std::string> storage, format, name, description, pool;
};

// The drives of the source that are volumes (not CD-ROMs), in qemu-server's drive order.
std::vector<std::string> VolumeDrives(const GuestConfig& conf) {
  std::vector<std::string> out;
  for (const auto& key : DriveKeys()) {
    auto it = conf.main.find(key);
    if (it == conf.main.end()) continue;
    PropertyMap d = ParseDrive(it->second);
    if (DriveIsCdrom(d) && d["file"].find("cloudinit") == std::string::npos) continue;
    out.push_back(key);
  }
  return out;
}

// The new guest's config: the source's without template/lock/unused, with new MACs, smbios1 uuid and
// vmgenid; disks as "STORAGE:SIZE" for AllocateNewDisks (full) or linked volumes.
Result<ConfigMap> CloneConfig(Simulator& sim, const CloneRequest& r, const GuestConfig& src, TaskContext& ctx) {
  SectionFile cfg = ReadSections(sim, "storage.cfg", StorageSchema());
  ConfigMap out;
  for (const auto& [k, v] : src.main) {
    if (k == "template" || k == "lock" || k == "parent" || k.rfind("unused", 0) == 0 || k == "meta") continue;
    out[k] = v;
  }
  for (auto& [k, v] : out) {
    if (k.rfind("net", 0) == 0 && k.size() > 3 && std::isdigit(static_cast<unsigned char>(k[3]))) {
      PropertyMap net = ParseNet(v);
      net.erase("macaddr");
      std::string model = net["model"];
      net.erase("model");
      std::string text = "model=" + model;
      for (const auto& [nk, nv] : net) text += "," + nk + "=" + nv;
      v = NormalizeNet(text);
    }
  }
  out["smbios1"] = "uuid=" + NewUuid();
  if (out.contains("vmgenid")) out["vmgenid"] = NewUuid();
  out["name"] = r.name.value_or("Copy-of-VM-" + (src.main.contains("name") ? src.main.at("name") : std::to_string(r.vmid)));
  if (r.description) out["description"] = *r.description;
  std::map<std::string, int> linked_numbers;
  for (const auto& key : VolumeDrives(src)) {
    PropertyMap d = ParseDrive(src.main.at(key));
    std::string file = d["file"], storage = file.substr(0, file.find(':'));
    if (file.find("cloudinit") != std::string::npos) {
      out[key] = (r.storage.value_or(storage)) + ":cloudinit,media=cdrom";
      continue;
    }
    uint64_t bytes = d.contains("size") ? ParseSize(d["size"]).value_or(0) : 0;
    if (r.full) {
      std::string dest = r.storage.value_or(storage);
      ctx.Log("create full clone of drive " + key + " (" + file + ")");
      ctx.Log("transferred 0.0 B of " + FormatSize(bytes) + " (0.00%)");
      ctx.Log("transferred " + FormatSize(bytes) + " of " + FormatSize(bytes) + " (100.00%)");
      PropertyMap nd = d;
      nd["file"] = dest + ":" + std::to_string(static_cast<double>(bytes) / static_cast<double>(1ull << 30));
      nd.erase("size");
      if (r.format) nd["format"] = *r.format;
      else if (file.ends_with(".qcow2")) nd["format"] = "qcow2";
      out[key] = PrintDrive(nd);
      continue;
    }
    ctx.Log("create linked clone of drive " + key + " (" + file + ")");
    const Section* s = cfg.Find(storage);
    std::string volname = file.substr(file.find(':') + 1);
    int n = linked_numbers[storage]++;
    std::string name = "vm-" + std::to_string(r.newid) + "-disk-" + std::to_string(n);
    PropertyMap nd = d;
    if (s && Hidden(s->type) == "file") {
      std::string ext = volname.substr(volname.rfind('.'));
      nd["file"] = storage + ":" + volname + "/" + std::to_string(r.newid) + "/" + name + ext;
    } else if (s && s->type == "lvmthin") {
      nd["file"] = storage + ":" + name;
    } else {
      nd["file"] = storage + ":" + volname + "/" + name;
    }
    out[key] = PrintDrive(nd);
  }
  if (auto st = AllocateNewDisks(sim, r.target, r.newid, GuestConfig{}, out, std::nullopt); !st) return Fail(st.error());
  return out;
}

Result<Reply> Clone(Call& c) {
  CloneRequest r;
  r.node = c.node;
  r.vmid = static_cast<int>(c.params.Int("vmid").value_or(0));
  r.newid = static_cast<int>(c.params.Int("newid").value_or(0));
  r.target = c.params.StrOr("target", c.node);
  r.storage = c.params.Str("storage");
  r.format = c.params.Str("format");
  r.name = c.params.Str("name");
  r.description = c.params.Str("description");
  r.pool = c.params.Str("pool");
  if (c.params.Has("snapname")) return Die("pvesim: cloning from a snapshot is not simulated");
  if (auto st = CheckCfsQuorum(c.sim); !st) return Fail(st.error());
  auto src = LoadGuest(c.sim, c.node, r.vmid);
  if (!src) return Fail(src.error());
  const bool is_template = IsTemplate(*src);
  r.full = c.params.Has("full") ? c.params.Bool("full") : !is_template;
  if (r.storage && !r.full) return Die("parameter 'storage' not allowed for linked clones");
  if (r.format && !r.full) return Die("parameter 'format' not allowed for linked clones");
  if (r.pool && !PoolMembers(c.sim).contains(*r.pool)) return Die("pool '" + *r.pool + "' does not exist");
  if (auto st = CheckGuestLock(*src, false); !st) return Fail(st.error());
  if (r.target != c.node && !c.sim.facts().Online(r.target)) return Die("Node '" + r.target + "' is not online");
  SectionFile cfg = ReadSections(c.sim, "storage.cfg", StorageSchema());
  for (const auto& key : VolumeDrives(*src)) {
    PropertyMap d = ParseDrive(src->main.at(key));
    std::string file = d["file"];
    const bool cloudinit = file.find("cloudinit") != std::string::npos;  // re-created, never linked
    if (!r.full && !cloudinit && (!is_template || (file.find(":base-") == std::string::npos && file.find("/base-") == std::string::npos)))
      return Die("Linked clone feature is not supported for drive '" + key + "'");
    const Section* s = cfg.Find(file.substr(0, file.find(':')));
    if (r.target != c.node && !r.storage && s && !StorageIsShared(*s))
      return Die("can't clone VM to node '" + r.target + "' (VM uses local storage)");
  }
  if (r.storage) {
    if (auto st = CheckImageStorage(c.sim, *r.storage, r.target); !st) return Fail(st.error());
  }
  const std::string emsg = "clone failed: ";
  {
    auto guard = c.sim.guest_locks().Acquire(r.newid, std::chrono::seconds(5));
    if (!guard) return Die(emsg + guard.error().message);
    std::lock_guard<std::mutex> lock(c.sim.mu());
    if (VmList(c.sim).contains(r.newid)) return Die("unable to create VM " + std::to_string(r.newid) + ": config file already exists");
    GuestConfig placeholder;
    placeholder.main["lock"] = "clone";
    if (auto st = SaveGuest(c.sim, r.target, r.newid, placeholder); !st) return Die(emsg + st.error().message);
  }
  if (!is_template) {
    auto guard = c.sim.guest_locks().Acquire(r.vmid, std::chrono::seconds(5));
    if (!guard) return Die(emsg + guard.error().message);
    auto fresh = LoadGuest(c.sim, c.node, r.vmid);
    if (!fresh) return Fail(fresh.error());
    fresh->main["lock"] = "clone";
    if (auto st = SaveGuest(c.sim, c.node, r.vmid, *fresh); !st) return Fail(st.error());
  }
  Simulator& sim = c.sim;
  std::string upid = sim.tasks().Start(c.node, "qmclone", std::to_string(r.vmid), c.caller.Userid(),
                                       [&sim, r, is_template](TaskContext& ctx) -> Status {
    auto unlock_source = [&] {
      if (is_template) return;
      auto guard = sim.guest_locks().Acquire(r.vmid);
      if (!guard) return;
      auto conf = LoadGuest(sim, r.node, r.vmid);
      if (!conf) return;
      conf->main.erase("lock");
      (void)SaveGuest(sim, r.node, r.vmid, *conf);
    };
    auto fail = [&](const ApiError& e) -> Status {
      (void)sim.fs().Remove(GuestConfPath(r.target, r.newid));
      unlock_source();
      return Die("clone failed: " + e.message);
    };
    auto source = LoadGuest(sim, r.node, r.vmid);
    if (!source) return fail(source.error());
    if (auto st = ctx.Work(); !st) return fail(st.error());
    auto copied = CloneConfig(sim, r, *source, ctx);
    if (!copied) return fail(copied.error());
    {
      auto guard = sim.guest_locks().Acquire(r.newid);
      if (!guard) return fail(guard.error());
      GuestConfig fresh;
      fresh.main = *copied;
      fresh.main["meta"] = "creation-qemu=" + std::string(sim.pve() == 9 ? "10.1.2" : "9.2.0") + ",ctime=" + std::to_string(Now());
      if (auto st = SaveGuest(sim, r.target, r.newid, fresh); !st) return fail(st.error());
    }
    if (r.pool) {
      if (auto st = AddToPool(sim, *r.pool, r.newid); !st) return fail(st.error());
    }
    unlock_source();
    return Ok();
  });
  return Reply(upid);
}

// template_create: every volume renamed vm-<id>-disk-N -> base-<id>-disk-N (or only `disk`).
Result<Reply> MakeTemplate(Call& c) {
  int vmid = static_cast<int>(c.params.Int("vmid").value_or(0));
  std::optional<std::string> only = c.params.Str("disk");
  auto conf = LoadGuest(c.sim, c.node, vmid);
  if (!conf) return Fail(conf.error());
  if (auto st = CheckGuestLock(*conf, false); !st) return Fail(st.error());
  if (!conf->snapshots.empty()) return Die("unable to create template, because VM contains snapshots");
  if (IsTemplate(*conf) && !only) return Die("you can't convert a template to a template");
  if (GuestRunning(c.sim, vmid)) return Die("you can't convert a VM to template if VM is running");
  Simulator& sim = c.sim;
  std::string node = c.node;
  std::string upid = sim.tasks().Start(node, "qmtemplate", std::to_string(vmid), c.caller.Userid(),
                                       [&sim, node, vmid, only](TaskContext& ctx) -> Status {
    auto guard = sim.guest_locks().Acquire(vmid);
    if (!guard) return Fail(guard.error());
    if (auto st = ctx.Work(); !st) return st;
    auto current = LoadGuest(sim, node, vmid);
    if (!current) return Fail(current.error());
    if (GuestRunning(sim, vmid)) return Die("you can't convert a VM to template if VM is running");
    const std::regex vm_disk("(^|/)vm-" + std::to_string(vmid) + "-disk-");
    for (const auto& key : DriveKeys()) {
      if (only && key != *only) continue;
      auto it = current->main.find(key);
      if (it == current->main.end()) continue;
      PropertyMap d = ParseDrive(it->second);
      if (DriveIsCdrom(d)) continue;
      std::string file = d["file"], volname = file.substr(file.find(':') + 1);
      std::string renamed = std::regex_replace(volname, vm_disk, "$1base-" + std::to_string(vmid) + "-disk-");
      if (renamed == volname) continue;
      ctx.Log("  Renamed \"" + volname + "\" to \"" + renamed + "\"");
      d["file"] = file.substr(0, file.find(':') + 1) + renamed;
      it->second = PrintDrive(d);
    }
    current->main["template"] = "1";
    return SaveGuest(sim, node, vmid, *current);
  });
  return Reply(upid);
}

}  // namespace

void AddQemuCloneRoutes(RouteTable& t) {
  t.Add("POST", "/nodes/{node}/qemu/{vmid}/clone", kProxyNode, Clone);
  t.Add("POST", "/nodes/{node}/qemu/{vmid}/template", kProxyNode, MakeTemplate);
}

}  // namespace pvesim
