// /nodes/{node}/qemu/{vmid}/config (GET, POST = async qmconfig task, PUT = sync) and .../pending:
// qemu-server's update_vm_api with digest checks, guest locks, delete/revert, pending changes and hotplug.
#include <regex>
#include <set>
#include <thread>

#include "sim/pvesim/api_common.h"
#include "sim/pvesim/api_routes.h"
#include "sim/pvesim/formats.h"
#include "sim/pvesim/qemu_disks.h"
#include "sim/pvesim/qemu_net.h"
#include "sim/pvesim/qemu_ops.h"
#include "sim/pvesim/schema_validator.h"

namespace pvesim {

namespace {

bool OptionExists(Simulator& sim, const std::string& key) {
  static const std::set<std::string> kControl = {"node", "vmid", "digest", "delete", "revert", "skiplock", "force",
                                                 "background_delay", "skip_cloud_init", "import-working-storage"};
  if (kControl.contains(key)) return false;
  if (const ApiSchema* schema = sim.schema()) {
    const json* info = schema->Info("PUT", "/nodes/{node}/qemu/{vmid}/config");
    if (info && info->contains("parameters")) return FindProperty((*info)["parameters"]["properties"], key) != nullptr;
  }
  static const std::regex re("^[a-z][a-z0-9_\\-]*$");
  return std::regex_match(key, re);
}

// Everything update_vm_api decides before forking or locking.
struct Update {
  std::string node;
  int vmid = 0;
  std::optional<std::string> digest;
  bool skiplock = false;
  bool force = false;
  std::vector<std::string> deletes;
  std::set<std::string> reverts;
  ConfigMap values;
  std::string log_line;  // "update VM 100: -cores 4 ..."
};

Status EarlyChecks(Simulator& sim, const Update& u, GuestConfig* out) {
  auto conf = LoadGuest(sim, u.node, u.vmid);
  if (!conf) return Fail(conf.error());
  if (u.digest && !u.digest->empty() && *u.digest != conf->digest)
    return Die("checksum mismatch (file change by other user?)");
  if (auto st = CheckGuestLock(*conf, u.skiplock); !st) return st;
  if (u.values.contains("memory") || u.values.contains("balloon")) {
    auto get = [&](const char* k) -> std::string {
      if (u.values.contains(k)) return u.values.at(k);
      if (conf->pending.contains(k)) return conf->pending.at(k);
      return conf->main.contains(k) ? conf->main.at(k) : "";
    };
    uint64_t maxmem = MemoryMiB(get("memory").empty() ? "512" : get("memory"));
    std::string balloon = get("balloon");
    if (!balloon.empty() && std::stoull(balloon) > maxmem)
      return Die("balloon value too large (must be smaller than assigned memory)");
  }
  if (out) *out = std::move(*conf);
  return Ok();
}

// The work under the guest lock ($updatefn): pending changes written, then applied (hotplug when running).
Status RunUpdate(Simulator& sim, const Update& u, const std::function<void(const std::string&)>& log) {
  GuestConfig conf;
  if (auto st = EarlyChecks(sim, u, &conf); !st) return st;
  log(u.log_line);
  std::map<std::string, bool> pending_delete;
  if (conf.pending.contains("delete")) pending_delete = ParsePendingDelete(conf.pending["delete"]);
  std::vector<std::string> deletes = u.deletes;
  for (const auto& opt : u.reverts) {
    if (conf.main.contains(opt) && conf.pending.contains(opt)) conf.pending.erase(opt);
    else if (!conf.main.contains(opt) && conf.pending.contains(opt)) deletes.push_back(opt);
    pending_delete.erase(opt);
  }
  for (const auto& opt : deletes) {
    bool in_main = conf.main.contains(opt), in_pending = conf.pending.contains(opt);
    if (!in_main && !in_pending) {
      log("cannot delete '" + opt + "' - not set in current configuration!");
      continue;
    }
    conf.pending.erase(opt);
    if (opt == "tags" || opt.rfind("unused", 0) == 0) {
      conf.main.erase(opt);  // removed at once, not via pending
      continue;
    }
    if (in_main) pending_delete[opt] = u.force;
  }
  ConfigMap values = u.values;
  if (auto st = AllocateNewDisks(sim, u.node, u.vmid, conf, values, std::nullopt); !st) return st;
  for (const auto& [opt, value] : values) {
    if (conf.pending.contains(opt) && conf.pending[opt] == value) continue;
    if (opt == "boot") {
      PropertyMap boot = SplitLoose(value);
      if (boot.contains("order")) {
        for (const auto& dev : SplitList(boot["order"])) {
          bool exists = conf.main.contains(dev) || conf.pending.contains(dev) || values.contains(dev);
          bool deleted = std::find(deletes.begin(), deletes.end(), dev) != deletes.end();
          if (!exists || deleted) return Die("invalid bootorder: device '" + dev + "' does not exist'");
        }
      }
    }
    conf.pending[opt] = value;
    pending_delete.erase(opt);
  }
  // cleanup_pending: values equal to the current ones and deletions of absent keys vanish.
  for (auto it = conf.pending.begin(); it != conf.pending.end();) {
    if (it->first != "delete" && conf.main.contains(it->first) && conf.main[it->first] == it->second) it = conf.pending.erase(it);
    else ++it;
  }
  std::erase_if(pending_delete, [&](const auto& d) { return !conf.main.contains(d.first); });
  if (pending_delete.empty()) conf.pending.erase("delete"); else conf.pending["delete"] = PrintPendingDelete(pending_delete);
  if (!conf.pending.empty()) ApplyPending(conf, GuestRunning(sim, u.vmid));
  return SaveGuest(sim, u.node, u.vmid, conf);
}

Result<Update> Prepare(Call& c) {
  Update u;
  Params p = c.params;
  u.node = c.node;
  u.vmid = static_cast<int>(p.Int("vmid").value_or(0));
  p.Take("node");
  p.Take("vmid");
  u.digest = p.Take("digest");
  p.Take("background_delay");
  p.Take("skip_cloud_init");
  p.Take("import-working-storage");
  std::string params_text;
  for (const auto& key : p.Keys()) {
    std::string v = key == "cipassword" ? "<hidden>" : p.StrOr(key, "");
    params_text += " -" + key + " " + v;
  }
  u.log_line = "update VM " + std::to_string(u.vmid) + ":" + params_text;
  u.skiplock = p.Bool("skiplock");
  p.Take("skiplock");
  if (u.skiplock && c.caller.Userid() != "root@pam") return ParamError("skiplock", "Only root may use this option.");
  std::string delete_str = p.Take("delete").value_or(""), revert_str = p.Take("revert").value_or("");
  u.force = p.Bool("force");
  p.Take("force");
  for (const auto& key : p.Keys()) u.values[key] = p.StrOr(key, "");
  if (delete_str.empty() && revert_str.empty() && u.values.empty()) return Die("no options specified");
  if (u.values.contains("cdrom")) {
    u.values["ide2"] = u.values["cdrom"] + ",media=cdrom";
    u.values.erase("cdrom");
  }
  for (const auto& opt : SplitList(revert_str)) {
    if (!OptionExists(c.sim, opt)) return ParamError("revert", "unknown option '" + opt + "'");
    if (u.values.contains(opt))
      return ParamError("delete", "you can't use '-" + opt + "' and -revert " + opt + "' at the same time");
    u.reverts.insert(opt);
  }
  for (auto opt : SplitList(delete_str)) {
    if (opt == "cdrom") opt = "ide2";
    if (u.values.contains(opt))
      return ParamError("delete", "you can't use '-" + opt + "' and -delete " + opt + "' at the same time");
    if (u.reverts.contains(opt))
      return ParamError("revert", "you can't use '-delete " + opt + "' and -revert " + opt + "' at the same time");
    if (!OptionExists(c.sim, opt)) return ParamError("delete", "unknown option '" + opt + "'");
    u.deletes.push_back(opt);
  }
  if (auto st = CheckDriveVolumes(c.sim, u.values); !st) return Fail(st.error());
  for (auto& [opt, value] : u.values) {
    if (opt.rfind("net", 0) == 0 && opt.size() > 3 && std::isdigit(static_cast<unsigned char>(opt[3]))) value = NormalizeNet(value);
    if (opt == "vmgenid" && value == "1") value = NewUuid();
  }
  return u;
}

Result<Reply> UpdateSync(Call& c) {
  auto u = Prepare(c);
  if (!u) return Fail(u.error());
  if (auto st = EarlyChecks(c.sim, *u, nullptr); !st) return Fail(st.error());
  auto guard = c.sim.guest_locks().Acquire(u->vmid);
  if (!guard) return Fail(guard.error());
  if (auto st = RunUpdate(c.sim, *u, [](const std::string&) {}); !st) return Fail(st.error());
  return Reply(nullptr);
}

Result<Reply> UpdateAsync(Call& c) {
  auto u = Prepare(c);
  if (!u) return Fail(u.error());
  if (auto st = EarlyChecks(c.sim, *u, nullptr); !st) return Fail(st.error());
  Simulator& sim = c.sim;
  Update update = *u;
  std::string upid = sim.tasks().Start(c.node, "qmconfig", std::to_string(update.vmid), c.caller.Userid(),
                                       [&sim, update](TaskContext& ctx) -> Status {
                                         auto guard = sim.guest_locks().Acquire(update.vmid);
                                         if (!guard) return Fail(guard.error());
                                         if (auto st = ctx.Work(); !st) return st;
                                         return RunUpdate(sim, update, [&ctx](const std::string& l) { ctx.Log(l); });
                                       });
  if (auto delay = c.params.Int("background_delay")) {
    auto end = std::chrono::steady_clock::now() + std::chrono::seconds(*delay);
    while (std::chrono::steady_clock::now() < end) {
      auto rec = sim.tasks().Find(upid);
      if (rec && !rec->running) {
        if (rec->exitstatus == "OK" || rec->exitstatus.rfind("WARNINGS", 0) == 0) return Reply(nullptr);
        return Die("failed to update VM " + std::to_string(update.vmid) + ": " + rec->exitstatus);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }
  return Reply(upid);
}

Result<Reply> GetConfig(Call& c) {
  int vmid = static_cast<int>(c.params.Int("vmid").value_or(0));
  if (c.params.Has("snapshot") && c.params.Bool("current")) {
    return ParamError({{"snapshot", "cannot use 'snapshot' parameter with 'current'"},
                       {"current", "cannot use 'snapshot' parameter with 'current'"}});
  }
  auto conf = LoadGuest(c.sim, c.node, vmid);
  if (!conf) return Fail(conf.error());
  if (auto snap = c.params.Str("snapshot")) {
    auto it = conf->snapshots.find(*snap);
    if (it == conf->snapshots.end()) return Die("snapshot '" + *snap + "' does not exist");
    GuestConfig s;
    s.main = it->second;
    s.digest = conf->digest;
    return Reply(ConfigJson(s, true));
  }
  return Reply(ConfigJson(*conf, c.params.Bool("current")));
}

Result<Reply> GetPending(Call& c) {
  auto conf = LoadGuest(c.sim, c.node, static_cast<int>(c.params.Int("vmid").value_or(0)));
  if (!conf) return Fail(conf.error());
  std::map<std::string, bool> deletes;
  if (conf->pending.contains("delete")) deletes = ParsePendingDelete(conf->pending["delete"]);
  json out = json::array();
  ConfigMap main = conf->main;
  main["digest"] = conf->digest;
  ConfigMap pending = conf->pending;
  pending.erase("delete");
  for (const auto& [key, value] : main) {
    json item = {{"key", key}, {"value", key == "cipassword" ? json("**********") : TypedConfigValue(key, value)}};
    if (pending.contains(key)) {
      item["pending"] = TypedConfigValue(key, pending[key]);
      pending.erase(key);
    }
    if (deletes.contains(key)) {
      item["delete"] = deletes[key] ? 2 : 1;
      deletes.erase(key);
    }
    out.push_back(item);
  }
  for (const auto& [key, value] : pending) out.push_back({{"key", key}, {"pending", TypedConfigValue(key, value)}});
  for (const auto& [key, force] : deletes) out.push_back({{"key", key}, {"delete", force ? 2 : 1}});
  return Reply(out);
}

}  // namespace

void AddQemuConfigRoutes(RouteTable& t) {
  t.Add("GET", "/nodes/{node}/qemu/{vmid}/config", kProxyNode, GetConfig);
  t.Add("POST", "/nodes/{node}/qemu/{vmid}/config", kProxyNode, UpdateAsync);
  t.Add("PUT", "/nodes/{node}/qemu/{vmid}/config", kProxyNode, UpdateSync);
  t.Add("GET", "/nodes/{node}/qemu/{vmid}/pending", kProxyNode, GetPending);
}

}  // namespace pvesim
