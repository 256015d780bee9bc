#include "providers/maintenance/node_maintenance.h"

#include <map>
#include <set>
#include <thread>

#include "providers/maintenance/ha_arming.h"
#include "providers/safety/quorum_gate.h"
#include "providers/transport/api_path.h"

namespace hainfra::maintenance {
namespace {

constexpr std::chrono::minutes kGuestTaskTimeout{15};

void Say(const MaintenanceOptions& o, const std::string& line) {
  if (o.progress) o.progress(line);
}

std::string MaintenanceSeconds(std::chrono::milliseconds d) { return std::to_string(d.count() / 1000) + " s"; }

// "pve-02 (maintenance mode, …)" -> "maintenance" (see status/cluster_report.cc for the same reading).
std::string LrmWord(const std::string& status) {
  auto open = status.find('(');
  if (open == std::string::npos) return "";
  auto end = status.find_first_of(",)", open + 1);
  std::string word = status.substr(open + 1, end == std::string::npos ? std::string::npos : end - open - 1);
  if (word.find("old timestamp") != std::string::npos) return "dead";
  return word == "maintenance mode" ? "maintenance" : word;
}

}  // namespace

Status WaitUntil(const MaintenanceOptions& o, const std::string& what, const std::function<std::string()>& check) {
  const auto start = std::chrono::steady_clock::now();
  Say(o, "waiting: " + what);
  std::string missing;
  while (true) {
    missing = check();
    if (missing.empty()) {
      auto took = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
      Say(o, "done: " + what + " (" + std::to_string(took.count()) + " ms)");
      return Ok();
    }
    if (std::chrono::steady_clock::now() - start >= o.timeout) break;
    std::this_thread::sleep_for(o.poll);
  }
  return Fail(Code::kDeadlineExceeded, what + ": " + missing + " after " + MaintenanceSeconds(o.timeout));
}

namespace {

// HA resources (sid -> node) whose requested state keeps them somewhere, from the HA manager's status.
Result<std::map<std::string, std::string>> HaGuestsOn(transport::ApiClient& api, const std::string& node) {
  Result<Value> ha = api.Get("/cluster/ha/status/current");
  if (!ha) return Fail(ha.error());
  std::map<std::string, std::string> out;
  for (const Value& e : *ha) {
    if (!e.is_object() || e.value("type", "") != "service") continue;
    const std::string request = e.value("request_state", "");
    if (request == "ignored" || request == "disabled") continue;
    if (e.value("node", "") == node) out[e.value("sid", "")] = node;
  }
  return out;
}

// Guests of /cluster/resources on `node` that HA does not manage and that run.
Result<std::vector<Value>> RunningNonHaGuests(transport::ApiClient& api, const std::string& node) {
  Result<Value> guests = api.Get("/cluster/resources", {{"type", "vm"}});
  if (!guests) return Fail(guests.error());
  std::vector<Value> out;
  for (const Value& g : *guests) {
    if (!g.is_object() || g.value("node", "") != node || g.value("status", "") != "running") continue;
    if (g.contains("hastate") && !g["hastate"].is_null()) continue;  // HA moves it
    if (g.value("template", 0) != 0) continue;
    out.push_back(g);
  }
  return out;
}

// The online node, other than `node` and not in maintenance, that runs the fewest guests.
Result<std::string> MigrationTarget(transport::ApiClient& api, const std::string& node) {
  Result<safety::ClusterStatus> status = safety::ReadClusterStatus(api);
  if (!status) return Fail(status.error());
  std::set<std::string> maintenance;
  if (Result<Value> ha = api.Get("/cluster/ha/status/current"); ha) {
    for (const Value& e : *ha) {
      if (e.is_object() && e.value("type", "") == "lrm" && LrmWord(e.value("status", "")) == "maintenance") {
        maintenance.insert(e.value("node", ""));
      }
    }
  }
  std::map<std::string, int> load;
  if (Result<Value> guests = api.Get("/cluster/resources", {{"type", "vm"}}); guests) {
    for (const Value& g : *guests) {
      if (g.is_object() && g.value("status", "") == "running") load[g.value("node", "")]++;
    }
  }
  std::string best;
  for (const auto& [name, online] : status->online) {
    if (!online || name == node || maintenance.contains(name)) continue;
    if (best.empty() || load[name] < load[best]) best = name;
  }
  if (best.empty()) return Fail(Code::kFailedPrecondition, "no other online node outside maintenance to migrate to");
  return best;
}

Status WaitGuestTask(transport::ApiClient& api, Result<Value> answer, const std::string& what) {
  if (!answer) return Fail(WithContext(answer.error(), what));
  if (!answer->is_string()) return Ok();
  Result<transport::TaskResult> task = api.WaitTask(answer->get<std::string>(), kGuestTaskTimeout);
  if (!task) return Fail(WithContext(task.error(), what));
  return Ok();
}

Status MoveNonHaGuests(transport::ApiClient& api, const std::string& node, const MaintenanceOptions& o) {
  Result<std::vector<Value>> guests = RunningNonHaGuests(api, node);
  if (!guests) return Fail(WithContext(guests.error(), "listing the guests of " + node));
  for (const Value& g : *guests) {
    const std::string type = g.value("type", "qemu"), vmid = std::to_string(g.value("vmid", 0));
    const std::string name = type + "/" + vmid;
    if (o.policy == GuestPolicy::kLeave) {
      Say(o, "leaving " + name + " running on " + node + " (--policy leave)");
      continue;
    }
    if (o.policy == GuestPolicy::kShutdown) {
      Say(o, "shutting down " + name + " on " + node);
      Status st = WaitGuestTask(api, api.Post(transport::ApiPath({"nodes", node, type, vmid, "status", "shutdown"})),
                                "shutting down " + name);
      if (!st) return st;
      continue;
    }
    Result<std::string> target = MigrationTarget(api, node);
    if (!target) return Fail(WithContext(target.error(), "migrating " + name));
    Value params = {{"target", *target}};
    params[type == "lxc" ? "restart" : "online"] = 1;  // containers cannot move live: restart mode
    Say(o, "migrating " + name + " from " + node + " to " + *target + (type == "lxc" ? " (restart mode)" : " (live)"));
    Status st = WaitGuestTask(api, api.Post(transport::ApiPath({"nodes", node, type, vmid, "migrate"}), params),
                              "migrating " + name + " to " + *target);
    if (!st) return st;
  }
  return Ok();
}

// True when `node` hosts OSDs (Ceph present); false without Ceph.
bool HostsOsds(transport::ApiClient& api, const std::string& node) {
  Result<Value> tree = api.Get(transport::ApiPath({"nodes", node, "ceph", "osd"}));
  if (!tree || !tree->is_object() || !tree->contains("root")) return false;
  std::vector<const Value*> stack{&(*tree)["root"]};
  while (!stack.empty()) {
    const Value* n = stack.back();
    stack.pop_back();
    if (n->value("type", "") == "host" && n->value("name", "") == node && n->contains("children") &&
        !(*n)["children"].empty()) {
      return true;
    }
    if (n->contains("children") && (*n)["children"].is_array()) {
      for (const Value& c : (*n)["children"]) stack.push_back(&c);
    }
  }
  return false;
}

Status SetNoout(transport::ApiClient& api, bool on, const MaintenanceOptions& o) {
  Say(o, std::string(on ? "setting" : "clearing") + " Ceph's noout flag");
  return WaitGuestTask(api, api.Put("/cluster/ceph/flags", {{"noout", on ? 1 : 0}}),
                       std::string(on ? "setting" : "clearing") + " Ceph's noout flag");
}

}  // namespace

Result<GuestPolicy> ParseGuestPolicy(const std::string& text) {
  if (text == "migrate") return GuestPolicy::kMigrate;
  if (text == "shutdown") return GuestPolicy::kShutdown;
  if (text == "leave") return GuestPolicy::kLeave;
  return Fail(Code::kInvalidArgument, "--policy " + text + ": expected migrate, shutdown or leave");
}

std::optional<std::string> CrmRelayNode(const transport::SshClient& ssh, const std::string& via,
                                        const std::string& avoid) {
  if (!via.empty() && via != avoid) return via;
  for (const auto& [name, address] : ssh.settings().addresses) {
    if (name != avoid) return name;
  }
  return std::nullopt;
}

CrmCommand SshCrmCommand(transport::SshClient& ssh, std::string node) {
  return [&ssh, node](const std::vector<std::string>& args) -> Status {
    std::vector<std::string> argv{"ha-manager", "crm-command"};
    argv.insert(argv.end(), args.begin(), args.end());
    Result<std::string> out = ssh.RunChecked(node, argv);
    if (!out) return Fail(WithContext(out.error(), "ha-manager crm-command on " + node));
    return Ok();
  };
}

Result<std::string> LrmState(transport::ApiClient& api, const std::string& node) {
  Result<Value> ha = api.Get("/cluster/ha/status/current");
  if (!ha) return Fail(ha.error());
  for (const Value& e : *ha) {
    if (e.is_object() && e.value("type", "") == "lrm" && e.value("node", "") == node) {
      return LrmWord(e.value("status", ""));
    }
  }
  return std::string();
}

Status EnterMaintenance(transport::ApiClient& api, const CrmCommand& crm, const std::string& node,
                        const MaintenanceOptions& o) {
  const std::string where = "maintenance of " + node;
  if (Status quorum = safety::CheckQuorum(api, {node}, {}); !quorum) return Fail(WithContext(quorum.error(), where));
  // A disarmed HA stack (PVE 9) ignores node maintenance: waiting for it would only time out.
  if (Result<HaArming> arming = ReadHaArming(api); arming && arming->Disarmed()) {
    return Fail(Code::kFailedPrecondition, where + ": the HA stack is " + arming->state + " (resource mode " +
                                               arming->mode + "), and the HA manager ignores node maintenance "
                                               "until it is armed again (`hainfra ha arm`)");
  }
  Say(o, "enabling HA node maintenance on " + node);
  if (Status sent = crm({"node-maintenance", "enable", node}); !sent) return Fail(WithContext(sent.error(), where));
  Status lrm = WaitUntil(o, "the LRM of " + node + " in maintenance mode", [&]() -> std::string {
    Result<std::string> state = LrmState(api, node);
    if (!state) return state.error().message;
    return *state == "maintenance" ? "" : "its LRM is " + (state->empty() ? std::string("not listed") : *state);
  });
  if (!lrm) return Fail(WithContext(lrm.error(), where));
  Status gone = WaitUntil(o, "every HA guest moved off " + node, [&]() -> std::string {
    auto on = HaGuestsOn(api, node);
    if (!on) return on.error().message;
    std::string list;
    for (const auto& [sid, n] : *on) list += (list.empty() ? "" : ", ") + sid;
    return list.empty() ? "" : list + " still on " + node;
  });
  if (!gone) return Fail(WithContext(gone.error(), where));
  if (Status moved = MoveNonHaGuests(api, node, o); !moved) return Fail(WithContext(moved.error(), where));
  if (HostsOsds(api, node)) {
    if (Status noout = SetNoout(api, true, o); !noout) return Fail(WithContext(noout.error(), where));
  }
  Say(o, node + " is in maintenance");
  return Ok();
}

Status ExitMaintenance(transport::ApiClient& api, const CrmCommand& crm, const std::string& node,
                       const MaintenanceOptions& o) {
  const std::string where = "leaving maintenance of " + node;
  if (Status quorum = safety::CheckQuorum(api, {node}, {}); !quorum) return Fail(WithContext(quorum.error(), where));
  Say(o, "disabling HA node maintenance on " + node);
  if (Status sent = crm({"node-maintenance", "disable", node}); !sent) return Fail(WithContext(sent.error(), where));
  Status lrm = WaitUntil(o, "the LRM of " + node + " out of maintenance mode", [&]() -> std::string {
    Result<std::string> state = LrmState(api, node);
    if (!state) return state.error().message;
    return *state == "active" || *state == "idle" ? "" : "its LRM is " + (state->empty() ? "not listed" : *state);
  });
  if (!lrm) return Fail(WithContext(lrm.error(), where));
  // noout is cluster-wide in Proxmox's API: clear it only when no other node is still in maintenance.
  Result<Value> flags = api.Get("/cluster/ceph/flags");
  bool noout = false;
  if (flags && flags->is_array()) {
    for (const Value& f : *flags) noout |= f.value("name", "") == "noout" && f.value("value", 0) != 0;
  }
  if (noout) {
    Result<Value> ha = api.Get("/cluster/ha/status/current");
    std::string other;
    if (ha) {
      for (const Value& e : *ha) {
        if (e.is_object() && e.value("type", "") == "lrm" && e.value("node", "") != node &&
            LrmWord(e.value("status", "")) == "maintenance") {
          other = e.value("node", "");
        }
      }
    }
    if (!other.empty()) {
      Say(o, "keeping Ceph's noout flag: " + other + " is still in maintenance");
    } else if (Status cleared = SetNoout(api, false, o); !cleared) {
      return Fail(WithContext(cleared.error(), where));
    }
  }
  Say(o, node + " left maintenance");
  return Ok();
}

}  // namespace hainfra::maintenance
