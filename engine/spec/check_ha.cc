// HA as pve-ha-manager enforces it: an HA resource names a declared VM (vm:) or container (ct:); a resource-affinity rule has at
// least two resources and `affinity`; a negative one no more resources than nodes; a node-affinity rule has
// `nodes`; a resource sits in at most one node-affinity rule; positive and negative rules do not share two
// or more resources.
#include <map>
#include <set>

#include "engine/spec/checks.h"

namespace hainfra::spec {
namespace {

std::vector<std::string> Resources(const Value& rule) {
  std::vector<std::string> out;
  for (const Value& r : ListAt(rule, "resources")) out.push_back(r.get<std::string>());
  return out;
}

void CheckHaResources(CheckContext& ctx) {
  for (const Resource* r : ctx.OfKind("ha_resource")) {
    if (r->absent) continue;
    const std::string vmid = r->address.name.substr(r->address.name.find(':') + 1);
    const std::string kind = r->address.name.substr(0, 3) == "ct:" ? "ct" : "vm";
    const Resource* guest = ctx.Find(kind, vmid);
    if (guest == nullptr) {
      const Resource* other = ctx.Find(kind == "vm" ? "ct" : "vm", vmid);
      const std::string hint = other != nullptr ? " (" + other->address.ToString() + " is: write " +
                                                      (kind == "vm" ? "ct:" : "vm:") + vmid + ")"
                                                : "";
      ctx.Error(*r, "/sid", "names " + kind + "/" + vmid + ", which is not declared" + hint);
    } else if (guest->absent) {
      ctx.Error(*r, "/sid", "names " + kind + "/" + vmid + ", which is declared absent");
    }
  }
}

void CheckRuleKeys(CheckContext& ctx, const Resource& rule, size_t node_count) {
  const std::string type = Str(rule.body, "type");
  const std::vector<std::string> resources = Resources(rule.body);
  if (type == "node-affinity") {
    if (!Has(rule.body, "nodes")) ctx.Error(rule, "/type", "a node-affinity rule needs `nodes`");
    if (Has(rule.body, "affinity")) ctx.Error(rule, "/affinity", "`affinity` applies to resource-affinity rules only");
  } else if (type == "resource-affinity") {
    if (!Has(rule.body, "affinity")) ctx.Error(rule, "/type", "a resource-affinity rule needs `affinity`");
    for (const char* key : {"nodes", "strict"}) {
      if (Has(rule.body, key)) {
        ctx.Error(rule, std::string("/") + key, "`" + std::string(key) + "` applies to node-affinity rules only");
      }
    }
    if (Has(rule.body, "resources") && resources.size() < 2) {
      ctx.Error(rule, "/resources", "a resource-affinity rule needs at least 2 resources");
    }
    if (Str(rule.body, "affinity") == "negative" && node_count > 0 && resources.size() > node_count) {
      ctx.Error(rule, "/resources", "keeps " + std::to_string(resources.size()) + " resources apart on only " +
                                        std::to_string(node_count) + " nodes");
    }
  }
}

}  // namespace

void CheckHa(CheckContext& ctx) {
  CheckHaResources(ctx);
  size_t nodes = 0;
  for (const Resource* n : ctx.OfKind("node")) nodes += n->absent ? 0 : 1;

  std::map<std::string, const Resource*> node_affinity;  // resource -> its node-affinity rule
  std::vector<const Resource*> positive, negative;
  for (const Resource* rule : ctx.OfKind("ha_rule")) {
    if (rule->absent || rule->body.value("disable", false)) continue;
    CheckRuleKeys(ctx, *rule, nodes);
    const std::string type = Str(rule->body, "type");
    const std::vector<std::string> resources = Resources(rule->body);
    if (type == "node-affinity") {
      for (size_t i = 0; i < resources.size(); ++i) {
        auto [it, inserted] = node_affinity.emplace(resources[i], rule);
        if (!inserted) {
          ctx.Error(*rule, "/resources/" + std::to_string(i),
                    resources[i] + " is already in node-affinity rule " + it->second->address.name +
                        " (a resource may be in one node-affinity rule only)");
        }
      }
    } else if (Str(rule->body, "affinity") == "positive") {
      positive.push_back(rule);
    } else if (Str(rule->body, "affinity") == "negative") {
      negative.push_back(rule);
    }
  }
  for (const Resource* neg : negative) {
    const std::vector<std::string> apart = Resources(neg->body);
    const std::set<std::string> apart_set(apart.begin(), apart.end());
    for (const Resource* pos : positive) {
      std::vector<std::string> shared;
      for (const std::string& r : Resources(pos->body)) {
        if (apart_set.count(r) != 0) shared.push_back(r);
      }
      if (shared.size() >= 2) {
        ctx.Error(*neg, "/resources", "keeps " + shared[0] + " and " + shared[1] + " apart, but positive rule " +
                                          pos->address.name + " keeps them together");
      }
    }
  }
}

}  // namespace hainfra::spec
