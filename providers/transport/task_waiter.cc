#include "providers/transport/task_waiter.h"

#include <algorithm>
#include <charconv>

#include "providers/transport/api_client.h"
#include "providers/transport/api_error.h"
#include "providers/transport/api_path.h"
#include "providers/transport/upid.h"

namespace hainfra::transport {

namespace {

constexpr std::string_view kWarningsPrefix = "WARNINGS: ";

std::string Describe(const Upid& upid) {
  std::string what = upid.type + (upid.id.empty() ? "" : " " + upid.id);
  return "task " + what + " on " + upid.node + " (" + upid.text + ")";
}

std::string JoinTail(const std::vector<std::string>& lines) {
  std::string out;
  for (const std::string& line : lines) out += "\n    " + line;
  return out;
}

// "WARNINGS: 3" -> 3; anything else -> nullopt.
std::optional<int> WarningCount(std::string_view exit_status) {
  if (!exit_status.starts_with(kWarningsPrefix)) return std::nullopt;
  std::string_view digits = exit_status.substr(kWarningsPrefix.size());
  int count = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), count);
  if (ec != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
  return count;
}

Code CodeOfFailedTask(std::string_view exit_status) {
  if (IsLockTimeout(exit_status)) return Code::kUnavailable;  // Proxmox's lock wait: worth a later retry
  if (exit_status.find("already exists") != std::string_view::npos) return Code::kAlreadyExists;
  // "Configuration file '…' does not exist": the object is gone (e.g. a destroy sent twice after a lost answer).
  if (exit_status.starts_with("Configuration file '") && exit_status.find("' does not exist") != std::string_view::npos) {
    return Code::kNotFound;
  }
  return Code::kFailedPrecondition;
}

}  // namespace

Result<std::vector<std::string>> TaskLogTail(ApiClient& client, std::string_view upid_text, size_t lines) {
  auto upid = ParseUpid(upid_text);
  if (!upid) return Fail(upid.error());
  std::string path = ApiPath({"nodes", upid->node, "tasks", upid->text, "log"});
  auto read = [&](size_t start) {
    Request request;
    request.path = path;
    request.params = {{"start", start}, {"limit", lines}};
    return client.SendForEnvelope(request);
  };
  auto page = read(0);
  if (!page) return Fail(page.error());
  // The envelope's `total` is the log's line count: when the first page is not the end, read the last one.
  if (auto total = page->find("total"); total != page->end() && total->is_number_unsigned() &&
                                        total->get<size_t>() > lines) {
    page = read(total->get<size_t>() - lines);
    if (!page) return Fail(page.error());
  }
  std::vector<std::string> out;
  const Value& data = (*page)["data"];
  if (data.is_array()) {
    for (const Value& entry : data) {
      if (entry.is_object() && entry.contains("t") && entry["t"].is_string()) out.push_back(entry["t"].get<std::string>());
    }
  }
  if (out.size() > lines) out.erase(out.begin(), out.end() - static_cast<std::ptrdiff_t>(lines));
  return out;
}

namespace {

// A log line that reports how far a transfer is: a percentage in it.
bool IsProgressLine(std::string_view line) {
  for (size_t pos = line.find('%'); pos != std::string_view::npos; pos = line.find('%', pos + 1)) {
    if (pos > 0 && line[pos - 1] >= '0' && line[pos - 1] <= '9') return true;
  }
  return false;
}

// Passes the task's log lines from `next` on that report progress; advances `next`. Best effort: a failed
// read only skips this round.
void ReportProgress(ApiClient& client, const Upid& upid, size_t& next, const TaskWaitOptions& options) {
  Request request;
  request.path = ApiPath({"nodes", upid.node, "tasks", upid.text, "log"});
  request.params = {{"start", next}, {"limit", 500}};
  auto page = client.SendForEnvelope(request);
  if (!page || !(*page)["data"].is_array()) return;
  for (const Value& entry : (*page)["data"]) {
    if (!entry.is_object() || !entry.contains("t") || !entry["t"].is_string()) continue;
    ++next;
    const std::string line = entry["t"].get<std::string>();
    if (IsProgressLine(line)) options.progress(line);
  }
}

}  // namespace

Result<TaskResult> WaitForTask(ApiClient& client, std::string_view upid_text, const TaskWaitOptions& options) {
  auto upid = ParseUpid(upid_text);
  if (!upid) return Fail(upid.error());
  const std::string path = ApiPath({"nodes", upid->node, "tasks", upid->text, "status"});
  const auto deadline = client.Now() + options.timeout;
  auto interval = options.first_poll;
  size_t log_read = 0;
  for (;;) {
    auto status = client.Get(path);
    if (options.progress && status && status->is_object()) ReportProgress(client, *upid, log_read, options);
    if (!status) return Fail(WithContext(status.error(), "waiting for " + Describe(*upid)));
    if (status->is_object() && status->value("status", "") == "stopped") {
      TaskResult result;
      result.upid = upid->text;
      result.exit_status = status->value("exitstatus", "");
      if (result.exit_status == "OK") return result;
      if (auto warnings = WarningCount(result.exit_status)) {
        result.warnings = *warnings;
        if (auto tail = TaskLogTail(client, upid->text, options.log_tail_lines)) result.log_tail = *tail;
        return result;
      }
      auto tail = TaskLogTail(client, upid->text, options.log_tail_lines);
      std::string log = tail ? (tail->empty() ? "" : "; log tail:" + JoinTail(*tail))
                             : "; the task log could not be read: " + tail.error().message;
      std::string exit = result.exit_status.empty() ? "(no exit status)" : result.exit_status;
      return Fail(CodeOfFailedTask(exit), Describe(*upid) + " failed: " + exit + log);
    }
    auto now = client.Now();
    if (now >= deadline) {
      auto seconds = std::chrono::duration_cast<std::chrono::seconds>(options.timeout).count();
      return Fail(Code::kDeadlineExceeded,
                  Describe(*upid) + " is still running after " + std::to_string(seconds) + " s (left running)");
    }
    client.Sleep(std::min(interval, std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now)));
    interval = std::min(options.max_poll, interval * 3 / 2);
  }
}

}  // namespace hainfra::transport
