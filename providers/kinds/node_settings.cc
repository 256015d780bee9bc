#include "providers/kinds/node_settings.h"

#include <sstream>

#include "engine/plan/fingerprint.h"
#include "providers/kinds/kind_order.h"
#include "providers/kinds/node_fanout.h"
#include "providers/kinds/section_kind.h"
#include "providers/kinds/section_objects.h"
#include "providers/pve/pve_values.h"
#include "providers/transport/api_path.h"

namespace hainfra::providers {
namespace {

constexpr std::string_view kHostsBegin = "# BEGIN hainfra: entries managed by hainfra (nodes[].hosts)";
constexpr std::string_view kHostsEnd = "# END hainfra";

const char* const kNodeSettingsParts[] = {"dns", "timezone", "hosts"};

// The node section's own definitions of the three fields, so the diff reads them exactly as declared.
FieldSpec NodeSettingsBody() {
  const FieldSpec node = SectionBody("node");
  FieldSpec body = node;
  body.name = "node_settings";
  body.fields.clear();
  for (const FieldSpec& f : node.fields) {
    for (const char* part : kNodeSettingsParts) {
      if (f.name == part) body.fields.push_back(f);
    }
  }
  return body;
}

std::string NodePath(const std::string& node, const char* what) {
  return transport::ApiPath({"nodes", node, what});
}

class NodeSettingsKind : public ResourceKind {
 public:
  explicit NodeSettingsKind(KindDeps& deps) : deps_(deps) {
    traits_.name = "node_settings";
    traits_.order = order::kNodeSettings;
    traits_.body = NodeSettingsBody();
  }

  const KindTraits& traits() const override { return traits_; }

  std::vector<Resource> Desired(const Spec& spec) const override {
    std::vector<Resource> out;
    for (const Resource* node : spec.OfKind("node")) {
      if (node->absent || !node->body.is_object()) continue;
      Resource r;
      r.address = {traits_.name, node->address.name};
      r.body = Value{{"node", node->address.name}};
      for (const char* part : kNodeSettingsParts) {
        if (!node->body.contains(part)) continue;
        r.body[part] = node->body[part];
        if (!r.where.known()) r.where = node->LocationOf(std::string("/") + part);
      }
      for (const auto& [pointer, where] : node->locations) {
        for (const char* part : kNodeSettingsParts) {
          if (pointer.rfind(std::string("/") + part, 0) == 0) r.locations[pointer] = where;
        }
      }
      if (r.body.size() > 1) out.push_back(std::move(r));
    }
    return out;
  }

  // Per declared node, only the parts it declares (in parallel over the nodes).
  Result<std::vector<Observed>> Observe(const std::vector<Resource>& desired) override {
    std::vector<std::string> nodes;
    for (const Resource& d : desired) nodes.push_back(d.address.name);
    auto results = ForEachNode<Observed>(nodes, [&](const std::string& node) -> Result<Observed> {
      const Resource* d = nullptr;
      for (const Resource& r : desired) d = r.address.name == node ? &r : d;
      return ObserveNode(node, d->body);
    });
    return CollectNodes(nodes, std::move(results));
  }

  StepScope Scope(const Value& body) const override {
    return {body.is_object() ? body.value("node", "") : std::string(), ""};
  }

  Status Create(const Change& change) override { return Apply(change); }
  Status Update(const Change& change) override { return Apply(change); }
  Status Delete(const Change&) override { return Ok(); }  // never planned: only declared nodes are observed

 private:
  Result<Observed> ObserveNode(const std::string& node, const Value& wanted) {
    Observed o;
    o.address = {traits_.name, node};
    o.body = Value{{"node", node}};
    std::string hosts_digest;
    if (wanted.contains("dns")) {
      Result<Value> dns = deps_.api->Get(NodePath(node, "dns"));
      if (!dns) return Fail(dns.error());
      Value servers = Value::array();
      for (const char* key : {"dns1", "dns2", "dns3"}) {
        const std::string server = pve::TextOf(dns->value(key, Value()));
        if (!server.empty()) servers.push_back(server);
      }
      o.body["dns"] = Value{{"search", pve::TextOf(dns->value("search", Value()))}, {"servers", servers}};
    }
    if (wanted.contains("timezone")) {
      Result<Value> time = deps_.api->Get(NodePath(node, "time"));
      if (!time) return Fail(time.error());
      o.body["timezone"] = pve::TextOf(time->value("timezone", Value()));
    }
    if (wanted.contains("hosts")) {
      Result<Value> hosts = deps_.api->Get(NodePath(node, "hosts"));
      if (!hosts) return Fail(hosts.error());
      o.body["hosts"] = HostsBlockEntries(pve::TextOf(hosts->value("data", Value())));
      hosts_digest = pve::TextOf(hosts->value("digest", Value()));
    }
    o.version = plan::Fingerprint(o.body) + hosts_digest;
    return o;
  }

