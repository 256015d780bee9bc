#include "sim/pvesim/tasks.h"

#include <cstdio>
#include <ctime>
#include <random>
#include <regex>
#include <thread>

namespace pvesim {

using json = nlohmann::json;

namespace {

constexpr size_t kMaxTasksPerNode = 5000;

// Fake boot time: pstart is jiffies since boot (USER_HZ 100), as /proc/<pid>/stat reports it.
const int64_t kBootTime = static_cast<int64_t>(std::time(nullptr)) - 3 * 86400;

}  // namespace

class TaskManager::Context : public TaskContext {
 public:
  Context(TaskManager& owner, std::shared_ptr<TaskRecord> rec) : owner_(owner), rec_(std::move(rec)) {}

  void Log(const std::string& line) override {
    std::lock_guard<std::mutex> lock(owner_.mu_);
    rec_->log.push_back(line);
  }

  bool Sleep(std::chrono::milliseconds duration) override {
    auto deadline = std::chrono::steady_clock::now() + duration;
    while (std::chrono::steady_clock::now() < deadline) {
      {
        std::lock_guard<std::mutex> lock(owner_.mu_);
        if (rec_->stop_requested) return false;
      }
      auto left = deadline - std::chrono::steady_clock::now();
      std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(left, std::chrono::milliseconds(20)));
    }
    std::lock_guard<std::mutex> lock(owner_.mu_);
    return !rec_->stop_requested;
  }

  Status Work() override {
    auto [duration, failure] = owner_.policy_(rec_->node, rec_->type, rec_->id);
    if (!Sleep(duration)) return Die("interrupted by signal");
    if (failure) return Die(*failure);
    return Ok();
  }

  const TaskRecord& Record() const override { return *rec_; }

 private:
  TaskManager& owner_;
  std::shared_ptr<TaskRecord> rec_;
};

TaskManager::TaskManager(Policy policy) : policy_(std::move(policy)) {
  std::random_device rd;
  next_pid_ = 100000 + rd() % 800000;
}

TaskManager::~TaskManager() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (auto& [upid, rec] : by_upid_) rec->stop_requested = true;
  }
  WaitIdle(std::chrono::seconds(30));
}

std::string TaskManager::FormatUpid(const TaskRecord& r) {
  char buf[64];
  std::snprintf(buf, sizeof buf, ":%08X:%08llX:%08llX:", r.pid, static_cast<unsigned long long>(r.pstart),
                static_cast<unsigned long long>(r.starttime));
  return "UPID:" + r.node + buf + r.type + ":" + r.id + ":" + r.user + ":";
}

std::optional<TaskRecord> TaskManager::ParseUpid(const std::string& upid) {
  static const std::regex re(
      "^UPID:([a-zA-Z0-9]([a-zA-Z0-9\\-]*[a-zA-Z0-9])?):([0-9A-Fa-f]{8}):([0-9A-Fa-f]{8,9}):([0-9A-Fa-f]{8}):"
      "([^:\\s/]+):([^:\\s/]*):([^:\\s/]+):$");
  std::smatch m;
  if (!std::regex_match(upid, m, re)) return std::nullopt;
  TaskRecord r;
  r.upid = upid;
  r.node = m[1];
  r.pid = static_cast<uint32_t>(std::stoul(m[3], nullptr, 16));
  r.pstart = std::stoull(m[4], nullptr, 16);
  r.starttime = static_cast<int64_t>(std::stoll(m[5], nullptr, 16));
  r.type = m[6];
  r.id = m[7];
  r.user = m[8];
  return r;
}

