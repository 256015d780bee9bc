// The simulator's NodeFacts: online flags, isolation, per-node files and package versions kept in its own
// state; membership and votes come from corosync.conf in the ClusterFs.
#pragma once

#include <map>
#include <mutex>
#include <set>

#include "sim/pvesim/cluster_fs.h"
#include "sim/pvesim/node_facts.h"

namespace pvesim {

class SimNodeFacts : public NodeFacts {
 public:
  SimNodeFacts(ClusterFs& fs, std::string local_node, int pve_version);

  // World setup: an installed node with its management address and files.
  void AddNode(const std::string& node, const std::string& address);

  std::string LocalNode() const override { return local_node_; }
  std::vector<std::string> Nodes() const override;
  bool Online(const std::string& node) const override;
  std::string Address(const std::string& node) const override;
  ClusterView Cluster() const override;
  nlohmann::json PackageVersions(const std::string& node) const override;
  std::optional<std::string> ReadNodeFile(const std::string& node, const std::string& path) const override;
  Status WriteNodeFile(const std::string& node, const std::string& path, const std::string& content) override;
  Status RemoveNodeFile(const std::string& node, const std::string& path) override;
  Status SetOnline(const std::string& node, bool online) override;
  Status SetIsolated(bool isolated) override;
  bool Isolated() const override;
  Status SetPackageVersion(const std::string& node, const std::string& package, const std::string& version) override;
  nlohmann::json SaveState() const override;
  void LoadState(const nlohmann::json& state) override;

 private:
  struct Node {
    std::string address;
    bool online = true;
    std::map<std::string, std::string> files;
    std::map<std::string, std::string> packages;  // overrides of the baseline
  };

  ClusterFs& fs_;
  std::string local_node_;
  int pve_version_;
  mutable std::mutex mu_;
  std::map<std::string, Node> nodes_;
  bool isolated_ = false;
};

}  // namespace pvesim
