#include "sim/pvesim/lab_seed.h"

#include <chrono>
#include <sstream>
#include <thread>

#include "sim/pvesim/world.h"

namespace pvesim {

namespace {

// user.cfg with a `token:` line for every token id that lacks one (the lab writes root@pam's user line).
std::string WithTokenLines(const std::string& user_cfg, const Credentials& credentials) {
  std::string out = user_cfg;
  if (out.empty()) out = "user:root@pam:1:0:::root@pam.invalid:::\n";
  while (out.size() >= 2 && out.ends_with("\n\n")) out.pop_back();
  if (!out.ends_with("\n")) out += "\n";
  for (const auto& [tokenid, secret] : credentials.token_secrets) {
    (void)secret;
    std::string line = "token:" + tokenid + ":";
    if (("\n" + out).find("\n" + line) == std::string::npos) out += line + "0:0::\n";
  }
  return out + "\n";
}

// The lab's pmxcfs accepts writes once the served node's quorum is seen (pvelab-cfsd's status file may
// trail `pvelab up` by a moment): retry a refused write for a few seconds.
Status WriteWhenQuorate(ClusterFs& fs, const std::string& path, const std::string& content) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  for (;;) {
    auto st = fs.Write(path, content);
    if (st || std::chrono::steady_clock::now() >= deadline) return st;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

}  // namespace

Status SeedLab(const Options& options, Backends& backends, RuntimeState& runtime, const Credentials& credentials,
               const std::string& cert_pem) {
  if (!options.world_file.empty() || !options.generate.empty()) {
    return Die("--lab: the lab is the world; --world and --generate cannot be combined with it");
  }
  ClusterFs& fs = *backends.fs;
  NodeFacts& facts = *backends.facts;
  if (auto st = WriteWhenQuorate(fs, "user.cfg", WithTokenLines(fs.Read("user.cfg").value_or(""), credentials)); !st) {
    return Die("--lab: writing user.cfg: " + st.error().message);
  }
  std::string token_cfg;
  for (const auto& [tokenid, secret] : credentials.token_secrets) token_cfg += tokenid + " " + secret + "\n";
  if (auto st = WriteWhenQuorate(fs, "priv/token.cfg", token_cfg); !st) {
    return Die("--lab: writing priv/token.cfg: " + st.error().message);
  }
  const ClusterView cluster = facts.Cluster();
  for (const std::string& node : facts.Nodes()) {
    // A spare node (installed, not joined) gets its files in the cluster's /etc/pve when it joins.
    bool member = !cluster.clustered;
    for (const MemberNode& m : cluster.members) member = member || m.name == node;
    if (!member) continue;
    if (auto st = WriteWhenQuorate(fs, "nodes/" + node + "/pve-ssl.pem", cert_pem); !st) return st;
    if (!fs.Read("nodes/" + node + "/lrm_status")) {
      std::string idle = R"({"mode":"active","results":{},"state":"wait_for_agent_lock","timestamp":0})";
      if (auto st = WriteWhenQuorate(fs, "nodes/" + node + "/lrm_status", idle); !st) return st;
    }
    runtime.ha.lrm_mode[node] = "active";
  }
  // --ceph: Ceph as `pveceph init` and the first three nodes' monitors leave it, on the management network.
  if (options.ceph && !fs.Read("ceph.conf")) {
    std::vector<std::pair<std::string, std::string>> mons;
    for (const std::string& node : facts.Nodes()) {
      if (mons.size() < 3) mons.emplace_back(node, facts.Address(node));
    }
    std::string first = mons.empty() ? "" : mons[0].second;
    std::string network = first.empty() ? "" : SubnetOf(first, 24);
    for (const auto& [path, content] : InitCeph(runtime, mons, network)) {
      if (auto st = WriteWhenQuorate(fs, path, content); !st) return Die("--lab: writing " + path + ": " + st.error().message);
    }
  }
  return Ok();
}

}  // namespace pvesim
