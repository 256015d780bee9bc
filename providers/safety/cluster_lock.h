// hainfra's cluster-wide lock in Proxmox's own distributed filesystem: the folder
// /etc/pve/priv/lock/<name> (mkdir is atomic cluster-wide in pmxcfs; touching it refreshes it; pmxcfs
// removes it once expired — 120 s without refresh — when someone asks with utime(0)), taken over SSH on a
// quorate node, with holder information in /etc/pve/priv/<name>.holder (pmxcfs cannot remove a non-empty
// lock folder, so the information lives beside it). Refreshed by a background thread while held.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "hainfra/result.h"
#include "hainfra/value.h"
#include "providers/transport/ssh_client.h"

namespace hainfra::safety {

inline constexpr const char* kApplyLockName = "hainfra-apply";

// Who holds (or asks for) the lock; shown to anyone refused.
struct LockHolder {
  std::string id;  // random, tells our own lock from a successor's
  std::string host;
  std::string user;
  int64_t pid = 0;
  std::string since;    // UTC, ISO 8601
  std::string job_url;  // HAINFRA_CI_JOB_URL (or CI_JOB_URL) when set

  Value ToJson() const;
  static LockHolder FromJson(const Value& json);
  // "root@ci-7 (pid 4242) since 2026-11-22T04:00:00Z, job https://…"
  std::string Describe() const;
  // This process: host name, user, pid, now, the job URL from the environment.
  static LockHolder Current();
};

struct LockOptions {
  std::string name = kApplyLockName;
  std::chrono::milliseconds refresh{10'000};  // well under pmxcfs's 120 s expiry
  std::chrono::milliseconds wait{2'000};      // how long to keep asking for an expired lock's removal
  std::string cfs = "/etc/pve";               // pmxcfs's mount point (another folder only in tests)
};

class ClusterLock {
 public:
  // Takes the lock on `node` (a quorate node reachable over SSH). kFailedPrecondition "held by …" with the
  // holder's information when someone else holds it; the error of the node otherwise (e.g. no quorum).
  static Result<std::unique_ptr<ClusterLock>> Acquire(transport::SshClient& ssh, const std::string& node,
                                                      LockOptions options = {}, LockHolder holder = LockHolder::Current());
  // Releases the lock if it is still ours (never throws; a failure is reported by Release()).
  ~ClusterLock();
  ClusterLock(const ClusterLock&) = delete;
  ClusterLock& operator=(const ClusterLock&) = delete;

  // Stops refreshing and removes the lock folder and holder file when they are still ours.
  Status Release();
  const std::string& node() const { return node_; }
  // False once a refresh found the lock gone or taken over (the apply should stop).
  bool held() const { return held_.load(); }

 private:
  ClusterLock(transport::SshClient& ssh, std::string node, LockOptions options, LockHolder holder);
  void RefreshLoop();

  transport::SshClient& ssh_;
  std::string node_;
  LockOptions options_;
  LockHolder holder_;
  std::atomic<bool> held_{true};
  bool released_ = false;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;
  std::thread refresher_;
};

// The current holder of lock `name`; kNotFound when it is not held.
Result<LockHolder> ReadLockHolder(transport::SshClient& ssh, const std::string& node, const std::string& name,
                                  const std::string& cfs = "/etc/pve");

// `hainfra unlock --force`: removes the lock folder and holder file whoever holds them; returns the
// holder that was removed (kNotFound when there was no lock).
Result<LockHolder> ForceUnlock(transport::SshClient& ssh, const std::string& node, const std::string& name,
                               const std::string& cfs = "/etc/pve");

}  // namespace hainfra::safety
