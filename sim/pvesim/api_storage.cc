// /storage (storage.cfg CRUD, as pve-storage's API2::Storage::Config) and the per-node views
// /nodes/{node}/storage[/{storage}[/status]] with simulated capacity (content: api_storage_content.cc).
#include <set>

#include "sim/pvesim/api_common.h"
#include "sim/pvesim/api_routes.h"
#include "sim/pvesim/formats.h"
#include "sim/pvesim/storage_config.h"

namespace pvesim {

namespace {

constexpr const char* kFile = "storage.cfg";
// Options the API takes that are not stored (or stored elsewhere: passwords and keys go to priv/).
const std::set<std::string> kNotStored = {"storage", "type", "digest", "delete", "password", "encryption-key",
                                          "keyring", "master-pubkey"};

json StorageJson(const Section& s, const std::string& digest) {
  json o = s.values;
  o["storage"] = s.id;
  o["type"] = s.type;
  o["digest"] = digest;
  if (!o.contains("content")) o["content"] = DefaultContent(s.type);
  return o;
}

Status CopyStorageOptions(const Params& p, Section& s, bool create) {
  const auto& opts = StorageSchema().types.at(s.type);
  static const std::set<std::string> kFixed = {"path", "export", "vgname", "thinpool", "portal", "target", "share",
                                              "datastore", "base", "iscsiprovider", "pool", "server"};
  for (const auto& key : p.Keys()) {
    if (kNotStored.contains(key)) continue;
    auto it = opts.find(key);
    if (it == opts.end()) return Die("unexpected property '" + key + "'");
    if (!create && kFixed.contains(key) && s.type != "rbd" && s.type != "pbs")
      return Die("can't change value of fixed parameter '" + key + "'");
    std::string v = p.StrOr(key, "");
    if (it->second.type == "boolean" || it->second.type == "integer") s.values[key] = std::stoll(v); else s.values[key] = v;
  }
  if (create) {
    // The network file systems' plugins mount at /mnt/pve/<storage> unless told otherwise (their check_config).
    static const std::set<std::string> kMounted = {"nfs", "cifs", "glusterfs", "cephfs"};
    if (kMounted.contains(s.type) && !s.values.contains("path") && opts.contains("path")) s.values["path"] = "/mnt/pve/" + s.id;
    for (const auto& [key, opt] : opts)
      if (opt.required && !s.values.contains(key)) return Die("missing value for required option '" + key + "'");
  }
  return Ok();
}

Result<Reply> CreateStorage(Call& c) {
  std::string id = c.params.StrOr("storage", ""), type = c.params.StrOr("type", "");
  if (!StorageSchema().types.contains(type)) return Die("unknown section type '" + type + "'");
  Params p = c.params;
  if (p.StrOr("nodes", "").empty()) p.Erase("nodes");
  Section s{type, id, json::object()};
  if (auto st = CopyStorageOptions(p, s, true); !st) return Fail(st.error());
  std::lock_guard<std::mutex> lock(c.sim.mu());
  SectionFile cfg = ReadSections(c.sim, kFile, StorageSchema());
  if (cfg.Find(id)) return Die("create storage failed: storage ID '" + id + "' already defined");
  cfg.sections.push_back(s);
  if (auto st = WriteSections(c.sim, kFile, cfg, StorageSchema()); !st) return Die("create storage failed: " + st.error().message);
  json res = {{"storage", id}, {"type", type}};
  return Reply(res);
}

Result<Reply> UpdateStorage(Call& c) {
  std::string id = c.params.StrOr("storage", "");
  std::lock_guard<std::mutex> lock(c.sim.mu());
  SectionFile cfg = ReadSections(c.sim, kFile, StorageSchema());
  if (auto st = AssertDigest(c.params.Str("digest"), cfg.digest); !st) return Die("update storage failed: " + st.error().message);
  Section* s = cfg.Find(id);
  if (!s) return Die("update storage failed: storage '" + id + "' does not exist");
  const auto& opts = StorageSchema().types.at(s->type);
  for (const auto& k : SplitList(c.params.StrOr("delete", ""))) {
    auto it = opts.find(k);
    if (it == opts.end()) return Die("update storage failed: no such option '" + k + "'");
    if (it->second.required) return Die("update storage failed: unable to delete required option '" + k + "'");
    if (c.params.Has(k)) return Die("update storage failed: cannot set and delete property '" + k + "' at the same time!");
    s->values.erase(k);
  }
  if (auto st = CopyStorageOptions(c.params, *s, false); !st) return Die("update storage failed: " + st.error().message);
  if (auto st = WriteSections(c.sim, kFile, cfg, StorageSchema()); !st) return Die("update storage failed: " + st.error().message);
  return Reply(json{{"storage", id}, {"type", s->type}});
}

Result<Reply> Remove(Call& c) {
  std::string id = c.params.StrOr("storage", "");
  std::lock_guard<std::mutex> lock(c.sim.mu());
  SectionFile cfg = ReadSections(c.sim, kFile, StorageSchema());
  if (!cfg.Find(id)) return Die("delete storage failed: storage '" + id + "' does not exist");
  for (const auto& other : cfg.sections)
    if (other.values.value("base", "").rfind(id + ":", 0) == 0)
      return Die("delete storage failed: can't remove storage - storage is used as base of another storage");
  cfg.Remove(id);
  if (auto st = WriteSections(c.sim, kFile, cfg, StorageSchema()); !st) return Die("delete storage failed: " + st.error().message);
  return Reply(nullptr);
}

json NodeStorageJson(const Section& s, const std::string& node) {
  StorageUsage u = StorageUsageOf(s, node);
  bool enabled = StorageEnabledOn(s, node);
  json o = {{"storage", s.id}, {"type", s.type}, {"content", s.values.contains("content") ? s.values["content"] : json(DefaultContent(s.type))},
            {"shared", StorageIsShared(s) ? 1 : 0}, {"enabled", enabled ? 1 : 0}, {"active", enabled ? 1 : 0}};
  if (enabled) {
    o["total"] = u.total;
    o["used"] = u.used;
    o["avail"] = u.avail;
    o["used_fraction"] = static_cast<double>(u.used) / static_cast<double>(u.total);
  }
  return o;
}

Result<Reply> NodeStorages(Call& c) {
  SectionFile cfg = ReadSections(c.sim, kFile, StorageSchema());
  std::string content = c.params.StrOr("content", ""), only = c.params.StrOr("storage", "");
  bool enabled_only = c.params.Bool("enabled");
  json out = json::array();
  for (const auto& s : cfg.sections) {
    if (!only.empty() && s.id != only) continue;
    bool enabled = StorageEnabledOn(s, c.node);
    if (enabled_only && !enabled) continue;
    if (!enabled && !s.values.contains("nodes")) continue;
    if (!content.empty()) {
      auto list = SplitList(s.values.contains("content") ? ScalarText(s.values["content"]) : DefaultContent(s.type));
      bool any = false;
      for (const auto& want : SplitList(content)) any |= std::find(list.begin(), list.end(), want) != list.end();
      if (!any) continue;
    }
    if (!StorageEnabledOn(s, c.node) && s.values.contains("nodes")) continue;
    out.push_back(NodeStorageJson(s, c.node));
  }
  return Reply(out);
}

}  // namespace

void AddStorageRoutes(RouteTable& t) {
  t.Add("GET", "/storage", kNoFlags, [](Call& c) -> Result<Reply> {
    SectionFile cfg = ReadSections(c.sim, kFile, StorageSchema());
    std::string type = c.params.StrOr("type", "");
    json out = json::array();
    for (const auto& s : cfg.sections)
      if (type.empty() || s.type == type) out.push_back(StorageJson(s, cfg.digest));
    return Reply(out);
  });
  t.Add("POST", "/storage", kNoFlags, CreateStorage);
  t.Add("GET", "/storage/{storage}", kNoFlags, [](Call& c) -> Result<Reply> {
    SectionFile cfg = ReadSections(c.sim, kFile, StorageSchema());
    const Section* s = cfg.Find(c.params.StrOr("storage", ""));
    if (!s) return Die("storage '" + c.params.StrOr("storage", "") + "' does not exist");
    return Reply(StorageJson(*s, cfg.digest));
  });
  t.Add("PUT", "/storage/{storage}", kNoFlags, UpdateStorage);
  t.Add("DELETE", "/storage/{storage}", kNoFlags, Remove);
  t.Add("GET", "/nodes/{node}/storage", kProxyNode, NodeStorages);
  t.Add("GET", "/nodes/{node}/storage/{storage}", kNoFlags, [](Call&) -> Result<Reply> {
    return Reply(Index({"content", "download-url", "file-restore", "import-metadata", "prunebackups", "rrd",
                        "rrddata", "status", "upload"}, "subdir"));
  });
  t.Add("GET", "/nodes/{node}/storage/{storage}/status", kProxyNode, [](Call& c) -> Result<Reply> {
    SectionFile cfg = ReadSections(c.sim, kFile, StorageSchema());
    const Section* s = cfg.Find(c.params.StrOr("storage", ""));
    if (!s) return Die("storage '" + c.params.StrOr("storage", "") + "' does not exist");
    if (!StorageEnabledOn(*s, c.node)) return Die("storage '" + s->id + "' is not available on node '" + c.node + "'");
    json o = NodeStorageJson(*s, c.node);
    o.erase("storage");
    o.erase("used_fraction");
    return Reply(o);
  });
}

}  // namespace pvesim
