// NodeFacts: node-level facts the API reports but does not own — which nodes are reachable, corosync
// membership, votes and quorum (/cluster/status), installed package versions (/apt/versions) and node-local
// files (/etc/network/interfaces[.new], apt sources). The simulator keeps them in its own state
// (SimNodeFacts); pvelab's implementation reads the real nodes.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/pvesim/error.h"

namespace pvesim {

struct MemberNode {
  std::string name;
  int nodeid = 0;
  int votes = 1;
  std::string ip;       // the address other nodes reach it at (its management address)
  bool online = false;  // a corosync member seen by the local node
  bool local = false;
};

// The corosync/votequorum view of the local node (the node serving the API).
struct ClusterView {
  bool clustered = false;  // corosync.conf exists (pvecm create was run)
  std::string name;
  int config_version = 0;
  bool quorate = false;
  int expected_votes = 0;
  int total_votes = 0;
  int quorum = 0;
  std::vector<MemberNode> members;  // sorted by nodeid; a standalone node alone with nodeid 0
  nlohmann::json qdevice = nlohmann::json::object();  // the local corosync-qdevice's status ({}: none runs)
};

class NodeFacts {
 public:
  virtual ~NodeFacts() = default;

  // The node whose API the simulator serves (proxying to the others).
  virtual std::string LocalNode() const = 0;
  // Every installed node: cluster members and spare (not yet joined) nodes.
  virtual std::vector<std::string> Nodes() const = 0;
  // Whether the local node can reach `node` (its API answers a proxied request).
  virtual bool Online(const std::string& node) const = 0;
  // The management address of a node, empty if unknown.
  virtual std::string Address(const std::string& node) const = 0;
  virtual ClusterView Cluster() const = 0;
  // The view of `node` itself (what its own API's /cluster/status shows); the simulator has one view.
  virtual ClusterView ClusterSeenBy(const std::string& node) const {
    (void)node;
    return Cluster();
  }
  // /nodes/{node}/apt/versions entries (Package, Version, OldVersion, CurrentState, ...).
  virtual nlohmann::json PackageVersions(const std::string& node) const = 0;

  // Node-local files by absolute path ("/etc/network/interfaces").
  virtual std::optional<std::string> ReadNodeFile(const std::string& node, const std::string& path) const = 0;
  virtual Status WriteNodeFile(const std::string& node, const std::string& path, const std::string& content) = 0;
  virtual Status RemoveNodeFile(const std::string& node, const std::string& path) = 0;

  // Faults and membership changes driven by the simulator; a lab implementation may refuse them.
  virtual Status SetOnline(const std::string& node, bool online) = 0;
  virtual Status SetIsolated(bool isolated) = 0;  // the local node loses every other node: no quorum
  virtual bool Isolated() const = 0;
  virtual Status SetPackageVersion(const std::string& node, const std::string& package, const std::string& version) = 0;

  // Reboots `node` for real (a lab: its daemons stop, then start again on the newest installed kernel), or
  // nullopt: the simulator does it itself (offline for a while, back with the newest installed kernel).
  virtual std::optional<Status> Reboot(const std::string& node) {
    (void)node;
    return std::nullopt;
  }

  // The joining node's local part of a join, once the cluster added it to /etc/pve/corosync.conf (whose text
  // is `corosync_conf`): its corosync config and the cluster's authkey, its /etc/pve the cluster's, corosync
  // started. The simulator has nothing to do; a lab does it on the real node.
  virtual Status FinishJoin(const std::string& node, const std::string& corosync_conf) {
    (void)node, (void)corosync_conf;
    return Ok();
  }

  // Persistence of the facts the implementation keeps itself (nothing for a lab).
  virtual nlohmann::json SaveState() const { return nullptr; }
  virtual void LoadState(const nlohmann::json&) {}
};

}  // namespace pvesim
