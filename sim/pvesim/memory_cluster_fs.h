// The simulator's ClusterFs: files in memory, written through to <state>/etc-pve/ when a state dir is
// given (so `cat <state>/etc-pve/nodes/pve-01/qemu-server/100.conf` shows what the API wrote).
#pragma once

#include <functional>
#include <map>
#include <mutex>
#include <set>

#include "sim/pvesim/cluster_fs.h"

namespace pvesim {

class MemoryClusterFs : public ClusterFs {
 public:
  // `mirror_dir` may be empty (memory only); existing files there are loaded.
  explicit MemoryClusterFs(std::string mirror_dir);

  // Tells the file system whether the local node is quorate (writes are refused when not).
  void SetQuorumProbe(std::function<bool()> probe);

  std::optional<std::string> Read(const std::string& path) const override;
  Status Write(const std::string& path, const std::string& content) override;
  Status Remove(const std::string& path) override;
  Status Rename(const std::string& from, const std::string& to) override;
  std::vector<std::string> List(const std::string& dir) const override;
  Result<bool> MakeLockDir(const std::string& path) override;
  Status RemoveLockDir(const std::string& path) override;

  // Writes without the quorum check (world setup).
  void Seed(const std::string& path, const std::string& content);
  size_t FileCount() const;

 private:
  bool Quorate() const;
  void MirrorWrite(const std::string& path, const std::string* content);

  std::string mirror_dir_;
  std::function<bool()> quorum_probe_;
  mutable std::mutex mu_;
  std::map<std::string, std::string> files_;
  std::set<std::string> lock_dirs_;
};

}  // namespace pvesim
