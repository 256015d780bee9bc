#include "providers/maintenance/ha_arming.h"

#include "providers/safety/quorum_gate.h"

namespace hainfra::maintenance {
namespace {

void ArmingSay(const MaintenanceOptions& o, const std::string& line) {
  if (o.progress) o.progress(line);
}

Status RequirePve9(int pve_major, const std::string& what) {
  if (pve_major >= 9) return Ok();
  return Fail(Code::kFailedPrecondition,
              what + ": cluster-wide HA disarm/arm exists from Proxmox VE 9 on (`ha-manager crm-command "
                     "disarm-ha|arm-ha`), and this cluster runs Proxmox VE " + std::to_string(pve_major) +
                  ": put its nodes in maintenance one at a time instead (`hainfra maintain NODE --enter`)");
}

// A POST the CRM queues; an older 9.x without the endpoint answers 501.
Status QueueArming(transport::ApiClient& api, const std::string& path, const Value& params, const std::string& what) {
  Result<Value> sent = api.Post(path, params);
  if (sent) return Ok();
  std::string hint;
  if (sent.error().message.find("not implemented") != std::string::npos) {
    hint = " (this Proxmox VE 9 predates cluster-wide disarm, added in a 9.1 point release: update pve-ha-manager)";
  }
  return Fail(WithContext(Error{sent.error().code, sent.error().message + hint}, what));
}

// Every online LRM's mode word ("disarm mode" while disarmed) from the HA status; the ones still in `mode`.
std::string LrmsIn(const Value& ha, const std::string& word) {
  std::string list;
  for (const Value& e : ha) {
    if (!e.is_object() || e.value("type", "") != "lrm") continue;
    if (e.value("status", "").find("(" + word) != std::string::npos) list += (list.empty() ? "" : ", ") + e.value("node", "");
  }
  return list;
}

}  // namespace

Result<std::string> ParseDisarmMode(const std::string& text) {
  if (text == "freeze" || text == "ignore") return text;
  return Fail(Code::kInvalidArgument, "--mode " + text + ": expected freeze (HA keeps its resources, applies no "
                                      "change) or ignore (HA stops tracking them)");
}

Result<HaArming> ReadHaArming(transport::ApiClient& api) {
  Result<Value> ha = api.Get("/cluster/ha/status/current");
  if (!ha) return Fail(WithContext(ha.error(), "reading the HA manager's status"));
  HaArming out;
  for (const Value& e : *ha) {
    if (!e.is_object() || e.value("type", "") != "fencing") continue;
    if (e.contains("armed-state") && e["armed-state"].is_string()) out.state = e["armed-state"].get<std::string>();
    if (e.contains("resource_mode") && e["resource_mode"].is_string()) out.mode = e["resource_mode"].get<std::string>();
  }
  return out;
}

Status DisarmHa(transport::ApiClient& api, int pve_major, const std::string& mode, const MaintenanceOptions& o) {
  const std::string where = "disarming HA";
  if (Status pve = RequirePve9(pve_major, where); !pve) return pve;
  // The CRM acts only with quorum; and a disarm is for work the admin does next, on a healthy cluster.
  if (Status quorum = safety::CheckQuorum(api, {}, {}); !quorum) return Fail(WithContext(quorum.error(), where));
  Result<HaArming> now = ReadHaArming(api);
  if (!now) return Fail(WithContext(now.error(), where));
  if (now->Disarmed() && now->mode != mode) {
    return Fail(Code::kFailedPrecondition, where + ": the HA stack is already " + now->state + " with resource mode " +
                                               now->mode + " (the HA manager ignores a second disarm): `hainfra ha "
                                               "arm` first, then disarm with --mode " + mode);
  }
  if (!now->Disarmed()) {
    ArmingSay(o, "asking the HA manager to disarm (resource mode " + mode + ")");
    if (Status sent = QueueArming(api, "/cluster/ha/status/disarm-ha", {{"resource-mode", mode}}, where); !sent) {
      return sent;
    }
  } else {
    ArmingSay(o, "the HA stack is already " + now->state + " (resource mode " + mode + ")");
  }
  Status done = WaitUntil(o, "the HA stack disarmed, every watchdog released", [&]() -> std::string {
    Result<Value> ha = api.Get("/cluster/ha/status/current");
    if (!ha) return ha.error().message;
    Result<HaArming> arming = ReadHaArming(api);
    if (!arming) return arming.error().message;
    if (arming->state == "disarmed") return "";
    std::string deferred;
    for (const Value& e : *ha) {
      const std::string state = e.is_object() ? e.value("crm_state", "") : "";
      if (state == "migrate" || state == "relocate" || state == "recovery" || state == "fence") {
        deferred += (deferred.empty() ? "" : ", ") + e.value("sid", "") + " " + state;
      }
    }
    return "its state is " + (arming->state.empty() ? std::string("unknown") : arming->state) +
           (deferred.empty() ? "" : " (deferred while " + deferred + ")");
  });
  if (!done) return Fail(WithContext(done.error(), where));
  ArmingSay(o, "HA is disarmed (resource mode " + mode + "): nothing fences, nothing is recovered " +
                   (mode == "freeze" ? "or moved by HA" : "and HA tracks no resource") + " until `hainfra ha arm`");
  return Ok();
}

Status ArmHa(transport::ApiClient& api, int pve_major, const MaintenanceOptions& o) {
  const std::string where = "arming HA";
  if (Status pve = RequirePve9(pve_major, where); !pve) return pve;
  if (Status quorum = safety::CheckQuorum(api, {}, {}); !quorum) return Fail(WithContext(quorum.error(), where));
  Result<HaArming> now = ReadHaArming(api);
  if (!now) return Fail(WithContext(now.error(), where));
  if (!now->Disarmed()) {
    ArmingSay(o, "the HA stack is armed (" + (now->state.empty() ? std::string("no fencing state") : now->state) +
                     "): nothing to do");
    return Ok();
  }
  ArmingSay(o, "asking the HA manager to arm again");
  if (Status sent = QueueArming(api, "/cluster/ha/status/arm-ha", Value::object(), where); !sent) return sent;
  Status done = WaitUntil(o, "the HA stack armed, every LRM out of disarm mode", [&]() -> std::string {
    Result<Value> ha = api.Get("/cluster/ha/status/current");
    if (!ha) return ha.error().message;
    Result<HaArming> arming = ReadHaArming(api);
    if (!arming) return arming.error().message;
    if (arming->Disarmed()) return "its state is " + arming->state;
    const std::string lrms = LrmsIn(*ha, "disarm mode");
    return lrms.empty() ? "" : "LRMs still in disarm mode: " + lrms;
  });
  if (!done) return Fail(WithContext(done.error(), where));
  ArmingSay(o, "HA is armed: fencing, recovery and migrations work again");
  return Ok();
}

}  // namespace hainfra::maintenance
