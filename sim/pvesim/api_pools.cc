// /pools: resource pools (pool lines of user.cfg) with their members, as pve-manager's API2::Pool serves them
// (8.4 and 9.1 alike): GET /pools lists them, or with `poolid` answers one with its members; PUT and DELETE
// on the collection take `poolid` (nested pools, `a/b`), the `/pools/{poolid}` forms are the deprecated ones.
// Members are guests (qemu or lxc) and storages; adding a guest that another pool holds needs `allow-move`;
// a member that does not exist is stored but not shown, as pve-access-control does.
#include <set>
#include <sstream>

#include "sim/pvesim/api_common.h"
#include "sim/pvesim/api_routes.h"
#include "sim/pvesim/ct_guest.h"
#include "sim/pvesim/formats.h"
#include "sim/pvesim/guest_membership.h"
#include "sim/pvesim/storage_config.h"

namespace pvesim {

namespace {

struct PoolLine {
  std::string id, comment;
  std::vector<std::string> vms, storage;
};

std::vector<PoolLine> ReadPools(Simulator& sim) {
  std::vector<PoolLine> out;
  std::istringstream in(sim.fs().Read("user.cfg").value_or(""));
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("pool:", 0) != 0) continue;
    std::vector<std::string> f;
    std::string cur;
    for (char ch : line) {
      if (ch == ':') { f.push_back(cur); cur.clear(); } else cur += ch;
    }
    f.push_back(cur);
    f.resize(std::max<size_t>(f.size(), 5));
    out.push_back({f[1], f[2], SplitList(f[3]), SplitList(f[4])});
  }
  return out;
}

// write_user_config: the other lines as they are, then one line per pool (members joined by ',').
Status WritePools(Simulator& sim, const std::vector<PoolLine>& pools) {
  std::istringstream in(sim.fs().Read("user.cfg").value_or(""));
  std::string out;
  for (std::string line; std::getline(in, line);)
    if (line.rfind("pool:", 0) != 0 && !line.empty()) out += line + "\n";
  for (const auto& p : pools) {
    std::string vms, storage;
    for (const auto& v : p.vms) vms += (vms.empty() ? "" : ",") + v;
    for (const auto& s : p.storage) storage += (storage.empty() ? "" : ",") + s;
    out += "pool:" + p.id + ":" + p.comment + ":" + vms + ":" + storage + ":\n";
  }
  return sim.fs().Write("user.cfg", out + "\n");
}

