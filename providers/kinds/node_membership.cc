#include "providers/kinds/node_membership.h"

#include <cstdlib>
#include <map>
#include <set>

#include "engine/plan/fingerprint.h"
#include "providers/kinds/kind_order.h"
#include "providers/safety/cluster_health.h"
#include "schemas/field_builders.h"

namespace hainfra::providers {
namespace {

FieldSpec MemberBodySpec() {
  FieldSpec links = schemas::Field("links", FieldType::kMap, "link addresses used to join").Unmanaged();
  links.element = {schemas::Field("address", FieldType::kString, "address")};
  FieldSpec body = schemas::Field("node", FieldType::kObject, "cluster membership");
  body.fields = {schemas::Field("member", FieldType::kBool, "a member of the cluster"),
                 schemas::Field("address", FieldType::kString, "management address (API of a joining node)")
                     .Unmanaged(),
                 links};
  return body;
}

// Proxmox's "Remove a Cluster Node" (pvecm documentation), with {node} for the node's name.
constexpr const char* kByHand =
    "removing a node is never automatic; by hand, as Proxmox documents: "
    "1) migrate or remove its guests, drop its replication jobs and take it out of HA rules; "
    "2) power {node} off for good (it must not come back into this network as it is: to rejoin, reinstall it); "
    "3) on a remaining node run `pvecm delnode {node}` (\"Could not kill node (error = CS_ERR_NOT_EXIST)\" "
    "there is harmless); "
    "4) check that /etc/pve/nodes/{node}/qemu-server and lxc hold no guest configs, keep what you need, then "
    "`rm -rf /etc/pve/nodes/{node}`; "
    "5) its SSH key stays in the other nodes' known_hosts: if a node of the same name or address joins later and "
    "SSH fails, run `pvecm updatecerts` on it once. "
    "Step 3 is what `hainfra apply --allow-destroy` does, and only while {node} is offline";

std::string ByHand(const std::string& node) {
  std::string text = kByHand;
  for (size_t at = text.find("{node}"); at != std::string::npos; at = text.find("{node}", at + node.size())) {
    text.replace(at, 6, node);
  }
  return text;
}

class NodeMembershipKind : public ResourceKind {
 public:
  explicit NodeMembershipKind(KindDeps& deps) : deps_(deps) {
    traits_.name = "node";
    traits_.order = order::kMembership;
    traits_.body = MemberBodySpec();
  }

  const KindTraits& traits() const override { return traits_; }

  std::vector<Resource> Desired(const Spec& spec) const override {
    std::vector<Resource> out;
    for (const Resource* node : spec.OfKind("node")) {
      Resource r;
      r.address = node->address;
      r.absent = node->absent;
      r.where = node->where;
      r.body = Value{{"member", true}, {"address", node->body.value("address", "")}};
      Value links = Value::object();  // what the join passes on: link addresses, votes, nodeid
      if (node->body.contains("corosync") && node->body["corosync"].is_object()) {
        for (const auto& [key, value] : node->body["corosync"].items()) {
          if (key.starts_with("link") || key == "votes" || key == "nodeid") links[key] = value;
        }
      }
      r.body["links"] = links;
      out.push_back(std::move(r));
    }
    return out;
  }

  Result<std::vector<Observed>> Observe(const std::vector<Resource>& desired) override {
    std::vector<Observed> out;
    if (desired.empty()) return out;
    Result<Value> nodes = deps_.api->Get("/cluster/config/nodes");
    std::set<std::string> members;
    if (nodes) {
      for (const Value& n : *nodes) members.insert(n.value("name", n.value("node", "")));
    } else {
      // A standalone node (no corosync.conf) answers with an error: its only member is itself.
      Result<safety::ClusterStatus> status = safety::ReadClusterStatus(*deps_.api);
      if (!status) return Fail(status.error());
      if (status->clustered) return Fail(WithContext(nodes.error(), "reading /cluster/config/nodes"));
      for (const auto& [name, online] : status->online) members.insert(name);
    }
    // The members the spec names (present or absent). A member it leaves out is not managed: specs often
    // declare only the nodes whose network or baseline they manage. Removal is asked for with `state: absent`.
    std::set<std::string> named;
    for (const Resource& r : desired) named.insert(r.address.name);
    for (const std::string& name : members) {
      if (name.empty() || !named.contains(name)) continue;
      Observed o;
      o.address = Address{"node", name};
      o.body = Value{{"member", true}};
      o.version = plan::Fingerprint(o.body);
      out.push_back(std::move(o));
    }
    return out;
  }

