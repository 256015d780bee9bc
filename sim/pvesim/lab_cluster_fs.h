// LabClusterFs: pvelab's /etc/pve — the real folder every lab node mounts (PVELAB_DIR/pve) — as the
// simulator's ClusterFs. Writes are refused while the served node has no quorum, as its pmxcfs would.
#pragma once

#include <functional>
#include <string>

#include "sim/pvesim/cluster_fs.h"

namespace pvesim {

class LabClusterFs : public ClusterFs {
 public:
  // `root` is the lab's shared folder; `quorate` tells whether the served node has quorum now.
  LabClusterFs(std::string root, std::function<bool()> quorate);

  std::optional<std::string> Read(const std::string& path) const override;
  Status Write(const std::string& path, const std::string& content) override;
  Status Remove(const std::string& path) override;
  Status Rename(const std::string& from, const std::string& to) override;
  std::vector<std::string> List(const std::string& dir) const override;
  Result<bool> MakeLockDir(const std::string& path) override;
  Status RemoveLockDir(const std::string& path) override;

 private:
  std::string Full(const std::string& path) const;

  std::string root_;
  std::function<bool()> quorate_;
};

}  // namespace pvesim
