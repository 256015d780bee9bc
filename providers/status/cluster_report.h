// `hainfra status`: the cluster's health on one screen — quorum and votes, corosync links, the HA manager,
// Ceph, version unison, pending reboots and guest changes, the cluster lock, the last enforce run. This
// header holds the report and the pure readers of Proxmox's answers (real shapes: ../shared/pve-fixtures);
// status_reader.cc gathers them, status_render.cc prints them.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "hainfra/result.h"
#include "hainfra/value.h"
#include "providers/pve/corosync_cfgtool.h"

namespace hainfra::status {

// How bad a finding is: a notice is shown and leaves the exit code 0; a warning makes the cluster degraded
// (exit 2); an error makes it failed (exit 1).
enum class Severity { kOk = 0, kNotice = 1, kWarning = 2, kError = 3 };
std::string_view SeverityName(Severity severity);

struct Finding {
  Severity severity = Severity::kOk;
  std::string area;  // quorum, node, link, ha, ceph, versions, kernel, guest, lock, enforce
  std::string text;
};

struct NodeState {
  std::string name;
  int nodeid = 0;
  int votes = 1;
  bool online = false;
  std::string lrm;             // the LRM's state word: active, idle, maintenance, dead, "" when unknown
  bool maintenance = false;    // the HA manager has the node in maintenance (LRM "maintenance mode")
  // corosync links as this node sees them (corosync-cfgtool -s over SSH): link id -> peers not connected.
  std::map<int, std::vector<std::string>> links_down;
  std::vector<int> links;      // the link ids this node reported; empty when not read
  std::string running_kernel;  // uname release, e.g. 6.17.2-1-pve
  std::string newest_kernel;   // newest installed kernel as a release, e.g. 6.17.4-2-pve
  bool reboot_pending() const { return !running_kernel.empty() && !newest_kernel.empty() && running_kernel != newest_kernel; }
};

struct HaService {
  std::string sid;
  std::string node;
  std::string state;          // the CRM's verbose state (started, stopped, error, fence, migrate, ...)
  std::string request_state;  // what the configuration asks for
};

struct CephReport {
  bool present = false;
  std::string health;                              // HEALTH_OK, HEALTH_WARN, HEALTH_ERR
  std::vector<std::pair<std::string, std::string>> checks;  // check name -> "SEVERITY: summary"
  std::vector<std::string> flags;                  // cluster flags set (noout, ...)
  int osds = 0, osds_up = 0, osds_in = 0;
  std::map<std::string, int> pgs;                  // PG state -> count
};

struct StatusReport {
  std::string cluster;        // cluster name; empty when standalone
  bool clustered = false;
  bool quorate = false;
  std::string seen_from;      // the node that answered
  int votes_expected = 0, votes_present = 0, votes_needed = 0;
  std::vector<NodeState> nodes;  // by name
  std::string ha_quorum;      // the HA manager's quorum entry (OK, or why not)
  std::string ha_master;      // node of the CRM master
  std::string ha_master_state;  // active, idle, dead, "" when there is none
  std::string ha_armed_state;   // PVE 9's fencing entry: armed, standby, disarming, disarmed ("" on PVE 8)
  std::string ha_resource_mode; // while disarmed: freeze or ignore
  bool ha_disarmed() const { return ha_armed_state == "disarming" || ha_armed_state == "disarmed"; }
  std::vector<HaService> ha_services;  // every HA resource
  CephReport ceph;
  std::map<std::string, std::map<std::string, std::string>> version_differences;  // package -> node -> version
  std::vector<std::string> pending_guests;  // "qemu/100 on pve-01: cores, memory"
  bool lock_checked = false;  // the lock is read over SSH: false when no SSH is configured
  std::string lock_holder;    // "" when the hainfra apply lock is free
  std::string last_enforce;   // one line about the last enforce run; "" when none is known
  std::vector<std::string> unread;  // what could not be read, with why
  std::vector<Finding> findings;    // filled by Evaluate

  NodeState* Node(const std::string& name);
  Severity Overall() const;
};

// Readers of Proxmox's answers (each the `data` of the envelope). They fill `report` and fail only on a
// malformed answer, naming it.
Status ReadClusterStatusInto(const Value& cluster_status, StatusReport& report);  // GET /cluster/status
Status ReadConfigNodesInto(const Value& config_nodes, StatusReport& report);      // GET /cluster/config/nodes
Status ReadHaStatusInto(const Value& ha_current, StatusReport& report);           // GET /cluster/ha/status/current
Status ReadCephStatusInto(const Value& ceph_status, CephReport& ceph);             // GET /cluster/ceph/status
Status ReadCephFlagsInto(const Value& ceph_flags, CephReport& ceph);               // GET /cluster/ceph/flags
// GET /nodes/{node}/ceph/osd: the OSD tree; counts `in` from it (the status' osdmap may lag behind).
Status ReadOsdTreeInto(const Value& osd_tree, CephReport& ceph);
// `corosync-cfgtool -s` of `node`: its links and the peers (named through their nodeids) not connected.
void ReadLinksInto(const std::string& node, const pve::CfgtoolStatus& cfgtool, StatusReport& report);
// GET /nodes/{node}/apt/versions: package -> version of what is installed, plus the running kernel and the
// newest installed kernel as releases ("6.17.2-1-pve").
struct NodePackageView {
  std::map<std::string, std::string> versions;
  std::string running_kernel;
  std::string newest_kernel;
};
Result<NodePackageView> ReadAptVersions(const Value& apt_versions);
// The release of a kernel package ("proxmox-kernel-6.17.2-1-pve-signed" -> "6.17.2-1-pve"); "" when the
// package is not a kernel image (the proxmox-kernel-6.17 meta package, proxmox-kernel-helper).
std::string KernelRelease(const std::string& package);
// Debian version order (epoch, upstream, revision; ~ sorts first): <0, 0, >0.
int CompareDebianVersions(const std::string& a, const std::string& b);
// The packages whose versions differ between the nodes (a package missing on a node counts as "").
std::map<std::string, std::map<std::string, std::string>> VersionDifferences(
    const std::map<std::string, std::map<std::string, std::string>>& node_versions);

// Turns the report into findings (replacing report.findings): what is an error, a warning or a notice.
void Evaluate(StatusReport& report);

// The three outputs: one screen of text, JSON (docs/operations.md), and Prometheus textfile metrics.
std::string RenderStatusText(const StatusReport& report, bool color);
Value StatusJson(const StatusReport& report);
std::string StatusMetrics(const StatusReport& report);

}  // namespace hainfra::status
