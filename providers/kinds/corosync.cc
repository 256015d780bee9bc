#include "providers/kinds/corosync.h"

#include <charconv>
#include <chrono>
#include <cstdlib>
#include <optional>
#include <set>

#include "engine/plan/fingerprint.h"
#include "providers/kinds/corosync_rollout.h"
#include "providers/kinds/kind_order.h"
#include "providers/pve/corosync_conf.h"
#include "schemas/field_builders.h"

namespace hainfra::providers {
namespace {

constexpr const char* kConfPath = "/etc/pve/corosync.conf";

FieldSpec CorosyncBodySpec() {
  FieldSpec totem = schemas::Field("totem", FieldType::kObject, "totem timings");
  for (const char* key : {"token", "token_coefficient", "consensus", "join"}) {
    totem.fields.push_back(schemas::Field(key, FieldType::kInt, std::string("totem ") + key));
  }
  FieldSpec link = schemas::Field("link", FieldType::kObject, "a corosync link");
  link.fields = {schemas::Field("id", FieldType::kInt, "link number"),
                 schemas::Field("priority", FieldType::kInt, "knet priority")};
  FieldSpec links = schemas::Field("links", FieldType::kList, "the links");
  links.key = "id";
  links.set = true;
  links.element = {link};
  FieldSpec addresses = schemas::Field("addresses", FieldType::kObject, "a node's link addresses");
  for (int i = 0; i < 8; ++i) {
    addresses.fields.push_back(schemas::Field("link" + std::to_string(i), FieldType::kString, "address on link"));
  }
  addresses.fields.push_back(schemas::Field("votes", FieldType::kInt, "quorum_votes"));
  addresses.fields.push_back(schemas::Field("nodeid", FieldType::kInt, "corosync node id"));
  FieldSpec nodes = schemas::Field("nodes", FieldType::kMap, "each node's addresses");
  nodes.element = {addresses};
  FieldSpec body = schemas::Field("corosync", FieldType::kObject, "corosync links and totem");
  body.fields = {totem, links, nodes};
  return body;
}

std::optional<int> ParseInt(const std::string& text) {
  int value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::string ClusterName(const Spec& spec) {
  for (const Resource* cluster : spec.OfKind("cluster")) return cluster->address.name;
  return "";
}

class CorosyncKind : public ResourceKind {
 public:
  explicit CorosyncKind(KindDeps& deps) : deps_(deps) {
    traits_.name = "corosync";
    traits_.order = order::kCorosync;
    traits_.body = CorosyncBodySpec();
  }

  const KindTraits& traits() const override { return traits_; }

  std::vector<Resource> Desired(const Spec& spec) const override {
    Value body = CorosyncDesiredBody(spec);
    if (body.is_null()) return {};
    Resource r;
    r.address = {"corosync", ClusterName(spec)};
    r.body = std::move(body);
    for (const Resource* cluster : spec.OfKind("cluster")) r.where = cluster->where;
    // A node's votes and nodeid are written in its own entry: a refused change points there.
    for (const Resource* node : spec.OfKind("node")) {
      for (const char* key : {"votes", "nodeid"}) {
        const std::string pointer = std::string("/corosync/") + key;
        if (node->locations.contains(pointer)) {
          r.locations["/nodes/" + node->address.name + "/" + key] = node->locations.at(pointer);
        }
      }
    }
    return {r};
  }

  Result<std::vector<Observed>> Observe(const std::vector<Resource>& desired) override {
    if (desired.empty()) return std::vector<Observed>{};
    Result<Value> body = ObserveBody(desired.front().body);
    if (!body) return Fail(body.error());
    Observed o;
    o.address = desired.front().address;
    o.body = std::move(*body);
    o.version = plan::Fingerprint(o.body);
    return std::vector<Observed>{o};
  }

  // A declared node that is not in corosync.conf yet is not this kind's to add: the node kind joins it with
  // these very addresses (POST /cluster/config/join), so its entry is left out of the change.
  Status Review(const Resource& desired, const Observed& observed, Change& change) const override {
    (void)desired;
    const Value seen = observed.body.value("nodes", Value::object());
    std::set<std::string> joining;
    std::erase_if(change.fields, [&](const FieldChange& f) {
      if (!f.pointer.starts_with("/nodes/")) return false;
      const std::string name = f.pointer.substr(7, f.pointer.find('/', 7) - 7);
      if (seen.contains(name)) return false;
      joining.insert(name);
      return true;
    });
    for (const std::string& name : joining) {
      change.reason += (change.reason.empty() ? "" : "; ") + std::string("node/") + name + " joins with its links";
    }
    // corosync identifies a member by its nodeid (knet's host id, votequorum's node): a running member's id
    // never changes. Proxmox's way is removing the node and joining it again with the new id.
    for (FieldChange& f : change.fields) {
      if (f.pointer.starts_with("/nodes/") && f.pointer.ends_with("/nodeid") && !f.before.is_null()) {
        f.refused = "corosync cannot change the nodeid of a member (" + f.before.dump() + " in corosync.conf): "
                    "write " + f.before.dump() + ", or remove the node and join it again with the new id";
      }
    }
    return Ok();
  }

  Status Create(const Change& change) override { return Update(change); }
  Status Update(const Change& change) override {
    // HAINFRA_COROSYNC_VERIFY_S: how long each step may take to verify on every node (default 30 s).
    std::chrono::milliseconds timeout{30'000};
    if (const char* s = std::getenv("HAINFRA_COROSYNC_VERIFY_S"); s != nullptr) {
      if (auto v = ParseInt(s); v && *v > 0) timeout = std::chrono::milliseconds(*v * 1000);
    }
    return RollOutCorosync(deps_, change.after, timeout);
  }
  Status Delete(const Change& change) override {
    return Fail(Code::kFailedPrecondition, change.address.ToString() + ": a cluster's corosync configuration is never "
                                           "deleted by hainfra");
  }

 private:
  // corosync.conf over SSH (all of it); without SSH (an API-only run) what /cluster/config shows.
  Result<Value> ObserveBody(const Value& desired) {
    if (deps_.ssh == nullptr || deps_.ssh->settings().addresses.empty()) {
      Result<Value> nodes = deps_.api->Get("/cluster/config/nodes");
      if (!nodes) return Fail(WithContext(nodes.error(), "reading /cluster/config/nodes"));
      Result<Value> totem = deps_.api->Get("/cluster/config/totem");
      if (!totem) return Fail(WithContext(totem.error(), "reading /cluster/config/totem"));
      Result<pve::CorosyncView> view = CorosyncViewFromApi(*nodes, *totem);
      if (!view) return Fail(view.error());
      return CorosyncObservedBody(*view, desired);
    }
    Result<std::string> node = CorosyncReadNode(deps_);
    if (!node) return Fail(node.error());
    Result<std::string> text = deps_.ssh->ReadFile(*node, kConfPath);
    if (!text) return Fail(WithContext(text.error(), "reading " + std::string(kConfPath) + " on " + *node));
    return CorosyncObservedBody(*text, desired);
  }

  KindDeps& deps_;
  KindTraits traits_;
};

}  // namespace

Value CorosyncDesiredBody(const Spec& spec) {
  const std::vector<const Resource*> clusters = spec.OfKind("cluster");
  if (clusters.empty()) return nullptr;
  const Value& cluster = clusters.front()->body;
  Value body = Value::object();
  bool declared = false;
  if (cluster.contains("corosync") && cluster["corosync"].is_object()) {
    const Value& corosync = cluster["corosync"];
    if (corosync.contains("totem")) {
      body["totem"] = corosync["totem"];
      declared = true;
    }
    if (corosync.contains("links")) {
      Value links = Value::array();
      for (const Value& link : corosync["links"]) {
        Value l{{"id", link.value("id", 0)}};
        if (link.contains("priority")) l["priority"] = link["priority"];
        links.push_back(l);
      }
      body["links"] = links;
      declared = true;
    }
  }
  Value nodes = Value::object();
  for (const Resource* node : spec.OfKind("node")) {
    if (!node->body.contains("corosync") || !node->body["corosync"].is_object()) continue;
    Value addresses = Value::object();  // link addresses, votes (quorum_votes) and nodeid
    for (const auto& [key, value] : node->body["corosync"].items()) {
      if (key.starts_with("link") || key == "votes" || key == "nodeid") addresses[key] = value;
    }
    nodes[node->address.name] = addresses;
  }
  if (!nodes.empty()) {
    body["nodes"] = nodes;
    declared = true;
  }
  return declared ? body : Value(nullptr);
}

Result<Value> CorosyncObservedBody(const std::string& conf_text, const Value& desired) {
  Result<pve::CorosyncSection> root = pve::ParseCorosyncConf(conf_text, kConfPath);
  if (!root) return Fail(root.error());
  Result<pve::CorosyncView> view = pve::ReadCorosyncView(*root);
  if (!view) return Fail(view.error());
  return CorosyncObservedBody(*view, desired);
}

Result<pve::CorosyncView> CorosyncViewFromApi(const Value& nodes, const Value& totem) {
  pve::CorosyncView view;
  if (!nodes.is_array() || !totem.is_object()) {
    return Fail(Code::kInternal, "/cluster/config/nodes or /totem: unexpected answer");
  }
  auto text = [](const Value& v) { return v.is_string() ? v.get<std::string>() : v.dump(); };
  for (const auto& [key, value] : totem.items()) {
    if (key == "interface" && value.is_object()) {
      for (const auto& [number, iface] : value.items()) {
        int id = ParseInt(number).value_or(-1);
        if (id < 0 || !iface.is_object()) continue;
        auto& keys = view.interfaces[id];
        for (const auto& [k, v] : iface.items()) {
          if (k != "linknumber") keys[k] = text(v);
        }
      }
    } else if (!value.is_object()) {
      view.totem[key] = text(value);
    }
  }
  view.cluster_name = view.totem.contains("cluster_name") ? view.totem["cluster_name"] : "";
  for (const Value& node : nodes) {
    pve::CorosyncNodeEntry entry;
    entry.name = node.value("name", node.value("node", ""));
    entry.nodeid = ParseInt(node.contains("nodeid") ? text(node["nodeid"]) : "0").value_or(0);
    for (int i = 0; i < 8; ++i) {
      const std::string key = "ring" + std::to_string(i) + "_addr";
      if (node.contains(key)) entry.links[i] = text(node[key]);
    }
    view.nodes.push_back(std::move(entry));
  }
  return view;
}

Result<Value> CorosyncObservedBody(const pve::CorosyncView& view_in, const Value& desired) {
  const pve::CorosyncView* view = &view_in;
  Value body = Value::object();
  if (desired.contains("totem")) {
    Value totem = Value::object();
    for (const auto& [key, value] : desired["totem"].items()) {
      (void)value;
      auto it = view->totem.find(key);
      if (it == view->totem.end()) continue;
      try {
        totem[key] = std::stoll(it->second);
      } catch (const std::exception&) {  // std::stoll reports a bad number by throwing: kept as text
        totem[key] = it->second;
      }
    }
    body["totem"] = totem;
  }
  std::set<int> link_ids;
  for (const auto& [id, keys] : view->interfaces) link_ids.insert(id);
  for (const pve::CorosyncNodeEntry& node : view->nodes) {
    for (const auto& [id, address] : node.links) link_ids.insert(id);
  }
  if (desired.contains("links")) {
    std::set<int> with_priority;
    for (const Value& link : desired["links"]) {
      if (link.contains("priority")) with_priority.insert(link.value("id", 0));
    }
    Value links = Value::array();
    for (int id : link_ids) {
      Value l{{"id", id}};
      auto it = view->interfaces.find(id);
      if (with_priority.contains(id) && it != view->interfaces.end() && it->second.contains("knet_link_priority")) {
        if (auto p = ParseInt(it->second.at("knet_link_priority"))) l["priority"] = *p;
      }
      links.push_back(l);
    }
    body["links"] = links;
  }
  if (desired.contains("nodes")) {
    Value nodes = Value::object();
    for (const pve::CorosyncNodeEntry& node : view->nodes) {
      if (!desired["nodes"].contains(node.name)) continue;  // membership is the node kind's
      Value addresses = Value::object();
      for (const auto& [id, address] : node.links) addresses["link" + std::to_string(id)] = address;
      addresses["votes"] = node.quorum_votes;
      addresses["nodeid"] = node.nodeid;
      nodes[node.name] = addresses;
    }
    body["nodes"] = nodes;
  }
  return body;
}

std::unique_ptr<ResourceKind> MakeCorosyncKind(KindDeps& deps) { return std::make_unique<CorosyncKind>(deps); }

}  // namespace hainfra::providers
