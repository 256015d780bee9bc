// /cluster/sdn: zones, vnets and subnets edited as pending config, applied with PUT /cluster/sdn
// (reloadnetworkall), and on PVE 9 the global lock (lock token on every change) and rollback — as
// pve-network's API2::Network::SDN does it. Per-node zone status under /nodes/{node}/sdn.
#include <random>

#include "sim/pvesim/api_common.h"
#include "sim/pvesim/api_routes.h"
#include "sim/pvesim/formats.h"
#include "sim/pvesim/sdn_config.h"

namespace pvesim {

namespace {

constexpr const char* kLockFile = "sdn/.lock";

// lock_sdn_config: with a lock held (PVE 9), every change needs its token.
Status CheckLock(Simulator& sim, const Params& p, const std::string& errmsg) {
  if (sim.pve() != 9) return Ok();
  auto lock = sim.fs().Read(kLockFile);
  if (!lock) return Ok();
  auto token = p.Str("lock-token");
  if (!token || *token != *lock)
    return Die(errmsg + ": invalid lock token provided! at /usr/share/perl5/PVE/Network/SDN.pm line 291.");
  return Ok();
}

// Section type of each kind's objects, and the key naming the id in the API.
const char* TypeOf(const std::string& kind) { return kind == "vnets" ? "vnet" : "subnet"; }
const char* IdKey(const std::string& kind) { return kind == "zones" ? "zone" : kind == "vnets" ? "vnet" : "subnet"; }

json ObjectJson(const std::string& kind, const std::string& id, json o, const std::string& digest) {
  o[IdKey(kind)] = id;
  o["digest"] = digest;
  if (kind == "subnets") {
    // parse_section_header's extra attributes: zone, cidr, network, mask from the id.
    auto a = id.find('-'), b = id.rfind('-');
    if (a != std::string::npos && b != a) {
      o["zone"] = id.substr(0, a);
      o["network"] = id.substr(a + 1, b - a - 1);
      o["mask"] = id.substr(b + 1);
      o["cidr"] = o["network"].get<std::string>() + "/" + o["mask"].get<std::string>();
      o["id"] = id;
    }
    json ranges = json::array();
    const json raw_ranges = o.value("dhcp-range", json::array());
    for (const auto& r : raw_ranges) {
      json range = json::object();
      for (const auto& part : SplitList(ScalarText(r))) {
        auto eq = part.find('=');
        if (eq != std::string::npos) range[part.substr(0, eq)] = part.substr(eq + 1);
      }
      ranges.push_back(range);
    }
    o["dhcp-range"] = ranges;
  }
  return o;
}

// The objects of a kind as GET shows them: current config, ?running=1 or ?pending=1.
json Objects(Simulator& sim, const std::string& kind, const Params& p) {
  SectionFile file = ReadSectionsRaw(sim, kind);
  json ids;
  if (p.Bool("pending")) {
    json running = SdnRunningConfig(sim);
    json running_ids = running.contains(kind) ? running[kind].value("ids", json::object()) : json::object();
    ids = SdnPending(running_ids, SdnIds(file)["ids"]);
  } else if (p.Bool("running")) {
    json running = SdnRunningConfig(sim);
    ids = running.contains(kind) ? running[kind].value("ids", json::object()) : json::object();
  } else {
    ids = SdnIds(file)["ids"];
  }
  json out = json::object();
  for (const auto& [id, o] : ids.items()) out[id] = ObjectJson(kind, id, o, file.digest);
  return out;
}

void CopySdnOptions(const Params& p, Section& s, const SectionSchema& schema) {
  auto t = schema.types.find(s.type);
  if (t == schema.types.end()) return;
  for (const auto& [key, opt] : t->second) {
    if (!p.Has(key)) continue;
    if (opt.type == "array") {
      json v = p.Raw()[key];
      s.values[key] = v.is_array() ? v : json::array({ScalarText(v)});
      continue;
    }
    std::string v = p.StrOr(key, "");
    if (opt.type == "boolean" || opt.type == "integer") s.values[key] = std::stoll(v); else s.values[key] = v;
  }
}

Result<Reply> List(Call& c, const std::string& kind) {
  json objects = Objects(c.sim, kind, c.params);
  json out = json::array();
  std::string type = c.params.StrOr("type", "");
  for (const auto& [id, o] : objects.items()) {
    if (!type.empty() && o.value("type", "") != type) continue;
    if (kind == "subnets" && o.value("vnet", "") != c.params.StrOr("vnet", "")) continue;
    out.push_back(o);
  }
  return Reply(out);
}

Result<Reply> Read(Call& c, const std::string& kind) {
  std::string id = c.params.StrOr(IdKey(kind), "");
  json objects = Objects(c.sim, kind, c.params);
  if (!objects.contains(id)) {
    if (kind == "zones") return Die("sdn '" + id + "' does not exist");
    return Die("sdn " + std::string(TypeOf(kind)) + " '" + id + "' does not exist");
  }
  return Reply(objects[id]);
}

Status CheckVnet(Simulator& sim, const SectionFile& vnets, const Section& v) {
  SectionFile zones = ReadSectionsRaw(sim, "zones");
  std::string zone = v.values.value("zone", "");
  const Section* z = zones.Find(zone);
  if (!z) return Die("zone '" + zone + "' does not exist");
  if (z->type == "vlan" || z->type == "qinq") {
    if (!v.values.contains("tag")) return ParamError("tag", "missing vlan tag");
    long long tag = v.values["tag"].get<long long>();
    if (tag > 4096) return ParamError("tag", "vlan tag max value is 4096");
    for (const auto& other : vnets.sections) {
      if (other.id == v.id || other.values.value("zone", "") != zone || !other.values.contains("tag")) continue;
      if (other.values["tag"] == v.values["tag"])
        return ParamError("tag", "tag " + std::to_string(tag) + " already exist in vnet " + other.id);
    }
  }
  if (z->type == "vxlan" && !v.values.contains("tag")) return ParamError("tag", "missing vxlan tag");
  return Ok();
}

Result<Reply> CreateObject(Call& c, const std::string& kind) {
  if (auto st = CheckCfsQuorum(c.sim); !st) return Fail(st.error());
  std::string what = kind == "zones" ? "zone" : TypeOf(kind);
  std::string errmsg = "create sdn " + what + " object failed";
  std::lock_guard<std::mutex> lock(c.sim.mu());
  if (auto st = CheckLock(c.sim, c.params, errmsg); !st) return Fail(st.error());
  SectionFile file = ReadSectionsRaw(c.sim, kind);
  std::string id = c.params.StrOr(IdKey(kind), "");
  std::string type = kind == "zones" ? c.params.StrOr("type", "") : TypeOf(kind);
  if (kind == "subnets") {
    SectionFile vnets = ReadSectionsRaw(c.sim, "vnets");
    const Section* vnet = vnets.Find(c.params.StrOr("vnet", ""));
    std::string zone = vnet ? vnet->values.value("zone", "") : "";
    std::string cidr = id;
    std::replace(cidr.begin(), cidr.end(), '/', '-');
    id = zone + "-" + cidr;
    if (!vnet) return ParamError("vnet", c.params.StrOr("vnet", "") + " don't exist");
    if (vnet->values.value("vlanaware", 0) == 1) return ParamError("vnet", "you can't add a subnet on a vlanaware vnet");
  }
  if (file.Find(id)) return Die(errmsg + ": sdn " + what + " object ID '" + id + "' already defined");
  Section s{type, id, json::object()};
  CopySdnOptions(c.params, s, SdnSchema(kind));
  if (kind == "vnets") {
    if (auto st = CheckVnet(c.sim, file, s); !st) return Fail(st.error());
  }
  file.sections.push_back(s);
  if (auto st = WriteSections(c.sim, SdnFile(kind), file, SdnSchema(kind)); !st) return Die(errmsg + ": " + st.error().message);
  return Reply(nullptr);
}

Result<Reply> UpdateObject(Call& c, const std::string& kind) {
  std::string what = kind == "zones" ? "zone" : TypeOf(kind);
  std::string errmsg = "update sdn " + what + " object failed";
  std::lock_guard<std::mutex> lock(c.sim.mu());
  if (auto st = CheckLock(c.sim, c.params, errmsg); !st) return Fail(st.error());
  SectionFile file = ReadSectionsRaw(c.sim, kind);
  if (auto st = AssertDigest(c.params.Str("digest"), file.digest); !st) return Die(errmsg + ": " + st.error().message);
  std::string id = c.params.StrOr(IdKey(kind), "");
  Section* s = file.Find(id);
  if (!s) return Die(errmsg + ": sdn " + (kind == "zones" ? std::string("") : std::string(what) + " ") + "'" + id + "' does not exist");
  for (const auto& k : SplitList(c.params.StrOr("delete", ""))) s->values.erase(k);
  CopySdnOptions(c.params, *s, SdnSchema(kind));
  if (kind == "vnets") {
    if (!s->values.contains("zone")) return ParamError("zone", "cannot delete zone");
    if (auto st = CheckVnet(c.sim, file, *s); !st) return Fail(st.error());
  }
  if (auto st = WriteSections(c.sim, SdnFile(kind), file, SdnSchema(kind)); !st) return Die(errmsg + ": " + st.error().message);
  return Reply(nullptr);
}

Result<Reply> Delete(Call& c, const std::string& kind) {
  std::string what = kind == "zones" ? "zone" : TypeOf(kind);
  std::string errmsg = "delete sdn " + what + " object failed";
  std::lock_guard<std::mutex> lock(c.sim.mu());
  if (auto st = CheckLock(c.sim, c.params, errmsg); !st) return Fail(st.error());
  SectionFile file = ReadSectionsRaw(c.sim, kind);
  std::string id = c.params.StrOr(IdKey(kind), "");
  if (!file.Find(id)) return Die(errmsg + ": sdn " + (kind == "zones" ? std::string("") : std::string(what) + " ") + "'" + id + "' does not exist");
  if (kind == "zones") {
    for (const auto& v : ReadSectionsRaw(c.sim, "vnets").sections)
      if (v.values.value("zone", "") == id) return Die(errmsg + ": zone " + id + " is used by vnet " + v.id);
  }
  if (kind == "vnets") {
    for (const auto& s : ReadSectionsRaw(c.sim, "subnets").sections)
      if (s.values.value("vnet", "") == id) return Die(errmsg + ": Can't delete vnet " + id + " if subnets exist");
  }
  file.Remove(id);
  if (auto st = WriteSections(c.sim, SdnFile(kind), file, SdnSchema(kind)); !st) return Die(errmsg + ": " + st.error().message);
  return Reply(nullptr);
}

bool HasPendingChanges(Simulator& sim) {
  json running = SdnRunningConfig(sim);
  for (const char* kind : {"zones", "vnets", "subnets"}) {
    json running_ids = running.contains(kind) ? running[kind].value("ids", json::object()) : json::object();
    const json pending = SdnPending(running_ids, SdnIds(ReadSectionsRaw(sim, kind))["ids"]);
    for (const auto& [id, o] : pending.items())
      if (o.contains("pending")) return true;
  }
  return false;
}

std::string LockToken() {
  // UUID v7 layout: a millisecond timestamp, then random bits.
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  uint64_t ms = static_cast<uint64_t>(NowMs()), r1 = rng(), r2 = rng();
  char buf[64];
  std::snprintf(buf, sizeof buf, "%08llx-%04llx-7%03llx-%04llx-%012llx", static_cast<unsigned long long>(ms >> 16),
                static_cast<unsigned long long>(ms & 0xffff), static_cast<unsigned long long>(r1 & 0xfff),
                static_cast<unsigned long long>((r1 >> 12 & 0x3fff) | 0x8000), static_cast<unsigned long long>(r2 & 0xffffffffffffULL));
  return buf;
}

Result<Reply> Apply(Call& c) {
  {
    std::lock_guard<std::mutex> lock(c.sim.mu());
    if (auto st = CheckLock(c.sim, c.params, "could not commit SDN config"); !st) return Fail(st.error());
    if (auto st = SdnCommit(c.sim); !st) return Die("could not commit SDN config: " + st.error().message);
    if (c.sim.pve() == 9 && c.params.Has("lock-token") && c.params.Bool("release-lock", true)) (void)c.sim.fs().Remove(kLockFile);
  }
  Simulator& sim = c.sim;
  std::string user = c.caller.Userid();
  std::string upid = sim.tasks().Start(c.local, "reloadnetworkall", "", user, [&sim, user](TaskContext& ctx) -> Status {
    if (auto st = CheckCfsQuorum(sim); !st) return st;
    for (const auto& m : sim.facts().Cluster().members) {
      if (!sim.facts().Online(m.name)) {
        ctx.Log("could not reload network on node '" + m.name + "': no route to host");
        continue;
      }
      std::string node_upid = sim.tasks().Start(m.name, "srvreload", "networking", user, [](TaskContext& inner) { return inner.Work(); });
      ctx.Log(m.name + ": " + node_upid);
    }
    return ctx.Work();
  });
  return Reply(upid);
}

}  // namespace

void AddSdnRoutes(RouteTable& t) {
  t.Add("GET", "/cluster/sdn", kNoFlags, [](Call& c) -> Result<Reply> {
    if (c.sim.pve() == 9)
      return Reply(Index({"vnets", "zones", "controllers", "ipams", "dns", "fabrics", "lock", "rollback"}, "id"));
    return Reply(Index({"vnets", "zones", "controllers", "ipams", "dns"}, "id"));
  });
  t.Add("PUT", "/cluster/sdn", kNoFlags, Apply);
  for (std::string kind : {"zones", "vnets"}) {
    std::string base = "/cluster/sdn/" + kind, item = base + "/{" + IdKey(kind) + "}";
    t.Add("GET", base, kNoFlags, [kind](Call& c) { return List(c, kind); });
    t.Add("POST", base, kNoFlags, [kind](Call& c) { return CreateObject(c, kind); });
    t.Add("GET", item, kNoFlags, [kind](Call& c) { return Read(c, kind); });
    t.Add("PUT", item, kNoFlags, [kind](Call& c) { return UpdateObject(c, kind); });
    t.Add("DELETE", item, kNoFlags, [kind](Call& c) { return Delete(c, kind); });
  }
  t.Add("GET", "/cluster/sdn/vnets/{vnet}/subnets", kNoFlags, [](Call& c) { return List(c, "subnets"); });
  t.Add("POST", "/cluster/sdn/vnets/{vnet}/subnets", kNoFlags, [](Call& c) { return CreateObject(c, "subnets"); });
  t.Add("GET", "/cluster/sdn/vnets/{vnet}/subnets/{subnet}", kNoFlags, [](Call& c) { return Read(c, "subnets"); });
  t.Add("PUT", "/cluster/sdn/vnets/{vnet}/subnets/{subnet}", kNoFlags, [](Call& c) { return UpdateObject(c, "subnets"); });
  t.Add("DELETE", "/cluster/sdn/vnets/{vnet}/subnets/{subnet}", kNoFlags, [](Call& c) { return Delete(c, "subnets"); });
  t.Add("POST", "/cluster/sdn/lock", kPve9Only, [](Call& c) -> Result<Reply> {
    std::lock_guard<std::mutex> lock(c.sim.mu());
    const std::string errmsg = "could not acquire lock for SDN config";
    if (c.sim.fs().Read(kLockFile)) return Die(errmsg + ": invalid lock token provided! at /usr/share/perl5/PVE/Network/SDN.pm line 291.");
    if (!c.params.Bool("allow-pending") && HasPendingChanges(c.sim))
      return Die(errmsg + ": configuration has pending changes at /usr/share/perl5/PVE/API2/Network/SDN.pm line 149.");
    std::string token = LockToken();
    if (auto st = c.sim.fs().Write(kLockFile, token); !st) return Die(errmsg + ": " + st.error().message);
    return Reply(token);
  });
  t.Add("DELETE", "/cluster/sdn/lock", kPve9Only, [](Call& c) -> Result<Reply> {
    std::lock_guard<std::mutex> lock(c.sim.mu());
    if (!c.params.Bool("force")) {
      if (auto st = CheckLock(c.sim, c.params, "could not release lock"); !st) return Fail(st.error());
    }
    if (c.sim.fs().Read(kLockFile)) (void)c.sim.fs().Remove(kLockFile);
    return Reply(nullptr);
  });
  t.Add("POST", "/cluster/sdn/rollback", kPve9Only, [](Call& c) -> Result<Reply> {
    std::lock_guard<std::mutex> lock(c.sim.mu());
    const std::string errmsg = "could not rollback SDN configuration";
    if (auto st = CheckLock(c.sim, c.params, errmsg); !st) return Fail(st.error());
    json running = SdnRunningConfig(c.sim);
    for (const char* kind : {"zones", "vnets", "subnets"}) {
      SectionFile file;
      json ids = running.contains(kind) ? running[kind].value("ids", json::object()) : json::object();
      for (const auto& [id, o] : ids.items()) {
        json values = o;
        std::string type = values.value("type", "");
        values.erase("type");
        file.sections.push_back({type, id, values});
      }
      if (auto st = WriteSections(c.sim, SdnFile(kind), file, SdnSchema(kind)); !st) return Die(errmsg + ": " + st.error().message);
    }
    if (c.params.Has("lock-token") && c.params.Bool("release-lock", true)) (void)c.sim.fs().Remove(kLockFile);
    return Reply(nullptr);
  });
  // PVE 9 proxies the per-node SDN index to the node; PVE 8 answers locally.
  t.Add("GET", "/nodes/{node}/sdn", kProxyNode | kPve9Only, [](Call&) -> Result<Reply> {
    return Reply(Index({"zones", "vnets", "fabrics"}, "subdir"));
  });
  t.Add("GET", "/nodes/{node}/sdn", kPve8Only, [](Call&) -> Result<Reply> { return Reply(Index({"zones"}, "subdir")); });
  t.Add("GET", "/nodes/{node}/sdn/zones", kProxyNode, [](Call& c) -> Result<Reply> {
    json out = json::array();
    auto running = SdnRunningZones(c.sim);
    for (const auto& [zone, type] : running) out.push_back({{"zone", zone}, {"status", "available"}});
    for (const auto& z : ReadSectionsRaw(c.sim, "zones").sections) {
      bool applied = std::any_of(running.begin(), running.end(), [&](const auto& r) { return r.first == z.id; });
      if (!applied) out.push_back({{"zone", z.id}, {"status", "pending"}});
    }
    return Reply(out);
  });
}

}  // namespace pvesim
