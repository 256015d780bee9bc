#include "providers/kinds/corosync.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <set>

#include "engine/plan/fingerprint.h"
#include "engine/spec/ip_math.h"
#include "hainfra/export_part.h"
#include "providers/kinds/corosync_rollout.h"
#include "providers/kinds/kind_order.h"
#include "providers/pve/corosync_conf.h"
#include "providers/pve/network_interfaces.h"
#include "providers/safety/cluster_health.h"
#include "providers/transport/api_path.h"
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

class CorosyncKind : public ResourceKind, public ExportsParts {
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

  // `hainfra export`: the cluster's name, totem and links, and votes other than 1; each link's network is the
  // one of the interface holding a node's address on it (GET /nodes/{node}/network). A standalone node (no
  // corosync) has none of these.
  Result<std::vector<ExportPart>> ExportParts() override {
    Result<pve::CorosyncView> view = ReadView();
    if (!view) {
      Result<safety::ClusterStatus> status = safety::ReadClusterStatus(*deps_.api);
      if (status && !status->clustered) return std::vector<ExportPart>{};
      return Fail(view.error());
    }
    std::map<std::string, Value> interfaces;
    for (const pve::CorosyncNodeEntry& node : view->nodes) {
      Result<Value> data = deps_.api->Get(transport::ApiPath({"nodes", node.name, "network"}));
      if (!data || !data->is_array()) continue;  // an offline node: the others' interfaces, or the addresses
      Value list = Value::array();
      for (const Value& item : *data) {
        if (item.is_object() && item.contains("iface") && item["iface"].is_string()) {
          list.push_back(pve::InterfaceFromApi(item));
        }
      }
      interfaces[node.name] = std::move(list);
    }
    return CorosyncExportParts(*view, interfaces);
  }

 private:
  // corosync.conf over SSH (all of it); without SSH (an API-only run) what /cluster/config shows.
  Result<pve::CorosyncView> ReadView() {
    if (deps_.ssh == nullptr || deps_.ssh->settings().addresses.empty()) {
      Result<Value> nodes = deps_.api->Get("/cluster/config/nodes");
      if (!nodes) return Fail(WithContext(nodes.error(), "reading /cluster/config/nodes"));
      Result<Value> totem = deps_.api->Get("/cluster/config/totem");
      if (!totem) return Fail(WithContext(totem.error(), "reading /cluster/config/totem"));
      return CorosyncViewFromApi(*nodes, *totem);
    }
    Result<std::string> node = CorosyncReadNode(deps_);
    if (!node) return Fail(node.error());
    Result<std::string> text = deps_.ssh->ReadFile(*node, kConfPath);
    if (!text) return Fail(WithContext(text.error(), "reading " + std::string(kConfPath) + " on " + *node));
    Result<pve::CorosyncSection> root = pve::ParseCorosyncConf(*text, kConfPath);
    if (!root) return Fail(root.error());
    return pve::ReadCorosyncView(*root);
  }

