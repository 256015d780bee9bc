#include "providers/kinds/corosync_rollout.h"

#include <map>
#include <set>
#include <thread>

#include "providers/pve/corosync_cfgtool.h"
#include "providers/pve/corosync_conf.h"
#include "providers/safety/quorum_gate.h"

namespace hainfra::providers {
namespace {

constexpr const char* kConf = "/etc/pve/corosync.conf";

struct Rollout {
  KindDeps& deps;
  std::string node;  // where /etc/pve is written
  std::chrono::milliseconds timeout;
};

Status WriteConf(Rollout& r, const pve::CorosyncSection& root) {
  // Edit a copy, then move it into place: pmxcfs never shows a half-written corosync.conf.
  transport::RunOptions run;
  run.stdin_data = pve::FormatCorosyncConf(root);
  auto result = r.deps.ssh->Run(
      r.node, {"sh", "-c", "cat > /etc/pve/corosync.conf.new && mv /etc/pve/corosync.conf.new /etc/pve/corosync.conf"},
      run);
  if (!result) return Fail(WithContext(result.error(), "writing " + std::string(kConf) + " on " + r.node));
  if (!result->ok()) {
    return Fail(Code::kFailedPrecondition, "writing " + std::string(kConf) + " on " + r.node + ": " + result->stderr_text);
  }
  return Ok();
}

// Empty when every node's corosync runs `link` (when >= 0) with its address from `expected` and sees every
// other node connected on every link it has, and the cluster is quorate; else what is still wrong.
std::string Problem(Rollout& r, const pve::CorosyncView& expected, int link) {
  if (Status quorum = safety::CheckQuorum(*r.deps.api, {}, {}); !quorum) return quorum.error().message;
  std::vector<int> ids;
  for (const auto& n : expected.nodes) ids.push_back(n.nodeid);
  for (const auto& n : expected.nodes) {
    auto out = r.deps.ssh->Run(n.name, {"corosync-cfgtool", "-s"});
    if (!out) return n.name + ": " + out.error().message;
    auto status = pve::ParseCfgtoolStatus(out->stdout_text);
    if (!status) return n.name + ": " + status.error().message;
    for (const auto& [id, state] : status->links) {
      (void)state;
      if (!status->Connected(id, ids)) return n.name + ": link " + std::to_string(id) + " does not see every node connected";
    }
    if (link < 0) continue;
    auto want = n.links.find(link);
    auto have = status->links.find(link);
    if (want == n.links.end()) {
      if (have != status->links.end()) return n.name + ": link " + std::to_string(link) + " still runs";
      continue;
    }
    if (have == status->links.end()) return n.name + ": link " + std::to_string(link) + " is not running";
    if (have->second.address != want->second) {
      return n.name + ": link " + std::to_string(link) + " runs with " + have->second.address + ", not " + want->second;
    }
  }
  return "";
}

Status WaitVerified(Rollout& r, const pve::CorosyncSection& root, int link) {
  Result<pve::CorosyncView> view = pve::ReadCorosyncView(root);
  if (!view) return Fail(view.error());
  const auto deadline = std::chrono::steady_clock::now() + r.timeout;
  std::string problem;
  while (!(problem = Problem(r, *view, link)).empty()) {
    if (std::chrono::steady_clock::now() >= deadline) return Fail(Code::kDeadlineExceeded, problem);
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
  return Ok();
}

// Writes `next` (a new config version) and verifies it; on failure writes `previous` back with the version
// bumped past `next`'s and returns the reason.
Status Step(Rollout& r, const pve::CorosyncSection& previous, pve::CorosyncSection next, int link,
            const std::string& what) {
  if (pve::FormatCorosyncConf(next) == pve::FormatCorosyncConf(previous)) return Ok();
  if (Status bumped = pve::BumpConfigVersion(next); !bumped) return bumped;
  if (Status written = WriteConf(r, next); !written) return written;
  Status verified = WaitVerified(r, next, link);
  if (verified) return Ok();
  pve::CorosyncSection restore = previous;
  restore.Child("totem").Set("config_version", next.Child("totem").Get("config_version").value_or("0"));
  (void)pve::BumpConfigVersion(restore);
  Status restored = WriteConf(r, restore);
  Status settled = restored ? WaitVerified(r, restore, link) : restored;
  return Fail(Code::kFailedPrecondition,
              "corosync: " + what + " did not verify within " + std::to_string(r.timeout.count() / 1000) + " s (" +
                  verified.error().message + "); the previous corosync.conf was restored" +
                  (settled ? "" : " but does not verify yet: " + settled.error().message));
}

std::set<int> LinkIds(const Value& desired, const pve::CorosyncView& view) {
  std::set<int> ids;
  for (const auto& n : view.nodes) {
    for (const auto& [id, address] : n.links) ids.insert(id);
  }
  for (const auto& [id, keys] : view.interfaces) ids.insert(id);
  if (desired.contains("links")) {
    for (const Value& l : desired["links"]) ids.insert(l.value("id", 0));
  }
  return ids;
}

// The tree with link `id` as `desired` says: node addresses, the interface section and its priority.
pve::CorosyncSection WithLink(pve::CorosyncSection root, const Value& desired, int id) {
  const std::string key = "link" + std::to_string(id);
  bool declared = !desired.contains("links");
  const Value* link = nullptr;
  if (desired.contains("links")) {
    for (const Value& l : desired["links"]) {
      if (l.value("id", -1) == id) link = &l;
    }
    declared = link != nullptr;
  }
  if (desired.contains("nodes")) {
    for (const auto& [name, addresses] : desired["nodes"].items()) {
      std::string address = declared && addresses.contains(key) ? addresses[key].get<std::string>() : "";
      (void)pve::SetLinkAddress(root, name, id, address);
    }
  }
  if (desired.contains("links")) {
    pve::CorosyncSection& totem = root.Child("totem");
    pve::CorosyncSection* iface = nullptr;
    for (pve::CorosyncSection* s : totem.Sections("interface")) {
      if (s->Get("linknumber").value_or("0") == std::to_string(id)) iface = s;
    }
    if (!declared) {
      std::erase_if(totem.items, [&](const pve::CorosyncItem& i) { return i.section.get() == iface && iface; });
    } else {
      if (iface == nullptr) {
        auto s = std::make_shared<pve::CorosyncSection>();
        s->name = "interface";
        s->Set("linknumber", std::to_string(id));
        totem.items.push_back({pve::CorosyncItem::Type::kSection, "", "", s});
        iface = s.get();
      }
      if (link->contains("priority")) iface->Set("knet_link_priority", std::to_string((*link)["priority"].get<int>()));
    }
  }
  return root;
}

}  // namespace

Result<std::string> CorosyncReadNode(KindDeps& deps) {
  if (deps.ssh == nullptr || deps.ssh->settings().addresses.empty()) {
    return Fail(Code::kFailedPrecondition, "corosync: no node is reachable over SSH (node addresses or HAINFRA_SSH_ADDRESSES)");
  }
  Result<safety::ClusterStatus> status = safety::ReadClusterStatus(*deps.api);
  if (!status) return Fail(status.error());
  const auto& addresses = deps.ssh->settings().addresses;
  if (!status->local.empty() && addresses.contains(status->local)) return status->local;
  for (const auto& [node, online] : status->online) {
    if (online && addresses.contains(node)) return node;
  }
  return Fail(Code::kFailedPrecondition, "corosync: no online node has an SSH address");
}

Status RollOutCorosync(KindDeps& deps, const Value& desired, std::chrono::milliseconds verify_timeout) {
  if (Status quorum = safety::CheckQuorum(*deps.api, {}, {}); !quorum) return quorum;
  Result<std::string> node = CorosyncReadNode(deps);
  if (!node) return Fail(node.error());
  Rollout r{deps, *node, verify_timeout};
  Result<std::string> text = deps.ssh->ReadFile(r.node, kConf);
  if (!text) return Fail(text.error());
  Result<pve::CorosyncSection> current = pve::ParseCorosyncConf(*text, kConf);
  if (!current) return Fail(current.error());
  Result<pve::CorosyncView> view = pve::ReadCorosyncView(*current);
  if (!view) return Fail(view.error());
  for (const auto& n : view->nodes) {
    if (!deps.ssh->settings().addresses.contains(n.name)) {
      return Fail(Code::kFailedPrecondition, "corosync: node '" + n.name + "' has no SSH address; every node's "
                                             "corosync must be watched during a link change");
    }
  }
  // Totem timings: one version.
  if (desired.contains("totem")) {
    pve::CorosyncSection next = *current;
    for (const auto& [key, value] : desired["totem"].items()) {
      next.Child("totem").Set(key, value.is_string() ? value.get<std::string>() : value.dump());
    }
    if (Status s = Step(r, *current, next, -1, "the totem change"); !s) return s;
    if (pve::FormatCorosyncConf(next) != pve::FormatCorosyncConf(*current)) {
      (void)pve::BumpConfigVersion(next);
      *current = std::move(next);
    }
  }
  // Links: one at a time, each verified before the next.
  for (int id : LinkIds(desired, *view)) {
    pve::CorosyncSection next = WithLink(*current, desired, id);
    if (pve::FormatCorosyncConf(next) == pve::FormatCorosyncConf(*current)) continue;
    if (Status s = Step(r, *current, next, id, "the change of link " + std::to_string(id)); !s) return s;
    (void)pve::BumpConfigVersion(next);
    *current = std::move(next);
  }
  return Ok();
}

}  // namespace hainfra::providers
