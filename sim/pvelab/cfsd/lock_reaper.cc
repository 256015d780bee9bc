#include "lock_reaper.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <set>

namespace pvelab {

namespace {

long long MtimeNs(const struct stat& st) {
  return static_cast<long long>(st.st_mtim.tv_sec) * 1000000000LL + st.st_mtim.tv_nsec;
}

}  // namespace

std::vector<std::string> LockReaper::Scan(Clock::time_point now) {
  std::vector<std::string> events;
  std::set<std::string> present;
  DIR* d = opendir(dir_.c_str());
  if (d == nullptr) return events;
  while (dirent* e = readdir(d)) {
    std::string name = e->d_name;
    if (name == "." || name == "..") continue;
    std::string path = dir_ + "/" + name;
    struct stat st {};
    if (lstat(path.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) continue;
    present.insert(name);
    long long mtime = MtimeNs(st);
    auto it = locks_.find(name);
    if (it == locks_.end()) {
      // New lock (or first seen): its timeout starts now, as pmxcfs starts it when it first tracks it.
      it = locks_.emplace(name, Lock{mtime == 0 ? 0 : mtime, now}).first;
      if (mtime != 0) continue;
    }
    Lock& lock = it->second;
    if (st.st_mtim.tv_sec == 0) {
      // utime(path, 0, 0): an unlock request.
      if (now - lock.refreshed > timeout_) {
        if (rmdir(path.c_str()) == 0) {
          events.push_back("lock '" + name + "' expired: removed on request");
          locks_.erase(it);
          present.erase(name);
        } else {
          events.push_back("lock '" + name + "' expired but not removed: " + std::strerror(errno));
        }
      } else {
        // Not expired: the request changes nothing (pmxcfs refuses an older mtime on a lock folder).
        timespec times[2] = {{0, UTIME_OMIT}, {lock.mtime_ns / 1000000000LL, lock.mtime_ns % 1000000000LL}};
        utimensat(AT_FDCWD, path.c_str(), times, 0);
      }
      continue;
    }
    if (mtime != lock.mtime_ns) {
      lock.mtime_ns = mtime;
      lock.refreshed = now;
    }
  }
  closedir(d);
  for (auto it = locks_.begin(); it != locks_.end();) {
    it = present.count(it->first) ? std::next(it) : locks_.erase(it);
  }
  return events;
}

}  // namespace pvelab
