#include "sim/pvesim/lab_cluster_fs.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace pvesim {

LabClusterFs::LabClusterFs(std::string root, std::function<bool()> quorate)
    : root_(std::move(root)), quorate_(std::move(quorate)) {}

std::string LabClusterFs::Full(const std::string& path) const { return root_ + "/" + NormalizeCfsPath(path); }

std::optional<std::string> LabClusterFs::Read(const std::string& path) const {
  std::ifstream in(Full(path), std::ios::binary);
  if (!in) return std::nullopt;
  struct stat st {};
  if (stat(Full(path).c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

Status LabClusterFs::Write(const std::string& path, const std::string& content) {
  std::string p = NormalizeCfsPath(path);
  if (!quorate_()) return NoQuorumWriteError(p);
  std::error_code ec;
  std::filesystem::path target = Full(p);
  std::filesystem::create_directories(target.parent_path(), ec);
  // Proxmox writes "<file>.tmp.<pid>" and renames it: readers on the nodes never see half a file.
  std::string tmp = target.string() + ".tmp." + std::to_string(::getpid());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << content;
    out.flush();
    if (!out) {
      std::string why = std::strerror(errno);
      ::unlink(tmp.c_str());
      return Die("unable to open file '/etc/pve/" + p + ".tmp." + std::to_string(::getpid()) + "' - " + why);
    }
  }
  if (std::rename(tmp.c_str(), target.c_str()) != 0) {
    std::string why = std::strerror(errno);
    ::unlink(tmp.c_str());
    return Die("rename '/etc/pve/" + p + ".tmp." + std::to_string(::getpid()) + "' failed - " + why);
  }
  return Ok();
}

Status LabClusterFs::Remove(const std::string& path) {
  std::string p = NormalizeCfsPath(path);
  if (!quorate_()) return Die("unable to remove '/etc/pve/" + p + "' - Permission denied");
  if (::unlink(Full(p).c_str()) != 0) return Die("unable to remove '/etc/pve/" + p + "' - " + std::strerror(errno));
  return Ok();
}

Status LabClusterFs::Rename(const std::string& from, const std::string& to) {
  std::string f = NormalizeCfsPath(from), t = NormalizeCfsPath(to);
  if (!quorate_()) return Die("rename '/etc/pve/" + f + "' failed - Permission denied");
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(Full(t)).parent_path(), ec);
  // renameat2(RENAME_NOREPLACE): the target must not exist, checked atomically.
  if (::renameat2(AT_FDCWD, Full(f).c_str(), AT_FDCWD, Full(t).c_str(), RENAME_NOREPLACE) != 0) {
    return Die("rename '/etc/pve/" + f + "' failed - " + std::strerror(errno));
  }
  return Ok();
}

std::vector<std::string> LabClusterFs::List(const std::string& dir) const {
  std::vector<std::string> names;
  DIR* d = ::opendir(Full(dir).c_str());
  if (d == nullptr) return names;
  while (dirent* e = ::readdir(d)) {
    std::string name = e->d_name;
    if (name == "." || name == ".." || name.find(".tmp.") != std::string::npos) continue;
    names.push_back(name);
  }
  ::closedir(d);
  std::sort(names.begin(), names.end());
  return names;
}

Result<bool> LabClusterFs::MakeLockDir(const std::string& path) {
  std::string p = NormalizeCfsPath(path);
  if (!quorate_()) return Die("can't create lock '/etc/pve/" + p + "' - Permission denied");
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(Full(p)).parent_path(), ec);
  if (::mkdir(Full(p).c_str(), 0755) == 0) return true;
  if (errno == EEXIST) return false;
  return Die("can't create lock '/etc/pve/" + p + "' - " + std::strerror(errno));
}

Status LabClusterFs::RemoveLockDir(const std::string& path) {
  std::string p = NormalizeCfsPath(path);
  if (::rmdir(Full(p).c_str()) != 0 && errno != ENOENT) {
    return Die("can't remove lock '/etc/pve/" + p + "' - " + std::strerror(errno));
  }
  return Ok();
}

}  // namespace pvesim
