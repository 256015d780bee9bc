// Datacenter options (a next-id range that leaves VMIDs to pick) and resource pools (a guest in one pool
// only, nested pools under a present parent), as pve-cluster and pve-manager refuse them.
#include <map>

#include "engine/spec/checks.h"

namespace hainfra::spec {

void CheckDatacenter(CheckContext& ctx) {
  for (const Resource* dc : ctx.OfKind("datacenter")) {
    const Value& range = ObjectAt(dc->body, "next_id");
    if (!Has(range, "lower") || !Has(range, "upper")) continue;  // one bound: checked against the cluster's
    const int64_t lower = range["lower"].get<int64_t>();
    const int64_t upper = range["upper"].get<int64_t>();
    if (lower >= upper) {
      ctx.Error(*dc, "/next_id/lower",
                "next_id lower " + std::to_string(lower) + " must be below upper " + std::to_string(upper) +
                    " (upper is exclusive: the range would hold no VMID)");
    }
  }
}

void CheckPools(CheckContext& ctx) {
  std::map<std::string, const Resource*> pool_of;  // vmid -> the first pool listing it
  for (const Resource* pool : ctx.OfKind("pool")) {
    if (pool->absent) continue;
    const Value& vms = ListAt(pool->body, "vms");
    for (size_t i = 0; i < vms.size(); ++i) {
      const std::string vmid = vms[i].dump();
      auto [first, fresh] = pool_of.emplace(vmid, pool);
      if (!fresh && first->second != pool) {
        ctx.Error(*pool, "/vms/" + std::to_string(i),
                  "guest " + vmid + " is already in pool `" + first->second->address.name +
                      "` (a guest belongs to one pool at most)");
      }
    }
    const std::string& id = pool->address.name;
    const size_t slash = id.rfind('/');
    if (slash == std::string::npos) continue;
    const Resource* parent = ctx.Find("pool", id.substr(0, slash));
    if (parent != nullptr && parent->absent) {
      ctx.Error(*pool, "/id", "its parent pool `" + parent->address.name + "` is declared absent");
    }
  }
}

}  // namespace hainfra::spec
