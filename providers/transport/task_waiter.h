// Waiting for Proxmox tasks (UPIDs): poll the task's status on the node it names with growing intervals,
// then judge its exit status; on failure fetch the tail of its log for the error message.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "hainfra/result.h"

namespace hainfra::transport {

class ApiClient;

struct TaskResult {
  std::string upid;
  std::string exit_status;            // "OK" or "WARNINGS: n"
  int warnings = 0;                   // n of "WARNINGS: n"
  std::vector<std::string> log_tail;  // the last lines of the log when there were warnings
};

struct TaskWaitOptions {
  std::chrono::milliseconds timeout{std::chrono::minutes(10)};
  std::chrono::milliseconds first_poll{100};  // grows by half each poll …
  std::chrono::milliseconds max_poll{2000};   // … up to this
  size_t log_tail_lines = 20;
  // When set: after each poll of a running task, the new lines of its log that report progress (wget's
  // "... 50% ...", qemu-img's "transferred ... (50.00%)") are passed here, so long downloads show progress.
  std::function<void(std::string_view line)> progress;
};

// Polls GET /nodes/{node}/tasks/{upid}/status until `stopped`. Exit status `OK` and `WARNINGS: n` succeed.
// Any other exit status fails with the status and the log tail; the code follows the message (lock timeout
// -> kUnavailable, "already exists" -> kAlreadyExists, "Configuration file '…' does not exist" -> kNotFound,
// else kFailedPrecondition). Still running after the timeout -> kDeadlineExceeded (the task is left running:
// Proxmox tasks are not ours to kill).
Result<TaskResult> WaitForTask(ApiClient& client, std::string_view upid, const TaskWaitOptions& options);

// The last `lines` lines of a task's log (GET /nodes/{node}/tasks/{upid}/log), at most two requests.
Result<std::vector<std::string>> TaskLogTail(ApiClient& client, std::string_view upid, size_t lines);

}  // namespace hainfra::transport