  // A member the spec marks absent leaves only by hand: the plan shows the documented steps.
  std::string ByHandRemoval(const Observed& observed) const override { return ByHand(observed.address.name); }

  // `hainfra export`: every member as the spec's `nodes` section writes it (name and management address, from
  // GET /cluster/status, whose `ip` is the address the node's API and SSH answer on; its corosync link
  // addresses from GET /cluster/config/nodes, so that a carried-over `cluster.corosync` loads back).
  Result<std::vector<Observed>> ObserveAll() override {
    Result<Value> status = deps_.api->Get("/cluster/status");
    if (!status) return Fail(WithContext(status.error(), "reading /cluster/status"));
    std::vector<Observed> out;
    if (!status->is_array()) return out;
    std::map<std::string, Value> links;  // node -> {"link0": address, ...}
    if (Result<Value> nodes = deps_.api->Get("/cluster/config/nodes"); nodes && nodes->is_array()) {
      for (const Value& n : *nodes) {
        if (!n.is_object() || !n.contains("node")) continue;
        for (int id = 0; id < 8; ++id) {
          auto addr = n.find("ring" + std::to_string(id) + "_addr");
          if (addr != n.end() && addr->is_string()) links[n.value("node", "")]["link" + std::to_string(id)] = *addr;
        }
      }
    }
    for (const Value& entry : *status) {
      if (!entry.is_object() || entry.value("type", "") != "node") continue;
      const std::string name = entry.value("name", "");
      if (name.empty()) continue;
      Observed o;
      o.address = Address{"node", name};
      o.body = Value{{"name", name}};
      if (entry.contains("ip") && entry["ip"].is_string()) o.body["address"] = entry["ip"];
      if (auto l = links.find(name); l != links.end()) o.body["corosync"] = l->second;
      o.version = plan::Fingerprint(o.body);
      out.push_back(std::move(o));
    }
    return out;
  }

  StepScope Scope(const Value& body) const override {
    (void)body;
    return {};
  }

  Status Create(const Change& change) override;
  Status Update(const Change& change) override {
    (void)change;
    return Ok();  // membership has nothing to update; addresses are the corosync kind's
  }
  Status Delete(const Change& change) override;

 private:
  // A client logged in as root@pam at `endpoint` (joins and removals are root@pam only in Proxmox).
  Result<std::unique_ptr<transport::ApiClient>> RootClient(const std::string& node, const std::string& what,
                                                           const std::string& endpoint) const;