  Result<Value> ObserveBody(const Value& desired) {
    Result<pve::CorosyncView> view = ReadView();
    if (!view) return Fail(view.error());
    return CorosyncObservedBody(*view, desired);
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

namespace hainfra::providers {

// `hainfra export` of corosync (corosync.h).
namespace {

// The totem keys `cluster.corosync.totem` declares, as numbers.
constexpr const char* kCorosyncExportTotemKeys[] = {"token", "token_coefficient", "consensus", "join"};

std::optional<int64_t> CorosyncExportInt(const std::string& text) {
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::string CorosyncIpText(const spec::IpAddress& ip) {
  char buffer[64];
  if (!ip.v6) {
    std::snprintf(buffer, sizeof buffer, "%u.%u.%u.%u", ip.bytes[0], ip.bytes[1], ip.bytes[2], ip.bytes[3]);
    return buffer;
  }
  // Groups of 16 bits; the longest run of zero groups (two or more) written as `::`.
  int groups[8];
  for (int i = 0; i < 8; ++i) groups[i] = ip.bytes[2 * i] << 8 | ip.bytes[2 * i + 1];
  int best = -1, best_len = 0;
  for (int i = 0; i < 8;) {
    int j = i;
    while (j < 8 && groups[j] == 0) ++j;
    if (j - i > best_len && j - i >= 2) best = i, best_len = j - i;
    i = j == i ? i + 1 : j;
  }
  std::string out;
  for (int i = 0; i < 8; ++i) {
    if (i == best) {
      out += "::";
      i += best_len - 1;
      continue;
    }
    if (!out.empty() && !out.ends_with(":")) out += ":";
    std::snprintf(buffer, sizeof buffer, "%x", groups[i]);
    out += buffer;
  }
  return out;
}

spec::IpAddress CorosyncMasked(spec::IpAddress ip, int prefix) {
  const int bytes = ip.v6 ? 16 : 4;
  for (int i = 0; i < bytes; ++i) {
    const int keep = std::min(8, std::max(0, prefix - 8 * i));
    ip.bytes[i] &= static_cast<uint8_t>(keep == 0 ? 0 : 0xFF << (8 - keep));
  }
  return ip;
}

// Each link's number -> the nodes' addresses on it.
std::map<int, std::vector<std::pair<std::string, std::string>>> CorosyncLinkAddresses(const pve::CorosyncView& view) {
  std::map<int, std::vector<std::pair<std::string, std::string>>> out;
  for (const pve::CorosyncNodeEntry& node : view.nodes) {
    for (const auto& [id, address] : node.links) out[id].emplace_back(node.name, address);
  }
  return out;
}

std::string CorosyncLinkNetwork(const std::vector<std::pair<std::string, std::string>>& on_link,
                        const std::map<std::string, Value>& interfaces) {
  for (const auto& [node, address] : on_link) {
    auto it = interfaces.find(node);
    if (it == interfaces.end() || !it->second.is_array()) continue;
    for (const Value& iface : it->second) {
      for (const char* key : {"cidr", "cidr6"}) {
        const std::string cidr = iface.is_object() ? iface.value(key, std::string()) : std::string();
        if (!cidr.empty() && spec::InNetwork(address, cidr)) {
          if (std::string network = NetworkOfCidr(cidr); !network.empty()) return network;
        }
      }
    }
  }
  std::vector<std::string> addresses;
  for (const auto& [node, address] : on_link) addresses.push_back(address);
  return CommonNetwork(addresses);
}

}  // namespace

std::string NetworkOfCidr(const std::string& cidr) {
  const size_t slash = cidr.find('/');
  if (slash == std::string::npos) return "";
  std::optional<spec::IpAddress> ip = spec::ParseIp(std::string_view(cidr).substr(0, slash));
  std::optional<int64_t> prefix = CorosyncExportInt(cidr.substr(slash + 1));
  if (!ip || !prefix || *prefix < 0 || *prefix > (ip->v6 ? 128 : 32)) return "";
  return CorosyncIpText(CorosyncMasked(*ip, static_cast<int>(*prefix))) + "/" + std::to_string(*prefix);
}

std::string CommonNetwork(const std::vector<std::string>& addresses) {
  std::vector<spec::IpAddress> ips;
  for (const std::string& a : addresses) {
    std::optional<spec::IpAddress> ip = spec::ParseIp(a);
    if (!ip || (!ips.empty() && ip->v6 != ips.front().v6)) return "";
    ips.push_back(*ip);
  }
  if (ips.empty()) return "";
  const int bits = ips.front().v6 ? 128 : 32;
  int prefix = bits;
  for (const spec::IpAddress& ip : ips) {
    for (int bit = 0; bit < prefix; ++bit) {
      const int mask = 0x80 >> (bit % 8);
      if ((ip.bytes[bit / 8] & mask) != (ips.front().bytes[bit / 8] & mask)) {
        prefix = bit;
        break;
      }
    }
  }
  return CorosyncIpText(CorosyncMasked(ips.front(), prefix)) + "/" + std::to_string(prefix);
}

std::vector<ExportPart> CorosyncExportParts(const pve::CorosyncView& view,
                                            const std::map<std::string, Value>& interfaces) {
  std::vector<ExportPart> parts;
  Value corosync = Value::object();
  Value totem = Value::object();
  for (const char* key : kCorosyncExportTotemKeys) {
    auto it = view.totem.find(key);
    if (it == view.totem.end()) continue;
    if (std::optional<int64_t> v = CorosyncExportInt(it->second)) totem[key] = *v;
  }
  if (!totem.empty()) corosync["totem"] = totem;
  Value links = Value::array();
  for (const auto& [id, on_link] : CorosyncLinkAddresses(view)) {
    Value link{{"id", id}};
    const std::string network = CorosyncLinkNetwork(on_link, interfaces);
    if (!network.empty()) link["network"] = network;
    auto it = view.interfaces.find(id);
    if (it != view.interfaces.end() && it->second.contains("knet_link_priority")) {
      if (std::optional<int64_t> p = CorosyncExportInt(it->second.at("knet_link_priority"))) link["priority"] = *p;
    }
    links.push_back(std::move(link));
  }
  if (!links.empty()) corosync["links"] = links;
  Value cluster = Value::object();
  if (!corosync.empty()) cluster["corosync"] = corosync;
  parts.push_back(ExportPart{"cluster", view.cluster_name, "", cluster});
  for (const pve::CorosyncNodeEntry& node : view.nodes) {
    if (node.quorum_votes == 1 || node.name.empty()) continue;  // 1 is the default
    parts.push_back(ExportPart{"node", node.name, "", Value{{"corosync", {{"votes", node.quorum_votes}}}}});
  }
  return parts;
}

}  // namespace hainfra::providers
