// LabNodeFacts: the node-level facts of a running pvelab lab (`pvesim serve --lab DIR`). Membership and quorum
// come from the real corosync (pvelab-cfsd's status/<node>.json), the cluster's shape from the shared
// corosync.conf, package versions from each node's own dpkg database, node files from the node's own view
// (/proc/<init>/root), reachability from the node's process and its management link.
#pragma once

#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

#include "sim/pvesim/node_facts.h"

namespace pvesim {

class LabNodeFacts : public NodeFacts {
 public:
  // Reads LAB_DIR/lab.json; `local_node` is the node whose API is served (empty: the lab's first node).
  static Result<std::unique_ptr<LabNodeFacts>> Open(const std::string& lab_dir, std::string local_node, int pve);

  // The lab's shared /etc/pve folder.
  const std::string& CfsDir() const { return cfs_dir_; }

  std::string LocalNode() const override { return local_node_; }
  std::vector<std::string> Nodes() const override;
  bool Online(const std::string& node) const override;
  std::string Address(const std::string& node) const override;
  // The served node's view; while it reboots (`pvelab reboot`), the view of a member whose corosync runs:
  // the cluster-wide services pvesim stands for (the CRM, pmxcfs) run on the nodes that stay up.
  ClusterView Cluster() const override;
  ClusterView ClusterSeenBy(const std::string& node) const override;
  // `pvelab reboot LAB NODE`, started in the background (the API answers at once, as Proxmox's does).
  std::optional<Status> Reboot(const std::string& node) override;
  nlohmann::json PackageVersions(const std::string& node) const override;
  std::optional<std::string> ReadNodeFile(const std::string& node, const std::string& path) const override;
  Status WriteNodeFile(const std::string& node, const std::string& path, const std::string& content) override;
  Status RemoveNodeFile(const std::string& node, const std::string& path) override;
  // Faults belong to the lab (`pvelab fault`): these refuse.
  Status SetOnline(const std::string& node, bool online) override;
  Status SetIsolated(bool isolated) override;
  bool Isolated() const override;
  Status SetPackageVersion(const std::string& node, const std::string& package, const std::string& version) override;
  // Writes the config and a member's /etc/corosync/authkey into the node, then runs
  // `pvelab finish-join LAB NODE` (its /etc/pve becomes the cluster's, corosync starts, quorum is awaited).
  Status FinishJoin(const std::string& node, const std::string& corosync_conf) override;

 private:
  struct LabNode {
    std::string name;
    int nodeid = 0;
    int init_pid = 0;
    std::string mgmt;       // management address
    std::string mgmt_veth;  // its veth in the root namespace (down = unreachable)
  };

  LabNodeFacts() = default;
  const LabNode* Find(const std::string& node) const;
  bool Running(const LabNode& node) const;
  std::string Root(const LabNode& node) const;  // "/proc/<init>/root": the node's own file view
  nlohmann::json CfsdStatus(const std::string& node) const;
  bool Rebooting(const std::string& node) const;  // between `pvelab reboot`'s stop and start of its daemons
  ClusterView ViewOf(const std::string& node) const;
  Status RunFinishJoin(const std::string& node) const;  // waits for `pvelab finish-join`; its log on failure
  // Starts `pvelab VERB LAB NODE` with stdout and stderr to `log` (opened with O_APPEND or O_TRUNC).
  Result<pid_t> SpawnPvelab(const std::string& verb, const std::string& node, const std::string& log,
                            int log_mode) const;

  std::string lab_dir_;
  std::string lab_id_;
  std::string pvelab_;  // the pvelab script that started the lab
  std::string cfs_dir_;
  std::string local_node_;
  int pve_ = 9;
  std::vector<LabNode> nodes_;
};

// Parses a dpkg status file: package -> (version, dpkg status words), for every stanza.
struct DpkgPackage {
  std::string version;
  std::string status;  // "install ok installed", "deinstall ok config-files", ...
};
std::vector<std::pair<std::string, DpkgPackage>> ParseDpkgStatus(const std::string& text);

}  // namespace pvesim
