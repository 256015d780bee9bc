// Per-guest config locks: qemu-server's flock on /var/lock/qemu-server/lock-<vmid>.conf. A config change
// while a task holds the lock waits up to the lock timeout (10 s by default), then fails as Proxmox does.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <set>
#include <string>

#include "sim/pvesim/error.h"

namespace pvesim {

class GuestLocks {
 public:
  // Held lock; released on destruction. Move-only.
  class Guard {
   public:
    Guard() = default;
    Guard(GuestLocks* owner, int vmid) : owner_(owner), vmid_(vmid) {}
    Guard(Guard&& other) noexcept : owner_(other.owner_), vmid_(other.vmid_) { other.owner_ = nullptr; }
    Guard& operator=(Guard&& other) noexcept;
    Guard(const Guard&) = delete;
    Guard& operator=(const Guard&) = delete;
    ~Guard() { Release(); }
    void Release();

   private:
    GuestLocks* owner_ = nullptr;
    int vmid_ = 0;
  };

  explicit GuestLocks(std::chrono::milliseconds default_timeout) : default_timeout_(default_timeout) {}

  // Waits for the lock; the error is "can't lock file '/var/lock/qemu-server/lock-<vmid>.conf' - got timeout".
  Result<Guard> Acquire(int vmid, std::chrono::milliseconds timeout);
  Result<Guard> Acquire(int vmid) { return Acquire(vmid, default_timeout_); }
  bool IsHeld(int vmid) const;
  std::chrono::milliseconds default_timeout() const { return default_timeout_; }

  static std::string LockFile(int vmid) { return "/var/lock/qemu-server/lock-" + std::to_string(vmid) + ".conf"; }

 private:
  void Unlock(int vmid);

  std::chrono::milliseconds default_timeout_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::set<int> held_;
};

}  // namespace pvesim
