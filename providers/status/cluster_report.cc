#include "providers/status/cluster_report.h"

#include <algorithm>
#include <cctype>
#include <regex>
#include <set>

#include "providers/pve/pve_values.h"

namespace hainfra::status {
namespace {

int ReportInt(const Value& entry, const char* key, int fallback) {
  auto it = entry.find(key);
  if (it == entry.end() || it->is_null()) return fallback;
  if (it->is_number()) return it->get<int>();
  if (it->is_string()) {
    try {
      return std::stoi(it->get<std::string>());
    } catch (const std::exception&) {  // a string that is no number: the fallback
      return fallback;
    }
  }
  return fallback;
}

std::string ReportString(const Value& entry, const char* key) {
  auto it = entry.find(key);
  return it != entry.end() && it->is_string() ? it->get<std::string>() : "";
}

// "pve-02 (maintenance mode, watchdog standby, Thu Sep 10 …)" -> "maintenance"; "(old timestamp - dead?, …)"
// -> "dead"; "(active, …)" -> "active".
std::string DaemonState(const std::string& status) {
  auto open = status.find('(');
  if (open == std::string::npos) return "";
  auto end = status.find_first_of(",)", open + 1);
  std::string word = status.substr(open + 1, end == std::string::npos ? std::string::npos : end - open - 1);
  if (word.find("old timestamp") != std::string::npos) return "dead";
  if (word == "maintenance mode") return "maintenance";
  return word;
}

// Debian's order of one non-digit part: ~ before everything, letters before other characters.
int DebianCharOrder(char c) {
  if (c == '~') return -1;
  if (std::isdigit(static_cast<unsigned char>(c))) return 0;
  if (std::isalpha(static_cast<unsigned char>(c))) return c;
  return c + 256;
}

int CompareDebianPart(const std::string& a, const std::string& b) {
  size_t i = 0, j = 0;
  while (i < a.size() || j < b.size()) {
    int first_diff = 0;
    while ((i < a.size() && !std::isdigit(static_cast<unsigned char>(a[i]))) ||
           (j < b.size() && !std::isdigit(static_cast<unsigned char>(b[j])))) {
      int ac = i < a.size() ? DebianCharOrder(a[i]) : 0;
      int bc = j < b.size() ? DebianCharOrder(b[j]) : 0;
      if (ac != bc) return ac < bc ? -1 : 1;
      ++i;
      ++j;
    }
    while (i < a.size() && a[i] == '0') ++i;
    while (j < b.size() && b[j] == '0') ++j;
    while (i < a.size() && std::isdigit(static_cast<unsigned char>(a[i])) && j < b.size() &&
           std::isdigit(static_cast<unsigned char>(b[j]))) {
      if (first_diff == 0) first_diff = a[i] - b[j];
      ++i;
      ++j;
    }
    if (i < a.size() && std::isdigit(static_cast<unsigned char>(a[i]))) return 1;
    if (j < b.size() && std::isdigit(static_cast<unsigned char>(b[j]))) return -1;
    if (first_diff != 0) return first_diff < 0 ? -1 : 1;
  }
  return 0;
}

}  // namespace

std::string_view SeverityName(Severity severity) {
  switch (severity) {
    case Severity::kOk: return "ok";
    case Severity::kNotice: return "notice";
    case Severity::kWarning: return "warning";
    case Severity::kError: return "error";
  }
  return "ok";
}

NodeState* StatusReport::Node(const std::string& name) {
  auto it = std::lower_bound(nodes.begin(), nodes.end(), name,
                             [](const NodeState& n, const std::string& key) { return n.name < key; });
  if (it != nodes.end() && it->name == name) return &*it;
  NodeState fresh;
  fresh.name = name;
  return &*nodes.insert(it, fresh);
}

Severity StatusReport::Overall() const {
  Severity worst = Severity::kOk;
  for (const Finding& f : findings) worst = std::max(worst, f.severity);
  return worst;
}

Status ReadClusterStatusInto(const Value& cluster_status, StatusReport& report) {
  if (!cluster_status.is_array()) return Fail(Code::kInternal, "/cluster/status: expected a list");
  bool clustered = false;
  for (const Value& entry : cluster_status) {
    if (!entry.is_object()) return Fail(Code::kInternal, "/cluster/status: an entry is no object: " + entry.dump());
    const std::string type = ReportString(entry, "type");
    if (type == "cluster") {
      clustered = true;
      report.cluster = ReportString(entry, "name");
      report.quorate = pve::FlagOf(entry, "quorate");
    } else if (type == "node") {
      const std::string name = ReportString(entry, "name");
      if (name.empty()) return Fail(Code::kInternal, "/cluster/status: a node without a name: " + entry.dump());
      NodeState* node = report.Node(name);
      node->online = pve::FlagOf(entry, "online");
      node->nodeid = ReportInt(entry, "nodeid", node->nodeid);
      if (pve::FlagOf(entry, "local")) report.seen_from = name;
    }
  }
  report.clustered = clustered;
  if (!clustered) report.quorate = true;  // a standalone node's pmxcfs is always writable
  return Ok();
}

Status ReadConfigNodesInto(const Value& config_nodes, StatusReport& report) {
  if (!config_nodes.is_array()) return Fail(Code::kInternal, "/cluster/config/nodes: expected a list");
  for (const Value& entry : config_nodes) {
    const std::string name = entry.is_object() ? ReportString(entry, "node") : "";
    if (name.empty()) return Fail(Code::kInternal, "/cluster/config/nodes: an entry without a node: " + entry.dump());
    NodeState* node = report.Node(name);
    node->votes = ReportInt(entry, "quorum_votes", 1);
    node->nodeid = ReportInt(entry, "nodeid", node->nodeid);
  }
  return Ok();
}

Status ReadHaStatusInto(const Value& ha_current, StatusReport& report) {
  if (!ha_current.is_array()) return Fail(Code::kInternal, "/cluster/ha/status/current: expected a list");
  report.ha_services.clear();
  for (const Value& entry : ha_current) {
    if (!entry.is_object()) continue;
    const std::string type = ReportString(entry, "type");
    const std::string text = ReportString(entry, "status");
    if (type == "quorum") {
      report.ha_quorum = text;
    } else if (type == "master") {
      report.ha_master = ReportString(entry, "node");
      report.ha_master_state = DaemonState(text);
    } else if (type == "fencing") {
      report.ha_armed_state = ReportString(entry, "armed-state");
      report.ha_resource_mode = ReportString(entry, "resource_mode");
    } else if (type == "lrm") {
      const std::string name = ReportString(entry, "node");
      if (name.empty()) continue;
      NodeState* node = report.Node(name);
      node->lrm = DaemonState(text);
      node->maintenance = node->lrm == "maintenance";
    } else if (type == "service") {
      HaService s;
      s.sid = ReportString(entry, "sid");
      s.node = ReportString(entry, "node");
      s.state = ReportString(entry, "state");
      s.request_state = ReportString(entry, "request_state");
      if (!s.sid.empty()) report.ha_services.push_back(std::move(s));
    }
  }
  return Ok();
}

Status ReadCephStatusInto(const Value& ceph_status, CephReport& ceph) {
  if (!ceph_status.is_object()) return Fail(Code::kInternal, "/cluster/ceph/status: expected an object");
  ceph.present = true;
  ceph.checks.clear();
  if (auto h = ceph_status.find("health"); h != ceph_status.end() && h->is_object()) {
    ceph.health = ReportString(*h, "status");
    if (auto checks = h->find("checks"); checks != h->end() && checks->is_object()) {
      for (const auto& [name, check] : checks->items()) {
        std::string summary;
        if (check.contains("summary") && check["summary"].is_object()) summary = ReportString(check["summary"], "message");
        ceph.checks.emplace_back(name, ReportString(check, "severity") + ": " + summary);
      }
    }
  }
  if (auto m = ceph_status.find("osdmap"); m != ceph_status.end() && m->is_object()) {
    // Ceph before Quincy nests the counts one level deeper (osdmap.osdmap).
    const Value& map = m->contains("osdmap") && (*m)["osdmap"].is_object() ? (*m)["osdmap"] : *m;
    ceph.osds = ReportInt(map, "num_osds", 0);
    ceph.osds_up = ReportInt(map, "num_up_osds", 0);
    ceph.osds_in = ReportInt(map, "num_in_osds", 0);
  }
  ceph.pgs.clear();
  if (auto p = ceph_status.find("pgmap"); p != ceph_status.end() && p->is_object()) {
    if (auto states = p->find("pgs_by_state"); states != p->end() && states->is_array()) {
      for (const Value& s : *states) ceph.pgs[ReportString(s, "state_name")] += ReportInt(s, "count", 0);
    }
  }
  return Ok();
}

Status ReadCephFlagsInto(const Value& ceph_flags, CephReport& ceph) {
  if (!ceph_flags.is_array()) return Fail(Code::kInternal, "/cluster/ceph/flags: expected a list");
  ceph.flags.clear();
  for (const Value& f : ceph_flags) {
    if (f.is_object() && pve::FlagOf(f, "value")) ceph.flags.push_back(ReportString(f, "name"));
  }
  return Ok();
}

Status ReadOsdTreeInto(const Value& osd_tree, CephReport& ceph) {
  if (!osd_tree.is_object() || !osd_tree.contains("root")) return Fail(Code::kInternal, "ceph/osd: expected {root}");
  int total = 0, up = 0, in = 0;
  std::vector<const Value*> stack{&osd_tree["root"]};
  while (!stack.empty()) {
    const Value* n = stack.back();
    stack.pop_back();
    if (ReportString(*n, "type") == "osd") {
      ++total;
      if (ReportString(*n, "status") == "up") ++up;
      if (pve::FlagOf(*n, "in")) ++in;
    }
    if (auto c = n->find("children"); c != n->end() && c->is_array()) {
      for (const Value& child : *c) stack.push_back(&child);
    }
  }
  ceph.osds = total;
  ceph.osds_up = up;
  ceph.osds_in = in;
  return Ok();
}

void ReadLinksInto(const std::string& node, const pve::CfgtoolStatus& cfgtool, StatusReport& report) {
  std::map<int, std::string> names;
  for (const NodeState& n : report.nodes) names[n.nodeid] = n.name;
  NodeState* self = report.Node(node);
  self->links.clear();
  self->links_down.clear();
  for (const auto& [link, state] : cfgtool.links) {
    self->links.push_back(link);
    for (const auto& [nodeid, word] : state.nodes) {
      if (nodeid == cfgtool.local_nodeid || word == "localhost" || word == "connected") continue;
      self->links_down[link].push_back(names.contains(nodeid) ? names[nodeid] : "nodeid " + std::to_string(nodeid));
    }
  }
}

std::string KernelRelease(const std::string& package) {
  static const std::regex kImage(R"(^(?:proxmox|pve)-kernel-(\d+\.\d+\.\d+-\d+-pve)(?:-signed)?$)");
  std::smatch m;
  return std::regex_match(package, m, kImage) ? m[1].str() : "";
}

int CompareDebianVersions(const std::string& a, const std::string& b) {
  auto split = [](const std::string& v, std::string& epoch, std::string& upstream, std::string& revision) {
    auto colon = v.find(':');
    epoch = colon == std::string::npos ? "0" : v.substr(0, colon);
    std::string rest = colon == std::string::npos ? v : v.substr(colon + 1);
    auto dash = rest.rfind('-');
    upstream = dash == std::string::npos ? rest : rest.substr(0, dash);
    revision = dash == std::string::npos ? "" : rest.substr(dash + 1);
  };
  std::string ea, ua, ra, eb, ub, rb;
  split(a, ea, ua, ra);
  split(b, eb, ub, rb);
  if (int c = CompareDebianPart(ea, eb)) return c;
  if (int c = CompareDebianPart(ua, ub)) return c;
  return CompareDebianPart(ra, rb);
}

Result<NodePackageView> ReadAptVersions(const Value& apt_versions) {
  if (!apt_versions.is_array()) return Fail(Code::kInternal, "apt/versions: expected a list");
  static const std::regex kMeta(R"(^proxmox-kernel-\d+\.\d+$)");
  NodePackageView view;
  std::string newest_version;
  for (const Value& p : apt_versions) {
    if (!p.is_object()) continue;
    const std::string name = ReportString(p, "Package");
    if (auto running = ReportString(p, "RunningKernel"); !running.empty()) view.running_kernel = running;
    const std::string state = ReportString(p, "CurrentState");
    const std::string version = ReportString(p, "Version");
    if (name.empty() || (!state.empty() && state != "Installed") || version.empty()) continue;
    view.versions[name] = version;
    // The newest installed kernel: an image package names its release; a lone meta package
    // (proxmox-kernel-6.17 at 6.17.2-1) pulls the image of its own version.
    std::string release = KernelRelease(name);
    if (release.empty() && std::regex_match(name, kMeta)) release = version + "-pve";
    if (release.empty()) continue;
    const std::string release_version = release.substr(0, release.size() - 4);
    if (newest_version.empty() || CompareDebianVersions(release_version, newest_version) > 0) {
      newest_version = release_version;
      view.newest_kernel = release;
    }
  }
  return view;
}

std::map<std::string, std::map<std::string, std::string>> VersionDifferences(
    const std::map<std::string, std::map<std::string, std::string>>& node_versions) {
  std::set<std::string> packages;
  for (const auto& [node, versions] : node_versions) {
    for (const auto& [package, version] : versions) packages.insert(package);
  }
  std::map<std::string, std::map<std::string, std::string>> out;
  for (const std::string& package : packages) {
    std::map<std::string, std::string> by_node;
    std::set<std::string> distinct;
    for (const auto& [node, versions] : node_versions) {
      auto it = versions.find(package);
      by_node[node] = it == versions.end() ? "" : it->second;
      distinct.insert(by_node[node]);
    }
    // Several kernels side by side are normal: only their newest matters (the kernel finding).
    if (distinct.size() > 1 && KernelRelease(package).empty()) out[package] = std::move(by_node);
  }
  return out;
}

}  // namespace hainfra::status
