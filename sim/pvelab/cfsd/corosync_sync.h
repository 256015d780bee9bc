// pvelab-cfsd: pmxcfs's corosync.conf propagation. When /etc/pve/corosync.conf changes, every node whose
// /etc/corosync/corosync.conf differs and is not newer gets the new file (written atomically), and when a
// node had a config before, corosync is told to reload (`corosync-cfgtool -R`, cluster-wide).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace pvelab {

// The totem config_version in corosync.conf TEXT; 0 when there is none (pmxcfs treats 0 as unparsable).
std::uint64_t ConfigVersion(std::string_view text);

struct SyncOutcome {
  bool changed = false;       // the node's file was replaced
  bool needs_reload = false;  // ... and it had a previous version, so running corosync must reload
  std::string message;        // for the log; empty when nothing happened
};

// Brings the node file NODE_CONF (reached through /proc/PID/root) up to the cluster file CFS_CONF.
SyncOutcome SyncCorosyncConf(const std::string& cfs_conf, const std::string& node_conf);

}  // namespace pvelab
