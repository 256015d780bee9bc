#include "sim/pvesim/memory_cluster_fs.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace pvesim {

namespace fs = std::filesystem;

MemoryClusterFs::MemoryClusterFs(std::string mirror_dir) : mirror_dir_(std::move(mirror_dir)) {
  if (mirror_dir_.empty()) return;
  std::error_code ec;
  fs::create_directories(mirror_dir_, ec);
  for (auto it = fs::recursive_directory_iterator(mirror_dir_, ec); it != fs::recursive_directory_iterator(); ++it) {
    if (!it->is_regular_file()) continue;
    std::string rel = fs::relative(it->path(), mirror_dir_).string();
    if (rel.find(".tmp.") != std::string::npos) continue;
    std::ifstream in(it->path(), std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    files_[rel] = ss.str();
  }
}

void MemoryClusterFs::SetQuorumProbe(std::function<bool()> probe) {
  std::lock_guard<std::mutex> lock(mu_);
  quorum_probe_ = std::move(probe);
}

bool MemoryClusterFs::Quorate() const {
  std::function<bool()> probe;
  {
    std::lock_guard<std::mutex> lock(mu_);
    probe = quorum_probe_;
  }
  return !probe || probe();
}

void MemoryClusterFs::MirrorWrite(const std::string& path, const std::string* content) {
  if (mirror_dir_.empty()) return;
  fs::path target = fs::path(mirror_dir_) / path;
  std::error_code ec;
  if (content == nullptr) {
    fs::remove(target, ec);
    return;
  }
  fs::create_directories(target.parent_path(), ec);
  fs::path tmp = target;
  tmp += ".tmp." + std::to_string(::getpid());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << *content;
  }
  fs::rename(tmp, target, ec);
}

std::optional<std::string> MemoryClusterFs::Read(const std::string& path) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = files_.find(NormalizeCfsPath(path));
  if (it == files_.end()) return std::nullopt;
  return it->second;
}

Status MemoryClusterFs::Write(const std::string& path, const std::string& content) {
  std::string p = NormalizeCfsPath(path);
  if (!Quorate()) return NoQuorumWriteError(p);
  std::lock_guard<std::mutex> lock(mu_);
  files_[p] = content;
  MirrorWrite(p, &content);
  return Ok();
}

void MemoryClusterFs::Seed(const std::string& path, const std::string& content) {
  std::string p = NormalizeCfsPath(path);
  std::lock_guard<std::mutex> lock(mu_);
  files_[p] = content;
  MirrorWrite(p, &content);
}

Status MemoryClusterFs::Remove(const std::string& path) {
  std::string p = NormalizeCfsPath(path);
  if (!Quorate()) return Die("unable to remove '/etc/pve/" + p + "' - Permission denied");
  std::lock_guard<std::mutex> lock(mu_);
  if (files_.erase(p) == 0) return Die("unable to remove '/etc/pve/" + p + "' - No such file or directory");
  MirrorWrite(p, nullptr);
  return Ok();
}

Status MemoryClusterFs::Rename(const std::string& from, const std::string& to) {
  std::string f = NormalizeCfsPath(from), t = NormalizeCfsPath(to);
  if (!Quorate()) return Die("rename '/etc/pve/" + f + "' failed - Permission denied");
  std::lock_guard<std::mutex> lock(mu_);
  auto it = files_.find(f);
  if (it == files_.end()) return Die("rename '/etc/pve/" + f + "' failed - No such file or directory");
  if (files_.contains(t)) return Die("rename '/etc/pve/" + f + "' failed - File exists");
  std::string content = std::move(it->second);
  files_.erase(it);
  files_[t] = content;
  MirrorWrite(f, nullptr);
  MirrorWrite(t, &content);
  return Ok();
}

std::vector<std::string> MemoryClusterFs::List(const std::string& dir) const {
  std::string prefix = NormalizeCfsPath(dir);
  if (!prefix.empty()) prefix += "/";
  std::lock_guard<std::mutex> lock(mu_);
  std::set<std::string> names;
  // One step per entry, not per file: past a subdirectory's first file, the next key after all of
  // "<prefix><name>/..." is the lower bound of "<prefix><name>0" ('0' follows '/'), so listing "nodes"
  // costs the number of nodes, not the number of guest configs under them.
  for (auto it = files_.lower_bound(prefix); it != files_.end() && it->first.compare(0, prefix.size(), prefix) == 0;) {
    size_t slash = it->first.find('/', prefix.size());
    if (slash == std::string::npos) {
      names.insert(it->first.substr(prefix.size()));
      ++it;
      continue;
    }
    std::string name = it->first.substr(prefix.size(), slash - prefix.size());
    names.insert(name);
    it = files_.lower_bound(prefix + name + "0");
  }
  for (const auto& d : lock_dirs_) {
    if (d.compare(0, prefix.size(), prefix) == 0) {
      std::string rest = d.substr(prefix.size());
      names.insert(rest.substr(0, rest.find('/')));
    }
  }
  return {names.begin(), names.end()};
}

Result<bool> MemoryClusterFs::MakeLockDir(const std::string& path) {
  std::string p = NormalizeCfsPath(path);
  if (!Quorate()) return Die("mkdir '/etc/pve/" + p + "' failed - Permission denied");
  std::lock_guard<std::mutex> lock(mu_);
  return lock_dirs_.insert(p).second;
}

Status MemoryClusterFs::RemoveLockDir(const std::string& path) {
  std::lock_guard<std::mutex> lock(mu_);
  lock_dirs_.erase(NormalizeCfsPath(path));
  return Ok();
}

size_t MemoryClusterFs::FileCount() const {
  std::lock_guard<std::mutex> lock(mu_);
  return files_.size();
}

}  // namespace pvesim
