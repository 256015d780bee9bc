#include "providers/status/status_reader.h"

#include <algorithm>
#include <mutex>

#include "providers/kinds/parallel.h"
#include "providers/pve/corosync_cfgtool.h"
#include "providers/safety/cluster_lock.h"
#include "providers/transport/api_path.h"

namespace hainfra::status {
namespace {

void Unread(StatusReport& r, const std::string& what, const Error& e) { r.unread.push_back(what + ": " + e.message); }

void ReadHaAndCeph(transport::ApiClient& api, StatusReport& r) {
  if (r.clustered) {
    if (Result<Value> ha = api.Get("/cluster/ha/status/current"); !ha) {
      Unread(r, "HA manager status", ha.error());
    } else if (Status st = ReadHaStatusInto(*ha, r); !st) {
      Unread(r, "HA manager status", st.error());
    }
  }
  Result<Value> ceph = api.Get("/cluster/ceph/status");
  if (!ceph) return;  // not installed or not initialised: a cluster without Ceph
  if (Status st = ReadCephStatusInto(*ceph, r.ceph); !st) return Unread(r, "Ceph status", st.error());
  if (Result<Value> flags = api.Get("/cluster/ceph/flags"); flags) {
    if (Status st = ReadCephFlagsInto(*flags, r.ceph); !st) Unread(r, "Ceph flags", st.error());
  }
  // The OSD tree says which OSDs are in and up now; any online node answers it.
  for (const NodeState& n : r.nodes) {
    if (!n.online) continue;
    if (Result<Value> tree = api.Get(transport::ApiPath({"nodes", n.name, "ceph", "osd"})); tree) {
      (void)ReadOsdTreeInto(*tree, r.ceph);
    }
    break;
  }
}

// Packages and kernels of every online node, and their differences.
void ReadPackages(transport::ApiClient& api, StatusReport& r) {
  std::vector<std::string> online;
  for (const NodeState& n : r.nodes) {
    if (n.online) online.push_back(n.name);
  }
  std::vector<Result<NodePackageView>> views(online.size(), Fail(Code::kInternal, "not read"));
  providers::ForEachParallel(online.size(), 8, [&](size_t i) {
    Result<Value> v = api.Get(transport::ApiPath({"nodes", online[i], "apt", "versions"}));
    views[i] = v ? ReadAptVersions(*v) : Result<NodePackageView>(Fail(v.error()));
  });
  std::map<std::string, std::map<std::string, std::string>> by_node;
  for (size_t i = 0; i < online.size(); ++i) {
    if (!views[i]) {
      Unread(r, "packages of " + online[i], views[i].error());
      continue;
    }
    NodeState* n = r.Node(online[i]);
    n->running_kernel = views[i]->running_kernel;
    n->newest_kernel = views[i]->newest_kernel;
    by_node[online[i]] = views[i]->versions;
  }
  r.version_differences = VersionDifferences(by_node);
}

// Running guests whose configuration has changes waiting for a restart (GET …/pending).
void ReadPendingGuests(transport::ApiClient& api, StatusReport& r) {
  Result<Value> guests = api.Get("/cluster/resources", {{"type", "vm"}});
  if (!guests) return Unread(r, "guests", guests.error());
  std::vector<Value> running;
  for (const Value& g : *guests) {
    if (g.is_object() && g.value("status", "") == "running" && g.value("template", 0) == 0) running.push_back(g);
  }
  std::mutex mu;
  std::vector<std::string> pending;
  providers::ForEachParallel(running.size(), 8, [&](size_t i) {
    const Value& g = running[i];
    const std::string type = g.value("type", "qemu"), node = g.value("node", "");
    const std::string vmid = std::to_string(g.value("vmid", 0));
    Result<Value> p = api.Get(transport::ApiPath({"nodes", node, type, vmid, "pending"}));
    if (!p || !p->is_array()) return;
    std::string keys;
    for (const Value& e : *p) {
      if (e.is_object() && (e.contains("pending") || e.contains("delete"))) keys += (keys.empty() ? "" : ", ") + e.value("key", "");
    }
    if (keys.empty()) return;
    std::lock_guard<std::mutex> lock(mu);
    pending.push_back(type + "/" + vmid + " on " + node + ": " + keys);
  });
  std::sort(pending.begin(), pending.end());
  r.pending_guests = std::move(pending);
}

// Over SSH: each online node's corosync links, and the apply lock's holder.
void ReadOverSsh(transport::SshClient& ssh, StatusReport& r) {
  const auto& addresses = ssh.settings().addresses;
  std::vector<std::string> reachable;
  for (const NodeState& n : r.nodes) {
    if (n.online && addresses.contains(n.name)) reachable.push_back(n.name);
  }
  std::vector<Result<std::string>> outputs(reachable.size(), Fail(Code::kInternal, "not read"));
  providers::ForEachParallel(reachable.size(), 8, [&](size_t i) {
    outputs[i] = ssh.RunChecked(reachable[i], {"corosync-cfgtool", "-s"});
  });
  for (size_t i = 0; i < reachable.size(); ++i) {
    Result<pve::CfgtoolStatus> cfg =
        outputs[i] ? pve::ParseCfgtoolStatus(*outputs[i]) : Result<pve::CfgtoolStatus>(Fail(outputs[i].error()));
    if (!cfg) {
      Unread(r, "corosync links of " + reachable[i], cfg.error());
      continue;
    }
    ReadLinksInto(reachable[i], *cfg, r);
  }
  if (reachable.empty()) return;
  r.lock_checked = true;
  Result<safety::LockHolder> holder = safety::ReadLockHolder(ssh, reachable.front(), safety::kApplyLockName);
  if (holder) {
    r.lock_holder = holder->Describe();
  } else if (holder.error().code != Code::kNotFound) {
    Unread(r, "the cluster lock", holder.error());
  }
}

}  // namespace

Result<StatusReport> ReadStatus(transport::ApiClient& api, transport::SshClient* ssh) {
  StatusReport r;
  Result<Value> cluster = api.Get("/cluster/status");
  if (!cluster) return Fail(WithContext(cluster.error(), "reading /cluster/status"));
  if (Status st = ReadClusterStatusInto(*cluster, r); !st) return Fail(st.error());
  if (r.clustered) {
    if (Result<Value> config = api.Get("/cluster/config/nodes"); !config) {
      Unread(r, "corosync nodes (votes)", config.error());
    } else if (Status st = ReadConfigNodesInto(*config, r); !st) {
      Unread(r, "corosync nodes (votes)", st.error());
    }
  }
  ReadHaAndCeph(api, r);
  ReadPackages(api, r);
  ReadPendingGuests(api, r);
  if (ssh != nullptr) ReadOverSsh(*ssh, r);
  Evaluate(r);
  return r;
}

}  // namespace hainfra::status
