// A node's certificates and ACME settings as pve-manager's API2::Certificates, API2::ACME and PVE::NodeConfig
// serve them. The node config is pmxcfs' nodes/<node>/config ("key: value" lines, the description as comment
// lines first); its `acme` (account, domains) and `acmedomain0..5` (domain, plugin, alias) say what an ACME
// order asks for (PVE::NodeConfig::get_acme_conf). The order's refusals before its task are 400s (`force`, no
// domain); a missing account or plugin fails the task, as pve-manager's API2::ACME checks them in the worker. The certificate pveproxy serves is nodes/<node>/pveproxy-ssl.pem/.key: uploaded (custom),
// ordered (task acmenewcert), renewed (acmerenew) or revoked (acmerevoke). pvesim plays the CA and issues the
// certificate itself with OpenSSL for the configured domains. /certificates/info lists the cluster CA, the
// node's pve-ssl.pem and pveproxy-ssl.pem, those that exist.
#include <set>
#include <sstream>
#include <string>

#include "sim/pvesim/api_common.h"
#include "sim/pvesim/api_routes.h"
#include "sim/pvesim/formats.h"
#include "sim/pvesim/property_string.h"
#include "sim/pvesim/router.h"
#include "sim/pvesim/tls_cert.h"

namespace pvesim {

namespace {

constexpr int kCertMaxDomains = 5;  // acmedomain0..4 (PVE::NodeConfig MAXDOMAINS)

std::string NodeConfigPath(const std::string& node) { return "nodes/" + node + "/config"; }
std::string ProxyCertPath(const std::string& node) { return "nodes/" + node + "/pveproxy-ssl.pem"; }
std::string ProxyKeyPath(const std::string& node) { return "nodes/" + node + "/pveproxy-ssl.key"; }

struct NodeConfigFile {
  std::string description;
  std::map<std::string, std::string> values;  // in key order (write_node_config sorts them)
  std::string digest;
};

NodeConfigFile ReadNodeConfig(Simulator& sim, const std::string& node) {
  NodeConfigFile cfg;
  const std::string raw = sim.fs().Read(NodeConfigPath(node)).value_or("");
  cfg.digest = Sha1Hex(raw);
  std::istringstream in(raw);
  for (std::string line; std::getline(in, line);) {
    if (line.starts_with("#")) {
      cfg.description += line.substr(1) + "\n";
      continue;
    }
    const size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.erase(0, 1);
    cfg.values[line.substr(0, colon)] = value;
  }
  return cfg;
}

Status WriteNodeConfig(Simulator& sim, const std::string& node, const NodeConfigFile& cfg) {
  std::string text;
  std::istringstream desc(cfg.description);
  for (std::string line; std::getline(desc, line);) text += "#" + line + "\n";
  for (const auto& [k, v] : cfg.values) text += k + ": " + v + "\n";
  return sim.fs().Write(NodeConfigPath(node), text);
}

struct AcmeDomain {
  std::string domain, plugin = "standalone", alias;
};
struct AcmeOrder {
  std::string account = "default";
  std::vector<AcmeDomain> domains;
};

// PVE::NodeConfig::get_acme_conf: the legacy `domains` list (standalone) and the acmedomainN entries; a
// domain named twice is refused.
Result<AcmeOrder> NodeAcmeConf(const NodeConfigFile& cfg) {
  AcmeOrder order;
  std::set<std::string> seen;
  auto add = [&](AcmeDomain d) -> Status {
    if (!seen.insert(d.domain).second) return Die("duplicate domain '" + d.domain + "' in ACME config properties");
    order.domains.push_back(std::move(d));
    return Ok();
  };
  if (auto it = cfg.values.find("acme"); it != cfg.values.end()) {
    PropertyMap acme = SplitLoose(it->second);
    if (acme.contains("account")) order.account = acme["account"];
    for (const auto& d : SplitList(acme.contains("domains") ? acme["domains"] : ""))
      if (auto st = add(AcmeDomain{d, "standalone", ""}); !st) return Fail(st.error());
  }
  for (int i = 0; i < kCertMaxDomains; ++i) {
    auto it = cfg.values.find("acmedomain" + std::to_string(i));
    if (it == cfg.values.end()) continue;
    PropertyMap m = SplitLoose(it->second);
    AcmeDomain d{m.contains("domain") ? m["domain"] : m[""], m.contains("plugin") ? m["plugin"] : "standalone",
                 m.contains("alias") ? m["alias"] : ""};
    if (auto st = add(d); !st) return Fail(st.error());
  }
  return order;
}

json CertInfoJson(const CertificateInfo& info, const std::string& filename) {
  return {{"filename", filename}, {"fingerprint", info.fingerprint}, {"subject", info.subject},
          {"issuer", info.issuer}, {"notbefore", info.notbefore}, {"notafter", info.notafter},
          {"san", info.san}, {"pem", info.pem}, {"public-key-type", info.public_key_type},
          {"public-key-bits", info.public_key_bits}};
}

Status InstallProxyCert(Simulator& sim, const std::string& node, const std::string& chain, const std::string& key) {
  if (auto st = sim.fs().Write(ProxyKeyPath(node), key); !st) return st;
  return sim.fs().Write(ProxyCertPath(node), chain);
}

void RemoveProxyCert(Simulator& sim, const std::string& node) {
  (void)sim.fs().Remove(ProxyCertPath(node));
  (void)sim.fs().Remove(ProxyKeyPath(node));
}

Result<Reply> UpdateNodeConfig(Call& c) {
  Params p = c.params;
  p.Erase("node");
  const std::optional<std::string> digest = p.Take("digest");
  const std::string del = p.Take("delete").value_or("");
  std::lock_guard<std::mutex> lock(c.sim.mu());
  NodeConfigFile cfg = ReadNodeConfig(c.sim, c.node);
  if (auto st = AssertDigest(digest, cfg.digest); !st) return Fail(st.error());
  for (const auto& k : SplitList(del)) {
    if (k == "description") cfg.description.clear();
    else cfg.values.erase(k);
  }
  for (const auto& k : p.Keys()) {
    const std::string v = p.StrOr(k, "");
    if (k == "description") cfg.description = v.empty() || v.ends_with("\n") ? v : v + "\n";
    else cfg.values[k] = v;
  }
  if (auto order = NodeAcmeConf(cfg); !order) return Fail(order.error());
  if (auto st = WriteNodeConfig(c.sim, c.node, cfg); !st) return Fail(st.error());
  return Reply(nullptr);
}

// The node's ACME settings as the order, renew and revoke calls need them: 400 without a domain.
Result<AcmeOrder> NodeAcmeOrder(Simulator& sim, const std::string& node) {
  auto order = NodeAcmeConf(ReadNodeConfig(sim, node));
  if (!order) return order;
  if (order->domains.empty()) return Raise(400, "ACME domain list in node configuration is missing!");
  return order;
}

// The worker of an order or a renewal: the account must exist, every pending domain's plugin too; then the
// CA (pvesim) validates, issues for all domains and the certificate and key replace pveproxy's.
Status RunAcmeOrder(Simulator& sim, const std::string& node, const AcmeOrder& plan, bool revoke_old, TaskContext& ctx) {
  if (!sim.fs().Read("priv/acme/" + plan.account))
    return Die("ACME account config file '" + plan.account + "' does not exist.");
  ctx.Log("Loading ACME account details");
  ctx.Log("Placing ACME order");
  const std::string order_url = "https://acme.pvesim.invalid/acme/order/" + Sha1Hex(node + std::to_string(NowMs())).substr(0, 16);
  ctx.Log("Order URL: " + order_url);
  std::vector<std::string> names;
  for (const auto& d : plan.domains) {
    ctx.Log("");
    ctx.Log("Getting authorization details from '" + order_url + "/authz/" + d.domain + "'");
    ctx.Log("The validation for " + d.domain + " is pending!");
    if (!AcmePluginExists(sim, d.plugin))
      return Die("domain '" + d.domain + "' is configured to use non-existent plugin '" + d.plugin + "'");
    if (d.plugin == "standalone") ctx.Log("Setting up webserver");
    else ctx.Log("[" + d.plugin + "] Add TXT record: _acme-challenge." + (d.alias.empty() ? d.domain : d.alias));
    ctx.Log("Triggering validation");
    ctx.Log("Status is 'valid'!");
    names.push_back(d.domain);
  }
  if (auto st = ctx.Work(); !st) return st;
  ctx.Log("");
  ctx.Log("All domains validated!");
  ctx.Log("");
  ctx.Log("Creating CSR");
  auto issued = IssueCertificate(names, "(pvesim) ACME Issuer R1", 90);
  if (!issued) return Fail(issued.error());
  ctx.Log("Checking order status");
  ctx.Log("valid!");
  ctx.Log("");
  ctx.Log("Downloading certificate");
  ctx.Log("Setting pveproxy certificate and key");
  {
    std::lock_guard<std::mutex> lock(sim.mu());
    if (auto st = InstallProxyCert(sim, node, issued->first, issued->second); !st) return st;
  }
  ctx.Log("Restarting pveproxy");
  if (revoke_old) ctx.Log("Revoking old certificate");
  return Ok();
}

Result<Reply> StartAcmeOrder(Call& c, const std::string& type, bool revoke_old) {
  auto order = NodeAcmeOrder(c.sim, c.node);
  if (!order) return Fail(order.error());
  Simulator& sim = c.sim;
  const std::string node = c.node;
  return Reply(sim.tasks().Start(node, type, "", c.caller.Userid(),
                                 [&sim, node, plan = *order, revoke_old](TaskContext& ctx) -> Status {
                                   return RunAcmeOrder(sim, node, plan, revoke_old, ctx);
                                 }));
}

}  // namespace

void AddCertificateRoutes(RouteTable& t) {
  t.Add("GET", "/nodes/{node}/config", kProxyNode, [](Call& c) -> Result<Reply> {
    NodeConfigFile cfg = ReadNodeConfig(c.sim, c.node);
    json out = json::object();
    for (const auto& [k, v] : cfg.values) {
      if (k == "ballooning-target" || k == "startall-onboot-delay") out[k] = std::stoll(v);
      else out[k] = v;
    }
    if (!cfg.description.empty()) out["description"] = cfg.description;
    out["digest"] = cfg.digest;
    if (auto prop = c.params.Str("property")) {
      json one = json::object();
      if (out.contains(*prop)) one[*prop] = out[*prop];
      return Reply(one);
    }
    return Reply(out);
  });
  t.Add("PUT", "/nodes/{node}/config", kProxyNode, UpdateNodeConfig);
  t.Add("GET", "/nodes/{node}/certificates", kNoFlags, [](Call&) -> Result<Reply> {
    return Reply(Index({"acme", "custom", "info"}));
  });
  t.Add("GET", "/nodes/{node}/certificates/acme", kNoFlags, [](Call&) -> Result<Reply> {
    return Reply(Index({"certificate"}));
  });
  t.Add("GET", "/nodes/{node}/certificates/info", kProxyNode, [](Call& c) -> Result<Reply> {
    json out = json::array();
    auto add = [&](const std::optional<std::string>& pem, const std::string& filename) {
      if (!pem) return;
      if (auto info = InspectCertificatePem(*pem)) out.push_back(CertInfoJson(*info, filename));
    };
    add(c.sim.fs().Read("pve-root-ca.pem"), "pve-root-ca.pem");
    add(c.sim.fs().Read("nodes/" + c.node + "/pve-ssl.pem"), "pve-ssl.pem");
    add(c.sim.fs().Read(ProxyCertPath(c.node)), "pveproxy-ssl.pem");
    return Reply(out);
  });
  t.Add("POST", "/nodes/{node}/certificates/custom", kProxyNode, [](Call& c) -> Result<Reply> {
    const std::string chain = c.params.StrOr("certificates", "");
    std::lock_guard<std::mutex> lock(c.sim.mu());
    if (c.sim.fs().Read(ProxyCertPath(c.node)) && !c.params.Bool("force"))
      return Die("Custom certificate exists but 'force' is not set.");
    auto info = InspectCertificatePem(chain);
    if (!info) return ParamError("certificates", "unable to parse certificate chain");
    std::string key = c.params.StrOr("key", "");
    if (key.empty()) {
      auto old = c.sim.fs().Read(ProxyKeyPath(c.node));
      if (!old) return Die("Attempted to upload custom certificate without (existing) key.");
      key = *old;
    }
    if (auto st = CheckKeyMatches(chain, key); !st) return Die("Key check failed: " + st.error().message);
    if (auto st = InstallProxyCert(c.sim, c.node, chain, key); !st) return Fail(st.error());
    return Reply(CertInfoJson(*info, "pveproxy-ssl.pem"));
  });
  t.Add("DELETE", "/nodes/{node}/certificates/custom", kProxyNode, [](Call& c) -> Result<Reply> {
    std::lock_guard<std::mutex> lock(c.sim.mu());
    RemoveProxyCert(c.sim, c.node);
    return Reply(nullptr);
  });
  t.Add("POST", "/nodes/{node}/certificates/acme/certificate", kProxyNode, [](Call& c) -> Result<Reply> {
    if (c.sim.fs().Read(ProxyCertPath(c.node)) && !c.params.Bool("force"))
      return ParamError("force", "Custom certificate exists but 'force' is not set.");
    return StartAcmeOrder(c, "acmenewcert", false);
  });
  t.Add("PUT", "/nodes/{node}/certificates/acme/certificate", kProxyNode, [](Call& c) -> Result<Reply> {
    auto pem = c.sim.fs().Read(ProxyCertPath(c.node));
    if (!pem) return Die("No current (custom) certificate found, please order a new certificate!");
    auto info = InspectCertificatePem(*pem);
    if (info && info->notafter > Now() + 30LL * 24 * 3600 && !c.params.Bool("force"))
      return ParamError("force", "Certificate does not expire within the next 30 days, and 'force' is not set.");
    return StartAcmeOrder(c, "acmerenew", true);
  });
  t.Add("DELETE", "/nodes/{node}/certificates/acme/certificate", kProxyNode, [](Call& c) -> Result<Reply> {
    auto order = NodeAcmeOrder(c.sim, c.node);
    if (!order) return Fail(order.error());
    if (!c.sim.fs().Read(ProxyCertPath(c.node)))
      return Die("Error opening file '/etc/pve/nodes/" + c.node + "/pveproxy-ssl.pem' - No such file or directory");
    Simulator& sim = c.sim;
    const std::string node = c.node, account = order->account;
    std::string upid = sim.tasks().Start(node, "acmerevoke", "", c.caller.Userid(), [&sim, node, account](TaskContext& ctx) -> Status {
      if (!sim.fs().Read("priv/acme/" + account)) return Die("ACME account config file '" + account + "' does not exist.");
      ctx.Log("Loading ACME account details");
      ctx.Log("Revoking old certificate");
      if (auto st = ctx.Work(); !st) return st;
      ctx.Log("Deleting certificate files");
      {
        std::lock_guard<std::mutex> lock(sim.mu());
        RemoveProxyCert(sim, node);
      }
      ctx.Log("Restarting pveproxy to revert to self-signed certificates");
      return Ok();
    });
    return Reply(upid);
  });
}

}  // namespace pvesim
