#include "sim/pvesim/guest_locks.h"

namespace pvesim {

GuestLocks::Guard& GuestLocks::Guard::operator=(Guard&& other) noexcept {
  if (this != &other) {
    Release();
    owner_ = other.owner_;
    vmid_ = other.vmid_;
    other.owner_ = nullptr;
  }
  return *this;
}

void GuestLocks::Guard::Release() {
  if (owner_) owner_->Unlock(vmid_);
  owner_ = nullptr;
}

Result<GuestLocks::Guard> GuestLocks::Acquire(int vmid, std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(mu_);
  if (!cv_.wait_for(lock, timeout, [&] { return !held_.contains(vmid); })) {
    return Die("can't lock file '" + LockFile(vmid) + "' - got timeout");
  }
  held_.insert(vmid);
  return Guard(this, vmid);
}

bool GuestLocks::IsHeld(int vmid) const {
  std::lock_guard<std::mutex> lock(mu_);
  return held_.contains(vmid);
}

void GuestLocks::Unlock(int vmid) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    held_.erase(vmid);
  }
  cv_.notify_all();
}

}  // namespace pvesim
