// What each fact of a status report means for the cluster (the table below), as findings.
//
// | fact                                            | severity |
// |-------------------------------------------------|----------|
// | no quorum; Ceph HEALTH_ERR                      | error    |
// | a node offline; a corosync link not connected   | warning  |
// | HA: quorum not OK, master or an online LRM dead | warning  |
// | HA: a resource in error, fence or recovery      | warning  |
// | Ceph HEALTH_WARN, OSDs down or out, PGs unclean | warning  |
// | something could not be read                     | warning  |
// | a node in maintenance, a resource moving        | notice   |
// | Ceph flags set, versions differ, reboot pending | notice   |
// | guests with pending changes, the lock held      | notice   |
#include "providers/status/cluster_report.h"

namespace hainfra::status {
namespace {

void AddFinding(StatusReport& r, Severity s, std::string area, std::string text) {
  r.findings.push_back({s, std::move(area), std::move(text)});
}

void EvaluateQuorum(StatusReport& r) {
  r.votes_expected = 0;
  r.votes_present = 0;
  for (const NodeState& n : r.nodes) {
    r.votes_expected += n.votes;
    if (n.online) r.votes_present += n.votes;
  }
  r.votes_needed = r.votes_expected / 2 + 1;
  if (!r.quorate) {
    AddFinding(r, Severity::kError, "quorum",
        "the cluster" + (r.cluster.empty() ? std::string() : " '" + r.cluster + "'") + " has no quorum (seen from " +
            (r.seen_from.empty() ? std::string("the API node") : r.seen_from) + ": " + std::to_string(r.votes_present) +
            " of " + std::to_string(r.votes_expected) + " votes, " + std::to_string(r.votes_needed) + " needed)");
  }
  for (const NodeState& n : r.nodes) {
    if (!n.online) AddFinding(r, Severity::kWarning, "node", "node " + n.name + " is offline");
    for (const auto& [link, peers] : n.links_down) {
      std::string list;
      for (const std::string& p : peers) list += (list.empty() ? "" : ", ") + p;
      AddFinding(r, Severity::kWarning, "link", n.name + " link" + std::to_string(link) + " is not connected to " + list);
    }
  }
}

bool Settled(const HaService& s) {
  if (s.request_state == "ignored" || s.request_state.empty()) return true;
  if (s.request_state == "started" || s.request_state == "enabled") return s.state == "started";
  if (s.request_state == "disabled") return s.state == "stopped" || s.state == "disabled";
  return s.state == s.request_state;
}

void EvaluateHa(StatusReport& r) {
  if (r.ha_quorum.empty() && r.ha_master.empty() && r.ha_services.empty()) return;
  if (r.quorate && !r.ha_quorum.empty() && r.ha_quorum.rfind("OK", 0) != 0) {
    AddFinding(r, Severity::kWarning, "ha", "HA manager quorum: " + r.ha_quorum);
  }
  if (r.ha_master_state == "dead") AddFinding(r, Severity::kWarning, "ha", "the CRM master on " + r.ha_master + " is dead");
  for (const NodeState& n : r.nodes) {
    if (n.online && n.lrm == "dead") AddFinding(r, Severity::kWarning, "ha", "the LRM of " + n.name + " is dead");
    if (n.maintenance) AddFinding(r, Severity::kNotice, "ha", n.name + " is in HA maintenance mode");
  }
  if (r.ha_disarmed()) {
    // Nothing fences and nothing is recovered: the cluster runs without HA's protection (its services frozen
    // or untracked, so their states are not findings of their own).
    AddFinding(r, Severity::kWarning, "ha", "HA is " + r.ha_armed_state + " (resource mode " + r.ha_resource_mode +
                                                "): no node fences, no guest is recovered; `hainfra ha arm` when the "
                                                "cluster-wide work is done");
    return;
  }
  for (const HaService& s : r.ha_services) {
    if (Settled(s)) continue;
    const bool bad = s.state == "error" || s.state == "fence" || s.state == "recovery";
    AddFinding(r, bad ? Severity::kWarning : Severity::kNotice, "ha",
        s.sid + " on " + (s.node.empty() ? std::string("no node") : s.node) + " is " + s.state + " (requested " +
            s.request_state + ")");
  }
}

void EvaluateCeph(StatusReport& r) {
  const CephReport& c = r.ceph;
  if (!c.present) return;
  if (c.health == "HEALTH_ERR") {
    AddFinding(r, Severity::kError, "ceph", "Ceph reports HEALTH_ERR");
  } else if (c.health != "HEALTH_OK" && !c.health.empty()) {
    AddFinding(r, Severity::kWarning, "ceph", "Ceph reports " + c.health);
  }
  for (const auto& [name, text] : c.checks) {
    AddFinding(r, text.rfind("HEALTH_ERR", 0) == 0 ? Severity::kError : Severity::kWarning, "ceph", name + " " + text);
  }
  if (c.osds_up < c.osds) {
    AddFinding(r, Severity::kWarning, "ceph", std::to_string(c.osds - c.osds_up) + " of " + std::to_string(c.osds) + " OSDs down");
  }
  if (c.osds_in < c.osds) {
    AddFinding(r, Severity::kWarning, "ceph", std::to_string(c.osds - c.osds_in) + " of " + std::to_string(c.osds) + " OSDs out");
  }
  for (const auto& [state, count] : c.pgs) {
    if (state != "active+clean" && count > 0) {
      AddFinding(r, Severity::kWarning, "ceph", std::to_string(count) + " PGs " + state);
    }
  }
  for (const std::string& f : c.flags) AddFinding(r, Severity::kNotice, "ceph", "Ceph flag " + f + " is set");
}

void EvaluateNodes(StatusReport& r) {
  for (const auto& [package, versions] : r.version_differences) {
    std::string list;
    for (const auto& [node, version] : versions) {
      list += (list.empty() ? "" : ", ") + node + " " + (version.empty() ? "(not installed)" : version);
    }
    AddFinding(r, Severity::kNotice, "versions", package + " differs: " + list);
  }
  for (const NodeState& n : r.nodes) {
    if (n.reboot_pending()) {
      AddFinding(r, Severity::kNotice, "kernel",
          n.name + " runs kernel " + n.running_kernel + ", newest installed is " + n.newest_kernel + " (reboot pending)");
    }
  }
  for (const std::string& g : r.pending_guests) AddFinding(r, Severity::kNotice, "guest", g + " (pending until restarted)");
  if (!r.lock_holder.empty()) AddFinding(r, Severity::kNotice, "lock", "the cluster lock is held by " + r.lock_holder);
  for (const std::string& u : r.unread) AddFinding(r, Severity::kWarning, "unread", u);
}

}  // namespace

void Evaluate(StatusReport& report) {
  report.findings.clear();
  EvaluateQuorum(report);
  EvaluateHa(report);
  EvaluateCeph(report);
  EvaluateNodes(report);
}

}  // namespace hainfra::status
