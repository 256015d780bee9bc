#include "providers/kinds/corosync_rollout.h"

#include <map>
#include <set>
#include <thread>

#include "providers/pve/corosync_cfgtool.h"
#include "providers/pve/corosync_conf.h"
#include "providers/safety/quorum_gate.h"
#include "providers/transport/remote_file_scripts.h"

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
  auto result = r.deps.ssh->Run(r.node, WriteCorosyncConfArgv(run.stdin_data, kConf), run);
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

int VersionOf(const pve::CorosyncSection& root) {
  for (const pve::CorosyncSection* totem : root.Sections("totem")) {
    try {
      return std::stoi(totem->Get("config_version").value_or("0"));
    } catch (const std::exception&) {  // std::stoi reports a bad number by throwing
      return 0;
    }
  }
  return 0;
}

void SetVersion(pve::CorosyncSection& root, int version) {
  root.Child("totem").Set("config_version", std::to_string(version));
}

// The tree without link `id`: no node address on it, no interface section for it.
pve::CorosyncSection WithoutLink(pve::CorosyncSection root, int id) {
  Result<pve::CorosyncView> view = pve::ReadCorosyncView(root);
  if (view) {
    for (const auto& n : view->nodes) (void)pve::SetLinkAddress(root, n.name, id, "");
  }
  pve::CorosyncSection& totem = root.Child("totem");
  std::erase_if(totem.items, [&](const pve::CorosyncItem& i) {
    return i.type == pve::CorosyncItem::Type::kSection && i.section->name == "interface" &&
           i.section->Get("linknumber").value_or("0") == std::to_string(id);
  });
  return root;
}

// True when a node keeps an address on link `id` but a different one: corosync cannot change a running
// link's addresses ("To reconfigure an interface it must be deleted and recreated"), so the link is
// removed in one version and added back with the new addresses in the next.
bool AddressesMove(const pve::CorosyncSection& from, const pve::CorosyncSection& to, int id) {
  auto a = pve::ReadCorosyncView(from);
  auto b = pve::ReadCorosyncView(to);
  if (!a || !b) return false;
  for (const auto& old_node : a->nodes) {
    for (const auto& new_node : b->nodes) {
      if (old_node.name != new_node.name) continue;
      auto x = old_node.links.find(id);
      auto y = new_node.links.find(id);
      if (x != old_node.links.end() && y != new_node.links.end() && x->second != y->second) return true;
    }
  }
  return false;
}

// Writes `next` as the version after `in_place`'s and verifies it (`link`: the link it changes, -1 none).
// On failure writes `rollback` back as the version after that and returns the reason. On success
// `in_place` becomes what was written.
Status Step(Rollout& r, pve::CorosyncSection& in_place, pve::CorosyncSection next, const pve::CorosyncSection& rollback,
            int link, const std::string& what) {
  SetVersion(next, VersionOf(in_place) + 1);
  if (Status written = WriteConf(r, next); !written) return written;
  Status verified = WaitVerified(r, next, link);
  if (verified) {
    in_place = std::move(next);
    return Ok();
  }
  int version = VersionOf(next);
  Status restored = Ok();
  if (link >= 0 && AddressesMove(next, rollback, link)) {
    // The failed link runs with addresses the restored file changes: corosync needs it removed first.
    pve::CorosyncSection gone = WithoutLink(next, link);
    SetVersion(gone, ++version);
    restored = WriteConf(r, gone);
    if (restored) (void)WaitVerified(r, gone, link);
  }
  pve::CorosyncSection restore = rollback;
  SetVersion(restore, ++version);
  if (restored) restored = WriteConf(r, restore);
  Status settled = restored ? WaitVerified(r, restore, link) : restored;
  if (restored) in_place = restore;
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

Status WriteCorosyncConf(KindDeps& deps, const std::string& node, const pve::CorosyncSection& root) {
  Rollout r{deps, node, std::chrono::milliseconds(0)};
  return WriteConf(r, root);
}

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
    if (pve::FormatCorosyncConf(next) != pve::FormatCorosyncConf(*current)) {
      const pve::CorosyncSection before = *current;
      if (Status s = Step(r, *current, next, before, -1, "the totem change"); !s) return s;
    }
  }
  // Votes: one version (votequorum reloads each node's quorum_votes); nodeids are never changed (Review).
  if (desired.contains("nodes")) {
    pve::CorosyncSection next = *current;
    for (const auto& [name, entry] : desired["nodes"].items()) {
      if (!entry.contains("votes")) continue;
      for (pve::CorosyncSection* nodelist : next.Sections("nodelist")) {
        for (pve::CorosyncSection* member : nodelist->Sections("node")) {
          if (member->Get("name") == name) member->Set("quorum_votes", entry["votes"].dump());
        }
      }
    }
    if (pve::FormatCorosyncConf(next) != pve::FormatCorosyncConf(*current)) {
      const pve::CorosyncSection before = *current;
      if (Status s = Step(r, *current, next, before, -1, "the change of votes"); !s) return s;
    }
  }
  // Links: one at a time, each verified before the next; the other links carry the cluster meanwhile.
  const std::set<int> ids = LinkIds(desired, *view);
  for (int id : ids) {
    pve::CorosyncSection next = WithLink(*current, desired, id);
    SetVersion(next, VersionOf(*current));
    if (pve::FormatCorosyncConf(next) == pve::FormatCorosyncConf(*current)) continue;
    const pve::CorosyncSection before = *current;
    const std::string what = "the change of link " + std::to_string(id);
    if (AddressesMove(*current, next, id)) {
      Result<pve::CorosyncView> now = pve::ReadCorosyncView(*current);
      std::set<int> others;
      for (const auto& n : now ? now->nodes : std::vector<pve::CorosyncNodeEntry>{}) {
        for (const auto& [link, address] : n.links) {
          if (link != id) others.insert(link);
        }
      }
      if (others.empty()) {
        return Fail(Code::kFailedPrecondition,
                    "corosync: link " + std::to_string(id) + " is the only link; its addresses cannot change while "
                    "the cluster runs (corosync needs a working link at all times): declare a second link first");
      }
      if (Status s = Step(r, *current, WithoutLink(*current, id), before, id, what + " (removing it)"); !s) return s;
      if (Status s = Step(r, *current, next, before, id, what + " (adding it back with the new addresses)"); !s) return s;
    } else {
      if (Status s = Step(r, *current, next, before, id, what); !s) return s;
    }
  }
  return Ok();
}

// A session lost mid-transfer ends `cat` as a complete input would: a plain `cat > new && mv new conf`
// then moved a truncated corosync.conf into place, which pmxcfs hands to every node. So the copy is moved
// only when its size and SHA-256 are what was sent.
std::vector<std::string> WriteCorosyncConfArgv(const std::string& content, const std::string& path) {
  static const char* kScript =
      "new=$3.new\n"
      "cat > \"$new\" || { rm -f -- \"$new\"; exit 94; }\n"
      "if [ \"$(wc -c < \"$new\")\" -ne \"$1\" ] || [ \"$(sha256sum < \"$new\" | cut -d' ' -f1)\" != \"$2\" ]; then\n"
      "  rm -f -- \"$new\"; echo \"the new $3 did not arrive whole; it was not changed\" >&2; exit 94\n"
      "fi\n"
      "mv -- \"$new\" \"$3\"";
  return {"sh", "-c", kScript, "sh", std::to_string(content.size()), transport::Sha256Hex(content), path};
}

}  // namespace hainfra::providers
