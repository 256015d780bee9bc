// Asynchronous tasks (Proxmox "workers"): UPIDs in pve-common's exact format, running -> stopped with
// "OK" or an error, a task log ending in "TASK OK"/"TASK ERROR: ...", per-node task lists, stop requests.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/pvesim/error.h"

namespace pvesim {

struct TaskRecord {
  std::string upid, node, type, id, user;
  uint32_t pid = 0;
  uint64_t pstart = 0;
  int64_t starttime = 0;
  int64_t endtime = 0;
  bool running = true;
  std::string exitstatus;  // "OK", "WARNINGS: n" or the error text (no trailing newline)
  std::vector<std::string> log;
  bool stop_requested = false;
};

// What a running worker sees: logging, waiting, and whether someone asked it to stop.
class TaskContext {
 public:
  virtual ~TaskContext() = default;
  virtual void Log(const std::string& line) = 0;
  // Sleeps; false when a stop was requested meanwhile.
  virtual bool Sleep(std::chrono::milliseconds duration) = 0;
  // The simulated work of this task: sleeps the configured duration for its type, then fails if a fault
  // rule says so (or the task was stopped).
  virtual Status Work() = 0;
  virtual const TaskRecord& Record() const = 0;
};

class TaskManager {
 public:
  using Work = std::function<Status(TaskContext&)>;
  // Decides the duration and an injected failure for a task type/id (from options and fault rules).
  using Policy = std::function<std::pair<std::chrono::milliseconds, std::optional<std::string>>(
      const std::string& node, const std::string& type, const std::string& id)>;

  explicit TaskManager(Policy policy);
  ~TaskManager();

  // Starts `work` on its own thread and returns the UPID at once (fork_worker).
  std::string Start(const std::string& node, const std::string& type, const std::string& id, const std::string& user,
                    Work work);

  // The record of a UPID (copy), or nullopt if unknown.
  std::optional<TaskRecord> Find(const std::string& upid) const;
  // Newest first, as the task index is read backwards.
  std::vector<TaskRecord> List(const std::string& node) const;
  std::vector<TaskRecord> ListAll() const;
  // DELETE /tasks/{upid}: asks the worker to stop; false if unknown.
  bool RequestStop(const std::string& upid);
  // Blocks until every worker has finished or `timeout` elapsed; true when all finished.
  bool WaitIdle(std::chrono::milliseconds timeout);
  size_t RunningCount() const;

  // UPID:<node>:<pid 8 hex>:<pstart 8 hex>:<starttime 8 hex>:<type>:<id>:<user>:
  static std::string FormatUpid(const TaskRecord& r);
  // Parses a UPID as PVE::UPID::decode; nullopt when malformed.
  static std::optional<TaskRecord> ParseUpid(const std::string& upid);

 private:
  class Context;
  void Finish(const std::string& upid, const Status& result);

  Policy policy_;
  mutable std::mutex mu_;
  std::condition_variable idle_cv_;
  std::map<std::string, std::shared_ptr<TaskRecord>> by_upid_;
  std::map<std::string, std::deque<std::shared_ptr<TaskRecord>>> by_node_;
  uint32_t next_pid_;
  size_t running_ = 0;
};

// The JSON of GET /nodes/{node}/tasks/{upid}/status.
nlohmann::json TaskStatusJson(const TaskRecord& r);
// One entry of GET /nodes/{node}/tasks.
nlohmann::json TaskListEntryJson(const TaskRecord& r);

}  // namespace pvesim