  KindDeps& deps_;
  KindTraits traits_;
};

Result<std::unique_ptr<transport::ApiClient>> NodeMembershipKind::RootClient(const std::string& node,
                                                                           const std::string& what,
                                                                           const std::string& endpoint) const {
  transport::ApiSettings settings = deps_.api->settings();
  settings.endpoint = endpoint;
  if (!settings.HasPassword()) {
    return Fail(Code::kFailedPrecondition, "node/" + node + ": " + what + " needs root@pam's password "
                                           "(cluster.api.password or HAINFRA_API_PASSWORD)");
  }
  return transport::ApiClient::Create(settings);
}

Status NodeMembershipKind::Create(const Change& change) {
  const std::string node = change.address.name;
  // The join information of an existing member: its fingerprint and address.
  Result<Value> info = deps_.api->Get("/cluster/config/join");
  if (!info) return Fail(WithContext(info.error(), "node/" + node + ": reading the cluster's join information"));
  const std::string preferred = info->value("preferred_node", "");
  std::string hostname;
  std::string fingerprint;
  for (const Value& member : info->value("nodelist", Value::array())) {
    if (member.value("name", "") == preferred || hostname.empty()) {
      hostname = member.value("pve_addr", member.value("ring0_addr", ""));
      fingerprint = member.value("pve_fp", "");
    }
  }
  if (hostname.empty() || fingerprint.empty()) {
    return Fail(Code::kFailedPrecondition, "node/" + node + ": the cluster's join information names no member");
  }
  // The joining node's own API, logged in as root@pam (Proxmox allows joins to root@pam only).
  const transport::ApiSettings& settings = deps_.api->settings();
  std::string endpoint;
  if (const char* list = std::getenv("HAINFRA_NODE_ENDPOINTS"); list != nullptr) {
    auto endpoints = ParseNodeEndpoints(list);
    if (endpoints.contains(node)) endpoint = endpoints.at(node);
  }
  if (endpoint.empty()) {
    const std::string address = change.after.value("address", "");
    if (address.empty()) return Fail(Code::kInvalidArgument, "node/" + node + ": no address to reach its API");
    endpoint = "https://" + (address.find(':') != std::string::npos ? "[" + address + "]" : address) + ":8006";
  }
  auto client = RootClient(node, "joining", endpoint);
  if (!client) return Fail(client.error());
  Value params{{"hostname", hostname}, {"fingerprint", fingerprint}, {"password", settings.password.Reveal()}};
  const Value links = change.after.value("links", Value::object());  // kept alive: items() only refers to it
  for (const auto& [key, value] : links.items()) params[key] = value;
  transport::Request join;
  join.method = transport::Method::kPost;
  join.path = "/cluster/config/join";
  join.params = params;
  join.auth = transport::Auth::kTicket;
  Result<Value> upid = (*client)->Send(join);
  if (!upid) return Fail(WithContext(upid.error(), "node/" + node + ": joining through " + endpoint));
  auto task = (*client)->WaitTask(upid->get<std::string>(), std::chrono::minutes(5));
  if (!task) return Fail(WithContext(task.error(), "node/" + node + ": the join task"));
  // Verify: the cluster now lists it.
  Result<Value> nodes = deps_.api->Get("/cluster/config/nodes");
  if (!nodes) return Fail(nodes.error());
  for (const Value& n : *nodes) {
    if (n.value("name", n.value("node", "")) == node) return Ok();
  }
  return Fail(Code::kFailedPrecondition, "node/" + node + ": the join task ended but the cluster does not list it");
}

Status NodeMembershipKind::Delete(const Change& change) {
  const std::string node = change.address.name;
  Result<safety::ClusterStatus> status = safety::ReadClusterStatus(*deps_.api);
  if (!status) return Fail(status.error());
  auto it = status->online.find(node);
  if (it != status->online.end() && it->second) {
    return Fail(Code::kFailedPrecondition, "node/" + node + " is online, so it is not removed; " + ByHand(node));
  }
  // Like the join, `pvecm delnode` is for root@pam only (no token).
  auto client = RootClient(node, "removing it", deps_.api->settings().endpoint);
  if (!client) return Fail(client.error());
  transport::Request remove;
  remove.method = transport::Method::kDelete;
  remove.path = "/cluster/config/nodes/" + node;
  remove.auth = transport::Auth::kTicket;
  Result<Value> removed = (*client)->Send(remove);
  if (!removed) return Fail(WithContext(removed.error(), "node/" + node + ": pvecm delnode"));
  return Ok();
}

}  // namespace

std::map<std::string, std::string> ParseNodeEndpoints(const std::string& text) {
  std::map<std::string, std::string> out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    std::string item = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    size_t eq = item.find('=');
    if (eq != std::string::npos && eq > 0) out[item.substr(0, eq)] = item.substr(eq + 1);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

std::unique_ptr<ResourceKind> MakeNodeMembershipKind(KindDeps& deps) { return std::make_unique<NodeMembershipKind>(deps); }

}  // namespace hainfra::providers
