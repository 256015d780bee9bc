// The three forms of a status report: one screen of text, JSON, and Prometheus textfile metrics.
#include <sstream>

#include "providers/status/cluster_report.h"

namespace hainfra::status {
namespace {

std::string Paint(bool color, const char* code, const std::string& text) {
  return color ? std::string("\033[") + code + "m" + text + "\033[0m" : text;
}

const char* SeverityColor(Severity s) {
  switch (s) {
    case Severity::kError: return "31";
    case Severity::kWarning: return "33";
    case Severity::kNotice: return "36";
    case Severity::kOk: return "32";
  }
  return "0";
}

std::string Verdict(Severity s) {
  switch (s) {
    case Severity::kError: return "FAILED";
    case Severity::kWarning: return "DEGRADED";
    default: return "HEALTHY";
  }
}

// A label value for the Prometheus text format.
std::string MetricLabel(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

}  // namespace

std::string RenderStatusText(const StatusReport& r, bool color) {
  std::ostringstream o;
  const Severity overall = r.Overall();
  o << "cluster " << (r.cluster.empty() ? std::string("(standalone)") : r.cluster) << ": "
    << Paint(color, SeverityColor(overall), Verdict(overall)) << "\n";
  o << "  quorum   " << (r.quorate ? "yes" : "NO") << ", " << r.votes_present << "/" << r.votes_expected
    << " votes (" << r.votes_needed << " needed), seen from " << (r.seen_from.empty() ? "?" : r.seen_from) << "\n";
  for (const NodeState& n : r.nodes) {
    o << "  node     " << n.name << " " << (n.online ? "online" : "OFFLINE") << ", votes " << n.votes;
    if (!n.lrm.empty()) o << ", lrm " << n.lrm;
    if (!n.links.empty()) {
      o << ", links";
      for (int l : n.links) o << " " << l << (n.links_down.contains(l) ? ":down" : ":up");
    }
    if (!n.running_kernel.empty()) o << ", kernel " << n.running_kernel;
    if (n.reboot_pending()) o << " (reboot pending: " << n.newest_kernel << ")";
    o << "\n";
  }
  if (!r.ha_master.empty() || !r.ha_services.empty()) {
    int settled = 0;
    for (const Finding& f : r.findings) settled += f.area == "ha" && f.text.find(" (requested ") != std::string::npos;
    o << "  ha       master " << (r.ha_master.empty() ? "-" : r.ha_master) << " (" << r.ha_master_state << "), "
      << r.ha_services.size() << " resources, " << settled << " not in their requested state";
    if (r.ha_disarmed()) o << ", DISARMED (" << r.ha_armed_state << ", resource mode " << r.ha_resource_mode << ")";
    o << "\n";
  }
  if (r.ceph.present) {
    o << "  ceph     " << r.ceph.health << ", OSDs " << r.ceph.osds_up << " up / " << r.ceph.osds_in << " in / "
      << r.ceph.osds;
    for (const auto& [state, count] : r.ceph.pgs) o << ", " << count << " pgs " << state;
    if (!r.ceph.flags.empty()) {
      o << ", flags";
      for (const std::string& f : r.ceph.flags) o << " " << f;
    }
    o << "\n";
  }
  o << "  lock     "
    << (!r.lock_checked ? std::string("not checked (no SSH)") : r.lock_holder.empty() ? "free" : "held by " + r.lock_holder)
    << "\n";
  if (!r.last_enforce.empty()) o << "  enforce  " << r.last_enforce << "\n";
  for (const Finding& f : r.findings) {
    o << "  " << Paint(color, SeverityColor(f.severity), std::string(SeverityName(f.severity))) << ": " << f.text
      << "\n";
  }
  return o.str();
}

Value StatusJson(const StatusReport& r) {
  Value nodes = Value::array();
  for (const NodeState& n : r.nodes) {
    Value links = Value::object();
    for (int l : n.links) {
      auto it = n.links_down.find(l);
      links[std::to_string(l)] = {{"connected", it == n.links_down.end()},
                                  {"not_connected_to", it == n.links_down.end() ? Value::array() : Value(it->second)}};
    }
    nodes.push_back({{"name", n.name}, {"nodeid", n.nodeid}, {"votes", n.votes}, {"online", n.online},
                     {"lrm", n.lrm}, {"maintenance", n.maintenance}, {"links", links},
                     {"running_kernel", n.running_kernel}, {"newest_kernel", n.newest_kernel},
                     {"reboot_pending", n.reboot_pending()}});
  }
  Value services = Value::array();
  for (const HaService& s : r.ha_services) {
    services.push_back({{"sid", s.sid}, {"node", s.node}, {"state", s.state}, {"request_state", s.request_state}});
  }
  Value checks = Value::object();
  for (const auto& [name, text] : r.ceph.checks) checks[name] = text;
  Value findings = Value::array();
  for (const Finding& f : r.findings) {
    findings.push_back({{"severity", SeverityName(f.severity)}, {"area", f.area}, {"text", f.text}});
  }
  const Severity overall = r.Overall();
  return {{"version", 1},
          {"cluster", r.cluster},
          {"health", overall == Severity::kError ? "failed" : overall == Severity::kWarning ? "degraded" : "healthy"},
          {"quorum", {{"quorate", r.quorate}, {"votes_present", r.votes_present}, {"votes_expected", r.votes_expected},
                      {"votes_needed", r.votes_needed}, {"seen_from", r.seen_from}}},
          {"nodes", nodes},
          {"ha", {{"quorum", r.ha_quorum}, {"master", r.ha_master}, {"master_state", r.ha_master_state},
                  {"armed_state", r.ha_armed_state}, {"resource_mode", r.ha_resource_mode}, {"resources", services}}},
          {"ceph", {{"present", r.ceph.present}, {"health", r.ceph.health}, {"checks", checks}, {"flags", r.ceph.flags},
                    {"osds", r.ceph.osds}, {"osds_up", r.ceph.osds_up}, {"osds_in", r.ceph.osds_in},
                    {"pgs", r.ceph.pgs}}},
          {"version_differences", r.version_differences},
          {"pending_guests", r.pending_guests},
          {"lock_checked", r.lock_checked},
          {"lock_holder", r.lock_holder},
          {"last_enforce", r.last_enforce},
          {"unread", r.unread},
          {"findings", findings}};
}

std::string StatusMetrics(const StatusReport& r) {
  std::ostringstream o;
  const Severity overall = r.Overall();
  const int code = overall == Severity::kError ? 1 : overall == Severity::kWarning ? 2 : 0;
  o << "# HELP hainfra_cluster_health 0 healthy, 2 degraded, 1 failed (hainfra status' exit code)\n"
    << "# TYPE hainfra_cluster_health gauge\nhainfra_cluster_health " << code << "\n"
    << "# HELP hainfra_cluster_quorate 1 when the cluster has quorum\n# TYPE hainfra_cluster_quorate gauge\n"
    << "hainfra_cluster_quorate " << (r.quorate ? 1 : 0) << "\n"
    << "# HELP hainfra_cluster_votes corosync votes present and expected\n# TYPE hainfra_cluster_votes gauge\n"
    << "hainfra_cluster_votes{kind=\"present\"} " << r.votes_present << "\n"
    << "hainfra_cluster_votes{kind=\"expected\"} " << r.votes_expected << "\n"
    << "# HELP hainfra_node_online 1 when the node is online in the quorate partition\n"
    << "# TYPE hainfra_node_online gauge\n";
  for (const NodeState& n : r.nodes) o << "hainfra_node_online{node=\"" << MetricLabel(n.name) << "\"} " << n.online << "\n";
  o << "# HELP hainfra_node_reboot_pending 1 when the newest installed kernel is not the running one\n"
    << "# TYPE hainfra_node_reboot_pending gauge\n";
  for (const NodeState& n : r.nodes) {
    o << "hainfra_node_reboot_pending{node=\"" << MetricLabel(n.name) << "\"} " << n.reboot_pending() << "\n";
  }
  o << "# HELP hainfra_node_maintenance 1 when the node is in HA maintenance mode\n"
    << "# TYPE hainfra_node_maintenance gauge\n";
  for (const NodeState& n : r.nodes) {
    o << "hainfra_node_maintenance{node=\"" << MetricLabel(n.name) << "\"} " << n.maintenance << "\n";
  }
  o << "# HELP hainfra_corosync_link_up 1 when the link reaches every other node, as the node sees it\n"
    << "# TYPE hainfra_corosync_link_up gauge\n";
  for (const NodeState& n : r.nodes) {
    for (int l : n.links) {
      o << "hainfra_corosync_link_up{node=\"" << MetricLabel(n.name) << "\",link=\"" << l << "\"} "
        << !n.links_down.contains(l) << "\n";
    }
  }
  int unsettled = 0;
  for (const Finding& f : r.findings) unsettled += f.area == "ha" && f.text.find(" (requested ") != std::string::npos;
  o << "# HELP hainfra_ha_resources_unsettled HA resources not in their requested state\n"
    << "# TYPE hainfra_ha_resources_unsettled gauge\nhainfra_ha_resources_unsettled " << unsettled << "\n";
  o << "# HELP hainfra_ha_disarmed 1 while the HA stack is disarmed (PVE 9 disarm-ha)\n"
    << "# TYPE hainfra_ha_disarmed gauge\nhainfra_ha_disarmed " << (r.ha_disarmed() ? 1 : 0) << "\n";
  if (r.ceph.present) {
    const int ceph = r.ceph.health == "HEALTH_OK" ? 0 : r.ceph.health == "HEALTH_WARN" ? 1 : 2;
    o << "# HELP hainfra_ceph_health 0 HEALTH_OK, 1 HEALTH_WARN, 2 HEALTH_ERR\n# TYPE hainfra_ceph_health gauge\n"
      << "hainfra_ceph_health " << ceph << "\n"
      << "# HELP hainfra_ceph_osds OSDs by state\n# TYPE hainfra_ceph_osds gauge\n"
      << "hainfra_ceph_osds{state=\"total\"} " << r.ceph.osds << "\nhainfra_ceph_osds{state=\"up\"} " << r.ceph.osds_up
      << "\nhainfra_ceph_osds{state=\"in\"} " << r.ceph.osds_in << "\n";
  }
  o << "# HELP hainfra_guests_pending_changes guests with configuration changes waiting for a restart\n"
    << "# TYPE hainfra_guests_pending_changes gauge\nhainfra_guests_pending_changes " << r.pending_guests.size() << "\n";
  return o.str();
}

}  // namespace hainfra::status
