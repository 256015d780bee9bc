#include "sim/pvesim/sim_node_facts.h"

#include <algorithm>

#include "sim/pvesim/corosync_conf.h"
#include "sim/pvesim/package_baseline.h"
#include "sim/pvesim/qdevice_status.h"

namespace pvesim {

using json = nlohmann::json;

SimNodeFacts::SimNodeFacts(ClusterFs& fs, std::string local_node, int pve_version)
    : fs_(fs), local_node_(std::move(local_node)), pve_version_(pve_version) {}

void SimNodeFacts::AddNode(const std::string& node, const std::string& address) {
  std::lock_guard<std::mutex> lock(mu_);
  nodes_[node].address = address;
}

std::vector<std::string> SimNodeFacts::Nodes() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<std::string> out;
  for (const auto& [name, n] : nodes_) out.push_back(name);
  return out;
}

bool SimNodeFacts::Online(const std::string& node) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = nodes_.find(node);
  if (it == nodes_.end()) return false;
  if (node == local_node_) return true;
  return it->second.online && !isolated_;
}

std::string SimNodeFacts::Address(const std::string& node) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = nodes_.find(node);
  return it == nodes_.end() ? "" : it->second.address;
}

ClusterView SimNodeFacts::Cluster() const {
  ClusterView view;
  auto text = fs_.Read("corosync.conf");
  json conf;
  if (text) {
    if (auto parsed = ParseCorosyncConf(*text)) conf = *parsed;
  }
  std::lock_guard<std::mutex> lock(mu_);
  auto online = [&](const std::string& name) {
    if (name == local_node_) return true;
    auto it = nodes_.find(name);
    return it != nodes_.end() && it->second.online && !isolated_;
  };
  if (!conf.is_object() || !conf.contains("nodelist")) {
    // Not clustered: pmxcfs runs in local mode and is always quorate.
    view.clustered = false;
    view.quorate = true;
    auto it = nodes_.find(local_node_);
    view.members.push_back({local_node_, 0, 1, it == nodes_.end() ? "" : it->second.address, true, true});
    view.expected_votes = view.total_votes = view.quorum = 1;
    return view;
  }
  view.clustered = true;
  const json& totem = conf.value("totem", json::object());
  view.name = totem.value("cluster_name", "");
  view.config_version = std::stoi(totem.value("config_version", "0"));
  for (auto it = conf["nodelist"]["node"].begin(); it != conf["nodelist"]["node"].end(); ++it) {
    MemberNode m;
    m.name = it.value().value("name", it.key());
    m.nodeid = std::stoi(it.value().value("nodeid", "0"));
    m.votes = std::stoi(it.value().value("quorum_votes", "1"));
    auto n = nodes_.find(m.name);
    m.ip = n != nodes_.end() && !n->second.address.empty() ? n->second.address : it.value().value("ring0_addr", "");
    m.online = online(m.name);
    m.local = m.name == local_node_;
    view.expected_votes += m.votes;
    if (m.online) view.total_votes += m.votes;
    view.members.push_back(m);
  }
  std::sort(view.members.begin(), view.members.end(), [](const auto& a, const auto& b) { return a.nodeid < b.nodeid; });
  // A QDevice's vote: QNetd gives it to the local partition unless the local node is cut off from the others
  // (both algorithms then favour the larger partition).
  if (const int qdevice = QdeviceVotes(conf, view.expected_votes); qdevice > 0) {
    view.expected_votes += qdevice;
    if (!isolated_) view.total_votes += qdevice;
    view.qdevice = SimulatedQdeviceStatus(conf, !isolated_);
  }
  view.quorum = view.expected_votes / 2 + 1;
  view.quorate = view.total_votes >= view.quorum;
  return view;
}

json SimNodeFacts::PackageVersions(const std::string& node) const {
  std::map<std::string, std::string> installed = BaselinePackages(pve_version_);
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = nodes_.find(node);
    if (it != nodes_.end()) {
      for (const auto& [pkg, ver] : it->second.packages) {
        if (ver.empty()) installed.erase(pkg); else installed[pkg] = ver;
      }
    }
  }
  json out = json::array();
  for (const auto& pkg : OrderedPackages(installed)) out.push_back(AptVersionEntry(pve_version_, pkg, installed[pkg]));
  return out;
}

std::optional<std::string> SimNodeFacts::ReadNodeFile(const std::string& node, const std::string& path) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = nodes_.find(node);
  if (it == nodes_.end()) return std::nullopt;
  auto f = it->second.files.find(path);
  if (f == it->second.files.end()) return std::nullopt;
  return f->second;
}

Status SimNodeFacts::WriteNodeFile(const std::string& node, const std::string& path, const std::string& content) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = nodes_.find(node);
  if (it == nodes_.end()) return Die("no such node '" + node + "'");
  it->second.files[path] = content;
  return Ok();
}

Status SimNodeFacts::RemoveNodeFile(const std::string& node, const std::string& path) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = nodes_.find(node);
  if (it == nodes_.end()) return Die("no such node '" + node + "'");
  it->second.files.erase(path);
  return Ok();
}

Status SimNodeFacts::SetOnline(const std::string& node, bool online) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = nodes_.find(node);
  if (it == nodes_.end()) return Raise(400, "no such node '" + node + "'");
  if (node == local_node_ && !online)
    return Raise(400, "'" + node + "' serves the API and cannot go offline; isolate it to take its quorum away");
  it->second.online = online;
  return Ok();
}

Status SimNodeFacts::SetIsolated(bool isolated) {
  std::lock_guard<std::mutex> lock(mu_);
  isolated_ = isolated;
  return Ok();
}

bool SimNodeFacts::Isolated() const {
  std::lock_guard<std::mutex> lock(mu_);
  return isolated_;
}

Status SimNodeFacts::SetPackageVersion(const std::string& node, const std::string& package, const std::string& version) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = nodes_.find(node);
  if (it == nodes_.end()) return Raise(400, "no such node '" + node + "'");
  it->second.packages[package] = version;
  return Ok();
}

json SimNodeFacts::SaveState() const {
  std::lock_guard<std::mutex> lock(mu_);
  json nodes = json::object();
  for (const auto& [name, n] : nodes_) {
    nodes[name] = {{"address", n.address}, {"online", n.online}, {"files", n.files}, {"packages", n.packages}};
  }
  return {{"nodes", nodes}, {"isolated", isolated_}};
}

void SimNodeFacts::LoadState(const json& state) {
  if (!state.is_object()) return;
  std::lock_guard<std::mutex> lock(mu_);
  isolated_ = state.value("isolated", false);
  const json nodes = state.value("nodes", json::object());
  for (auto it = nodes.begin(); it != nodes.end(); ++it) {
    Node n;
    n.address = it.value().value("address", "");
    n.online = it.value().value("online", true);
    n.files = it.value().value("files", std::map<std::string, std::string>{});
    n.packages = it.value().value("packages", std::map<std::string, std::string>{});
    nodes_[it.key()] = n;
  }
}

}  // namespace pvesim
