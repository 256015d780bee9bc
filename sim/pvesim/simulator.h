// The simulated cluster as the API handlers see it: the two seams (ClusterFs, NodeFacts), tasks, guest
// locks, faults, auth, the request log, the schema and the runtime state, plus the lock that serializes
// read-modify-write of config files (standing in for pmxcfs' cfs locks).
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "sim/pvesim/api_schema.h"
#include "sim/pvesim/auth.h"
#include "sim/pvesim/config_cache.h"
#include "sim/pvesim/backends.h"
#include "sim/pvesim/faults.h"
#include "sim/pvesim/guest_locks.h"
#include "sim/pvesim/options.h"
#include "sim/pvesim/request_log.h"
#include "sim/pvesim/router.h"
#include "sim/pvesim/runtime_state.h"
#include "sim/pvesim/state_store.h"
#include "sim/pvesim/tasks.h"

namespace pvesim {

class Simulator {
 public:
  Simulator(Options options, Backends backends, std::unique_ptr<ApiSchema> schema, Credentials credentials,
            RuntimeState runtime, std::string state_file, std::string fingerprint);
  ~Simulator();
  Simulator(const Simulator&) = delete;
  Simulator& operator=(const Simulator&) = delete;

  const Options& options() const { return options_; }
  int pve() const { return options_.pve; }
  ClusterFs& fs() { return *backends_.fs; }
  NodeFacts& facts() { return *backends_.facts; }
  TaskManager& tasks() { return tasks_; }
  GuestLocks& guest_locks() { return guest_locks_; }
  Faults& faults() { return faults_; }
  RequestLog& request_log() { return request_log_; }
  Auth& auth() { return auth_; }
  const ApiSchema* schema() const { return schema_.get(); }
  const RouteTable& routes() const { return routes_; }
  const std::string& fingerprint() const { return fingerprint_; }
  std::string LocalNode() const { return backends_.facts->LocalNode(); }

  // Guards runtime() and read-modify-write sequences of config files. Never wait for a guest lock or
  // sleep while holding it.
  std::mutex& mu() { return mu_; }
  RuntimeState& runtime() { return runtime_; }
  // Parsed guest configs of the lists (GET /cluster/resources, node usage), revalidated by content.
  ConfigCache& config_cache() { return config_cache_; }

  // Schedules a write of state.json.
  void MarkDirty() { store_.MarkDirty(); }
  Status Flush() { return store_.Flush(); }
  nlohmann::json Snapshot();

 private:
  Options options_;
  Backends backends_;
  std::unique_ptr<ApiSchema> schema_;
  Auth auth_;
  std::string fingerprint_;
  Faults faults_;
  RequestLog request_log_;
  GuestLocks guest_locks_;
  RouteTable routes_;
  std::mutex mu_;
  RuntimeState runtime_;
  ConfigCache config_cache_;
  StateStore store_;
  TaskManager tasks_;  // last: its destructor waits for workers that use everything above
};

}  // namespace pvesim
