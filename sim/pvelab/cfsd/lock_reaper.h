// pvelab-cfsd: pmxcfs's lock folders under /etc/pve/priv/lock/. mkdir is the atomic acquire; touching the
// folder (a newer mtime) refreshes it; a lock not refreshed for the timeout has expired, and an expired
// lock is removed when someone asks for it with utime(path, 0, 0) — what Proxmox's cfs_lock does while it
// waits. As in pmxcfs, nothing is removed without such a request, and a non-empty folder stays.
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <vector>

namespace pvelab {

class LockReaper {
 public:
  using Clock = std::chrono::steady_clock;

  LockReaper(std::string lock_dir, std::chrono::seconds timeout) : dir_(std::move(lock_dir)), timeout_(timeout) {}

  // Looks at every lock folder once: tracks refreshes, answers unlock requests. Returns what it did,
  // one line per event, for the log.
  std::vector<std::string> Scan(Clock::time_point now);

 private:
  struct Lock {
    long long mtime_ns = 0;     // the folder's mtime when last seen (never the 0 of an unlock request)
    Clock::time_point refreshed;  // when this reaper last saw it created or refreshed
  };

  std::string dir_;
  std::chrono::seconds timeout_;
  std::map<std::string, Lock> locks_;
};

}  // namespace pvelab
