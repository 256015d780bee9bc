// The commit of the cluster's and the nodes' firewall changes ("commit confirmed"): after the kind's last
// change, a fresh API call and a fresh SSH login must reach every node; otherwise the rule sets kept before
// the first change are written back. With SSH, a dead-man switch armed on one node before the first change
// copies the .fw files back on its own (pmxcfs shares them with every node) unless hainfra disarms it, so a
// rule set that cuts hainfra off both paths is still undone.
#include <thread>

#include "providers/kinds/firewall.h"
#include "providers/transport/api_path.h"

namespace hainfra::providers {
namespace {

constexpr const char* kFirewallArmDir = "/run/hainfra-firewall";
constexpr auto kFirewallConfirmPoll = std::chrono::milliseconds(300);

// Saves cluster.fw and every node's host.fw (an empty file for one that does not exist: an empty .fw is
// the defaults) and starts the switch that restores them after `seconds` unless `armed` is gone by then.
std::string FirewallDeadManScript(long long seconds) {
  const std::string dir = kFirewallArmDir;
  const std::string files = "firewall/cluster.fw $(for n in nodes/*/; do printf '%shost.fw ' \"$n\"; done)";
  return "set -e; rm -rf " + dir + "; mkdir -p " + dir + "; cd /etc/pve; for f in " + files +
         "; do mkdir -p \"" + dir + "/$(dirname \"$f\")\"; if [ -e \"$f\" ]; then cp \"$f\" \"" + dir +
         "/$f\"; else : > \"" + dir + "/$f\"; fi; done; touch " + dir + "/armed; nohup sh -c 'sleep " +
         std::to_string(seconds) + "; if [ -e " + dir + "/armed ]; then cd " + dir +
         " && for f in firewall/cluster.fw nodes/*/host.fw; do cp \"$f\" \"/etc/pve/$f\"; done; rm -f armed; fi'"
         " >/dev/null 2>&1 &";
}

}  // namespace

Status FirewallLevelKind::ArmDeadMan() {
  std::string node;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (nodes_.empty()) return Ok();
    node = nodes_.front();
  }
  const long long seconds = std::chrono::duration_cast<std::chrono::seconds>(confirm_timeout_).count() * 2 + 10;
  auto armed = deps_.ssh->Run(node, {"sh", "-c", FirewallDeadManScript(seconds)});
  if (!armed) return Fail(armed.error());
  if (!armed->ok()) return Fail(Code::kInternal, "could not arm the firewall rollback on " + node);
  armed_on_ = node;
  return Ok();
}

void FirewallLevelKind::DisarmDeadMan() {
  if (!armed_on_ || deps_.ssh == nullptr) return;
  (void)deps_.ssh->Run(*armed_on_, {"rm", "-f", std::string(kFirewallArmDir) + "/armed"});
  armed_on_.reset();
}

Status FirewallLevelKind::Confirm() {
  std::vector<std::string> nodes;
  {
    std::lock_guard<std::mutex> lock(mu_);
    nodes = nodes_;
  }
  const auto deadline = deps_.api->Now() + confirm_timeout_;
  for (const std::string& node : nodes) {
    Error last{Code::kDeadlineExceeded, "no answer"};
    while (true) {
      transport::Request request;
      request.path = transport::ApiPath({"nodes", node, "status"});
      request.timeout = confirm_timeout_;
      request.idempotent = false;  // this loop is the retry, bounded by the deadline
      auto status = deps_.api->Send(request);
      bool ssh_ok = true;
      if (status && deps_.ssh != nullptr) {
        deps_.ssh->Disconnect(node);  // a fresh login: an open session would survive a new rule set
        auto ran = deps_.ssh->Run(node, {"true"});
        ssh_ok = ran && ran->ok();
        if (!ssh_ok) last = ran ? Error{Code::kUnavailable, "the SSH command failed"} : ran.error();
      }
      if (status && ssh_ok) break;
      if (!status) last = status.error();
      if (deps_.api->Now() >= deadline) {
        return Fail(Code::kDeadlineExceeded, "node " + node + " did not answer on both the API and SSH within " +
                                                 std::to_string(confirm_timeout_.count()) +
                                                 " ms after the firewall change (last: " + last.message + ")");
      }
      deps_.api->Sleep(kFirewallConfirmPoll);
    }
  }
  return Ok();
}

Status FirewallLevelKind::Restore() {
  std::map<std::string, Value> kept;
  {
    std::lock_guard<std::mutex> lock(mu_);
    kept = kept_;
  }
  for (const auto& [name, body] : kept) {
    std::vector<std::string> fields;
    for (auto it = body.begin(); it != body.end(); ++it) fields.push_back(it.key());
    if (Status st = Write(name, body, fields); !st) return st;
  }
  return Ok();
}

Status FirewallLevelKind::Commit(const std::string& node) {
  (void)node;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (kept_.empty()) return Ok();
  }
  const std::string what = traits_.name;
  Status confirmed = Confirm();
  if (confirmed) {
    DisarmDeadMan();
    std::lock_guard<std::mutex> lock(mu_);
    kept_.clear();
    return Ok();
  }
  std::string message = what + ": " + confirmed.error().message + "; ";
  Status restored = Restore();
  if (restored) {
    Status again = Confirm();
    if (again) DisarmDeadMan();
    message += again ? "the previous rule set was restored and the nodes answer again"
                     : "the previous rule set was restored through the API, but a node still does not answer";
  } else if (armed_on_) {
    // The API is cut too: the switch on the node restores the kept files on its own.
    std::this_thread::sleep_for(confirm_timeout_ * 2 + std::chrono::seconds(12));
    Status again = Confirm();
    message += again ? "the dead-man switch restored the previous rule set and the nodes answer again"
                     : "the dead-man switch should have restored the previous rule set, but a node still does "
                       "not answer: check it from its console";
  } else {
    message += "the previous rule set could NOT be restored (" + restored.error().message +
               "): restore /etc/pve/firewall/cluster.fw and the nodes' host.fw from a console";
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    kept_.clear();
  }
  return Fail(Code::kFailedPrecondition, message);
}

}  // namespace hainfra::providers
