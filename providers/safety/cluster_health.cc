#include "providers/safety/cluster_health.h"

#include "providers/pve/pve_values.h"

namespace hainfra::safety {

Result<ClusterStatus> ParseClusterStatus(const Value& status) {
  if (!status.is_array()) return Fail(Code::kInternal, "/cluster/status: expected a list, got " + status.dump());
  ClusterStatus out;
  for (const Value& entry : status) {
    if (!entry.is_object() || !entry.contains("type") || !entry["type"].is_string()) {
      return Fail(Code::kInternal, "/cluster/status: an entry without a type: " + entry.dump());
    }
    const std::string type = entry["type"].get<std::string>();
    const std::string name = entry.value("name", "");
    if (type == "cluster") {
      out.clustered = true;
      out.quorate = pve::FlagOf(entry, "quorate");
      out.name = name;
    } else if (type == "node") {
      if (name.empty()) return Fail(Code::kInternal, "/cluster/status: a node entry without a name: " + entry.dump());
      out.online[name] = pve::FlagOf(entry, "online");
      if (pve::FlagOf(entry, "local")) out.local = name;
    }
  }
  if (!out.clustered) out.quorate = true;  // a standalone node's pmxcfs is always writable
  return out;
}

Result<ClusterStatus> ReadClusterStatus(transport::ApiClient& api) {
  Result<Value> status = api.Get("/cluster/status");
  if (!status) return Fail(WithContext(status.error(), "reading /cluster/status"));
  return ParseClusterStatus(*status);
}

std::string HaProblem(const Value& ha_status, const std::string& node) {
  if (!ha_status.is_array()) return "unexpected /cluster/ha/status/current answer: " + ha_status.dump();
  for (const Value& entry : ha_status) {
    if (!entry.is_object()) continue;
    const std::string type = entry.value("type", "");
    const std::string status = entry.value("status", "");
    if (type == "quorum" && status.rfind("OK", 0) != 0) return "HA manager: quorum " + status;
    const bool mine = type == "master" || (type == "lrm" && entry.value("id", "") == "lrm:" + node);
    if (mine && status.find("old timestamp") != std::string::npos) {
      return "HA manager: " + entry.value("id", type) + " " + status;
    }
  }
  return "";
}

std::string CephProblem(transport::ApiClient& api) {
  Result<Value> ceph = api.Get("/cluster/ceph/status");
  if (!ceph) return "";  // not installed / not configured: nothing to check
  std::string health;
  if (ceph->is_object() && ceph->contains("health") && (*ceph)["health"].is_object()) {
    health = (*ceph)["health"].value("status", "");
  }
  return health == "HEALTH_ERR" ? "Ceph reports HEALTH_ERR" : "";
}

}  // namespace hainfra::safety