  Status Apply(const Change& change) {
    const std::string node = change.address.name;
    const Value& after = change.after;
    for (const std::string& part : ChangedFields(change)) {
      Status done = Ok();
      if (part == "dns" && after.contains("dns")) done = WriteDns(node, after["dns"]);
      if (part == "timezone" && after.contains("timezone")) {
        Result<Value> put = deps_.api->Put(NodePath(node, "time"), Value{{"timezone", after["timezone"]}});
        done = put ? Ok() : Status(Fail(put.error()));
      }
      if (part == "hosts" && after.contains("hosts")) done = WriteHosts(node, after["hosts"]);
      if (!done) return Fail(WithContext(done.error(), change.address.ToString()));
    }
    return Ok();
  }

  Status WriteDns(const std::string& node, const Value& dns) {
    // PUT /nodes/{node}/dns writes resolv.conf whole: the servers not given are removed.
    Value params = Value{{"search", dns.value("search", "")}};
    const std::vector<std::string> servers = pve::StringsOf(dns.value("servers", Value::array()));
    for (size_t i = 0; i < servers.size() && i < 3; ++i) params["dns" + std::to_string(i + 1)] = servers[i];
    Result<Value> put = deps_.api->Put(NodePath(node, "dns"), params);
    if (!put) return Fail(put.error());
    return Ok();
  }

  Status WriteHosts(const std::string& node, const Value& entries) {
    Result<Value> current = deps_.api->Get(NodePath(node, "hosts"));
    if (!current) return Fail(current.error());
    const std::string data = pve::TextOf(current->value("data", Value()));
    Value params = Value{{"data", WithHostsBlock(data, entries)}};
    const std::string digest = pve::TextOf(current->value("digest", Value()));
    if (!digest.empty()) params["digest"] = digest;  // another writer in between: Proxmox refuses
    Result<Value> post = deps_.api->Post(NodePath(node, "hosts"), params);
    if (!post) return Fail(post.error());
    return Ok();
  }

  KindDeps& deps_;
  KindTraits traits_;
};

}  // namespace

Value HostsBlockEntries(std::string_view hosts) {
  Value out = Value::array();
  std::istringstream in{std::string(hosts)};
  bool inside = false;
  for (std::string line; std::getline(in, line);) {
    if (line == kHostsBegin) {
      inside = true;
      continue;
    }
    if (line == kHostsEnd) break;
    if (!inside) continue;
    std::istringstream words(line);
    std::string ip;
    if (!(words >> ip) || ip[0] == '#') continue;
    Value names = Value::array();
    for (std::string name; words >> name;) names.push_back(name);
    out.push_back(Value{{"ip", ip}, {"names", names}});
  }
  return out;
}

std::string WithHostsBlock(std::string_view hosts, const Value& entries) {
  std::string block;
  if (entries.is_array() && !entries.empty()) {
    block = std::string(kHostsBegin) + "\n";
    for (const Value& e : entries) {
      block += pve::TextOf(e.value("ip", Value()));
      for (const std::string& name : pve::StringsOf(e.value("names", Value::array()))) block += " " + name;
      block += "\n";
    }
    block += std::string(kHostsEnd) + "\n";
  }
  std::string out;
  bool inside = false;
  bool placed = false;
  std::istringstream in{std::string(hosts)};
  for (std::string line; std::getline(in, line);) {
    if (line == kHostsBegin) {
      inside = true;
      out += block;  // where it was
      placed = true;
      continue;
    }
    if (inside) {
      if (line == kHostsEnd) inside = false;
      continue;
    }
    out += line + "\n";
  }
  if (!placed) out += block;
  return out;
}

std::unique_ptr<ResourceKind> MakeNodeSettingsKind(KindDeps& deps) { return std::make_unique<NodeSettingsKind>(deps); }

}  // namespace hainfra::providers
