// /cluster/config: corosync membership as pve-cluster's API2::ClusterConfig serves it — create (pvecm
// create), nodes, addnode/delnode, join info and join (on the joining node's own API), totem, qdevice,
// apiversion. Changes go to corosync.conf in the ClusterFs with config_version bumped.
#include "sim/pvesim/api_common.h"
#include "sim/pvesim/api_routes.h"
#include "sim/pvesim/corosync_conf.h"
#include "sim/pvesim/formats.h"
#include "sim/pvesim/property_string.h"

namespace pvesim {

namespace {

constexpr int kJoinApiVersion = 1;

Result<json> ReadCorosync(Simulator& sim) {
  auto raw = sim.fs().Read("corosync.conf");
  if (!raw) return json(nullptr);
  auto conf = ParseCorosyncConf(*raw);
  if (!conf) return Fail(conf.error());
  return *conf;
}

// link0..link7 parameters: link number -> address.
std::map<int, std::string> LinkArgs(const Params& p) {
  std::map<int, std::string> links;
  for (int i = 0; i <= 7; ++i) {
    auto v = p.Str("link" + std::to_string(i));
    if (!v) continue;
    PropertyMap m = SplitLoose(*v);
    links[i] = m.contains("address") ? m["address"] : m[""];
  }
  return links;
}

// The server side of a join (POST /cluster/config/nodes/{node}): validates links and adds the node.
Result<json> AddNode(Simulator& sim, const std::string& name, const Params& p) {
  if (p.Int("apiversion").value_or(0) < kJoinApiVersion - 1)
    return Die("error: unsupported old API version on joining node (" + p.StrOr("apiversion", "0") + "), cluster node has " +
               std::to_string(kJoinApiVersion));
  if (auto st = CheckCfsQuorum(sim); !st) return Fail(st.error());
  std::lock_guard<std::mutex> lock(sim.mu());
  auto conf = ReadCorosync(sim);
  if (!conf) return Fail(conf.error());
  if (conf->is_null()) return Die("Error: Corosync config '/etc/pve/corosync.conf' does not exist - is this node part of a cluster?");
  json& nodelist = (*conf)["nodelist"]["node"];
  auto links = LinkArgs(p);
  for (const auto& [num, addr] : links) {
    for (auto it = nodelist.begin(); it != nodelist.end(); ++it) {
      if (it.key() == name) continue;
      for (int l = 0; l <= 7; ++l) {
        std::string key = "ring" + std::to_string(l) + "_addr";
        if (it.value().value(key, "") == addr)
          return Die("corosync: address '" + addr + "' already used on link " + key + " by node '" + it.key() + "'");
      }
    }
  }
  std::map<int, std::string> cluster_links;
  if (!nodelist.empty()) {
    const json& any = nodelist.begin().value();
    for (int l = 0; l <= 7; ++l)
      if (any.contains("ring" + std::to_string(l) + "_addr")) cluster_links[l] = any["ring" + std::to_string(l) + "_addr"];
  }
  if (!links.empty()) {
    for (int l = 0; l <= 7; ++l) {
      if (cluster_links.contains(l) && !links.contains(l))
        return Die("corosync: link " + std::to_string(l) + " exists in cluster config but wasn't specified for new node");
      if (!cluster_links.contains(l) && links.contains(l))
        return Die("corosync: link " + std::to_string(l) + " specified for new node doesn't exist in cluster config");
    }
  } else {
    auto ip = p.Str("new_node_ip");
    if (!ip) return Die("no links and no fallback ip (new_node_ip) given, cannot join cluster");
    if (cluster_links.size() != 1)
      return Die("no links given but multiple links found on other nodes, fallback only supported on single-link clusters");
    links[cluster_links.begin()->first] = *ip;
  }
  std::string nodeid = p.StrOr("nodeid", "");
  std::string votes = p.StrOr("votes", "");
  if (nodelist.contains(name)) {
    const json& existing = nodelist[name];
    if (nodeid.empty()) nodeid = existing.value("nodeid", "");
    if (votes.empty()) votes = existing.value("quorum_votes", "1");
    if (!(p.Bool("force") && existing.value("nodeid", "") == nodeid && existing.value("quorum_votes", "1") == votes))
      return Die("can't add existing node '" + name + "'");
  } else if (nodeid.empty()) {
    int id = 1;
    for (bool found = true; found;) {
      found = false;
      for (const auto& [k, v] : nodelist.items())
        if (v.value("nodeid", "") == std::to_string(id)) { found = true; ++id; break; }
    }
    nodeid = std::to_string(id);
  }
  if (votes.empty()) votes = "1";
  json entry = {{"name", name}, {"nodeid", nodeid}};
  if (votes != "0") entry["quorum_votes"] = votes;
  for (const auto& [num, addr] : links) entry["ring" + std::to_string(num) + "_addr"] = addr;
  nodelist[name] = entry;
  BumpConfigVersion(*conf);
  std::string text = WriteCorosyncConf(*conf);
  if (auto st = sim.fs().Write("corosync.conf", text); !st) return Fail(st.error());
  (void)sim.fs().Write("nodes/" + name + "/lrm_status", "{\"mode\":\"active\",\"results\":{},\"state\":\"wait_for_agent_lock\",\"timestamp\":0}");
  sim.runtime().ha.lrm_mode[name] = "active";
  sim.MarkDirty();
  return json{{"corosync_authkey", "(simulated corosync authkey)\n"}, {"corosync_conf", text}, {"warnings", json::array()}};
}

Result<Reply> CreateCluster(Call& c) {
  if (ClusterViewFor(c.sim, c.local).clustered || c.sim.fs().Read("corosync.conf"))
    return Die("cluster config '/etc/pve/corosync.conf' already exists");
  Simulator& sim = c.sim;
  std::string node = c.local, name = c.params.StrOr("clustername", "");
  auto links = LinkArgs(c.params);
  if (links.empty()) links[0] = sim.facts().Address(node);
  int nodeid = static_cast<int>(c.params.Int("nodeid").value_or(1));
  int votes = static_cast<int>(c.params.Int("votes").value_or(1));
  std::string upid = sim.tasks().Start(node, "clustercreate", name, c.caller.Userid(), [&sim, node, name, links, nodeid, votes](TaskContext& ctx) -> Status {
    if (auto st = ctx.Work(); !st) return st;
    json conf = NewCorosyncConf(name, node, nodeid, votes, links);
    BumpConfigVersion(conf);
    ctx.Log("Writing corosync config to /etc/pve/corosync.conf");
    if (auto st = sim.fs().Write("corosync.conf", WriteCorosyncConf(conf)); !st) return st;
    ctx.Log("Restart corosync and cluster filesystem");
    return Ok();
  });
  return Reply(upid);
}

// pvecm add on the joining node: checks, "login" to the cluster node, addnode there, local setup.
Result<Reply> JoinCluster(Call& c) {
  Simulator& sim = c.sim;
  std::string node = c.local;
  Params p = c.params;
  std::string password = sim.auth().credentials().root_password;
  std::string fingerprint = sim.fingerprint();
  std::string upid = sim.tasks().Start(node, "clusterjoin", "", c.caller.Userid(), [&sim, node, p, password, fingerprint](TaskContext& ctx) -> Status {
    std::string errors;
    if (ClusterViewFor(sim, node).clustered) {
      errors += "* authentication key '/etc/corosync/authkey' already exists\n";
      errors += "* cluster config '/etc/pve/corosync.conf' already exists\n";
    }
    for (const auto& [vmid, vnode] : VmList(sim))
      if (vnode == node) { errors += "* this host already contains virtual guests\n"; break; }
    if (!errors.empty()) {
      ctx.Log("detected the following error(s):");
      ctx.Log(errors.substr(0, errors.size() - 1));
      if (!p.Bool("force")) return Die("Check if node may join a cluster failed!");
      ctx.Log("WARNING : detected error but forced to continue!");
    }
    std::string host = p.StrOr("hostname", "");
    ctx.Log("Establishing API connection with host '" + host + "'");
    std::string target;
    for (const auto& m : sim.facts().Cluster().members)
      if (m.name == host || m.ip == host || sim.facts().Address(m.name) == host) target = m.name;
    if (target.empty() || !sim.facts().Online(target))
      return Die("500 Can't connect to " + host + ":8006 (No route to host)");
    std::string fp = p.StrOr("fingerprint", "");
    std::transform(fp.begin(), fp.end(), fp.begin(), [](unsigned char ch) { return std::toupper(ch); });
    if (fp != fingerprint) return Die("500 Can't connect to " + host + ":8006 (fingerprint '" + fp + "' not verified, abort!)");
    if (p.StrOr("password", "") != password) return Die("401 authentication failure");
    ctx.Log("Login succeeded.");
    ctx.Log("check cluster join API version");
    Params args;
    for (const char* k : {"force", "nodeid", "votes"})
      if (p.Has(k)) args.Set(k, p.StrOr(k, ""));
    auto links = LinkArgs(p);
    for (const auto& [num, addr] : links) args.Set("link" + std::to_string(num), addr);
    if (links.empty()) {
      args.Set("new_node_ip", sim.facts().Address(node));
      ctx.Log("No cluster network links passed explicitly, fallback to local node IP '" + sim.facts().Address(node) + "'");
    }
    args.Set("apiversion", std::to_string(kJoinApiVersion));
    ctx.Log("Request addition of this node");
    if (auto st = ctx.Work(); !st) return st;
    auto res = AddNode(sim, node, args);
    if (!res) {
      std::string msg = res.error().message;
      if (!msg.empty() && msg.back() == '\n') msg.pop_back();
      ctx.Log("An error occurred on the cluster node: " + msg);
      return Die("Cluster join aborted!");
    }
    ctx.Log("Join request OK, finishing setup locally");
    if (auto st = sim.facts().FinishJoin(node, res->value("corosync_conf", "")); !st) {
      ctx.Log("finishing the join failed: " + st.error().message);
      return Die("Cluster join aborted!");
    }
    ctx.Log("stopping pve-cluster service");
    ctx.Log("backup old database to '/var/lib/pve-cluster/backup/config-" + std::to_string(Now()) + ".sql.gz'");
    ctx.Log("waiting for quorum...OK");
    ctx.Log("(re)generate node files");
    ctx.Log("generate new node certificate");
    ctx.Log("merge authorized SSH keys");
    ctx.Log("generated new node certificate, restart pveproxy and pvedaemon services");
    ctx.Log("successfully added node '" + node + "' to cluster.");
    return Ok();
  });
  return Reply(upid);
}

Result<Reply> JoinInfo(Call& c) {
  std::string node = c.params.StrOr("node", c.local);
  auto conf = ReadCorosync(c.sim);
  if (!conf) return Fail(conf.error());
  if (conf->is_null() || !ClusterViewFor(c.sim, c.local).clustered)
    return Raise(424, "node is not in a cluster, no join info available!");
  json nodelist = json::array();
  if (!(*conf)["nodelist"]["node"].contains(node)) return Die("unknown node '" + node + "'");
  for (auto [name, n] : (*conf)["nodelist"]["node"].items()) {
    n["pve_fp"] = c.sim.fingerprint();
    n["pve_addr"] = c.sim.facts().Address(name);
    nodelist.push_back(n);
  }
  return Reply(json{{"nodelist", nodelist}, {"preferred_node", node}, {"totem", (*conf)["totem"]},
                    {"config_digest", Sha1Hex(c.sim.fs().Read("corosync.conf").value_or(""))}});
}

Result<Reply> DeleteNode(Call& c) {
  std::string name = c.params.StrOr("node", "");
  if (name == c.local) return Die("Cannot delete myself from cluster!");
  if (auto st = CheckCfsQuorum(c.sim); !st) return Fail(st.error());
  std::lock_guard<std::mutex> lock(c.sim.mu());
  auto conf = ReadCorosync(c.sim);
  if (!conf) return Fail(conf.error());
  if (conf->is_null()) return Die("Error: Corosync config '/etc/pve/corosync.conf' does not exist - is this node part of a cluster?");
  json& nodelist = (*conf)["nodelist"]["node"];
  std::string found;
  for (const auto& [k, v] : nodelist.items())
    if (k == name || v.value("ring0_addr", "") == name || v.value("ring1_addr", "") == name) found = k;
  if (found.empty()) return Die("Node/IP: " + name + " is not a known host of the cluster.");
  nodelist.erase(found);
  BumpConfigVersion(*conf);
  if (auto st = c.sim.fs().Write("corosync.conf", WriteCorosyncConf(*conf)); !st) return Fail(st.error());
  return Reply(nullptr);
}

}  // namespace

void AddClusterConfigRoutes(RouteTable& t) {
  t.Add("GET", "/cluster/config", kNoFlags, [](Call&) -> Result<Reply> {
    return Reply(Index({"nodes", "totem", "join", "qdevice", "apiversion"}));
  });
  t.Add("POST", "/cluster/config", kRootOnly, CreateCluster);
  t.Add("GET", "/cluster/config/apiversion", kNoFlags, [](Call&) -> Result<Reply> { return Reply(kJoinApiVersion); });
  t.Add("GET", "/cluster/config/nodes", kNoFlags, [](Call& c) -> Result<Reply> {
    auto conf = ReadCorosync(c.sim);
    if (!conf) return Fail(conf.error());
    json out = json::array();
    if (!conf->is_null()) {
      for (auto [name, n] : (*conf)["nodelist"]["node"].items()) {
        n["node"] = name;
        out.push_back(n);
      }
    }
    return Reply(out);
  });
  t.Add("POST", "/cluster/config/nodes/{node}", kRootOnly, [](Call& c) -> Result<Reply> {
    auto res = AddNode(c.sim, c.params.StrOr("node", ""), c.params);
    if (!res) return Fail(res.error());
    return Reply(*res);
  });
  t.Add("DELETE", "/cluster/config/nodes/{node}", kRootOnly, DeleteNode);
  t.Add("GET", "/cluster/config/join", kNoFlags, JoinInfo);
  t.Add("POST", "/cluster/config/join", kRootOnly, JoinCluster);
  t.Add("GET", "/cluster/config/totem", kNoFlags, [](Call& c) -> Result<Reply> {
    auto conf = ReadCorosync(c.sim);
    if (!conf) return Fail(conf.error());
    if (conf->is_null()) return Reply(nullptr);
    return Reply((*conf)["totem"]);
  });
  t.Add("GET", "/cluster/config/qdevice", kNoFlags,
        [](Call& c) -> Result<Reply> { return Reply(c.sim.facts().Cluster().qdevice); });
}

}  // namespace pvesim
