// ClusterFs: the pmxcfs-backed files under /etc/pve (guest configs nodes/<node>/qemu-server/<vmid>.conf,
// corosync.conf, storage.cfg, ha/*, sdn/*, jobs.cfg, user.cfg, priv/...). The API reads and writes
// cluster configuration only through this seam. The simulator's own implementation keeps the files in
// memory (MemoryClusterFs); pvelab's is a real directory its nodes share.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "sim/pvesim/error.h"

namespace pvesim {

class ClusterFs {
 public:
  virtual ~ClusterFs() = default;

  // The content of a file (path relative to /etc/pve), nullopt when it does not exist.
  virtual std::optional<std::string> Read(const std::string& path) const = 0;
  // Replaces a file atomically (parent directories are created). Refused without quorum, as pmxcfs does.
  virtual Status Write(const std::string& path, const std::string& content) = 0;
  // Removes a file; removing an absent file is an error. Refused without quorum.
  virtual Status Remove(const std::string& path) = 0;
  // Moves a file (a guest config to another node's directory); fails if the target exists.
  virtual Status Rename(const std::string& from, const std::string& to) = 0;
  // The entry names of a directory (files and subdirectories), sorted; empty when it does not exist.
  virtual std::vector<std::string> List(const std::string& dir) const = 0;
  // mkdir of a lock directory (priv/lock/<id>): true when created, false when it already exists.
  virtual Result<bool> MakeLockDir(const std::string& path) = 0;
  virtual Status RemoveLockDir(const std::string& path) = 0;
};

// A path relative to /etc/pve without leading and trailing slashes ("/ha/groups.cfg/" -> "ha/groups.cfg").
std::string NormalizeCfsPath(std::string path);

// pmxcfs refuses writes without quorum with EACCES; Proxmox's file helpers report it like this.
std::unexpected<ApiError> NoQuorumWriteError(const std::string& path);

}  // namespace pvesim
