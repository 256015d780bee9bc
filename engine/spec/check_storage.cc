// Storages and Ceph pools. Which keys a storage type needs and accepts follows the pve-storage plugins
// (their `options` tables); a key of another type is refused as `pvesm add` would refuse it.
#include <map>
#include <set>

#include "engine/spec/checks.h"

namespace hainfra::spec {
namespace {

struct StorageType {
  std::vector<const char*> required;
  std::vector<const char*> optional;
  std::vector<const char*> content;  // content types the plugin supports
};

#define FILE_CONTENT {"images", "rootdir", "vztmpl", "backup", "iso", "snippets", "import"}
#define BLOCK_CONTENT {"images", "rootdir"}

const std::map<std::string, StorageType>& StorageTypes() {
  static const std::map<std::string, StorageType> types = {
      {"dir", {{"path"}, {"format", "preallocation", "prune", "max_protected_backups"}, FILE_CONTENT}},
      {"btrfs", {{"path"}, {"format", "preallocation", "prune", "max_protected_backups"}, FILE_CONTENT}},
      {"nfs",
       {{"server", "export"}, {"path", "options", "format", "preallocation", "prune", "max_protected_backups"}, FILE_CONTENT}},
      {"cifs",
       {{"server", "share"},
        {"path", "username", "password", "domain", "options", "format", "preallocation", "prune", "max_protected_backups"},
        FILE_CONTENT}},
      {"cephfs",
       {{},
        {"path", "monhost", "username", "prune", "max_protected_backups"},
        {"vztmpl", "backup", "iso", "snippets", "import"}}},
      {"rbd", {{"pool"}, {"monhost", "username", "krbd", "namespace"}, BLOCK_CONTENT}},
      {"pbs",
       {{"server", "datastore"},
        {"username", "password", "fingerprint", "namespace", "encryption_key", "prune", "max_protected_backups"},
        {"backup"}}},
      {"zfspool", {{"pool"}, {"sparse"}, BLOCK_CONTENT}},
      {"lvm", {{"vgname"}, {}, BLOCK_CONTENT}},
      {"lvmthin", {{"vgname", "thinpool"}, {}, BLOCK_CONTENT}},
  };
  return types;
}

#undef FILE_CONTENT
#undef BLOCK_CONTENT

// Keys every storage has, whatever its type.
const std::set<std::string> kCommonKeys = {"id", "state", "type", "content", "nodes", "shared", "disable"};

void CheckPrune(CheckContext& ctx, const Resource& r, const Value& body) {
  const Value& prune = ObjectAt(body, "prune");
  if (prune.value("keep_all", false) && prune.size() > 1) {
    ctx.Error(r, "/prune/keep_all", "keep_all: true conflicts with the other keep_ settings");
  }
}

void CheckStorageTypes(CheckContext& ctx) {
  for (const Resource* r : ctx.OfKind("storage")) {
    CheckPrune(ctx, *r, r->body);
    if (r->absent) continue;
    const std::string type = Str(r->body, "type");
    auto it = StorageTypes().find(type);
    if (it == StorageTypes().end()) continue;  // missing or invalid type: reported already
    for (const char* key : it->second.required) {
      if (!Has(r->body, key)) ctx.Error(*r, "/type", "storage type " + type + " needs `" + key + "`");
    }
    for (auto field = r->body.begin(); field != r->body.end(); ++field) {
      const std::string& key = field.key();
      if (kCommonKeys.count(key) != 0) continue;
      bool known = false;
      for (const char* k : it->second.required) known = known || key == k;
      for (const char* k : it->second.optional) known = known || key == k;
      if (!known) ctx.Error(*r, "/" + key, "`" + key + "` does not apply to storage type " + type);
    }
    const Value& content = ListAt(r->body, "content");
    for (size_t i = 0; i < content.size(); ++i) {
      bool supported = false;
      for (const char* c : it->second.content) supported = supported || content[i] == c;
      if (!supported) {
        ctx.Error(*r, "/content/" + std::to_string(i),
                  "storage type " + type + " cannot hold " + content[i].get<std::string>());
      }
    }
    // An rbd storage without monhost uses the cluster's own Ceph: its pool must be declared here.
    if (type == "rbd" && !Has(r->body, "monhost") && Has(r->body, "pool")) {
      const std::string pool = Str(r->body, "pool");
      const Resource* target = ctx.Find("ceph_pool", pool);
      if (target == nullptr) {
        ctx.Error(*r, "/pool", "uses ceph pool `" + pool + "`, which ceph.pools does not declare (or set monhost "
                                                              "for an external cluster)");
      } else if (target->absent) {
        ctx.Error(*r, "/pool", "uses ceph pool `" + pool + "`, which is declared absent");
      }
    }
  }
}

void CheckCephPools(CheckContext& ctx) {
  size_t nodes = 0;
  for (const Resource* n : ctx.OfKind("node")) nodes += n->absent ? 0 : 1;
  for (const Resource* r : ctx.OfKind("ceph_pool")) {
    if (r->absent) continue;
    const int64_t size = r->body.value("size", int64_t{3});
    const int64_t min_size = r->body.value("min_size", int64_t{2});
    if (Has(r->body, "min_size") && min_size > size) {
      ctx.Error(*r, "/min_size", "min_size " + std::to_string(min_size) + " is larger than size " +
                                     std::to_string(size));
    } else if (!Has(r->body, "min_size") && min_size > size && !Has(r->body, "erasure_coding")) {
      // Proxmox sends its default min_size 2 along, and Ceph refuses a min_size above the size.
      ctx.Error(*r, "/size", "size " + std::to_string(size) + " needs `min_size: " + std::to_string(size) +
                                 "` (Proxmox's default min_size 2 is larger than the size)");
    }
    if (Has(r->body, "size") && nodes > 0 && static_cast<size_t>(size) > nodes && !Has(r->body, "crush_rule")) {
      ctx.Warning(*r, "/size", "size " + std::to_string(size) + " needs " + std::to_string(size) +
                                   " hosts with OSDs, but only " + std::to_string(nodes) + " nodes are declared");
    }
    if (Has(r->body, "pg_num")) {
      const int64_t pg = r->body["pg_num"].get<int64_t>();
      if ((pg & (pg - 1)) != 0) {
        ctx.Warning(*r, "/pg_num", "pg_num " + std::to_string(pg) + " is not a power of two (Ceph warns about it)");
      }
    }
  }
}

}  // namespace

void CheckStorage(CheckContext& ctx) { CheckStorageTypes(ctx); }

void CheckCeph(CheckContext& ctx) { CheckCephPools(ctx); }

}  // namespace hainfra::spec
