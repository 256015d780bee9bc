// pvelab-cfsd: the daemon's state and reactions — one record per node (its quorum monitor, last status,
// whether its /etc/pve is writable), the reactions to quorum changes and to a new corosync.conf, and the
// status files pvesim and tests read (LAB/status/<node>.json).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "lab_config.h"
#include "lock_reaper.h"
#include "process.h"
#include "quorum_status.h"

namespace pvelab {

class ClusterFs {
 public:
  explicit ClusterFs(LabConfig config);

  const LabConfig& Config() const { return config_; }

  // Starts (or restarts) the per-node quorum monitors whose node is alive; fds to poll are in MonitorFds().
  void EnsureMonitors(std::chrono::steady_clock::time_point now);
  // File descriptors of the running monitors, in node order (-1 for none).
  std::vector<int> MonitorFds() const;
  // Reads what monitor INDEX printed; applies every complete status.
  void OnMonitorReadable(std::size_t index);

  // The cluster's corosync.conf changed: propagate to the quorate nodes, reload corosync if needed.
  void OnCorosyncConfChanged();
  // pmxcfs's lock folder rules (see lock_reaper.h).
  void ScanLocks(std::chrono::steady_clock::time_point now);

  // True once every node reported at least once.
  bool AllReported() const;

 private:
  struct Node {
    LabNode lab;
    Child monitor;
    std::string buffer;
    std::optional<QuorumStatus> status;
    bool writable = true;
    std::chrono::steady_clock::time_point next_start{};
  };

  void Apply(Node& node, const QuorumStatus& status);
  void SetWritable(Node& node, bool writable);
  bool SyncNode(Node& node);
  void ReloadCorosync();
  void WriteStatus(const Node& node) const;
  void Log(const std::string& line) const;

  LabConfig config_;
  std::vector<Node> nodes_;
  LockReaper locks_;
};

}  // namespace pvelab