std::string TaskManager::Start(const std::string& node, const std::string& type, const std::string& id,
                               const std::string& user, Work work) {
  auto rec = std::make_shared<TaskRecord>();
  {
    std::lock_guard<std::mutex> lock(mu_);
    rec->node = node;
    rec->type = type;
    rec->id = id;
    rec->user = user;
    rec->pid = next_pid_++;
    rec->starttime = static_cast<int64_t>(std::time(nullptr));
    rec->pstart = static_cast<uint64_t>(rec->starttime - kBootTime) * 100 + rec->pid % 97;
    rec->upid = FormatUpid(*rec);
    by_upid_[rec->upid] = rec;
    auto& list = by_node_[node];
    list.push_front(rec);
    while (list.size() > kMaxTasksPerNode) {
      if (!list.back()->running) by_upid_.erase(list.back()->upid);
      list.pop_back();
    }
    ++running_;
  }
  std::string upid = rec->upid;
  // Detached, but the manager's destructor waits until every worker has called Finish, which is the last
  // thing a worker does with the manager; the work (and whatever it captured) is gone before that.
  std::thread([this, rec, work = std::move(work)]() mutable {
    Status result = Ok();
    {
      Context ctx(*this, rec);
      result = work(ctx);
      work = nullptr;
    }
    Finish(rec->upid, result);
  }).detach();
  return upid;
}

void TaskManager::Finish(const std::string& upid, const Status& result) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = by_upid_.find(upid);
  if (it != by_upid_.end()) {
    auto& rec = *it->second;
    rec.running = false;
    rec.endtime = static_cast<int64_t>(std::time(nullptr));
    if (result) {
      rec.exitstatus = "OK";
      rec.log.push_back("TASK OK");
    } else {
      std::string msg = result.error().message;
      while (!msg.empty() && msg.back() == '\n') msg.pop_back();
      // The task log's last line is "TASK ERROR: <first line>", and that line is the exit status.
      std::string first = msg.substr(0, msg.find('\n'));
      if (msg.find('\n') != std::string::npos) rec.log.push_back(msg);
      rec.exitstatus = first;
      rec.log.push_back("TASK ERROR: " + first);
    }
  }
  --running_;
  idle_cv_.notify_all();
}

std::optional<TaskRecord> TaskManager::Find(const std::string& upid) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = by_upid_.find(upid);
  if (it == by_upid_.end()) return std::nullopt;
  return *it->second;
}

std::vector<TaskRecord> TaskManager::List(const std::string& node) const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<TaskRecord> out;
  auto it = by_node_.find(node);
  if (it == by_node_.end()) return out;
  for (const auto& rec : it->second) out.push_back(*rec);
  return out;
}

std::vector<TaskRecord> TaskManager::ListAll() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<TaskRecord> out;
  for (const auto& [node, list] : by_node_)
    for (const auto& rec : list) out.push_back(*rec);
  return out;
}

bool TaskManager::RequestStop(const std::string& upid) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = by_upid_.find(upid);
  if (it == by_upid_.end()) return false;
  it->second->stop_requested = true;
  return true;
}

bool TaskManager::WaitIdle(std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(mu_);
  return idle_cv_.wait_for(lock, timeout, [this] { return running_ == 0; });
}

size_t TaskManager::RunningCount() const {
  std::lock_guard<std::mutex> lock(mu_);
  return running_;
}

namespace {

// Token tasks carry "user@realm!token" in the UPID; the API splits it (convert_token_task).
void PutUser(json& j, const std::string& user) {
  auto bang = user.find('!');
  if (bang == std::string::npos) {
    j["user"] = user;
  } else {
    j["user"] = user.substr(0, bang);
    j["tokenid"] = user.substr(bang + 1);
  }
}

}  // namespace

json TaskStatusJson(const TaskRecord& r) {
  json j = {{"upid", r.upid},   {"node", r.node}, {"pid", r.pid},   {"pstart", r.pstart},
            {"starttime", r.starttime}, {"type", r.type}, {"id", r.id}};
  PutUser(j, r.user);
  j["status"] = r.running ? "running" : "stopped";
  if (!r.running) j["exitstatus"] = r.exitstatus;
  return j;
}

json TaskListEntryJson(const TaskRecord& r) {
  json j = {{"upid", r.upid},   {"node", r.node}, {"pid", r.pid},   {"pstart", r.pstart},
            {"starttime", r.starttime}, {"type", r.type}, {"id", r.id}};
  PutUser(j, r.user);
  if (r.running) {
    j["status"] = "RUNNING";
  } else {
    j["endtime"] = r.endtime;
    j["status"] = r.exitstatus;
  }
  return j;
}

}  // namespace pvesim
