// The commit of a node's staged network ("commit confirmed"): reload, confirm the node still answers,
// else restore the previous configuration — through a dead-man switch on the node when SSH is there
// (a management address change may cut the very path a restore would take), else through the API.
#include <thread>

#include "providers/kinds/network.h"
#include "providers/kinds/network_body.h"
#include "providers/pve/network_interfaces.h"
#include "providers/transport/api_path.h"

namespace hainfra::providers {
namespace {

constexpr const char* kInterfaces = "/etc/network/interfaces";
constexpr const char* kBackup = "/etc/network/interfaces.hainfra-previous";
constexpr const char* kArmed = "/run/hainfra-network-armed";
constexpr auto kNetworkTaskTimeout = std::chrono::minutes(5);
constexpr auto kPoll = std::chrono::milliseconds(500);

}  // namespace

Status NetworkKind::Reload(const std::string& node) {
  auto upid = deps_.api->Put(transport::ApiPath({"nodes", node, "network"}));
  if (!upid) return Fail(WithContext(upid.error(), "reload the network of " + node));
  if (upid->is_string()) {
    auto task = deps_.api->WaitTask(upid->get<std::string>(), kNetworkTaskTimeout);
    // The reload was accepted. A node that cut itself off cannot report its task any more: that is not a
    // reason to run the reload again (the step must not be retried) but for Confirm to decide.
    if (!task && task.error().code == Code::kUnavailable) return Ok();
    if (!task) return Fail(WithContext(task.error(), "reload the network of " + node));
  }
  return Ok();
}

Status NetworkKind::Confirm(const std::string& node) {
  const auto deadline = deps_.api->Now() + confirm_timeout_;
  Error last{Code::kDeadlineExceeded, "no answer"};
  while (true) {
    transport::Request request;
    request.path = transport::ApiPath({"nodes", node, "status"});
    request.timeout = std::chrono::duration_cast<std::chrono::milliseconds>(confirm_timeout_);
    request.idempotent = false;  // this loop is the retry: one attempt per poll, bounded by the deadline
    auto status = deps_.api->Send(request);
    bool ssh_ok = true;
    if (status && deps_.ssh != nullptr) {
      auto ran = deps_.ssh->Run(node, {"true"});
      ssh_ok = ran && ran->ok();
      if (!ssh_ok) last = ran ? Error{Code::kUnavailable, "SSH command failed"} : ran.error();
    }
    if (status && ssh_ok) return Ok();
    if (!status) last = status.error();
    if (deps_.api->Now() >= deadline) break;
    deps_.api->Sleep(kPoll);
  }
  return Fail(Code::kDeadlineExceeded, "node " + node + " did not answer within " +
                                           std::to_string(confirm_timeout_.count()) +
                                           " ms after its network reload (last: " + last.message + ")");
}

Status NetworkKind::ArmDeadMan(const std::string& node) {
  auto previous = deps_.ssh->ReadFile(node, kInterfaces);
  if (!previous) return Fail(previous.error());
  auto saved = deps_.ssh->WriteFileAtomic(node, kBackup, *previous);
  if (!saved) return Fail(saved.error());
  // Twice the confirmation time: hainfra disarms it as soon as the node answered on both paths.
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(confirm_timeout_).count() * 2 + 10;
  const std::string job = "touch " + std::string(kArmed) + " && nohup sh -c 'sleep " + std::to_string(seconds) +
                          "; if [ -e " + kArmed + " ]; then cp " + kBackup + " " + kInterfaces +
                          " && rm -f /etc/network/interfaces.new " + kArmed +
                          " && ifreload -a; fi' >/dev/null 2>&1 &";
  auto armed = deps_.ssh->Run(node, {"sh", "-c", job});
  if (!armed) return Fail(armed.error());
  if (!armed->ok()) return Fail(Code::kInternal, "could not arm the network rollback on " + node);
  return Ok();
}

// The switch must be gone once the change is confirmed: left armed, it would undo the committed change a
// minute later. An SSH session lost on the way is no reason to leave it (with one ignored command, a cut
// there left it armed): a fresh session tries again.
Status NetworkKind::DisarmDeadMan(const std::string& node) {
  constexpr int kDisarmTries = 3;
  Error last{Code::kUnavailable, "no answer"};
  for (int attempt = 1; attempt <= kDisarmTries; ++attempt) {
    auto removed = deps_.ssh->Run(node, {"rm", "-f", kArmed});
    if (removed && removed->ok()) return Ok();
    last = removed ? Error{Code::kFailedPrecondition, "rm exited " + std::to_string(removed->exit_status) + ": " +
                                                          removed->stderr_text}
                   : removed.error();
    if (attempt < kDisarmTries) deps_.api->Sleep(kPoll);
  }
  return Fail(Code::kFailedPrecondition,
              "the change is committed and the node answers, but the rollback armed before the reload could not be "
              "disarmed (" + last.message + "): it will restore the previous " + kInterfaces + " unless " + kArmed +
              " is removed on " + node + " now");
}

Status NetworkKind::RestoreThroughApi(const std::string& node, const std::vector<Value>& previous) {
  const std::string base = transport::ApiPath({"nodes", node, "network"});
  if (auto r = deps_.api->Delete(base); !r) return Fail(r.error());  // drop anything staged meanwhile
  transport::Request request;
  request.path = base;
  auto envelope = deps_.api->SendForEnvelope(request);
  if (!envelope) return Fail(envelope.error());
  const Value now = ObservedNetworkBody(node, *envelope);
  for (Value iface : now["network"]) {
    pve::NormalizeInterface(iface);
    const std::string name = iface.value("iface", "");
    const Value* before = nullptr;
    for (const Value& p : previous) {
      if (p.value("iface", "") == name) before = &p;
    }
    if (before == nullptr) {
      if (auto r = deps_.api->Delete(transport::ApiPath({"nodes", node, "network", name})); !r) return Fail(r.error());
      continue;
    }
    if (pve::SameInterface(*before, iface)) continue;
    Value params = pve::InterfaceParams(*before);
    const auto removed = pve::RemovedParams(iface, *before);
    std::string list;
    for (const auto& k : removed) list += (list.empty() ? "" : ",") + k;
    if (!list.empty()) params["delete"] = list;
    if (auto r = deps_.api->Put(transport::ApiPath({"nodes", node, "network", name}), params); !r) return Fail(r.error());
  }
  for (const Value& p : previous) {
    bool exists = false;
    for (const Value& iface : now["network"]) exists = exists || iface.value("iface", "") == p.value("iface", "");
    if (exists) continue;
    Value params = pve::InterfaceParams(p);
    params["iface"] = p.value("iface", "");
    if (auto r = deps_.api->Post(base, params); !r) return Fail(r.error());
  }
  return Reload(node);
}

Status NetworkKind::Commit(const std::string& node) {
  std::vector<Value> previous;
  {
    std::lock_guard<std::mutex> lock(mu_);
    previous = previous_[node];
  }
  const std::string what = "network/" + node;
  bool armed = false;
  if (deps_.ssh != nullptr) {
    if (auto st = ArmDeadMan(node); !st) {
      (void)deps_.api->Delete(transport::ApiPath({"nodes", node, "network"}));
      return Fail(WithContext(st.error(), what + ": could not arm the rollback before the reload; nothing applied"));
    }
    armed = true;
  }
  if (auto st = Reload(node); !st) return Fail(WithContext(st.error(), what));
  auto confirmed = Confirm(node);
  if (confirmed) {
    if (armed) {
      if (Status disarmed = DisarmDeadMan(node); !disarmed) return Fail(WithContext(disarmed.error(), what));
    }
    return Ok();
  }
  std::string message = what + ": " + confirmed.error().message + "; ";
  if (armed) {
    // The switch on the node restores the previous file on its own; wait for it and check again.
    std::this_thread::sleep_for(confirm_timeout_ + std::chrono::seconds(15));
    auto again = Confirm(node);
    message += again ? "the dead-man switch restored the previous configuration and the node answers again"
                     : "the dead-man switch should have restored the previous configuration, but the node "
                       "still does not answer: check it from its console";
    return Fail(Code::kFailedPrecondition, message);
  }
  auto restored = RestoreThroughApi(node, previous);
  if (!restored) {
    message += "the previous configuration could NOT be restored through the API (" + restored.error().message +
               "); without SSH to the node hainfra cannot guarantee its way back: restore "
               "/etc/network/interfaces from the node's console";
    return Fail(Code::kFailedPrecondition, message);
  }
  auto again = Confirm(node);
  message += again ? "the previous configuration was restored through the API and the node answers again"
                   : "the previous configuration was restored through the API, but the node still does not answer";
  return Fail(Code::kFailedPrecondition, message);
}

}  // namespace hainfra::providers
