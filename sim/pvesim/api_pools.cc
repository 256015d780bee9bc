// /pools: resource pools (pool lines of user.cfg) with their members, as pve-access-control serves them.
#include <sstream>

#include "sim/pvesim/api_common.h"
#include "sim/pvesim/api_routes.h"
#include "sim/pvesim/formats.h"
#include "sim/pvesim/guest_membership.h"

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

json PoolJson(Simulator& sim, const PoolLine& p) {
  json members = json::array();
  auto vms = VmList(sim);
  for (const auto& v : p.vms) {
    int vmid = std::atoi(v.c_str());
    auto it = vms.find(vmid);
    if (it == vms.end()) continue;
    members.push_back({{"id", "qemu/" + v}, {"vmid", vmid}, {"node", it->second}, {"type", "qemu"}});
  }
  for (const auto& s : p.storage) members.push_back({{"id", "storage/" + s}, {"storage", s}, {"type", "storage"}});
  json o = {{"poolid", p.id}, {"members", members}};
  if (!p.comment.empty()) o["comment"] = p.comment;
  return o;
}

}  // namespace

void AddPoolRoutes(RouteTable& t) {
  t.Add("GET", "/pools", kNoFlags, [](Call& c) -> Result<Reply> {
    json out = json::array();
    std::string only = c.params.StrOr("poolid", "");
    for (const auto& p : ReadPools(c.sim)) {
      if (!only.empty() && p.id != only) continue;
      json o = {{"poolid", p.id}};
      if (!p.comment.empty()) o["comment"] = p.comment;
      if (!only.empty()) o["members"] = PoolJson(c.sim, p)["members"];
      out.push_back(o);
    }
    return Reply(out);
  });
  t.Add("POST", "/pools", kNoFlags, [](Call& c) -> Result<Reply> {
    std::lock_guard<std::mutex> lock(c.sim.mu());
    auto pools = ReadPools(c.sim);
    std::string id = c.params.StrOr("poolid", "");
    for (const auto& p : pools)
      if (p.id == id) return Die("create pool failed: pool '" + id + "' already exists");
    pools.push_back({id, c.params.StrOr("comment", ""), {}, {}});
    if (auto st = WritePools(c.sim, pools); !st) return Fail(st.error());
    return Reply(nullptr);
  });
  t.Add("GET", "/pools/{poolid}", kNoFlags, [](Call& c) -> Result<Reply> {
    for (const auto& p : ReadPools(c.sim))
      if (p.id == c.params.StrOr("poolid", "")) return Reply(PoolJson(c.sim, p));
    return Die("pool '" + c.params.StrOr("poolid", "") + "' does not exist");
  });
  t.Add("PUT", "/pools/{poolid}", kNoFlags, [](Call& c) -> Result<Reply> {
    std::lock_guard<std::mutex> lock(c.sim.mu());
    auto pools = ReadPools(c.sim);
    std::string id = c.params.StrOr("poolid", "");
    auto it = std::find_if(pools.begin(), pools.end(), [&](const PoolLine& p) { return p.id == id; });
    if (it == pools.end()) return Die("update pools failed: pool '" + id + "' does not exist");
    if (c.params.Has("comment")) it->comment = c.params.StrOr("comment", "");
    bool remove = c.params.Bool("delete");
    auto vms = VmList(c.sim);
    for (const auto& v : SplitList(c.params.StrOr("vms", ""))) {
      if (remove) { std::erase(it->vms, v); continue; }
      if (!vms.contains(std::atoi(v.c_str()))) return Die("update pools failed: VM " + v + " does not exist");
      for (const auto& p : pools)
        if (p.id != id && std::find(p.vms.begin(), p.vms.end(), v) != p.vms.end() && !c.params.Bool("allow-move"))
          return Die("update pools failed: VM " + v + " belongs already to pool '" + p.id + "'");
      for (auto& p : pools) std::erase(p.vms, v);
      it->vms.push_back(v);
    }
    for (const auto& s : SplitList(c.params.StrOr("storage", ""))) {
      if (remove) std::erase(it->storage, s); else if (std::find(it->storage.begin(), it->storage.end(), s) == it->storage.end()) it->storage.push_back(s);
    }
    if (auto st = WritePools(c.sim, pools); !st) return Fail(st.error());
    return Reply(nullptr);
  });
  t.Add("DELETE", "/pools/{poolid}", kNoFlags, [](Call& c) -> Result<Reply> {
    std::lock_guard<std::mutex> lock(c.sim.mu());
    auto pools = ReadPools(c.sim);
    std::string id = c.params.StrOr("poolid", "");
    auto it = std::find_if(pools.begin(), pools.end(), [&](const PoolLine& p) { return p.id == id; });
    if (it == pools.end()) return Die("delete pool failed: pool '" + id + "' does not exist");
    if (!it->vms.empty() || !it->storage.empty()) return Die("delete pool failed: pool '" + id + "' is not empty");
    pools.erase(it);
    if (auto st = WritePools(c.sim, pools); !st) return Fail(st.error());
    return Reply(nullptr);
  });
  // PVE 8.1+ also takes the pool id as a parameter of the collection.
  t.Alias("PUT", "/pools/{poolid}", "/pools");
  t.Alias("DELETE", "/pools/{poolid}", "/pools");
}

}  // namespace pvesim
