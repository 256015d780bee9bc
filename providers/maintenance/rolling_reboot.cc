#include "providers/maintenance/rolling_reboot.h"

#include <thread>

#include "providers/safety/quorum_gate.h"
#include "providers/status/cluster_report.h"
#include "providers/transport/api_path.h"

namespace hainfra::maintenance {
namespace {

void RollSay(const RollOptions& o, const std::string& line) {
  if (o.maintenance.progress) o.maintenance.progress(line);
}

// Polls `check` (empty: done, else what is missing) every poll until `timeout`; prints the wait and its time.
Status RollWait(const RollOptions& o, std::chrono::milliseconds timeout, const std::string& what,
                const std::function<std::string()>& check) {
  const auto start = std::chrono::steady_clock::now();
  RollSay(o, "  waiting: " + what);
  std::string missing;
  while (true) {
    missing = check();
    const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
    if (missing.empty()) {
      RollSay(o, "  done: " + what + " (" + std::to_string(took.count()) + " ms)");
      return Ok();
    }
    if (took >= timeout) break;
    std::this_thread::sleep_for(o.maintenance.poll);
  }
  const std::string waited = timeout.count() % 1000 == 0 ? std::to_string(timeout.count() / 1000) + " s"
                                                         : std::to_string(timeout.count()) + " ms";
  return Fail(Code::kDeadlineExceeded, what + ": " + missing + " after " + waited);
}

std::string NodeOnline(transport::ApiClient& api, const std::string& node, bool want_online) {
  Result<safety::ClusterStatus> status = safety::ReadClusterStatus(api);
  if (!status) return status.error().message;
  auto it = status->online.find(node);
  const bool online = it != status->online.end() && it->second;
  if (online == want_online) return "";
  return node + " is still " + (online ? "online" : "offline");
}

// Back in service: quorate with `node` online, its LRM alive, Ceph's OSDs up and no check but the flags.
std::string NodeHealthy(transport::ApiClient& api, const std::string& node) {
  if (std::string why = NodeOnline(api, node, true); !why.empty()) return why;
  Result<safety::ClusterStatus> cluster = safety::ReadClusterStatus(api);
  if (!cluster) return cluster.error().message;
  if (std::string why = safety::QuorumRefusal(*cluster, {node}, {}); !why.empty()) return why;
  Result<std::string> lrm = LrmState(api, node);
  if (!lrm) return lrm.error().message;
  if (lrm->empty() || *lrm == "dead") return "the LRM of " + node + " is " + (lrm->empty() ? "not listed" : "dead");
  Result<Value> ceph = api.Get("/cluster/ceph/status");
  if (!ceph) return "";  // no Ceph
  status::CephReport report;
  if (Status st = status::ReadCephStatusInto(*ceph, report); !st) return st.error().message;
  if (report.osds_up < report.osds) {
    return "Ceph: " + std::to_string(report.osds - report.osds_up) + " OSDs still down";
  }
  for (const auto& [name, text] : report.checks) {
    if (name != "OSDMAP_FLAGS" && name != "OSD_FLAGS") return "Ceph: " + name + " " + text;
  }
  return "";
}

Status ApiReboot(transport::ApiClient& api, const std::string& node) {
  Result<Value> r = api.Post(transport::ApiPath({"nodes", node, "status"}), {{"command", "reboot"}});
  if (!r) return Fail(WithContext(r.error(), "asking " + node + " to reboot"));
  return Ok();
}

}  // namespace

Result<std::vector<std::string>> NodesWithRebootPending(transport::ApiClient& api) {
  Result<safety::ClusterStatus> cluster = safety::ReadClusterStatus(api);
  if (!cluster) return Fail(cluster.error());
  std::vector<std::string> out;
  for (const auto& [node, online] : cluster->online) {
    if (!online) continue;
    Result<Value> versions = api.Get(transport::ApiPath({"nodes", node, "apt", "versions"}));
    if (!versions) return Fail(WithContext(versions.error(), "reading the packages of " + node));
    Result<status::NodePackageView> view = status::ReadAptVersions(*versions);
    if (!view) return Fail(view.error());
    if (!view->running_kernel.empty() && !view->newest_kernel.empty() && view->running_kernel != view->newest_kernel) {
      out.push_back(node);
    }
  }
  return out;
}

Status RollingReboot(transport::ApiClient& main_api, const std::function<CrmCommand(const std::string&)>& crm_for,
                     const std::vector<std::string>& nodes, const RollOptions& o) {
  const size_t n = nodes.size();
  for (size_t i = 0; i < n; ++i) {
    const std::string& node = nodes[i];
    const std::string step = "[" + std::to_string(i + 1) + "/" + std::to_string(n) + "] " + node;
    auto stopped = [&](const Error& e, const std::string& left) {
      std::string rest;
      for (size_t j = i + 1; j < n; ++j) rest += (rest.empty() ? "" : ", ") + nodes[j];
      return Fail(e.code, "rolling reboot stopped at " + node + " (" + std::to_string(i + 1) + " of " +
                              std::to_string(n) + "): " + e.message + "; " + left +
                              (rest.empty() ? "" : "; not rebooted: " + rest));
    };
    transport::ApiClient* relay = &main_api;
    if (o.api_for) {
      Result<transport::ApiClient*> chosen = o.api_for(node);
      if (!chosen) return stopped(chosen.error(), node + " untouched");
      relay = *chosen;
    }
    transport::ApiClient& api = *relay;
    if (relay != &main_api) {
      Result<safety::ClusterStatus> via = safety::ReadClusterStatus(api);
      RollSay(o, step + ": " + node + " answers hainfra's API: talking to " +
                     (via ? via->local : std::string("another member")) + "'s API for its turn");
    }
    RollSay(o, step + ": quorum gate");
    // One node at a time: every member must be online before the next one goes down.
    Result<safety::ClusterStatus> cluster = safety::ReadClusterStatus(api);
    if (!cluster) return stopped(cluster.error(), node + " untouched");
    std::vector<std::string> members;
    for (const auto& [name, online] : cluster->online) members.push_back(name);
    if (std::string why = safety::QuorumRefusal(*cluster, members, {}); !why.empty()) {
      return stopped({Code::kFailedPrecondition, why}, node + " untouched");
    }
    CrmCommand crm = crm_for(node);
    RollSay(o, step + ": entering maintenance");
    if (Status st = EnterMaintenance(api, crm, node, o.maintenance); !st) {
      return stopped(st.error(), node + " may be in maintenance: check it, then `hainfra maintain " + node + " --exit`");
    }
    RollSay(o, step + ": rebooting");
    Status asked = o.reboot ? o.reboot(node) : ApiReboot(api, node);
    if (!asked) return stopped(asked.error(), node + " stays in maintenance");
    if (Status st = RollWait(o, o.down_timeout, node + " down", [&] { return NodeOnline(api, node, false); }); !st) {
      return stopped(st.error(), node + " stays in maintenance");
    }
    if (Status st = RollWait(o, o.up_timeout, node + " back: online, quorate, its LRM alive, Ceph's OSDs up",
                             [&] { return NodeHealthy(api, node); });
        !st) {
      return stopped(st.error(), node + " stays in maintenance (its guests run elsewhere)");
    }
    RollSay(o, step + ": leaving maintenance");
    if (Status st = ExitMaintenance(api, crm, node, o.maintenance); !st) {
      return stopped(st.error(), node + " may still be in maintenance");
    }
    RollSay(o, step + ": done");
  }
  RollSay(o, "rolling reboot finished: " + std::to_string(n) + " node(s)");
  return Ok();
}

}  // namespace hainfra::maintenance