bool PoolHas(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

// read_pool: the members that exist (extract_vm_stats / extract_storage_stats), optionally one type only.
json PoolMembersJson(Call& c, const PoolLine& p, const std::string& type) {
  json members = json::array();
  auto vms = VmList(c.sim);
  auto cts = CtList(c.sim);
  std::vector<std::string> vmids = p.vms;
  std::sort(vmids.begin(), vmids.end());
  for (const auto& v : vmids) {
    int vmid = std::atoi(v.c_str());
    std::string kind, node;
    if (auto it = vms.find(vmid); it != vms.end()) { kind = "qemu"; node = it->second; }
    else if (auto ct = cts.find(vmid); ct != cts.end()) { kind = "lxc"; node = ct->second; }
    else continue;
    if (!type.empty() && type != kind) continue;
    members.push_back({{"id", kind + "/" + v}, {"vmid", vmid}, {"node", node}, {"type", kind}});
  }
  if (!type.empty() && type != "storage") return members;
  SectionFile cfg = ReadSections(c.sim, "storage.cfg", StorageSchema());
  std::vector<std::string> stores = p.storage;
  std::sort(stores.begin(), stores.end());
  for (const auto& s : stores) {
    auto it = std::find_if(cfg.sections.begin(), cfg.sections.end(), [&](const Section& x) { return x.id == s; });
    if (it == cfg.sections.end()) continue;
    std::string node = c.local;  // the local node when the storage is there, else its first node
    if (!StorageEnabledOn(*it, node) && it->values.contains("nodes")) {
      auto nodes = SplitList(ScalarText(it->values["nodes"]));
      std::sort(nodes.begin(), nodes.end());
      if (!nodes.empty()) node = nodes.front();
    }
    members.push_back({{"id", "storage/" + node + "/" + s}, {"storage", s}, {"node", node}, {"type", "storage"},
                       {"plugintype", it->type}, {"status", "available"}, {"shared", StorageIsShared(*it) ? 1 : 0}});
  }
  return members;
}

Result<Reply> CreatePool(Call& c) {
  std::lock_guard<std::mutex> lock(c.sim.mu());
  auto pools = ReadPools(c.sim);
  std::string id = c.params.StrOr("poolid", "");
  auto fail = [](const std::string& m) { return Die("create pool failed: " + m); };
  for (const auto& p : pools)
    if (p.id == id) return fail("pool '" + id + "' already exists");
  std::string leaf = id;
  if (size_t slash = id.rfind('/'); slash != std::string::npos) {
    std::string parent = id.substr(0, slash);
    leaf = id.substr(slash + 1);
    if (std::none_of(pools.begin(), pools.end(), [&](const PoolLine& p) { return p.id == parent; }))
      return fail("parent '" + parent + "' of pool '" + id + "' does not exist");
  }
  if (leaf.empty() || !std::isalpha(static_cast<unsigned char>(leaf[0]))) return fail("pool name must start with a letter");
  pools.push_back({id, c.params.StrOr("comment", ""), {}, {}});
  if (auto st = WritePools(c.sim, pools); !st) return Fail(st.error());
  return Reply(nullptr);
}

Result<Reply> UpdatePool(Call& c) {
  std::lock_guard<std::mutex> lock(c.sim.mu());
  auto pools = ReadPools(c.sim);
  std::string id = c.params.StrOr("poolid", "");
  auto fail = [](const std::string& m) { return Die("update pools failed: " + m); };
  auto it = std::find_if(pools.begin(), pools.end(), [&](const PoolLine& p) { return p.id == id; });
  if (it == pools.end()) return fail("pool '" + id + "' does not exist");
  if (c.params.Has("comment")) it->comment = c.params.StrOr("comment", "");
  const bool remove = c.params.Bool("delete");
  for (const auto& v : SplitList(c.params.StrOr("vms", ""))) {
    if (remove) {
      if (!PoolHas(it->vms, v)) return fail("VM " + v + " is not a pool member");
      std::erase(it->vms, v);
      continue;
    }
    if (PoolHas(it->vms, v)) return fail("VM " + v + " is already a pool member");
    for (auto& other : pools) {
      if (other.id == id || !PoolHas(other.vms, v)) continue;
      if (!c.params.Bool("allow-move"))
        return fail("VM " + v + " belongs already to pool '" + other.id + "' and 'allow-move' is not set");
      std::erase(other.vms, v);
    }
    it->vms.push_back(v);
  }
  for (const auto& s : SplitList(c.params.StrOr("storage", ""))) {
    if (remove) {
      if (!PoolHas(it->storage, s)) return fail("Storage '" + s + "' is not a pool member");
      std::erase(it->storage, s);
      continue;
    }
    if (PoolHas(it->storage, s)) return fail("Storage '" + s + "' is already a pool member");
    it->storage.push_back(s);
  }
  if (auto st = WritePools(c.sim, pools); !st) return Fail(st.error());
  return Reply(nullptr);
}

Result<Reply> DeletePool(Call& c) {
  std::lock_guard<std::mutex> lock(c.sim.mu());
  auto pools = ReadPools(c.sim);
  std::string id = c.params.StrOr("poolid", "");
  auto fail = [](const std::string& m) { return Die("delete pool failed: " + m); };
  auto it = std::find_if(pools.begin(), pools.end(), [&](const PoolLine& p) { return p.id == id; });
  if (it == pools.end()) return fail("pool '" + id + "' does not exist");
  auto vms = VmList(c.sim);
  auto cts = CtList(c.sim);
  std::vector<std::string> vmids = it->vms;
  std::sort(vmids.begin(), vmids.end());
  for (const auto& v : vmids) {  // destroyed guests are ignored
    int vmid = std::atoi(v.c_str());
    if (vms.contains(vmid) || cts.contains(vmid)) return fail("pool '" + id + "' is not empty (contains VM " + v + ")");
  }
  SectionFile cfg = ReadSections(c.sim, "storage.cfg", StorageSchema());
  std::vector<std::string> stores = it->storage;
  std::sort(stores.begin(), stores.end());
  for (const auto& s : stores) {
    if (std::any_of(cfg.sections.begin(), cfg.sections.end(), [&](const Section& x) { return x.id == s; }))
      return fail("pool '" + id + "' is not empty (contains storage '" + s + "')");
  }
  pools.erase(it);
  if (auto st = WritePools(c.sim, pools); !st) return Fail(st.error());
  return Reply(nullptr);
}

json PoolEntry(const PoolLine& p) {
  json o = {{"poolid", p.id}};
  if (!p.comment.empty()) o["comment"] = p.comment;
  return o;
}

}  // namespace

void AddPoolRoutes(RouteTable& t) {
  t.Add("GET", "/pools", kNoFlags, [](Call& c) -> Result<Reply> {
    json out = json::array();
    std::string only = c.params.StrOr("poolid", "");
    auto pools = ReadPools(c.sim);
    std::sort(pools.begin(), pools.end(), [](const PoolLine& a, const PoolLine& b) { return a.id < b.id; });
    for (const auto& p : pools) {
      if (!only.empty() && p.id != only) continue;
      json o = PoolEntry(p);
      if (!only.empty()) o["members"] = PoolMembersJson(c, p, c.params.StrOr("type", ""));
      out.push_back(o);
    }
    if (!only.empty() && out.empty()) return Die("pool '" + only + "' does not exist");
    return Reply(out);
  });
  t.Add("POST", "/pools", kNoFlags, CreatePool);
  t.Add("PUT", "/pools", kNoFlags, UpdatePool);
  t.Add("DELETE", "/pools", kNoFlags, DeletePool);
  // The deprecated forms (no nested pools): the same handlers; GET answers one object without `poolid`.
  t.Add("GET", "/pools/{poolid}", kNoFlags, [](Call& c) -> Result<Reply> {
    for (const auto& p : ReadPools(c.sim)) {
      if (p.id != c.params.StrOr("poolid", "")) continue;
      json o = json::object();
      if (!p.comment.empty()) o["comment"] = p.comment;
      o["members"] = PoolMembersJson(c, p, c.params.StrOr("type", ""));
      return Reply(o);
    }
    return Die("pool '" + c.params.StrOr("poolid", "") + "' does not exist");
  });
  t.Add("PUT", "/pools/{poolid}", kNoFlags, UpdatePool);
  t.Add("DELETE", "/pools/{poolid}", kNoFlags, DeletePool);
}

}  // namespace pvesim
